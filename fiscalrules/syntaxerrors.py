"""Friendly syntax errors: lark's parse errors turned into plain words for the usual mistakes.

Each message is matched against small programs that fail the same way (lark's
``match_examples``): a missing operand (E101), an unclosed bracket (E102), an unknown keyword
(E103) or rule clause (E104), a closing bracket without an opening one (E105); anything else is
E100 with what was found and what was expected.
"""

from __future__ import annotations

import difflib

import lark

from .errors import RuleSyntaxError

__all__ = ["syntax_error"]

# Each message is matched against small programs that fail the same way (lark's match_examples).
_ERROR_EXAMPLES = {
    ("E101", "an operand is missing: an operator must stand between two values"): [
        "rule R: a = ",
        "rule R: a = b +",
        "rule R: a = b + * c",
        "rule R: a = (b + )",
        "rule R: = b",
        "rule R: a = sum(b, )",
        "rule R { assert a = }",
        "rule R { assert }",
    ],
    ("E102", "a bracket is not closed"): [
        "rule R: a = (b + c",
        "rule R: a = sum(b, c",
        "rule R: a = t[\"208\"",
        "rule R { assert a = b",
        "rule R: a in {\"x\", \"y\"",
        "rule R { assert a = sum(b, c }",
        "rule R { assert a = (b + c }",
        "rule R: a = ((b)",
    ],
    ("E103", "unknown keyword or clause: expected one of ruleset, unit, precision, include, field, rule"): [
        "rules R: a = b",
        "feild a: amount",
        "a = b",
        "rule R: a = b c",
    ],
    ("E104", "unknown clause inside a rule: expected title, severity, tags, reference, description, message, when, assert, within or example"): [
        "rule R { asert a = b }",
        "rule R { severity error foo }",
        "rule R { a = b }",
    ],
    ("E105", "a closing bracket has no opening one"): [
        "rule R: a = b)",
        "rule R: a = b]",
        "rule R: a = (b))",
        "rule R { assert a = b } }",
    ],
}


def syntax_error(exc: lark.exceptions.UnexpectedInput, text: str, file: str | None, parse, location) -> RuleSyntaxError:
    """The RuleSyntaxError for lark's *exc*: a plain-words message where one of the examples
    fails the same way (*parse* is the rule-file parser, *location* builds a Location)."""
    matched = None
    if not isinstance(exc, lark.exceptions.UnexpectedCharacters):
        try:
            matched = exc.match_examples(parse, _ERROR_EXAMPLES, use_accepts=True)
        except Exception:  # noqa: BLE001 - matching is best effort, the plain error still applies
            matched = None
    token = getattr(exc, "token", None)
    if matched and matched[0] == "E105" and getattr(token, "type", None) not in _CLOSING:
        matched = None  # lark also matches on the parser state alone: a word is no bracket
    if not matched:
        matched = _misspelt_keyword(exc, text)
    line, column = getattr(exc, "line", None), getattr(exc, "column", None)
    if line is None or line < 1:
        line, column = _end_position(text)
    found = _describe_found(exc)
    expected = _describe_expected(exc)
    if matched:
        code, message = matched
    elif isinstance(exc, lark.exceptions.UnexpectedCharacters):
        code, message = "E100", f"unexpected character {text[exc.pos_in_stream]!r}"
    else:
        code, message = "E100", f"unexpected {found}"
    if matched and found:
        message = f"{message} (found {found})"
    token = getattr(exc, "token", None)
    length = len(str(token)) if token is not None and str(token) else 1
    return RuleSyntaxError(message, location(text, file, line, column, length), code=code,
                           hint=f"expected {expected}" if expected else None)


_CLOSING = ("_RPAR", "RSQB", "RBRACE")
_ITEM_WORDS = ("ruleset", "unit", "precision", "include", "field", "rule")
_CLAUSE_WORDS = ("title", "severity", "tags", "reference", "description", "message", "when", "assert",
                 "within", "example")


def _misspelt_keyword(exc, text: str):
    """A word where a keyword belongs, in a parser state no example covers (``feild`` after any
    item but the first, ``asert`` after any clause): the same E103 / E104 the examples give.
    Only a word that starts its line or looks like a keyword counts, so that ``sum(a b)`` stays
    a plain syntax error."""
    token = getattr(exc, "token", None)
    if token is None or token.type not in ("NAME", "RULE_ID"):
        return None
    expected = set(getattr(exc, "expected", None) or ())
    items, clauses = "RULE" in expected, "ASSERT" in expected
    word = str(token)
    code = None
    if items and difflib.get_close_matches(word, _ITEM_WORDS, n=1, cutoff=0.6):
        code = "E103"
    elif clauses and difflib.get_close_matches(word, _CLAUSE_WORDS, n=1, cutoff=0.6):
        code = "E104"
    elif getattr(token, "pos_in_stream", None) is not None and \
            not text[text.rfind("\n", 0, token.pos_in_stream) + 1:token.pos_in_stream].strip():
        code = "E103" if items and not clauses else "E104" if clauses and not items else None
    return next((key for key in _ERROR_EXAMPLES if key[0] == code), None)


def _end_position(text: str) -> tuple[int, int]:
    lines = text.split("\n")
    return len(lines), len(lines[-1]) + 1


def _describe_found(exc) -> str:
    token = getattr(exc, "token", None)
    if token is None:
        return ""
    if token.type == "$END":
        return "end of input"
    return repr(str(token))


_TERMINAL_WORDS = {"NAME": "a name", "NUMBER": "a number", "STRING": "a string", "UNIT": "a unit",
                   "COMP_OP": "a comparison", "RULE_ID": "a rule id", "_RPAR": "')'", "_LPAR": "'('",
                   "RBRACE": "'}'", "LBRACE": "'{'", "RSQB": "']'", "LSQB": "'['", "COLON": "':'",
                   "_COMMA": "','", "QUOTED_NAME": "a `quoted name`", "MINUS": "'-'", "ADD_OP": "'+' or '-'",
                   "MUL_OP": "'*' or '/'", "EXPECT": "pass, fail, not applicable or not evaluable", "DOT": "'.'", "STAR": "'*'"}


def _describe_expected(exc) -> str:
    expected = getattr(exc, "expected", None) or getattr(exc, "allowed", None) or set()
    words = sorted({_TERMINAL_WORDS.get(t, t.lower().strip("_")) for t in expected
                    if not t.startswith("__ANON") and t != "$END"})
    if "$END" in expected:
        words.append("end of input")
    if len(words) > 8:
        words = words[:8] + ["…"]
    return ", ".join(words)

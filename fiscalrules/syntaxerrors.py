"""Friendly syntax errors: lark's parse errors turned into plain words for the usual mistakes.

Each message is matched against small programs that fail the same way (lark's
``match_examples``): a missing operand (E101), an unclosed bracket (E102), an unknown keyword
(E103) or rule clause (E104), a closing bracket without an opening one (E105); anything else is
E100 with what was found and what was expected.  A mistake deeper in a file than the examples
(a later item, a rule's braces) is matched on the parser's current state alone, for the labels
that state tells (:data:`_BY_TOP_STATE`).
"""

from __future__ import annotations

import difflib
import functools
import re

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


def _match_examples(exc, parse):
    """The label of the example failing as *exc* does: lark's ``match_examples(parse,
    _ERROR_EXAMPLES, use_accepts=True)`` (:func:`_matched` in the error's parser state), else an
    example failing in the same LALR state -- the state on top of the parser's stack -- with a
    label that state tells alone (:data:`_BY_TOP_STATE`)."""
    found = _matched(exc, parse, lambda state: state == exc.state)
    top = getattr(exc.state, "position", None)
    if found is None and top is not None:
        token = getattr(getattr(exc, "token", None), "type", None)
        found = _matched(exc, parse, lambda state: state.position == top,
                         lambda code: code in _BY_TOP_STATE and (code != "E102" or token in _BRACKET_LEFT_OPEN))
    return found


# An example shares an error's parser state (lark's ParserState: the whole stack) only when the
# mistake sits as deep as the example's -- rarely in the second item of a file, or in a rule's
# braces -- so an error no example shares it with is matched on the LALR state on top of the
# stack (what the parser is reading: an operand, a bracket's contents), for the labels that state
# tells alone (_BY_TOP_STATE): an operand missing (E101), a closing bracket without an opening one
# (E105: syntax_error keeps it for a closing bracket only), a bracket not closed (E102) where the
# input ends or the next item or clause begins inside it.  Not an unknown keyword or clause
# (E103, E104): in the same top state that is as often the end of a cut-off rule (`rule S`,
# `severity warn` and the end of input); nor E102 at another token (`assert a,b` in a rule's
# braces: the comma is the mistake, not the brace).
_BY_TOP_STATE = ("E101", "E102", "E105")


def _matched(exc, parse, same_state, allowed=lambda code: True):
    """lark's ``match_examples`` decision (the same parser state, as *same_state* judges it, and for
    tokens the same acceptable tokens; an example failing on the same token first, else the first
    of that state), over the failures of the examples whose code is *allowed*, worked out once per
    parser rather than by parsing the 27 examples again on every syntax error (88 % of the time a
    wrong rule file took).  An example of the same state with other acceptable tokens is skipped,
    as lark means to (lark 1.3's own call raises TypeError there, formatting a debug message)."""
    unexpected_token = isinstance(exc, lark.exceptions.UnexpectedToken)
    token_or_eof = isinstance(exc, (lark.exceptions.UnexpectedToken, lark.exceptions.UnexpectedEOF))
    candidate = None
    for label, state, accepts, token, is_token, is_token_or_eof in _example_failures(parse):
        if not allowed(label[0]) or not same_state(state):
            continue
        if unexpected_token and is_token and accepts != exc.accepts:
            continue
        if token_or_eof and is_token_or_eof and token == exc.token:
            return label
        if candidate is None:
            candidate = label
    return candidate


@functools.cache
def _example_failures(parse) -> tuple:
    """How each example of _ERROR_EXAMPLES fails under *parse*, in order: (label, parser state,
    acceptable tokens, token, whether an UnexpectedToken, whether an UnexpectedToken or EOF) --
    the parts of lark's exception match_examples compares, without the exception's frames."""
    failures = []
    for label, examples in _ERROR_EXAMPLES.items():
        for malformed in examples:
            try:
                parse(malformed)
            except lark.exceptions.UnexpectedInput as failure:
                failures.append((label, failure.state, getattr(failure, "accepts", None), getattr(failure, "token", None),
                                 isinstance(failure, lark.exceptions.UnexpectedToken),
                                 isinstance(failure, (lark.exceptions.UnexpectedToken, lark.exceptions.UnexpectedEOF))))
    return tuple(failures)


def syntax_error(exc: lark.exceptions.UnexpectedInput, text: str, file: str | None, parse, location) -> RuleSyntaxError:
    """The RuleSyntaxError for lark's *exc*: a plain-words message where one of the examples
    fails the same way (*parse* is the rule-file parser, *location* builds a Location)."""
    special = _auditor_mistake(exc, text)
    if special is not None:
        code, message, hint, line, column, length = special
        return RuleSyntaxError(message, location(text, file, line, column, length), code=code, hint=hint)
    matched = None
    if not isinstance(exc, lark.exceptions.UnexpectedCharacters):
        try:
            matched = _match_examples(exc, parse)
        except Exception:  # noqa: BLE001 - matching is best effort, the plain error still applies
            matched = None
    token = getattr(exc, "token", None)
    if matched and matched[0] == "E105" and getattr(token, "type", None) not in _CLOSING:
        matched = None  # lark also matches on the parser state alone: a word is no bracket
    if getattr(token, "type", None) in _CLOSING and (not matched or matched[0] == "E102") and _stray(exc, token.type):
        matched = _STRAY   # `assert a = b)` in a rule's braces: the ')' is too many, not the '{' left open
    if not matched:
        matched = _misspelt_keyword(exc, text)
    if matched and matched[0] == "E101":
        matched = ("E101", _missing_operand(exc))
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
    word = _misspelt_word(exc)
    if matched and matched[0] in ("E103", "E104") and word:
        keywords = _ITEM_WORDS if matched[0] == "E103" else _CLAUSE_WORDS
        close = difflib.get_close_matches(word, keywords, n=1, cutoff=0.6)
        kind = "keyword" if matched[0] == "E103" else "clause"
        message = f"unknown {kind} {word!r}"
        hint = f"did you mean {close[0]}?" if close else f"expected {', '.join(keywords[:-1])} or {keywords[-1]}"
        token = getattr(exc, "token", None)
        line, column = getattr(exc, "line", None), getattr(exc, "column", None)
        return RuleSyntaxError(message, location(text, file, line, column, len(word)), code=matched[0], hint=hint)
    if matched and found:
        message = f"{message} (found {found})"
    token = getattr(exc, "token", None)
    length = len(str(token)) if token is not None and str(token) else 1
    return RuleSyntaxError(message, location(text, file, line, column, length), code=code,
                           hint=f"expected {expected}" if expected else None)


_CLOSING = ("_RPAR", "RSQB", "RBRACE")
_OPENING = {"_RPAR": "_LPAR", "RSQB": "LSQB", "RBRACE": "LBRACE"}
_STRAY = next(key for key in _ERROR_EXAMPLES if key[0] == "E105")


def _stacked_tokens(exc) -> list:
    """The tokens the parser has shifted and not yet reduced into a phrase (lark's value stack),
    the last read last; empty where the error carries no parser state."""
    stack = getattr(getattr(exc, "state", None), "value_stack", None) or ()
    return [value for value in stack if isinstance(value, lark.Token)]


def _stray(exc, closing: str) -> bool:
    """Whether the closing bracket *closing* the parser stopped at closes nothing: no bracket of
    its kind is open (an opening bracket stays on the value stack until the phrase its closing one
    ends is reduced), and the innermost open one, if any, is a brace -- a rule's, whose '}' is
    still to come; a '(' or '[' open within is rather the bracket not closed (E102: `t["1")`)."""
    opened = [value.type for value in _stacked_tokens(exc) if value.type in _OPENING.values()]
    return _OPENING[closing] not in opened and (not opened or opened[-1] == "LBRACE")


# What an operand missing (E101) is called, by what the parser read last: E101's examples fail
# in one state whatever came before the gap -- an operator (`a = b +`), nothing (`rule R: = b`),
# a comma (`sum(b, )`) or a rule's ':' / assert (`rule Q:` cut off) -- and "an operator must stand
# between two values" is right for the first only.
_OPERATORS = {"ADD_OP", "MUL_OP", "COMP_OP", "MINUS", "STAR", "AND", "OR", "NOT", "IN"}
_CONDITION_STARTS = {"COLON", "ASSERT", "WHEN"}


def _missing_operand(exc) -> str:
    stacked = getattr(getattr(exc, "state", None), "value_stack", None) or ()
    last = stacked[-1] if stacked else None
    before = last.type if isinstance(last, lark.Token) else None
    found = getattr(getattr(exc, "token", None), "type", None)
    if before in _OPERATORS:
        return "an operand is missing: an operator must stand between two values"
    if found in _OPERATORS:
        return "an operand is missing before the operator"
    if before == "_COMMA":
        return "a value is missing after the comma"
    if before in _CONDITION_STARTS:
        return "the condition is missing: write a comparison, such as a = b"
    return "an operand is missing: a value belongs here"
_ITEM_WORDS = ("ruleset", "unit", "precision", "include", "field", "rule")
_CLAUSE_WORDS = ("title", "severity", "tags", "reference", "description", "message", "when", "assert",
                 "within", "example")
_BRACKET_LEFT_OPEN = {"$END"} | {word.upper() for word in _ITEM_WORDS + _CLAUSE_WORDS}   # (see _BY_TOP_STATE)


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


_UNITS = ("万元", "亿元", "千元", "元", "人", "辆", "次", "个", "台", "项", "家", "套", "件", "天", "户", "名", "所", "批")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FULL_WIDTH = {"：": ":", "｛": "{", "｝": "}", "［": "[", "］": "]", "【": "[", "】": "]", "；": ";", "。": "."}


def _misspelt_word(exc) -> str | None:
    token = getattr(exc, "token", None)
    if token is not None and token.type in ("NAME", "RULE_ID") and str(token).isascii():
        return str(token)
    return None


# How far back on its line an auditor's mistake is looked for (see _auditor_mistake).
_LOOK_BACK = 200


def _auditor_mistake(exc, text: str):
    """The mistakes people who write rules in Chinese make most -- a full-width colon or brace,
    an unquoted title, a misspelt unit, a chained comparison, a label with punctuation -- as
    (code, message, hint, line, column, length), or None."""
    pos = getattr(exc, "pos_in_stream", None)
    token = getattr(exc, "token", None)
    if pos is None and token is not None:
        pos = getattr(token, "start_pos", None)
    if pos is None or pos >= len(text):
        return None
    line, column = getattr(exc, "line", None), getattr(exc, "column", None)
    char = text[pos]
    line_start = text.rfind("\n", 0, pos) + 1
    line_text = text[line_start:text.find("\n", pos) if "\n" in text[pos:] else len(text)]
    # The patterns below that end at the error ("…\S*$") are tried from every character before
    # it: over a whole line that is quadratic (review A: an unclosed 中（ and 32,000 characters
    # took 11 s, a 1 MB line hours).  What they look for -- a number, a unit, a label, the
    # clause of a comparison -- sits just before the error: the last _LOOK_BACK characters.
    before = text[max(line_start, pos - _LOOK_BACK):pos]
    if char in _FULL_WIDTH and isinstance(exc, lark.exceptions.UnexpectedCharacters):
        return ("E100", f"full-width {char!r} where {_FULL_WIDTH[char]!r} belongs",
                f"write the ASCII {_FULL_WIDTH[char]} (switch the input method to half-width)", line, column, 1)
    word = re.match(f"[{_CJK}A-Za-z]+", text[pos:])
    word = word.group(0) if word else ""
    # a title without quotes: rule R1 收入等于支出: …
    header = re.match(r"\s*rule\s+(\S+)\s+(?P<title>[^\"“:{：｛]+?)\s*[:{：｛]", line_text)
    if header and line_start + header.start("title") <= pos < line_start + header.end("title"):
        title = header.group("title")
        return ("E100", "a title is written in quotes",
                f'write rule {header.group(1)} "{title}" …', line, header.start("title") + 1, len(title))
    # a unit misspelt after a number (5 万圆) or where a declaration wants one (unit 万圆, amount 万圆)
    expected = set(getattr(exc, "expected", None) or ())
    if word and (re.search(r"\d\s*$", before) or "UNIT" in expected):
        close = difflib.get_close_matches(word, _UNITS, n=1, cutoff=0.5)
        if close and word not in _UNITS:
            return ("E100", f"unknown unit {word!r}", f"did you mean {close[0]}?", line, column, len(word))
    # a unit run into a word: count 人数 (the lexer took 人 and left 数)
    glued = re.search(f"(?<![{_CJK}A-Za-z])({'|'.join(_UNITS)})$", before)
    if word and glued and re.search(r"(?:amount|count|percent|number|\d)\s*\S*$", before):
        unit = glued.group(1)
        start = pos - len(unit)
        return ("E100", f"unknown unit {unit + word!r}", f"did you mean {unit}?", line,
                start - line_start + 1, len(unit + word))
    # a chained comparison: a = b = c
    if getattr(token, "type", None) == "COMP_OP":
        clause = re.split(r"(?:^|[\s:{])(?:assert|when|and|or|if|then)\s", before)[-1]
        if re.search(r"(==|!=|<=|>=|[=<>＝≠≤≥＜＞])", clause):
            return ("E100", "comparisons cannot be chained",
                    "write each comparison on its own and join them with and: a = b and b = c",
                    line, column, len(str(token)))
    # a label with punctuation: “三公”经费, 因公出国（境）费 that the grammar cannot take bare
    label = re.search(f"[^\\s:=<>+\\-*/,，()（）{{}}]*$", before).group(0) + re.match(
        f"[^\\s:=<>+\\-*/,，{{}}]*", text[pos:]).group(0)
    if label and re.search(f"[{_CJK}]", label) and re.search(f"[^{_CJK}A-Za-z0-9_.]", label) \
            and not label.startswith(('"', "`")):
        start = pos - len(re.search(f"[^\\s:=<>+\\-*/,，()（）{{}}]*$", before).group(0))
        return ("E100", f"the label {label} has punctuation a name cannot hold",
                f"write it in backquotes: `{label}`", line, start - line_start + 1, len(label))
    return None


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


# Terminals grouped into what a person would call them: the parser's token list is for programmers.
_GROUPS = {"ADD_OP": "an operator", "MUL_OP": "an operator", "COMP_OP": "an operator", "MINUS": "an operator",
           "_RPAR": "a closing bracket", "RSQB": "a closing bracket", "RBRACE": "a closing bracket"}
_SKIPPED = {"DOT", "LSQB", "STAR"}  # what may follow any value (r.x, T["1"]): true, but never the fix


def _describe_expected(exc) -> str:
    """What the parser would have accepted, in at most five plain words ("an operator, a closing
    bracket or end of input")."""
    expected = getattr(exc, "expected", None) or getattr(exc, "allowed", None) or set()
    words: list[str] = []
    keywords: list[str] = []
    for t in sorted(expected, key=lambda t: (t not in _GROUPS, t)):
        if t.startswith("__ANON") or t == "$END" or t in _SKIPPED:
            continue
        if t not in _GROUPS and t not in _TERMINAL_WORDS:  # a keyword: named only when nothing else fits
            keywords.append(t.lower().strip("_"))
            continue
        word = _GROUPS.get(t) or _TERMINAL_WORDS[t]
        if word not in words:
            words.append(word)
    if not words:
        words = keywords
    if "$END" in expected:
        words.append("end of input")
    if len(words) > 5:
        words = words[:4] + ["…"]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]

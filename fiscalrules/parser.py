"""The parser: rule text → AST.

Owns the LALR parser (built once from ``grammar.lark``), the parse -- the fast one
(:mod:`fiscalrules.lalr`), or lark's tree walked (:func:`_walk`) when that one gives up -- and
syntax errors; the nodes are made by :mod:`fiscalrules.astbuild`'s builder.  Syntax errors are
:class:`~fiscalrules.errors.RuleSyntaxError` with file, line, column, a caret excerpt and, for
the usual mistakes (a missing operand, an unclosed bracket, an unknown keyword), a plain-words
explanation chosen by lark's ``match_examples``.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import lark
from lark import Token, Tree

from . import ast
from .astbuild import SEVERITIES, _Builder, _BuildError, _spanned  # noqa: F401 - also read here by tests, benchmarks
from .errors import Location, RuleSyntaxError
from .inputs.bounded import MAX_RULE_FILE_BYTES  # rule text larger than this is refused, not parsed
from .lalr import Fallback, FastParser
from .syntaxerrors import syntax_error

__all__ = ["parse", "parse_expression", "parse_recovering", "MAX_RULE_FILE_BYTES"]




@functools.cache
def _parser(start: str = "start") -> lark.Lark:
    grammar = resources.files("fiscalrules").joinpath("grammar.lark").read_text(encoding="utf-8")
    return lark.Lark(grammar, parser="lalr", lexer="contextual", propagate_positions=True,
                     maybe_placeholders=True, start=start, cache=False)


@functools.cache
def _fast_parser(start: str = "start") -> FastParser:
    return FastParser(_parser(start), _Builder, start=start)


def parse(text: str, file: str | None = None) -> ast.RuleFile:
    """Parse a whole rule file.  Raises RuleSyntaxError."""
    text = _check_text(text, file)
    try:  # lark's automaton without its tree (fiscalrules.lalr); lark itself on anything unusual
        return ast.RuleFile(tuple(_fast_parser().parse(text, file)), file=file, source=text)
    except Fallback:
        pass
    try:
        tree = _parser().parse(text)
    except lark.exceptions.UnexpectedInput as exc:
        raise syntax_error(exc, text, file, _parser().parse, _location) from None
    except RecursionError:
        raise RuleSyntaxError("rule text nested too deeply to read", Location(file, 1, 1),
                              code="E106") from None
    _refuse_deep(tree, file, "rule text nested too deeply to read", text)
    try:
        items = _build(file, text, tree)
    except _BuildError as exc:
        raise RuleSyntaxError(exc.message, _location(text, file, exc.line, exc.column),
                              code=exc.code) from None
    except RecursionError:
        raise RuleSyntaxError("rule text nested too deeply to read", Location(file, 1, 1),
                              code="E106") from None
    return ast.RuleFile(tuple(items), file=file, source=text)


# How deep a parse tree may be.  The tree is built into the AST recursively, so without a limit of
# our own what parses would depend on the interpreter's recursion limit -- which the host program,
# or a thread of ours inside the symbolic evaluation (raising it for deep rules), may have changed
# -- and the same text would be E106 in one process and read in another.  Python's default limit
# let lark's Transformer, which built it before _walk, build trees about 490 levels deep (490
# nested minus signs, 244 nested calls); this stayed under it, far above any real rule.
MAX_TREE_DEPTH = 400


def _refuse_deep(tree, file: str | None, message: str, text: str = "") -> None:
    """Raise E106 when *tree* (lark's) is nested deeper than MAX_TREE_DEPTH -- a chain's earlier
    links (``a + b + c``: see :func:`~fiscalrules.lalr.chained`) as deep as the link above them,
    as the fast parse counts -- at the start of the rule holding the deepest node, with its line's
    excerpt (review 17 B10: it was 1:1 wherever the rule was); measured without recursion."""
    stack = [(tree, 1, None)]
    while stack:
        node, depth, rule = stack.pop()
        data = getattr(node, "data", None)
        if data in ("rule_line", "rule_block"):
            rule = node
        if depth > MAX_TREE_DEPTH:
            meta = getattr(rule if rule is not None else node, "meta", None)
            line, column = (1, 1) if meta is None or meta.empty else (meta.line, meta.column)
            raise RuleSyntaxError(message, _location(text, file, line, column), code="E106")
        children = getattr(node, "children", None)
        if children:
            chain = data in _CHAINED
            stack.extend((child, depth + (not (chain and at == 0 and getattr(child, "data", None) == data)), rule)
                         for at, child in enumerate(children))


# The rules whose nodes are links of left-associative chains (lalr.chained): flat, not nesting.
_CHAINED = frozenset(name for name in dir(_Builder) if getattr(getattr(_Builder, name), "chained", False))


_ITEM_START = re.compile(r"^[ \t]*(ruleset|unit|precision|include|field|rule)\b", re.MULTILINE)
# A word at the start of a line where an item could begin: a misspelt keyword (feild) is an item of
# its own for recovery, so that it neither hides the good item above it nor is hidden by it.
_WORD_START = re.compile(r"^[A-Za-z\u3400-\u9fff]", re.MULTILINE)


def parse_recovering(text: str, file: str | None = None) -> tuple[ast.RuleFile, list[RuleSyntaxError]]:
    """Parse as much as possible: on a syntax error, parse each top-level item on its own so that
    every broken item is reported (for ``lint``) and the good ones can still be checked."""
    try:
        return parse(text, file), []
    except RuleSyntaxError as first:
        if first.code == "E107":
            return ast.RuleFile((), file=file, source=text if isinstance(text, str) else ""), [first]
    keyword_starts = {m.start() for m in _ITEM_START.finditer(text)}
    starts = sorted(keyword_starts | {m.start() for m in _WORD_START.finditer(text)})
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    chunks = [(b, e) for b, e in zip(starts, starts[1:] + [len(text)]) if text[b:e].strip()]
    items, errors = [], []
    i = 0
    while i < len(chunks):
        begin, end = chunks[i]
        # a line starting with a word may continue the item above (a wrapped expression): try that first
        if i + 1 < len(chunks) and chunks[i + 1][0] not in keyword_starts:
            try:
                items.extend(_parse_at(text, chunks[i][0], chunks[i + 1][1], file))
                i += 2
                continue
            except RuleSyntaxError:
                pass
        try:
            items.extend(_parse_at(text, begin, end, file))
        except RuleSyntaxError as exc:
            errors.append(_relocate(exc, text))
        i += 1
    return ast.RuleFile(tuple(items), file=file, source=text), errors


def _parse_at(text: str, begin: int, end: int, file: str | None) -> tuple:
    # Pad with the newlines before the chunk so that lines and columns stay the file's own.
    return parse("\n" * text.count("\n", 0, begin) + text[begin:end], file).items


def _relocate(exc: RuleSyntaxError, text: str) -> RuleSyntaxError:
    """Point the error's excerpt at the whole file's line (the chunk was padded, lines agree)."""
    loc = exc.location
    lines = text.splitlines()
    if loc.line and 0 < loc.line <= len(lines):
        exc.location = Location(loc.file, loc.line, loc.column, lines[loc.line - 1], loc.length)
    return exc


def parse_expression(text: str, file: str | None = None) -> ast.Expr:
    """Parse one expression (message placeholders, tests)."""
    text = _check_text(text, file)
    try:
        return _fast_parser("expr").parse(text, file)
    except Fallback:
        pass
    try:
        tree = _parser("expr").parse(text)
        _refuse_deep(tree, file, "expression nested too deeply to read", text)
        return _build(file, text, tree)
    except lark.exceptions.UnexpectedInput as exc:
        raise syntax_error(exc, text, file, _parser().parse, _location) from None
    except _BuildError as exc:
        raise RuleSyntaxError(exc.message, _location(text, file, exc.line, exc.column),
                              code=exc.code) from None
    except RecursionError:
        raise RuleSyntaxError("expression nested too deeply to read", Location(file, 1, 1),
                              code="E106") from None


def _build(file, text, tree):
    return _walk(_Builder(file, text), tree)


def _walk(builder, tree):
    """The value of lark's *tree* (the lark path), built bottom-up as the fast parse's reductions
    build it: a token as they make it, a placeholder None, or the builder's method named as the
    tree's rule called with its children's values -- a :func:`~fiscalrules.lalr.spanned` one with
    its span data too, from lark's meta -- and a rule without a method kept as lark's Transformer
    keeps it.  lark's public Tree, Token and Meta only; without recursion (a chain of 10,000 links
    is a tree 10,000 deep), each node's children's values gathered on a stack of its own."""
    if type(tree) is not Tree:
        return _token(tree) if isinstance(tree, Token) else tree
    stack = [(tree, [])]
    while True:
        node, values = stack[-1]
        if len(values) < len(node.children):
            child = node.children[len(values)]
            if type(child) is Tree:
                stack.append((child, []))
            else:
                values.append(_token(child) if isinstance(child, Token) else child)
            continue
        stack.pop()
        value = _built(builder, node, values)
        if not stack:
            return value
        stack[-1][1].append(value)


def _built(builder, tree, children):
    """The builder's value of one node of lark's tree, its children's values given."""
    method = getattr(builder, tree.data, None)
    if method is None:
        return Tree(tree.data, children, tree.meta)
    if not getattr(method, "spanned", False):
        return method(children)
    meta = tree.meta
    if meta.empty:
        return method((0, 0, 0, 0, builder.file), children)
    return method((meta.line, meta.column, meta.end_line, meta.end_column, builder.file), children)


def _token(token: Token) -> tuple:
    """A token of lark's tree as the fast parse makes them (fiscalrules.lalr.make_token)."""
    return (token.type, token.value, token.line, token.column, token.end_line, token.end_column)


def _check_text(text, file):
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RuleSyntaxError(f"rule text is not valid UTF-8 (byte {exc.start})",
                                  Location(file, 1, 1), code="E107") from None
    if not isinstance(text, str):
        raise RuleSyntaxError(f"rule text must be a string, not {type(text).__name__}",
                              Location(file), code="E107")
    # The cap is in bytes, as for a file: a character may take up to four (UTF-8).
    if len(text) > MAX_RULE_FILE_BYTES or (
            len(text) * 4 > MAX_RULE_FILE_BYTES and len(text.encode("utf-8", "surrogatepass")) > MAX_RULE_FILE_BYTES):
        raise RuleSyntaxError("rule text is too large to be a rule file", Location(file, 1, 1),
                              code="E107")
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise RuleSyntaxError("rule text contains a NUL byte: is this a binary file?",
                              Location(file, line, column), code="E107")
    return text.lstrip("\ufeff")


def _location(text: str, file: str | None, line: int | None, column: int | None, length: int = 1) -> Location:
    lines = text.splitlines() or [""]
    source_line = lines[line - 1] if line and 0 < line <= len(lines) else None
    return Location(file, line, column, source_line, length)

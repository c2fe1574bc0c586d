"""Hypothesis strategies for fiscalrules ASTs: expressions, rules and whole rule files.

They generate the trees the parser can produce (surface nodes, as written), so that printing a
generated tree and parsing the text back must give the same tree.  Names deliberately include
Chinese aliases, keywords (which the printer must quote or may leave bare, depending on where
they stand) and names that need backticks.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from fiscalrules import ast
from fiscalrules.printer import KEYWORDS

UNITS = ["万元", "亿元", "千元", "元", "%", "人", "辆", "次", "个", "台", "项", "家", "套", "件", "天", "户", "名",
         "所", "批"]
FUNCTIONS = ["sum", "count", "abs", "min", "max", "round", "change", "prior", "pct", "present", "coalesce",
             "children", "parent", "level", "contains", "收入", "f_1"]
PLAIN_NAMES = ["a", "b", "x", "total", "income", "sources", "r", "_x1", "收入预算总额", "在职人数", "功能表",
               "row2", "Ab"]
ODD_NAMES = ["收入 总额", "a-b", "1st", "a.b", "x（y）"]        # need backticks
NAMES = PLAIN_NAMES + sorted(KEYWORDS)[:8] + ["when", "in", "for", "each", "not"] + ODD_NAMES
SEGMENTS = PLAIN_NAMES + ["when", "in", "table", "rule", "true"]  # after a dot: keywords stay bare
VARIABLES = ["r", "x", "row", "行", "when", "each"]                # loop variables: plain names only
# Strings: anything but NUL (refused in rule text) and lone surrogates (not text at all).
TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=8)


def decimals(allow_negative: bool = False):
    """Decimals as a rule file would print them: plain digits, some with decimals."""
    def build(whole, frac, scale, negative):
        value = Decimal(whole) + (Decimal(frac).scaleb(-scale) if scale else 0)
        return -value if negative else value
    return st.builds(build, st.integers(0, 10**12), st.integers(0, 99), st.integers(0, 2),
                     st.booleans() if allow_negative else st.just(False))


def numbers():
    return st.builds(ast.Number, decimals(), st.none() | st.sampled_from(UNITS))


def leaves():
    return st.one_of(
        numbers(),
        st.builds(ast.String, TEXT),
        st.builds(ast.Boolean, st.booleans()),
        st.builds(ast.Name, st.sampled_from(NAMES)),
    )


def _extend(children):
    args = st.lists(children, max_size=3).map(tuple)
    comprehension = st.builds(ast.Comprehension, children, st.sampled_from(VARIABLES), children,
                              st.none() | children)
    return st.one_of(
        st.builds(ast.Attribute, children, st.sampled_from(SEGMENTS + ODD_NAMES[:2])),
        st.builds(ast.Star, children),
        st.builds(ast.Index, children, children),
        st.builds(ast.Call, st.sampled_from(FUNCTIONS), args),
        st.builds(ast.Call, st.sampled_from(FUNCTIONS), comprehension.map(lambda c: (c,))),
        st.builds(ast.Unary, st.just("-"), children),
        st.builds(ast.Binary, st.sampled_from("+-*/"), children, children),
        st.builds(ast.Compare, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), children, children),
        st.builds(ast.Member, children, args, st.booleans()),
        st.builds(ast.SetLiteral, args),
        st.builds(ast.Not, children),
        st.builds(ast.And, children, children),
        st.builds(ast.Or, children, children),
        st.builds(ast.Implies, children, children),
        st.builds(ast.ForEach, st.sampled_from(VARIABLES), children, st.none() | children, children),
    )


def expressions(max_leaves: int = 12):
    return st.recursive(leaves(), _extend, max_leaves=max_leaves)


# ---- example records ---------------------------------------------------------------------------------------

RECORD_KEYS = ["a", "total", "income", "收入", "when", "a b", "x.y", "code", "value"]


def record_values():
    scalars = st.one_of(decimals(allow_negative=True), TEXT, st.booleans(),
                        st.builds(lambda v, u: {"value": v, "unit": u}, decimals(), st.sampled_from(UNITS)))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(RECORD_KEYS), inner, max_size=3)), max_leaves=6)


def records():
    return st.dictionaries(st.sampled_from(RECORD_KEYS), record_values(), max_size=4)


# ---- rules and files ----------------------------------------------------------------------------------------

RULE_IDS = st.from_regex(r"[A-Za-z_\u4e00-\u9fa5][A-Za-z0-9_\-.\u4e00-\u9fa5]{0,6}", fullmatch=True)


# Built once: making a recursive strategy anew on every draw is what makes generation slow.
_RULE_EXPRESSIONS = expressions(8)
_EXAMPLES = st.lists(st.builds(ast.Example, st.sampled_from(["pass", "fail"]), records()), max_size=2)
_TOLERANCES = st.none() | st.builds(ast.Tolerance, decimals(), st.none() | st.sampled_from(UNITS))


@st.composite
def rules(draw, expr=None):
    expr = expr or _RULE_EXPRESSIONS
    title = draw(st.none() | TEXT)
    description = draw(st.none() | TEXT)
    message = draw(st.none() | TEXT)
    tolerance = draw(_TOLERANCES)
    return ast.Rule(
        id=draw(RULE_IDS),
        title=title,
        title_en=draw(st.none() | TEXT) if title is not None else None,
        severity=draw(st.sampled_from([None, "error", "warning", "info"])),
        tags=tuple(draw(st.lists(st.sampled_from(PLAIN_NAMES + ["when", "income"]), max_size=3))),
        reference=draw(st.none() | TEXT),
        description=description,
        description_en=draw(st.none() | TEXT) if description is not None else None,
        message=message,
        message_en=draw(st.none() | TEXT) if message is not None else None,
        when=draw(st.none() | expr),
        assertion=draw(st.none() | expr),
        tolerance=tolerance,
        examples=tuple(draw(_EXAMPLES)),
    )


def _field_path(draw):
    parts = draw(st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=3))
    if draw(st.booleans()) and len(parts) > 0:
        parts.append("*")
    return ".".join(parts)


_LABELS = st.lists(TEXT, max_size=2).map(tuple)
_DEFAULTS = st.none() | decimals(allow_negative=True)
_COLUMNS = st.lists(st.builds(
    ast.ColumnDecl, st.sampled_from(SEGMENTS), st.lists(TEXT, max_size=1).map(tuple),
    st.sampled_from(["amount", "count", "text", "when"]), st.none() | st.sampled_from(UNITS), _DEFAULTS),
    max_size=3).map(tuple)
_UNITS = st.none() | st.sampled_from(UNITS)


@st.composite
def field_decls(draw):
    labels = draw(_LABELS)
    default = draw(_DEFAULTS)
    if draw(st.booleans()):
        return ast.FieldDecl(_field_path(draw), labels, "table", None, draw(_COLUMNS), default)
    kind = draw(st.sampled_from(["amount", "count", "percent", "number", "text", "flag", "money", "in"]))
    return ast.FieldDecl(_field_path(draw), labels, kind, draw(_UNITS), (), default)


def items():
    return _ITEMS


def _items():
    return st.one_of(
        st.builds(ast.RulesetDecl, st.sampled_from(PLAIN_NAMES + ["when", "unit"]), st.none() | TEXT),
        st.builds(ast.UnitDecl, st.sampled_from(UNITS)),
        st.builds(ast.PrecisionDecl, st.sampled_from(UNITS), decimals().filter(lambda d: d > 0)),
        st.builds(ast.IncludeDecl, TEXT),
        field_decls(),
        rules(),
    )


_ITEMS = _items()


def rule_files():
    return st.lists(_ITEMS, max_size=5).map(lambda xs: ast.RuleFile(tuple(xs)))

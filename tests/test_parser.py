"""fiscalrules.parser and fiscalrules.ast: every construct of the rule language, spans, printing
back to text, and friendly syntax errors (cases as data in ``cases/syntax_errors.yaml``)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

import fiscalrules
from fiscalrules import FiscalRulesError, RuleSyntaxError, parse, parse_expression
from fiscalrules import ast, printer
from fiscalrules.errors import caret_excerpt
from fiscalrules.printer import to_source

# libyaml's safe loader where PyYAML has it: the same data as yaml.safe_load, in a tenth of its
# CPU (every xdist worker loads the case files as it collects the modules)
CASES = yaml.load((Path(__file__).parent / "cases" / "syntax_errors.yaml").read_text(encoding="utf-8"),
                  Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# ---- syntax errors, as data --------------------------------------------------------------------------

def _case_input(case):
    if "hex" in case:
        return bytes.fromhex(case["hex"])
    if "nonstring" in case:
        return case["nonstring"]
    return case["text"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_syntax_error_case(case):
    with pytest.raises(RuleSyntaxError) as info:
        parse(_case_input(case), "bad.rules")
    err = info.value
    assert isinstance(err, FiscalRulesError)
    assert err.code == case["code"], err.format()
    assert (err.line, err.column) == (case["line"], case["column"]), err.format()
    if "message" in case:
        assert case["message"] in err.message
    if "hint" in case:
        assert err.hint and case["hint"] in err.hint, err.format()
    assert err.file == "bad.rules"
    # the formatted error names the place and, where there is a line, shows it with a caret
    text = err.format()
    assert text.startswith("bad.rules")
    assert case["code"] in text
    if case["line"] is not None and "text" in case:
        assert f"bad.rules:{case['line']}:{case['column']}" in text
        lines = case["text"].split("\n")
        if case["line"] <= len(lines) and "\0" not in case["text"]:
            assert "^" in text


def test_syntax_error_cases_cover_every_kind():
    codes = {c["code"] for c in CASES}
    assert {"E100", "E101", "E102", "E103", "E104", "E105", "E107", "E108", "E109", "E110", "E111"} <= codes


@pytest.mark.parametrize("case", [c for c in CASES if "text" in c][:6], ids=lambda c: c["name"])
def test_compile_rules_raises_the_same_syntax_error(case):
    with pytest.raises(RuleSyntaxError) as info:
        fiscalrules.compile_rules(case["text"])
    assert info.value.code == case["code"]


def test_syntax_error_hint_lists_what_was_expected():
    with pytest.raises(RuleSyntaxError) as info:
        parse("field a: amount\nrule R: a = (b + c")
    # in words a person uses, not the parser's token names
    assert info.value.hint == "expected a closing bracket"


def test_caret_sits_under_the_offending_character_in_cjk_text():
    with pytest.raises(RuleSyntaxError) as info:
        parse("rule 规则: 收入总额 = $", "x.rules")
    text = info.value.format()
    source_line, caret_line = text.splitlines()[1:3]
    assert source_line.strip() == "rule 规则: 收入总额 = $"
    # 规则 and 收入总额 are wide: the caret is at display column 4 + 1 + 4 + 2 + 8 + 3 = 22 (0-based)
    assert caret_line.index("^") - 4 == 22


def test_caret_excerpt_widths():
    assert caret_excerpt("ab 收入 c", 4, 2) == "ab 收入 c\n   ^^^^"
    assert caret_excerpt("abc", 2) == "abc\n ^"


def test_error_location_uses_the_file_name():
    with pytest.raises(RuleSyntaxError) as info:
        parse("\n\nrule R: a = b)", "rules/x.rules")
    assert str(info.value.location) == "rules/x.rules:3:14"


def test_byte_order_mark_is_ignored():
    assert parse("\ufeffunit 万元").items == (ast.UnitDecl("万元"),)


def test_bytes_in_utf8_are_read():
    assert parse("unit 万元".encode()).items == (ast.UnitDecl("万元"),)


def test_empty_and_comment_only_text():
    assert parse("").items == ()
    assert parse("# nothing\n// still nothing\n").items == ()


def test_redundant_parentheses_leave_no_trace():
    deep = parse("rule R: a = " + "(" * 5000 + "b" + ")" * 5000)
    assert deep == parse("rule R: a = b")


def test_deep_nesting_is_a_syntax_error_not_a_crash():
    with pytest.raises(RuleSyntaxError) as info:
        parse("rule R: a = " + "-" * 5000 + "b")
    assert info.value.code == "E106"


@pytest.mark.parametrize("limit", [1000, 100_000])
def test_what_parses_does_not_depend_on_the_recursion_limit(limit):
    # The symbolic evaluation raises the interpreter's limit for deep rules (in any thread), and a
    # host program may too: the same text must be read, or refused with E106, either way.
    import sys
    saved = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        with pytest.raises(RuleSyntaxError) as info:
            parse("rule R: a = " + "-" * 5000 + "b")
        assert info.value.code == "E106"
        assert parse("rule R: a = " + "-" * 300 + "b").items[0].id == "R"
    finally:
        sys.setrecursionlimit(saved)



# The builder's own errors, as written: the words and names the user wrote (the builder reads
# tokens as tuples, on the lark path too: never a tuple's repr in a message).
@pytest.mark.parametrize("text, message", [
    ('rule S-1 {\n  description "a"\n  description "b"\n  assert a = b\n}', "rule S-1 has two description clauses"),
    ("rule R2 {\n  severity error\n  severity info\n  assert a = b\n}", "rule R2 has two severity clauses"),
    ("rule R {\n    severity fatal\n    assert a = b\n}", "unknown severity 'fatal': use error, warning or info"),
    ("field t: amount(x: amount)", "only a table has columns, not amount"),
    ("precision 万元 0", "precision must be greater than zero"),
    ("rule R {\n    assert a\n    example pass {a: 1, a.b: 2}\n}", "example record sets a.b inside a value"),
])
def test_builder_errors_say_what_was_written(text, message):
    with pytest.raises(RuleSyntaxError) as caught:
        parse(text, "x.rules")
    assert caught.value.message == message

# ---- good syntax: every construct ---------------------------------------------------------------------

FULL = '''\
# a ruleset with every construct
ruleset budget "部门预算" "Department budget"
unit 万元
precision 万元 0.01   // money to the cent of a 万元
precision % 0.1
include "common.rules"
field income.total "收入预算总额", "收入合计": amount
field income.sources.* : amount
field staff.count "在职人数": count 人
field growth "增长率": percent
field doc.level "级次": text
field doc.flag: flag
field ratio: number default -1.5
field tables.function "功能分类表":
    table(code "科目编码": text, name: text, total "合计": amount default 0, basic: amount 万元)
rule INC-1 "收入等于各项之和" "Income equals its sources" {
    severity warning
    tags income, totals
    reference "财预〔2016〕143号"
    description "说明" "Description"
    message "左 {left} 右 {right} 差 {diff} 允许 {tolerance} {收入预算总额}" "L {left} R {right}"
    when present(income.total) and doc.level ≠ "县级"
    assert 收入预算总额 ＝ sum（income.sources.*）
    within 0.5%
    example pass {income.total: 10, income.sources.a: 10}
    example fail {income: {total: 10 万元, sources: {a: 9}}, doc: {level: "市级", flag: true}}
}
rule INC-2: income.total >= 0 within 0.01 万元
rule FUN-1: for each r in tables.function where level(r) = 1 and count(children(r)) > 0:
    r.total = sum(children(r).total)
rule FUN-2: sum(r.total for r in 功能分类表 where r.code in {"208", "201"}) ≤ income.total
rule FUN-3: tables.function["208"].total ≥ parent(tables.function["20805"]).total
rule TXT-1: if doc.level = “区级” then not doc.flag or doc.level not in {"a", "b"}
rule MIX: (income.total - prior(income.total)) × 2 ÷ 2 ＜ change(income.total) + abs(-1) and pct(income.total) ＞ 0
rule Q: `收入 总额` != 1600000 元 and staff.count < 3 人 and round(growth, 1) <= 5%
'''


@pytest.fixture(scope="module")
def full():
    return parse(FULL, "full.rules")


def _items(rule_file, kind):
    return [i for i in rule_file.items if isinstance(i, kind)]


def _rule(rule_file, rule_id) -> ast.Rule:
    return next(i for i in rule_file.items if isinstance(i, ast.Rule) and i.id == rule_id)


def _name(text):
    return ast.Name(text)


def _attr(*parts):
    node = ast.Name(parts[0])
    for p in parts[1:]:
        node = ast.Attribute(node, p)
    return node


def test_header_unit_precision_include(full):
    assert full.items[0] == ast.RulesetDecl("budget", "部门预算", "Department budget")
    assert full.items[1] == ast.UnitDecl("万元")
    assert full.items[2] == ast.PrecisionDecl("万元", D("0.01"))
    assert full.items[3] == ast.PrecisionDecl("%", D("0.1"))
    assert full.items[4] == ast.IncludeDecl("common.rules")


def test_field_declarations(full):
    fields = {f.path: f for f in _items(full, ast.FieldDecl)}
    assert fields["income.total"] == ast.FieldDecl("income.total", ("收入预算总额", "收入合计"), "amount")
    assert fields["income.total"].label == "收入预算总额"
    assert fields["income.sources.*"] == ast.FieldDecl("income.sources.*", (), "amount")
    assert fields["staff.count"] == ast.FieldDecl("staff.count", ("在职人数",), "count", "人")
    assert fields["growth"].kind == "percent"
    assert fields["doc.level"].kind == "text" and fields["doc.flag"].kind == "flag"
    assert fields["ratio"].default == D("-1.5") and fields["ratio"].kind == "number"
    table = fields["tables.function"]
    assert table.kind == "table" and table.labels == ("功能分类表",)
    assert [c.name for c in table.columns] == ["code", "name", "total", "basic"]
    assert table.columns[0] == ast.ColumnDecl("code", ("科目编码",), "text")
    assert table.columns[2] == ast.ColumnDecl("total", ("合计",), "amount", None, D(0))
    assert table.columns[3] == ast.ColumnDecl("basic", (), "amount", "万元")


def test_rule_block_metadata(full):
    rule = _rule(full, "INC-1")
    assert (rule.title, rule.title_en) == ("收入等于各项之和", "Income equals its sources")
    assert rule.severity == "warning"
    assert rule.tags == ("income", "totals")
    assert rule.reference == "财预〔2016〕143号"
    assert (rule.description, rule.description_en) == ("说明", "Description")
    assert rule.message.startswith("左 {left}") and rule.message_en == "L {left} R {right}"
    assert rule.when == ast.And(ast.Call("present", (_attr("income", "total"),)),
                                ast.Compare("!=", _attr("doc", "level"), ast.String("县级")))
    assert rule.assertion == ast.Compare("=", _name("收入预算总额"),
                                         ast.Call("sum", (ast.Star(_attr("income", "sources")),)))
    assert rule.tolerance == ast.Tolerance(D("0.5"), "%")


def test_examples(full):
    rule = _rule(full, "INC-1")
    assert [e.expect for e in rule.examples] == ["pass", "fail"]
    assert rule.examples[0].record == {"income": {"total": D(10), "sources": {"a": D(10)}}}
    assert rule.examples[1].record == {"income": {"total": {"value": D(10), "unit": "万元"}, "sources": {"a": D(9)}},
                                       "doc": {"level": "市级", "flag": True}}


def test_one_line_rule_with_tolerance(full):
    rule = _rule(full, "INC-2")
    assert rule.assertion == ast.Compare(">=", _attr("income", "total"), ast.Number(D(0)))
    assert rule.tolerance == ast.Tolerance(D("0.01"), "万元")
    assert rule.title is None and rule.severity is None


def test_quantifier_with_children(full):
    body = _rule(full, "FUN-1").assertion
    assert isinstance(body, ast.ForEach) and body.var == "r"
    assert body.source == _attr("tables", "function")
    assert body.where == ast.And(
        ast.Compare("=", ast.Call("level", (_name("r"),)), ast.Number(D(1))),
        ast.Compare(">", ast.Call("count", (ast.Call("children", (_name("r"),)),)), ast.Number(D(0))))
    assert body.body == ast.Compare("=", _attr("r", "total"),
                                    ast.Call("sum", (ast.Attribute(ast.Call("children", (_name("r"),)), "total"),)))


def test_comprehension_and_membership(full):
    rule = _rule(full, "FUN-2")
    comp = rule.assertion.left.args[0]
    assert rule.assertion.op == "<="
    assert comp == ast.Comprehension(_attr("r", "total"), "r", _name("功能分类表"),
                                     ast.Member(_attr("r", "code"), (ast.String("208"), ast.String("201"))))


def test_lookup_and_parent(full):
    rule = _rule(full, "FUN-3")
    lookup = ast.Index(_attr("tables", "function"), ast.String("208"))
    assert rule.assertion == ast.Compare(
        ">=", ast.Attribute(lookup, "total"),
        ast.Attribute(ast.Call("parent", (ast.Index(_attr("tables", "function"), ast.String("20805")),)), "total"))


def test_logic_and_curly_quotes(full):
    rule = _rule(full, "TXT-1")
    assert rule.assertion == ast.Implies(
        ast.Compare("=", _attr("doc", "level"), ast.String("区级")),
        ast.Or(ast.Not(_attr("doc", "flag")),
               ast.Member(_attr("doc", "level"), (ast.String("a"), ast.String("b")), negated=True)))


def test_unicode_arithmetic_and_comparisons(full):
    left, right = _rule(full, "MIX").assertion.left, _rule(full, "MIX").assertion.right
    assert left.op == "<" and right.op == ">"
    assert left.left == ast.Binary("/", ast.Binary("*", ast.Binary("-", _attr("income", "total"),
                                                                   ast.Call("prior", (_attr("income", "total"),))),
                                                   ast.Number(D(2))), ast.Number(D(2)))
    assert left.right == ast.Binary("+", ast.Call("change", (_attr("income", "total"),)),
                                    ast.Call("abs", (ast.Unary("-", ast.Number(D(1))),)))
    assert right.left == ast.Call("pct", (_attr("income", "total"),))


def test_numbers_with_units_and_backtick_names(full):
    a = _rule(full, "Q").assertion
    first = a.left.left
    assert first == ast.Compare("!=", ast.Name("收入 总额"), ast.Number(D(1600000), "元"))
    assert first.left.quoted is True
    assert a.left.right == ast.Compare("<", _attr("staff", "count"), ast.Number(D(3), "人"))
    assert a.right == ast.Compare("<=", ast.Call("round", (_name("growth"), ast.Number(D(1)))), ast.Number(D(5), "%"))


@pytest.mark.parametrize("text, op", [("a = b", "="), ("a == b", "="), ("a ＝ b", "="), ("a != b", "!="),
                                      ("a ≠ b", "!="), ("a < b", "<"), ("a ＜ b", "<"), ("a <= b", "<="),
                                      ("a ≤ b", "<="), ("a > b", ">"), ("a ＞ b", ">"), ("a >= b", ">="),
                                      ("a ≥ b", ">=")])
def test_every_comparison_form(text, op):
    assert parse_expression(text) == ast.Compare(op, _name("a"), _name("b"))


@pytest.mark.parametrize("text, expected", [
    ("a + b * c", ast.Binary("+", _name("a"), ast.Binary("*", _name("b"), _name("c")))),
    ("(a + b) * c", ast.Binary("*", ast.Binary("+", _name("a"), _name("b")), _name("c"))),
    ("a - b - c", ast.Binary("-", ast.Binary("-", _name("a"), _name("b")), _name("c"))),
    ("a ＋ b － c", ast.Binary("-", ast.Binary("+", _name("a"), _name("b")), _name("c"))),
    ("−a", ast.Unary("-", _name("a"))),
    ("-3", ast.Unary("-", ast.Number(D(3)))),
    ("a or b and c", ast.Or(_name("a"), ast.And(_name("b"), _name("c")))),
    ("not a and b", ast.And(ast.Not(_name("a")), _name("b"))),
    ("if a then if b then c", ast.Implies(_name("a"), ast.Implies(_name("b"), _name("c")))),
    ("50 万元", ast.Number(D(50), "万元")),
    ("5 ％", ast.Number(D(5), "%")),
    ("x.*", ast.Star(_name("x"))),
    ("t[208]", ast.Index(_name("t"), ast.Number(D(208)))),
    ("true = false", ast.Compare("=", ast.Boolean(True), ast.Boolean(False))),
    ("sum（a，b）", ast.Call("sum", (_name("a"), _name("b")))),
    ("min(a, b, c)", ast.Call("min", (_name("a"), _name("b"), _name("c")))),
    ("a in {}", ast.Member(_name("a"), ())),
    ("a.when + a.in", ast.Binary("+", _attr("a", "when"), _attr("a", "in"))),
    ("`when` = 1", ast.Compare("=", ast.Name("when"), ast.Number(D(1)))),
    ("x.`a b`", ast.Attribute(_name("x"), "a b")),
    ('"x\\"y\\\\z\\n"', ast.String('x"y\\z\n')),
    ("level(r) = 3 and parent(r).total > 0",
     ast.And(ast.Compare("=", ast.Call("level", (_name("r"),)), ast.Number(D(3))),
             ast.Compare(">", ast.Attribute(ast.Call("parent", (_name("r"),)), "total"), ast.Number(D(0))))),
])
def test_expressions(text, expected):
    node = parse_expression(text)
    assert node == expected
    assert parse_expression(to_source(node)) == node


def test_spans_of_items_and_nodes(full):
    lines = FULL.split("\n")
    rule = _rule(full, "INC-1")
    assert rule.span.line == lines.index(next(l for l in lines if l.startswith("rule INC-1"))) + 1
    assert rule.span.column == 1 and rule.span.file == "full.rules"
    assert rule.span.end_line > rule.span.line
    assert_line = next(i for i, l in enumerate(lines, 1) if l.strip().startswith("assert 收入预算总额"))
    assertion = rule.assertion
    assert (assertion.span.line, assertion.span.column) == (assert_line, 12)
    assert (assertion.left.span.line, assertion.left.span.column) == (assert_line, 12)
    assert assertion.left.span.end_column == 12 + len("收入预算总额")
    sum_col = lines[assert_line - 1].index("sum") + 1
    assert (assertion.right.span.line, assertion.right.span.column) == (assert_line, sum_col)
    field = next(f for f in _items(full, ast.FieldDecl) if f.path == "tables.function")
    assert field.span.line == lines.index(next(l for l in lines if "field tables.function" in l)) + 1
    assert field.span.end_line == field.span.line + 1
    assert field.columns[2].span.line == field.span.line + 1
    fun1 = _rule(full, "FUN-1")
    assert fun1.assertion.body.span.line == fun1.span.line + 1
    assert fun1.assertion.body.span.column == 5
    example = rule.examples[1]
    assert example.span.line == next(i for i, l in enumerate(lines, 1) if "example fail" in l)


def test_spans_do_not_affect_equality():
    a = parse_expression("a = b")
    b = parse_expression("\n\n   a   =   b")
    assert a == b and a.span != b.span


def test_comments_are_ignored():
    plain = parse("field a: amount\nrule R: a = 1")
    commented = parse("# header\nfield a: amount # trailing\n// slashes\nrule R: a = 1 // after")
    assert plain == commented


def test_cjk_aliases_and_rule_ids():
    f = parse('field 收入: amount\nrule 收入-1 "标题": 收入 = 1')
    rule = _items(f, ast.Rule)[0]
    assert rule.id == "收入-1"
    assert rule.assertion.left == ast.Name("收入")


def test_rule_ids_with_dots_and_dashes():
    f = parse("rule A-1.2_b { assert x }")
    assert _items(f, ast.Rule)[0].id == "A-1.2_b"


def test_title_clause_replaces_header_title():
    f = parse('rule R "header" {\n    title "clause" "english"\n    assert a\n}')
    rule = _items(f, ast.Rule)[0]
    assert (rule.title, rule.title_en) == ("clause", "english")


def test_parse_expression_rejects_a_whole_rule():
    with pytest.raises(RuleSyntaxError):
        parse_expression("rule R: a = b")


# ---- printing and parsing back -------------------------------------------------------------------------

def test_full_file_round_trips(full):
    printed = to_source(full)
    again = parse(printed)
    assert again == full
    assert to_source(again) == printed     # printing is a fixed point


@pytest.mark.parametrize("text", [
    "ruleset when",
    "ruleset r \"标题\"",
    "rule R {\n    tags when, in\n    assert a\n}",
    "field when.in: amount",
    'field a: table(when: amount, in "x": count 人 default -3)',
    "rule R: a within 5 人",
    'rule R { example pass {"when": 1, "a b": [1, -2 万元, "x", true, false, {c: 1}], x.y: 5%} assert a }',
    "rule R-1.2 \"t\" { }",
    "field a \"x\": amount default -0.5",
    "precision ％ 0.1",
    "rule R: (for each r in t: r.a = 1) and b",
    "rule R: for each r in t: for each s in children(r): s.a <= r.a",
    "rule R: a - (b - c) = a - b + c",
    "rule R: -(a + b) = --c",
    "rule R: (a = b) = (c = d)",
    "rule R: (a in {1}) in {true}",
    "rule R: if (if a then b) then c",
    "rule R: not (a or b) and (c or d)",
    "rule R: sum(x for x in a.* where x > 0) = t[\"1\"].`a b`",
    'rule R: a = "“quoted”" and b = “中文”',
    "rule R: {1, 2} = a",
])
def test_snippets_round_trip(text):
    tree = parse(text)
    assert parse(to_source(tree)) == tree


def test_round_trip_keeps_examples_distinct():
    a = parse("rule R { assert a\n example pass {a: 1} }")
    b = parse("rule R { assert a\n example pass {a: 2} }")
    assert a != b
    assert parse(to_source(a)) == a


def test_printer_quotes_keywords_and_odd_names():
    assert to_source(ast.Name("when")) == "`when`"
    assert to_source(ast.Name("收入 总额")) == "`收入 总额`"
    assert to_source(ast.Attribute(ast.Name("a"), "when")) == "a.when"
    assert to_source(ast.Number(D("0.10"), "万元")) == "0.10 万元"
    assert to_source(ast.Number(D("5"), "%")) == "5%"
    assert to_source(ast.String('a"b')) == '"a\\"b"'


@pytest.mark.parametrize("call", [
    ast.Call("收入", (ast.Name("收入预算总额"),)),        # read back as the one name 收入(收入预算总额)
    ast.Call("收入", (ast.Name("甲"), ast.Name("乙"))),
    ast.Call("f_1", (ast.Name("收入预算总额"),)),
])
def test_a_call_prints_as_a_call_whatever_its_name_ends_in(call):
    # A name ending in a Chinese character takes "(中文)" into itself (因公出国(境)费 is a label).
    assert parse_expression(to_source(call)) == call


def test_printer_quotes_exactly_what_is_not_a_plain_identifier():
    """printer._is_simple_name, written out, is the grammar's identifier pattern, CJK ranges included."""
    import re
    pattern = re.compile(r"[A-Za-z_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff][A-Za-z0-9_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]*")
    edges = ["", "a", "_", "9", "a9", "9a", "收入", "a收入_1", "\u3400", "\u33ff", "\u4dbf", "\u4dc0", "\u9fff", "\ua000",
             "\uf900", "\ufaff", "\ufb00", "é", "aé", "１", "ａ", "²", "a b", "a-b", "a.b", "\U00020000", "收\n"]
    for name in edges + [a + b for a in edges[:12] for b in edges[12:]]:
        assert printer._is_simple_name(name) == bool(pattern.fullmatch(name)), name


def test_node_reprs_are_those_attrs_would_generate():
    """The node classes share one __repr__ (attrs generates none for them: cheaper to define);
    it must print what attrs' own would, for every node of a bundled ruleset."""
    import attrs

    class Shown:  # a value already printed
        def __init__(self, text):
            self.text = text

        def __repr__(self):
            return self.text

    twins = {}

    def expected(value):
        cls = type(value)
        if attrs.has(cls) and getattr(ast, cls.__name__, None) is cls:
            if cls not in twins:  # the same fields, with the repr attrs generates
                twins[cls] = attrs.make_class(cls.__name__, {a.name: attrs.field(repr=a.repr) for a in attrs.fields(cls)},
                                              frozen=True)
            return repr(twins[cls](**{a.alias: Shown(expected(getattr(value, a.name))) for a in attrs.fields(cls)}))
        if isinstance(value, tuple):
            return "(" + ", ".join(expected(v) for v in value) + ("," if len(value) == 1 else "") + ")"
        return repr(value)

    checked = fiscalrules.load_ruleset("budget_disclosure").checked
    nodes = [node for rule in checked.rules for node in (rule, rule.span)] + list(checked.fields.values())
    assert len(twins) == 0 and len(nodes) > 300
    for node in nodes:
        assert repr(node) == expected(node)
    assert len(twins) >= 15

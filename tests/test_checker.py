"""fiscalrules.checker (and includes in fiscalrules.loader): every diagnostic E201–E217 (but E216) with its
position and did-you-mean, all problems reported at once (cases as data in
``cases/check_errors.yaml``), include cycles and includes that leave their folder."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import attrs
import pytest
import yaml

from fiscalrules import FiscalRulesError, RuleCheckError, RuleSyntaxError, ast, compile_rules, lint, load_ruleset

# libyaml's safe loader where PyYAML has it: the same data as yaml.safe_load, in a tenth of its
# CPU (every xdist worker loads the case files as it collects the modules)
DATA = yaml.load((Path(__file__).parent / "cases" / "check_errors.yaml").read_text(encoding="utf-8"),
                 Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
PRELUDE = DATA["prelude"]
CASES = DATA["cases"]


def _diagnostics(text: str, name: str = "case.rules"):
    with pytest.raises(RuleCheckError) as info:
        compile_rules(text, name=name)
    return info.value


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_check_error_case(case):
    text = (PRELUDE if case.get("prelude", True) else "") + case["text"]
    err = _diagnostics(text)
    got = err.diagnostics
    summary = "\n".join(d.format() for d in got)
    assert [d.code for d in got] == [e["code"] for e in case["expect"]], summary
    for diag, want in zip(got, case["expect"]):
        assert (diag.location.line, diag.location.column) == (want["line"], want["column"]), diag.format()
        assert diag.location.file == "case.rules"
        if "message" in want:
            assert want["message"] in diag.message, diag.format()
        if "hint" in want:
            assert diag.hint is not None and want["hint"] in diag.hint, diag.format()
        formatted = diag.format()
        assert formatted.startswith(f"case.rules:{want['line']}:{want['column']}: error {want['code']}")
        # a caret excerpt under the source line
        source_line = text.split("\n")[want["line"] - 1]
        excerpt = formatted.split("\n")[1:]
        assert excerpt and excerpt[0].strip() == source_line.strip()
        assert "^" in excerpt[1]


def test_names_the_user_wrote_are_shown_as_written_in_chinese():
    # "income", "other", "narrative" are also the reader's section words (收入预算, 其他部分 …):
    # a field, a file or a did-you-mean named so is still shown as the user wrote it
    zh = _diagnostics("rule R: other = narrative\nrule S: incme.total = 1", name="other").format("zh")
    assert "未知字段 other" in zh and "未知字段 narrative" in zh, zh
    assert "其他部分" not in zh and "收入预算说明" not in zh and "收支预算情况说明" not in zh
    assert "是不是 income" in zh or "未知字段 incme" in zh, zh
    bundled = _diagnostics("rule R: 事业收入 = 1").format("zh")
    assert '内置记录声明了此字段：请加上 include bundled "_budget_fields"' in bundled, bundled
    # a file that includes a bundled record already is told nothing of the other record's fields
    other = _diagnostics("include bundled \"_final_accounts_fields\"\nrule R: 财政拨款收入 = 1\nrule S: 本年收入合计 = 1")
    assert [d.message for d in other.diagnostics] == ["unknown field 财政拨款收入"]
    assert "include bundled" not in (other.diagnostics[0].hint or ""), other.format()


def test_every_check_code_is_covered_by_the_cases():
    codes = {e["code"] for c in CASES for e in c["expect"]}
    # E208 (include cycle) needs files: see test_include_cycle below
    assert {f"E2{n:02d}" for n in range(1, 16)} - {"E208"} <= codes


def test_check_error_is_a_library_error_with_every_diagnostic():
    err = _diagnostics(PRELUDE + "rule A: income.totl = 1\nrule B: summ(1) = 1")
    assert isinstance(err, FiscalRulesError)
    assert err.code == "E201"                     # the first, by position
    assert "2 problems" in err.message
    text = err.format()
    assert "E201" in text and "E202" in text
    assert text.count("^") >= 2


def test_many_mistakes_are_all_reported():
    case = next(c for c in CASES if c["name"].startswith("many mistakes"))
    err = _diagnostics(PRELUDE + case["text"])
    assert len(err.diagnostics) == len(case["expect"]) == 10
    positions = [(d.location.line, d.location.column) for d in err.diagnostics]
    assert positions == sorted(positions)


def test_one_mistake_is_reported_once():
    # the unknown field makes the comparison's type unknown; no second diagnostic follows from it
    err = _diagnostics(PRELUDE + "rule R: nosuch + income.total = staff.count")
    assert [d.code for d in err.diagnostics] == ["E201"]


def test_did_you_mean_offers_aliases_and_paths():
    err = _diagnostics(PRELUDE + "rule R: 在职人 = 1 人\nrule S: income.sourcs.a = 1")
    hints = [d.hint for d in err.diagnostics]
    assert hints[0] == "did you mean 在职人数?"
    assert err.diagnostics[1].code == "E201"


def test_money_versus_count_is_a_static_error_not_a_finding():
    with pytest.raises(RuleCheckError) as info:
        compile_rules("field money: amount\nfield people: count 人\nrule R: money = people")
    assert [d.code for d in info.value.diagnostics] == ["E204"]


@pytest.mark.parametrize("assertion", [
    "growth = 5",                       # a percentage against a plain number
    "growth = 5%",
    "income.total = 50",                # a bare number beside money is money
    "income.total = 500000 元",         # money in another unit
    "income.total / income.total = 1",  # money / money is a plain number
    "income.total * (growth / 100%) <= income.total",
    "staff.count <= 3 人",
    "staff.count * 2 = 4 人",
    "doc.level in {\"区级\", \"市级\"}",
    "doc.flag or not doc.flag",
    "doc.flag = true",
    "count(tables.function) >= 0",
    "for each r in tables.function where level(r) = 1: r.total = sum(children(r).total)",
    "for each r in tables.function: parent(r).total >= r.total",
    "sum(r.total for r in 功能表 where r.code in {\"201\"}) >= 0",
    "tables.function[\"208\"].total = tables.function[208].basic",
    "change(income.total) = sum(change(income.sources.*))",
    "pct(income.total) = change(income.total) / prior(income.total) * 100",
    "coalesce(income.total, 0) = 0",
    "present(income.total) and contains(doc.level, \"级\")",
    "round(growth, 1) = min(growth, max(growth, 1))",
    "abs(income.total - sum(income.sources.*)) <= 1",
    "for each x in income.sources.*: x >= 0",
])
def test_well_typed_rules_compile(assertion):
    rules = compile_rules(PRELUDE + f"rule R: {assertion}")
    assert [r.id for r in rules.rules] == ["R"]


def test_checker_resolves_names_to_fields():
    rules = compile_rules(PRELUDE + "rule R: 收入预算总额 = sum(income.sources.*) + 50")
    assertion = rules.checked.rules[0].assertion
    assert assertion.left == ast.FieldRef("income.total")
    assert assertion.right.left.args == (ast.Wildcard("income.sources"),)
    # a bare number beside money is money in the ruleset's default unit
    assert assertion.right.right == ast.Number(D(50), "万元")
    assert rules.checked.labels["收入预算总额"] == "income.total"
    assert rules.checked.default_unit == "万元"


def test_checker_resolves_rows_lookups_and_columns():
    rules = compile_rules(PRELUDE + 'rule R: for each r in 功能表: r.total >= 功能表["208"].basic')
    body = rules.checked.rules[0].assertion
    assert body.source == ast.TableRef("tables.function")
    assert body.body.left == ast.Column(ast.VarRef("r"), "total")
    assert body.body.right == ast.Column(ast.Lookup(ast.TableRef("tables.function"), ast.String("208")), "basic")


def test_row_placeholders_are_accepted_in_quantified_rules():
    rules = compile_rules(PRELUDE + 'rule R {\n    message "{r.name} {r.code} {row} {left}"\n'
                          '    assert for each r in tables.function: r.total = r.basic\n}')
    finding = rules.evaluate({"tables": {"function": [{"code": "201", "name": "一般", "total": "2",
                                                       "basic": "1"}]}}).findings[0]
    assert finding.message == "一般 201 201 2.00 万元"


def test_unknown_row_placeholder_is_refused():
    err = _diagnostics(PRELUDE + 'rule R {\n    message "{r.nme}"\n'
                       '    assert for each r in tables.function: r.total = r.basic\n}')
    assert [d.code for d in err.diagnostics] == ["E209"]


def test_nesting_too_deep_to_check_is_a_diagnostic():
    with pytest.raises((RuleCheckError, RuleSyntaxError)) as info:
        compile_rules(PRELUDE + "rule R: income.total = " + "-" * 400 + "1")
    assert info.value.code == "E106"


def test_duplicate_rule_still_has_its_own_mistakes_reported():
    err = _diagnostics(PRELUDE + "rule R: income.total = 1\nrule R: nosuch = 2")
    assert [d.code for d in err.diagnostics] == ["E206", "E201"]


# ---- includes -----------------------------------------------------------------------------------------

def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_include_is_read_relative_to_the_including_file(tmp_path):
    _write(tmp_path / "fields.rules", "unit 万元\nfield a: amount\nfield b: amount\n")
    main = _write(tmp_path / "main.rules", 'include "fields.rules"\nrule R: a = b\n')
    rules = load_ruleset(main)
    assert rules.evaluate({"a": "1", "b": "1"}).findings[0].status == "pass"
    assert len(rules.checked.files) == 2


def test_include_in_a_subfolder(tmp_path):
    _write(tmp_path / "sub" / "fields.rules", "field a: amount\n")
    main = _write(tmp_path / "main.rules", 'include "sub/fields.rules"\nrule R: a = 1\n')
    assert [r.id for r in load_ruleset(main).rules] == ["R"]


def test_diamond_includes_are_read_once(tmp_path):
    _write(tmp_path / "base.rules", "field a: amount\n")
    _write(tmp_path / "left.rules", 'include "base.rules"\nrule L: a >= 0\n')
    _write(tmp_path / "right.rules", 'include "base.rules"\nrule R: a <= 10\n')
    main = _write(tmp_path / "main.rules", 'include "left.rules"\ninclude "right.rules"\n')
    assert sorted(r.id for r in load_ruleset(main).rules) == ["L", "R"]


def test_include_cycle(tmp_path):
    _write(tmp_path / "a.rules", 'include "b.rules"\nfield x: amount\nrule A: x = 1\n')
    _write(tmp_path / "b.rules", 'field y: amount\ninclude "a.rules"\nrule B: y = 2\n')
    with pytest.raises(RuleCheckError) as info:
        load_ruleset(tmp_path / "a.rules")
    [diag] = info.value.diagnostics
    assert diag.code == "E208"
    assert diag.location.file.endswith("b.rules")
    assert (diag.location.line, diag.location.column) == (2, 1)
    assert "a.rules → b.rules → a.rules" in diag.message
    assert [d.code for d in lint([tmp_path / "a.rules"])] == ["E208"]


def test_self_include_is_a_cycle(tmp_path):
    main = _write(tmp_path / "self.rules", 'field x: amount\ninclude "self.rules"\nrule A: x = 1\n')
    with pytest.raises(RuleCheckError) as info:
        load_ruleset(main)
    assert [d.code for d in info.value.diagnostics] == ["E208"]


def test_include_leaving_the_folder(tmp_path):
    _write(tmp_path / "outside.rules", "field x: amount\n")
    inner = _write(tmp_path / "inner" / "main.rules", 'include "../outside.rules"\nrule A: x = 1\n')
    with pytest.raises(RuleCheckError) as info:
        load_ruleset(inner)
    codes = [d.code for d in info.value.diagnostics]
    assert codes[0] == "E211" and "leaves the folder" in info.value.diagnostics[0].message
    assert "E201" in codes    # x is then unknown, and that is reported too
    # the caller may allow it
    assert [r.id for r in load_ruleset(inner, allow_outside=True).rules] == ["A"]


def test_absolute_include_outside_is_refused(tmp_path):
    outside = _write(tmp_path / "elsewhere" / "x.rules", "field x: amount\n")
    inner = _write(tmp_path / "inner" / "main.rules", f'include "{outside.as_posix()}"\nrule A: x = 1\n')
    with pytest.raises(RuleCheckError) as info:
        load_ruleset(inner)
    assert info.value.diagnostics[0].code == "E211"


def test_missing_include(tmp_path):
    main = _write(tmp_path / "main.rules", 'field x: amount\ninclude "nope.rules"\nrule A: x = 1\n')
    with pytest.raises(RuleCheckError) as info:
        load_ruleset(main)
    [diag] = info.value.diagnostics
    assert diag.code == "E211" and "not found" in diag.message
    assert (diag.location.line, diag.location.column) == (2, 1)


def test_compile_rules_with_base_dir_resolves_includes(tmp_path):
    _write(tmp_path / "fields.rules", "field a: amount\n")
    rules = compile_rules('include "fields.rules"\nrule R: a = 1', name="inline.rules", base_dir=tmp_path)
    assert [r.id for r in rules.rules] == ["R"]


def test_syntax_error_in_an_included_file_names_that_file(tmp_path):
    _write(tmp_path / "broken.rules", "field a: amount\nrule R: a = (1\n")
    main = _write(tmp_path / "main.rules", 'include "broken.rules"\n')
    with pytest.raises(RuleSyntaxError) as info:
        load_ruleset(main)
    assert info.value.file.endswith("broken.rules") and info.value.line == 2


# ---- lint ---------------------------------------------------------------------------------------------

def test_lint_reports_everything_in_every_file(tmp_path):
    good = _write(tmp_path / "good.rules", "field a: amount\nrule R: a = 1\n")
    bad = _write(tmp_path / "bad.rules", PRELUDE + "rule A: income.totl = 1\nrule B: summ(income.total) = 1\n")
    broken = _write(tmp_path / "broken.rules", "field a: amount\nfeild b: amount\nrule S: a = (1\n"
                                               "rule T: nosuch = 1\n")
    assert lint([good]) == []
    diagnostics = lint([good, bad, broken, tmp_path / "missing.rules"])
    by_file = {}
    for d in diagnostics:
        by_file.setdefault(Path(d.location.file).name, []).append(d.code)
    assert by_file["bad.rules"] == ["E201", "E202"]
    # a syntax error does not hide the other problems of the file
    assert sorted(by_file["broken.rules"]) == sorted(["E102", "E201", "E103"])
    assert by_file["missing.rules"] == ["E500"]


def test_the_checkers_copying_gives_what_attrs_evolve_gives(monkeypatch):
    # The checker copies a node only when a part of it changed (fiscalrules.signatures.evolve,
    # with_args, and the resolvers' own copies by ast.make): every bundled ruleset and the demo
    # resolve to the same rules, spans included, as with a copy of every node by attrs.evolve
    # and every node made by its class's attrs __init__.
    import attrs
    from test_fastparse import _spans

    from fiscalrules import checker, signatures, typecheck
    from fiscalrules.loader import bundled_rulesets

    class ByConstructor:
        """ast.make's stand-in: every node made by its attrs __init__, every field by keyword."""

        def __getattr__(self, name):
            cls = getattr(ast, name)
            aliases = [a.alias for a in attrs.fields(cls)]
            return lambda *values: cls(**dict(zip(aliases, values, strict=True)))

    def copy_call(node, args):
        return attrs.evolve(node, args=tuple(args))

    monkeypatch.setenv("FISCALRULES_CACHE", "0")
    root = Path(__file__).resolve().parents[1]
    for name in [*sorted(bundled_rulesets()), str(root / "examples" / "demo.rules")]:
        shared = load_ruleset(name).checked
        with monkeypatch.context() as patch:
            patch.setattr(signatures, "evolve", attrs.evolve)
            patch.setattr(signatures, "with_args", copy_call)
            patch.setattr(signatures, "make", ByConstructor())
            patch.setattr(typecheck, "make", ByConstructor())
            patch.setattr(checker, "evolve", attrs.evolve)
            copied = load_ruleset(name).checked
        assert len(shared.rules) > 20
        assert shared.rules == copied.rules, name
        assert _spans(shared.rules, []) == _spans(copied.rules, []), name


def _resolved_in_place(source, checked, where: str) -> None:
    """*checked* is *source* resolved field by field: same span; a node of the same class keeps
    every plain field (an operator, a variable, a function name; a bare number's unit may only
    be filled in) and each of its parts is the resolved part of the same name, recursively."""
    if isinstance(source, tuple):
        assert isinstance(checked, tuple) and len(checked) == len(source), where
        for i, (a, b) in enumerate(zip(source, checked)):
            _resolved_in_place(a, b, f"{where}[{i}]")
        return
    if not attrs.has(type(source)):
        assert checked == source, where
        return
    assert checked._span == source._span, where
    if type(checked) is not type(source):  # a name or path resolved to a reference, at its place
        assert type(source) in (ast.Name, ast.Attribute, ast.Star, ast.Index), where
        return
    for field in attrs.fields(type(source)):
        if field.name == "_span":
            continue
        a, b = getattr(source, field.name), getattr(checked, field.name)
        if isinstance(source, ast.Number) and field.name == "unit" and a is None:
            continue  # a bare constant beside money reads as money (as_money)
        if isinstance(source, ast.Rule) and field.name not in ("when", "assertion"):
            assert a == b, f"{where}.{field.name}"
            continue
        _resolved_in_place(a, b, f"{where}.{field.name}")


def test_every_checked_node_is_its_source_resolved_field_by_field(monkeypatch):
    # The resolvers copy a node by ast.make, every field by position: a swapped field (a
    # quantifier's where and body, an implication's two sides, a span) shows here.
    from fiscalrules.loader import bundled_rulesets
    from fiscalrules.parser import parse
    monkeypatch.setenv("FISCALRULES_CACHE", "0")
    root = Path(__file__).resolve().parents[1]
    seen: set = set()
    for name in [*sorted(bundled_rulesets()), str(root / "examples" / "demo.rules")]:
        checked = load_ruleset(name).checked
        sources = {}
        for file in checked.files:
            path = Path(file) if Path(file).exists() else None
            text = path.read_text(encoding="utf-8") if path else None
            if text is None:
                continue
            for item in parse(text, file).items:
                if isinstance(item, ast.Rule):
                    sources[item.id] = item
        assert len(sources) >= len(checked.rules) > 20, name
        for rule in checked.rules:
            _resolved_in_place(sources[rule.id], rule, f"{name}:{rule.id}")
            seen.update(type(node).__name__ for node in _nodes(rule))
    # every resolver that copies a node was met
    assert {"Not", "And", "Or", "Implies", "ForEach", "Comprehension", "Member", "Call"} <= seen, seen


def _nodes(value):
    if attrs.has(type(value)):
        yield value
        for field in attrs.fields(type(value)):
            if field.name != "_span":
                yield from _nodes(getattr(value, field.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _nodes(item)


# ---- a field written name.attribute, resolved once per file (Checker._attributes) --------------

_SHADOWED = """
field f.a1: amount
field f.a2: amount
field t: table(code: text, a1: amount)
rule A: f.a1 = f.a2
rule B: for each f in t: f.a1 = 0
rule C: f.a1 = f.a2 + 1
"""


def test_a_field_mentioned_again_resolves_as_at_its_first_mention():
    from fiscalrules import parse
    from fiscalrules.checker import check
    rules = {r.id: r for r in check([parse(_SHADOWED, "s.rules")]).rules}
    a, c = rules["A"].assertion, rules["C"].assertion
    assert a.left == ast.FieldRef("f.a1") and c.left == ast.FieldRef("f.a1")
    assert c.right.left == ast.FieldRef("f.a2")
    # each reference keeps its own place
    assert (a.left.span.line, a.left.span.column) == (5, 9) and (c.left.span.line, c.left.span.column) == (7, 9)
    # a quantifier's variable of the same name is the row, not the remembered field
    body = rules["B"].assertion.body
    assert body.left == ast.Column(ast.VarRef("f"), "a1")


def test_an_unknown_attribute_is_reported_at_every_mention():
    err = _diagnostics(PRELUDE + "rule X: income.nope = 1\nrule Y: income.nope = 2\n")
    assert [d.code for d in err.diagnostics] == ["E201", "E201"]


def test_a_group_of_fields_is_reported_at_every_mention():
    """f.g names a group, not a field: each mention is an E201 (the memo keeps fields and tables
    only; a group remembered made the second mention an internal TypeError)."""
    err = _diagnostics("field f.g.x: amount\nfield f.g.y: amount\nrule A: f.g = 1\nrule B: f.g = 2\n")
    assert [d.code for d in err.diagnostics] == ["E201", "E201"]
    assert [d.location.line for d in err.diagnostics] == [3, 4]

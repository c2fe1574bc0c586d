"""Fitting the tools users live in: SARIF, the pytest plugin, command-line habits (--version,
--select/--ignore, folders, languages), building on the bundled rulesets, records that match no
field, and the bugs of issue 11 -- each test here failed before its fix."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules import cli
from fiscalrules.errors import RuleSyntaxError

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-2.1.0-rtm.5.json"


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


# ---- SARIF ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_validator():
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the test extra")
    return jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def _valid(validator, text: str) -> dict:
    data = json.loads(text)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    assert data["version"] == "2.1.0"
    return data


def test_audit_sarif_is_valid_and_points_at_the_printed_figures(capsys, sarif_validator):
    code, out, _ = run(capsys, "audit", EXAMPLES / "bureau_2025.txt", "--format", "sarif")
    assert code == 1
    run_ = _valid(sarif_validator, out)["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert len(rules) >= 100 and all(r["shortDescription"]["text"] and r["help"]["text"] for r in rules)
    failures = [r for r in run_["results"] if r["kind"] == "fail"]
    assert failures and all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in failures)
    located = failures[0]["locations"][0]["physicalLocation"]
    assert located["artifactLocation"]["uri"].endswith("bureau_2025.txt") and located["region"]["startLine"] > 0
    assert all({"left", "right", "difference", "tolerance"} <= set(r["properties"]) for r in failures
               if "difference" in r["properties"])


def test_check_sarif_marks_unchecked_rules_for_review_and_lint_sarif(capsys, sarif_validator):
    code, out, _ = run(capsys, "check", EXAMPLES / "demo.rules", "-r", EXAMPLES / "demo.record.json",
                       "--format", "sarif", "--lang", "en")
    data = _valid(sarif_validator, out)
    kinds = {r["kind"] for r in data["runs"][0]["results"]}
    assert "fail" in kinds and data["runs"][0]["language"] == "en-US"
    code, out, _ = run(capsys, "lint", EXAMPLES / "bad.rules", "--format", "sarif")
    assert code == 2
    lint_run = _valid(sarif_validator, out)["runs"][0]
    codes = {r["ruleId"] for r in lint_run["results"]}
    assert {"E201", "E202", "E204"} <= codes
    first = next(r for r in lint_run["results"] if r["ruleId"] == "E201")
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 25 and region["startColumn"] == 20
    assert "是不是 收入预算总额" in first["message"]["text"]


# ---- the pytest plugin -----------------------------------------------------------------------------

PLUGIN_RULES = '''
field a "甲": amount
field b: amount
field on: flag
rule R1 "甲等于乙" {
    when on
    assert 甲 = b
    example pass {a: 1, b: 1, on: true}
    example not applicable {a: 1, b: 2, on: false}
    example not evaluable {a: 1, on: true}
    example fail {a: 1, b: 2, on: true}
}
rule R2 "甲不超过乙": a <= b
'''


def test_pytest_collects_every_example_of_every_rule_file(pytester):
    pytester.makefile(".rules", checks=PLUGIN_RULES)
    pytester.makefile(".rules", _fields="field x: amount")   # a part others include: not collected
    result = pytester.runpytest("-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*checks.rules::R1#1-pass PASSED*", "*checks.rules::R1#2-not_applicable PASSED*",
                                 "*checks.rules::R1#3-not_evaluable PASSED*", "*checks.rules::R1#4-fail PASSED*"])


def test_pytest_reports_a_misbehaving_example_with_its_finding(pytester):
    pytester.makefile(".rules", checks=PLUGIN_RULES.replace("example fail {a: 1, b: 2, on: true}",
                                                            "example pass {a: 1, b: 2, on: false}"))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*rule R1 example 4 should pass, got not applicable*"])
    assert "Traceback" not in result.stdout.str()


def test_pytest_reports_a_rule_file_that_does_not_load(pytester):
    pytester.makefile(".rules", broken="field a: amount\nrule R: a = nosuch\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*load*", "*broken.rules:2:13: error E201: unknown field nosuch*",
                                 "*FAILED broken.rules::load*"])


# ---- command-line habits ---------------------------------------------------------------------------

def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"fiscalrules {fiscalrules.__version__}"


def test_help_in_chinese_and_english(capsys):
    with pytest.raises(SystemExit):
        cli.main(["check", "--help"])
    zh = capsys.readouterr().out
    assert "用法：" in zh and "输出格式" in zh and "show this help" not in zh
    with pytest.raises(SystemExit):
        cli.main(["check", "--help", "--lang", "en"])
    en = capsys.readouterr().out
    assert "usage:" in en and "output format" in en and "输出格式" not in en


def test_select_and_ignore_by_id_pattern_and_tag(capsys):
    demo = EXAMPLES / "demo.rules"
    record = EXAMPLES / "demo.record.json"
    _, out, _ = run(capsys, "check", demo, "-r", record, "--format", "json", "--select", "sangong,FUN-*",
                    "--ignore", "SG-1")
    rules = {f["rule"] for f in json.loads(out)["findings"]}
    assert rules and all(r.startswith(("FUN-", "SG-")) for r in rules) and "SG-1" not in rules
    tagged = {r.id for r in fiscalrules.load_ruleset(demo).rules if "sangong" in (r.rule.tags or ())}
    assert tagged - {"SG-1"} <= rules
    code, out, _ = run(capsys, "test", demo, "--select", "INC-1")
    assert code == 0 and out.strip().endswith("示例 2：通过 2，不通过 0")


def test_folders_as_arguments(capsys, tmp_path):
    rules = tmp_path / "rules"
    (rules / "more").mkdir(parents=True)
    (rules / "a.rules").write_text("field a: amount\nrule A: a = 1\n", encoding="utf-8")
    (rules / "more" / "b.rules").write_text("field a: amount\nrule B: a >= 0\n", encoding="utf-8")
    (rules / "_part.rules").write_text("this is not a rule file on its own", encoding="utf-8")
    records = tmp_path / "records"
    records.mkdir()
    (records / "one.json").write_text('{"a": "1"}', encoding="utf-8")
    (records / "two.yaml").write_text("a: '2'\n", encoding="utf-8")
    code, out, _ = run(capsys, "lint", rules)
    assert code == 0
    code, out, _ = run(capsys, "check", rules, "-r", records, "--format", "json")
    data = json.loads(out)
    assert code == 1 and {r["id"] for r in data["records"]} == {"one", "two"}
    assert {f["rule"] for f in data["findings"]} == {"A", "B"}
    code, out, _ = run(capsys, "audit", EXAMPLES, "--format", "json", "--fail-on", "never")
    documents = sorted(p.stem for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".pdf"))
    assert [r["id"] for r in json.loads(out)["records"]] == documents and "bureau_2025" in documents


def test_own_rules_build_on_the_bundled_ruleset(capsys, tmp_path):
    mine = tmp_path / "mine.rules"
    mine.write_text('include bundled "budget_disclosure"\n'
                    'rule MY-1 "因公出国（境）费不超过 5 万元" {\n  severity warning\n'
                    '  assert 因公出国（境）费 <= 5\n  example pass {three_public.overseas: 3}\n'
                    '  example fail {three_public.overseas: 8}\n}\n', encoding="utf-8")
    ruleset = fiscalrules.load_ruleset(mine)
    assert {"MY-1", "INC-001"} <= {r.id for r in ruleset.rules}
    assert all(r.ok for r in ruleset.run_examples() if r.rule == "MY-1")
    fields_only = tmp_path / "fields.rules"
    fields_only.write_text('include bundled "_budget_fields"\nunit 万元\nrule MY-2 "收入不为负": 收入预算总额 >= 0\n',
                           encoding="utf-8")
    assert [r.id for r in fiscalrules.load_ruleset(fields_only).rules] == ["MY-2"]
    code, out, _ = run(capsys, "audit", EXAMPLES / "bureau_2025.txt", "--ruleset", fields_only, "--with-bundled",
                       "--format", "json")
    rules = {f["rule"] for f in json.loads(out)["findings"]}
    assert "MY-2" in rules and "INC-001" in rules
    bad = tmp_path / "bad.rules"
    bad.write_text('include bundled "no_such_ruleset"\n', encoding="utf-8")
    with pytest.raises(fiscalrules.RuleCheckError, match="bundled: .*budget_disclosure"):
        fiscalrules.load_ruleset(bad)


# ---- records that match no field, runs that check nothing -------------------------------------------

def test_a_record_keyed_by_labels_is_reported_and_never_clean(capsys, tmp_path):
    record = tmp_path / "labels.json"
    record.write_text('{"收入预算总额": "10", "income": {"totl": "3"}}', encoding="utf-8")
    code, out, err = run(capsys, "check", EXAMPLES / "demo.rules", "-r", record)
    assert code == 2
    assert "没有发现问题" not in out and "没有核对任何规则" in out
    assert "收入预算总额、income.totl" in out and "字段的标签而不是字段路径（如 收入预算总额）" in out
    # the hint names the label as what is wrong, not as the way to key the record
    assert "记录应按路径给出，例如 收入预算总额" not in out
    assert "没有任何规则能够核对" in err
    code, out, _ = run(capsys, "check", EXAMPLES / "demo.rules", "-r", record, "--format", "json", "--lang", "en")
    info = json.loads(out)["records"][0]
    assert info["unknown_keys"] == ["收入预算总额", "income.totl"] and info["label_keys"] == ["收入预算总额"]
    assert info["nothing_checked"] is True


def test_a_streamed_run_that_checks_nothing_is_not_clean(capsys, tmp_path):
    record = tmp_path / "labels.jsonl"
    record.write_text('{"收入预算总额": "10"}\n{"foo": "1"}\n', encoding="utf-8")
    code, out, err = run(capsys, "check", EXAMPLES / "demo.rules", "-r", record, "--format", "jsonl")
    assert code == 2 and "2 条记录没有核对任何规则" in err
    good = tmp_path / "good.jsonl"
    good.write_text((EXAMPLES / "demo.record.json").read_text(encoding="utf-8").replace("\n", " ") + "\n",
                    encoding="utf-8")
    code, out, err = run(capsys, "check", EXAMPLES / "demo.rules", "-r", good, "--format", "jsonl")
    assert code == 1 and "没有核对任何规则" not in err


def test_a_misspelt_key_among_good_ones_is_named():
    rules = fiscalrules.compile_rules("field income.total: amount\nfield income.other: amount\n"
                                      "rule R: income.total >= income.other")
    report = rules.evaluate({"income": {"total": "10", "othr": "3"}})
    assert report.records[0].unknown_keys == ["income.othr"]
    assert "income.othr" in report.to_table() and report.nothing_checked() is True


# ---- the bugs of issue 11 ---------------------------------------------------------------------------

def test_yaml_records_carry_source_lines(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text('income:\n  total:\n    value: "10"\n    source: {line: 3, page: "2", document: x.txt}\n',
                    encoding="utf-8")
    figure = fiscalrules.load_records(path)[0].get("income.total")
    assert figure.source.line == 3 and figure.source.page == 2


def test_json_report_with_decimal_unread_lines_and_an_error_finding(capsys):
    code, out, err = run(capsys, "check", EXAMPLES / "demo.rules", "--record", EXAMPLES / "bureau_2025.record.json",
                         "--format", "json")
    data = json.loads(out)
    assert any(f["status"] == "error" for f in data["findings"])
    assert all(isinstance(n, int) for r in data["records"] for part in r["unread"] for n in part["lines"])


def test_passes_of_inequalities_are_not_worded_as_equalities():
    rules = fiscalrules.compile_rules('unit 万元\nfield a "甲": amount\nfield b "乙": amount\nrule R "不超过": 甲 <= 乙\n')
    finding = rules.evaluate({"a": "4.50", "b": "5"}).findings[0]
    assert finding.message == "不超过：成立（甲 4.50 万元 <= 乙 5.00 万元）"
    assert "一致" not in finding.message and "holds" in finding.text("en")


def test_examples_may_expect_not_applicable_and_not_evaluable():
    rules = fiscalrules.compile_rules(PLUGIN_RULES)
    results = rules.run_examples()
    assert [(r.expect, r.ok) for r in results] == [("pass", True), ("not_applicable", True),
                                                   ("not_evaluable", True), ("fail", True)]
    # the printed rule says it the same way, and reads back the same
    text = fiscalrules.printer.to_source(rules.checked.rules[0])
    assert "example not applicable {" in text and fiscalrules.parse(text).items[0].examples[1].expect == "not_applicable"


def test_lint_after_a_misspelt_keyword_keeps_the_items_around_it(tmp_path):
    path = tmp_path / "l.rules"
    path.write_text('field a "甲": amount\nfeild x: amount\nfield b: amount\nrule R: a = b\n'
                    'rule S {\n  assert a = b\n}\nfeild y: amount\nrule T: b = 1\n', encoding="utf-8")
    diagnostics = fiscalrules.lint([path])
    assert [(d.code, d.location.line) for d in diagnostics] == [("E103", 2), ("E103", 8)]
    assert all(d.hint == "did you mean field?" for d in diagnostics)


def test_labels_with_brackets_are_names():
    rules = fiscalrules.compile_rules('field a "因公出国（境）费": amount\nfield b: amount\n'
                                      'rule R: 因公出国（境）费 = b\nrule S: 因公出国(境)费 <= b\nrule T: abs（a） = b\n')
    assert [f.status for f in rules.evaluate({"a": "1", "b": "1"}).findings] == ["pass", "pass", "pass"]
    with pytest.raises(fiscalrules.RuleCheckError, match="unknown field 上年结转（结余）"):
        fiscalrules.compile_rules("field a: amount\nrule R: 上年结转（结余） = a")


def test_did_you_mean_for_a_function_in_capitals():
    with pytest.raises(fiscalrules.RuleCheckError) as info:
        fiscalrules.compile_rules("field a: amount\nrule R: SUM(a) = 1")
    assert info.value.diagnostics[0].hint == "did you mean sum?"


def test_documented_anchors_exist_and_every_function_is_documented():
    def slug(heading: str) -> str:  # GitHub's: lower case, punctuation dropped, spaces to hyphens
        text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
        return text.replace(" ", "-")

    docs = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md")}
    docs["README.md"] = (ROOT / "README.md").read_text(encoding="utf-8")
    anchors = {name: {slug(h) for h in re.findall(r"^#+ (.+)$", text, re.M)} for name, text in docs.items()}
    broken = []
    for name, text in docs.items():
        for target, anchor in re.findall(r"\]\(([\w./-]*?\.md)?#([^)\s]+)\)", text):
            page = Path(target).name if target else name
            if page in anchors and anchor not in anchors[page]:
                broken.append(f"{name}: {target}#{anchor}")
    assert broken == []
    from fiscalrules.signatures import FUNCTIONS
    language = docs["language.md"]
    assert [f for f in FUNCTIONS if f"`{f}(" not in language] == []


# ---- diagnostics in Chinese ---------------------------------------------------------------------------

def _messages_of_cases():
    import yaml
    cases = ROOT / "tests" / "cases"
    for name in ("syntax_errors.yaml", "check_errors.yaml"):
        for case in yaml.safe_load((cases / name).read_text(encoding="utf-8")):
            text = case.get("text") if isinstance(case, dict) else None
            if not isinstance(text, str):
                continue
            try:
                fiscalrules.compile_rules(text)
            except RuleSyntaxError as exc:
                yield from exc.diagnostics
            except fiscalrules.RuleCheckError as exc:
                yield from exc.diagnostics


def test_every_diagnostic_of_the_test_cases_reads_in_chinese():
    from fiscalrules.translations import to_zh
    untranslated = set()
    for d in _messages_of_cases():
        for text in (d.message, d.hint):
            if text and re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", to_zh(text)):
                untranslated.add(text)
    assert sorted(untranslated) == []


def test_chinese_output_has_no_english_reasons(capsys):
    _, out, _ = run(capsys, "audit", EXAMPLES / "bureau_2025.txt", "--show-passes")
    out = out.replace(str(EXAMPLES), "")        # the checkout's path may hold any word
    for english in ("precondition is false", "table given only", "missing:", "line 3", "narrative"):
        assert english not in out
    assert "第328行" in out and "表格只以“详见附表”" in out
    _, out, _ = run(capsys, "audit", EXAMPLES / "bureau_2025.txt", "--format", "json")
    messages = [f["message"] for f in json.loads(out)["findings"] if f["status"] == "not_applicable"]
    assert messages and all(("前提条件不成立" in m or "没有可核对的行" in m) for m in messages)
    assert not [m for m in messages if re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", m)]


def test_errors_in_chinese_and_in_english(capsys, tmp_path):
    path = tmp_path / "r.rules"
    path.write_text("field a: amount\nrule R1 \"甲\"： a = 1\n", encoding="utf-8")
    code, _, err = run(capsys, "check", path, "-r", EXAMPLES / "demo.record.json")
    assert code == 2 and "此处应为半角 ':'，而不是全角 '：'" in err
    code, _, err = run(capsys, "check", path, "-r", EXAMPLES / "demo.record.json", "--lang", "en")
    assert "full-width '：' where ':' belongs" in err


# ---- CSV for spreadsheets ------------------------------------------------------------------------------

def test_csv_keeps_printed_decimals_and_names_suspects():
    rules = fiscalrules.compile_rules('unit 万元\nfield t "合计": amount\nfield p.* : amount\n'
                                      'field q "另一合计": amount\n'
                                      'rule A: 合计 = sum(p.*)\nrule B: 合计 = 另一合计\nrule C: 另一合计 = sum(p.*)\n')
    report = rules.evaluate({"t": {"value": "8.60", "printed": "8.60"}, "p": {"x": "3.10", "y": "4.50"},
                             "q": "7.60"})
    text = report.to_csv()
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    header = lines[0].split(",")
    rows = {r.split(",")[1]: r.split(",") for r in lines[1:]}
    assert "t=8.60" in ",".join(rows["A"]) and rows["A"][6] == "8.60"
    suspects = header.index("suspects")
    assert rows["A"][suspects] == "t" and rows["B"][suspects] == "t"
    assert [s["path"] for s in report.suspects("record")] == ["t"]
    data = json.loads(report.to_json())
    assert data["records"][0]["suspects"][0]["value"] == "8.60"
    assert Decimal(data["records"][0]["suspects"][0]["value"]) == Decimal("8.6")

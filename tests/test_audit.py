"""Audits of the three shared real disclosures with the bundled ruleset.

Every expected failure below was verified by hand on the text (`cat -n`, line numbers are the
document's own), the arithmetic is written next to it, and it agrees with
tests/fixtures/hand_checks.md.  The audit must report exactly these failures -- a false failure is
a defect, and so is a real inconsistency missed -- and rounding-only differences must come out as
``pass_rounding``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fiscalrules import cli
from fiscalrules.loader import load_ruleset
from fiscalrules.records import load_record

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "disclosures"
DOC_000 = SHARED / "000_1f48ee58997ddf2f.txt"
DOC_002 = SHARED / "002_bc5043a6c84644f3.txt"
DOC_003 = SHARED / "003_5a2dd30d76d26ec5.txt"
DOCS = (DOC_000, DOC_002, DOC_003)

pytestmark = pytest.mark.skipif(not all(d.is_file() for d in DOCS), reason="shared disclosures not present")

YEAR_RULES = ("TXT-001", "TXT-002")

# ---- expected failures, checked by hand ----------------------------------------------------------
# Keys are (rule, item).  A table-row rule's item is the row's classification code; for the year
# rules (which iterate doc.years) the item is the line the year is printed on.

EXPECTED_FAILURES = {
    DOC_000.name: {
        # 收入预算总额 329.94 (l.126) vs 财政拨款收入 329.94 (l.128) + 上年结转（结余）53.09 (l.130) = 383.03
        ("INC-001", None): "error",
        # change of the income total +10.05 (l.128) vs +10.05 + 53.09 = +63.14
        ("INC-002", None): "error",
        # income total +10.05 vs expenditure total +12.11 (l.138): priors 319.89 vs 317.83
        ("INC-004", None): "error",
        # 支出预算总额 329.94 (l.136) vs 36.18 + 326.34 + 20.51 (l.140-144) = 383.03
        ("EXP-003", None): "error",
        # +12.11 (l.138) vs 1.22 + 61.31 + 0.61 = +63.14
        ("EXP-004", None): "error",
        # 财政拨款 329.94 (l.158) vs 基本 269.89 (l.166) + 项目 50 (l.172) = 319.89
        ("APR-001", None): "error",
        # +12.11 (l.160) vs −2.11 (l.168) + −10 (l.172) = −12.11
        ("APR-002", None): "error",
        # 329.94 vs 0 + 34.96 + 265.03 + 19.90 (l.176-184) = 319.89
        ("APR-003", None): "error",
        # +12.11 vs 0 + 0.65 − 13.10 + 0.33 = −12.12 (every class states its change)
        ("APR-004", None): "error",
        # 财政拨款收入 +10.05 (l.128) vs 财政拨款支出 +12.11 (l.160): priors 319.89 vs 317.83
        ("APR-013", None): "error",
        # 基本支出 商品和服务支出: 财政拨款 25.5 (l.170) > all funds 23.57 (l.152)
        ("CMP-006", "302"): "error",
        # 在职人数小计 11 (l.111) vs 行政 12 + 参公 0 + 全部补助 0 + 部分补助 0 (l.111-115) = 12
        ("HC-002", None): "error",
        # "2024 年政府采购总额 3 万元" (l.202) in the 2025 budget
        ("TXT-001", 202): "error",
    },
    DOC_002.name: {
        # +1447.59 (l.264) vs −271.62 + 1243.63 + 515.68 + 0 + 33.97 + 0 + 0 (l.294-308) = +1521.66
        ("EXP-006", None): "error",
        # 名词解释 "弥补 2021年收支差额" (l.482), budget year 2025
        ("TXT-001", 482): "error",
        # 实有 515 (l.95) vs 在职 515 + 离休 0 + 退休 142 (l.95-103) = 657 (662 with 遗属 5): warning,
        # templates differ on whether 实有 counts retirees, but this sentence lists them as its parts
        ("HC-004", None): "warning",
        # the one described project 250 (l.418) vs 项目支出 5137.42 (l.272): warning, descriptions may
        # cover only some projects
        ("PRJ-002", None): "warning",
        # "2025年医疗保险事业发展经费" 年度预算安排 250 (l.418) vs the performance table of
        # "2025年医疗保障事业发展工作经费" 年度资金总额 220 (l.195): names 0.88 alike, a warning
        ("PRF-014", "1"): "warning",
    },
    DOC_003.name: {
        # −57.24 (l.227) vs −56.71 − 1.88 + 1.01 + 0 + 0 (l.235) = −57.58
        ("EXP-006", None): "error",
        # 编制数 3 (l.63) vs 行政编制 3 + 下属公益一类事业编制 13 = 16
        ("HC-001", None): "error",
        # 名词解释 "指省级财政当年拨付的资金" (l.302); publisher 景德镇市珠山区医疗保障局 is 区级
        ("TXT-003", None): "error",
        # "社会保障和就业收入 18.01 万元" among the expenditure function classes, (二) l.231 and (三) l.241
        ("TXT-004", "208"): "warning",
        ("TXT-005", "208"): "warning",
        # the one described project 27 (l.283) vs 项目支出 67 (l.229): warning (the performance table's
        # other project, 40, is not described; 27 + 40 = 67)
        ("PRJ-002", None): "warning",
        # "…及在项目支出中使用。；其中：" (l.229) and "…及项目支出中使用。；其中：" (l.243): a full stop and
        # a semicolon together (document quality, read by the budget reader since it records the facts)
        ("QUA-001", "1"): "warning",
        ("QUA-001", "2"): "warning",
        # the contents (l.14-17) list 收支预算总表, 部门收入总表, 财政拨款收支总表, which the text does
        # not print (it starts at 单位支出总表, l.65): the nine national tables (review 20 C D14)
        ("QUA-010", "1"): "warning",
        ("QUA-010", "2"): "warning",
        ("QUA-010", "4"): "warning",
    },
}

# Differences that are rounding only: n printed terms may differ from their printed total by up to
# (n + 1) × 0.005.
EXPECTED_ROUNDING = {
    DOC_000.name: {
        ("EXP-007", None),   # 254.94 + 23.57 + 1.44 = 279.95 vs 基本支出 279.94 (l.148-154)
        ("PCT-001", None),   # 1.93 ÷ 25.50 × 100 = 7.5686 vs 下降 7.57% (l.196-198)
    },
    DOC_002.name: {
        ("EXP-005", None),   # 9478.18 + 5445.17 + 532.12 + 0 + 460.49 + 0 + 0 = 15915.96 vs 15915.97
        ("EXP-007", None),   # 9290.59 + 989.33 + 498.62 + 0 = 10778.54 vs 10778.55
        ("APR-003", None),   # 1294.99 + 11358.21 + 771.34 = 13424.54 vs 13424.55
        ("APR-007", None),   # 9290.59 + 989.33 + 493.62 + 0 = 10773.54 vs 10773.55
        ("PCT-001", None),   # 20.23 ÷ 969.10 × 100 = 2.0875 vs 增长 2.09% (l.354-356)
    },
    DOC_003.name: {
        ("EXP-003", None),   # 0 + 201.6 + 0 + 18.01 + 15.76 = 235.37 vs 235.38 (l.231-233)
        ("APR-003", None),   # the same in (三) (l.241)
        ("EXP-012", None),   # 0 − 52.91 − 0.22 − 4.12 = −57.25 vs −57.24 (教育支出 states no change)
        ("APR-015", None),   # the same in (三)
        ("PCT-001", None),   # 38.88 ÷ 46.82 × 100 = 83.0414 vs 减少 83.04% (l.257)
        ("TBL-004", None),   # 单位支出总表 18.01 + 201.60 + 15.76 = 235.37 vs 合计 235.38 (l.74)
        ("TBL-005", None),   # 基本支出 18.01 + 134.60 + 15.76 = 168.37 vs 168.38
        ("TBL-023", None),   # 一般公共预算支出表, the same (l.97)
        ("TBL-024", None),
        ("TBL-040", "301"),  # 52.37 + 36.20 + 12.38 + 16.00 + 18.01 + 7.32 + 15.76 + 1.04 = 159.08 vs 159.09
        ("TBL-041", "301"),  # the same in the 人员经费 column
    },
}

# What the reader could not read, with the line it is anchored at.
EXPECTED_UNREAD_LINES = {DOC_000.name: [118], DOC_002.name: [105], DOC_003.name: [14, 15, 17]}

# Not evaluable: 000 prints no all-funds 项目支出 (only 基本支出 279.94, l.148).
EXPECTED_NOT_EVALUABLE = {
    DOC_000.name: {("CMP-003", None), ("EXP-001", None), ("EXP-002", None)},
    DOC_002.name: set(),
    DOC_003.name: set(),
}


# ---- helpers --------------------------------------------------------------------------------------

def _year_line(finding: dict):
    for operand in finding["operands"]:
        if operand["path"].startswith("doc.years[") and operand.get("source"):
            return operand["source"].get("line")
    return finding["item"]


def _key(finding: dict):
    if finding["rule"] in YEAR_RULES:
        return (finding["rule"], _year_line(finding))
    return (finding["rule"], finding["item"])


def _record_id(path: Path) -> str:
    return path.stem


def audit_json(tmp_path, *documents, extra=()):
    out = tmp_path / "audit.json"
    code = cli.main(["audit", *map(str, documents), "--format", "json", "--no-progress", "-o", str(out), *extra])
    return code, json.loads(out.read_text(encoding="utf-8"))


def findings_of(report: dict, document: Path, status: str) -> dict:
    rid = _record_id(document)
    return {_key(f): f for f in report["findings"] if f["record"] == rid and f["status"] == status}


@pytest.fixture(scope="module")
def full_audit(tmp_path_factory):
    code, report = audit_json(tmp_path_factory.mktemp("audit"), *DOCS)
    return code, report


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


# ---- the shared documents ----------------------------------------------------------------------------

@pytest.mark.parametrize("document", DOCS, ids=lambda d: d.name[:3])
def test_exact_failures(full_audit, document):
    _, report = full_audit
    failing = findings_of(report, document, "fail")
    assert {k: f["severity"] for k, f in failing.items()} == EXPECTED_FAILURES[document.name]
    assert findings_of(report, document, "error") == {}


@pytest.mark.parametrize("document", DOCS, ids=lambda d: d.name[:3])
def test_rounding_is_not_failure(full_audit, document):
    _, report = full_audit
    rounding = findings_of(report, document, "pass_rounding")
    assert set(rounding) == EXPECTED_ROUNDING[document.name]
    for finding in rounding.values():
        assert abs(float(finding["difference"])) <= float(finding["tolerance"])


@pytest.mark.parametrize("document", DOCS, ids=lambda d: d.name[:3])
def test_not_evaluable(full_audit, document):
    _, report = full_audit
    assert set(findings_of(report, document, "not_evaluable")) == EXPECTED_NOT_EVALUABLE[document.name]


@pytest.mark.parametrize("document", DOCS, ids=lambda d: d.name[:3])
def test_failures_carry_their_figures_and_lines(full_audit, document):
    _, report = full_audit
    for key, finding in findings_of(report, document, "fail").items():
        assert finding["message"] and finding["message_en"], key
        operands = finding["operands"]
        assert operands, key
        lines = [o["source"]["line"] for o in operands if o.get("source", {}).get("line")]
        assert lines, f"{key}: no operand says where it was printed"
        for operand in operands:
            if operand["path"].endswith((".code", ".name")):
                continue   # row labels are plain text
            assert operand.get("source", {}).get("line"), f"{key}: {operand['path']} has no line"
            assert operand["source"]["document"] == document.name
        if finding["op"] == "=" and finding["left"] and "lo" in finding["left"]:
            assert abs(float(finding["difference"])) > float(finding["tolerance"]), key


def test_failure_evidence_000_income(full_audit):
    _, report = full_audit
    finding = findings_of(report, DOC_000, "fail")[("INC-001", None)]
    assert finding["left"]["value"] == "329.94" and finding["right"]["value"] == "383.03"
    assert finding["difference"] == "-53.09"
    by_path = {o["path"]: o for o in finding["operands"]}
    assert by_path["income.total"]["source"]["line"] == 126
    assert by_path["income.sources.appropriation"]["source"]["line"] == 128
    assert by_path["income.sources.carryover"]["source"]["line"] == 130
    assert "收入预算总额 329.94 万元" in finding["message"]


@pytest.mark.parametrize("document", DOCS, ids=lambda d: d.name[:3])
def test_unread_sections_are_reported(full_audit, document):
    _, report = full_audit
    info = next(r for r in report["records"] if r["id"] == _record_id(document))
    assert info["error"] is None
    assert [u["lines"][0] for u in info["unread"]] == EXPECTED_UNREAD_LINES[document.name]
    assert all(u["reason"] for u in info["unread"])
    assert report["summary"]["records"][_record_id(document)]["unread"] == len(EXPECTED_UNREAD_LINES[document.name])


def test_unread_sections_in_the_table_report(tmp_path, capsys):
    assert cli.main(["audit", str(DOC_003), "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "未读取的部分" in out
    assert "《部门收入总表》" in out


def test_exit_code_with_failures(full_audit):
    code, report = full_audit
    assert code == 1
    assert [r["id"] for r in report["records"]] == [_record_id(d) for d in DOCS]


@pytest.mark.parametrize("document", DOCS, ids=lambda d: d.name[:3])
def test_api_agrees_with_cli(ruleset, document):
    from fiscalrules.readers import read_disclosure
    report = ruleset.evaluate(read_disclosure(document))
    as_dicts = [{"rule": f.rule, "item": f.item, "status": f.status, "severity": f.severity,
                 "operands": [o.to_dict() for o in f.operands]} for f in report.findings]
    failing = {_key(f): f["severity"] for f in as_dicts if f["status"] == "fail"}
    assert failing == EXPECTED_FAILURES[document.name]
    assert {_key(f) for f in as_dicts if f["status"] == "pass_rounding"} == EXPECTED_ROUNDING[document.name]
    assert [u["lines"][0] for u in report.records[0].unread] == EXPECTED_UNREAD_LINES[document.name]


@pytest.mark.parametrize("document", DOCS, ids=lambda d: d.name[:3])
def test_every_path_the_reader_writes_is_declared(ruleset, document):
    """The contract between reader and ruleset: a path the reader writes but the ruleset does not
    declare would be silently ignored by every rule."""
    from fiscalrules.readers import read_disclosure
    record = load_record(read_disclosure(document))
    settings = ruleset.settings
    descriptive = (".title", ".unit", ".note")
    undeclared = []
    for path in record.figures:
        if path.startswith("tables.") and path.endswith(descriptive):
            continue
        if settings.decl_for(path) is None:
            undeclared.append(path)
    for path, table in record.tables.items():
        decl = ruleset.fields.get(path)
        if decl is None or decl.kind != "table":
            undeclared.append(path)
            continue
        columns = {c.name for c in decl.columns}
        for row in table.rows:
            undeclared.extend(f"{path}.{c}" for c in row.cells if c not in columns)
    assert sorted(set(undeclared)) == []


# ---- variants: one figure changed --------------------------------------------------------------------

def _variant(tmp_path, document: Path, old: str, new: str) -> Path:
    text = document.read_text(encoding="utf-8")
    assert old in text, old
    target = tmp_path / document.name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize("document, old, new, added", [
    # 002 l.252 其他收入 635.95 → 653.95: 13424.55 + 653.95 + 1855.47 = 15933.97 ≠ 15915.97
    (DOC_002, "其他收入 635.95万元", "其他收入 653.95万元", {("INC-001", None)}),
    # 002 l.326 财政拨款 基本支出 对个人和家庭的补助 493.62 → 503.62:
    # 9290.59 + 989.33 + 503.62 + 0 = 10783.54 ≠ 10773.55, and 503.62 > all-funds 498.62 (l.270)
    (DOC_002, "对个人和家庭的补助 493.62", "对个人和家庭的补助 503.62", {("APR-007", None), ("CMP-006", "303")}),
    # 000 l.288 公务接待费 5 → 6: "三公" 5 ≠ 0 + 6 + 0 + 0
    (DOC_000, "公务接待费 5 万元", "公务接待费 6 万元", {("TPF-001", None)}),
    # 003 l.257 下降幅度 83.04% → 80.34%: 38.88 ÷ (7.94 + 38.88) × 100 = 83.04
    (DOC_003, "减少83.04%", "减少80.34%", {("PCT-001", None)}),
    # 003 l.265 截至 2023 → 2022: must be the year before the budget year 2024
    (DOC_003, "截至2023年12月31日", "截至2022年12月31日", {("TXT-002", 265)}),
    # 003 l.82 (单位支出总表) 2101501 行政运行 127.28 → 127.82: parent 21015 194.28 ≠ 127.82 + 67.00,
    # 基本支出 127.28 ≠ 127.82
    (DOC_003, "2101501\t行政运行\t127.28\t127.28", "2101501\t行政运行\t127.82\t127.82",
     {("TBL-001", "21015"), ("TBL-002", "21015")}),
], ids=["002-income", "002-appropriation-303", "000-three-public", "003-percentage", "003-year", "003-table"])
def test_changed_figure_gives_the_expected_new_failure(tmp_path, document, old, new, added):
    variant = _variant(tmp_path, document, old, new)
    code, report = audit_json(tmp_path, variant)
    assert code == 1
    failing = {k: f["severity"] for k, f in findings_of(report, variant, "fail").items()}
    expected = dict(EXPECTED_FAILURES[document.name])
    expected.update({k: "error" for k in added})
    assert failing == expected


def test_fixing_the_errors_leaves_only_warnings(tmp_path):
    # 002 with its two errors corrected: 工资福利支出 change −271.62 → −345.69 makes the economic
    # changes add up (−345.69 + 1243.63 + 515.68 + 0 + 33.97 + 0 + 0 = 1447.59), and the glossary's
    # 2021 becomes 2025.  What remains are the three warnings.
    text = DOC_002.read_text(encoding="utf-8")
    text = text.replace("减少 271.62万元", "减少 345.69万元", 1).replace("弥补 2021年收支差额", "弥补 2025年收支差额", 1)
    fixed = tmp_path / DOC_002.name
    fixed.write_text(text, encoding="utf-8")
    code, report = audit_json(tmp_path, fixed)
    assert code == 0
    failing = {k: f["severity"] for k, f in findings_of(report, fixed, "fail").items()}
    assert failing == {("HC-004", None): "warning", ("PRJ-002", None): "warning", ("PRF-014", "1"): "warning"}
    code, _ = audit_json(tmp_path, fixed, extra=("--fail-on", "warning"))
    assert code == 1


# ---- unreadable input --------------------------------------------------------------------------------

def test_unreadable_document_exits_2_and_the_others_are_audited(tmp_path):
    bad = tmp_path / "not_a_budget.txt"
    bad.write_text("这不是预算公开文件。\n只是一段文字。\n", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\xff\xfe" * 50)
    missing = tmp_path / "missing.txt"
    code, report = audit_json(tmp_path, bad, DOC_002, binary, missing)
    assert code == 2
    records = {r["id"]: r for r in report["records"]}
    assert set(records) == {bad.name, _record_id(DOC_002), binary.name, missing.name}
    for name in (bad.name, binary.name, missing.name):
        assert records[name]["error"]
    assert records[_record_id(DOC_002)]["error"] is None
    failing = {k: f["severity"] for k, f in findings_of(report, DOC_002, "fail").items()}
    assert failing == EXPECTED_FAILURES[DOC_002.name]

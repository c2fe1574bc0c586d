"""JSON and JSON Lines keep each ``reason`` as the English phrase programs match on and give its
Chinese beside it (``reason_zh``), as ``message`` has ``message_en``: a Chinese auditor reading a
finding that was not evaluable, a part not read or a document that could not be read."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fiscalrules import compile_rules
from fiscalrules.reporters import render_json, render_jsonl

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture(scope="module")
def report():
    rules = compile_rules('field a "a": amount\nfield b "b": amount\nfield c "c": amount\n'
                          'field x "x": amount\nfield y "y": amount\nfield total "合计": amount\n'
                          'rule R1 "a" {\n when c > 10\n assert a = b\n}\nrule R2 "t": total = x + y\n')
    return rules.evaluate_many([{"_id": "r1", "a": "1", "b": "1", "c": "0"}, {"_id": "r2", "a": "1", "b": "2", "c": "1"}])


def test_each_json_finding_with_a_reason_has_its_chinese_beside_it(report):
    findings = json.loads(render_json(report))["findings"]
    with_reason = [f for f in findings if f["reason"]]
    assert with_reason, "the report has findings with a reason"
    for f in with_reason:
        keys = list(f)
        assert keys[keys.index("reason") + 1] == "reason_zh"
        assert _has_cjk(f["reason_zh"]) and not _has_cjk(f["reason"])
    assert {f["reason_zh"] for f in findings if f["reason"] == "precondition is false"} == {"前提条件不成立"}
    assert all("reason_zh" not in f for f in findings if not f["reason"])


def test_jsonl_lines_carry_the_same_chinese_reason(report):
    lines = [json.loads(line) for line in render_jsonl(report).splitlines()]
    assert any(line.get("reason_zh") == "前提条件不成立" for line in lines)


def test_audit_json_gives_unread_parts_and_read_errors_in_chinese_too(tmp_path):
    missing = tmp_path / "缺失.txt"
    run = subprocess.run([sys.executable, "-m", "fiscalrules", "audit", str(missing),
                          str(EXAMPLES / "bureau_2025.txt"), "--format", "json"],
                         capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 2, run.stderr
    records = {r["document"]: r for r in json.loads(run.stdout)["records"]}
    bad = records[str(missing)]
    assert "does not exist" in bad["error"] and "不存在" in bad["error_zh"]
    unread = records[str(EXAMPLES / "bureau_2025.txt")]["unread"]
    assert unread and all(_has_cjk(part["reason_zh"]) for part in unread)
    assert any(part["reason"].startswith("table given only as a reference") and part["reason_zh"].startswith("表格只以")
               for part in unread)
    jsonl = subprocess.run([sys.executable, "-m", "fiscalrules", "audit", str(missing), "--format", "jsonl"],
                           capture_output=True, text=True, encoding="utf-8")
    line = json.loads(jsonl.stdout.splitlines()[-1])
    assert line["status"] == "read_error" and "不存在" in line["reason_zh"]


def test_a_missing_figure_is_named_by_its_label_in_chinese_and_by_its_path_in_english():
    from fiscalrules.reporters import render_table
    rules = compile_rules('unit 万元\nfield operating.total "机关运行经费": amount\nfield other.total: amount\n'
                          'field t "功能表": table(code: text, total "合计": amount, basic "基本支出": amount)\n'
                          'rule C "增长不超过一成": pct(operating.total) <= 10%\n'
                          'rule P "上年数": prior(operating.total) >= 0\n'
                          'rule O "其他": other.total >= 0\n'
                          'rule K "科目": t["201"].basic >= 0\n')
    report = rules.evaluate({"operating": {"total": "5"}, "t": [{"code": "201", "total": "1"}]})
    said = {f.rule: f.message for f in report.findings}
    assert said == {"C": "增长不超过一成：无法核对，缺少 机关运行经费的增减率",
                    "P": "上年数：无法核对，缺少 机关运行经费的增减额或增减率",
                    "O": "其他：无法核对，缺少 other.total",          # (no label: its path)
                    "K": "科目：无法核对，缺少 功能表[201]的基本支出"}, said
    assert {f.rule: f.missing for f in report.findings}["K"] == ("t[201].basic",)   # (programs: paths)
    zh, en = render_table(report, lang="zh"), render_table(report, lang="en")
    assert "机关运行经费的增减额或增减率" in zh and "功能表[201]的基本支出" in zh, zh
    assert "operating.total (stated change or percentage)" in en and "t[201].basic" in en, en

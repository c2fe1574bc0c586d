"""The headcount printed as a table (review 20 C D7), on the team's fictional example.

The headcount as a table (部门基本情况表: 编制人数 {合计 行政编制 参照公务员法管理事业编制
  全额拨款事业编制} | 实有人数 {合计 在职 离休 退休}) instead of, or beside, the sentence: read into
  ``tables.staff``, added up (HC-010…013), compared with the sentence (HC-014) and counted in the
  coverage line.
"""

from __future__ import annotations

import pytest

from fiscalrules import load_ruleset
from test_reader_variants import CLEAN, read_and_audit

SENTENCE_START = "编制人数共计 52 人"
SENTENCE_END = "退休人数小计 8 人。"
HEADER = ("编制人数\t\t\t\t实有人数\t\t\t\n"
          "合计\t行政编制\t参照公务员法管理事业编制\t全额拨款事业编制\t合计\t在职\t离休\t退休\n")
ROW = "52\t20\t12\t20\t58\t50\t0\t8\n"


def _staff_table(row: str = ROW, header: str = HEADER) -> str:
    return "\n部门基本情况表\n\n" + header + row + "\n"


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


def _read(ruleset, tmp_path, text: str):
    return read_and_audit(ruleset, tmp_path, text, "counts.txt")


def _table_only(table: str) -> str:
    start, end = CLEAN.index(SENTENCE_START), CLEAN.index(SENTENCE_END) + len(SENTENCE_END)
    return CLEAN[:start] + "人员情况详见下表。\n" + table + CLEAN[end:]


def _with_table(table: str) -> str:
    end = CLEAN.index(SENTENCE_END) + len(SENTENCE_END)
    return CLEAN[:end] + "\n" + table + CLEAN[end:]


def test_a_staff_table_is_read_checked_and_counted(ruleset, tmp_path):
    record, failing, statuses = _read(ruleset, tmp_path, _table_only(_staff_table()))
    assert failing == set()
    staff = record["tables"]["staff"]
    figures = {f"{group}.{key}": cell["value"] for group, node in staff.items() if isinstance(node, dict)
               for key, cell in (node.items() if "value" not in node else [("", node)])}
    assert figures == {"authorized.total": "52", "authorized.administrative": "20",
                       "authorized.civil_servant_managed": "12", "authorized.fully_funded_institution": "20",
                       "actual.total": "58", "active.total": "50", "retired_cadre.": "0", "retired.": "8"}
    assert statuses["HC-010"] == "pass" and statuses["HC-013"] == "pass"
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"]["read"] == coverage["figures"]["printed"]
    assert coverage["lines"]["silent"] == 0


PLANTED = {
    # review 20 C's v4_headcount_table_bad: 编制 合计 53 for 20 + 12 + 20
    "authorized-total": (_table_only(_staff_table(ROW.replace("52", "53", 1))), {("HC-010", None)}),
    "actual-total": (_table_only(_staff_table(ROW.replace("58", "59", 1))), {("HC-013", None)}),
    # table and sentence both printed; the table consistent in itself (51 + 0 + 8 = 59), the sentence 50 / 58
    "against-the-sentence": (_with_table(_staff_table(ROW.replace("58\t50", "59\t51"))), {("HC-014", None)}),
}


@pytest.mark.parametrize("text, expected", PLANTED.values(), ids=PLANTED.keys())
def test_a_planted_staff_table_error_is_found(ruleset, tmp_path, text, expected):
    _, failing, _ = _read(ruleset, tmp_path, text)
    assert failing == expected


def test_the_sentence_and_an_agreeing_table_pass(ruleset, tmp_path):
    record, failing, statuses = _read(ruleset, tmp_path, _with_table(_staff_table()))
    assert failing == set() and statuses["HC-014"] == "pass"
    assert record["staff"]["authorized"]["total"]["value"] == "52"


def test_a_staff_table_with_a_column_not_understood_is_listed(ruleset, tmp_path):
    header = HEADER.replace("\t离休\t退休\n", "\t离休\t退休\t备注数\n")
    record, failing, _ = _read(ruleset, tmp_path, _table_only(_staff_table(ROW.replace("\t8\n", "\t8\t3\n"), header)))
    assert "staff" not in record.get("tables", {})
    assert any("staff table not read" in u["reason"] and "备注数" in u["reason"] for u in record["_meta"]["unread"])
    coverage = record["_meta"]["coverage"]
    assert coverage["lines"]["silent"] == 0 and coverage["lines"]["unread"] >= 1
    assert not {rule for rule, _ in failing if rule.startswith("HC-")}

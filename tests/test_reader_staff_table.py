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


def test_actual_headcount_by_post_is_the_actual_group(ruleset, tmp_path):
    """实有人数 {合计 | 行政编制 | 事业编制}: the category words name 编制, the group title above them
    实有 -- the columns are the actual headcount by post, not the authorised one (review 22 A1: a
    false HC-010 "52 ≠ 22 + 28")."""
    header = "编制人数\t实有人数\t\t\t离休\t退休\n合计\t合计\t行政编制\t事业编制\t\t\n"
    record, failing, _ = _read(ruleset, tmp_path, _table_only(_staff_table("52\t58\t22\t36\t0\t8\n", header)))
    staff = record["tables"]["staff"]
    assert staff["authorized"] == {"total": staff["authorized"]["total"]}
    assert {k: v["value"] for k, v in staff["actual"].items()} == {"total": "58", "administrative": "22",
                                                                  "institution": "36"}
    assert failing == set()


def test_a_staff_table_by_unit_lists_the_unit_rows(ruleset, tmp_path):
    """Read from its 合计 row; the units' rows listed as not read, not left silent (review 22 A5)."""
    header = "单位名称\t" + HEADER.replace("\n", "\n\t", 1)
    rows = "合计\t" + ROW + "本级\t" + ROW + "下属\t0\t0\t0\t0\t0\t0\t0\t0\n"
    record, failing, _ = _read(ruleset, tmp_path, _table_only(_staff_table(rows, header)))
    assert record["tables"]["staff"]["authorized"]["total"]["value"] == "52" and failing == set()
    listed = [u["reason"] for u in record["_meta"]["unread"] if "only the 合计 row" in u["reason"]]
    assert [reason.split(": ", 1)[1].split("\t", 1)[0] for reason in listed] == ["本级", "下属"]
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0


def test_a_cell_that_is_no_count_makes_the_staff_table_listed(ruleset, tmp_path):
    """A seven-digit 编制 合计 was dropped and the rest of its row read as if the cell were blank."""
    record, failing, _ = _read(ruleset, tmp_path, _table_only(_staff_table(ROW.replace("52", "5200000", 1))))
    assert "staff" not in record.get("tables", {})
    assert any("5200000 is no count of people" in u["reason"] for u in record["_meta"]["unread"])
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0
    assert not {rule for rule, _ in failing if rule.startswith("HC-01")}

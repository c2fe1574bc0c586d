"""The two files of one disclosure in one archive or folder -- its narrative and its tables -- read as
one without being told (fiscalrules/readers/complementary.py, ``audit``).

Before, ``audit bundle.zip`` audited a department's Word narrative and its workbook of tables as
two disclosures: the narrative without tables, the tables without narrative, half the rules not
evaluable and the cross checks between them never run; only ``--together`` joined them.  Two
departments' files, or two complete disclosures, in one folder must never be joined.  Joined, the
blind document's staff sentence showed a false HC-001: a count in brackets introduced by 含 is a
part of the count before it (readers/budget/headcount.py).
"""

from __future__ import annotations

import pytest
from published_forms import word_document
from record_figures import EXAMPLE
from test_input_archive import _zip   # (names written as Chinese Windows writes them)

import fiscalrules
from fiscalrules.cli import main
from fiscalrules.readers import read_document
from fiscalrules.readers.complementary import PartProfile, disclosure_groups

NAME = "青山县自然资源局"


def _halves(name: str = NAME) -> tuple[str, bytes]:
    """The text example (renamed *name*) cut before its 情况说明 (第三部分): the 概况 and tables
    as text, the narrative as a Word document."""
    text = EXAMPLE.read_text(encoding="utf-8").replace(NAME, name)
    cut = text.index("第三部分")
    return text[:cut], word_document(text[cut:])


def test_an_archive_of_a_narrative_and_its_tables_is_audited_as_one_disclosure(tmp_path, capsys):
    tables, narrative = _halves()
    bundle = tmp_path / "download.zip"
    bundle.write_bytes(_zip({"公开/预算表.txt": tables.encode("utf-8"), "公开/预算说明.docx": narrative}))
    assert main(["audit", "--no-progress", str(bundle)]) == 1
    out = capsys.readouterr().out
    # one record, named by both files, its header listing both paths: the whole example's 7 failures
    assert out.count("\n== ") + out.startswith("== ") == 1, out[:2000]
    assert "== 预算表+预算说明 (" in out and "预算表.txt" in out and "预算说明.docx" in out
    assert out.count("不一致 7") == 1


def test_a_folder_of_two_departments_halves_joins_each_department_s_own(tmp_path, capsys):
    for name, stem in ((NAME, "甲"), ("青山县林业局", "乙")):
        tables, narrative = _halves(name)
        (tmp_path / f"{stem}表.txt").write_text(tables, encoding="utf-8")
        (tmp_path / f"{stem}说明.docx").write_bytes(narrative)
    assert main(["audit", "--no-progress", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "== 甲表+甲说明 (" in out and "== 乙表+乙说明 (" in out
    assert out.count("不一致 7") == 2


def test_halves_of_two_departments_are_never_joined(tmp_path, capsys):
    tables, _ = _halves(NAME)
    _, narrative = _halves("青山县林业局")
    (tmp_path / "表.txt").write_text(tables, encoding="utf-8")
    (tmp_path / "说明.docx").write_bytes(narrative)
    main(["audit", "--no-progress", str(tmp_path)])
    out = capsys.readouterr().out
    assert not any("+" in line for line in out.splitlines() if line.startswith("== "))
    assert "== 表 (" in out and "== 说明 (" in out


def test_complete_disclosures_and_doubtful_parts_are_left_alone():
    def profile(narrative, tables, names=(), year="2025"):
        return PartProfile("budget_disclosure", year, narrative, tables, frozenset(names))
    # two complete disclosures: no part
    assert disclosure_groups([profile(True, True, ["甲局"]), profile(True, True, ["甲局"])]) == []
    # a narrative, and two workbooks whose tables were not told apart: which tables each holds cannot be told
    assert disclosure_groups([profile(True, False, ["甲局"]), profile(False, True), profile(False, True)]) == []
    # the one narrative and the one workbook naming none: joined; another year or template: not
    assert disclosure_groups([profile(True, False, ["甲局"]), profile(False, True)]) == [[0, 1]]
    assert disclosure_groups([profile(True, False, ["甲局"]), profile(False, True, year="2024")]) == []
    # names: one the end of the other ("农业农村局" in a title, "松源县农业农村局" on the cover)
    assert disclosure_groups([profile(True, False, ["松源县农业农村局"]), profile(False, True, ["农业农村局"])]) \
        == [[0, 1]]
    assert disclosure_groups([profile(True, False, ["松源县农业农村局"]), profile(False, True, ["松源县林业局"])]) == []


@pytest.mark.parametrize("opens", ["含", "其中：", "其中含", "内含", "包含", "包括"])
def test_a_count_in_brackets_introduced_by_han_is_a_part_of_the_count_before(opens):
    """"行政编制 32 人（含参照公务员法管理的事业编制 12 人）" -- readers/budget/headcount.py: the 12 are
    among the 32, not a category beside them (HC-001 failed: 32 + 12 + 20 ≠ 52)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "行政编制 20 人、参照公务" in text and "事业编制 12 人、全额" in text
    text = text.replace("行政编制 20 人、参照公务", f"行政编制 32 人（{opens}参照公务", 1)
    text = text.replace("事业编制 12 人、全额", "事业编制 12 人）、全额", 1)
    record = read_document(text, name="bureau.txt")
    authorized = record["staff"]["authorized"]
    assert authorized["administrative"]["value"] == "32" and "civil_servant_managed" not in authorized
    findings = fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
    assert [f.status for f in findings if f.rule == "HC-001"] == ["pass"]
    assert any("not a sibling category" in part["reason"] for part in record["_meta"]["unread"])

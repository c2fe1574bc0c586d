"""One disclosure published as a narrative and each of its tables in a file of its own, joined by
``audit`` without being told (fiscalrules/readers/complementary.py).

Many county portals publish a department's 部门预算 as a zip of a Word 公开说明 (its 第二部分 listing
附件1–9) and one workbook per table.  Before, ``audit`` joined two parts only (a narrative and one
file of tables): the ten files were audited as ten disclosures -- each table file failing QUA-010
for the eight tables it does not print, the narrative failing its 三公 checks against no table --
and a table whose title does not say 部门预算 was not even a candidate (unreadable alone).  Joined,
the narrative's 预算绩效 sentence showed a false PFT-001: "对部门整体支出和全部 N 个项目编制了绩效目标，
涉及…拨款 X 万元，其中项目支出 Y 万元" -- X is the whole department's funds, Y the projects'.
"""

from __future__ import annotations

import json
import re

import pytest
from published_forms import word_document
from record_figures import EXAMPLE
from test_input_archive import _zip   # (names written as Chinese Windows writes them)

import fiscalrules
from fiscalrules.cli import main
from fiscalrules.readers import open_document, read_document
from fiscalrules.readers.complementary import PartProfile, disclosure_groups, part_profile, printed_tables

openpyxl = pytest.importorskip("openpyxl", reason="openpyxl (the xlsx extra) writes and reads the workbooks")
from test_input_xlsx import workbook_of  # noqa: E402  (after the extra's check)

NAME = "青山县自然资源局"
TEXT = EXAMPLE.read_text(encoding="utf-8")
# The example's tables, each to a file of its own (their titles as the example prints them)
TITLES = ["一般公共预算支出表", "一般公共预算基本支出表", "财政拨款“三公”经费支出表", "政府性基金预算支出表"]
_PERFORMANCE = "部门整体支出绩效目标表"


def _parts(name: str = NAME, *, unit_line: bool = True) -> dict[str, bytes]:
    """The example (renamed *name*) as a portal's attachments: the narrative (with its 绩效目标
    tables) as a Word document listing 附件1–4, each standard table a workbook titled with its year
    (and, with *unit_line*, its 编制单位)."""
    text = TEXT.replace(NAME, name)
    part_two = text.index("第二部分")
    first, performance = text.index(TITLES[0] + "\n", part_two), text.index(_PERFORMANCE + "\n")
    listing = "".join(f"附件{n}：2025年{title}\n\n" for n, title in enumerate(TITLES[:-1], 1))
    listing += f"附件{len(TITLES)}：2025年{TITLES[-1]}（本部门无政府性基金预算收支，此表为空表）\n\n"
    # (its 第二部分: the heading, the sentence on the tables not published, the list of the 附件)
    intro = text[part_two:first]
    narrative = text[:part_two] + intro + "本部分其余各表以附件形式公开：\n\n" + listing + text[performance:]
    files = {f"公开/{name}2025年部门预算公开说明.docx": word_document(narrative)}
    tables = text[first:performance]
    starts = [tables.index(title + "\n") for title in TITLES] + [len(tables)]
    for n, (start, end) in enumerate(zip(starts, starts[1:]), 1):
        title, body = tables[start:end].split("\n", 1)
        body = re.sub(r" {2,}", "\t", body)   # (a table printed in aligned columns: a cell each)
        # (its unit on the 编制单位 line; the empty-table note under the table it speaks of)
        body = re.sub(r"^(?:填报单位：.*\n+)?单位：万元\n+", "", body.lstrip("\n"))
        body = re.sub(r"\n注：若为空表.*", "", body.strip("\n")) + ("\n注：本部门无政府性基金预算收支，此表为空表。"
                                                                  if n == len(TITLES) else "")
        head = f"2025年{title}\n" + (f"编制单位：{name}\t\t\t单位：万元\n" if unit_line else "单位：万元\n")
        files[f"公开/附件{n}：2025年{title}.xlsx"] = workbook_of(head + body + "\n")
    return files


def _failing(record: dict) -> set[str]:
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    return {f.rule for f in report.findings if f.status == "fail"}


def _headers(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("== ")]


@pytest.mark.parametrize("unit_line", [True, False], ids=["unit_named", "no_unit"])
def test_a_narrative_and_a_file_per_table_are_audited_as_one_disclosure(tmp_path, capsys, unit_line):
    # (table files naming no unit: joined all the same, the one narrative of their template and year)
    files = _parts(unit_line=unit_line)
    # (the 三公 table's file alone is no 部门预算: its title says none -- a part all the same)
    with pytest.raises(fiscalrules.FiscalRulesError):
        read_document(files["公开/附件3：2025年财政拨款“三公”经费支出表.xlsx"], name="附件3.xlsx")
    bundle = tmp_path / "download.zip"
    bundle.write_bytes(_zip(files))
    main(["audit", "--no-progress", "--format", "json", "-o", str(tmp_path / "out.json"), str(bundle)])
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    (rid, info), = report["summary"]["records"].items()
    assert sorted(rid.split("+")) == sorted([f"{NAME}2025年部门预算公开说明"] + [f"附件{n}：2025年{t}"
                                                                          for n, t in enumerate(TITLES, 1)])
    assert info["read_error"] is None
    failing = {f["rule"].split("[")[0] for f in report["findings"] if f["status"] == "fail"}
    assert failing == {rule.split("[")[0] for rule in _failing(read_document(TEXT.encode("utf-8"), name="whole.txt"))}
    assert "QUA-010" not in failing


def test_a_folder_of_two_departments_files_joins_each_narrative_its_own_tables(tmp_path, capsys):
    for name in (NAME, "青山县林业局"):
        for path, data in _parts(name).items():
            stem = path.split("/")[-1]
            (tmp_path / (stem if stem.startswith(name) else name + stem)).write_bytes(data)
    # a table file naming no unit: two narratives of that template and year -- joined to neither
    (tmp_path / "附件9：2025年部门收支预算总表.xlsx").write_bytes(
        workbook_of("2025年部门收支预算总表\n单位：万元\n收入\t\t支出\n项目\t预算数\t项目\t预算数\n"
                    "一、财政拨款收入\t1150.00\t一、自然资源海洋气象等支出\t1150.00\n"))
    main(["audit", "--no-progress", str(tmp_path)])
    headers = _headers(capsys.readouterr().out)
    joined = [line.split(" (")[0][3:].split("+") for line in headers if "+" in line]
    assert len(joined) == 2, headers
    for stems in joined:
        unit = stems[0][:stems[0].index("2025年")]
        assert len(stems) == 5 and all(stem.startswith(unit) for stem in stems), stems
    assert any("附件9：2025年部门收支预算总表" in line and "+" not in line for line in headers)


def test_a_table_printed_by_two_files_joins_nothing(tmp_path, capsys):
    files = _parts()
    for path, data in files.items():
        (tmp_path / path.split("/")[-1]).write_bytes(data)
    main(["audit", "--no-progress", str(tmp_path)])
    assert len(_headers(capsys.readouterr().out)) == 1
    (tmp_path / "附件5：2025年一般公共预算支出表（调整）.xlsx").write_bytes(files["公开/附件1：2025年一般公共预算支出表.xlsx"])
    main(["audit", "--no-progress", str(tmp_path)])
    headers = _headers(capsys.readouterr().out)
    assert not any("+" in line for line in headers) and len(headers) == 6


def _profile(narrative, printed=(), names=("甲局",), year="2025", tables=None):
    printed = frozenset(printed)
    return PartProfile("budget_disclosure", year, narrative, bool(printed) if tables is None else tables,
                       frozenset(names), printed)


def test_the_groups_one_narrative_and_the_files_of_its_tables():
    narrative = _profile(True)
    assert disclosure_groups([narrative, _profile(False, ["summary"]), _profile(False, ["income"], names=()),
                              _profile(False, ["expenditure"])]) == [[0, 1, 2, 3]]
    # another year, another unit: not its own
    assert disclosure_groups([narrative, _profile(False, ["summary"], year="2024"),
                              _profile(False, ["income"], names=["乙局"])]) == []
    # a table in two files, or files naming two units with a narrative naming none: a doubt
    assert disclosure_groups([narrative, _profile(False, ["summary"]), _profile(False, ["summary", "income"])]) == []
    assert disclosure_groups([_profile(True, names=()), _profile(False, ["summary"]),
                              _profile(False, ["income"], names=["乙局"])]) == []
    # files whose tables were not told apart: one alone joins, two are a doubt
    assert disclosure_groups([narrative, _profile(False, tables=True)]) == [[0, 1]]
    assert disclosure_groups([narrative, _profile(False, tables=True), _profile(False, tables=True)]) == []
    # two narratives: each takes its unit's files; one naming none joins neither
    other = _profile(True, names=["乙局"])
    assert disclosure_groups([narrative, other, _profile(False, ["summary"], names=["乙局"]),
                              _profile(False, ["summary"]), _profile(False, ["income"], names=())]) == [[0, 3], [1, 2]]


def test_a_narrative_listing_its_attachments_prints_no_table_and_a_table_file_names_its_unit():
    files = _parts()
    narrative = open_document(files[f"公开/{NAME}2025年部门预算公开说明.docx"], f"{NAME}.docx")
    assert printed_tables(narrative) == {"performance_overall", "performance_project"}
    profile = part_profile(narrative, read_document(files[f"公开/{NAME}2025年部门预算公开说明.docx"], name="n.docx"))
    assert profile.part == "narrative" and profile.names == {NAME}
    # (its 编制单位 line goes on with the unit of its figures: "编制单位：X  单位：万元")
    table = open_document(files["公开/附件3：2025年财政拨款“三公”经费支出表.xlsx"], "附件3.xlsx")
    profile = part_profile(table, None)
    assert (profile.part, profile.template, profile.year, profile.names, profile.printed) == \
        ("tables", "budget_disclosure", "2025", {NAME}, {"three_public"})


# The 预算绩效管理 sentence of the department as a whole and its projects (inserted before the 政府性基金 part)
_BEFORE = "（四）政府性基金情况"
_TARGETS = ("（九）预算绩效管理情况\n\n按照全面实施预算绩效管理的要求，本部门 2025 年对部门整体支出和全部 3 个项目编制了"
            "绩效目标，涉及财政拨款 1,150.00 万元，其中项目支出 270.00 万元。\n\n")


def test_the_funds_of_the_whole_department_s_targets_are_not_the_projects_funds():
    assert TEXT.count(_BEFORE) == 1
    record = read_document(TEXT.replace(_BEFORE, _TARGETS + _BEFORE).encode("utf-8"), name="targets.txt")
    targets = record["performance_targets"]
    assert (targets["projects"]["value"], targets["funds"]["value"]) == ("3", "270.00")
    assert any("1,150.00" in entry["reason"] and "as a whole" in entry["reason"] for entry in record["_meta"]["unread"])
    assert "PFT-001" not in _failing(record)
    # (without the whole department, the funds named are the projects')
    alone = _TARGETS.replace("部门整体支出和", "").replace("，其中项目支出 270.00 万元", "").replace("1,150.00", "270.00")
    record = read_document(TEXT.replace(_BEFORE, alone + _BEFORE).encode("utf-8"), name="targets.txt")
    assert record["performance_targets"]["funds"]["value"] == "270.00"
    # (nor where the whole department's targets are a clause of their own before the projects')
    apart = alone.replace("本部门 2025 年对全部", "本部门 2025 年编制了部门整体支出绩效目标，并对全部")
    record = read_document(TEXT.replace(_BEFORE, apart + _BEFORE).encode("utf-8"), name="targets.txt")
    assert record["performance_targets"]["funds"]["value"] == "270.00"


def test_a_performance_form_s_funds_printed_beside_its_name_are_read():
    """A Word form's row "项目名称 | X | 预算金额（万元） | 52.40": the name was "X预算金额(万元)52.40"
    and the project's funds unread (PRF-011, PRF-012 not evaluable)."""
    text = TEXT.replace("项目名称 国土空间规划编制项目", "项目名称\t国土空间规划编制项目\t预算金额（万元）\t72.00")
    text = text.replace("部门名称\t青山县自然资源局", "部门名称\t青山县自然资源局\t年度预算资金（万元）\t1,286.40")
    text = text.replace("收入预算合计\t1,286.40\t\t\n", "").replace("年度资金总额 72.00\n\n", "")
    assert text.count("预算金额（万元）") == 1 and text.count("年度预算资金") == 1 and "年度资金总额" not in text
    record = read_document(text.encode("utf-8"), name="forms.txt")
    project = record["performance"]["projects"][0]
    assert (project["name"], project["total"]["value"]) == ("国土空间规划编制项目", "72.00")
    overall = record["performance"]["overall"]
    assert (overall["department"], overall["income_total"]["value"]) == (NAME, "1286.40")


def test_a_narrative_s_list_of_its_attachments_is_no_empty_table():
    """"附件3：…“三公”经费支出表 / 附件4：…政府性基金预算支出表（本部门无…，此表为空表）": the note in
    brackets is 附件4's, which was no title -- 附件3 was read as a table printing it, an empty 三公 table
    the narrative's 三公 figures failed against (TPF-003)."""
    files = _parts()
    record = read_document(files[f"公开/{NAME}2025年部门预算公开说明.docx"], name="说明.docx")
    assert record["tables"]["three_public"] == {"title": "附件3:2025年财政拨款“三公”经费支出表"}
    assert "gov_fund" in record["tables"]
    assert not {"TPF-003", "TPF-004"} & _failing(record)

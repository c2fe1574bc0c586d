"""Other provinces' printings of the national tables, read by the template's structure.

Every variant is made from the team's fictional example (examples/bureau_2025.txt) with its four
planted errors corrected (``CLEAN``), then edited the way another region prints the same table:
a title in other words, a "续表" line or page footer inside a table, a negative in brackets …
A *correct* variant must read as the clean document does (the same coverage figures, no finding);
its *bad* twin plants one table error -- 2200101 行政运行 681.00 → 691.00 in the 一般公共预算支出表,
so 22001 is no longer the sum of its children -- which must be found (TBL-020/TBL-021[22001]).
Where a table cannot be read, it must still be counted and listed as unread, never dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fiscalrules import load_ruleset
from fiscalrules.readers import read_disclosure

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "bureau_2025.txt"
# The example's four planted errors (examples/README.md), corrected.
_FIXES = [("自然资源海洋气象等支出 1,046.40", "自然资源海洋气象等支出 1,036.40"),
          ("农林水支出 84.00", "农林水支出 48.00"), ("下降 4.85%", "下降 3.85%"),
          ("安排 12.50 万元", "安排 10.50 万元")]
GB_TITLE = "\n一般公共预算支出表\n"
BASIC_TITLE = "\n一般公共预算基本支出表\n"
PLANT = ("2200101\t行政运行\t681.00\t681.00", "2200101\t行政运行\t691.00\t691.00")
PLANTED = {("TBL-020", "22001"), ("TBL-021", "22001")}


def _clean() -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in _FIXES:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


CLEAN = _clean()


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


def _variant(edits) -> str:
    text = CLEAN
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def read_and_audit(ruleset, tmp_path, text: str, name: str = "variant.txt"):
    """*text* written to *tmp_path*/*name*, read and evaluated once: (record, the failing (rule, item)
    pairs, each rule's status -- the last of its findings'). The reader-variant tests of other files
    build their texts from CLEAN and audit them through this."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    record = read_disclosure(path)
    findings = ruleset.evaluate(record).findings
    failing = {(f.rule, f.item) for f in findings if f.status == "fail"}
    return record, failing, {f.rule: f.status for f in findings}


def _audit(ruleset, tmp_path, text: str, name: str = "variant.txt"):
    record, failing, _ = read_and_audit(ruleset, tmp_path, text, name)
    return record, record["_meta"]["coverage"], failing


def _figures(coverage) -> tuple[int, int, int]:
    lines = coverage["lines"]
    return coverage["figures"]["printed"], lines["with_amounts"], lines["silent"]


def _counts(coverage) -> dict:
    return {k: v for k, v in coverage.items() if k != "silent_lines"}


@pytest.fixture(scope="module")
def clean_reading(ruleset, tmp_path_factory):
    return _audit(ruleset, tmp_path_factory.mktemp("clean"), CLEAN)


def test_the_clean_document_has_no_finding(clean_reading):
    _, coverage, failing = clean_reading
    assert failing == set()
    # every amount read; "3 个乡镇" in the performance table's goal is a count, not an amount (C13)
    assert coverage["figures"]["read"] == coverage["figures"]["printed"] == 198
    assert coverage["lines"]["silent"] == 0


# Titles other provinces give tables 5 and 6 ("columns say so": 科目编码 … 基本支出 / 项目支出).
RENAMED = {
    "gb-by-function": [(GB_TITLE, "\n财政拨款支出预算表（按功能分类）\n")],
    "gb-appropriation": [(GB_TITLE, "\n财政拨款支出预算表\n")],
    "gb-benji": [(GB_TITLE, "\n一般公共预算本级财政拨款支出预算表\n")],
    "basic-appropriation": [(BASIC_TITLE, "\n财政拨款基本支出预算表\n")],
    # (session 35) "…情况表", with the year before it
    "gb-situation": [(GB_TITLE, "\n一般公共预算支出情况表\n")],
    "basic-situation": [(BASIC_TITLE, "\n2025年一般公共预算基本支出情况表\n")],
    # (session 35) table 5 headed "编码 | 名称 | 小计 | 基本支出 | 项目支出": its 小计 is its total
    # (before: a subtotal column, the rows without a total -- TBL-026 failed)
    "gb-subtotal-header": [("2025年预算数\t\t\n科目编码\t科目名称\t合计\t基本支出\t项目支出",
                            "2025年预算数\t\t\n编码\t名称\t小计\t基本支出\t项目支出")],
}


@pytest.mark.parametrize("edits", RENAMED.values(), ids=RENAMED.keys())
def test_a_renamed_table_reads_as_the_clean_one(ruleset, tmp_path, clean_reading, edits):
    record, coverage, failing = _audit(ruleset, tmp_path, _variant(edits))
    assert failing == set()
    assert coverage == clean_reading[1]
    assert record["tables"].keys() == clean_reading[0]["tables"].keys()


@pytest.mark.parametrize("edits", [RENAMED["gb-by-function"], RENAMED["gb-benji"]], ids=["by-function", "benji"])
def test_the_planted_error_is_found_under_a_renamed_title(ruleset, tmp_path, edits):
    _, _, failing = _audit(ruleset, tmp_path, _variant(edits + [PLANT]))
    assert failing == PLANTED


def test_a_basic_table_renamed_keeps_the_table_above_it(ruleset, tmp_path):
    # 30101 230 → 240 in the basic table (renamed): found there, the 一般公共预算支出表 above untouched
    edits = RENAMED["basic-appropriation"] + [("30101      基本工资                        230.00    230.00",
                                               "30101      基本工资                        240.00    240.00")]
    _, _, failing = _audit(ruleset, tmp_path, _variant(edits))
    assert failing == {("TBL-040", "301"), ("TBL-041", "301")}


def test_a_fund_table_paid_by_appropriation_is_not_table_5(ruleset, tmp_path):
    # "政府性基金财政拨款支出表" names 财政拨款 too: not the 一般公共预算 table
    from fiscalrules.readers.budget.sections import table_title_key
    assert table_title_key("政府性基金财政拨款支出表") != "general_budget"
    assert table_title_key("政府性基金预算财政拨款支出表") == "gov_fund"
    assert table_title_key("财政拨款支出预算表(按功能分类)") == "general_budget"


@pytest.mark.parametrize("title", ["部门支出预算明细表（按功能科目）", "基本支出预算表（按经济科目）"])
def test_a_table_under_an_unknown_title_is_counted_and_listed(ruleset, tmp_path, clean_reading, title):
    # Not read (an all-funds table may not be the 一般公共预算's), but never dropped: its rows
    # are in the coverage count, listed as unread, and the table above it keeps its rows.
    # ("部门支出预算表" itself is the 支出总表 as some regions title it: read as that since session 39.)
    old = GB_TITLE if title.startswith("部门") else BASIC_TITLE
    record, coverage, failing = _audit(ruleset, tmp_path, _variant([(old, f"\n{title}\n")]))
    assert _figures(coverage) == _figures(clean_reading[1])
    rows = 19 if title.startswith("部门") else 21
    assert coverage["lines"]["unread"] == rows
    shown = title.replace("（", "(").replace("）", ")")
    assert any(shown in u["reason"] and "does not know" in u["reason"] for u in record["_meta"]["unread"])
    # and the national table it may be is said to be missing or not recognised (QUA-010, a warning)
    assert failing == {("QUA-010", "5" if title.startswith("部门") else "6")}


def test_table_rows_without_any_title_are_counted_and_listed(ruleset, tmp_path, clean_reading):
    record, coverage, _ = _audit(ruleset, tmp_path, _variant([(GB_TITLE, "\n")]))
    assert _figures(coverage) == _figures(clean_reading[1])
    assert coverage["lines"]["unread"] == 19
    assert any("outside any table" in u["reason"] for u in record["_meta"]["unread"])


# ---- a table broken by page furniture (C2, C5) ----------------------------------------------------

BREAK_AFTER = "2130153\t农田建设\t48.00\t\t48.00\n"
HEADER = "科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
BROKEN = {
    "xubiao": "续表\n",
    "xubiao-shang": "（续上表）\n",
    "footer": "第 5 页\n共 12 页\n",
    "footer-one-line": "第 5 页 / 共 12 页\n",
    "number-xubiao-header": "\n5\n\n续表\n" + HEADER,
    "title-xubiao-header": "一般公共预算支出表（续表）\n单位：万元\n" + HEADER,
}


@pytest.mark.parametrize("inserted", BROKEN.values(), ids=BROKEN.keys())
def test_a_table_goes_on_across_page_furniture(ruleset, tmp_path, clean_reading, inserted):
    edits = [(BREAK_AFTER, BREAK_AFTER + inserted)]
    record, coverage, failing = _audit(ruleset, tmp_path, _variant(edits))
    assert failing == set()
    assert _counts(coverage) == _counts(clean_reading[1])      # (lines after the break moved down)
    assert record["_meta"]["unread"] == clean_reading[0]["_meta"]["unread"]
    _, _, failing = _audit(ruleset, tmp_path, _variant(edits + [PLANT]))
    assert failing == PLANTED


@pytest.fixture(scope="module")
def clean_pdf_reading(ruleset, tmp_path_factory):
    pdfmaker = pytest.importorskip("pdfmaker", reason="reportlab (test extra) is needed to make PDFs")
    pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
    folder = tmp_path_factory.mktemp("pdf")

    def audit_pdf(text: str, name: str):
        path = folder / name
        path.write_bytes(pdfmaker.text_to_pdf(text))
        record = read_disclosure(path)
        report = ruleset.evaluate(record)
        return record["_meta"]["coverage"], {(f.rule, f.item) for f in report.findings if f.status == "fail"}

    return audit_pdf, audit_pdf(CLEAN, "clean.pdf")


@pytest.mark.parametrize("inserted", [BROKEN["xubiao"], BROKEN["footer"]], ids=["xubiao", "footer"])
def test_a_pdf_table_goes_on_across_page_furniture(clean_pdf_reading, inserted):
    # The PDF path cut the table at the line: its 8 rows after it uncounted and TBL-023..025
    # (合计 1150.00 against 179.00) reported on a correct document.
    audit_pdf, (clean_coverage, clean_failing) = clean_pdf_reading
    edits = [(BREAK_AFTER, BREAK_AFTER + inserted)]
    coverage, failing = audit_pdf(_variant(edits), "broken.pdf")
    assert (_counts(coverage), failing) == (_counts(clean_coverage), clean_failing)
    _, failing = audit_pdf(_variant(edits + [PLANT]), "broken_bad.pdf")
    assert failing == clean_failing | PLANTED


# ---- the national 收支预算总表 (C7) ------------------------------------------------------------

SUMMARY = """收支预算总表

单位：万元

收入\t\t支出\t
项目\t预算数\t项目\t预算数
一、一般公共预算拨款收入\t1,150.00\t一、社会保障和就业支出\t96.00
二、政府性基金预算拨款收入\t\t二、卫生健康支出\t38.00
三、事业收入\t80.00\t三、农林水支出\t48.00
四、其他收入\t16.40\t四、自然资源海洋气象等支出\t1,036.40
\t\t五、住房保障支出\t68.00
本年收入合计\t1,246.40\t本年支出合计\t1,286.40
上年结转\t40.00\t结转下年\t
收入总计\t1,286.40\t支出总计\t1,286.40

"""


def test_the_national_summary_layout_reads_its_totals(ruleset, tmp_path):
    # 本年收入合计 1,246.40 + 上年结转 40.00 = 收入总计 1,286.40 (the narrative's income total):
    # the 总计 is the total, the 合计 its own figure -- not "the total" with the 总计 a duplicate.
    text = _variant([("第二部分  青山县自然资源局 2025 年部门预算表\n\n",
                      "第二部分  青山县自然资源局 2025 年部门预算表\n\n" + SUMMARY)])
    record, coverage, failing = _audit(ruleset, tmp_path, text)
    totals = record["tables"]["summary"]["income"]["totals"]
    assert (totals["amount"]["value"], totals["subtotal_amount"]["value"]) == ("1286.40", "1246.40")
    assert record["tables"]["summary"]["expenditure"]["totals"]["amount"]["value"] == "1286.40"
    assert failing == set()
    assert coverage["lines"]["silent"] == 0 and coverage["lines"]["unread"] == 0
    # a side with a 合计 line only has it for its total
    only = text.replace("上年结转\t40.00\t结转下年\t\n收入总计\t1,286.40\t支出总计\t1,286.40\n", "")
    record, _, _ = _audit(ruleset, tmp_path, only)
    assert record["tables"]["summary"]["income"]["totals"]["amount"]["value"] == "1246.40"


# ---- a negative in the accountant's notation (C12) -------------------------------------------------

ROW_2200106 = "2200106\t自然资源利用与保护\t150.00\t\t150.00\n"


@pytest.mark.parametrize("negative", ["-10.00", "(10.00)", "（10.00）", "−10.00"])
def test_a_negative_in_brackets_is_read_as_negative(ruleset, tmp_path, clean_reading, negative):
    # 2200106 raised by 10.00 and a row 2200199 of −10.00: every sum still holds.
    edits = [(ROW_2200106, "2200106\t自然资源利用与保护\t160.00\t\t160.00\n"
              f"2200199\t其他自然资源事务支出\t{negative}\t\t{negative}\n")]
    record, coverage, failing = _audit(ruleset, tmp_path, _variant(edits))
    assert failing == set()
    row = next(r for r in record["tables"]["general_budget"]["rows"] if r["code"] == "2200199")
    assert row["total"]["value"] == row["project"]["value"] == "-10.00"
    assert coverage["figures"]["printed"] == clean_reading[1]["figures"]["printed"] + 2
    assert coverage["lines"]["silent"] == clean_reading[1]["lines"]["silent"]
    _, _, failing = _audit(ruleset, tmp_path, _variant(edits + [PLANT]))
    assert failing == PLANTED


def test_an_enumerator_in_brackets_is_no_figure():
    from fiscalrules.readers.common.cells import CELL_NUMBER, cell_value
    assert not CELL_NUMBER.match("(1)") and not CELL_NUMBER.match("(一)")
    assert cell_value("(1,010.00)") == "-1010.00" and cell_value("1,010") == "1010"


# ---- a table's unit in a note, or none printed (C17) ------------------------------------------------

def _in_yuan(text: str, *, note: str | None) -> str:
    """The 一般公共预算支出表 printed in 元 (every figure × 10,000), its unit line taken away and
    *note* printed under the table."""
    start = text.index(GB_TITLE)
    end = text.index(BASIC_TITLE)
    table = text[start:end].replace("单位：万元\n", "\n")
    table = re.sub(r"(?<![\d.])(\d+)\.00(?!\d)", lambda m: f"{int(m.group(1)) * 10000:,}.00", table)
    if note:
        table = table.rstrip("\n") + f"\n{note}\n\n"
    return text[:start] + table + text[end:]


def test_a_unit_in_a_note_under_the_table_is_read(ruleset, tmp_path, clean_reading):
    text = _in_yuan(CLEAN, note="注：本表金额单位为元。")
    record, coverage, failing = _audit(ruleset, tmp_path, text)
    assert record["tables"]["general_budget"]["unit"] == "元"
    assert failing == set()
    assert _counts(coverage) == _counts(clean_reading[1])
    planted = _in_yuan(_variant([PLANT]), note="注：本表金额单位为元。")
    assert _audit(ruleset, tmp_path, planted)[2] == PLANTED


def test_a_table_without_a_unit_says_so(ruleset, tmp_path):
    record, _, _ = _audit(ruleset, tmp_path, _in_yuan(CLEAN, note=None))
    assert any("no unit printed" in u["reason"] and u["section"] == "一般公共预算支出表"
               for u in record["_meta"]["unread"])


# ---- a "三公" table without unit columns (C9) -----------------------------------------------------

THREE_PUBLIC = ("单位编码\t单位名称\t合计\t因公出国(境)费\t公务接待费\t公务用车购置及运行维护费\t\t\n"
                "\t\t\t\t\t小计\t公务用车运行维护费\t公务用车购置\n"
                "**\t**\t1\t2\t3\t4\t5\t6\n"
                "118001\t青山县自然资源局\t10.50\t0.00\t4.50\t6.00\t6.00\t0.00\n")


@pytest.mark.parametrize("reception, expected", [("4.50", set()), ("5.50", {("TPF-004", None), ("TPF-007", "1")})],
                         ids=["correct", "bad"])
def test_a_three_public_table_without_unit_columns(ruleset, tmp_path, reception, expected):
    # Guangdong's order, no 单位编码/单位名称: the header starts with 合计
    table = ("合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n"
             "\t\t小计\t公务用车购置费\t公务用车运行费\t\n"
             f"10.50\t0.00\t6.00\t0.00\t6.00\t{reception}\n")
    record, _, failing = _audit(ruleset, tmp_path, _variant([(THREE_PUBLIC, table)]))
    row = record["tables"]["three_public"]["rows"][0]
    assert (row["total"]["value"], row["reception"]["value"], row["vehicle_operation"]["value"]) \
        == ("10.50", reception, "6.00")
    assert failing == expected


# ---- last year's 三公 columns beside this year's (session 36) -------------------------------------
# "2024年预算数" over 合计 … | "2025年预算数" over 合计 …: the row was not understood (two 合计) and
# the table listed; now this year's group is the row and last year's ``prior_year``, each item the
# narrative gives a change of checked against it (CHG-009: 公务接待费 4.50, 比上年减少 0.50).

def _three_public_two_years(reception_prior: str) -> str:
    group = "合计\t因公出国(境)费\t公务接待费\t公务用车购置及运行维护费\t\t"
    parts = "\t\t小计\t公务用车运行维护费\t公务用车购置"
    return ("单位编码\t单位名称\t2024年预算数\t\t\t\t\t\t2025年预算数\t\t\t\t\t\n"
            f"\t\t{group}\t{group}\n"
            f"\t\t\t{parts}\t\t{parts}\n"
            f"118001\t青山县自然资源局\t{10.50 + float(reception_prior) - 4.50:.2f}\t0.00\t{reception_prior}\t6.00\t6.00\t0.00"
            "\t10.50\t0.00\t4.50\t6.00\t6.00\t0.00\n")


@pytest.mark.parametrize("reception_prior, expected", [("5.00", set()), ("5.50", {("CHG-009", "2")})],
                         ids=["correct", "bad"])
def test_a_three_public_table_with_last_years_columns(ruleset, tmp_path, clean_reading, reception_prior, expected):
    record, coverage, failing = _audit(ruleset, tmp_path, _variant([(THREE_PUBLIC, _three_public_two_years(reception_prior))]))
    table = record["tables"]["three_public"]
    assert [(r["total"]["value"], r["reception"]["value"]) for r in table["rows"]] == [("10.50", "4.50")]
    assert table["prior_year"]["reception"]["value"] == reception_prior
    assert coverage["figures"]["read"] == coverage["figures"]["printed"] == clean_reading[1]["figures"]["printed"] + 6
    assert coverage["lines"]["unread"] == coverage["lines"]["silent"] == 0
    assert failing == expected


# ---- last year's column of a coded table named by its year (session 36) ----------------------------
# "2024年预算数" beside "2025年预算数 合计 基本支出 项目支出": its figures were listed (19 lines),
# the vocabulary knowing "上年预算数" only; the column is the rows' ``prior``.

def test_last_years_column_named_by_its_year_is_read(ruleset, tmp_path, clean_reading):
    lines = CLEAN.split(GB_TITLE, 1)[1].split(BASIC_TITLE, 1)[0].split("\n")
    header_at = next(i for i, line in enumerate(lines) if line.startswith("支出功能分类科目"))
    edited = lines[:header_at] + ["支出功能分类科目\t\t2024年预算数\t2025年预算数\t\t", "科目编码\t科目名称\t\t合计\t基本支出\t项目支出"]
    for line in lines[header_at + 3:]:
        cells = line.split("\t")
        edited.append("\t".join(cells[:2] + cells[2:3] + cells[2:]) if len(cells) > 2 else line)
    text = CLEAN.replace(GB_TITLE + CLEAN.split(GB_TITLE, 1)[1].split(BASIC_TITLE, 1)[0], GB_TITLE + "\n".join(edited))
    record, coverage, failing = _audit(ruleset, tmp_path, text)
    rows = record["tables"]["general_budget"]["rows"]
    assert all(row["prior"]["value"] == row["total"]["value"] for row in rows) and len(rows) == 18
    assert coverage["figures"]["read"] == coverage["figures"]["printed"] == clean_reading[1]["figures"]["printed"] + 19
    assert coverage["lines"]["unread"] == 0 and failing == set()


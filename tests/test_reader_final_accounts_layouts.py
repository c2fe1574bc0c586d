"""决算 tables as other regions and the national 决算 software print them (review 19 C: R9, R2, R6,
R1, R3, R10), on fictional PDFs: the team's example 决算 without its planted errors, one layout
changed (tests/final_accounts_variants.py).

Each variant has a correct twin and a ``_bad`` twin with one planted error.  The correct twin must
read whole (every figure printed is read or listed, none dropped) and audit with no finding; the bad
twin must report the planted error and nothing the correct twin does not.
"""

from __future__ import annotations

import re

import pytest

import fiscalrules
from fiscalrules.readers import read_document

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")

import final_accounts_variants as fav  # noqa: E402  (tests/ is on the path under pytest)

CODED = ("支出决算表", "收入决算表", "一般公共预算财政拨款支出决算表")


def _bad_row(rows, code, column, value):
    return [[value if r[0] == code and i == column else c for i, c in enumerate(r)] for r in rows]


# ---- R9: the national software's 行次 / 栏次 columns -------------------------------------------------

def hangci(bad):
    def hook(title, header, widths, rows, options):
        if title in CODED:
            rows = [["栏次", ""] + [str(i) for i in range(1, len(widths) - 1)]] + rows
            if bad and title == "支出决算表":
                rows = _bad_row(rows, "2070109", 2, "136.00")
            return header, widths, rows, options
        if title == "收入支出决算总表":
            body = [[r[0], str(i + 1) if r[0] else "", r[1], r[2], str(i + 31) if r[2] else "", r[3]]
                    for i, r in enumerate(rows)]
            header = [("收入", 0, 2, 0, 0), ("支出", 3, 5, 0, 0), ("项目", 0, 0, 1, 1), ("行次", 1, 1, 1, 1),
                      ("决算数", 2, 2, 1, 1), ("项目", 3, 3, 1, 1), ("行次", 4, 4, 1, 1), ("决算数", 5, 5, 1, 1)]
            return header, [210, 40, 90, 210, 40, 90], body, dict(options, align=["l", "c", "r", "l", "c", "r"])
        return None
    return dict(table=hook)


# ---- R2: 预算数 | 决算数 | 完成率（%） ---------------------------------------------------------------

def _general_budget_table(make):
    """A layout hook that redraws only the 一般公共预算财政拨款支出决算表: *make(rows, options)* gives
    its (header, widths, body, options)."""
    def hook(title, header, widths, rows, options):
        return make(rows, options) if title == "一般公共预算财政拨款支出决算表" else None
    return dict(table=hook)


def _final(row, bad):
    """The row's 决算数, the planted slip on 群众文化 in a bad twin."""
    return "136.00" if bad and row[0] == "2070109" else row[2]


def rate_columns(bad):
    plan = fav.planned()

    def make(rows, options):
        body = [[r[0], r[1], fav.wan(plan[r[0]]), _final(r, bad), fav.pct(fav._cents(_final(r, bad)), plan[r[0]])]
                for r in rows]
        header = [("项目", 0, 1, 0, 0), ("科目编码", 0, 0, 1, 1), ("科目名称", 1, 1, 1, 1),
                  ("预算数", 2, 2, 0, 1), ("决算数", 3, 3, 0, 1), ("完成率（%）", 4, 4, 0, 1)]
        return header, [80, 260, 110, 110, 110], body, dict(options, header_lines=2, align=["l", "l", "r", "r", "r"])
    return _general_budget_table(make)


def budget_columns(bad):
    """年初预算数 | 调整预算数 | 决算数 {合计 基本支出 项目支出}: the budgets are read, not left silent."""
    plan = fav.planned()

    def make(rows, options):
        body = [[r[0], r[1], fav.wan(plan[r[0]]), fav.wan(plan[r[0]]), _final(r, bad), r[3], r[4]] for r in rows]
        header = [("项目", 0, 1, 0, 0), ("功能分类\n科目编码", 0, 0, 1, 2), ("科目名称", 1, 1, 1, 2),
                  ("年初预算数", 2, 2, 0, 2), ("调整预算数", 3, 3, 0, 2), ("决算数", 4, 6, 0, 0),
                  ("合计", 4, 4, 1, 2), ("基本支出", 5, 5, 1, 2), ("项目支出", 6, 6, 1, 2)]
        return header, [70, 200, 80, 80, 80, 80, 80], body, dict(options, align=["l", "l", "r", "r", "r", "r", "r"])
    return _general_budget_table(make)


# ---- R6: tables in 元 / 千元 --------------------------------------------------------------------------

def unit(factor, places, unit_line):
    def variant(bad):
        scale = fav.scaled(factor, places)

        def hook(title, header, widths, rows, options):
            if bad and title == "支出决算表":
                rows = _bad_row(rows, "2070109", 2, "162.00")
            return scale(title, header, widths, rows, options)
        return dict(table=hook, lines=[(r"^单位：万元$", unit_line)])
    return variant


# ---- R1: titles with a year, a department, a suffix, other national names ------------------------------

_SIX = r"^(收入支出决算总表|收入决算表|支出决算表|财政拨款收入支出决算总表|一般公共预算财政拨款支出决算表|一般公共预算财政拨款基本支出决算表)$"


def titled(rules):
    def variant(bad):
        def hook(title, header, widths, rows, options):
            name = re.sub(r"（[^）]*）$", "", title)
            if bad and name.endswith("支出决算表") and "财政拨款" not in name and not name.endswith("收入支出决算表"):
                return header, widths, _bad_row(rows, "2070109", 2, "162.00"), options
            return None
        return dict(titles=rules, table=hook)
    return variant


def three_public_gb(bad):
    def hook(title, header, widths, rows, options):
        if bad and "三公" in title:
            return header, widths, [["10.02" if i == 1 else c for i, c in enumerate(rows[0])]], options
        return None
    return dict(titles=[(r"^财政拨款“三公”经费支出决算表$", "一般公共预算财政拨款“三公”经费支出决算表")], table=hook)


# ---- R3: the 三公 table with its items as rows -----------------------------------------------------

def three_public_vertical(bad):
    def hook(title, header, widths, rows, options):
        if "三公" not in title:
            return None
        f = rows[0]
        names = ["合计", "1.因公出国（境）费", "2.公务用车购置及运行维护费", "其中：公务用车购置费", "公务用车运行维护费",
                 "3.公务接待费"]
        body = [[n, f[2 * i], f[2 * i + 1]] for i, n in enumerate(names)]
        if bad:
            body[5][2] = "2.60"
        header = [("项目", 0, 0, 0, 0), ("预算数", 1, 1, 0, 0), ("决算数", 2, 2, 0, 0)]
        return header, [300, 120, 120], body, dict(options, header_lines=1, align=["l", "r", "r"])
    return dict(table=hook)


# ---- R10: a prior-year column ("2023年决算数") ------------------------------------------------------

def prior_year_column(bad):
    def hook(title, header, widths, rows, options):
        if "三公" in title:
            header = [(t.replace("预算数", "2024年预算数").replace("决算数", "2024年决算数")
                       if t in ("预算数", "决算数") else t, *rest) for t, *rest in header]
            return header, widths, rows, options
        if title != "一般公共预算财政拨款支出决算表":
            return None
        body = []
        for r in rows:
            prior = fav.wan(fav._cents(r[2]) * 95 // 100) if r[2] else ""
            body.append([r[0], r[1], prior, "136.00" if bad and r[0] == "2070109" else r[2], r[3], r[4]])
        header = [("项目", 0, 1, 0, 0), ("功能分类\n科目编码", 0, 0, 1, 2), ("科目名称", 1, 1, 1, 2),
                  ("2023年决算数", 2, 2, 0, 2), ("2024年决算数", 3, 5, 0, 0), ("合计", 3, 3, 1, 2),
                  ("基本支出", 4, 4, 1, 2), ("项目支出", 5, 5, 1, 2)]
        return header, [80, 240, 100, 100, 100, 100], body, dict(options, align=["l", "l", "r", "r", "r", "r"])
    return dict(table=hook)


# ---- the 基本支出决算表 in one panel, each row split into 人员经费 / 公用经费 (session 37: listed whole) ----

def basic_in_columns(bad):
    def hook(title, header, widths, rows, options):
        if title != "一般公共预算财政拨款基本支出决算表":
            return None
        panels = [[r[:3] for r in rows if r[0] or r[1]], [r[3:] for r in rows if r[3] or r[4]]]
        totals = [next(r[2] for r in panel if "合计" in r[1]) for panel in panels]
        body = [["", "合计", fav.wan(sum(fav._cents(t) for t in totals)), *totals]]
        for side, panel in enumerate(panels):
            for code, name, amount in (r for r in panel if "合计" not in r[1]):
                split = [amount, ""] if side == 0 else ["", amount]
                if bad and code == "30101":
                    split[0] = "189.00"
                body.append([code, name, amount, *split])
        header = [("经济分类科目编码", 0, 0, 0, 1), ("科目名称", 1, 1, 0, 1), ("合计", 2, 2, 0, 1),
                  ("人员经费", 3, 3, 0, 1), ("公用经费", 4, 4, 0, 1)]
        return header, [90, 230, 90, 90, 90], body, dict(options, align=["l", "l", "r", "r", "r"])
    return dict(table=hook)


# ---- the 财政拨款收入支出决算总表 with one 决算数 column a side (session 37: its fund types read as 0) --------

def appropriation_one_column(bad):
    def hook(title, header, widths, rows, options):
        if title != "财政拨款收入支出决算总表":
            return None
        header = [("收入", 0, 1, 0, 0), ("支出", 2, 3, 0, 0), ("项目", 0, 0, 1, 1), ("决算数", 1, 1, 1, 1),
                  ("项目", 2, 2, 1, 1), ("决算数", 3, 3, 1, 1)]
        body = [[r[0], r[1], r[2], "955.00" if bad and r[2].startswith("七、") else r[3]] for r in rows]
        return header, [200, 80, 220, 80], body, dict(options, align=["l", "r", "l", "r"])
    return dict(table=hook)


# variant → (its build, the findings its bad twin must report)
VARIANTS = {
    "three_public_vertical": (three_public_vertical, {"TBL-040"}),
    "year_in_titles": (titled([(_SIX, r"2024年度\1")]), {"TBL-010[20701]", "TBL-012[2070109]"}),
    "department_in_titles": (titled([(_SIX, r"滨江市青石区文化旅游局\1")]), {"TBL-010[20701]", "TBL-012[2070109]"}),
    "classified_suffix": (titled([(r"^(一般公共预算财政拨款支出决算表)$", r"\1（按功能分类科目）"),
                                  (r"^(一般公共预算财政拨款基本支出决算表)$", r"\1（按经济分类科目）"),
                                  (r"^(支出决算表)$", r"\1（按功能分类科目）")]),
                          {"TBL-010[20701]", "TBL-012[2070109]"}),
    "state_capital_expenditure_title": (titled([(r"^国有资本经营预算财政拨款收入支出决算表$", "国有资本经营预算财政拨款支出决算表")]),
                                        {"TBL-010[20701]", "TBL-012[2070109]"}),
    "three_public_general_budget_title": (three_public_gb, {"TBL-040"}),
    "tables_in_yuan": (unit(10000, 2, "单位：元"), {"TBL-010[20701]", "TBL-012[2070109]"}),
    "tables_in_qian": (unit(10, 1, "单位：千元"), {"TBL-010[20701]", "TBL-012[2070109]"}),
    "yuan_on_the_compiler_line": (unit(10000, 2, "编制单位：滨江市青石区文化旅游局" + " " * 40 + "金额单位：元"),
                                  {"TBL-010[20701]", "TBL-012[2070109]"}),
    "budget_columns": (budget_columns, {"TBL-020[20701]", "TBL-022[2070109]"}),
    "rate_columns": (rate_columns, {"TBL-020[20701]"}),
    "prior_year_column": (prior_year_column, {"TBL-020[20701]"}),
    "hangci": (hangci, {"TBL-010[20701]", "TBL-012[2070109]"}),
    "basic_in_columns": (basic_in_columns, {"TBL-034[30101]"}),
    # (its fund types are not printed: BAL-014 / BAL-015 / BAL-019 / XT-006 / XT-007 failed on the correct
    # twin, the fund columns read as 0 -- now not applicable; the classes still add up, BAL-018)
    "appropriation_one_column": (appropriation_one_column, {"BAL-018"}),
}

_cache: dict = {}


def _audit(name: str, bad: bool):
    if (name, bad) not in _cache:
        record = read_document(fav.build(**VARIANTS[name][0](bad)), name=f"{name}{'_bad' if bad else ''}.pdf")
        report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
        failing = {f.rule + (f"[{f.item}]" if getattr(f, "item", None) else "")
                   for f in report.findings if f.status == "fail"}
        _cache[name, bad] = record, failing
    return _cache[name, bad]


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_the_correct_twin_reads_whole_and_audits_clean(name):
    record, failing = _audit(name, False)
    coverage = record["_meta"]["coverage"]
    assert failing == set(), failing
    assert coverage["figures"]["read"] == coverage["figures"]["printed"], coverage
    assert coverage["lines"]["silent"] == 0, coverage
    assert not record["_meta"]["unread"], record["_meta"]["unread"]


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_the_bad_twin_reports_its_planted_error(name):
    _, failing = _audit(name, True)
    assert VARIANTS[name][1] <= failing, failing


def test_the_basic_table_in_columns_is_read_split():
    """Each row's 合计 is its amount, its 人员经费 / 公用经费 columns its personnel / public, the 合计
    row the totals: the split table's rules (TBL-033, TBL-034) run on it."""
    record, _ = _audit("basic_in_columns", False)
    table = record["tables"]["general_budget_basic"]
    assert table["split"] is True and len(table["rows"]) == 20
    assert {k: v["value"] for k, v in table["totals"].items()} == {"total": "864.60", "personnel": "806.60", "public": "58.00"}
    first = table["rows"][0]
    assert (first["code"], first["amount"]["value"], first["personnel"]["value"], "public" in first) == ("301", "749.00", "749.00", False)


# the budget column beside the summary's 决算数, by line label (blank: no budget printed)
_SUMMARY_BUDGETS = {"一、一般公共预算财政拨款收入": "1,250.00", "七、文化旅游体育与传媒支出": "1,000.00",
                    "八、社会保障和就业支出": "130.00", "九、卫生健康支出": "42.00", "十九、住房保障支出": "78.00",
                    "本年收入合计": "1,250.00", "本年支出合计": "1,250.00", "年初结转和结余": "8.00",
                    "年末结转和结余": "8.00", "总计": "1,258.00"}


def _summary_with_budgets(bad: bool = False):
    """收入支出决算总表 printing "项目 | 年初预算数 | 决算数" on each side; 事业收入 (12.00) budgeted
    nothing, its budget cell blank.  *bad*: 社会保障和就业支出's budget 139.00 (the column sums to
    1,259.00 where its 本年支出合计 says 1,250.00)."""
    budgets = dict(_SUMMARY_BUDGETS, **({"八、社会保障和就业支出": "139.00"} if bad else {}))

    def hook(title, header, widths, rows, options):
        if title != "收入支出决算总表":
            return None
        header = [("收入", 0, 2, 0, 0), ("支出", 3, 5, 0, 0), ("项目", 0, 0, 1, 1), ("年初预算数", 1, 1, 1, 1),
                  ("决算数", 2, 2, 1, 1), ("项目", 3, 3, 1, 1), ("年初预算数", 4, 4, 1, 1), ("决算数", 5, 5, 1, 1)]
        body = [[r[0], budgets.get(r[0], "") if r[1] else "", r[1], r[2], budgets.get(r[2], "") if r[3] else "", r[3]]
                for r in rows]
        return header, [200, 70, 70, 200, 70, 70], body, dict(options, align=["l", "r", "r", "l", "r", "r"])
    return fav.build(table=hook)


def test_a_summary_with_a_budget_column_a_side_reads_each_figure_under_its_heading():
    """(Session 37) 收入支出决算总表 printing "项目 | 年初预算数 | 决算数" on each side: the right side's
    first figure was taken as the final one (4 lines silent: the budget beside it dropped unseen; a
    blank budget cell would have given the budget for the final); then each such line was listed,
    the table's 决算数 unchecked.  (Session 41) In a PDF each figure is read under its heading: the
    决算数 as in a table without budgets, the budgets as ``budget.…`` (a blank budget cell: none),
    and the budget column is checked as the final one is (BAL-035..038)."""
    record = read_document(_summary_with_budgets(), name="summary_budget_columns.pdf")
    coverage = record["_meta"]["coverage"]
    assert coverage["lines"]["silent"] == 0 and coverage["figures"]["read"] == coverage["figures"]["printed"], coverage
    assert not [u for u in record["_meta"]["unread"] if u["section"] == "收入支出决算总表"]
    summary = record["tables"]["summary"]
    value = lambda fig: fig["value"]  # noqa: E731
    assert (value(summary["income"]["general_budget"]), value(summary["income"]["business"]),
            value(summary["income_total"]), value(summary["income_grand_total"])) == ("1210.60", "12.00", "1222.60", "1230.60")
    assert {k: value(v) for k, v in summary["budget"]["income"].items()} == {"general_budget": "1250.00"}
    assert (value(summary["budget"]["income_total"]), value(summary["budget"]["opening_balance"]),
            value(summary["budget"]["expenditure_grand_total"])) == ("1250.00", "8.00", "1258.00")
    rows = {row["code"]: (value(row["amount"]), value(row["budget"])) for row in summary["expenditure"] if "amount" in row}
    assert rows == {"207": ("964.00", "1000.00"), "208": ("134.40", "130.00"), "210": ("40.20", "42.00"),
                    "221": ("78.00", "78.00")}
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    assert not [f.rule for f in report.findings if f.status == "fail"]
    checked = {f.rule for f in report.findings if f.status in ("pass", "pass_rounding")}
    assert {"BAL-001", "BAL-002", "BAL-004", "BAL-005", "BAL-035", "BAL-036", "BAL-037", "BAL-038"} <= checked
    # the planted error in the budget column: that column's sum fails, nothing else does
    bad = read_document(_summary_with_budgets(bad=True), name="summary_budget_columns_bad.pdf")
    failing = [f for f in fiscalrules.load_ruleset("final_accounts").evaluate(bad).findings if f.status == "fail"]
    assert [(f.rule, str(f.left.value), str(f.right.value)) for f in failing] == [("BAL-038", "1250.00", "1259.00")]


# The summary above as ``pdftotext -layout`` writes it (its own output, the document's name lines kept):
# every figure at its character offset, so each stands under its heading as in the PDF.
BUDGET_COLUMNS_LAYOUT = """滨江市青石区文化旅游局
2024年度部门决算
                                       收入支出决算总表
单位：万元
                   收入                                              支出
             项目         年初预算数         决算数                     项目        年初预算数         决算数
一、一般公共预算财政拨款收入             1,250.00     1,210.60 一、一般公共服务支出
二、政府性基金预算财政拨款收入                                 二、外交支出
三、国有资本经营预算财政拨款收入                                三、国防支出
四、上级补助收入                                        四、公共安全支出
五、事业收入                                      12.00 五、教育支出
六、经营收入                                          六、科学技术支出
七、附属单位上缴收入                                      七、文化旅游体育与传媒支出              1,000.00      964.00
八、其他收入                                          八、社会保障和就业支出                 130.00       134.40
                                                九、卫生健康支出                     42.00          40.20
                                                十、节能环保支出
                                                十一、城乡社区支出
                                                十二、农林水支出
                                                十三、交通运输支出
                                                十四、资源勘探工业信息等支出
                                                十五、商业服务业等支出
                                                十六、金融支出
                                                十七、援助其他地区支出
                                                十八、自然资源海洋气象等支出
                                                十九、住房保障支出                    78.00          78.00
                                                二十、粮油物资储备支出
                                                二十一、国有资本经营预算支出
                                                二十二、灾害防治及应急管理支出
                                                二十三、其他支出
本年收入合计                     1,250.00     1,222.60 本年支出合计                    1,250.00     1,216.60
使用非财政拨款结余                                       结余分配
年初结转和结余                       8.00          8.00 年末结转和结余                       8.00         14.00
总计                         1,258.00     1,230.60 总计                        1,258.00     1,230.60
注：本表反映部门本年度的总收支和年末结转结余情况。
"""


def test_a_summary_with_a_budget_column_laid_out_as_text_is_read_under_its_headings():
    """(Session 41) In text laid out in columns (``pdftotext -layout``: a character a column), the
    figures of a budgeted side end where the others under the same heading do: each is placed
    there as in the PDF -- 事业收入's 12.00 under 决算数 though its budget cell is blank."""
    record = read_document(BUDGET_COLUMNS_LAYOUT, name="summary_budget_columns.txt")
    assert record["_meta"]["coverage"]["lines"] == {"with_amounts": 9, "read": 9, "unread": 0, "silent": 0}
    summary = record["tables"]["summary"]
    assert summary["income"]["business"]["value"] == "12.00" and "business" not in summary["budget"]["income"]
    assert {key: value["value"] for key, value in summary["budget"].items() if key != "income"} == {
        "income_total": "1250.00", "opening_balance": "8.00", "income_grand_total": "1258.00",
        "expenditure_total": "1250.00", "closing_balance": "8.00", "expenditure_grand_total": "1258.00"}
    rows = {row["code"]: (row["amount"]["value"], row["budget"]["value"]) for row in summary["expenditure"] if "amount" in row}
    assert rows == {"207": ("964.00", "1000.00"), "208": ("134.40", "130.00"), "210": ("40.20", "42.00"),
                    "221": ("78.00", "78.00")}
    # shifted out of its columns (a figure moved four characters left), the side is listed again
    moved = BUDGET_COLUMNS_LAYOUT.replace("    1,222.60 本年支出合计", "1,222.60     本年支出合计")
    listed = [u for u in read_document(moved, name="moved.txt")["_meta"]["unread"] if u["section"] == "收入支出决算总表"]
    assert listed and all("a budget column stands beside" in u["reason"] for u in listed)


def test_a_summary_with_a_budget_column_as_text_is_listed_never_half_read(tmp_path):
    """The same table as text (no positions: a blank budget cell leaves no trace): each of its lines
    with figures on a budgeted side is listed, none read."""
    from pdfium_text import pdfium_text
    pdf = tmp_path / "summary_budget_columns.pdf"
    pdf.write_bytes(_summary_with_budgets())
    record = read_document(pdfium_text(pdf), name="summary_budget_columns.txt")
    listed = [u for u in record["_meta"]["unread"] if u["section"] == "收入支出决算总表"]
    assert listed and all("a budget column stands beside" in u["reason"] for u in listed)
    assert "budget" not in record["tables"].get("summary", {})
    assert record["_meta"]["coverage"]["lines"]["silent"] == 0


def test_a_fund_table_is_checked_against_the_appropriation_summary():
    """(Session 37) The 政府性基金 table printing a class the appropriation summary's fund column does
    not (0 there): no rule compared the two tables -- now its totals and classes are (XT-012 to XT-016,
    XT-017 to XT-021 for the 国有资本经营 table)."""
    def hook(title, header, widths, rows, options):
        if not title.startswith("政府性基金"):
            return None
        figures = ["10.00", "50.00", "55.00", "", "55.00", "5.00"]
        return header, widths, [["合计", "", *figures], ["229", "其他支出", *figures], ["22960", "彩票公益金安排的支出", *figures],
                                ["2296002", "用于社会福利的彩票公益金支出", *figures]], options
    record = read_document(fav.build(table=hook), name="gov_fund_printed.pdf")
    assert len(record["tables"]["gov_fund"]["rows"]) == 3
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    failing = {f.rule for f in report.findings if f.status == "fail"}
    assert {"XT-012", "XT-013", "XT-014", "XT-015", "XT-016"} <= failing, failing
    assert not {"XT-017", "XT-018", "XT-019", "XT-020", "XT-021"} & failing
    # the correct example: its empty fund tables leave the rules not applicable, never failing
    _, clean = _audit("hangci", False)
    assert not {f"XT-0{n}" for n in range(12, 22)} & clean


@pytest.mark.parametrize("total_line", [False, True])
def test_a_three_public_table_by_unit_reads_the_departments_line(total_line):
    """(Session 37) The 三公 table with 单位编码 | 单位名称 before the pairs, a line per unit (and the
    department's 合计): its lines were not all figures, so the whole table was listed (TBL-040..042,
    TPF-* against the table unchecked).  The 合计 line is read -- or the one unit's line where no 合计
    is printed; other units' lines are listed."""
    def hook(title, header, widths, rows, options):
        if "三公" not in title:
            return None
        header = [("单位编码", 0, 0, 0, 3), ("单位名称", 1, 1, 0, 3)] + [(t, c0 + 2, c1 + 2, r0, r1) for t, c0, c1, r0, r1 in header]
        body = ([["", "合计", *rows[0]]] if total_line else []) + [["118001", "滨江市青石区文化旅游局", *rows[0]]]
        return header, [60, 120] + [w * 0.8 for w in widths], body, dict(options, align=["l", "l"] + options["align"])
    record = read_document(fav.build(table=hook), name="three_public_units.pdf")
    plain = read_document(fav.build(), name="plain.pdf")
    values = {side: {k: v["value"] for k, v in record["tables"]["three_public"][side].items()} for side in ("budget", "final")}
    assert values == {side: {k: v["value"] for k, v in plain["tables"]["three_public"][side].items()} for side in ("budget", "final")}
    listed = [u["reason"] for u in record["_meta"]["unread"]]
    assert len(listed) == int(total_line) and all("a unit's line" in r for r in listed), listed
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    assert not [f.rule for f in report.findings if f.status == "fail"]


def test_a_prior_year_column_header_is_last_years_year():
    """R10: "2023年决算数" beside "2024年决算数" in a 2024 决算 is last year's column, checked by
    TXT-002 (the year before the accounts), never TXT-001's "write 2024"."""
    record = read_document(fav.build(**prior_year_column(False)), name="prior_year_column.pdf")
    years = {(y["year"]["value"], y["context"], y["expected"]) for y in record["doc"]["years"]
             if y["context"].startswith("table")}
    assert ("2023", "table_header_prior", "prior_year") in years
    assert ("2024", "table", "document_year") in years
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    verdicts = {f.rule: f.status for f in report.findings if f.rule in ("TXT-001", "TXT-002")}
    assert verdicts == {"TXT-001": "pass", "TXT-002": "pass"}


def test_figures_under_headers_not_known_are_listed_never_read_as_zeros():
    """R2: a coded table whose figure columns the reader cannot name is listed unread, row by row;
    its rows are never kept without figures (the rules would take them as 0.00)."""
    def hook(title, header, widths, rows, options):
        if title != "一般公共预算财政拨款支出决算表":
            return None
        renamed = {"合计": "本期金额", "基本支出": "其中：人员类", "项目支出": "其中：运转类"}
        return [(renamed.get(t, t), *rest) for t, *rest in header], widths, rows, options
    record = read_document(fav.build(table=hook), name="unknown_columns.pdf")
    assert "rows" not in record["tables"]["general_budget"]
    listed = [u for u in record["_meta"]["unread"] if u["section"] == "一般公共预算财政拨款支出决算表"]
    assert len(listed) == 21, listed          # 20 coded rows and 合计
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    assert not [f.rule for f in report.findings if f.status == "fail"]


def test_a_table_under_a_title_not_recognised_is_counted_and_listed():
    """R1: a table whose title the reader does not know is listed unread with its figures counted
    (never gone from the coverage line), and QUA-010 says the table was not found or not recognised."""
    # ("收入结构决算表": a 决算 table's title, no national name -- "收入决算明细表", which this test
    # used before session 49, is the national 收入决算表 as some regions name it)
    record = read_document(fav.build(titles=[(r"^收入决算表$", "收入结构决算表")]), name="other_title.pdf")
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"]["printed"] == 278 and coverage["lines"]["silent"] == 0, coverage
    assert coverage["lines"]["unread"] == 21, coverage     # the 收入结构决算表's 20 coded rows and 合计
    listed = [u for u in record["_meta"]["unread"] if u["reason"].startswith("a table under a title not recognised")]
    assert [u["section"] for u in listed] == ["收入结构决算表"]
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    missing = [f for f in report.findings if f.rule == "QUA-010" and f.status == "fail"]
    assert [f.item for f in missing] == ["2"]
    assert missing[0].message.endswith("模板要求的“收入决算表”应当印出（未找到时也可能是未能识别）")


def test_a_three_public_table_by_rows_with_a_row_not_known_is_listed():
    """R3: a row of the 三公 table (items as rows) that names no item: the table is listed, never
    read in part."""
    def hook(title, header, widths, rows, options):
        changed = three_public_vertical(False)["table"](title, header, widths, rows, options)
        if changed is not None:
            header, widths, body, options = changed
            body[1][0] = "1.其他费用"
            return header, widths, body, options
        return None
    record = read_document(fav.build(table=hook), name="three_public_unknown_row.pdf")
    assert "final" not in record["tables"]["three_public"]
    listed = [u for u in record["_meta"]["unread"] if u["reason"].startswith("三公 table (items as rows)")]
    assert len(listed) == 6

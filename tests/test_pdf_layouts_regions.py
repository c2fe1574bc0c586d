"""Two small tables printed side by side on one page (review 19 C, R8): the 政府性基金 and
国有资本经营 决算 tables, each at half width, as county 决算 print them where both are empty. Each
side is read as a region of its own (left, then right), so both tables are found and their
figures checked; an ordinary wide table, whose column gaps run from its header to its last row
too, is never split. All PDFs are fictional, made here from the example 决算
(tests/final_accounts_variants.py)."""

from __future__ import annotations

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")

import final_accounts_variants as fav  # noqa: E402  (tests/ is on the path under pytest)
from pdfmaker import pdf_bytes  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.inputs.pdf import read_pdf  # noqa: E402
from fiscalrules.readers import read_document  # noqa: E402

FUND = "政府性基金预算财政拨款收入支出决算表"
CAPITAL = "国有资本经营预算财政拨款收入支出决算表"
SCALE = 0.48


def _fund_rows(title, header, widths, rows, options):
    """The bad twin's slip: the 政府性基金 table carries rows of 20.00 while the narrative says
    there is no such income or expenditure."""
    if title != FUND:
        return None
    row = ["", "", "", "20.00", "20.00", "", "20.00", ""]
    rows = [["合计"] + row[1:]] + [[code, name] + row[2:] for code, name in (
        ("212", "城乡社区支出"), ("21208", "国有土地使用权出让收入安排的支出"), ("2120801", "征地和拆迁补偿支出"))]
    return header, widths, rows, options


def _side_by_side(bad: bool, ruled: bool) -> bytes:
    """The example 决算 with the pages of the two fund tables drawn side by side on one page,
    each scaled to a little under half the width."""
    make_examples = fav._modules()[0]
    original = make_examples.render

    def scaled(items, dx):
        out = []
        for item in items:
            if item[0] == "text":
                out.append(("text", item[1] * SCALE + dx, item[2] * SCALE + 30, item[3], item[4] * SCALE))
            elif item[0] == "hrule" and ruled:
                out.append(("hrule", item[1] * SCALE + 30, item[2] * SCALE + dx, item[3] * SCALE + dx))
            elif item[0] == "vrule" and ruled:
                out.append(("vrule", item[1] * SCALE + dx, item[2] * SCALE + 30, item[3] * SCALE + 30))
        return out

    def render(pages, size=(make_examples.WIDTH, make_examples.HEIGHT), encrypt=None):
        def holding(title):
            return next(k for k, page in enumerate(pages) if any(i[0] == "text" and i[3] == title for i in page))
        left, right = holding(FUND), holding(CAPITAL)
        both = scaled(pages[left], 10) + scaled(pages[right], size[0] / 2 + 10)
        pages = [both if k == left else page for k, page in enumerate(pages) if k != right]
        return original(pages, size, encrypt)

    make_examples.render = render
    try:
        return fav.build(table=_fund_rows if bad else None)
    finally:
        make_examples.render = original


_audits: dict = {}


def _audit(bad: bool, ruled: bool):
    if (bad, ruled) not in _audits:
        record = read_document(_side_by_side(bad, ruled), name="side_by_side.pdf")
        report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
        _audits[bad, ruled] = record, {f.rule + (f"[{f.item}]" if getattr(f, "item", None) else "")
                                       for f in report.findings if f.status == "fail"}
    return _audits[bad, ruled]


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_two_tables_side_by_side_are_both_read(ruled):
    record, failing = _audit(False, ruled)
    assert failing == set(), failing        # was QUA-010[8], QUA-010[9]: "文件中没有…决算表"
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"]["read"] == coverage["figures"]["printed"] > 250, coverage
    assert coverage["lines"]["silent"] == 0 and not record["_meta"]["unread"], record["_meta"]["unread"]
    assert record["tables"]["gov_fund"]["title"] == FUND
    assert record["tables"]["state_capital"]["title"] == CAPITAL


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_the_figures_of_a_table_beside_another_are_checked(ruled):
    record, failing = _audit(True, ruled)
    assert "NAR-030" in failing, failing      # the fund table has rows the narrative denies
    coverage = record["_meta"]["coverage"]
    clean = _audit(False, ruled)[0]["_meta"]["coverage"]
    # the four rows' figures (合计 and three codes, three figures each) read, none left out
    assert coverage["figures"]["read"] == coverage["figures"]["printed"] == clean["figures"]["printed"] + 12
    rows = record["tables"]["gov_fund"]["rows"]
    assert [row["code"] for row in rows] == ["212", "21208", "2120801"]


def test_a_wide_table_whose_column_gaps_run_its_whole_height_is_not_split():
    # Columns far apart, header centred over right-aligned figures: a strip of white runs from
    # the header to the last row between every two columns -- still one table, under one title.
    header = [("text", x, 60, text, 9.0) for x, text in ((60, "科目编码"), (140, "科目名称"), (420, "合计"),
                                                       (560, "基本支出"), (700, "项目支出"))]
    body = [("text", x, 80 + 20 * i, text, 9.0) for i, row in enumerate(
        (("207", "文化旅游体育与传媒支出", "964.00", "612.00", "352.00"),
         ("20701", "文化和旅游", "901.20", "612.00", "289.20"),
         ("2070101", "行政运行", "612.00", "612.00", ""),
         ("2070109", "群众文化", "162.00", "", "162.00")))
        for x, text in zip((60, 140, 420, 560, 700), row) if text]
    edges = (56, 136, 400, 540, 680, 780)
    whole = [("hrule", y, 56, 780) for y in (55, 75, 95, 115, 135, 155)]
    by_cell = [("hrule", y, x0 + 1, x1 - 1) for y in (55, 75, 95, 115, 135, 155) for x0, x1 in zip(edges, edges[1:])]
    for rules in ([], whole, by_cell):      # unruled; row rules drawn whole, or cell by cell (ends apart)
        rules = rules and rules + [("vrule", x, 55, 165) for x in edges]
        title = [("text", 330, 30, "支出决算表", 14.0)]
        for items in (title + header + body + rules, header + body + rules):   # with or without its title
            doc = read_pdf(pdf_bytes([items]), "wide.pdf")
            assert doc.regions == {}
            assert [line.compact for line in doc.lines][-1] == "2070109群众文化162.00162.00"

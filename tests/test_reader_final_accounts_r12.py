"""决算 layouts of round 12, each reduced to a small fictional input written here.

* A PDF that does not clip a cell's text (as WPS exports one): a header title wider than its
  cell runs on over its neighbour's ("一般公共预算财政拨款" over "政府性基金预算财政拨款"), and a
  label wider than its cell runs on up to the 行次 ordinal beside it. The titles' characters
  interleaved into one word ("…财政政拨府款性…"), the four fund columns were not found and every
  line of the 财政拨款收入支出决算总表 was unplaced; the labels read "政府性基金预算财政拨款2".
"""

from __future__ import annotations

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")

from pdfmaker import make_examples, pdf_bytes  # noqa: E402  (tests/ is on the path under pytest)

from fiscalrules.inputs.pdf import read_pdf  # noqa: E402
from fiscalrules.readers import read_document  # noqa: E402

APPROPRIATION = "财政拨款收入支出决算总表"
SIZE = (842, 595)


def _width(text: str, size: float) -> float:
    return make_examples.pdfmetrics.stringWidth(text, make_examples.FONT, size)


def _right(x1: float, top: float, text: str, size: float = 8.0) -> tuple:
    return ("text", x1 - _width(text, size), top, text, size)


def _centred(middle: float, top: float, text: str, size: float = 8.0) -> tuple:
    return ("text", middle - _width(text, size) / 2, top, text, size)


def _unread(record: dict, section: str) -> list[str]:
    return [u["reason"] for u in record["_meta"]["unread"] if u["section"] == section]


def test_text_running_on_over_the_next_cells_is_two_words_not_interleaved(tmp_path):
    # two titles, each drawn whole, the first one's end over the second one's start
    first, second = "一般公共预算财政拨款", "政府性基金预算财政拨款"
    path = tmp_path / "overlap.pdf"
    path.write_bytes(pdf_bytes([[("text", 100, 100, first, 10.0), ("text", 160, 100, second, 10.0),
                                 ("text", 100, 130, "本年支出合计", 10.0)]]))
    line = read_pdf(path, "overlap.pdf").lines[0]
    assert [word.text for word in line.words] == [first, second]
    assert line.words[0].x0 < line.words[1].x0 < line.words[0].x1


# left: label, 行次, 金额; right: label, 行次, (合计, 一般公共预算, 政府性基金, 国有资本经营); "" blank
_ROWS = [
    (("一、一般公共预算财政拨款", "1", "100.00"), ("一、一般公共服务支出", "33", ("90.00", "90.00", "", ""))),
    (("二、政府性基金预算财政拨款", "2", "20.00"), ("七、文化旅游体育与传媒支出", "39", ("20.00", "", "20.00", ""))),
    (("三、国有资本经营预算财政拨款", "3", ""), ("", "", ())),
    (("本年收入合计", "24", "120.00"), ("本年支出合计", "56", ("110.00", "90.00", "20.00", ""))),
    (("年初财政拨款结转和结余", "25", ""), ("年末财政拨款结转和结余", "57", ("10.00", "10.00", "", ""))),
    (("总计", "29", "120.00"), ("总计", "58", ("120.00", "100.00", "20.00", ""))),
]
# the right side's columns: 合计 and the three fund types, each cell's centre and right edge
_FUND_CELLS = ((480, 505), (542, 567), (604, 629), (666, 691))


def _appropriation_pdf() -> bytes:
    cover = [("text", 330, 200, "宿陵市司法局", 16.0), ("text", 320, 240, "2025年度部门决算", 16.0)]
    items = [_centred(421, 60, "财 政 拨 款 收 入 支 出 决 算 总 表", 14.0), _right(790, 62, "公开04表", 9.0),
             ("text", 40, 80, "部门：宿陵市司法局", 9.0), _right(790, 80, "金额单位：万元", 9.0),
             _centred(95, 100, "收入"), _centred(460, 100, "支出"),
             _centred(95, 115, "项目"), _centred(147, 115, "行次"), _centred(220, 115, "金额"),
             _centred(330, 115, "项目"), _centred(435, 115, "行次")]
    # each fund type's title on one line, wider than its 60-point cell: drawn whole over its
    # neighbours' (the 一般公共预算 title starting left of the 合计 column's figures' right edge;
    # no character drawn where the same one is: pdfium would drop it as a double)
    items += [_centred(middle, 115, title) for (middle, _), title in
              zip(_FUND_CELLS, ("合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"))]
    items += [_centred(95, 130, "栏次"), _centred(220, 130, "1"), _centred(330, 130, "栏次")]
    items += [_centred(middle, 130, str(n)) for n, (middle, _) in enumerate(_FUND_CELLS, 2)]
    top = 145
    for (llabel, lnumber, lfigure), (rlabel, rnumber, rfigures) in _ROWS:
        # (the left labels start at 40 in a cell ending at 135: the longer ones run on up to the
        # 行次 ordinal centred at 147, or over it)
        items += [("text", 40, top, llabel, 8.0), _centred(147, top, lnumber)]
        items += [_right(250, top, lfigure)] if lfigure else []
        items += [("text", 270, top, rlabel, 8.0), _centred(435, top, rnumber)] if rlabel else []
        items += [_right(x1, top, text) for (_, x1), text in zip(_FUND_CELLS, rfigures) if text]
        top += 15
    items.append(("text", 40, top + 6, "注：本表反映部门本年度财政拨款的总收支和年末结转结余情况。", 8.0))
    return pdf_bytes([cover, items], size=SIZE)


def _value(figure: dict) -> str:
    return figure["value"]


def test_fund_titles_running_on_over_one_another_still_name_their_columns():
    record = read_document(_appropriation_pdf(), name="x.pdf")
    table = record["tables"]["appropriation_summary"]
    assert {k: _value(v) for k, v in table["expenditure_total"].items()} == \
        {"total": "110.00", "general_budget": "90.00", "gov_fund": "20.00"}
    assert {k: _value(v) for k, v in table["grand_total"].items()} == {"general_budget": "100.00", "gov_fund": "20.00"}
    rows = {row["code"]: {k: _value(row[k]) for k in ("total", "general_budget", "gov_fund") if k in row}
            for row in table["expenditure"] if "total" in row}
    assert rows == {"201": {"total": "90.00", "general_budget": "90.00"},
                    "207": {"total": "20.00", "gov_fund": "20.00"}}
    assert not [r for r in _unread(record, APPROPRIATION) if "fund columns" in r]


def test_a_label_run_on_up_to_its_line_number_is_read_without_it():
    record = read_document(_appropriation_pdf(), name="x.pdf")
    table = record["tables"]["appropriation_summary"]
    assert {k: _value(v) for k, v in table["income"].items()} == {"general_budget": "100.00", "gov_fund": "20.00"}
    assert not [r for r in _unread(record, APPROPRIATION) if "does not print" in r]

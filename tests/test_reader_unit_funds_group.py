"""The newer template's 单位资金 group, read as a parent and its parts, never as one more source.

The 收支预算总表 of the template in use since 2024 prints the unit's own income as a group:
"五、单位资金" with its total, then "（一）事业收入 … （五）其他收入" under it.  In a PDF the
cells keep the full-width brackets the template prints, which the numbering was not matched on:
each part was read as a row of its own (level 1) and summed with the group -- 本年收入合计 fell
short of "the sources" by the group's total (a false TSU-004 on a correct table).  The parts are
the group's children now, and the group is checked against them (TSU-008).

Small fictional documents built here (tests/pdfmaker.py); no published document's figures.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")

from pdfmaker import pdf_bytes  # noqa: E402
# (a 收支总表 page, "收 入 | 支 出" over "项 目 预算数 | 项 目 预算数", and a cover naming the budget)
from test_reader_budget_blind_round9 import _COVER, _findings, _two_sided_page  # noqa: E402

from fiscalrules.readers import read_disclosure  # noqa: E402


def _summary(tmp_path, other_income: str, *, open_bracket: str = "（", close_bracket: str = "）"):
    def part(number: str, name: str) -> str:
        return f"{open_bracket}{number}{close_bracket}{name}"
    rows = [("一、一般公共预算拨款收入", "800000.00", "一、教育支出", "1100000.00"),
            ("二、政府性基金预算拨款收入", "0.00", "二、社会保障和就业支出", "0.00"),
            ("三、单位资金", "300000.00", None, None),
            (part("一", "事业收入"), "200000.00", None, None),
            (part("二", "上级补助收入"), "0.00", None, None),
            (part("三", "其他收入"), other_income, None, None),
            ("本年收入合计", "1100000.00", "本年支出合计", "1100000.00"),
            ("上年结转结余", "0.00", "年终结转结余", "0.00"),
            ("收入总计", "1100000.00", "支出总计", "1100000.00")]
    path = tmp_path / "unit_funds.pdf"
    path.write_bytes(pdf_bytes([_COVER, _two_sided_page(rows)], size=(842, 595)))
    return read_disclosure(path)


def test_the_parts_of_the_unit_funds_group_in_full_width_brackets_are_its_children(tmp_path):
    record = _summary(tmp_path, "100000.00")
    rows = record["tables"]["summary"]["income"]["rows"]
    assert [(row["name"], row["level"], row.get("parent")) for row in rows[2:6]] == [
        ("三、单位资金", 1, None), ("（一）事业收入", 2, "三、单位资金"),
        ("（二）上级补助收入", 2, "三、单位资金"), ("（三）其他收入", 2, "三、单位资金")]
    found = _findings(record)
    assert "TSU-004" not in found and "TSU-008" not in found


def test_ascii_brackets_read_the_same(tmp_path):
    record = _summary(tmp_path, "100000.00", open_bracket="(", close_bracket=")")
    rows = record["tables"]["summary"]["income"]["rows"]
    assert [(row["level"], row.get("parent")) for row in rows[3:6]] == [(2, "三、单位资金")] * 3
    assert "TSU-004" not in _findings(record)


def test_a_part_that_does_not_add_up_to_the_group_is_caught_by_the_group_check(tmp_path):
    # （三）其他收入 printed 110,000.00 where the group's 300,000.00 leaves 100,000.00: the parts are
    # no longer summed into 本年收入合计 (TSU-004 holds), so the group itself is checked against them
    record = _summary(tmp_path, "110000.00")
    found = _findings(record)
    assert "TSU-008" in found and "TSU-004" not in found
    assert "三、单位资金" in found["TSU-008"][0].message


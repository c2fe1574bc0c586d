"""Codes printed short (session 24): a 款 as its own two digits under its 类 ("01" under "207"), and a
项 the same under its 款 -- then a two-digit code after a 项 is either the next 项 or the next 款, and
only the classification's names tell ("02 文物" after "01 行政运行" is the 款 20702; "02 一般行政管理事务"
is the 项 2070102).  Cases as data: the rows as printed, the codes read (readers/budget/codes.py,
shared by the budget and 决算 readers)."""

from __future__ import annotations

import pytest

from fiscalrules.readers.budget.codes import CodeRebuilder

CASES = {
    "kuan-after-xiang-by-name": [("207", "文化旅游体育与传媒支出", "207"), ("01", "文化和旅游", "20701"),
                                 ("01", "行政运行", "2070101"), ("02", "一般行政管理事务", "2070102"),
                                 ("02", "文物", "20702"), ("04", "文物保护", "2070204")],
    "items-then-next-class": [("208", "社会保障和就业支出", "208"), ("05", "行政事业单位养老支出", "20805"),
                              ("05", "机关事业单位基本养老保险缴费支出", "2080505"),
                              ("210", "卫生健康支出", "210"), ("11", "行政事业单位医疗", "21011"), ("01", "行政单位医疗", "2101101")],
    # a name no list has (or none printed): the 项 of the 款 above, as before
    "unknown-name-stays-an-item": [("207", "文化旅游体育与传媒支出", "207"), ("01", "文化和旅游", "20701"),
                                   ("01", "行政运行", "2070101"), ("02", "本地特色项目", "2070102")],
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_short_code_is_rebuilt_by_the_rows_above_and_its_name(case):
    codes = CodeRebuilder(economic=False, has_full_items=False)
    assert [codes.full([printed], name) for printed, name, _ in CASES[case]] == [code for *_, code in CASES[case]]

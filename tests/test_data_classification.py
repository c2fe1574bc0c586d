"""The shipped classification lists (fiscalrules.data): every file names its source and parses,
codes nest, lookups answer "unknown" (None) for codes the lists do not have, later years fall back
on the year they are based on, and the budget reader's 类 dictionaries come from the same data."""

from __future__ import annotations

from pathlib import Path

import pytest

from fiscalrules.data import SCHEMES, classification, code_level, normalise_name, standard_name
from fiscalrules.readers.common import classes

DATA = Path(__file__).resolve().parents[1] / "fiscalrules" / "data"


@pytest.mark.parametrize("path", sorted(DATA.glob("*_20*.tsv")), ids=lambda p: p.name)
def test_every_list_names_its_source_and_coverage(path):
    header = "".join(line for line in path.read_text(encoding="utf-8").splitlines(True) if line.startswith("#"))
    year = path.stem[-4:]
    assert f"财政部《{year}年政府收支分类科目》" in header
    assert "NOT CHECKED" in header and "Coverage" in header


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("year", [2024, 2025])
def test_codes_nest_and_names_are_clean(scheme, year):
    names = classification(scheme, year).names
    assert len([c for c in names if len(c) == 3]) >= 10
    for code, name in names.items():
        assert code_level(code) in (1, 2, 3), code
        if len(code) > 3:
            assert code[:-2] in names, f"{code} {name}: its parent {code[:-2]} is missing"
        assert name == normalise_name(name), f"{code} {name!r} is not in normal form"


def test_function_list_has_every_class_and_the_common_items():
    fn = classification("function", 2024)
    assert set(fn.children(None)) >= {"201", "204", "205", "206", "207", "208", "210", "211", "212", "213",
                                       "214", "215", "216", "220", "221", "224", "229"}
    assert fn.name("2080505") == "机关事业单位基本养老保险缴费支出"
    assert fn.name("2101101") == "行政单位医疗"
    assert fn.name("2210201") == "住房公积金"
    assert fn.name("20139") == "社会工作事务"
    assert fn.name("2013999") == "其他社会工作事务支出"
    assert len([c for c in fn.names if len(c) == 5]) >= 150


def test_economic_lists():
    dept = classification("economic_department", 2024)
    assert dept.name("30217") == "公务接待费" and dept.name("30231") == "公务用车运行维护费"
    assert dept.name("30212") == "因公出国（境）费用" and dept.name("31013") == "公务用车购置"
    assert len(dept.children("302")) >= 25
    gov = classification("economic_government", 2024)
    assert gov.name("502") == "机关商品和服务支出" and gov.name("50206") == "公务接待费"


def test_unknown_codes_are_not_checked():
    fn = classification("function", 2024)
    assert fn.name("2019988") is None and standard_name("9999999") is None
    assert fn.is_standard("2019988", "随便什么名字") is None
    assert fn.is_standard("2101101", "行政单位医疗") is True
    assert fn.is_standard("2101101", "行政 单位\n医疗（项）") is True      # layout and level marker
    assert fn.is_standard("2101101", "事业单位医疗") is False


def test_later_years_fall_back_and_unknown_years_use_the_nearest_earlier():
    assert classification("function", 2025).names == classification("function", 2024).names
    assert classification("function", 2031).year == 2025
    assert classification("function", 2019).year == 2024           # the earliest list there is
    assert classification("function", "not a year").year == 2024
    with pytest.raises(ValueError):
        classification("nonsense", 2024)


def test_find_by_printed_name_within_a_parent():
    fn = classification("function", 2024)
    assert fn.find("社会保障和就业支出") == "208"
    assert fn.find("行政事业单位养老支出", "208") == "20805"
    assert fn.find("行政运行", "21201") == "2120101"
    assert fn.find("行政运行", None) is None                     # not a 类
    assert fn.find("其他国土资源事务支出", "22001") == "2200199"   # an older name is recognised …
    assert fn.is_standard("2200199", "其他国土资源事务支出") is False  # … but is not the standard name
    assert fn.find("卫生健康支出支出") == "210"                  # stems


def test_budget_reader_class_dictionaries_come_from_the_data():
    fn = classification("function", 2024)
    for code, name in classes.FUNCTION_CLASSES.items():
        assert fn.name(code) == name
    assert "223" not in classes.FUNCTION_CLASSES            # a fund type in budget narratives
    assert classes.match_function("文化体育与传媒支出") == "207"
    assert classes.match_economic("资本性支出(基本建设)") == "309"
    assert classes.match_economic("资本性支出") == "310"

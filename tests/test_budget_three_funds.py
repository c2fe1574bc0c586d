"""A budget whose appropriation is made of three funds -- 一般公共预算, 政府性基金 and 国有资本经营 --
and the wordings such a department prints (blind round 15, a fictional 广东 部门预算 and a 湖南 单位预算).

By the template 财政拨款 = 一般公共预算 + 政府性基金 + 国有资本经营: a department listing the kinds
among its income sources, with no 财政拨款收入 line, has that income as their sum (APR-012); their
shares ("占 65.07%") are each kind's share of the income total; the 预算绩效管理情况 stating every
project's targets ("全覆盖", "全部编制了绩效目标") with the appropriation's project spending and its
kinds prints 财政拨款项目支出 (APR-001 / CMP-003 / TBL-030 were not evaluable).  Also: 参照公务员法
管理人员 is a staff category beside 行政 / 事业, not a post (管理岗位); a 收支总表 whose one header line
names each side over its 项目 column ("收入项目 | 预算数 | 支出项目 | 预算数").
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document

DOCUMENT = """某市林业局2026年部门预算

第一部分 部门概况
一、人员构成
截至2025年12月31日，本部门实有在职人员60名，其中：行政人员20名、参照公务员法
管理人员15名、事业人员25名。

第二部分 2026年部门预算情况说明
一、收入预算情况
2026年本部门收入预算总计570.00万元。具体包括：一般公共预算拨款收入300.00万元，占52.63%；政府性基金预算拨款收入100.00万元，占17.54%；国有资本经营预算拨款收入50.00万元，占8.77%；事业收入120.00万元，占21.05%。
二、支出预算情况
2026年本部门支出预算总计570.00万元，其中：基本支出200.00万元，占35.09%；项目支出370.00万元，占64.91%。
三、财政拨款收支预算总体情况
2026年本部门财政拨款收支预算总计450.00万元。其中：一般公共预算拨款300.00万元；政府性基金预算拨款100.00万元；国有资本经营预算拨款50.00万元。
四、一般公共预算基本支出情况
2026年本部门一般公共预算基本支出200.00万元。其中：人员经费150.00万元；公用经费50.00万元。
五、预算绩效管理情况
本部门2026年实现项目支出绩效目标管理全覆盖，纳入绩效目标管理的财政拨款项目支出250.00万元，其中一般公共预算项目支出100.00万元、政府性基金预算项目支出100.00万元、国有资本经营预算项目支出50.00万元。
"""


def _audit(text: str):
    record = read_document(text.encode("utf-8"), name="three_funds.txt")
    findings = fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings
    return record, {f.rule: f.status for f in findings if f.status in ("fail", "not_evaluable", "pass", "pass_rounding")}


def _varied(*replacements: tuple[str, str]) -> str:
    text = DOCUMENT
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _value(record: dict, path: str):
    node = record
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node.get("value") if isinstance(node, dict) else node


def _unread(record: dict) -> list[str]:
    return [entry["reason"] for entry in record["_meta"].get("unread", [])]


def test_the_units_the_budget_covers_are_its_budget_units():
    # ("纳入本部门2026年部门预算编制范围的单位共5个，包括：…", 广东)
    record, _ = _audit(_varied(("一、人员构成\n", "一、机构设置\n纳入本部门2026年部门预算编制范围的单位共3个，包括：某市林业局本级、"
                                                 "某市林场、某市森林防火中心。\n二、人员构成\n")))
    assert _value(record, "org.budget_units") == "3"
    assert not any("3个" in reason for reason in _unread(record))


# -- 参照公务员法管理人员: a category, no post --------------------------------------------------------

_CIVIL = "参照公务员法\n管理人员15名"


@pytest.mark.parametrize("wording", [_CIVIL, "参照公务员法管理人员15名", "参照公务员管理人员15名",
                                     "参公管理人员15名", "参照管理人员15名"])
def test_staff_managed_as_civil_servants_is_a_category_not_a_post(wording):
    record, statuses = _audit(_varied((_CIVIL, wording)))
    assert _value(record, "staff.active.civil_servant_managed") == "15"
    assert statuses.get("HC-002") in ("pass", "pass_rounding")
    assert not any("post type" in reason for reason in _unread(record))


def test_a_post_named_management_staff_stays_a_post():
    # ("其中：管理人员 8 人、专业技术人员 …": posts, never a category)
    record, _ = _audit(_varied(("事业人员25名。", "事业人员25名（其中：管理人员5名、专业技术人员20名）。")))
    assert _value(record, "staff.active.civil_servant_managed") == "15"
    assert sum("post type" in reason for reason in _unread(record)) == 2


# -- the appropriation's kinds listed as income sources ---------------------------------------------

def test_appropriation_income_is_the_sum_of_its_kinds_where_no_line_prints_it():
    record, statuses = _audit(DOCUMENT)
    assert _value(record, "income.sources.appropriation") is None
    assert statuses["APR-012"] == "pass"
    _, statuses = _audit(_varied(("财政拨款收支预算总计450.00万元", "财政拨款收支预算总计460.00万元")))
    assert statuses["APR-012"] == "fail"


def test_a_kind_of_appropriation_income_has_its_share_of_the_income_total():
    record, statuses = _audit(DOCUMENT)
    assert [_value(record, f"income.shares.{kind}") for kind in ("general_budget", "gov_fund", "state_capital")] \
        == ["52.63", "17.54", "8.77"]
    assert not any("占" in reason for reason in _unread(record))
    assert statuses["SHR-001"] in ("pass", "pass_rounding")
    _, statuses = _audit(_varied(("占17.54%", "占18.54%")))
    assert statuses["SHR-001"] == "fail"


# -- 预算绩效管理情况: the appropriation's project spending -------------------------------------------

def test_every_projects_targets_print_the_appropriations_project_spending():
    record, statuses = _audit(DOCUMENT)
    assert _value(record, "performance_targets.funds") == "250.00"
    assert [_value(record, f"performance_targets.funds_{kind}") for kind in ("general_budget", "gov_fund", "state_capital")] \
        == ["100.00", "100.00", "50.00"]
    assert _value(record, "appropriation.project") == "250.00"
    assert statuses["APR-001"] == "pass" and statuses["CMP-003"] == "pass" and statuses["PFT-002"] == "pass"
    assert not any("绩效" in reason for reason in _unread(record))


def test_the_kinds_of_the_targets_funds_add_up_to_them():
    _, statuses = _audit(_varied(("政府性基金预算项目支出100.00万元", "政府性基金预算项目支出110.00万元")))
    assert statuses["PFT-002"] == "fail"


def test_the_targets_funds_of_some_projects_are_no_appropriation_split():
    # (not every project said to have targets: the funds are those projects', a part of the spending)
    record, statuses = _audit(_varied(("实现项目支出绩效目标管理全覆盖，", "对重点项目实行绩效目标管理，")))
    assert _value(record, "appropriation.project") is None
    assert statuses["APR-001"] == "not_evaluable"


def test_a_wrong_targets_total_fails_the_appropriations_split():
    _, statuses = _audit(_varied(("财政拨款项目支出250.00万元", "财政拨款项目支出260.00万元")))
    assert statuses["APR-001"] == "fail"


_GENERAL_ONLY = (
    ("2026年本部门财政拨款收支预算总计450.00万元。其中：一般公共预算拨款300.00万元；政府性基金预算拨款100.00万元；国有资本经营预算拨款50.00万元。",
     "2026年本部门财政拨款收支预算总计450.00万元，全部为一般公共预算拨款，无政府性基金预算拨款和国有资本经营预算拨款。"),
    ("一般公共预算拨款收入300.00万元，占52.63%；政府性基金预算拨款收入100.00万元，占17.54%；国有资本经营预算拨款收入50.00万元，占8.77%",
     "一般公共预算拨款收入450.00万元，占78.95%；政府性基金预算拨款收入0万元；国有资本经营预算拨款收入0万元"),
)


def test_the_general_budgets_project_funds_are_the_appropriations_where_it_is_the_whole():
    # (a 单位预算 whose appropriation is all general budget: "对纳入单位预算的 7 个项目全部编制了绩效目标，
    # 涉及一般公共预算拨款 X 万元")
    targets = ("本部门2026年实现项目支出绩效目标管理全覆盖，纳入绩效目标管理的财政拨款项目支出250.00万元，其中一般公共预算项目支出100.00万元、政府性基金预算项目支出100.00万元、国有资本经营预算项目支出50.00万元。",
               "本部门2026年对纳入部门预算的5个项目全部编制了绩效目标，涉及一般公共预算拨款250.00万元。")
    record, statuses = _audit(_varied(*_GENERAL_ONLY, targets))
    assert _value(record, "appropriation.project") == "250.00"
    assert statuses["APR-001"] == "pass"
    # (with other funds too, the general budget's project funds are a part of the appropriation's)
    record, _ = _audit(_varied(targets))
    assert _value(record, "appropriation.project") is None


# -- the 收支总表 whose header names each side over its 项目 column ----------------------------------

def test_a_one_line_header_naming_each_side_over_its_item_column(tmp_path, monkeypatch):
    pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")
    pytest.importorskip("reportlab", reason="reportlab writes the test PDFs")
    from pdfmaker import make_examples
    from fiscalrules.readers import read_disclosure
    table = make_examples.Writer.table

    def drawn(self, header, *args, **kwargs):
        if any(cell[0] == "本年收入" for cell in header):   # (the 收支总表: "收入项目 | 预算数 | 支出项目 | 预算数")
            header = [("收入项目", 0, 0, 0, 0), ("2025年预算数", 1, 1, 0, 0), ("支出项目", 2, 2, 0, 0),
                      ("2025年预算数", 3, 3, 0, 0)]
            kwargs["header_lines"] = 1
        return table(self, header, *args, **kwargs)

    monkeypatch.setattr(make_examples.Writer, "table", drawn)
    path = tmp_path / "one_line_header.pdf"
    path.write_bytes(make_examples.build())
    monkeypatch.setattr(make_examples.Writer, "table", table)
    record = read_disclosure(path)
    summary = record["tables"]["summary"]
    assert not any("two sides were not found" in reason for reason in _unread(record))
    assert summary["income"]["totals"]["amount"]["value"] == summary["expenditure"]["totals"]["amount"]["value"]
    assert len(summary["income"]["rows"]) >= 3 and len(summary["expenditure"]["rows"]) >= 3


# -- 一般公共预算当年拨款结构情况 restating the part's total before its classes ----------------------

_YEAR_SECTION = """四、一般公共预算当年拨款情况
(一)一般公共预算当年拨款规模变化情况
2026年本部门一般公共预算当年拨款300.00万元，比上年增加10.00万元，增长3.45%。
(二)一般公共预算当年拨款结构情况
2026年本部门一般公共预算当年拨款{restated}万元，按支出功能分类科目“类”级划分：农林水支出(类)300.00万元，占100.00%。
五、一般公共预算基本支出情况"""


@pytest.mark.parametrize("restated, listed", [("300.00", False), ("310.00", True)])
def test_the_structure_parts_restated_total_is_the_years_total(restated, listed):
    record, _ = _audit(_varied(("四、一般公共预算基本支出情况", _YEAR_SECTION.format(restated=restated))))
    assert _value(record, "general_budget_year.total") == "300.00"
    assert [row["code"] for row in record["general_budget_year"]["function"]] == ["213"]
    assert any("general_budget_year.total" in reason for reason in _unread(record)) == listed
    assert not any("not mapped" in reason and "当年拨款" in reason for reason in _unread(record))

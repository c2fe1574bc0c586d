"""The appropriation's split by kind of spending read where the document prints it: under
一般公共预算当年拨款, when that appropriation is the whole 财政拨款.

The central template's 财政拨款收支预算总体情况 lists the appropriation's classes and no split; the
一般公共预算当年拨款 section prints "其中：基本支出 A 万元，项目支出 B 万元".  Where the two totals are
one figure (no fund appropriation, no carry-over), B is the appropriation's project spending too --
财政拨款项目支出 was missing and APR-001 / CMP-003 / TBL-030 not evaluable.  A small fictional text.
"""

from __future__ import annotations

import fiscalrules
from fiscalrules.readers import read_disclosure


def _narrative(tmp_path, *, appropriation: str = "1000.00", split: str = "其中：基本支出700.00万元，项目支出300.00万元。",
               total_change: str = "增加20.00万元，增长2.04%"):
    # The central template's 财政拨款收支总体情况 lists its classes only; the split by kind of spending
    # is printed under 一般公共预算当年拨款 (no government-fund or state-capital appropriation)
    text = "\n".join([
        "某县某局2026年部门预算", "",
        "第一部分 某县某局2026年部门预算情况说明",
        "一、收支预算总体情况",
        "2026年收入总计1100.00万元，支出总计1100.00万元。",
        "二、收入预算情况",
        "2026年收入预算1100.00万元，其中：财政拨款收入1000.00万元，其他收入100.00万元。",
        "三、支出预算情况",
        "2026年支出预算1100.00万元，其中：基本支出750.00万元，项目支出350.00万元。",
        "四、财政拨款收支预算总体情况",
        f"2026年财政拨款收支总预算{appropriation}万元。支出包括：一般公共服务支出{appropriation}万元。"
        f"与2025年相比，财政拨款收支总预算{total_change}。",
        "五、一般公共预算当年拨款情况",
        "（一）一般公共预算当年拨款规模变化情况",
        f"2026年一般公共预算当年拨款1000.00万元，比2025年预算数增加20.00万元，增长2.04%。{split}",
        "六、政府性基金预算拨款情况",
        "某县某局2026年无政府性基金预算拨款安排的支出。",
        "七、国有资本经营预算拨款情况",
        "某县某局2026年无国有资本经营预算拨款安排的支出。", ""])
    path = tmp_path / "year_split.txt"
    path.write_text(text, encoding="utf-8")
    record = read_disclosure(path)
    statuses = {f.rule: f.status for f in fiscalrules.load_ruleset("budget_disclosure").evaluate(record).findings}
    return record, statuses


def _value(record, path: str):
    node = record
    for key in path.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    return node.get("value") if isinstance(node, dict) else None


def test_the_years_general_budget_split_is_the_appropriations_when_it_is_the_whole_appropriation(tmp_path):
    record, statuses = _narrative(tmp_path)
    assert (_value(record, "appropriation.basic"), _value(record, "appropriation.project")) == ("700.00", "300.00")
    assert statuses["APR-001"] == "pass" and statuses["CMP-003"] == "pass"
    # (the parts' changes are not printed: APR-002 stays not evaluable)
    assert statuses["APR-002"] == "not_evaluable"
    # 财政拨款 1,050.00 holds a carry-over beside the year's 1,000.00: the split is not the appropriation's
    record, statuses = _narrative(tmp_path, appropriation="1050.00")
    # (and the document splits only the year's general budget: APR-001 does not apply -- the
    # appropriation's own split is no part of the template, GBY-009 holds the year's)
    assert _value(record, "appropriation.project") is None and statuses["APR-001"] == "not_applicable"


def test_a_project_figure_that_does_not_add_up_is_caught_by_the_appropriations_rule(tmp_path):
    record, statuses = _narrative(tmp_path, split="其中：基本支出700.00万元，项目支出310.00万元。")
    assert statuses["APR-001"] == "fail"


def test_the_parts_changes_come_along_only_where_both_totals_state_the_same_change(tmp_path):
    split = "其中：基本支出700.00万元，比2025年增加15.00万元；项目支出300.00万元，比2025年增加5.00万元。"
    record, statuses = _narrative(tmp_path, split=split)
    assert record["appropriation"]["project"]["change"] == "5.00" and statuses["APR-002"] == "pass"
    record, statuses = _narrative(tmp_path, split=split, total_change="增加30.00万元，增长3.09%")
    assert "change" not in record["appropriation"]["project"] and statuses["APR-002"] == "not_evaluable"

"""The narrative of the shared district budgets (PDF): items, other notes, coverage, hand-checked findings.

Each 预算编制说明 item is counted independently of the reader (its "主要用于" clause, in the text
of the document model) and must be read with its amount and a resolved code; the 其他相关情况说明
must be read; no prose line with an amount may be silent. The narrative rules' failures are the
ones checked by hand (their arithmetic is in the comments); a false alarm reappearing, or a real
inconsistency lost, fails here. Skipped where the shared folder or the pdf extra is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")

from fiscalrules import load_ruleset  # noqa: E402
from fiscalrules.inputs import open_document  # noqa: E402
from fiscalrules.readers.budget.reader import read_opened_disclosure  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "disclosures" / "shanghai"
BUDGETS = ["putuo-commerce-2025-department-budget.pdf", "putuo-commerce-2025-unit-budget.pdf",
           "putuo-government-office-2025-department-budget.pdf",
           "putuo-government-office-2025-unit-budget.pdf",
           "putuo-wanli-subdistrict-2024-budget.pdf", "putuo-wanli-subdistrict-2025-budget.pdf"]

# Rules about the narrative (and the narrative against the tables); table-only rules are the
# table reader's (tests/test_document_tables.py).
NARRATIVE_AREAS = ("INC", "EXP", "APR", "CMP", "CHG", "PCT", "OPS", "PROC", "TPF", "HC", "ORG", "VEH",
                   "PRJ", "PFT", "ITM", "SUM", "TXT")

# (rule, item) of every narrative failure, each checked by hand:
HAND_CHECKED = {
    # 财政拨款收入 "比2024年预算执行数增加24,558.18万元", 财政拨款支出 "比2024年预算增加24,491.71万元":
    # one against last year's execution, the other against its budget; they differ by 66.47
    # (a warning: APR-013, for changes on the same footing, does not apply).
    "putuo-commerce-2025-department-budget.pdf": {("CHG-008", None)},
    "putuo-commerce-2025-unit-budget.pdf": {("CHG-008", None)},
    # 公务接待费 28.50 万元 in the narrative and the 三公 table; the basic-expenditure row 30217
    # prints 18.50 万元: 10.00 万元 come from project spending (TPF-009 "at least" passes; warning).
    "putuo-government-office-2025-department-budget.pdf": {("TPF-010", None)},
    "putuo-government-office-2025-unit-budget.pdf": {("TPF-010", None)},
    "putuo-wanli-subdistrict-2024-budget.pdf": {
        # item 31 住房公积金: "350.35万元" then "2024年预算安排352.67万元" (2.32 apart); its
        # "增加0.53%" is (350.35 − 348.52) / 348.52 = 0.525 %, with 352.67 it would be 1.19 %.
        ("ITM-007", "2210201"), ("ITM-009", "2210201"),
        # the glossary says "市级预算主管部门", the title "区级部门预算".
        ("TXT-003", None),
    },
    "putuo-wanli-subdistrict-2025-budget.pdf": {
        # item 21 "卫生健康支出（类）卫生健康支出（款）计划生育事务（项）" 20.00 万元 is row
        # 2100717 计划生育服务 (200,000 元) under 21007 计划生育事务.
        ("ITM-004", "2100717"), ("ITM-005", "2100717"),
    },
}

_cache: dict[str, tuple] = {}


def read(name: str):
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"shared disclosures not available ({path})")
    if name not in _cache:
        doc = open_document(path)
        # read_disclosure(path) is read_opened_disclosure(open_document(path)): the document
        # opened above is read, not opened (its PDF text laid out) a second time.
        _cache[name] = (doc, read_opened_disclosure(doc))
    return _cache[name]


def printed_items(doc) -> int:
    """Items of the 编制说明 as printed: one "主要用于" per item, between the 编制说明 heading and
    the first table title."""
    text = "\n".join(line.compact for line in doc.lines)
    start = text.rfind("预算编制说明\n")
    end = text.find("收支预算总表", start)
    return text[start:end].replace("\n", "").count("主要用于")


@pytest.mark.parametrize("name", BUDGETS)
def test_every_item_is_read_with_its_amount_and_code(name):
    doc, record = read(name)
    items = record["appropriation"]["items"]
    assert len(items) == printed_items(doc) > 0
    assert [r["item"] for r in items] == [str(n) for n in range(1, len(items) + 1)]
    assert all("amount" in r and r.get("code", "").isdigit() for r in items)


@pytest.mark.parametrize("name", BUDGETS)
def test_totals_and_other_notes_are_read(name):
    _, record = read(name)
    for path in ("income.total", "income.sources.appropriation", "expenditure.total", "appropriation.total",
                 "three_public.total", "three_public.reception", "operating_costs", "procurement.total",
                 "performance_targets.funds", "assets.vehicles.total", "assets.vehicle_purchases"):
        node = record
        for key in path.split("."):
            node = node[key]
        assert "value" in node, path


@pytest.mark.parametrize("name", BUDGETS)
def test_no_prose_amount_is_silent(name):
    _, record = read(name)
    coverage = record["_meta"]["coverage"]
    assert coverage["lines"]["silent"] == 0, coverage["silent_lines"]


@pytest.mark.parametrize("name", BUDGETS)
def test_narrative_failures_are_the_hand_checked_ones(name):
    _, record = read(name)
    report = load_ruleset("budget_disclosure").evaluate(record)
    failing = {(f.rule, f.item) for f in report.findings
               if f.status in ("fail", "error", "not_evaluable") and f.rule.startswith(NARRATIVE_AREAS)}
    assert failing == HAND_CHECKED[name]


def test_years_of_the_narrative_are_the_budget_year_or_named_prior():
    for name in BUDGETS:
        _, record = read(name)
        year = int(record["doc"]["year"]["value"])
        for row in record["doc"]["years"]:
            printed = int(re.sub(r"\D", "", row["year"]["value"]))
            if row["expected"] == "budget_year":
                assert printed == year, row
            elif row["expected"] == "prior_year":
                assert printed == year - 1, row


@pytest.mark.parametrize("name", BUDGETS)
def test_every_key_read_is_a_declared_field(name):
    _, record = read(name)
    report = load_ruleset("budget_disclosure").evaluate(record)
    assert [info.unknown_keys for info in report.records] == [[]]

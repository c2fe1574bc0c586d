"""政府采购预算表 printed with one column per kind (货物 | 工程 | 服务) and no 合计 column (review 20 C's
leftover of D4): each row's amount is the kind column it fills, the table is read as by kind
(``tables.procurement.rows`` without ``total``), and checked -- its rows against the narrative's
政府采购总额 when it prints no 合计 row (PROC-014), its 合计 row by kind against its rows (PROC-015),
the kinds against the narrative's 货物 / 工程 / 服务 (PROC-013).

On the team's fictional example (tests/test_reader_variants.CLEAN: 政府采购 180.00 = 货物 60.00 +
工程 40.00 + 服务 80.00); each correct layout reads every row with 0 不一致, each planted slip is found.
"""

from __future__ import annotations

import pytest

from fiscalrules import load_ruleset
from test_reader_variants import CLEAN, read_and_audit

ANCHOR = "\n部门整体支出绩效目标表\n"
ROWS = [("118001", "青山县自然资源局（本级）", "A02010104 台式计算机", "货物", "40.00"),
        ("118001", "青山县自然资源局（本级）", "C1204 规划编制服务", "服务", "80.00"),
        ("118002", "青山县不动产登记中心", "A02021000 打印设备", "货物", "20.00"),
        ("118003", "青山县国土空间规划服务中心", "B0701 土地整治工程", "工程", "40.00")]
KINDS = ("货物", "工程", "服务")


def _table(total_row: bool, blank: str = "", rows=ROWS, totals=("60.00", "40.00", "80.00")) -> str:
    lines = ["", "政府采购预算表", "", "单位：万元", "", "单位编码\t单位名称\t采购品目\t货物\t工程\t服务"]
    for code, unit, item, kind, amount in rows:
        lines.append("\t".join([code, unit, item] + [amount if k == kind else blank for k in KINDS]))
    if total_row:
        lines.append("\t".join(["", "合计", ""] + list(totals)))
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


def _read(ruleset, tmp_path, table: str):
    assert CLEAN.count(ANCHOR) == 1
    return read_and_audit(ruleset, tmp_path, CLEAN.replace(ANCHOR, "\n" + table + ANCHOR, 1), "kinds.txt")


@pytest.mark.parametrize("total_row", [False, True], ids=["no-total-row", "total-row"])
@pytest.mark.parametrize("blank", ["", "-"], ids=["blank", "dash"])
def test_kind_columns_without_a_total_column_are_read_and_agree(ruleset, tmp_path, total_row, blank):
    record, failing, statuses = _read(ruleset, tmp_path, _table(total_row, blank))
    assert failing == set()
    table = record["tables"]["procurement"]
    assert table["by_kind"] is True
    assert [(r["name"], *(r[k]["value"] for k in ("goods", "works", "services") if k in r)) for r in table["rows"]] == [
        (item, amount) for _, _, item, _, amount in ROWS]
    assert not [r for r in table["rows"] if "total" in r]      # no 合计 column: no amount invented
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"]["read"] == coverage["figures"]["printed"] and coverage["lines"]["unread"] == 0
    expected = {"PROC-013": "pass", "PROC-012": "not_applicable", "PROC-010": "not_applicable"}
    expected |= {"PROC-015": "pass", "PROC-014": "pass"} if total_row else {"PROC-015": "not_applicable", "PROC-014": "pass"}
    assert {rule: statuses[rule] for rule in expected} == expected


@pytest.mark.parametrize("total_row, rows, totals, expected", [
    # a row's amount 30.00 for 20.00: Σ rows 190.00 against the narrative's 180.00, 货物 70.00 against 60.00
    (False, [r if r[2] != "A02021000 打印设备" else r[:4] + ("30.00",) for r in ROWS], ("60.00", "40.00", "80.00"),
     {"PROC-013", "PROC-014"}),
    # the same with a 合计 row that keeps 60.00: the 货物 合计 is no longer its rows
    (True, [r if r[2] != "A02021000 打印设备" else r[:4] + ("30.00",) for r in ROWS], ("60.00", "40.00", "80.00"),
     {"PROC-013", "PROC-014", "PROC-015"}),
    # the 合计 row's 货物 70.00 for 60.00, the rows right
    (True, ROWS, ("70.00", "40.00", "80.00"), {"PROC-015"}),
], ids=["row-no-total-row", "row-with-total-row", "total-row-kind"])
def test_a_planted_slip_in_kind_columns_is_found(ruleset, tmp_path, total_row, rows, totals, expected):
    _, failing, _ = _read(ruleset, tmp_path, _table(total_row, rows=rows, totals=totals))
    assert {rule for rule, _ in failing} == expected


def test_a_row_filling_two_kinds_is_read_and_summed(ruleset, tmp_path):
    """One row buying goods and services (40.00 + 80.00), no 合计 column: both kinds count."""
    table = "\n".join(line for line in _table(True).split("\n") if "C1204" not in line).replace(
        "A02010104 台式计算机\t40.00\t\t", "A02010104 台式计算机及规划服务\t40.00\t\t80.00")
    record, failing, statuses = _read(ruleset, tmp_path, table)
    assert failing == set() and len(record["tables"]["procurement"]["rows"]) == 3
    assert statuses["PROC-014"] == statuses["PROC-015"] == statuses["PROC-013"] == "pass"

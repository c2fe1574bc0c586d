"""PROC-012 (a procurement row's amount = its 货物 + 工程 + 服务) on the two ways the template prints
kinds (review 22 A's A3).

A table printing one column per kind (货物 | 工程 | 服务) splits every row's amount across them, a
blank cell being 0: each row is checked, and one whose kinds miss its amount fails.  A table printing
the kind as a word (采购类别: 货物 / 工程 / 服务) has nothing to add up -- the row's amount is its
kind's -- and a row whose 采购类别 is blank or a word the template does not use is not split at all:
PROC-012 does not apply to such a table (the kinds' declared ``default 0`` made every such row
"0.00 against its amount" before).

On the team's fictional example (tests/test_reader_variants.CLEAN: 政府采购 180.00).
"""

from __future__ import annotations

import pytest

from columnar_equivalence import CODES, assert_same
from fiscalrules import load_ruleset
from test_reader_listing_tables import ANCHOR, PROCUREMENT, PROCUREMENT_BY_COLUMN, PROJECTS
from test_reader_variants import CLEAN, read_and_audit

PRINTER = "A02021000 打印设备\t货物\t"


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


def _read(ruleset, tmp_path, procurement: str):
    assert CLEAN.count(ANCHOR) == 1
    text = CLEAN.replace(ANCHOR, "\n" + PROJECTS + procurement + ANCHOR, 1)
    record, failing, _ = read_and_audit(ruleset, tmp_path, text, "kinds.txt")
    return record, failing, [f for f in ruleset.evaluate(record).findings if f.rule == "PROC-012"]


@pytest.mark.parametrize("kind", ["", "其他", "-"], ids=["blank", "unknown", "dash"])
def test_a_row_whose_kind_is_blank_or_unknown_is_no_false_failure(ruleset, tmp_path, kind):
    assert PROCUREMENT.count(PRINTER) == 1
    record, failing, findings = _read(ruleset, tmp_path, PROCUREMENT.replace(PRINTER, f"A02021000 打印设备\t{kind}\t"))
    table = record["tables"]["procurement"]
    assert len(table["rows"]) == 4 and table["by_kind"] is False
    assert failing == set()
    assert {f.status for f in findings} == {"not_applicable"}


def test_a_table_printing_the_kind_as_a_word_is_not_added_up(ruleset, tmp_path):
    record, failing, findings = _read(ruleset, tmp_path, PROCUREMENT)
    assert failing == set() and record["tables"]["procurement"]["by_kind"] is True
    assert {f.status for f in findings} == {"not_applicable"}


def test_kind_columns_are_added_up_row_by_row(ruleset, tmp_path):
    """One column per kind: each row's 合计 is its kinds (a blank cell 0): 3 rows pass; a row whose
    合计 is not its kinds fails, and so does a row whose kinds are all blank."""
    record, failing, findings = _read(ruleset, tmp_path, PROCUREMENT_BY_COLUMN)
    assert failing == set() and record["tables"]["procurement"]["kind_columns"] is True
    assert [f.status for f in findings] == ["pass"] * 3
    _, failing, findings = _read(ruleset, tmp_path, PROCUREMENT_BY_COLUMN.replace("\t120.00\t40.00", "\t130.00\t40.00"))
    assert [f.status for f in findings] == ["fail", "pass", "pass"]
    blank = PROCUREMENT_BY_COLUMN.replace("打印设备\t20.00\t20.00\t\t", "打印设备\t20.00\t\t\t")
    _, failing, findings = _read(ruleset, tmp_path, blank)
    assert [f.status for f in findings] == ["pass", "fail", "pass"]


def test_the_columnar_engine_decides_as_the_per_record_one(ruleset, tmp_path):
    """The records read above (a blank kind, kinds as words, kind columns right and wrong) through
    the columnar engine: every rule's status and every finding are the per-record engine's."""
    pytest.importorskip("pyarrow")
    from fiscalrules.columnar import flatten_records

    tables = [PROCUREMENT.replace(PRINTER, "A02021000 打印设备\t\t"), PROCUREMENT, PROCUREMENT_BY_COLUMN,
              PROCUREMENT_BY_COLUMN.replace("\t120.00\t40.00", "\t130.00\t40.00")]
    records = []
    for i, table in enumerate(tables):
        record = _read(ruleset, tmp_path, table)[0]
        record["_meta"]["id"] = f"r{i}"
        records.append(record)
    result = assert_same(ruleset, flatten_records(records, ruleset), records, chunk_rows=3)
    assert result.engines["PROC-012"] == "columnar"
    assert list(result.statuses("PROC-012")) == [CODES.index(s) for s in ("not_applicable", "not_applicable", "pass", "fail")]

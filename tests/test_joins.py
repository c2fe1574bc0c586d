"""Comprehensions (and nested ``for each``) filtered by an equality of texts, looked up in an index
(fiscalrules.joins, fiscalrules.symbolic.joined, fiscalrules.columnar.joined): the statuses, findings (their operands, in order), messages and
localisations are those of the scan, whatever the tables hold -- keys duplicated, missing,
printed with spaces or as numbers, errors in the rows, ``or`` and ``and`` filters.  A finding
lists what a filter reads outside the rows, then the rows it kept, in every engine."""

from __future__ import annotations

from contextlib import contextmanager, nullcontext
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import fiscalrules
from fiscalrules import joins
from fiscalrules.symbolic import joined

RULES = '''
unit 万元
precision 万元 0.01
field limit "限额": amount
field tables.t "行": table(key: text, alt: text, total: amount, n: number)
field tables.s "小计": table(key: text, alt: text, total: amount, n: number)
rule J1 "equality": for each s in tables.s: s.total = sum(r.total for r in tables.t where r.key = s.key)
rule J2 "or": for each s in tables.s: s.total = sum(r.total for r in tables.t where r.key = s.key or coalesce(r.alt, r.key) = s.key)
rule J3 "count filter": for each s in tables.s where count(r for r in tables.t where coalesce(r.key, r.alt) = coalesce(s.key, s.alt)) > 0:
    s.total = sum(r.total for r in tables.t where coalesce(r.key, r.alt) = coalesce(s.key, s.alt))
rule J4 "a row's condition first": for each s in tables.s:
    s.total = sum(r.total for r in tables.t where present(r.total) and r.key = s.key)
              + sum(r.n for r in tables.t where not present(r.total) and r.key = s.key)
rule J5 "an outer condition first": for each s in tables.s:
    s.total >= sum(r.total for r in tables.t where s.total > limit and s.alt = r.alt and r.total > 0)
rule J6 "numbers": for each s in tables.s: count(r for r in tables.t where r.n = s.n) >= 1
rule J7 "max": for each s in tables.s where present(s.key): s.total <= max(r.total for r in tables.t where r.key = s.key)
rule J8 "both sides read a text": for each s in tables.s: s.n <= count(r for r in tables.t where s.key = coalesce(r.alt, "a"))
rule J9 "a nested for each": for each s in tables.s: for each r in tables.t where r.key = s.key: r.total <= s.total
rule J11 "a guard before a division": for each s in tables.s:
    s.total = sum(r.total for r in tables.t where r.n > 0 and r.total / r.n > 0 and r.key = s.key)
rule J12 "an outer condition before a division": for each s in tables.s:
    s.total = sum(r.total for r in tables.t where s.n > 1 and r.total / r.n > 0 and r.key = s.key)
rule J13 "a division before an outer condition": for each s in tables.s:
    s.total = sum(r.total for r in tables.t where r.total / r.n > 0 and s.n > 1 and coalesce(r.alt, r.key) = s.key)
rule J14 "a nested for each, a guard": for each s in tables.s where present(s.n):
    for each r in tables.t where present(r.n) and r.total / r.n >= 1 and r.key = s.key: r.total <= s.total
rule J15 "a row's condition that may be missing, then an outer one": for each s in tables.s:
    s.total = sum(r.total for r in tables.t where contains(r.alt, "a") and s.key = "b" and r.key = s.key)
rule J10 "a nested for each, or": for each s in tables.s where present(s.total):
    for each r in tables.t where present(r.n) and (r.alt = s.key or r.key = s.alt): r.n <= s.n
'''

SCANNED = fiscalrules.compile_rules(RULES)
LOOKED_UP = fiscalrules.compile_rules(RULES)


@contextmanager
def scanning():
    """Every comprehension scanned: no filter has a shape to look up (the old evaluation)."""
    with mock.patch.object(joins, "shape_of", lambda node: None), \
            mock.patch.object(joined, "shape_of", lambda node: None):
        yield


KEYS = st.sampled_from([None, "a", " a", "a\u3000", "b", "1", 1, "1.0", "c d", ""])
AMOUNTS = st.sampled_from([None, "1.00", "2.00", "2.5", "0.01", "-1", "3.00"])


@st.composite
def rows(draw, most: int):
    out = []
    for _ in range(draw(st.integers(0, most))):
        row = {}
        for column, values in (("key", KEYS), ("alt", KEYS), ("total", AMOUNTS), ("n", st.sampled_from([None, 0, 1, 2]))):
            value = draw(values)
            if value is not None:
                row[column] = value
        out.append(row)
    return out


@st.composite
def records(draw):
    record = {"tables": {"t": draw(rows(9)), "s": draw(rows(6))}}
    limit = draw(st.sampled_from([None, "1", "5"]))
    if limit is not None:
        record["limit"] = limit
    return record


def _outcome(ruleset, record):
    report = ruleset.evaluate(record)
    findings = [f.to_dict() for f in report.findings]
    return findings, [place.to_dict() for place in report.localise()]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_looked_up_as_scanned(record):
    with scanning():
        expected = _outcome(SCANNED, record)
    assert _outcome(LOOKED_UP, record) == expected


def _units(n: int, wrong: int | None = None) -> dict:
    t = [{"key": f"u{u}", "total": f"{k + 1}.00"} for u in range(n) for k in range(3)]
    s = [{"key": f"u{u}", "total": "6.00" if u != wrong else "7.00"} for u in range(n)]
    return {"tables": {"t": t, "s": s}, "limit": "1"}


def _counting_kept(calls: list):
    real = joins.kept

    def counting(ctx, rows, positions, *args):
        calls.append(len(positions))
        return real(ctx, rows, positions, *args)
    return mock.patch.object(joins, "kept", counting)


def test_the_index_is_used_and_a_finding_lists_the_rows_kept():
    """From a comprehension's second evaluation on, only the rows an index gives are evaluated;
    the failing finding lists the key the rows were matched with, then the rows the filter kept
    (their keys and figures) -- not every row's key the scan compared (120 of them before)."""
    record = _units(40, wrong=30)
    calls: list = []
    ruleset = fiscalrules.compile_rules(RULES).subset(select=["J1"])
    with _counting_kept(calls):
        findings = ruleset.evaluate(record).findings
    assert [f.status for f in findings] == ["pass"] * 30 + ["fail"] + ["pass"] * 9
    assert calls and set(calls) == {3}
    with scanning():
        scanned = SCANNED.subset(select=["J1"]).evaluate(record).findings
    operands = [o.path for o in findings[30].operands]
    assert operands == [o.path for o in scanned[30].operands]
    assert operands == ["tables.s[31].total", "tables.s[31].key", "tables.t[91].key", "tables.t[91].total",
                        "tables.t[92].key", "tables.t[92].total", "tables.t[93].key", "tables.t[93].total"]


SCAN_ONLY = fiscalrules.compile_rules(RULES + '''
rule K1 "contains": for each s in tables.s: s.total = sum(r.total for r in tables.t where contains(r.alt, s.key))
rule K2 "a nested for each": for each s in tables.s: for each r in tables.t where r.n = s.n: r.total <= s.total
''').subset(select=["J1", "K1", "K2"])


def test_a_finding_lists_only_the_rows_a_scanned_filter_kept():
    """A filter that is not looked up (texts by `contains`, numbers): the finding lists what the
    filter reads outside the rows, then the rows it kept -- not the rows it left out; and where
    it kept none, only the key it compared them with."""
    record = {"tables": {"t": [{"key": "a", "alt": "xa", "total": "1.00", "n": 1},
                               {"key": "b", "alt": "xb", "total": "5.00", "n": 2},
                               {"key": "a", "alt": "ya", "total": "2.00", "n": 1}],
                         "s": [{"key": "a", "total": "4.00", "n": 1}, {"key": "c", "total": "1.00", "n": 3}]}}
    found = {(f.rule, f.item): [o.path for o in f.operands] for f in SCAN_ONLY.evaluate(record).findings}
    kept = ["tables.t[1].alt", "tables.t[1].total", "tables.t[3].alt", "tables.t[3].total"]
    assert found[("K1", "1")] == ["tables.s[1].total", "tables.s[1].key"] + kept
    assert found[("K1", "2")] == ["tables.s[2].total", "tables.s[2].key"]   # no row kept
    assert found[("J1", "2")] == ["tables.s[2].total", "tables.s[2].key"]
    assert found[("K2", "1")] == ["tables.s[1].n", "tables.t[1].n", "tables.t[1].total", "tables.s[1].total",
                                  "tables.t[3].n", "tables.t[3].total"]
    with scanning():
        assert {(f.rule, f.item): [o.path for o in f.operands] for f in SCAN_ONLY.evaluate(record).findings} == found


def test_a_condition_before_the_equality_is_asked_as_the_scan_asks_it():
    """A condition before the equality that would raise on a row where an earlier one is false is
    never asked there by the scan: the filter is still looked up (it was scanned), alike."""
    rules = fiscalrules.compile_rules(RULES + '''
rule K3 "a division after a guard": for each s in tables.s:
    s.total = sum(r.total for r in tables.t where r.n > 0 and r.total / r.n > 0 and r.key = s.key)
''').subset(select=["K3"])
    record = _units(6, wrong=2)
    for row in record["tables"]["t"]:
        row["n"] = 0 if row["total"] == "2.00" else 1
    calls: list = []
    with _counting_kept(calls):
        findings = [(f.status, [o.path for o in f.operands]) for f in rules.evaluate(record).findings]
    assert calls and set(calls) == {2}   # (a row the guard fails on is not even indexed)
    with scanning():
        assert [(f.status, [o.path for o in f.operands]) for f in rules.evaluate(record).findings] == findings
    assert [status for status, _ in findings] == ["fail"] * 6   # (4 of 6: a row of 2.00 left out)


def test_the_localisers_model_looks_up_a_filter_with_a_condition_before_it():
    """J4's `present(r.total) and r.key = s.key` (PROC-016's shape): the model visits only the
    rows the index gives, and holds the figures of the rows kept -- not every row's total that
    `present` read."""
    from fiscalrules.localise.model import Constraints
    ruleset = fiscalrules.compile_rules(RULES).subset(select=["J4"])
    record = _units(10, wrong=4)
    lengths: list = []
    real = joined.JoinedRows.rows

    def counting(self, sym, node, seen):
        found = real(self, sym, node, seen)
        if type(found) is list:
            lengths.append(len(found))
        return found
    with mock.patch.object(joined.JoinedRows, "rows", counting):
        cons = Constraints(ruleset, fiscalrules.load_record(record))
        cons.cover(["tables.s[5].total"], {"J4"})
    assert 3 in lengths and max(lengths) < 30
    totals = sorted(key[0] for key in cons.vars if key[0].startswith("tables.t"))
    assert totals == sorted(f"tables.t[{i}].total" for i in range(1, 31))   # (every subtotal's rows)
    for way in (nullcontext(), scanning()):   # looked up, then scanned: alike
        with way, mock.patch.object(Constraints, "_row_filter", lambda self, rule: lambda row: row.code == "5"):
            cons = Constraints(ruleset, fiscalrules.load_record(record))
            cons.cover(["tables.s[5].total"], {"J4"})
        assert sorted(key[0] for key in cons.vars) == ["tables.s[5].total"] + [f"tables.t[{i}].total" for i in (13, 14, 15)]


def test_the_details_of_a_records_findings_look_rows_up():
    """The details of a finding decided without them (a pass) are worked out by replaying it:
    the replays of one record's findings share its indexes, so forty subtotals' operands do not
    scan the table forty times (a thousand units' JSON report did, quadratic in time)."""
    record = _units(40, wrong=30)
    findings = fiscalrules.compile_rules(RULES).subset(select=["J1"]).evaluate(record).findings
    calls: list = []
    with _counting_kept(calls):
        counts = [len(f.operands) for f in findings]
    assert counts == [8] * 40   # the subtotal's total and key, its three rows' keys and totals
    assert len(calls) >= 30 and set(calls) == {3}


def test_a_row_whose_key_is_missing_makes_the_table_scanned():
    """A row without its key: the filter raises there, as the scan does, for every subtotal."""
    record = _units(5)
    del record["tables"]["t"][7]["key"]
    findings = [f for f in LOOKED_UP.evaluate(record).findings if f.rule == "J1"]
    assert {f.status for f in findings} == {"not_evaluable"}
    assert all(f.missing == ("tables.t[8].key",) for f in findings)


@pytest.mark.parametrize("compared_below, flags_below", [(8, 8), (8, 0), (0, 8)],
                         ids=["candidates' pairs compared", "every pair compared", "rows looked up"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(records(), min_size=1, max_size=6))
def test_the_columnar_engine_pairs_only_matching_rows_and_decides_alike(compared_below, flags_below, batch):
    """evaluate_table over the records (in chunks of 3) pairs each subtotal with the rows whose
    text matches (fiscalrules.columnar.joined) -- the pairs' keys compared (those of the elements
    whose record has a row of their key, or every element's), or the rows looked up by their
    sorted keys -- and gives every status and finding evaluate_many gives, and what it
    gives scanning every pair."""
    pytest.importorskip("pyarrow")
    from columnar_equivalence import assert_same
    from fiscalrules.columnar import flatten_records
    from fiscalrules.columnar import joined as columnar_joined

    records = [dict(record, _meta={"id": f"r{i}"}) for i, record in enumerate(batch)]
    frames = flatten_records(records, LOOKED_UP)
    with mock.patch.object(columnar_joined, "_SCAN_BELOW", compared_below), \
            mock.patch.object(columnar_joined, "_FLAGS_BELOW", flags_below):
        result = assert_same(LOOKED_UP, frames, records, chunk_rows=3)
    assert set(result.engines.values()) == {"columnar"}
    with scanning(), mock.patch.object(columnar_joined, "shape_of", lambda node: None):
        scanned = fiscalrules.compile_rules(RULES).evaluate_table(frames, chunk_rows=3)
    for rule in LOOKED_UP.rules:
        assert result.statuses(rule.id).tolist() == scanned.statuses(rule.id).tolist()


@pytest.mark.parametrize("compared_below, flags_below", [(8, 8), (8, 0), (0, 8)],
                         ids=["candidates' pairs compared", "every pair compared", "rows looked up"])
def test_a_row_without_its_key_makes_only_its_record_scanned_in_a_chunk(compared_below, flags_below):
    """A chunk with one record whose row has no key: that record's subtotals are paired with
    every row of it (the filter stops there, as the scan's does), the other records' with the
    rows whose key matches -- not the whole chunk's pairs scanned (before: every pair of the
    chunk, once any row of it had no key)."""
    pytest.importorskip("pyarrow")
    from columnar_equivalence import assert_same
    from fiscalrules.columnar import flatten_records
    from fiscalrules.columnar import joined as columnar_joined

    records = [dict(_units(4, wrong=1 if i == 2 else None), _meta={"id": f"r{i}"}) for i in range(3)]
    del records[1]["tables"]["t"][4]["key"]
    ruleset = fiscalrules.compile_rules(RULES).subset(select=["J1"])
    frames = flatten_records(records, ruleset)
    listed = []
    real = columnar_joined._Parts.pairs

    def pairs(self, run, dom):
        found = real(self, run, dom)
        listed.append(None if found is None else found.starts[1:] - found.starts[:-1])
        return found
    with mock.patch.object(columnar_joined, "_SCAN_BELOW", compared_below), \
            mock.patch.object(columnar_joined, "_FLAGS_BELOW", flags_below), \
            mock.patch.object(columnar_joined._Parts, "pairs", pairs):
        result = assert_same(ruleset, frames, records, chunk_rows=3)
    assert len(listed) == 1 and listed[0] is not None
    assert listed[0].tolist() == [3] * 4 + [12] * 4 + [3] * 4   # (record r1's subtotals: its 12 rows)
    assert result.statuses("J1").tolist() == [0, 4, 2]   # pass, not evaluable, fail

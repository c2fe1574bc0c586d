"""The compact row store: a record file's big tables held by cell, with the record model unchanged.

A table of at least ``rowstore.PACKED_TABLE_ROWS`` flat rows read from a JSON / JSON Lines file
is a :class:`~fiscalrules.rowstore.PackedTable`.  Everything a rule, a finding or a reporter sees
must be what the same table held as a list of Rows gives: the rows (Decimal values with their
printed digits, codes, missing cells, row positions), lookups by code, children and parents,
the RecordErrors of a bad row, and the findings -- statuses, sides, operands, messages and
localisation.  The tests lower the threshold (to 1) rather than writing big files, so that
generated records with tables of a few rows go through the store.
"""

from __future__ import annotations

import json
import pickle
import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fiscalrules
from fiscalrules import context, rowstore
from fiscalrules.errors import RecordError
from fiscalrules.recordfiles import parse_json
from fiscalrules.records import Table, read_records
from fiscalrules.reporters import render_jsonl
from fiscalrules.rowstore import FlatObjects, PackedTable
from fiscalrules.testing import generate_record
from fiscalrules.testing.damage import damage

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo.rules"


@pytest.fixture(autouse=True)
def short_runs(monkeypatch):
    """Packing starts at the second flat object in a row (not the 65th): the first rows of a run
    are kept as dicts and stored when the run turns out to be a table, as in a big file."""
    monkeypatch.setattr(rowstore, "RUN_BEFORE_PACKING", 1)


@pytest.fixture
def pack_all(monkeypatch):
    """Every list of flat rows read from a file is packed (not only those of 1000 rows or more)."""
    monkeypatch.setattr(rowstore, "PACKED_TABLE_ROWS", 1)


def _read(path: Path) -> list:
    return list(read_records(path))


_NUMBER = "\ue000"   # marks a Decimal written as a JSON number (never in a generated text)


def _table_text(rows: list, **other) -> str:
    text = json.dumps({"_meta": {"id": "big"}, **other, "t": rows}, ensure_ascii=False,
                      default=lambda number: f"{_NUMBER}{number}{_NUMBER}")
    return text.replace(f'"{_NUMBER}', "").replace(f'{_NUMBER}"', "")


# ---- the store ------------------------------------------------------------------------------------

_plain_values = st.one_of(
    st.none(), st.booleans(),
    st.text(st.characters(blacklist_characters=_NUMBER), max_size=8),   # CJK, controls, lone surrogates
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**9, max_value=10**9),
    st.from_regex(r"-?[0-9]{1,9}(\.[0-9]{1,4})?", fullmatch=True),
)
_flat_rows = st.lists(st.dictionaries(st.sampled_from(["code", "x", "y", "名称", "flag"]), _plain_values,
                                      max_size=5), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(_flat_rows, st.integers(0, 3), st.booleans())
def test_a_packed_table_gives_back_each_row_as_the_json_parser_made_it(rows, run, group_before):
    text = _table_text(rows, **({"g": {"a": "1", "b": True}} if group_before else {}), a="1.00")
    plain = parse_json(text)
    hook = rowstore.PackingHook(dict, min_rows=1, run_before_packing=run)
    packed = hook.finish(json.loads(text, parse_float=Decimal, parse_int=Decimal, object_pairs_hook=hook))
    if 1 + group_before + len(rows) <= run:   # too short a run (_meta, the group, the rows): not packed
        assert packed == plain
        return
    store = packed.pop("t")
    assert isinstance(store, FlatObjects) and len(store) == len(rows)
    assert [store.mapping(i) for i in range(len(store))] == plain.pop("t")
    assert packed == plain                      # the rest of the record is read as before
    for i, row in enumerate(rows):
        for key in ("code", "x", "absent"):
            expected = plain_row_value(text, i, key)
            got = store.value(i, key)
            assert got == expected and type(got) is type(expected)


def plain_row_value(text: str, i: int, key: str):
    return parse_json(text)["t"][i].get(key)


def test_only_lists_of_flat_objects_are_packed_and_small_ones_are_not():
    rows = [{"code": str(100 + i), "x": "1.00"} for i in range(5)]
    text = json.dumps({"t": rows, "u": rows[:2], "g": {"a": "1", "b": {"value": "2", "unit": "元"}},
                       "with_source": [*rows, {"code": "9", "x": {"value": "1", "source": {"line": 3}}}],
                       "nested": [[{"a": "1"}] * 5]})
    hook = rowstore.PackingHook(dict, min_rows=3, run_before_packing=2)
    parsed = hook.finish(json.loads(text, parse_float=Decimal, parse_int=Decimal, object_pairs_hook=hook))
    assert isinstance(parsed["t"], FlatObjects)
    assert parsed["u"] == rows[:2]                             # fewer rows than the threshold
    assert parsed["with_source"] == json.loads(text)["with_source"]   # a row holding an object
    assert parsed["nested"] == [[{"a": "1"}] * 5]              # a list in a list is no table
    assert parsed["g"] == {"a": "1", "b": {"value": "2", "unit": "元"}}


def test_a_top_level_list_of_flat_records_stays_records(pack_all):
    records = [{"a": str(i)} for i in range(4)]
    assert parse_json(json.dumps(records), packed_tables=True) == records
    nested = {"g": {"a": "1"}, "t": [[{"a": "1"}, {"a": "2"}]], "u": [{"c": "1"}] * 3}
    parsed = parse_json(json.dumps(nested), packed_tables=True)
    assert parsed["g"] == nested["g"] and parsed["t"] == nested["t"]   # a list in a list is no table
    assert [parsed["u"].mapping(i) for i in range(3)] == nested["u"]


def test_objects_of_an_ordinary_record_are_never_packed():
    text = Path(__file__).resolve().parent.parent.joinpath("examples", "bureau_2025.record.json").read_text("utf-8")
    hook = rowstore.PackingHook(dict, min_rows=10 ** 9, run_before_packing=64)
    parsed = json.loads(text, parse_float=Decimal, parse_int=Decimal, object_pairs_hook=hook)
    assert hook.finish(parsed) == parse_json(text) and len(hook.store) == 0


# ---- the record model -----------------------------------------------------------------------------

def _mixed_rows(n: int) -> list:
    """Rows of a three-level classification with the cases a table meets: JSON numbers, texts,
    missing and null cells, a row without a code, amounts with many decimals, a code as a number."""
    rng = random.Random(n)
    rows = []
    for i in range(n):
        top = 100 + i // 111
        code = [str(top), f"{top}{i % 111 // 11:02d}", f"{top}{i % 111 // 11:02d}{i % 11:02d}"][min(i % 111 % 11, 2)]
        row: dict = {"code": code, "x": f"{rng.randrange(10**6)}.{rng.randrange(100):02d}"}
        if i % 7 == 0:
            row["y"] = f"@{rng.randrange(1000) / 1000}@"            # written as a JSON number: 0.123
        if i % 13 == 0:
            row["name"] = "一般公共服务支出"
        if i % 17 == 0:
            row["x"] = None                                            # a missing cell
        if i % 19 == 0:
            row["flag"] = True
        rows.append(row)
    unique, seen = [], set()
    for row in rows:
        if row["code"] not in seen:
            seen.add(row["code"])
            unique.append(row)
    unique.append({"x": "5.5"})                 # no code: its position is its code
    unique.append({"code": "@999@", "x": "0.000001"})          # a code given as a JSON number
    return unique


@pytest.mark.parametrize("odd_code", [None, "２０８-其他"])   # digits only (CodeIndex), or not (a dict)
def test_a_table_round_trips_exactly_through_the_store(tmp_path, monkeypatch, odd_code):
    rows = _mixed_rows(600)
    if odd_code:
        rows.insert(300, {"code": odd_code, "x": "1.5"})
    path = tmp_path / "big.json"
    text = json.dumps({"_meta": {"id": "big"}, "a": "1.00", "t": rows}, ensure_ascii=False)
    path.write_text(text.replace('"@', "").replace('@"', ""), encoding="utf-8")
    monkeypatch.setattr(rowstore, "PACKED_TABLE_ROWS", 10 ** 9)
    [as_list] = _read(path)
    monkeypatch.setattr(rowstore, "PACKED_TABLE_ROWS", 100)
    [packed] = _read(path)
    table, reference = packed.tables["t"], as_list.tables["t"]
    assert type(table) is PackedTable and type(reference) is Table
    assert len(table.rows) == len(reference.rows) == len(rows)
    assert list(table.rows) == reference.rows          # codes, positions, cells: Figures with Decimals
    for row, expected in zip(table.rows, reference.rows):
        for column, figure in expected.cells.items():
            assert str(row.cells[column].value) == str(figure.value)   # the printed digits
            assert row.cells[column].path == figure.path and row.cells[column].source is None
        assert row.cell("x") == expected.cell("x")     # a missing cell is None in both
    assert table.rows[-1] == reference.rows[-1] and table.rows[3:6] == reference.rows[3:6]
    assert dict(table.by_code) == reference.by_code
    for code in list(reference.by_code)[:200]:
        assert table.children_of(code) == reference.children_of(code)
        assert table.parent_of(code) == reference.parent_of(code)
    assert packed == as_list and packed.figures == as_list.figures
    # The record travels (multiprocessing) with its store.
    assert pickle.loads(pickle.dumps(packed)) == as_list


_DUPLICATE = {"code": "208", "x": "1"}
_OUT_OF_RANGE = {"code": "999", "x": "1e400"}


@pytest.mark.parametrize("bad, after, message", [
    (_DUPLICATE, {"code": "21001", "x": "3"}, "code 208 appears twice in the table"),
    (_DUPLICATE, _OUT_OF_RANGE, "code 208 appears twice in the table"),   # the first problem is reported
    (_OUT_OF_RANGE, _DUPLICATE, None),
    ({"code": "999", "x": "NaN"}, {"code": "21001", "x": "3"}, None),
    ({"code": True, "x": "1"}, {"code": "21001", "x": "3"}, None),
    ({"code": "A-1", "x": "1"}, {"code": "A-1", "x": "2"}, "code A-1 appears twice in the table"),  # not digits
    ({"code": "A-1", "x": "1"}, _DUPLICATE, "code 208 appears twice in the table"),
    ({"x": "1"}, {"code": "3", "x": "2"}, "code 3 appears twice in the table"),   # the 3rd row has no code
    ({"code": "4", "x": "1"}, {"x": "2"}, "code 4 appears twice in the table at t[4]"),   # ... the 4th row
    ({"code": "999", "x": "1", "x ": "2", "box": "x"}, {"code": "21001", "x": "3"}, None),
])
def test_a_bad_row_of_a_packed_table_is_the_same_record_error(tmp_path, monkeypatch, bad, after, message):
    rows = [{"code": "208", "x": "1"}, {"code": "20805", "x": "2"}, bad, after]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([json.dumps({"t": rows}), json.dumps({"t": rows[:2]})]) + "\n", encoding="utf-8")
    monkeypatch.setattr(rowstore, "PACKED_TABLE_ROWS", 10 ** 9)
    expected = _read(path)
    monkeypatch.setattr(rowstore, "PACKED_TABLE_ROWS", 1)
    got = _read(path)
    assert len(got) == 2 and not isinstance(got[1], RecordError)    # one bad record hides no other
    assert isinstance(expected[0], RecordError) == isinstance(got[0], RecordError)
    if isinstance(expected[0], RecordError):
        assert got[0].format() == expected[0].format()
    else:
        assert got[0] == expected[0]
        if message:
            assert message in got[0].format()


@pytest.mark.parametrize("rows, place", [
    ([{"code": "3"}, {"x": "1"}, {"x": "2"}], "code 3 appears twice in the table at t[3]"),
    ([{"x": "1"}, {"x": "2"}, {"code": "2"}], "code 2 appears twice in the table at t[3]"),
    ([{"code": "A-1"}, {"code": "3"}, {"x": "2"}], "code 3 appears twice in the table at t[3]"),   # a dict
    ([{"x": "1"}, {"code": "A-1"}, {"code": "1"}], "code 1 appears twice in the table at t[3]"),
    ([{"code": "03"}, {"x": "1"}, {"x": "2"}], None),     # "03" is not the 3rd row's "3"
])
def test_a_row_without_a_code_may_not_share_a_coded_rows_identity_in_either_order(tmp_path, monkeypatch,
                                                                                  rows, place):
    # A row without a code is known by its position (docs/records.md §Tables): the 3rd is "3",
    # and a coded row "3" would be a second row fn[3] -- refused whichever comes first, packed
    # (CodeIndex, or a dict once a code is not digits) as in a list.
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"t": rows}), encoding="utf-8")
    for packed_from in (10 ** 9, 1):
        monkeypatch.setattr(rowstore, "PACKED_TABLE_ROWS", packed_from)
        [got] = _read(path)
        if place is None:
            assert [row.code for row in got.tables["t"].rows] == ["03", "2", "3"]
        else:
            assert isinstance(got, RecordError) and got.format() == f"{path}: E300: {place}"


def test_duplicate_keys_in_a_row_are_still_refused(tmp_path, pack_all):
    path = tmp_path / "dup.json"
    path.write_text('{"t": [{"code": "1", "x": "1"}, {"code": "2", "x": "1", "x": "2"}]}', encoding="utf-8")
    [error] = _read(path)
    assert isinstance(error, RecordError) and "appears twice" in error.format() and "t[2]" in error.format()


# ---- rules ----------------------------------------------------------------------------------------

def _findings(report) -> list:
    return [f.to_dict() for f in report.sorted_findings()]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Generated records of the demo ruleset (some damaged, some rounded) in a JSON Lines file."""
    if not DEMO.exists():
        pytest.skip("examples/demo.rules is absent")
    ruleset = fiscalrules.load_ruleset(str(DEMO))
    rnd = random.Random(11)
    lines = []
    for i in range(8):
        record = generate_record(ruleset, rnd=rnd, rounded=bool(i % 2))
        if i % 3 == 2:
            record = damage(record, rnd, rate=0.05)
        lines.append(json.dumps(record, ensure_ascii=False, default=str))
    path = tmp_path_factory.mktemp("rowstore") / "generated.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ruleset, path


def test_rules_give_the_same_findings_over_a_packed_table(generated, monkeypatch):
    ruleset, path = generated
    expected = ruleset.evaluate_many([str(path)])
    monkeypatch.setattr(rowstore, "PACKED_TABLE_ROWS", 1)
    assert any(type(t) is PackedTable for r in read_records(path) if not isinstance(r, RecordError)
               for t in r.tables.values())
    got = ruleset.evaluate_many([str(path)])
    assert _findings(got) == _findings(expected)
    assert [f.text("en") for f in got.sorted_findings()] == [f.text("en") for f in expected.sorted_findings()]
    assert render_jsonl(got, "en") == render_jsonl(expected, "en")     # with the localisation
    assert [r.error for r in got.records] == [r.error for r in expected.records]


def test_a_written_finding_forgets_its_details_and_works_them_out_again(generated, monkeypatch):
    ruleset, path = generated
    monkeypatch.setattr(rowstore, "PACKED_TABLE_ROWS", 1)
    monkeypatch.setattr(context, "CACHE_LIMIT", 3)       # the per-record caches start over often
    report = ruleset.evaluate_many([str(path)])
    before = [(f.to_dict(), f.text("zh")) for f in report.findings]
    for finding in report.findings:
        finding.forget_details()
    assert [(f.to_dict(), f.text("zh")) for f in report.findings] == before

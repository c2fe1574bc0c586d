"""fiscalrules.records: loading JSON / YAML / JSON Lines / mappings into figures, exactly, and
refusing malformed records with an error that names the file, the line and the path inside."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules import RecordError, load_record, load_records, read_records


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- exact numbers --------------------------------------------------------------------------------------

def test_json_numbers_are_read_from_their_text(tmp_path):
    path = _write(tmp_path, "r.json", '{"a": 0.1, "b": 12345678901234567890.12, "c": 7, "d": 1.50, "e": -0.0}')
    [record] = load_records(path)
    values = {p: f.value for p, f in record.figures.items()}
    assert all(type(v) is D for v in values.values())
    assert str(values["a"]) == "0.1"                       # not 0.1000000000000000055511151231257827
    assert str(values["b"]) == "12345678901234567890.12"   # 22 digits survive
    assert values["c"] == 7 and str(values["d"]) == "1.50"  # printed precision kept
    assert values["e"] == 0


def test_json_number_precision_feeds_the_interval(tmp_path):
    path = _write(tmp_path, "r.json", '{"a": 10.00, "b": 9.99}')
    rules = fiscalrules.compile_rules("unit 万元\nprecision 万元 0.1\nfield a: amount\nfield b: amount\nrule R: a = b")
    finding = rules.evaluate_many([path]).findings[0]
    assert (finding.left.lo, finding.left.hi) == (D("9.995"), D("10.005"))   # 10.00 has two decimals
    assert finding.status == "pass_rounding"


def test_yaml_numbers_are_never_floats(tmp_path):
    path = _write(tmp_path, "r.yaml", "a: 329.94\nb: 0.1\nc: 12345678901234567890.12\nd: 7\n"
                                      "e: \"1,234.50\"\nf: 区级\ng: true\nh: 2025-01-01\ni: ~\n")
    [record] = load_records(path)
    values = {p: f.value for p, f in record.figures.items()}
    assert not any(isinstance(v, float) for v in values.values())
    assert values["a"] == D("329.94") and str(values["b"]) == "0.1"
    assert str(values["c"]) == "12345678901234567890.12"
    assert values["d"] == D(7) and str(values["e"]) == "1234.50"
    assert values["f"] == "区级" and values["g"] is True
    assert values["h"] == "2025-01-01"                  # a date stays the text it is
    assert "i" not in values                            # null is absent


def test_yaml_documents_and_lists(tmp_path):
    path = _write(tmp_path, "many.yaml", "a: 1\n---\na: 2\n---\n- a: 3\n- a: 4\n")
    records = load_records(path)
    assert [r.figures["a"].value for r in records] == [1, 2, 3, 4]
    assert [r.id for r in records] == ["many[1]", "many[2]", "many[3][1]", "many[3][2]"]


def test_json_array_of_records(tmp_path):
    path = _write(tmp_path, "batch.json", '[{"a": "1"}, {"_meta": {"id": "named"}, "a": "2"}]')
    assert [r.id for r in load_records(path)] == ["batch[1]", "named"]


@pytest.mark.parametrize("text, value", [("1,234.50", "1234.50"), ("１２３４．５", "1234.5"), ("−3", "-3"),
                                         (" 42 ", "42"), ("15,915.97", "15915.97")])
def test_amount_strings(text, value):
    figure = load_record({"a": text}).figures["a"]
    assert figure.value == D(value) and str(figure.value) == value


def test_text_values_stay_text():
    record = load_record({"a": "区级", "b": "第1e3号", "c": "见附表"})
    assert [record.figures[k].value for k in "abc"] == ["区级", "第1e3号", "见附表"]


@pytest.mark.parametrize("text", ["1e3", "1E400", "-2.5e-3", "+.5e2"])
def test_numbers_with_exponents_are_refused_not_taken_as_text(text):
    # docs/records.md: exponents are not how budgets print amounts; a record using one is malformed.
    with pytest.raises(RecordError) as caught:
        load_record({"income": {"total": text}})
    assert caught.value.path == "income.total" and "exponent" in caught.value.message


def test_python_decimals_and_ints_are_accepted():
    record = load_record({"a": D("1.10"), "b": 3})
    assert str(record.figures["a"].value) == "1.10" and record.figures["b"].value == D(3)


# ---- the record model ----------------------------------------------------------------------------------

def test_figures_with_metadata():
    record = load_record({"income": {"total": {
        "value": "1,286.45", "unit": "万元", "precision": "0.01", "change": "86.45", "pct": "7.20",
        "printed": "1,286.45万元", "label": "收入预算总额",
        "source": {"document": "demo.txt", "section": "一", "page": 2, "line": 41, "text": "收入预算总额1,286.45万元"}}}})
    f = record.get("income.total")
    assert (f.value, f.unit, f.precision, f.change, f.pct) == (D("1286.45"), "万元", D("0.01"), D("86.45"), D("7.20"))
    assert (f.printed, f.label) == ("1,286.45万元", "收入预算总额")
    assert (f.source.document, f.source.section, f.source.page, f.source.line) == ("demo.txt", "一", 2, 41)
    assert f.source.short() == "demo.txt p.2 line 41"


def test_a_mapping_with_other_keys_is_a_group():
    record = load_record({"a": {"value": "1", "other": "2"}})
    assert set(record.figures) == {"a.value", "a.other"}


def test_null_is_absent_everywhere():
    record = load_record({"a": None, "b": {"c": None}, "t": [None, {"code": "1", "x": None}]})
    assert record.figures == {}
    assert [r.code for r in record.table("t").rows] == ["1"]
    assert set(record.table("t").rows[0].cells) == {"code"}


def test_tables_rows_and_hierarchy():
    record = load_record({"t": [{"code": "208", "total": "10"}, {"code": 20805, "total": "6"},
                                {"code": "2080505", "total": "6"}, {"code": "20808", "total": "4"},
                                {"total": "1"}]})
    table = record.table("t")
    assert [r.code for r in table.rows] == ["208", "20805", "2080505", "20808", "5"]
    assert table.rows[-1].coded is False
    assert [r.code for r in table.children_of("208")] == ["20805", "20808"]
    assert [r.code for r in table.children_of("20805")] == ["2080505"]
    assert table.parent_of("2080505").code == "20805"
    assert table.parent_of("208") is None
    assert table.rows[1].cell("total").path == "t[20805].total"


def test_children_of_a_row_are_a_new_list_in_the_table_s_order():
    record = load_record({"t": [{"code": "208"}, {"code": "20808"}, {"code": "201"}, {"code": "20805"},
                                {"code": "20101"}, {"code": "2080801"}]})
    table = record.table("t")
    children = table.children_of("208")
    assert [r.code for r in children] == ["20808", "20805"]   # as printed, not sorted
    children.clear()   # the caller's list: the table's index is its own
    assert [r.code for r in table.children_of("208")] == ["20808", "20805"]
    assert [r.code for r in table.children_of("201")] == ["20101"]
    assert [r.code for r in table.children_of("20808")] == ["2080801"]
    assert table.children_of("2080801") == [] and table.children_of("999") == []


def test_what_a_record_keeps_is_little_for_the_garbage_collector_to_walk():
    # A batch keeps every record (for Report.localise) while it runs, and the collector walks
    # every container object they hold at each full collection: the paths under each prefix are
    # tuples of texts and a table's children index a dict of ints, which it stops walking.
    import gc
    record = load_record({"a": {"b": "1", "c": {"d": "2"}},
                          "t": [{"code": "208", "x": "1"}, {"code": "20805", "x": "1"}, {"code": "20808", "x": "0"}]})
    table = record.table("t")
    table.children_of("208")
    gc.collect()
    assert record.children["a"] == ("a.b", "a.c") and record.children["a.c"] == ("a.c.d",)
    assert not any(gc.is_tracked(paths) for paths in record.children.values())
    assert not gc.is_tracked(table._children[0]) and not gc.is_tracked(table._children[1])
    # a table of the same layout (its rows' codes) shares the index, and reads its own rows
    other = load_record({"t": [{"code": "208", "x": "2"}, {"code": "20805", "x": "3"}, {"code": "20808", "x": "4"}]})
    assert [r.cells["x"].value for r in other.table("t").children_of("208")] == [D(3), D(4)]
    assert other.table("t")._children is table._children


def test_a_list_of_plain_values_is_a_one_column_table():
    table = load_record({"t": ["1", "2"]}).table("t")
    assert [(r.code, r.cells["value"].value) for r in table.rows] == [("1", D(1)), ("2", D(2))]


def test_record_identity():
    assert load_record({"_meta": {"id": "x"}}).id == "x"
    assert load_record({}, id="given").id == "given"
    assert load_record({}, file="/a/b/c.json").id == "c.json"
    assert load_record({}).id == "record"
    record = load_record({"_meta": {"id": "x", "document": "d.txt",
                                    "unread": [{"section": "二", "lines": [1, 9], "reason": "详见附表"}]}})
    assert record.document == "d.txt" and record.unread[0]["reason"] == "详见附表"
    assert "_meta" not in {p.split(".")[0] for p in record.figures}


def test_wildcard_children_in_path_order():
    # path order, whatever order the record gives its keys in: a Parquet row read back lists its
    # columns in their order, and both engines must list a finding's operands alike (dbb21ae)
    record = load_record({"s": {"b": "1", "a": "2", "c": None, "d": {"e": "3"}}})
    assert [f.path for f in record.under("s")] == ["s.a", "s.b"]


# ---- malformed records ----------------------------------------------------------------------------------

@pytest.mark.parametrize("data, path, fragment", [
    ({"income": {"total": 1.5}}, "income.total", "not float"),
    ({"income": {"total": "NaN"}}, "income.total", "not a finite number"),
    ({"income": {"total": "Infinity"}}, "income.total", "not a finite number"),
    ({"income": {"total": "-inf"}}, "income.total", "not a finite number"),
    ({"income": {"total": D("1e400")}}, "income.total", "out of range"),
    ({"income": {"total": "1" * 31}}, "income.total", "more than 30 significant digits"),
    ({"income": {"total": "0." + "1" * 31}}, "income.total", "more than 30 significant digits"),
    ({"income": {"total": {"value": "1", "unit": 5}}}, "income.total", "unit must be text"),
    ({"income": {"total": {"value": "1", "change": True}}}, "income.total.change", "expected an amount"),
    ({"income": {"total": {"value": "1", "change": "多"}}}, "income.total.change", "expected an amount"),
    ({"income": {"total": {"value": "1", "pct": "NaN"}}}, "income.total.pct", "not a finite number"),
    ({"income": {"total": {"value": "1", "precision": "0"}}}, "income.total.precision", "must be positive"),
    ({"income": {"total": {"value": "1", "source": 5}}}, "income.total.source", "source must be a mapping"),
    ({"income": {"total": {"value": "1", "source": {"line": "x"}}}}, "income.total.source.line", "whole number"),
    ({"income": {"total": {"value": None}}}, "income.total", "needs a value"),
    ({"income": {"total": {"value": [1]}}}, "income.total", "unsupported value"),
    ({"t": [{"code": "208"}, {"code": "208"}]}, "t[2]", "code 208 appears twice"),
    ({"t": [{"x": "1"}, {"code": "1"}]}, "t[2]", "code 1 appears twice"),   # the 1st row, known as "1"
    ({"t": [{"code": "3"}, {"x": "1"}, {"x": "2"}]}, "t[3]", "code 3 appears twice"),   # ... in either order
    ({"t": [{"code": "208", "x": {"y": "1"}}]}, "t[1]", "must be a value"),
    ({"t": [{"code": True}]}, "t[1]", "row code"),
    ({"_meta": 5}, "_meta", "must be a mapping"),
    ({"a": {1: "x"}}, "a", "keys must be non-empty strings"),
])
def test_malformed_record_names_the_path(data, path, fragment):
    with pytest.raises(RecordError) as info:
        load_record(data, file="rec.json")
    err = info.value
    assert isinstance(err, fiscalrules.FiscalRulesError)
    assert err.path == path
    assert fragment in err.message
    assert err.message.endswith(f"at {path}")
    assert err.file == "rec.json"
    assert err.format().startswith("rec.json: E300:")


def test_a_record_must_be_a_mapping():
    for data in ([1], "text", 5, None):
        with pytest.raises(RecordError, match="must be a mapping"):
            load_record(data)


def test_nested_too_deep():
    data: dict = {"a": "1"}
    for _ in range(100):
        data = {"x": data}
    with pytest.raises(RecordError, match="nested too deeply"):
        load_record(data)


def test_absurdly_deep_json_is_a_record_error(tmp_path):
    path = _write(tmp_path, "deep.json", '{"x": ' * 100_000 + "1" + "}" * 100_000)
    [item] = list(read_records(path))
    assert isinstance(item, RecordError)


# ---- files ---------------------------------------------------------------------------------------------

def test_json_lines_with_one_bad_line(tmp_path):
    path = _write(tmp_path, "batch.jsonl", '{"a": "1"}\n{"a": \n\n{"t": [{"code": "1"}, {"code": "1"}]}\n'
                                           '{"a": 0.1}\n')
    items = list(read_records(path))
    assert len(items) == 4
    good = [i for i in items if not isinstance(i, RecordError)]
    bad = [i for i in items if isinstance(i, RecordError)]
    assert [r.id for r in good] == ["batch:1", "batch:5"]
    assert str(good[1].figures["a"].value) == "0.1"
    syntax, content = bad
    assert (syntax.file, syntax.line, syntax.column) == (str(path), 2, 7)
    assert "invalid JSON" in syntax.message and "^" in syntax.format()
    assert (content.file, content.line) == (str(path), 4)      # the line, and the path inside it
    assert content.path == "t[2]" and content.format().startswith(f"{path}:4: E300:")
    with pytest.raises(RecordError):
        load_records(path)                                      # load_records raises the first


def test_invalid_json_names_line_and_column(tmp_path):
    path = _write(tmp_path, "bad.json", '{\n  "a": "1",\n  "b": 2,,\n}')
    [err] = list(read_records(path))
    assert isinstance(err, RecordError)
    assert (err.line, err.column) == (3, 10)
    assert err.location.source_line == '  "b": 2,,'


def test_json_nan_is_refused(tmp_path):
    path = _write(tmp_path, "nan.json", '{"a": NaN}')
    [err] = list(read_records(path))
    assert isinstance(err, RecordError) and "NaN" in err.message


def test_json_huge_exponent_is_refused(tmp_path):
    path = _write(tmp_path, "big.json", '{"income": {"total": 1e400}}')
    [err] = list(read_records(path))
    assert isinstance(err, RecordError) and err.path == "income.total"


def test_invalid_yaml(tmp_path):
    path = _write(tmp_path, "bad.yaml", "a: [1, 2\nb: 3\n")
    [err] = list(read_records(path))
    assert isinstance(err, RecordError) and "invalid YAML" in err.message and err.line is not None


def test_missing_file_and_bad_encoding(tmp_path):
    [missing] = list(read_records(tmp_path / "nope.json"))
    assert isinstance(missing, RecordError) and "cannot read" in missing.message
    binary = tmp_path / "bin.json"
    binary.write_bytes(b'{"a": "\xff"}')
    [err] = list(read_records(binary))
    assert isinstance(err, RecordError) and "UTF-8" in err.message


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes('\ufeff{"a": "1"}'.encode())
    assert load_records(path)[0].figures["a"].value == 1


def test_records_round_trip_through_json(tmp_path):
    data = {"income": {"total": {"value": "98765432109876543210.12", "unit": "元"}}}
    path = _write(tmp_path, "r.json", json.dumps(data))
    assert str(load_records(path)[0].figures["income.total"].value) == "98765432109876543210.12"


# ---- rows' figures made when read; texts read again -------------------------------------------------

def test_a_rows_cells_are_figures_made_when_first_read():
    import attrs
    from fiscalrules.records import Figure, Row
    record = load_record({"t": [{"code": "208", "name": "社会保障", "total": "10.50", "flag": True,
                                 "basic": {"value": "4", "unit": "元"}}]})
    row = record.table("t").rows[0]
    # Cells printed without metadata are held as their values; the others as their Figures.
    assert row.cell_values["total"] == D("10.50") and isinstance(row.cell_values["basic"], Figure)
    cells = row.cells
    assert cells is row.cells   # made once
    assert cells["total"] == Figure("t[208].total", D("10.50"))
    assert cells["name"] == Figure("t[208].name", "社会保障")
    assert cells["flag"] == Figure("t[208].flag", True)
    assert (cells["basic"].value, cells["basic"].unit) == (D("4"), "元")
    assert list(cells) == ["code", "name", "total", "flag", "basic"]
    assert row == Row("t", "208", 1, dict(cells)) and row != Row("t", "208", 1, {**cells, "total": cells["code"]})
    assert repr(row).startswith("Row(table='t', code='208', index=1, cells={'code': Figure(path='t[208].code'")
    changed = attrs.evolve(row, cells={**cells, "total": Figure("t[208].total", D("11"))})
    assert changed.cell("total").value == D("11") and changed.cell("name") == cells["name"]


@pytest.mark.parametrize("figure", [
    {"value": "12.50", "change": "-1.25", "pct": "-9.09"}, {"value": "12.50", "pct": "3"},
    {"value": "12.50", "change": "1,000"}, {"value": "１２", "change": "1"}, {"value": "多", "change": "1"},
    {"value": "12.50", "change": None, "pct": "1"}, {"value": "0"},
])
def test_a_figure_with_its_change_reads_as_with_any_other_metadata(figure):
    # "unit": None sends the mapping through the general checks; the common shape reads the same.
    assert load_record({"a": figure}).get("a") == load_record({"a": {**figure, "unit": None}}).get("a")


def test_a_text_read_again_is_read_the_same():
    first = load_record({"a": "多", "b": "12.50", "t": [{"code": "1", "x": "多", "y": "12.50"}]})
    again = load_record({"a": "多", "b": "12.50", "t": [{"code": "1", "x": "多", "y": "12.50"}]})
    assert first == again and str(again.get("b").value) == "12.50"
    assert again.table("t").rows[0].cells["y"].value.as_tuple().exponent == -2
    with pytest.raises(RecordError, match="expected an amount"):   # a text read before is still no amount
        load_record({"a": {"value": "1", "change": "多"}})


def test_a_record_shows_its_figures_as_figures_before_and_after_they_are_made():
    # A loaded record holds plain figures bare (Record.figure_values) until something reads
    # ``figures``; its repr names them ``figures`` and shows Figures either way (session 26 left
    # it showing ``figure_values=`` with bare Decimals, then Figures once a rule had run).
    from fiscalrules.records import Figure
    record = load_record({"income": {"total": "1.5", "x": {"value": "2", "unit": "万元"}}})
    before = repr(record)
    assert type(record.figure_values["income.total"]) is not Figure   # still bare
    assert before.startswith("Record(id='record', figures={'income.total': Figure(path='income.total', "
                             "value=Decimal('1.5')")
    assert "figure_values" not in before and "unit='万元'" in before
    record.figures   # made
    assert repr(record) == before

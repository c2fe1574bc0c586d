"""Review 23's hostile-input findings (docs of the review: /work/team/review23.md), each a test
that failed before its mend: a record giving a table field as a value beside records giving it as
a table ended a columnar batch (R1)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cli_runs import read_jsonl, rules_place, run_cli

from fiscalrules import cli

RULES = ('unit 万元\nfield a: amount\nfield b: amount\n'
         'field tables.fn: table(code: text, total: amount)\n'
         'rule EQ: a = b\n'
         'rule POS { assert for each r in tables.fn: r.total >= 0 }\n')


@pytest.fixture
def place(tmp_path, monkeypatch):
    return rules_place(tmp_path, monkeypatch, RULES)


def _statuses(text: str) -> list:
    return sorted((f["record"], f["rule"], f["status"]) for f in read_jsonl(text) if f["status"] != "localisation")


# ---- R1: a table field given as a value in one record, as a table in another -------------------------

@pytest.mark.parametrize("value", ['"x"', "true", '"1.50"', '{"value": "2"}'])
def test_a_table_given_as_a_value_beside_tables_is_checked_alike_on_both_engines(place, capsys, value):
    """The record frame's column of the table's row counts also held the value: laid out as
    text, the whole columnar batch ended in an internal error (ArrowTypeError), nothing written."""
    (place / "d.jsonl").write_text(
        '{"_meta": {"id": "odd"}, "a": "1", "b": "1", "tables": {"fn": %s}}\n'
        '{"_meta": {"id": "t"}, "a": "1", "b": "2", "tables": {"fn": [{"code": "101", "total": "-1"}]}}\n'
        '{"_meta": {"id": "u"}, "a": "2", "b": "2", "tables": {"fn": [{"code": "101", "total": "1"}]}}\n' % value,
        encoding="utf-8")
    found = {}
    for engine in ("record", "columnar"):
        code, out, err = run_cli(capsys, "check", "r.rules", "-r", "d.jsonl", "--format", "jsonl",
                                 "--engine", engine, "--statuses", "fail,not_evaluable,error")
        assert code == 1 and "internal error" not in err
        found[engine] = _statuses(out)
    assert found["columnar"] == found["record"] == [
        ("odd", "POS", "not_evaluable"), ("t", "EQ", "fail"), ("t", "POS", "fail")]


# ---- R2: the record of a JSON array that cannot be read is named by its element ---------------------

@pytest.mark.parametrize("engine", ["record", "columnar"])
def test_an_unreadable_record_of_a_json_array_is_named_by_its_element(place, capsys, engine):
    """``arr.json: E300: not a finite number: 'NaN' at a`` named the file alone: which of the
    array's records?  (JSON Lines names the line, YAML the document's line.)"""
    (place / "arr.json").write_text('[{"a": "1", "b": "1"},\n {"a": "NaN", "b": "1"},\n {"a": "1", "b": "2"},\n'
                                    ' {"a": "1", "b": "1", "a": "2"}]', encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "arr.json", "--format", "jsonl", "--engine", engine)
    assert code == 2
    assert [line.split(": E300")[0] for line in err.splitlines()[:-1]] == ["arr.json[2]", "arr.json[4]"]
    assert "arr.json[2]: E300: not a finite number: 'NaN' at a" in err
    written = read_jsonl(out)
    assert [f["record"] for f in written if f["status"] == "read_error"] == ["arr.json[2]", "arr.json[4]"]
    assert [f["record"] for f in written if f["status"] == "fail"] == ["arr[3]"]


def test_the_api_names_an_unreadable_record_of_a_json_array_by_its_element(place):
    import fiscalrules
    (place / "x[1].json").write_text('{"a": "NaN"}', encoding="utf-8")   # one record: the file, whatever its name
    (place / "arr.json").write_text('[{"a": "1", "b": "1"}, {"a": "1e999999"}]', encoding="utf-8")
    report = fiscalrules.load_ruleset("r.rules").evaluate_many(["x[1].json", "arr.json"])
    assert [(info.id, info.error.split(": E300")[0] if info.error else None) for info in report.records] == [
        ("x[1].json", "x[1].json"), ("arr[1]", None), ("arr.json[2]", "arr.json[2]")]


# ---- R8: a lone surrogate in a record's key (valid JSON) --------------------------------------------

@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_lone_surrogate_in_a_record_key_is_written_escaped(place, capsys, fmt):
    """``{"\\ud800": "1"}`` is valid JSON: the key, listed among the record's unknown keys, ended
    ``--format json`` in an internal error (UnicodeEncodeError in the spool of the records list)."""
    import json
    (place / "s.json").write_text('{"a": "1", "b": "2", "\\ud800k": "1", "t": "\\udfff"}', encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "s.json", "--format", fmt, "-o", "out")
    assert (code, err) == (1, "")
    written = json.loads((place / "out").read_text(encoding="utf-8"))
    if fmt == "json":
        assert written["records"][0]["unknown_keys"] == ["\ud800k", "t"]
        assert written["summary"]["total"]["fail"] == 1


# ---- R6: a CSV file whose lines end in "\r" alone ------------------------------------------------------

@pytest.mark.parametrize("end", ["\r", "\r\n", "\n"])
def test_a_csv_file_of_any_line_end_is_read(place, capsys, end):
    """Lines ending in "\\r" alone (an old Mac's, some exports') were an internal error, "please
    report it" (the header row was read by the csv module from a text stream that split at "\\n")."""
    (place / "t.csv").write_bytes(end.join(["id,a,b", "r1,1,1", "r2,1,2", ""]).encode("utf-8"))
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "t.csv", "--format", "jsonl", "--statuses", "fail")
    assert code == 1 and "internal error" not in err
    assert [(f["record"], f["rule"]) for f in read_jsonl(out) if f["status"] == "fail"] == [("t.csv:r2", "EQ")]


# ---- R7: a ragged row of a CSV file: one unreadable record named by its line (tests/test_hostile24.py) ------

# ---- R5: a record frame of many columns is cut in linear work -----------------------------------------

class _Counted:
    """A pyarrow Table whose table-making calls are counted (each makes a whole new table)."""

    def __init__(self, table, calls):
        self._table, self._calls = table, calls

    def __getattr__(self, name):
        found = getattr(self._table, name)
        if name in ("set_column", "drop_columns", "remove_column", "append_column", "add_column"):
            def counted(*args, **kwargs):
                self._calls.append(name)
                return _Counted(found(*args, **kwargs), self._calls)
            return counted
        return found


def test_a_record_frame_is_cut_without_a_new_table_per_column():
    """_framed dropped the columns no record of a block reads with Table.drop_columns, which takes
    them out one at a time (a new table each), and nulled each partly read column with set_column
    (another): quadratic in the columns -- a one-row CSV file of 16,000 columns took 42 s, of
    100,000 (600 KB) over five minutes.  The frame is now made once from its columns."""
    pa = pytest.importorskip("pyarrow")
    np = pytest.importorskip("numpy")
    from fiscalrules.columnar.source import _Source
    names = [f"c{i}" for i in range(200)]
    table = pa.table({name: [f"{i}", None, "7"] for i, name in enumerate(names)})
    some = np.array([True, True, False])
    masks = {("column", name): some for name in names[:50]}          # 50 read by two records of three
    masks.update({("column", name): np.ones(3, bool) for name in names[50:60]})   # 10 by all
    wants = (masks, names, np.zeros(3, bool))                        # the other 140 by none
    source = _Source.__new__(_Source)
    source.id_column = None
    calls: list = []
    chunk, tables = source._framed(_Counted(table, calls), {}, wants)
    chunk = getattr(chunk, "_table", chunk)
    assert calls == []
    assert chunk.column_names == names[:60] and tables == {}
    assert chunk.column("c3").to_pylist() == ["3", None, None] and chunk.column("c55").to_pylist() == ["55", None, "7"]


# ---- R4: an odd object column of a DataFrame on the columnar engine --------------------------------

def _frame_statuses(rules, frame):
    many = rules.evaluate_many(frame)
    table = rules.evaluate_table(frame)
    by_row = {f.record: f.status for f in many.findings if f.rule == "EQ"}
    names = [info.id for info in many.records]
    codes = ("pass", "pass_rounding", "fail", "not_applicable", "not_evaluable", "error")
    return ([by_row.get(name, "unreadable") for name in names],
            [codes[c] if c < len(codes) else "unreadable" for c in table.statuses("EQ").tolist()],
            sorted(info.id for info in table.errors))


@pytest.mark.parametrize("cells, dtype, expected", [
    ([Decimal("1"), Decimal("NaN"), Decimal("Infinity")], object, ["pass", "not_evaluable", "unreadable"]),
    ([Decimal("1"), Decimal("sNaN"), Decimal("2")], object, ["pass", "not_evaluable", "fail"]),
    ([1 + 0j, 2j, 1], "complex128", ["unreadable", "unreadable", "unreadable"]),
])
def test_an_odd_cell_of_an_object_column_is_its_rows_on_both_engines(place, cells, dtype, expected):
    """A column of Decimals holding Decimal("Infinity"), or of complex numbers, made pa.array
    raise TypeError / ArrowNotImplementedError out of evaluate_table: the whole frame refused with
    no library error (evaluate_many read it, row by row); a Decimal NaN became the text "NaN"."""
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    import fiscalrules
    rules = fiscalrules.load_ruleset("r.rules")
    frame = pd.DataFrame({"a": pd.Series(cells, dtype=dtype), "b": ["1", "1", "1"]})
    many, table, errors = _frame_statuses(rules, frame)
    assert many == table == expected
    assert errors == [f"row {i + 1}" for i, status in enumerate(expected) if status == "unreadable"]


# ---- R3: evaluate_many names an unreadable mapping (a frame's row) by its id ---------------------------

def test_evaluate_many_names_a_row_or_mapping_it_cannot_read_by_its_id(place):
    """A frame's row the loader refuses (1e999999) was the record ``record``, its error
    ``<string>: E300: …``, where evaluate_table says ``row 2``; a mapping's ``_meta.id`` was lost too."""
    pd = pytest.importorskip("pandas")
    import fiscalrules
    rules = fiscalrules.load_ruleset("r.rules")
    frame = pd.DataFrame({"a": [Decimal("1"), Decimal("1e999999")], "b": ["1", "1"]})
    many = rules.evaluate_many(frame)
    assert [(info.id, (info.error or "").split(": E300")[0]) for info in many.records] == [("row 1", ""), ("row 2", "row 2")]
    assert [info.id for info in rules.evaluate_table(frame).errors] == ["row 2"]
    mappings = rules.evaluate_many([{"_meta": {"id": "x"}, "a": "NaN"}, {"a": "NaN"}])
    assert [(info.id, info.error.split(": E300")[0]) for info in mappings.records] == [("x", "x"), ("record", "<string>")]


# ---- R14: a source the loader refuses is not counted as checked by the columnar engine ---------------

@pytest.mark.parametrize("source", ['{"line": -1}', '{"line": 1.5}', '{"page": 1000000001}', '{"page_line": -2}',
                                    '{"line": 3, "line": 4}'])
def test_a_record_whose_source_the_loader_refuses_is_a_read_error_alone_on_both_engines(place, capsys, source):
    """The flattener took such a source for one the loader surely accepts: the columnar engine
    counted the record's findings (``pass 1, not_evaluable 1``) beside its read error."""
    (place / "d.jsonl").write_text('{"a": {"value": "1", "source": %s}, "b": "1"}\n{"a": "1", "b": "2"}\n' % source,
                                   encoding="utf-8")
    summaries = []
    for engine in ("record", "columnar"):
        code, out, err = run_cli(capsys, "check", "r.rules", "-r", "d.jsonl", "--format", "jsonl", "--engine", engine)
        assert code == 2 and err.startswith("d.jsonl:1: E300: ")
        summaries.append(err.splitlines()[-1])
    assert summaries == ["records 1: fail 1, not_evaluable 1, read errors 1"] * 2


# ---- R15: --format parquet and Report.to_arrow with a lone surrogate in a text value ------------------

def test_a_lone_surrogate_in_a_text_value_is_written_escaped_to_parquet(place, capsys):
    """``{"t": "\\ud800"}`` (valid JSON) put the character into the finding's message and figures:
    Arrow's strings are UTF-8, and the Parquet report ended in an internal error."""
    pq = pytest.importorskip("pyarrow.parquet")
    (place / "t.rules").write_text('field t "文本": text\nrule T: t = "x"\n', encoding="utf-8")
    (place / "s.jsonl").write_text('{"_meta": {"id": "x"}, "t": "\\ud800"}\n', encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "t.rules", "-r", "s.jsonl", "--format", "parquet", "-o", "out.parquet")
    assert (code, err) == (1, "records 1: fail 1\n")
    table = pq.read_table(str(place / "out.parquet"))
    assert table.column("figures").to_pylist() == ["t=\\ud800"]
    assert "\\ud800" in table.column("message").to_pylist()[0]


# ---- R16: the columns of a table file no rule reads are named ---------------------------------------

@pytest.mark.parametrize("fmt", ["table", "json", "jsonl"])
def test_the_columns_of_a_table_file_no_rule_reads_are_named(place, capsys, fmt):
    """A record file's keys that no field names are listed under the record; a CSV or Parquet
    column that names no field -- a typo, an invisible character after the name -- was dropped
    without a word, its figures never checked."""
    (place / "t.csv").write_text("id, a ,b\u200b,zzz,b.unit\nr1,1,2,3,元\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "t.csv", "--format", fmt)
    assert code == 2
    assert "t.csv: columns no declared field names (no rule reads them): 'b\\u200b', 'zzz'\n" in err
    (place / "u.csv").write_text("id,a,b\nr1,1,2\n", encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "u.csv", "--format", fmt)
    assert code == 1 and "columns" not in err


# ---- R18: the HTML report reads from disk only the text disclosures a record names -------------------

def test_the_html_report_does_not_embed_a_file_a_record_names_unless_a_text_disclosure(place, capsys):
    """A record's ``_meta.document`` (or a figure's source document) naming any readable file put
    that file's content into the page -- ``/etc/passwd``, a key, the bytes of a Parquet table."""
    pytest.importorskip("jinja2")
    (place / "secret").write_text("TOP-SECRET-LINE\n", encoding="utf-8")
    (place / "secret.json").write_text('{"token": "TOP-SECRET-JSON"}', encoding="utf-8")
    (place / "doc.txt").write_text("收入合计 1 万元 DOC-LINE\n", encoding="utf-8")
    records = [{"_meta": {"id": name, "document": str(place / name)},
                "a": {"value": "1", "source": {"document": str(place / name), "line": 1}}, "b": "2"}
               for name in ("secret", "secret.json", "doc.txt")]
    import json
    (place / "r.json").write_text(json.dumps(records), encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "r.json", "--format", "html", "-o", "out.html")
    page = (place / "out.html").read_text(encoding="utf-8")
    assert code == 1 and "TOP-SECRET" not in page and "DOC-LINE" in page


# ---- R17: control characters from a record are escaped in the HTML page ------------------------------

def test_control_characters_of_a_record_are_written_as_escapes_in_the_html_page(place, capsys):
    """A record id (or a text value) holding a NUL or a right-to-left override went into the page
    as is: HTML forbids the one, and the other shows the text reversed."""
    pytest.importorskip("jinja2")
    (place / "r.jsonl").write_text('{"_meta": {"id": "x\\u0000y\\u202ez"}, "a": "1", "b": "2"}\n', encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "r.jsonl", "--format", "html", "-o", "out.html")
    page = (place / "out.html").read_text(encoding="utf-8")
    assert code == 1 and "\x00" not in page and "\u202e" not in page
    assert "x\\x00y\\u202ez" in page


def test_check_shows_a_text_disclosure_a_record_names_only_inside_the_working_directory(place, capsys,
                                                                                          tmp_path_factory):
    """Any readable .txt file a record named still went into check's page (the API's Report.to_html:
    tests/test_hostile24.py)."""
    pytest.importorskip("jinja2")
    import json

    outside = tmp_path_factory.mktemp("elsewhere") / "notes.txt"
    outside.write_text("收入 OUTSIDE-LINE\n", encoding="utf-8")
    (place / "inside.txt").write_text("收入 INSIDE-LINE\n", encoding="utf-8")
    records = [{"_meta": {"id": name, "document": path}, "a": {"value": "1", "source": {"document": path, "line": 1}},
                "b": "2"} for name, path in (("o", str(outside)), ("i", "inside.txt"))]
    (place / "r.json").write_text(json.dumps(records), encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "r.json", "--format", "html", "-o", "out.html")
    page = (place / "out.html").read_text(encoding="utf-8")
    assert code == 1 and "OUTSIDE-LINE" not in page and "INSIDE-LINE" in page


# ---- R19: a selection that leaves no rule is said as such -----------------------------------------------

@pytest.mark.parametrize("option", [["--select", "NOPE"], ["--ignore", "EQ,POS"], ["--select", "E*", "--ignore", "EQ"]])
def test_a_selection_leaving_no_rule_is_said_as_such(place, capsys, option):
    """``--select`` with a typo ran no rule and blamed the records: "no rule could be checked: the
    records hold none of the figures the rules need (are their keys field paths?)"."""
    (place / "d.json").write_text('{"a": "1", "b": "1"}', encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "d.json", *option)
    assert (code, out) == (2, "") and "no rule id, pattern or tag of the rule files matches" in err and "figures" not in err
    code, out, err = run_cli(capsys, "check", "r.rules", "-r", "d.json", "--select", "EQ")
    assert code == 0 and err == ""

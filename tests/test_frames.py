"""DataFrames and Arrow tables in (one record per row) and out (one row per finding)."""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest

import fiscalrules
from fiscalrules.frames import column_paths, exact_value, frame_records

# pandas, pyarrow and numpy are imported by the tests that use them (fixtures, skipped where one is
# missing), not when this module is collected: every xdist worker collects every module, and pandas
# costs a worker that runs none of these tests ~0.7 CPU-s.


@pytest.fixture(scope="module")
def pd():
    return pytest.importorskip("pandas", reason="pandas is in the test extra; DataFrame support needs it")


@pytest.fixture(scope="module")
def pa():
    return pytest.importorskip("pyarrow", reason="pyarrow is in the test extra; Arrow support needs it")


@pytest.fixture(scope="module")
def np():
    return pytest.importorskip("numpy", reason="numpy comes with pandas")


RULES = fiscalrules.compile_rules('''
unit 万元
field income.total "收入预算总额": amount
field income.sources.* : amount
field doc.level "级次": text
rule INC-1 "收入等于各项之和": 收入预算总额 = sum(income.sources.*)
''')


def statuses(report):
    return [(f.record, f.status) for f in report.findings if f.rule == "INC-1"]


def test_columns_by_path_and_by_label(pd):
    df = pd.DataFrame({"收入预算总额": ["10.00", "12.00"], "income.sources.a": ["7.00", "7.00"],
                       "income.sources.b": ["3.00", "3.00"]})
    assert statuses(RULES.evaluate_many(df)) == [("row 1", "pass"), ("row 2", "fail")]


def test_numpy_integers_accepted_in_frames_and_in_to_dict_records(pd, np):
    df = pd.DataFrame({"income.total": np.array([10, 11], dtype=np.int64),
                       "income.sources.a": np.array([10, 10], dtype=np.int32)})
    assert statuses(RULES.evaluate_many(df)) == [("row 1", "pass"), ("row 2", "fail")]
    record = {"income": {"total": np.int64(10), "sources": {"a": np.int16(10)}}}
    assert [f.status for f in RULES.evaluate(record).findings] == ["pass"]


def test_floats_refused_with_the_column_and_row_named(pd):
    df = pd.DataFrame({"收入预算总额": [10.0, 12.5], "income.sources.a": ["10", "12.5"]})
    report = RULES.evaluate_many(df)
    assert not report.findings and len(report.errors) == 2
    message = report.errors[0].error
    assert "收入预算总额" in message and "row 1" in message and 'floats="printed"' in message


def test_floats_read_through_their_printed_text_when_asked(pd):
    # 0.1 + 0.2 as binary floats is 0.30000000000000004; read as printed it is exactly 0.3.
    df = pd.DataFrame({"income.total": [0.3], "income.sources.a": [0.1], "income.sources.b": [0.2]})
    assert statuses(RULES.evaluate_many(df, floats="printed")) == [("row 1", "pass")]
    assert exact_value(329.94, "printed", "x") == Decimal("329.94")


def test_missing_cells_are_missing_figures(pd, np):
    df = pd.DataFrame({"income.total": ["10", None], "income.sources.a": ["10", "4"]})
    assert statuses(RULES.evaluate_many(df)) == [("row 1", "pass"), ("row 2", "not_evaluable")]
    nan = pd.DataFrame({"income.total": [np.nan], "income.sources.a": [pd.NA]}, dtype=object)
    assert statuses(RULES.evaluate_many(nan)) == [("row 1", "not_evaluable")]


def test_arrow_tables_and_decimal_columns(pa):
    table = pa.table({"id": ["a", "b"], "income.total": pa.array([Decimal("1.10"), Decimal("2.00")]),
                      "income.sources.a": ["1.10", "1.00"]})
    report = RULES.evaluate_many(table)
    assert statuses(report) == [("a", "pass"), ("b", "fail")]
    fig = [o for f in report.findings for o in f.operands if o.path == "income.total"][0]
    assert fig.value == Decimal("1.10")


def test_a_frame_whose_columns_are_all_dropped_keeps_its_records_and_their_tables(pa, pd):
    # The columnar engine reads a failing record back with only the columns its failing rules
    # need -- sometimes none but a table's rows: the records are still there, one per row.
    rules = fiscalrules.compile_rules('''
unit 万元
field fn "功能分类": table(code "科目编码": text, total "合计": amount)
''')
    rows = pa.table({"_record": [0, 1, 1], "科目编码": ["201", "208", "20805"], "合计": ["1", "2", "2"]})
    for frame in (pa.table({"x": [1, 2]}).drop_columns(["x"]), pd.DataFrame(index=range(2))):
        items = list(frame_records(frame, rules.fields, rules.checked.labels, tables={"fn": rows}))
        assert [[row["code"] for row in item["fn"]] for item in items] == [["201"], ["208", "20805"]]


def test_two_columns_naming_one_field_are_refused():
    from fiscalrules.errors import RecordError
    with pytest.raises(RecordError, match="both name the field income.total"):
        column_paths(["income.total", "收入预算总额"], RULES.fields, RULES.checked.labels)


def test_a_bad_row_does_not_stop_the_others(pd):
    df = pd.DataFrame({"income.total": ["10", object()], "income.sources.a": ["10", "1"]})
    items = list(frame_records(df, RULES.fields, RULES.checked.labels))
    assert isinstance(items[0], dict) and isinstance(items[1], fiscalrules.RecordError)


def test_report_to_pandas_one_row_per_finding(pd):
    report = RULES.evaluate_many(pd.DataFrame({"income.total": ["10", "11"], "income.sources.a": ["10", "10"]}))
    df = report.to_pandas()
    assert len(df) == len(report.findings) == 2
    failed = df[df.status == "fail"].iloc[0]
    assert failed["left"] == Decimal("11") and failed["right"] == Decimal("10")
    assert failed["difference"] == Decimal("1") and isinstance(failed["difference"], Decimal)
    assert "收入等于各项之和" in failed["message"]
    assert "difference 1.00 万元" in report.to_pandas(lang="en")["message"].iloc[1]


def test_report_to_arrow_keeps_decimals_exact(pd, pa):
    report = RULES.evaluate_many(pd.DataFrame({"income.total": ["10.05", "11"], "income.sources.a": ["10.05", "10"]}))
    table = report.to_arrow()
    assert table.num_rows == 2
    assert pa.types.is_decimal(table.schema.field("left").type)
    assert table.column("left").to_pylist() == [Decimal("10.05"), Decimal("11.00")]
    assert table.column("status").to_pylist() == ["pass", "fail"]


def test_optional_libraries_not_imported_unless_used():
    import subprocess
    code = ("import sys, fiscalrules; r = fiscalrules.compile_rules('field a: amount\\nrule R: a = 1');"
            "r.evaluate({'a': '1'}).to_csv();"
            "print(sorted(m for m in ('pandas', 'pyarrow', 'duckdb', 'jinja2', 'numpy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

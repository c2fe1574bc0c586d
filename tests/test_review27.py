"""Session 27's mends by the lead, each a case that failed before.

SARIF of records given to the library as mappings had no file to locate their results at, and
GitHub's code scanning refuses a result without a physical location: ``to_sarif(artifact=...)``
names the file the caller read them from.
"""

from __future__ import annotations

import json

import fiscalrules

RULES = 'unit 万元\nfield a "甲": amount\nfield b "乙": amount\nfield c "丙": amount\nrule R-1 "甲等于乙加丙": a = b + c\n'


def _locations(sarif):
    return [result["locations"][0] for result in json.loads(sarif)["runs"][0]["results"]]


def test_records_given_as_mappings_are_located_at_the_artifact_the_caller_names():
    rules = fiscalrules.compile_rules(RULES)
    report = rules.evaluate_many([{"_meta": {"id": "r1"}, "a": "4", "b": "1", "c": "2"},
                                  {"_meta": {"id": "r2", "document": "二处/预算.txt"}, "a": "9", "b": "1", "c": "2"}])
    # without it: logical locations only for the record with no document (valid SARIF)
    plain = _locations(report.to_sarif(lang="en"))
    assert ["physicalLocation" in loc for loc in plain] == [False, True]
    located = _locations(report.to_sarif(lang="en", artifact="exports/batch 1.json"))
    assert [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in located] == [
        "exports/batch%201.json",                                     # the caller's file
        "%E4%BA%8C%E5%A4%84/%E9%A2%84%E7%AE%97.txt"]                  # its own document, not the artifact
    assert located[0]["logicalLocations"] == plain[0]["logicalLocations"]
    from pathlib import Path
    assert report.to_sarif(lang="en", artifact=Path("exports/batch 1.json")) == report.to_sarif(
        lang="en", artifact="exports/batch 1.json")


def test_a_record_file_keeps_its_own_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rec.json").write_text('{"_meta": {"id": "r1"}, "a": "4", "b": "1", "c": "2"}', encoding="utf-8")
    report = fiscalrules.compile_rules(RULES).evaluate_many(["rec.json"])
    [loc] = _locations(report.to_sarif(artifact="elsewhere.json"))
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == "rec.json"


# ---- review 27 (read27's 9b5e4a9): coverage took an amount before a 合计 for a code -----------------

def test_coverage_counts_the_amount_before_a_total_as_an_amount():
    # pypdfium2's text joins rows on a line; the codes of the rows after the first are codes, but a
    # 合计 row prints none, so the whole-yuan amount before it ("500") is a printed figure
    from fiscalrules.readers.common.coverage import _inline_codes
    assert _inline_codes("2080599 其他支出 4,160 500 合计 4,660 500".split()) == set()
    assert _inline_codes("2080599 其他支出 4,160 500 总计 4,660 500".split()) == set()
    # (a row's code pieces before its name still are codes)
    assert _inline_codes("2080599 其他支出 4,160 4,160 208 05 99 其他 10 10".split()) == {4, 5, 6}


# ---- review 27 (col27r's ce705e5): a dictionary of numbers crashed evaluate_table -------------------

def test_a_dictionary_of_numbers_is_read_as_the_numbers_it_holds():
    # a pandas Categorical of amounts (an Arrow dictionary<int64> / <double>) went to the reader of
    # coded texts and raised TypeError ("object of type 'int' has no len()") out of evaluate_table
    pd = __import__("pytest").importorskip("pandas")
    pa = __import__("pytest").importorskip("pyarrow")
    from columnar_equivalence import assert_same
    rules = fiscalrules.compile_rules('field total "合计": amount\nrule R1 "非负": total >= 0\n')
    for column in (pd.Categorical([1, -2, 3] * 100), pd.Categorical([1.5, -2.25, 3.0] * 100)):
        frame = pd.DataFrame({"合计": column})
        assert_same(rules, frame, frame, chunk_rows=1000)   # (floats: refused alike, as without categories)
    frame = pd.DataFrame({"合计": pd.Categorical([1, -2, 3] * 100)})
    assert rules.evaluate_table(frame).counts["R1"] == {**dict.fromkeys(
        ("pass", "pass_rounding", "fail", "not_applicable", "not_evaluable", "error"), 0), "pass": 200, "fail": 100}
    table = pa.table({"合计": pa.array([1, -2, 3] * 100).dictionary_encode()})
    assert pa.types.is_dictionary(table.column("合计").type)
    assert_same(rules, table, table.to_pandas(), chunk_rows=1000)


# ---- review 27 (col27k's b53f08a): a quotient scaled by a figure built a program that fell back ----

def test_a_quotient_scaled_by_a_figure_is_no_program():
    # ``a / b * n`` (n read from the records) made a program that computed its leaves in every
    # chunk, then fell back to the numpy path: the work done twice; a constant factor runs
    pytest = __import__("pytest")
    pytest.importorskip("numpy")
    from fiscalrules.columnar import flatprog, flatten_records, kernel
    if kernel.compiled() is None:
        pytest.skip("the C kernel is not built")
    from columnar_equivalence import assert_same, programs_counted
    head = "unit 万元\nfield a: number\nfield b: number\nfield n: number\n"
    records = [{"_meta": {"id": f"r{i}"}, "a": str(i), "b": "3", "n": "100"} for i in range(50)]
    for rule, ran in (('rule G "g" { assert a / b * n >= 1 }', 0), ('rule G "g" { assert a / b * 100 >= 1 }', 5)):
        rules = fiscalrules.compile_rules(head + rule)
        frames = flatten_records(records, rules)
        with programs_counted(flatprog.FlatProgram, flatprog.Fallback) as seen:
            assert_same(rules, frames, records, chunk_rows=10)
        assert seen == {"ran": ran, "fell back": 0}

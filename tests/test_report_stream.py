"""A batch written a record at a time (fiscalrules.report_stream) is byte for byte the report of
the whole batch rendered at once -- JSON, table, SARIF and HTML, with localisation, read errors,
several rulesets and records no rule could check -- and gives the same exit code; the HTML page
is bounded; a batch that cannot be written leaves no file."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules import report_stream
from fiscalrules.cli import main
from fiscalrules.findings import SEVERITY_RANK, Status
from fiscalrules.report_stream import merge_reports, open_writer, record_reports
from fiscalrules.reporters import render_json, render_table
from fiscalrules.report_sarif import render_sarif

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

SMALL_RULES = """
unit 万元
field a "甲": amount
field b: amount
field t: table(code: text, x: amount)
rule R "甲等于乙": a = b
rule T: for each r in t where count(children(r)) > 0: r.x = sum(children(r).x)
"""


def _batch(tmp_path: Path) -> list[str]:
    """Record files with good records, failures to localise, read errors (a bad line, a missing
    file), a record of keys no rule knows, and the same id twice."""
    lines = [{"_meta": {"id": "ok"}, "a": "1.50", "b": "1.50", "t": [{"code": "208", "x": "3"}, {"code": "20805", "x": "3"}]},
             {"_meta": {"id": "bad-sum"}, "a": "2", "b": "2", "t": [{"code": "208", "x": "3"}, {"code": "20805", "x": "2"}]},
             {"_meta": {"id": "a-wrong"}, "a": "7", "b": "5"},
             {"_meta": {"id": "ok"}, "a": "3", "b": "3"},
             {"unknown": "1", "other": "2"}]
    jsonl = tmp_path / "batch.jsonl"
    jsonl.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines[:3]) + "\nnot json\n"
                     + "\n".join(json.dumps(x) for x in lines[3:]) + "\n", encoding="utf-8")
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"a": "1", "b": "1.01"}), encoding="utf-8")
    return [str(jsonl), str(tmp_path / "missing.json"), str(single)]


def _whole(rulesets, sources) -> fiscalrules.Report:
    """The batch's report held whole, as the CLI made it before batches were streamed."""
    report = merge_reports([ruleset.evaluate_many(sources) for ruleset in rulesets])
    report.ruleset = "+".join(r.name for r in rulesets)
    return report


def _streamed(fmt: str, rulesets, sources, **options) -> tuple[str, report_stream.Totals]:
    out = io.StringIO()
    writer = open_writer(fmt, out, "zh" if "lang" not in options else options.pop("lang"), **options)
    for chunk in record_reports(rulesets, sources):
        writer.write(chunk)
    writer.close("+".join(r.name for r in rulesets), rulesets)
    return out.getvalue(), writer.totals


def _rulesets(tmp_path: Path, which: str):
    small = tmp_path / "small.rules"
    small.write_text(SMALL_RULES, encoding="utf-8")
    if which == "one":
        return [fiscalrules.load_ruleset(str(small))]
    return [fiscalrules.load_ruleset(str(small)), fiscalrules.load_ruleset(str(EXAMPLES / "demo.rules"))]


@pytest.mark.parametrize("which", ["one", "two"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("localise", [True, False])
def test_streamed_json_and_table_equal_the_whole_report(tmp_path, which, lang, localise):
    rulesets = _rulesets(tmp_path, which)
    sources = _batch(tmp_path) + [str(EXAMPLES / "demo.records.jsonl")]
    whole = _whole(rulesets, sources)
    if localise:
        whole.localise()
    text, totals = _streamed("json", rulesets, sources, lang=lang, localise=localise)
    assert text == render_json(whole, lang=lang, localise=localise)
    document = json.loads(text)   # the batch fails and is localised: not a vacuous comparison
    assert document["summary"]["total"]["fail"] >= 2 and bool(document["localisation"]) == localise
    for show_passes in (False, True):
        text, _ = _streamed("table", rulesets, sources, lang=lang, localise=localise, show_passes=show_passes)
        assert text == render_table(whole, lang=lang, show_passes=show_passes, localise=localise)
    assert totals.records == len(whole.records) and totals.items == len(whole.findings)
    assert [info.id for info in totals.errors] == [info.id for info in whole.errors]


def test_streamed_sarif_equals_the_whole_report(tmp_path):
    rulesets = _rulesets(tmp_path, "two")
    sources = _batch(tmp_path)
    whole = _whole(rulesets, sources)
    text, _ = _streamed("sarif", rulesets, sources, localise=False)   # SARIF always localises
    assert text == render_sarif(whole, rulesets=rulesets)
    results = json.loads(text)["runs"][0]["results"]
    assert results and all(r["ruleIndex"] >= 0 for r in results)


def test_streamed_html_equals_the_whole_report(tmp_path):
    pytest.importorskip("jinja2")
    from fiscalrules.report_html import render_html
    rulesets = _rulesets(tmp_path, "one")
    sources = _batch(tmp_path)
    whole = _whole(rulesets, sources)
    whole.localise()
    stamp = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d")   # the page says when it was made
    text, _ = _streamed("html", rulesets, sources)
    assert stamp.sub("T", text) == stamp.sub("T", render_html(whole))


def test_lists_spooled_to_disk_are_copied_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(report_stream, "SPOOL_BYTES", 64)   # every list rolls over to a file at once
    rulesets = _rulesets(tmp_path, "two")
    sources = _batch(tmp_path)
    whole = _whole(rulesets, sources)
    whole.localise()
    assert _streamed("json", rulesets, sources)[0] == render_json(whole)


def test_an_empty_batch_is_the_empty_report(tmp_path):
    rulesets = _rulesets(tmp_path, "one")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    whole = _whole(rulesets, [str(empty)])
    assert _streamed("json", rulesets, [str(empty)])[0] == render_json(whole)
    assert _streamed("table", rulesets, [str(empty)])[0] == render_table(whole)


def _old_exit_code(report, fail_on: str) -> int:
    """The exit code the CLI gave a batch held whole."""
    if report.errors:
        return 2
    if report.records and report.nothing_checked():
        return 2
    if fail_on == "never":
        return 0
    threshold = SEVERITY_RANK[fail_on]
    return 1 if any(f.status in (Status.FAIL, Status.ERROR) and SEVERITY_RANK.get(f.severity, 2) <= threshold
                    for f in report.findings) else 0


@pytest.mark.parametrize("records", [
    [{"a": "1", "b": "1"}],                                   # clean
    [{"a": "1", "b": "2"}],                                   # a failure
    [{"a": "1", "b": "1"}, {"zz": "1"}],                      # one record of unknown keys only
    [{"zz": "1"}, {"yy": "2"}],                               # no record any rule knows
    [{"t": [{"code": "1", "x": "1"}]}],                       # nothing checkable
])
@pytest.mark.parametrize("fail_on", ["error", "warning", "never"])
def test_exit_codes_are_those_of_the_whole_report(tmp_path, records, fail_on):
    rulesets = _rulesets(tmp_path, "one")
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    _, totals = _streamed("json", rulesets, [str(path)])
    whole = _whole(rulesets, [str(path)])
    assert totals.exit_code(fail_on) == _old_exit_code(whole, fail_on)
    assert main(["check", str(tmp_path / "small.rules"), "-r", str(path), "--format", "json", "--fail-on", fail_on,
                 "-o", str(tmp_path / "out.json")]) == _old_exit_code(whole, fail_on)


def test_cli_json_of_a_batch_is_the_whole_report(tmp_path, capsys):
    rulesets = _rulesets(tmp_path, "one")
    sources = _batch(tmp_path)
    code = main(["check", str(tmp_path / "small.rules")] + [a for s in sources for a in ("-r", s)] + ["--format", "json"])
    out, err = capsys.readouterr()
    whole = _whole(rulesets, sources)
    whole.localise()
    assert out == render_json(whole)
    assert code == 2 and "missing.json" in err            # a read error: exit 2, reported, the rest written
    assert len(json.loads(out)["records"]) == len(whole.records) == 8


def test_html_page_is_bounded(tmp_path, monkeypatch, capsys):
    pytest.importorskip("jinja2")
    monkeypatch.setattr(report_stream, "HTML_MAX_RECORDS", 2)
    _rulesets(tmp_path, "one")
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(json.dumps({"a": str(i), "b": str(i)}) for i in range(3)) + "\n", encoding="utf-8")
    out = tmp_path / "page.html"
    code = main(["check", str(tmp_path / "small.rules"), "-r", str(path), "--format", "html", "-o", str(out)])
    assert code == 2
    assert "--format json" in capsys.readouterr().err
    assert not out.exists()                                # nothing half-written
    assert main(["check", str(tmp_path / "small.rules"), "-r", str(path), "--format", "html", "-o", str(out),
                 "--select", "R"]) == 2                    # the bound counts records, not findings
    path.write_text("\n".join(json.dumps({"a": str(i), "b": str(i)}) for i in range(2)) + "\n", encoding="utf-8")
    assert main(["check", str(tmp_path / "small.rules"), "-r", str(path), "--format", "html", "-o", str(out)]) == 0
    assert "<html" in out.read_text(encoding="utf-8")


def test_a_batch_that_fails_midway_leaves_no_output_file(tmp_path, monkeypatch, capsys):
    _rulesets(tmp_path, "one")
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(json.dumps({"a": str(i), "b": str(i + i % 2)}) for i in range(4)) + "\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    calls = []

    def broken(self, chunk):
        calls.append(chunk)
        if len(calls) == 3:
            raise RuntimeError("boom")
        return original(self, chunk)
    original = report_stream._TableWriter._write
    monkeypatch.setattr(report_stream._TableWriter, "_write", broken)
    code = main(["check", str(tmp_path / "small.rules"), "-r", str(path), "-o", str(out)])
    assert code == 2 and "RuntimeError: boom" in capsys.readouterr().err
    assert len(calls) == 3 and not out.exists()     # the table had begun: the file is removed

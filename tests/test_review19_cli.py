"""Review 18 B's hostile-input and command-line leftovers (B18-9), each checked end to end through
``cli.main`` (or the command in a subprocess, where a module must be hidden): a file in the working
directory named like a bundled ruleset (B18-9a), ``test`` of an empty folder among rule files
(B18-9d), a nested Parquet struct with two children of one name (B18-9f), the Chinese report's
words (B18-9g) and an optional extra not installed."""

from __future__ import annotations

import json
import os

import pytest

from fiscalrules import cli

from cli_runs import EXAMPLE_RULES, run_cli  # noqa: E402

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")


@pytest.fixture
def place(tmp_path, monkeypatch):
    monkeypatch.delenv("FISCALRULES_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _audit_json(capsys, *argv) -> tuple[int, dict]:
    code, out, err = run_cli(capsys, "audit", *argv, "--format", "json")
    return code, (json.loads(out) if out.strip() else {"stderr": err})


# ---- B18-9a: a file or folder named like a bundled ruleset does not stand in for the one never named ----

@pytest.mark.parametrize("shadow", ["file", "folder"])
def test_the_default_ruleset_is_the_bundled_one_whatever_the_working_directory_holds(place, capsys, shadow):
    """`touch budget_disclosure; fiscalrules audit doc.txt` loaded the empty file as the default
    ruleset ("no rule could be checked", exit 2), and a folder of that name was an E500."""
    document = os.path.join(EXAMPLES, "bureau_2025.txt")
    expected_code, expected = _audit_json(capsys, document)
    assert expected["ruleset"] == "budget_disclosure" and expected["summary"]["total"]["fail"] > 0
    if shadow == "file":
        (place / "budget_disclosure").write_text("", encoding="utf-8")
    else:
        (place / "budget_disclosure").mkdir()
    code, report = _audit_json(capsys, document)
    assert (code, report.get("ruleset"), report.get("summary")) == \
        (expected_code, "budget_disclosure", expected["summary"]), report.get("stderr")


def test_a_templates_ruleset_is_the_bundled_one_whatever_the_working_directory_holds(place, capsys):
    """A final-accounts document is audited by the bundled final_accounts ruleset too: a file of
    that name here (holding a rule that would fail everything) is not it."""
    pytest.importorskip("pypdfium2")
    document = os.path.join(EXAMPLES, "qingshi_culture_2024_final_accounts.pdf")
    expected_code, expected = _audit_json(capsys, document)
    assert expected["ruleset"] == "budget_disclosure+final_accounts"
    (place / "final_accounts").write_text("rule SHADOW: 1 = 2\n", encoding="utf-8")
    code, report = _audit_json(capsys, document)
    assert (code, report.get("ruleset"), report.get("summary")) == \
        (expected_code, expected["ruleset"], expected["summary"]), report.get("stderr")


def test_a_ruleset_the_user_names_is_still_a_path_first(place, capsys):
    """`--ruleset budget_disclosure` with a folder of that name here: the user named a path that
    exists, and it is taken as one, as documented (docs/cli.md) -- the folder holds no rule file."""
    (place / "budget_disclosure").mkdir()
    code, out, err = run_cli(capsys, "audit", os.path.join(EXAMPLES, "bureau_2025.txt"),
                             "--ruleset", "budget_disclosure")
    assert code == 2 and "E500" in err and "budget_disclosure" in err


# ---- B18-9d: a folder without rule files is reported, and the other rule files still run ----------------

def test_test_of_an_empty_folder_runs_the_other_rule_files_examples(place, capsys):
    """`fiscalrules test EMPTYDIR good.rules`: the E500 ended the run before any example ran."""
    (place / "empty").mkdir()
    (place / "good.rules").write_text(EXAMPLE_RULES, encoding="utf-8")
    code, out, err = run_cli(capsys, "test", "empty", "good.rules")
    assert code == 2 and "E500" in err and "empty" in err
    assert "2 passed, 0 failed, 1 rule file could not be read" in out


def test_lint_of_an_empty_folder_lists_it_among_the_other_problems(place, capsys):
    (place / "empty").mkdir()
    (place / "bad.rules").write_text("rule R: a = \n", encoding="utf-8")
    code, out, err = run_cli(capsys, "lint", "empty", "bad.rules")
    assert code == 2 and "E500" in out and "E101" in out and "2 problems" in out, out + err


def test_check_of_an_empty_rule_folder_reports_every_rule_file_that_does_not_load(place, capsys):
    """check needs every ruleset: it still gives up (exit 2), but after saying what else is wrong."""
    (place / "empty").mkdir()
    (place / "bad.rules").write_text("rule R: a = \n", encoding="utf-8")
    (place / "d.jsonl").write_text('{"_id": "x", "a": 1, "b": 1}\n', encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "empty", "bad.rules", "-r", "d.jsonl")
    assert code == 2 and "E500" in err and "E101" in err and not out


@pytest.mark.parametrize("fmt", ["table", "jsonl"])
def test_check_and_audit_of_an_empty_folder_report_it_and_run_the_other_inputs(place, capsys, fmt):
    """The same E500 through check's -r and audit's documents: it ended the run before any input."""
    (place / "empty").mkdir()
    (place / "good.rules").write_text(EXAMPLE_RULES, encoding="utf-8")
    (place / "d.jsonl").write_text('{"_id": "x", "a": 1, "b": 2}\n', encoding="utf-8")
    code, out, err = run_cli(capsys, "check", "good.rules", "-r", "empty", "-r", "d.jsonl", "--format", fmt)
    assert code == 2 and "empty: E500: no .json" in err and "d:1" in out
    code, out, err = run_cli(capsys, "audit", "empty", os.path.join(EXAMPLES, "bureau_2025.txt"), "--format", fmt)
    assert code == 2 and "empty: E500: no .txt, .pdf, .ofd, .html, .htm, .mht, .mhtml, .xlsx, .xls, .et, .docx, .doc, .wps, .rtf or .zip files in the folder empty" in out + err and "bureau_2025" in out


# ---- B18-9f: a Parquet struct with two children of one name is an E300 naming it, as a JSON key twice is --

NESTED_RULES = """unit 万元
precision 万元 0.01
field income.total "合计": amount
field a: amount
field b: amount default 0
field fn "功能分类": table(code "科目编码": text, total "合计": amount)
rule SUM: income.total = a + b
"""


def _struct_twice(pa, rows: int = 2):
    """An Arrow table whose ``income`` struct has two children named ``total`` (Arrow allows it)."""
    income = pa.StructArray.from_arrays([pa.array(["3.00"] * rows), pa.array(["4.00"] * rows)], names=["total", "total"])
    return pa.table({"_id": [f"x{i}" for i in range(rows)], "income": income,
                     "a": ["1.00"] * rows, "b": ["2.00"] * rows})


def _rows_twice(pa):
    """... and one whose table field's rows (a list of structs) have two ``code`` columns."""
    row = pa.struct([("code", pa.string()), ("code", pa.string()), ("total", pa.string())])
    rows = pa.array([[("208", "209", "1.00")]], type=pa.list_(row))
    return pa.table({"_id": ["y"], "income": pa.array([{"total": "3.00"}]), "a": ["1.00"], "b": ["2.00"], "fn": rows})


@pytest.mark.parametrize("engine, fmt", [("record", "jsonl"), ("columnar", "jsonl"), ("record", "table"), ("record", "json")])
def test_a_parquet_struct_with_a_key_twice_is_an_input_error_naming_it(place, capsys, engine, fmt):
    """It was an E799 "internal error" (pyarrow: duplicate field names); the other file still runs."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    (place / "n.rules").write_text(NESTED_RULES, encoding="utf-8")
    pq.write_table(_struct_twice(pa), "twice.parquet")
    pq.write_table(_rows_twice(pa), "rows.parquet")
    (place / "good.jsonl").write_text('{"_id": "g", "income": {"total": "4.00"}, "a": "1.00", "b": "2.00"}\n',
                                      encoding="utf-8")
    args = ["check", "n.rules", "-r", "twice.parquet", "-r", "rows.parquet", "-r", "good.jsonl", "--format", fmt]
    code, out, err = run_cli(capsys, *args, *(["--engine", "columnar"] if engine == "columnar" else []))
    assert "E799" not in out + err and code == 2
    said = out + err
    assert "twice.parquet: E300: the key 'total' appears twice in one object (which value is meant?) at income" in said
    # (a table field's rows with two columns of one name: an E300 already, kept)
    assert any(line.startswith("rows.parquet: E300") and "'code'" in line for line in said.splitlines())
    assert "good:1" in out   # good.jsonl's record checked (and failing: 4.00 against 1.00 + 2.00)


@pytest.mark.parametrize("method", ["evaluate_table", "evaluate_many"])
def test_an_arrow_struct_with_a_key_twice_is_refused_by_both_engines(method):
    pa = pytest.importorskip("pyarrow")
    from fiscalrules import compile_rules
    from fiscalrules.errors import RecordError
    ruleset = compile_rules(NESTED_RULES)
    for table, key, path in ((_struct_twice(pa), "total", "income"), (_rows_twice(pa), "code", "fn[]")):
        with pytest.raises(RecordError) as caught:
            getattr(ruleset, method)(table)
        assert (caught.value.code, caught.value.path) == ("E300", path) and repr(key) in caught.value.message


# ---- B18-9g: the Chinese run's summary line is Chinese throughout ---------------------------------------

@pytest.mark.parametrize("engine", ["record", "columnar"])
def test_the_streamed_summary_line_names_every_status_in_chinese(place, capsys, engine):
    """`记录 1: pass 1, read errors 1` was half English; the English line is as it was."""
    (place / "good.rules").write_text(EXAMPLE_RULES, encoding="utf-8")
    (place / "d.jsonl").write_text('{"_id": "x", "a": 1, "b": 2}\n{"_id": "y", "a": 1, "b": 1}\n'
                                   '{"_id": "z", "b": 1}\nnot json\n', encoding="utf-8")
    argv = ["check", "good.rules", "-r", "d.jsonl", "--format", "jsonl", "--engine", engine]
    assert cli.main(argv) == 2
    line = next(line for line in capsys.readouterr().err.splitlines() if line.startswith("记录"))
    assert line == "记录 3：通过 1，不一致 1，无法核对 1，无法读取 1"
    code, out, err = run_cli(capsys, *argv)
    assert "records 3: pass 1, fail 1, not_evaluable 1, read errors 1" in err.splitlines()


# ---- An optional extra not installed: named, with the pip line, exit 2, no traceback ---------------------

HIDDEN_RUN = """
import sys
for name in sys.argv[1].split(","):
    sys.modules[name] = None      # an import of it fails from here on, as when it is not installed
from fiscalrules import cli
sys.exit(cli.main(sys.argv[2:] + ["--lang", "en"]))
"""


def _run_without(modules: str, *argv) -> tuple[int, str, str]:
    import subprocess
    import sys
    env = {key: value for key, value in os.environ.items() if key != "FISCALRULES_DEBUG"}
    done = subprocess.run([sys.executable, "-c", HIDDEN_RUN, modules, *argv], capture_output=True, text=True,
                          env=env, timeout=300)
    return done.returncode, done.stdout, done.stderr


def _names_the_extra(err: str, extra: str) -> bool:
    return f'pip install "fiscalrules[{extra}]"' in err and "E703" in err and "internal error" not in err \
        and "Traceback" not in err


def test_the_columnar_engine_without_numpy_names_the_extra(place):
    (place / "good.rules").write_text(EXAMPLE_RULES, encoding="utf-8")
    (place / "d.jsonl").write_text('{"_id": "x", "a": 1, "b": 2}\n', encoding="utf-8")
    code, out, err = _run_without("numpy", "check", "good.rules", "-r", "d.jsonl", "--format", "jsonl",
                                  "--engine", "columnar")
    assert code == 2 and _names_the_extra(err, "columnar"), err


def test_a_parquet_input_without_pyarrow_is_that_inputs_error_naming_the_extra(place):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    (place / "good.rules").write_text(EXAMPLE_RULES, encoding="utf-8")
    (place / "d.jsonl").write_text('{"_id": "x", "a": 1, "b": 2}\n', encoding="utf-8")
    pq.write_table(pa.table({"_id": ["y"], "a": ["1"], "b": ["1"]}), "t.parquet")
    code, out, err = _run_without("pyarrow", "check", "good.rules", "-r", "t.parquet", "-r", "d.jsonl",
                                  "--format", "jsonl")
    assert code == 2 and _names_the_extra(err, "columnar") and "t.parquet: E703" in err, err
    assert '"record": "d:1"' in out   # the other input still checked


def test_a_pdf_without_pypdfium2_is_that_documents_error_naming_the_extra(place):
    code, out, err = _run_without("pypdfium2", "audit", os.path.join(EXAMPLES, "qingshi_culture_2025.pdf"),
                                  os.path.join(EXAMPLES, "bureau_2025.txt"), "--format", "jsonl")
    assert code == 2 and _names_the_extra(err, "pdf"), err
    assert "qingshi_culture_2025.pdf: E703" in err and '"record": "bureau_2025"' in out


def test_the_html_report_without_jinja2_names_the_extra(place):
    (place / "good.rules").write_text(EXAMPLE_RULES, encoding="utf-8")
    (place / "d.jsonl").write_text('{"_id": "x", "a": 1, "b": 2}\n', encoding="utf-8")
    code, out, err = _run_without("jinja2", "check", "good.rules", "-r", "d.jsonl", "--format", "html")
    assert code == 2 and _names_the_extra(err, "html"), err


def test_evaluate_table_without_numpy_names_the_extra():
    import subprocess
    import sys
    program = ("import sys\nsys.modules['numpy'] = None\nimport fiscalrules\n"
               "ruleset = fiscalrules.compile_rules('field a: amount\\nrule R: a = 1\\n')\n"
               "try:\n    ruleset.evaluate_table({'a': ['1']})\n"
               "except ImportError as exc:\n    print(exc)\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300)
    assert done.stdout.strip() == 'Ruleset.evaluate_table needs numpy: pip install "fiscalrules[columnar]"', done.stderr

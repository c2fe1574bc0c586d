"""fiscalrules.cli: check / lint / test, output formats, exit codes, languages, input errors
without tracebacks, and CJK-aligned tables.  Run in-process (``main([...])``) plus one real
``python -m fiscalrules`` subprocess."""

from __future__ import annotations

import csv
import re
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import tabulate
import wcwidth

from fiscalrules.cli import main
from fiscalrules.reporters import CSV_COLUMNS

ROOT = Path(__file__).resolve().parent.parent

RULES = """\
ruleset demo "示范" "Demo"
unit 万元
field income.total "收入预算总额": amount
field income.sources.* : amount
field expense.total "支出预算总额": amount
field expense.basic "基本支出": amount
field expense.project "项目支出": amount
rule INC-1 "收入预算总额等于各项收入之和" "Income total equals the sum of its sources":
    收入预算总额 = sum(income.sources.*)
rule BAL "收支平衡" "The budget balances" {
    severity warning
    assert income.total = expense.total
}
rule EXP-1 "基本支出不超过支出总额" "Basic expenditure within the total" {
    severity info
    assert expense.basic <= expense.total
}
rule EXP-2: expense.project <= expense.total
"""

CLEAN = {"_meta": {"id": "clean"}, "income": {"total": "10", "sources": {"a": "4", "b": "6"}},
         "expense": {"total": "10", "basic": "6", "project": "4"}}
WARN = {"_meta": {"id": "warn"}, "income": {"total": "10", "sources": {"a": "4", "b": "6"}},
        "expense": {"total": "11", "basic": "6", "project": "4"}}
FAIL = {"_meta": {"id": "示范局"},
        "income": {"total": {"value": "10.00", "source": {"document": "示范.txt", "line": 3,
                                                          "text": "收入预算总额10.00万元"}},
                   "sources": {"appropriation": {"value": "3.00", "label": "财政拨款收入"}, "b": "3.00"}},
        "expense": {"total": "10", "project": "4"}}
INFO = {"_meta": {"id": "info"}, "income": {"total": "10", "sources": {"a": "10"}},
        "expense": {"total": "10", "basic": "12", "project": "4"}}


@pytest.fixture
def files(tmp_path):
    def write(name, content):
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False),
                        encoding="utf-8")
        return str(path)
    return {"rules": write("demo.rules", RULES), "clean": write("clean.json", CLEAN),
            "warn": write("warn.json", WARN), "fail": write("fail.json", FAIL), "info": write("info.json", INFO),
            "write": write, "dir": tmp_path}


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


# ---- exit codes and --fail-on ---------------------------------------------------------------------------

def test_clean_record_exits_0(capsys, files):
    code, out, err = run(capsys, "check", files["rules"], "--record", files["clean"])
    assert code == 0
    assert "没有发现问题" in out and "== clean" in out
    assert err == ""


def test_failure_at_error_severity_exits_1(capsys, files):
    code, out, _ = run(capsys, "check", files["rules"], "-r", files["fail"])
    assert code == 1
    assert "INC-1" in out and "不一致" in out


@pytest.mark.parametrize("record, fail_on, expected", [
    ("warn", "error", 0), ("warn", "warning", 1), ("warn", "never", 0),
    ("fail", "error", 1), ("fail", "warning", 1), ("fail", "never", 0),
    ("info", "error", 0), ("info", "warning", 0),
    ("clean", "warning", 0),
])
def test_fail_on(capsys, files, record, fail_on, expected):
    code, _, _ = run(capsys, "check", files["rules"], "-r", files[record], "--fail-on", fail_on)
    assert code == expected


def test_several_records_in_one_run(capsys, files):
    code, out, _ = run(capsys, "check", files["rules"], "-r", files["clean"], "-r", files["warn"],
                       "--fail-on", "warning")
    assert code == 1
    assert out.index("== clean") < out.index("== warn")


# ---- formats and languages -------------------------------------------------------------------------------

def test_json_format(capsys, files):
    code, out, _ = run(capsys, "check", files["rules"], "-r", files["fail"], "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["ruleset"] == "demo"
    assert [r["id"] for r in data["records"]] == ["示范局"]
    statuses = {f["rule"]: f["status"] for f in data["findings"]}
    assert statuses == {"BAL": "pass", "EXP-1": "not_evaluable", "EXP-2": "pass", "INC-1": "fail"}
    inc = next(f for f in data["findings"] if f["rule"] == "INC-1")
    assert inc["left"]["value"] == "10.00" and inc["right"]["value"] == "6.00" and inc["difference"] == "4.00"
    assert inc["operands"][0]["source"]["line"] == 3
    assert data["summary"]["total"]["items"] == 4


def test_jsonl_format(capsys, files):
    _, out, _ = run(capsys, "check", files["rules"], "-r", files["clean"], "-r", files["warn"], "--format", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    findings = [d for d in lines if d["status"] != "localisation"]
    assert len(findings) == 8
    assert [(d["record"], d["rule"]) for d in findings][:4] == [("clean", "BAL"), ("clean", "EXP-1"),
                                                                ("clean", "EXP-2"), ("clean", "INC-1")]
    # warn fails BAL only (income 10 vs expense 11); the income total agrees with its sources
    [group] = [d for d in lines if d["status"] == "localisation"]
    assert (group["record"], group["failures"]) == ("warn", ["BAL"])
    assert [(c["path"], c["printed"], c["suggested"]) for e in group["explanations"] for c in e["changes"]] == [
        ("expense.total", "11", "10")]


def test_csv_format(capsys, files):
    _, out, _ = run(capsys, "check", files["rules"], "-r", files["fail"], "--format", "csv", "--lang", "en")
    assert out.startswith("\ufeff")  # Excel on Chinese Windows needs the byte-order mark
    rows = list(csv.reader(io.StringIO(out[1:])))
    assert rows[0] == CSV_COLUMNS
    by_rule = {r[1]: dict(zip(CSV_COLUMNS, r)) for r in rows[1:] if r[4] != "likely_wrong"}
    likely = [dict(zip(CSV_COLUMNS, r)) for r in rows[1:] if r[4] == "likely_wrong"]
    assert [(r["rule"], r["item"], r["left"], r["right"], r["figures"]) for r in likely] == [
        ("INC-1", "1", "3.00", "7.00", "income.sources.appropriation"), ("INC-1", "1=", "3.00", "7.00", "income.sources.b")]
    assert likely[0]["message"] == "appropriation income: 3.00 → 7.00 万元 (one digit differs)"
    assert by_rule["INC-1"]["status"] == "fail"
    assert Decimal(by_rule["INC-1"]["left"]) == 10 and Decimal(by_rule["INC-1"]["difference"]) == 4
    assert by_rule["INC-1"]["unit"] == "万元"
    assert by_rule["INC-1"]["message"].startswith("Income total equals the sum of its sources")
    assert by_rule["EXP-1"]["missing"] == "expense.basic"


def test_output_file(capsys, files):
    target = files["dir"] / "out.json"
    code, out, _ = run(capsys, "check", files["rules"], "-r", files["clean"], "--format", "json", "-o", target)
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["findings"]


def test_languages(capsys, files):
    _, zh, _ = run(capsys, "check", files["rules"], "-r", files["fail"])
    _, en, _ = run(capsys, "check", files["rules"], "-r", files["fail"], "--lang", "en")
    assert "收入预算总额等于各项收入之和" in zh and "汇总" in zh and "无法核对" in zh
    assert "Income total equals the sum of its sources" in en and "summary" in en and "not evaluable" in en
    assert "汇总" not in en and "不一致" not in en


def test_table_shows_figures_and_sources(capsys, files):
    _, out, _ = run(capsys, "check", files["rules"], "-r", files["fail"])
    assert "示范.txt 第3行" in out and "line 3" not in out
    assert "财政拨款收入" in out
    _, en, _ = run(capsys, "check", files["rules"], "-r", files["fail"], "--lang", "en")
    assert "示范.txt line 3" in en
    # two parts equally likely: both said, numbered, after saying the record cannot tell which
    assert ("建议: 无法确定是哪一个数字有误，以下任一处改动都能使规则成立：①财政拨款收入：3.00 → 7.00 万元（一位数字不同）"
            " ②income.sources.b：3.00 → 7.00 万元（一位数字不同）") in out
    assert "最可能有误的数字" in out


# ---- table alignment ------------------------------------------------------------------------------------

def _cells(line: str) -> list[tuple[int, str]]:
    """(display column, text) of each cell of a plain/simple table line: cells are separated by two
    or more spaces, and columns are counted in terminal cells (a CJK character takes two)."""
    cells, col, i = [], 0, 0
    while i < len(line):
        if line[i] == " ":
            col += 1
            i += 1
            continue
        start, text = col, ""
        while i < len(line) and not (line[i] == " " and (i + 1 >= len(line) or line[i + 1] == " ")):
            text += line[i]
            col += wcwidth.wcwidth(line[i])
            i += 1
        cells.append((start, text))
    return cells


def _simple_tables(text: str) -> list[list[str]]:
    """Every tabulate 'simple' table in the output: header, dashes and rows."""
    lines = text.splitlines()
    tables = []
    for i, line in enumerate(lines):
        if line and set(line) <= {"-", " "} and "  " in line and i > 0:
            rows = [lines[i - 1], line]
            for row in lines[i + 1:]:
                if not row.strip() or row.startswith(("--", "==", "汇总", "summary")):
                    break
                rows.append(row)
            tables.append(rows)
    return tables


def _grid_tables(text: str) -> list[list[str]]:
    """Every tabulate 'grid' table in the output (+---+ borders and | cells)."""
    tables, current = [], []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("+-", "+=", "|")) and stripped.endswith(("+", "|")):
            current.append(stripped)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def _assert_aligned(table: list[str]):
    header, dashes, *rows = table
    starts = [start for start, _ in _cells(dashes)]
    widths = [wcwidth.wcswidth(text) for _, text in _cells(dashes)]
    for line in [header, *rows]:
        for start, text in _cells(line):
            assert start in starts, f"cell {text!r} starts at display column {start}, columns at {starts}:\n" + \
                "\n".join(table)
            k = starts.index(start)
            if k < len(starts) - 1:
                assert start + wcwidth.wcswidth(text) <= starts[k + 1] - 2, "\n".join(table)
        assert wcwidth.wcswidth(line) <= starts[-1] + widths[-1]


def test_tables_align_chinese_text(capsys, files):
    record = {"_meta": {"id": "对齐"},
              "income": {"total": "10.00", "sources": {"appropriation": {"value": "3.33", "label": "财政拨款收入"},
                                                        "b": "3.33", "c": "3.33"}},
              "expense": {"total": "10.01"}}
    path = files["write"]("align.json", record)
    rules = files["write"]("align.rules", RULES + 'rule Z-1: income.total = expense.total\n'
                                                  'rule 收入-2 "收入与支出一致": income.total = expense.total\n'
                                                  'rule Z-3: income.sources.d >= 0\n')   # (no label: an ASCII row)
    _, out, _ = run(capsys, "check", rules, "-r", path, "--show-passes")
    simple, grid = _simple_tables(out), _grid_tables(out)
    assert len(simple) + len(grid) >= 2, out
    mixed = [t for t in simple + grid if any(wcwidth.wcswidth(r) != len(r) for r in t[2:])
             and any(wcwidth.wcswidth(r) == len(r) for r in t[2:])]
    assert mixed, "expected a table mixing CJK and ASCII rows"
    for table in simple:
        _assert_aligned(table)
    for table in grid:     # every line of a grid table has the same display width
        assert len({wcwidth.wcswidth(line) for line in table}) == 1, "\n".join(table)


def test_figure_lists_align_chinese_labels(capsys, files):
    _, out, _ = run(capsys, "check", files["rules"], "-r", files["fail"])
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() in ("涉及数字:", "figures:"))
    block = []
    for line in lines[at + 1:]:
        if not line.startswith("      "):
            break
        block.append(line)
    assert len(block) == 3   # 收入预算总额, 财政拨款收入, income.sources.b
    assert any("income.sources.b" in line for line in block) and any("财政拨款收入" in line for line in block)
    starts = [[s for s, _ in _cells(line)] for line in block]
    width = max(len(s) for s in starts)
    for k in range(width):
        column = {s[k] for s in starts if len(s) > k}
        assert len(column) == 1, "\n".join(block)


def test_a_table_cells_figure_says_the_table_it_was_printed_in(capsys, files):
    # (a cell's label is its column's header, "合计", which every table has: where it was printed
    # names the table -- "一般公共预算支出表 第52行" -- where a figure of the text needs no more than its line)
    rules = files["write"]("cells.rules", 'unit 万元\nfield t.rows "支出表": table(code: text, name: text, total "合计": amount)\n'
                                          'field spent "支出": amount\nrule C-1: spent = t.rows[213].total\n')
    record = {"spent": {"value": "84.00", "source": {"section": "（三）财政拨款支出情况", "line": 252}},
              "t": {"rows": [{"code": "213", "name": "农林水支出",
                              "total": {"value": "48.00", "source": {"section": "一般公共预算支出表", "line": 52}}}]}}
    _, out, _ = run(capsys, "check", rules, "-r", files["write"]("cells.json", record))
    lines = out.splitlines()
    at = lines.index("    涉及数字:")
    assert [line.split()[:2] + line.split()[-2:] for line in lines[at + 1:at + 3]] == [
        ["支出", "84.00", "万元", "第252行"], ["合计", "48.00", "一般公共预算支出表", "第52行"]], out
    _, out, _ = run(capsys, "check", rules, "-r", files["write"]("cells.json", record), "--format", "html")
    assert "48.00 万元 · 一般公共预算支出表 第52行" in out and "84.00 万元 · 第252行" in out


# ---- lint -------------------------------------------------------------------------------------------------

BAD = """\
unit 万元
field income.total "收入预算总额": amount
field staff "在职人数": count 人
rule A: income.totl = 1
rule B: 收入预算总额 = 在职人数
rule A: summ(income.total) = 1
rule C {
    severity error
}
"""


def test_lint_prints_every_diagnostic_with_a_caret(capsys, files):
    bad = files["write"]("bad.rules", BAD)
    code, out, _ = run(capsys, "lint", bad)
    assert code == 2
    lines = out.splitlines()
    headers = [line for line in lines if ": 错误 E" in line]
    assert [h.split(": 错误 ")[1][:4] for h in headers] == ["E201", "E204", "E206", "E202", "E210"]
    assert headers[0].startswith(f"{bad}:4:9: 错误 E201")
    assert "是不是 income.total？" in headers[0]
    # each diagnostic is followed by its source line and a caret line under the right columns
    i = lines.index(headers[1])
    assert lines[i + 1].strip() == "rule B: 收入预算总额 = 在职人数"
    caret = lines[i + 2]
    prefix = lines[i + 1][: lines[i + 1].index("收")]
    assert caret.index("^") == wcwidth.wcswidth(prefix)
    assert caret.count("^") == wcwidth.wcswidth("收入预算总额 = 在职人数")
    assert "共 5 个问题" in out


def test_lint_in_english_and_clean(capsys, files):
    bad = files["write"]("bad.rules", BAD)
    code, out, _ = run(capsys, "lint", bad, "--lang", "en")
    assert code == 2 and "5 problems" in out
    code, out, _ = run(capsys, "lint", files["rules"])
    assert code == 0 and "没有问题" in out


def test_lint_reports_syntax_errors_of_several_files(capsys, files):
    one = files["write"]("one.rules", "field a: amount\nrule R: a = (1\n")
    two = files["write"]("two.rules", "field a: amount\nfeild b: amount\nrule S: nosuch = 1\n")
    code, out, _ = run(capsys, "lint", one, two, files["dir"] / "missing.rules")
    assert code == 2
    assert f"{one}:2:" in out and "E102" in out
    assert f"{two}:2:1: 错误 E103" in out and "E201" in out
    assert "E500" in out


# ---- test (inline examples) ---------------------------------------------------------------------------------

EXAMPLES = """\
field a: amount
field b: amount
rule GOOD {
    assert a = b
    example pass {a: 1, b: 1}
    example fail {a: 1, b: 2}
}
rule BAD {
    assert a <= b
    example pass {a: 1, b: 2}
    example fail {a: 1, b: 2}
}
"""


def test_test_command_reports_a_misbehaving_example(capsys, files):
    path = files["write"]("ex.rules", EXAMPLES)
    code, out, _ = run(capsys, "test", path)
    assert code == 1
    assert f"{path}:11: 规则 BAD 的第 2 个示例应为不一致，实际为通过" in out
    assert out.strip().splitlines()[-1] == "示例 4：通过 3，不通过 1"
    code, out, _ = run(capsys, "test", path, "--lang", "en")
    assert out.strip().splitlines()[-1] == "3 passed, 1 failed"
    assert f"{path}:11: rule BAD example 2 should fail, got pass" in out
    assert "holds (a 1.00 元 <= b 2.00 元)" in out and "示例" not in out and "成立" not in out


def test_test_command_all_good(capsys, files):
    path = files["write"]("ok.rules", EXAMPLES.replace("example fail {a: 1, b: 2}\n}\n", "example fail {a: 3, b: 2}\n}\n"))
    code, out, _ = run(capsys, "test", path)
    assert code == 0 and out.strip().splitlines()[-1] == "示例 4：通过 4，不通过 0"


# ---- input errors -----------------------------------------------------------------------------------------

def test_missing_record_file_and_others_still_run(capsys, files):
    code, out, err = run(capsys, "check", files["rules"], "-r", files["dir"] / "nope.json", "-r", files["warn"],
                         "--fail-on", "never")
    assert code == 2
    assert "nope.json" in err and "无法读取记录文件" in err
    assert "== warn" in out and "收支平衡" in out      # the good record was still evaluated


def test_malformed_record_file_and_others_still_run(capsys, files):
    broken = files["write"]("broken.json", '{"income": {"total": 1.5e400}}')
    bad_json = files["write"]("bad.json", '{"income": ')
    batch = files["write"]("batch.jsonl", json.dumps(CLEAN) + "\n{oops\n" + json.dumps(WARN) + "\n")
    code, out, err = run(capsys, "check", files["rules"], "-r", broken, "-r", bad_json, "-r", batch,
                         "--format", "json")
    assert code == 2
    assert "income.total" in err and "超出" in err
    assert "JSON 格式错误" in err and "batch.jsonl:2" in err
    data = json.loads(out)
    assert {f["record"] for f in data["findings"]} == {"clean", "warn"}
    errors = [r for r in data["records"] if r["error"]]
    assert len(errors) == 3


def test_missing_rule_file(capsys, files):
    code, out, err = run(capsys, "check", files["dir"] / "nope.rules", "-r", files["clean"])
    assert code == 2 and "E500" in err and "nope.rules" in err and out == ""


def test_rule_file_with_errors_in_check(capsys, files):
    bad = files["write"]("bad.rules", BAD)
    code, out, err = run(capsys, "check", bad, "-r", files["clean"])
    assert code == 2 and out == ""
    assert "E201" in err and "E210" in err and "^" in err


def test_syntax_error_in_check(capsys, files):
    bad = files["write"]("syntax.rules", "field a: amount\nrule R: a = (1\n")
    code, _, err = run(capsys, "check", bad, "-r", files["clean"])
    assert code == 2 and f"{bad}:2:" in err and "E102" in err


def test_binary_rule_file(capsys, files):
    path = files["dir"] / "binary.rules"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    code, out, err = run(capsys, "lint", path)
    assert code == 2 and "E107" in out + err
    code, out, err = run(capsys, "check", path, "-r", files["clean"])
    assert code == 2 and "E107" in err and out == ""


def test_usage_errors_exit_2(capsys):
    assert main([]) == 2
    with pytest.raises(SystemExit) as info:
        main(["check", "x.rules"])          # --record is required
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["check", "x.rules", "-r", "y.json", "--format", "xml"])
    assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


# ---- a real process ---------------------------------------------------------------------------------------

def test_python_dash_m_smoke(files):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PYTHONIOENCODING="utf-8")
    done = subprocess.run([sys.executable, "-m", "fiscalrules", "check", files["rules"], "-r", files["fail"],
                           "-r", files["dir"] / "missing.json", "--format", "json"],
                          capture_output=True, env=env, cwd=files["dir"], timeout=120)
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    assert done.returncode == 2, err
    assert "Traceback" not in err
    assert "missing.json" in err
    data = json.loads(out)
    assert any(f["rule"] == "INC-1" and f["status"] == "fail" for f in data["findings"])
    clean = subprocess.run([sys.executable, "-m", "fiscalrules", "check", files["rules"], "-r", files["clean"]],
                           capture_output=True, env=env, cwd=files["dir"], timeout=120)
    assert clean.returncode == 0
    assert "没有发现问题" in clean.stdout.decode("utf-8")


def test_the_command_ends_with_its_exit_code_and_all_its_output(tmp_path, capsys):
    """``python -m fiscalrules`` leaves by os._exit once its output is flushed (cli.run): what a
    pipe receives and the exit code are those of main() in this process, to the byte."""
    document = ROOT / "examples" / "bureau_2025.txt"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
               PYTHONIOENCODING="utf-8", FISCALRULES_CACHE_DIR=str(tmp_path / "cache"))
    argv = ["audit", str(document), "--format", "json", "--lang", "en"]
    done = subprocess.run([sys.executable, "-m", "fiscalrules", *argv], capture_output=True, env=env, cwd=ROOT,
                          timeout=120)
    code = main(argv)
    assert done.returncode == code == 1, done.stderr.decode("utf-8")
    assert done.stdout.decode("utf-8") == capsys.readouterr().out
    assert json.loads(done.stdout)["findings"]
    extract = subprocess.run([sys.executable, "-m", "fiscalrules", "extract", str(document), "-o", str(tmp_path / "r.json")],
                             capture_output=True, env=env, cwd=ROOT, timeout=120)
    assert extract.returncode == 0 and json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["_meta"]


# The reporters draw their tables themselves (tabulate's import cost more than an audit); they
# must draw exactly what tabulate draws for the same cells, CJK widths and multi-line cells included.
_CELL_TEXT = st.text(alphabet=st.sampled_from(list("ab xyz中文字“”（）①é1.5-\u0301\n")), max_size=7)


@st.composite
def _tables(draw):
    """Rectangular rows of cells, with one header per column or none (as the reporters draw)."""
    columns = draw(st.integers(1, 4))
    rows = draw(st.lists(st.lists(_CELL_TEXT, min_size=columns, max_size=columns), max_size=5))
    headers = draw(st.one_of(st.just(()), st.lists(_CELL_TEXT.filter(lambda t: "\n" not in t),
                                                   min_size=columns, max_size=columns)))
    return rows, headers


@settings(max_examples=300, deadline=None)
@given(_tables())
def test_tables_are_drawn_as_tabulate_draws_them(table):
    from fiscalrules.reporters import tabulate as draw
    rows, headers = table
    fmt = "simple" if headers else "plain"
    expected = (tabulate.tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True) if headers
                else tabulate.tabulate(rows, tablefmt=fmt, disable_numparse=True))
    assert draw(rows, headers=headers, tablefmt=fmt) == expected


def test_other_table_layouts_are_drawn_by_tabulate():
    from fiscalrules.reporters import tabulate as draw
    rows, headers = [["财政拨款收入", "3.33"], ["b", "10.00"]], ["科目", "金额"]
    assert draw(rows, headers=headers, tablefmt="grid") == \
        tabulate.tabulate(rows, headers=headers, tablefmt="grid", disable_numparse=True)


def test_a_rule_file_from_windows_notepad_is_read_or_told_how_to_save_it(tmp_path, capsys):
    text = 'field income.total "收入预算总额": amount\nrule R "收入非负": 收入预算总额 >= 0\n'
    (tmp_path / "unicode.rules").write_bytes(text.encode("utf-16"))        # Notepad's "Unicode": read
    (tmp_path / "ansi.rules").write_bytes(text.encode("gbk"))              # Chinese Windows' "ANSI": told
    code, out, err = run(capsys, "lint", tmp_path / "unicode.rules")
    assert code == 0, out + err
    code, out, err = run(capsys, "lint", tmp_path / "ansi.rules", "--lang", "zh")
    assert code == 2 and "E107" in out and "请另存为 UTF-8" in out, out
    (tmp_path / "broken.rules").write_bytes(b"\xff\xfe" + text.encode("utf-16-le")[:-1])   # a mark, then half a character
    code, out, err = run(capsys, "lint", tmp_path / "broken.rules")
    assert code == 2 and "E107" in out + err and "UTF-16" in out + err, out + err


def test_a_record_file_from_windows_notepad_is_read_or_told_how_to_save_it(tmp_path, capsys):
    record = '{"_meta": {"id": "记事本"}, "income": {"total": "10", "sources": {"a": "4", "b": "6"}}, ' \
             '"expense": {"total": "10", "basic": "6", "project": "4"}}'
    (tmp_path / "unicode.json").write_bytes(record.encode("utf-16"))
    (tmp_path / "ansi.json").write_bytes(record.encode("gbk"))
    rules = tmp_path / "r.rules"
    rules.write_text(RULES, encoding="utf-8")
    code, out, err = run(capsys, "check", rules, "-r", tmp_path / "unicode.json", "-r", tmp_path / "ansi.json")
    assert code == 2   # (one could not be read)
    assert "== 记事本" in out and "ansi.json" in err and "请另存为 UTF-8" in err, out + err


def test_rulesets_lists_a_rulesets_rules_and_tags(capsys, tmp_path):
    from fiscalrules import load_ruleset
    bundled = load_ruleset("budget_disclosure")
    code, out, err = run(capsys, "rulesets", "budget_disclosure", "--lang", "zh")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"== budget_disclosure (部门预算公开模板): {len(bundled.rules)} 条规则"
    listed = [line.split()[0] for line in lines[3:] if line.strip() and not line.startswith("标签")]
    assert listed == [rule.id for rule in bundled.rules]
    first = bundled.rules[0]
    assert any(line.startswith(first.id) and first.title in line and ", ".join(first.tags) in line for line in lines)
    counts = {}
    for rule in bundled.rules:
        for tag in rule.tags:
            counts[tag] = counts.get(tag, 0) + 1
    top = max(counts, key=lambda tag: (counts[tag], tag))
    tag_line = next(line for line in lines if line.startswith("标签："))
    assert f"{top} {counts[top]}" in tag_line and len(tag_line.split("，")) == len(counts)
    code, out, _ = run(capsys, "rulesets", "final_accounts", "--lang", "en")
    assert code == 0 and out.startswith("== final_accounts (Departmental final accounts disclosure): ")
    assert "\ntags: " in out
    bad = tmp_path / "bad.rules"
    bad.write_text("rule R: nosuch = 1\n", encoding="utf-8")
    code, out, err = run(capsys, "rulesets", bad, "budget_disclosure")
    assert code == 2 and "E201" in err and "== budget_disclosure" in out


def test_rulesets_fields_lists_the_names_rules_may_use(capsys, tmp_path):
    rules = tmp_path / "t.rules"
    rules.write_text('unit 万元\nfield income.total "收入预算总额", "收入合计": amount\n'
                     'field t "功能表": table(code "科目编码": text, total "合计": amount 万元)\n'
                     'rule R: 收入合计 >= 0\n', encoding="utf-8")
    code, out, err = run(capsys, "rulesets", rules, "--fields", "--lang", "zh")
    assert code == 0, err
    rows = [line.split() for line in out.splitlines()[3:] if line.strip()]
    assert rows == [["income.total", "收入预算总额、收入合计", "amount"], ["t", "功能表", "table"],
                    ["t.code", "科目编码", "text"], ["t.total", "合计", "amount", "万元"]], out
    code, out, _ = run(capsys, "rulesets", "budget_disclosure", "--fields", "--lang", "en")
    from fiscalrules import load_ruleset
    assert code == 0 and out.startswith(f"== budget_disclosure: {len(load_ruleset('budget_disclosure').fields)} fields")
    assert any(line.split()[:2] == ["three_public.total", "“三公”经费、三公经费"] for line in out.splitlines()), out


def test_audit_says_when_a_rule_file_reads_another_templates_record(capsys, tmp_path):
    examples = Path(__file__).resolve().parent.parent / "examples"
    budget = tmp_path / "budget.rules"
    budget.write_text('include bundled "_budget_fields"\nunit 万元\nrule B: 三公经费 >= 0\n', encoding="utf-8")
    code, out, err = run(capsys, "audit", "--ruleset", budget, examples / "qingshi_culture_2024_final_accounts.pdf",
                         examples / "bureau_2025.txt", "--no-progress", "--lang", "en")
    assert err.count("another template's record") == 1, err   # (the 决算 only, and once)
    assert 'declare the fields of _budget_fields' in err and 'include bundled "_final_accounts_fields" instead' in err
    code, out, err = run(capsys, "audit", "--ruleset", budget, examples / "bureau_2025.txt", "--no-progress")
    assert "模板" not in err, err

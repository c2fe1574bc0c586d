"""No global state changes behind the caller's back: the garbage collector and the decimal context.

* The library never switches Python's garbage collector off (it used to, around every batch,
  without a lock: other threads saw it off, and with threads it could be left off for good).
* Every computation and formatting step runs in the library's own decimal context: results do
  not depend on the caller's precision, rounding or traps, and the caller's context is left as
  it was.
"""

from __future__ import annotations

import decimal
import gc
import re
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.readers import read_disclosure

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "fiscalrules"
EXAMPLE = ROOT / "examples" / "bureau_2025.txt"

RULES = """
unit 万元
field a: amount
field b: amount
field c: amount
field t: table(code: text, x: amount)
rule DIV: a = b * 3 / 7
rule PCT: pct(a) = change(a) / prior(a) * 100
rule SUM: c = a + b
rule ROWS: for each r in t: r.x = sum(children(r).x)
"""
RECORD = {"a": {"value": "1.43", "change": "0.11", "pct": "8.33"}, "b": "3.33", "c": "4.77",
          "t": [{"code": "208", "x": "1.01"}, {"code": "20805", "x": "1"}]}
# 27 digits: formatting at Python's default 28-digit context raised InvalidOperation (B1).
BIG = {"a": "111111111111111111111111111", "b": "0", "c": "111111111111111111111111111.5"}

CALLER_CONTEXTS = {
    "prec=3": dict(prec=3),
    "prec=6": dict(prec=6),
    "Inexact trapped": dict(traps=[decimal.Inexact]),
    "Rounded trapped": dict(traps=[decimal.Rounded, decimal.Inexact]),
    "ROUND_DOWN": dict(rounding=decimal.ROUND_DOWN),
    "nothing trapped": dict(traps=[]),
    "tiny exponent range": dict(Emax=5, Emin=-5),
}


def _outputs(rules, records) -> tuple:
    report = rules.evaluate_many(records)
    return (report.to_json(), report.to_table(show_passes=True), report.to_table(lang="en"), report.to_csv(),
            report.to_jsonl(), [f.message_en for f in report.findings])


# The one exception: the ``fiscalrules`` command owns its process, and sets the collector for its
# start (fiscalrules/__main__.py, before its imports; cli.run, then cli._after_the_start once the
# rulesets are loaded).  cli.main(), what a program calls, leaves it alone (tests/test_cli_start.py).
_COMMAND_LINE = {"fiscalrules/__main__.py": {None}, "fiscalrules/cli.py": {"run", "_after_the_start"}}


_SWITCH = re.compile(r"\bgc\.(disable|enable|freeze|set_threshold)\b")


def test_no_module_switches_the_garbage_collector():
    offenders = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
                 if _SWITCH.search(p.read_text(encoding="utf-8")) and str(p.relative_to(ROOT)) not in _COMMAND_LINE]
    assert offenders == []
    for name, allowed in _COMMAND_LINE.items():
        assert _switching_places(ROOT / name) <= allowed, name


def _switching_places(path: Path) -> set:
    """The functions of the module at *path* (None: its module level) that call gc.disable,
    enable, freeze or set_threshold."""
    import ast
    found = set()

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name)
                continue
            if isinstance(child, ast.Call) and _SWITCH.fullmatch(ast.unparse(child.func)):
                found.add(function)
            visit(child, function)
    visit(ast.parse(path.read_text(encoding="utf-8")), None)
    return found


def test_other_threads_never_see_the_collector_switched_off():
    rules = fiscalrules.load_ruleset("budget_disclosure")
    record = read_disclosure(EXAMPLE)
    seen_off = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            if not gc.isenabled():
                seen_off.append(True)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        rules.evaluate_many([record] * 3)
        fiscalrules.compile_rules(RULES)
        fiscalrules.load_record(RECORD)
    finally:
        stop.set()
        watcher.join()
        sys.setswitchinterval(interval)
    assert gc.isenabled() and not seen_off


@pytest.mark.parametrize("name", list(CALLER_CONTEXTS))
def test_results_do_not_depend_on_the_callers_decimal_context(name):
    rules = fiscalrules.compile_rules(RULES)
    expected = _outputs(rules, [RECORD, BIG])
    with decimal.localcontext(**CALLER_CONTEXTS[name]) as caller:
        before = (caller.prec, caller.rounding, dict(caller.traps), caller.Emax)
        assert fiscalrules.compile_rules(RULES).evaluate(RECORD).findings == rules.evaluate(RECORD).findings
        got = _outputs(rules, [RECORD, BIG])
        after = decimal.getcontext()
        assert (after.prec, after.rounding, dict(after.traps), after.Emax) == before
    assert got == expected


@pytest.mark.parametrize("name", list(CALLER_CONTEXTS))
def test_reading_does_not_depend_on_the_callers_decimal_context(name, tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"a": "1,234.50", "b": 2.5}\n{"a": "abc"}\n{"a": "NaN"}\n', encoding="utf-8")
    expected = ([(r.id, {k: f.value for k, f in r.figures.items()}) if isinstance(r, fiscalrules.Record)
                 else r.format() for r in fiscalrules.read_records(path)],
                read_disclosure(EXAMPLE))
    with decimal.localcontext(**CALLER_CONTEXTS[name]):
        got = ([(r.id, {k: f.value for k, f in r.figures.items()}) if isinstance(r, fiscalrules.Record)
                else r.format() for r in fiscalrules.read_records(path)],
               read_disclosure(EXAMPLE))
    assert got == expected


def test_lazy_details_are_worked_out_in_the_library_context():
    """Details and messages are worked out when first read, which may be long after evaluation
    and under another context."""
    rules = fiscalrules.compile_rules(RULES)
    expected = rules.evaluate(BIG).to_json()
    report = rules.evaluate(BIG)
    with decimal.localcontext(prec=3, traps=[decimal.Inexact]):
        assert report.to_json() == expected


def test_a_27_digit_amount_is_formatted_not_crashed(tmp_path, capsys):
    """B1: the formatter ran at Python's default 28 digits and raised for 27-digit amounts."""
    from fiscalrules.cli import main
    rules = tmp_path / "r.rules"
    rules.write_text("unit 万元\nfield a: amount\nfield b: amount\nrule R: a = b\n", encoding="utf-8")
    record = tmp_path / "big.json"
    record.write_text('{"a":"111111111111111111111111111","b":"0"}', encoding="utf-8")
    for fmt in ("table", "json", "jsonl", "csv"):
        assert main(["check", str(rules), "-r", str(record), "--format", fmt]) == 1
        out = capsys.readouterr().out
        assert "111111111111111111111111111" in out
    assert Decimal(1) / Decimal(3) == Decimal("0.3333333333333333333333333333")  # the caller's context is intact


@pytest.mark.parametrize("name", ["prec=3", "Inexact trapped", "ROUND_DOWN"])
def test_the_columnar_engine_does_not_depend_on_the_callers_decimal_context(name):
    pa = pytest.importorskip("pyarrow")
    pytest.importorskip("numpy")
    rules = fiscalrules.compile_rules(RULES)
    table = pa.table({"a": ["1.43", "111111111111111111111111111", "2"], "b": ["3.33", "0", "2.00"],
                      "c": ["4.77", "111111111111111111111111111.5", "4"]})

    def run():
        report = rules.evaluate_table(table)
        return str(report.counts), report.to_report().to_json()
    expected = run()
    with decimal.localcontext(**CALLER_CONTEXTS[name]):
        assert run() == expected


def test_threads_sharing_a_ruleset_get_the_same_reports_as_one_thread():
    """Per-ruleset caches (conversion plans, labels) and the shared parser are safe to share."""
    from concurrent.futures import ThreadPoolExecutor
    rules = fiscalrules.load_ruleset("budget_disclosure")
    record = fiscalrules.load_record(read_disclosure(EXAMPLE))
    small = [RECORD, BIG, {"a": "1", "b": "2", "c": "3"}]
    expected = rules.evaluate(record).to_json()
    compiled = fiscalrules.compile_rules(RULES)
    expected_small = [compiled.evaluate(r).to_json() for r in small]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        fresh = fiscalrules.load_ruleset("budget_disclosure")   # its caches filled by the threads
        with ThreadPoolExecutor(4) as pool:
            reports = list(pool.map(lambda _: fresh.evaluate(record).to_json(), range(8)))
            contexts = [dict(prec=3), dict(prec=6), dict(traps=[decimal.Inexact]), {}]
            smalls = list(pool.map(lambda i: _in_context(contexts[i % 4], lambda: [
                fiscalrules.compile_rules(RULES).evaluate(r).to_json() for r in small]), range(8)))
    finally:
        sys.setswitchinterval(interval)
    assert reports == [expected] * 8
    assert smalls == [expected_small] * 8


def _in_context(context, work):
    with decimal.localcontext(**context):
        return work()


def test_the_raised_recursion_limit_is_shared_safely_between_threads():
    """fiscalrules.symbolic (testing, localisation) raises the interpreter's recursion limit for deep rules; with two threads
    inside at once, the first to leave must not lower it under the other, and the last must put
    back the caller's."""
    from fiscalrules.symbolic.linear import _deep_recursion
    original = sys.getrecursionlimit()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with _deep_recursion():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second():
        first_in.wait(10)
        with _deep_recursion():
            second_in.set()
            first_out.wait(10)
            seen["while the second is inside"] = sys.getrecursionlimit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert seen["while the second is inside"] >= 20_000
    assert sys.getrecursionlimit() == original

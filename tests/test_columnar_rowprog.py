"""Rules over a table's rows run as one program in one C pass (fiscalrules.columnar.rowprog):
statuses, counts and findings are the per-record engine's and the numpy path's, for generated
tables (missing cells, text in amounts, figures too large for 64-bit products, quotients whose
bound is met exactly) and generated rule bodies of the shapes the program covers."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

pytest.importorskip("pyarrow")

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.columnar import flatten_records, kernel, rowprog, rulebody  # noqa: E402
from columnar_equivalence import CODES, assert_same, programs_counted, replaced  # noqa: E402

pytestmark = pytest.mark.skipif(kernel.compiled() is None, reason="the C kernels are not built")

HEAD = '''
unit 万元
field x: amount
field t: table(code: text, name: text, a: amount, b: amount, c: amount, p: percent)
'''


def programs_off():
    """Rules compiled within the block keep to the numpy path (no program)."""
    return replaced(rulebody, "program_of", lambda *args: None)


def counted():
    """How many chunks ran a program to the end, and how many fell back to the numpy path."""
    return programs_counted(rowprog.RowProgram, rowprog.Fallback)


def _amount(rnd: random.Random, big: bool):
    roll = rnd.random()
    if roll < 0.1:
        return None                           # a missing cell
    if roll < 0.13:
        return "n/a"                          # text in an amount: an error
    if big and roll < 0.16:
        return "9" * rnd.randint(14, 17)      # products past 64 bits (the numpy path's wide paths)
    if roll < 0.25:
        return "0"
    return str(Decimal(rnd.randint(-500, 20000)) / 10 ** rnd.choice((0, 1, 2)))


def _number(text) -> bool:
    return isinstance(text, str) and text.lstrip("-").replace(".", "", 1).isdigit()


def records_of(seed: int, n: int = 14, big: bool = False) -> list:
    rnd = random.Random(seed)
    records = []
    for i in range(n):
        rows = []
        for j in range(rnd.randint(0, 6)):
            row = {"code": f"2{j:02d}", "name": "x"}
            for column in "abc":
                value = _amount(rnd, big)
                if value is not None:
                    row[column] = value
            if rnd.random() < 0.5 and isinstance(row.get("a"), str) and isinstance(row.get("b"), str):
                try:   # a percentage printed as the change ÷ prior × 100 rounds it (bounds met exactly, now and then)
                    q = Decimal(row["a"]) / Decimal(row["b"]) * 100
                    off = Decimal(rnd.choice(("0", "0", "0", "0.01", "0.002", "0.04", "0.06", "0.9", "2")))
                    q = q.quantize(Decimal("0.01")) if rnd.random() < 0.8 else q.quantize(Decimal("1"))
                    row["p"] = str(q + off * rnd.choice((1, -1)))
                except ArithmeticError:
                    row["p"] = "n/a"
            elif rnd.random() < 0.8:
                row["p"] = str(Decimal(rnd.randint(-2000, 20000)) / 100)
            if rnd.random() < 0.4 and _number(row.get("a")) and _number(row.get("b")):
                # sums that hold, exactly, within rounding or a tolerance, or just not
                delta = Decimal(rnd.choice(("0", "0", "0.01", "0.004", "0.05", "0.06", "0.5", "1")))
                row["c"] = str(Decimal(row["a"]) + Decimal(row["b"]) + delta * rnd.choice((1, -1)))
            rows.append(row)
        record = {"_meta": {"id": f"r{i}"}}
        if rnd.random() < 0.85:
            record["x"] = str(Decimal(rnd.randint(0, 90000)) / 100)
        if rnd.random() < 0.9:
            record["t"] = rows
        records.append(record)
    return records


# ---- rule bodies of the covered shapes ---------------------------------------------------------

COLUMNS = ("r.a", "r.b", "r.c")
OPS = ("=", "!=", "<", "<=", ">", ">=")


@st.composite
def amounts(draw, depth=2):
    """A number over the row: its cells, constants, the record's figure, + - × (by a number),
    unary minus, abs."""
    leaf = st.sampled_from(COLUMNS + ("x", "1", "0.5", "100"))
    if depth == 0:
        return draw(leaf)
    kind = draw(st.sampled_from(("leaf", "leaf", "+", "-", "*", "neg", "abs")))
    if kind == "leaf":
        return draw(leaf)
    a, b = draw(amounts(depth - 1)), draw(amounts(depth - 1))
    factor = draw(st.sampled_from(("2", "0.5", "3", "-1")))
    return {"+": f"({a} + {b})", "-": f"({a} - {b})", "*": f"({a} * {factor})", "neg": f"-{a}",
            "abs": f"abs({a})"}[kind]


def _quotient(draw) -> str:
    num, den = draw(st.sampled_from(COLUMNS)), draw(st.sampled_from(COLUMNS + ("x",)))
    scale = draw(st.sampled_from((" * 100", "", " * 3", " * -100")))
    left = draw(st.sampled_from(("r.p", "r.p", "r.a", "0")))
    quotient, op = f"{num} / {den}{scale}", draw(st.sampled_from(OPS))
    return f"({quotient} {op} {left})" if draw(st.booleans()) else f"({left} {op} {quotient})"


@st.composite
def conditions(draw, depth=2):
    """A condition over the row: comparisons (of sums too), a quotient compared, present(),
    and / or / not / if-then."""
    kind = draw(st.sampled_from(("cmp", "sum", "quot", "present", "and", "or", "not", "implies")
                                if depth else ("cmp", "sum", "quot", "present")))
    op = draw(st.sampled_from(OPS))
    if kind == "quot":
        return _quotient(draw)
    if kind in ("and", "or", "not", "implies"):
        a, b = draw(conditions(depth - 1)), draw(conditions(depth - 1))
        return {"and": f"({a} and {b})", "or": f"({a} or {b})", "not": f"(not {a})",
                "implies": f"(if {a} then {b})"}[kind]
    if kind == "present":
        return f"present({draw(st.sampled_from(COLUMNS + ('r.p', 'r.name')))})"
    return f"(r.c {op} r.a + r.b)" if kind == "sum" else f"({draw(amounts())} {op} {draw(amounts())})"


@st.composite
def rules(draw):
    body = draw(conditions())
    where = draw(st.one_of(st.none(), conditions(depth=1)))
    tolerance = draw(st.sampled_from(("", "", " within 0.05", " within 0.003", " within 1 元")))
    head = f"for each r in t where {where}: " if where else "for each r in t: "
    return f'rule G "generated": {head}{body}{tolerance}\n'


def _same_as_numpy(text: str, records: list, frame) -> None:
    """The program's statuses, counts and findings (assert_same: the per-record engine's) are
    also the numpy path's, chunk for chunk."""
    with programs_off():
        numpy_rules = fiscalrules.compile_rules(HEAD + text)
        plain = numpy_rules.evaluate_table(frame, chunk_rows=7)
    fused = fiscalrules.compile_rules(HEAD + text)
    with counted() as seen:
        result = assert_same(fused, frame, records, chunk_rows=7)
    for rule in ("G",):
        assert result.statuses(rule).tolist() == plain.statuses(rule).tolist()
        assert result.counts[rule] == plain.counts[rule]
    return seen


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule=rules(), seed=st.integers(0, 10 ** 6), big=st.booleans())
def test_generated_rules_over_rows_agree_with_the_numpy_path_and_per_record(rule, seed, big):
    records = records_of(seed, big=big)
    probe = fiscalrules.compile_rules(HEAD + rule)
    frame = flatten_records(records, probe)
    _same_as_numpy(rule, records, frame)


BODIES = [
    "for each r in t where present(r.c): r.c = r.a + r.b",
    "for each r in t where present(pct(r.a)) and prior(r.a) != 0: pct(r.a) = change(r.a) / prior(r.a) * 100",
    "for each r in t where present(r.p) and present(r.a) and present(r.b) and r.b != 0: r.p = r.a / r.b * 100",
    "for each r in t where present(r.p): r.p = r.a / x * 100",
    "for each r in t where r.b != 0: r.p = r.a / r.b * 100 within 0.05",
    "for each r in t where r.b != 0: r.a / r.b * 100 <= r.p within 0.003",
    "for each r in t: (r.c = r.a - r.b or (r.a = 0 and r.b = 0)) and abs(r.c) <= x",
    "for each r in t where not (r.a > 100): if present(r.b) then r.a * 2 >= -r.b within 0.5",
]


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("seed", range(4))
def test_covered_shapes_run_as_programs(body, seed):
    """Sums, quotient rows (``r.p = r.a / r.b × 100``), a record's figure among the row's, logic:
    a program runs for every chunk (none falls back without figures too large), and its statuses
    are the per-record engine's and the numpy path's."""
    records = records_of(seed, n=30)
    text = f'rule G "g": {body}\n'
    frame = flatten_records(records, fiscalrules.compile_rules(HEAD + text))
    seen = _same_as_numpy(text, records, frame)
    assert seen["ran"] > 0 and seen["fell back"] == 0


def test_large_figures_fall_back_to_the_numpy_path_for_their_chunk():
    """A chunk whose products would pass 64 bits runs on the numpy path (and its wide paths):
    the statuses are the same either way."""
    records = records_of(3, n=30, big=True)
    records[0]["t"] = [{"code": "201", "name": "x", "a": "9" * 17, "b": "3", "c": "1", "p": "1"}]
    text = 'rule G "g": for each r in t: r.c * 1000 = r.a * 1000 + r.b\n'
    frame = flatten_records(records, fiscalrules.compile_rules(HEAD + text))
    seen = _same_as_numpy(text, records, frame)
    assert seen["fell back"] > 0


@pytest.mark.parametrize("body, covered", [
    ("for each r in t: r.c = r.a + r.b", False),       # (decide_sum's one pass already)
    ("for each r in t where present(r.a): r.c = r.a + r.b", True),
    ("for each r in t: r.c = r.a + r.b and r.a >= 0", True),
    ("for each r in t where present(change(r.a)): prior(r.a) >= 0", True),
    ("for each r in t where count(children(r)) > 1: r.c = r.a", False),   # (children over every row)
    ("for each r in t where present(r.name): r.p = r.a / r.b * 100", True),
    ("for each r in t where r.name = \"x\": r.c = r.a", False),          # texts compared
    ("for each r in t where present(r.c): r.c = sum(s.a for s in t)", True),   # (a record's value: a leaf)
    ("for each r in t where present(t[r.code]): r.c = t[r.code].a", False),   # a lookup
    ("for each r in t: r.c = r.a / r.b", True),
    ("for each r in t: r.c = r.a within 1%", False),                    # a relative tolerance
])
def test_which_shapes_a_program_covers(body, covered):
    rules = fiscalrules.compile_rules(HEAD + f'rule G "g": {body}\n')
    made = []
    before = rulebody.program_of

    def spy(*args):
        made.append(before(*args))
        return made[-1]
    from fiscalrules.columnar.engine import plan_of
    with replaced(rulebody, "program_of", spy):
        plan_of(rules)
    assert (made[0] is not None) == covered
    assert [CODES[0]]   # (the module's status names are the engine's)

"""A rule over the records whose assertion compares a quotient runs as one program in one C pass
(fiscalrules.columnar.flatprog): statuses, counts and findings are the per-record engine's and
the numpy path's, for generated records (missing figures and metadata, text in amounts, figures
too large for 64-bit products, percentages printed as the rounded quotient -- bounds met exactly)
and generated rules of the PCT-* shape and others."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

pytest.importorskip("pyarrow")

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.columnar import flatprog, flatten_records, kernel, rulebody  # noqa: E402
from columnar_equivalence import assert_same, programs_counted, replaced  # noqa: E402

pytestmark = pytest.mark.skipif(kernel.compiled() is None, reason="the C kernels are not built")

HEAD = '''
unit 万元
field a: amount
field b: amount
field c: amount
field n: number
'''
FIGURES = ("a", "b", "c")


def programs_off():
    """Rules compiled within the block keep to the numpy path (no program)."""
    return replaced(rulebody, "flat_program_of", lambda *args: None)


def counted():
    """How many chunks ran a program to the end, and how many fell back to the numpy path."""
    return programs_counted(flatprog.FlatProgram, flatprog.Fallback)


def _amount(rnd: random.Random, big: bool):
    roll = rnd.random()
    if roll < 0.1:
        return None
    if roll < 0.13:
        return "n/a"                          # text in an amount: an error
    if big and roll < 0.16:
        return "9" * rnd.randint(14, 17)      # products past 64 bits
    if roll < 0.22:
        return "0"
    return str(Decimal(rnd.randint(-500, 20000)) / 10 ** rnd.choice((0, 1, 2)))


def records_of(seed: int, n: int = 20, big: bool = False) -> list:
    """Records of figures a, b, c, each with a change and a percentage now and then -- the
    percentage printed as change ÷ (value − change) × 100 rounded (bounds met exactly), off by a
    little or a lot, or missing; the changes -30 % … +50 % of the value, as printed ones are."""
    rnd = random.Random(seed)
    records = []
    for i in range(n):
        record = {"_meta": {"id": f"r{i}"}}
        for name in FIGURES:
            value = _amount(rnd, big)
            if value is None:
                continue
            if rnd.random() < 0.6 and value != "n/a":
                roll = rnd.random()
                change = "n/a" if roll < 0.03 else "0" if roll < 0.1 else \
                    str((Decimal(value) * Decimal(rnd.randint(-300, 500)) / 1000).quantize(Decimal("0.01")))
                figure = {"value": value, "change": change}
                try:
                    q = Decimal(change) / (Decimal(value) - Decimal(change)) * 100
                    off = Decimal(rnd.choice(("0", "0", "0", "0.01", "0.004", "0.06", "2")))
                    q = q.quantize(Decimal("0.01")) if rnd.random() < 0.8 else q.quantize(Decimal("1"))
                    if rnd.random() < 0.85:
                        figure["pct"] = str(q + off * rnd.choice((1, -1)))
                except ArithmeticError:
                    if rnd.random() < 0.5:
                        figure["pct"] = "12.5"
                record[name] = figure
            else:
                record[name] = value
        if rnd.random() < 0.7:
            record["n"] = str(rnd.choice((100, 3, -1, 0)))
        records.append(record)
    return records


OPS = ("=", "!=", "<", "<=", ">", ">=")


def _quotient(draw) -> str:
    kind = draw(st.sampled_from(("pct", "pct", "plain")))
    if kind == "pct":
        x = draw(st.sampled_from(FIGURES))
        return f"pct({x}) = change({x}) / prior({x}) * 100"
    num, den = draw(st.sampled_from(FIGURES)), draw(st.sampled_from(FIGURES + ("n",)))
    scale = draw(st.sampled_from((" * 100", "", " * 3", " * -100")))
    left = draw(st.sampled_from(FIGURES + ("0", "n")))
    op = draw(st.sampled_from(OPS))
    return f"({num} / {den}{scale} {op} {left})" if draw(st.booleans()) else f"({left} {op} {num} / {den}{scale})"


@st.composite
def clauses(draw):
    """``if present(pct(x)) and prior(x) != 0 then pct(x) = change(x) / prior(x) * 100`` and
    kin: a guard (present, a comparison, a sum) and a quotient compared, or a comparison."""
    x = draw(st.sampled_from(FIGURES))
    guard = draw(st.sampled_from((f"present(pct({x})) and prior({x}) != 0", f"present({x})", f"{x} > 0",
                                  f"abs({x} - change({x})) >= 1", "n != 0")))
    body = _quotient(draw) if draw(st.integers(0, 3)) else f"a + b {draw(st.sampled_from(OPS))} c * 2"
    return f"(if {guard} then {body})" if draw(st.booleans()) else f"(({guard}) and {body})"


@st.composite
def rules(draw):
    parts = draw(st.lists(clauses(), min_size=1, max_size=4))
    joiner = draw(st.sampled_from((" and ", " and ", " or ")))
    assertion = joiner.join(parts)
    if draw(st.booleans()):
        assertion = f"not ({assertion})"
    when = draw(st.sampled_from((None, "present(a)", "present(pct(b)) or present(pct(c))", "n > 0", "pct(a) > 100")))
    tolerance = draw(st.sampled_from(("", "", " within 0.05", " within 1 元")))
    head = f"when {when} " if when else ""
    return f'rule G "generated" {{ {head}assert {assertion}{tolerance} }}\n'


def _same_as_numpy(text: str, records: list, chunk_rows: int = 7):
    frame = flatten_records(records, fiscalrules.compile_rules(HEAD + text))
    with programs_off():
        plain = fiscalrules.compile_rules(HEAD + text).evaluate_table(frame, chunk_rows=chunk_rows)
    fused = fiscalrules.compile_rules(HEAD + text)
    with counted() as seen:
        result = assert_same(fused, frame, records, chunk_rows=chunk_rows)
    assert result.statuses("G").tolist() == plain.statuses("G").tolist()
    assert result.counts["G"] == plain.counts["G"]
    return seen


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule=rules(), seed=st.integers(0, 10 ** 6), big=st.booleans())
def test_generated_rules_over_records_agree_with_the_numpy_path_and_per_record(rule, seed, big):
    _same_as_numpy(rule, records_of(seed, big=big))


PCT = ('rule G "g" { when (present(pct(a)) and prior(a) != 0) or (present(pct(b)) and prior(b) != 0)\n'
       '  assert (if present(pct(a)) and prior(a) != 0 then pct(a) = change(a) / prior(a) * 100)\n'
       '     and (if present(pct(b)) and prior(b) != 0 then pct(b) = change(b) / prior(b) * 100) }\n')


@pytest.mark.parametrize("seed", range(6))
def test_the_pct_shape_runs_as_a_program(seed):
    """PCT-009's shape: a program runs for every chunk (none falls back without figures too
    large), with the per-record engine's statuses (ties deferred to it).  A chunk reads its
    figures over its own rows, each column at the finest decimals its rows print: chunks of 20
    records, as a run's mix them (in a chunk of a handful, whole percentages beside a prior of
    four decimals can put the cross-products' bound past 64 bits: that chunk runs on the numpy
    path, with the same statuses -- the generated rules' test runs such chunks)."""
    seen = _same_as_numpy(PCT, records_of(seed, n=40), chunk_rows=20)
    assert seen["ran"] > 0 and seen["fell back"] == 0


def test_large_figures_fall_back_for_their_chunk():
    records = records_of(5, n=30)
    records[3]["a"] = {"value": "9" * 16, "change": "1", "pct": "12345.678"}   # (cross-products past 2**63)
    seen = _same_as_numpy(PCT, records)
    assert seen["fell back"] > 0


@pytest.mark.parametrize("rule, covered", [
    (PCT, True),
    ('rule G "g" { assert a / b * 100 >= c }', True),
    ('rule G "g" { when present(a) assert a = b + c }', False),          # no quotient: numpy's passes
    ('rule G "g" { assert a / b * 100 >= c within 1% }', False),         # a relative tolerance
    ('rule G "g" { assert a / b * 100 >= c and "x" = "x" }', True),     # texts compared: a leaf
    ('rule G "g" { assert (a / b) * (b / c) >= 1 }', False),             # a quotient not compared
])
def test_which_rules_a_flat_program_covers(rule, covered):
    made = []
    before = rulebody.flat_program_of

    def spy(*args):
        made.append(before(*args))
        return made[-1]
    from fiscalrules.columnar.engine import plan_of
    with replaced(rulebody, "flat_program_of", spy):
        plan_of(fiscalrules.compile_rules(HEAD + rule))
    assert bool(made and made[0] is not None) == covered   # (none made: the plan refused the rule first)


@pytest.mark.parametrize("source", ["PCT", "budget_disclosure"])
def test_a_program_notes_no_shared_expression_again(source):
    """Compiling a program's leaves leaves what the ruleset shares as the plan without programs
    has it (a leaf of one rule is not made 'shared' by being compiled twice): the same keys with
    the same ids, the same rules writing each, the same expressions shared."""
    from fiscalrules.columnar.engine import shared_of

    def compiled():
        return fiscalrules.compile_rules(HEAD + PCT) if source == "PCT" else fiscalrules.load_ruleset(source)
    with_programs = shared_of(compiled())
    with programs_off():
        without = shared_of(compiled())
    assert with_programs.hot == without.hot
    assert with_programs.ids == without.ids and list(with_programs.ids) == list(without.ids)
    assert with_programs.users == without.users

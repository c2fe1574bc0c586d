"""A chunk of a run (a part of the run's frame, validated once for the run) reads the figures,
texts, flags and presence its rules ask for over its own rows, and the run's frame keeps none of
them (a run's memory stays a chunk's): each part reads what a frame of its rows alone reads -- the
same exact values and intervals, the same missing and erroneous rows -- where cells' decimals,
units and nulls differ from chunk to chunk, figures beyond 64-bit integers sit in another chunk,
or the run mixes money with other units."""

from __future__ import annotations

from decimal import Decimal

import pytest

pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

import fiscalrules  # noqa: E402
from fiscalrules.columnar.columns import Unsupported  # noqa: E402
from fiscalrules.columnar.reading import Frame  # noqa: E402
from fiscalrules.frames import column_roles  # noqa: E402
from columnar_equivalence import assert_same  # noqa: E402

RULES = '''
field b: amount
field a: amount
unit 万元
field total "合计": amount
precision 万元 0.01
field n "人数": count 人
field p: percent
field s.*: amount
field name: text
field ok: flag default 0
field q: number
rule R1 "total": total = a + b
rule R2: total >= sum(s.*) within 0.02
rule R3: n >= 0
rule R4: if ok then p <= 100
rule R5: name != "x" or a > 1
rule R6 { when present(change(total))
  assert change(total) <= total }
rule R7 { when present(change(q))
  assert change(q) <= 1.5 }
'''


@pytest.fixture(scope="module")
def rules():
    return fiscalrules.compile_rules(RULES)


def _table(rows: int, big_at: int | None = None, mixed: bool = False):
    """A record frame whose chunks differ: decimals (2, then 3 places), units per cell, nulls,
    texts where numbers belong; *big_at*: a row whose total is beyond 64-bit integers; *mixed*:
    the stated changes of a plain number, some in money (元), some in none -- the one reading of
    money beside other units left to a record: a count or a percentage in money is an error."""
    def cycle(values, at=0):
        return [values[(i + at) % len(values)] for i in range(rows)]
    total = [f"{10 + i}.{i % 100:02d}" if i < rows // 2 else f"{10 + i}.{i % 1000:03d}" for i in range(rows)]
    if big_at is not None:
        total[big_at] = "123456789012345678901234567"
    return pa.table({
        "_meta.id": [f"r{i}" for i in range(rows)],
        "total": total,
        "total.unit": cycle(["万元", None, "万元", "元", "万元"]),
        "total.change": cycle(["1.5", None, "-2", "0.125", "n/a"]),
        "a": pa.array([Decimal(i % 7) / 4 if i % 9 else None for i in range(rows)], pa.decimal128(8, 2)),
        "b": cycle(["5", "5.01", None, "95000", "text"]),
        "n": cycle(["1", "2", "300", None]),
        "n.unit": cycle(["人", None]),
        "p": cycle(["50", "99.5", "101", None]),
        "q": cycle(["4", "5", None]),
        **({"q.change": cycle(["1", "2", "0.5"]), "q.unit": cycle(["元", None])} if mixed else {}),
        "s.x": cycle(["1", "2.5", None]),
        "s.y": cycle(["3", "4", "5", "6", "7"], 2),
        "name": cycle(["x", "y", "z", None, "x"]),
        "ok": cycle([True, False, None]),
    })


def _exact(num, n: int):
    """(value, low, high) per row as Decimals (None where missing or in error), of a Num."""
    def rows_of(a):
        return a.tolist() if isinstance(a, np.ndarray) else [a] * n
    miss = rows_of(num.miss if num.miss is not None else np.zeros(n, bool))
    err = rows_of(num.err if num.err is not None else np.zeros(n, bool))
    out = []
    for i, (pt, lo, hi) in enumerate(zip(rows_of(num.pt), rows_of(num.lo), rows_of(num.hi))):
        out.append(None if miss[i] or err[i] else tuple(Decimal(v).scaleb(num.exp) for v in (pt, lo, hi)))
    return out, miss, err


def _readings(frame, rules):
    decl = rules.settings.decl_for
    out = {}
    for key in ("total", "a", "b", "n", "p", "s.x", "s.y"):
        out[("num", key)] = (_exact(frame.num(key, decl(key)), frame.n), frame.num(key, decl(key)).dim)
    out[("num", "total", "change")] = _exact(frame.num("total", decl("total"), "change"), frame.n)
    text = frame.text("name")
    out["text"] = ([text.texts[c] if c < len(text.texts) else None for c in text.codes.tolist()],
                   None if text.miss is None else text.miss.tolist())
    out["flags"] = [part.tolist() for part in frame.flags("ok")]
    out["present"] = [frame.present(key).tolist() for key in ("total", "a", "b", "name")]
    return out


def _frames(rules, table, size: int):
    roles = column_roles(table.column_names, rules.checked.fields, rules.checked.labels)
    whole = Frame(table, rules.settings, roles, memo={})
    for lo in range(0, table.num_rows, size):
        part = table.slice(lo, size)
        yield (Frame(part, rules.settings, roles, memo={}, run=(whole, lo, lo + part.num_rows)),
               Frame(part, rules.settings, roles, memo={}), whole, lo)


@pytest.mark.parametrize("size", [7, 40, 200])
def test_a_part_reads_what_its_rows_alone_read(rules, size):
    table = _table(200)
    for part, alone, whole, _ in _frames(rules, table, size):
        assert _readings(part, rules) == _readings(alone, rules)
    # (the run's frame read no figure, text or flag for its parts: nothing of the kind kept)
    assert not any(key[0] in ("num", "text", "flags") for key in whole._cache)


def test_a_figure_beyond_64_bits_in_one_chunk_leaves_the_others_reading_their_rows(rules):
    table = _table(60, big_at=45)
    decl = rules.settings.decl_for("total")
    for part, alone, whole, lo in _frames(rules, table, 20):
        with pytest.raises(Unsupported):
            whole.num("total", decl)
        if lo <= 45 < lo + part.n:   # (the chunk holding it: per record, as before)
            with pytest.raises(Unsupported):
                part.num("total", decl)
            continue
        assert _exact(part.num("total", decl), part.n) == _exact(alone.num("total", decl), alone.n)
    assert_same(rules, table, table, chunk_rows=20)


def test_money_beside_other_units_in_the_run_is_not_read_mixed_in_a_chunk_of_one_unit(rules):
    table = _table(80, mixed=True)
    decl = rules.settings.decl_for("q")
    dims = set()
    for part, alone, whole, _ in _frames(rules, table, 2):
        assert whole.num("q", decl, "change").dim == "mixed"
        got, by_itself = part.num("q", decl, "change"), alone.num("q", decl, "change")
        assert (_exact(got, part.n), got.dim) == (_exact(by_itself, alone.n), by_itself.dim)
        dims.add(got.dim)
    assert "mixed" not in dims or len(dims) > 1
    assert_same(rules, table, table, chunk_rows=2)


@pytest.mark.parametrize("chunk_rows", [1, 7, 64])
def test_statuses_over_chunks_that_read_the_run(rules, chunk_rows):
    table = _table(130)
    assert_same(rules, table, table, chunk_rows=chunk_rows)

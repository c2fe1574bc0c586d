"""A text column's plain amounts judged and read in one pass (``rowloops.plain_verdict`` and
``plain_figures``, in C where built): the cells they leave to the loader are exactly those the
plain-number expression does not match -- hostile ones included: signs, points, exponents,
full-width digits, spaces, thousands separators, very long digit strings, texts -- and their
values, exponents and bounds are the loader's, in C and in numpy, the cells' bytes read a word
at a time or, at the end of the data, byte by byte.  A figure column read through them gives
each row the loader's value, half-width and verdict, as the same column coded as a dictionary
does and as the reading without the C loops does."""

from __future__ import annotations

import functools
import re
from decimal import Decimal

import pytest

pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.columnar import rowloops  # noqa: E402
from fiscalrules.columnar.cells import _PLAIN  # noqa: E402
from fiscalrules.columnar.columns import Unsupported  # noqa: E402
from fiscalrules.columnar.reading import Frame  # noqa: E402
from fiscalrules.errors import RecordError  # noqa: E402
from fiscalrules.recordbuild import _Builder  # noqa: E402
from fiscalrules.context import interval  # noqa: E402
from test_columnar_cells import HOSTILE  # noqa: E402

PROPERTY = settings(max_examples=150, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

_cells = st.one_of(st.sampled_from(HOSTILE), st.none(),
                   st.text(alphabet="0123456789.-,+ １２e٣x\u3000", max_size=22),
                   st.from_regex(r"-?[0-9]{1,16}(\.[0-9]{1,15})?", fullmatch=True))


def _ways():
    """(name, rowloops._choose) of the C loops where built, and of numpy's."""
    ways = [("numpy", functools.cache(lambda: (None, "the test asks for numpy")))]
    if rowloops.compiled() is not None:
        ways.insert(0, ("c", rowloops._choose))
    return ways


def _plain(cell) -> bool:
    return cell is not None and len(cell.encode()) <= 19 and re.fullmatch(_PLAIN.strip("^$"), cell) is not None


@PROPERTY
@given(cells=st.lists(_cells, max_size=40), start=st.integers(0, 3), tail=st.sampled_from(["", "x" * 30]),
       limit=st.sampled_from([0, 3, 1000]))
def test_the_pass_leaves_to_the_loader_exactly_the_cells_not_plain(cells, start, tail, limit):
    """*tail*: a last cell after the ones read, so that every cell's words lie within the data
    (or, without it, the last cells are read byte by byte)."""
    array = pa.array(["pad"] * start + cells + [tail], pa.large_string() if start % 2 else pa.string())
    array = array.slice(start, len(cells))
    others = [i for i, cell in enumerate(cells) if cell is not None and not _plain(cell)]
    values = [Decimal(cell) if _plain(cell) else None for cell in cells]
    exps = [v.as_tuple().exponent for v in values if v is not None]
    choose = rowloops._choose
    try:
        for _, rowloops._choose in _ways():
            rows = rowloops.plain_verdict(array, limit)
            read = rowloops.plain_figures(array, limit)
            if len(others) > limit:
                assert rows is None and read is None
                continue
            assert rows.tolist() == others
            units, small_exps, figure_rows, lowest, highest, greatest = read
            assert figure_rows.tolist() == others
            assert small_exps.dtype == np.int8 and units.dtype == np.int64
            assert [Decimal(int(u)).scaleb(int(e)) if v is not None else None
                    for u, e, v in zip(units, small_exps, values)] == values
            assert all(int(u) == 0 and int(e) == 0 for u, e, v in zip(units, small_exps, values) if v is None)
            assert [int(e) for e, v in zip(small_exps, values) if v is not None] == exps   # (decimals as printed)
            assert (lowest, highest) == ((min(exps), max(exps)) if exps else (0, 0))
            assert greatest == max((abs(int(v.scaleb(-v.as_tuple().exponent))) for v in values if v is not None),
                                   default=0)
    finally:
        rowloops._choose = choose


RULES = '''
unit 万元
precision 万元 0.01
field total "合计": amount
field ratio: percent
rule R1: total >= 0
rule R2: ratio <= 100
'''


def _by_the_loader(cells, settings, decl):
    """Each row's (value, low, high) in the engine's units as the per-record loader reads its cell,
    'missing', 'text' (not a number), or 'refused' (its record unreadable)."""
    builder = _Builder(None)
    plan = settings._plan(None, decl, "value")
    out = []
    for cell in cells:
        if cell is None:
            out.append("missing")
            continue
        try:
            value = builder.value(cell, "total")
        except RecordError:
            out.append("refused")
            continue
        out.append(interval(value, None, plan) if type(value) is Decimal else "text")
    return out


def _read(frame, key, decl):
    """Each row as :func:`_by_the_loader` says it, from a frame's reading of the column."""
    try:
        num = frame.num(key, decl).whole()
    except Unsupported:   # (amounts whose integers would pass 64 bits: read per record)
        return "unsupported"   # (a half kept as a fraction of the last digit: whole)
    n = frame.n

    def at(a, i):
        return a[i] if isinstance(a, np.ndarray) else a
    out = []
    for i in range(n):
        if frame.bad[i]:
            out.append("refused")
        elif num.miss is not None and num.miss[i]:
            out.append("missing")
        elif num.err is not None and num.err[i]:
            out.append("text")
        else:
            pt, lo, hi = (Decimal(int(at(a, i))).scaleb(num.exp) for a in (num.pt, num.lo, num.hi))
            out.append((pt, lo, hi))
    return out


@settings(max_examples=60, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cells=st.lists(st.one_of(_cells.filter(lambda c: c is None or len(c) <= 17),
                                st.from_regex(r"-?[0-9]{1,7}\.[0-9]{2}", fullmatch=True)), min_size=1, max_size=30),
       plain=st.integers(0, 600))
def test_a_text_figure_column_reads_each_cell_as_the_loader(cells, plain):
    """A column of *plain* two-decimal amounts with *cells* among them (a few: the pass's path;
    many: the reading by distinct text), as given, coded as a dictionary, and without the C loops:
    each row's value and interval, missing, not a number or refused, as the loader reads it."""
    rules = fiscalrules.compile_rules(RULES)
    decl = rules.settings.decl_for("total")
    column = [f"{i * 37 % 100000}.{i % 100:02d}" for i in range(plain)]
    for k, cell in enumerate(cells):
        column.insert((k * 7919) % (len(column) + 1), cell)
    expected = _by_the_loader(column, rules.settings, decl)
    roles = {"合计": ("total", None)}
    text = pa.table({"合计": pa.array(column, pa.string())})
    coded = pa.table({"合计": pa.array(column, pa.string()).dictionary_encode()})
    choose = rowloops._choose
    readings = []
    try:
        for _, rowloops._choose in _ways():
            for table in (text, coded):
                frame = Frame(table, rules.settings, roles, memo={})
                readings.append((frame.bad.tolist(), _read(frame, "total", decl)))
    finally:
        rowloops._choose = choose
    refused = [row == "refused" for row in expected]
    assert all(bad == refused for bad, _ in readings)
    if not all(reading == "unsupported" for _, reading in readings):   # (else every way reads per record)
        assert all(reading == expected for _, reading in readings)


def test_the_passes_refuse_what_is_outside_their_buffers():
    C = rowloops.compiled()
    if C is None:
        pytest.skip(f"the C loops are not used here: {rowloops.why_not()}")
    bad_offsets = np.array([0, 1, 99], dtype=np.int32).tobytes()
    rows = np.zeros(4, dtype=np.int64)
    with pytest.raises(ValueError):   # a cell's bytes outside the data
        C.plain_verdict(bad_offsets, b"12", 0, 2, False, None, rows, 2)
    with pytest.raises(ValueError):
        C.plain_figures(bad_offsets, b"12", 0, 2, False, None, np.zeros(2, dtype=np.int64), np.zeros(2, dtype=np.int8),
                        rows, 2)
    offsets = np.array([0, 1, 2], dtype=np.int32).tobytes()
    with pytest.raises(ValueError):   # a limit past the rows' room
        C.plain_verdict(offsets, b"1x", 0, 2, False, None, rows, 5)
    with pytest.raises(ValueError):   # an output shorter than the cells
        C.plain_figures(offsets, b"1x", 0, 2, False, None, np.zeros(1, dtype=np.int64), np.zeros(2, dtype=np.int8),
                        rows, 2)
    with pytest.raises(ValueError):   # an output that is also an input
        C.plain_figures(offsets, b"1x", 0, 2, False, None, rows[:2], np.zeros(2, dtype=np.int8), rows, 2)
    import sys
    for first in (sys.maxsize // 4, sys.maxsize):
        with pytest.raises(ValueError):
            C.plain_verdict(offsets, b"1x", first, 1, False, None, rows, 2)
    assert C.plain_verdict(offsets, b"1x", 0, 2, False, None, rows, 2) == 1 and rows[0] == 1
    units, exps = np.zeros(2, dtype=np.int64), np.zeros(2, dtype=np.int8)
    assert C.plain_figures(offsets, b"1x", 0, 2, False, None, units, exps, rows, 2) == (1, 0, 0, 1)
    assert C.plain_figures(offsets, b"1x", 0, 2, False, None, units, exps, rows, 0) is None


def test_a_figure_rescaled_past_64_bits_is_not_read_wrapped():
    """A 16-digit amount beside an amount of eight decimals: brought to the column's finest
    exponent its integer passes 64 bits.  The product wrapped before its bound was taken (found by
    the property above): the record failed ``total >= 0`` on columns and passed per record.  Now
    the column is too large for columns and those rows are read per record."""
    from columnar_equivalence import assert_same
    rules = fiscalrules.compile_rules(RULES.replace("rule R2: ratio <= 100\n", ""))
    column = [f"{i}.{i % 100:02d}" for i in range(300)] + ["-0915.06826583", "5573111191024729"]
    table = pa.table({"_meta.id": [f"r{i}" for i in range(len(column))], "合计": pa.array(column, pa.string())})
    for given in (table, table.set_column(1, "合计", table.column("合计").dictionary_encode())):
        result = assert_same(rules, given, given)
        assert result.statuses("R1")[-1] == 0                 # pass, as per record
        assert result.engines["R1"].startswith("per-record for some rows")

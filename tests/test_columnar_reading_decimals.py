"""A decimal128 column read as int64 (:func:`fiscalrules.columnar.rowloops.decimal128_low`, under
:func:`.scaled.decimal128_units`): the C pass and its numpy twin give each cell's value -- the
16-byte two's complement read as a Python int -- and the greatest magnitude, or None when some
cell holding a value is beyond int64 (a null cell's words, whatever they hold, are not read); and
the C pass refuses cells outside its buffer, a short or misaligned output, or one sharing memory."""

from __future__ import annotations

import random
import sys

import pytest

pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

from fiscalrules.columnar import rowloops  # noqa: E402
from fiscalrules.columnar.scaled import decimal128_units  # noqa: E402
from test_columnar_reading_loops import C, loops  # noqa: E402,F401  (each test with C, then numpy)


def _array(cells: list, valid: list | None):
    """A decimal128(38, 2) array of the given 16-byte values (Python ints, any of 128 bits)."""
    data = b"".join((v % (1 << 128)).to_bytes(16, "little") for v in cells)
    bitmap = None
    if valid is not None:
        bits = sum(1 << i for i, ok in enumerate(valid) if ok)
        bitmap = pa.py_buffer(bits.to_bytes(max(1, -(-len(valid) // 8)), "little"))
    return pa.Array.from_buffers(pa.decimal128(38, 2), len(cells), [bitmap, pa.py_buffer(data)],
                                 null_count=-1 if valid is not None else 0)


EDGES = [0, 1, -1, 2 ** 63 - 1, -2 ** 63, 2 ** 63, -2 ** 63 - 1, 2 ** 64, 2 ** 64 + 5, -2 ** 64, 2 ** 127 - 1,
         -2 ** 127, 10 ** 18, -(10 ** 18)]


@pytest.mark.parametrize("seed", range(16))
def test_cells_as_int64_and_their_bound_or_none_beyond_int64(loops, seed):
    rnd = random.Random(seed)
    small = [rnd.randrange(-10 ** 9, 10 ** 9) for _ in range(6)]
    pool = small + (EDGES if seed % 2 else [0, -1, 2 ** 63 - 1, -2 ** 63])
    cells = [rnd.choice(pool) for _ in range(rnd.randrange(0, 90))]
    valid = [rnd.random() > 0.25 for _ in cells] if seed % 3 else None
    array = _array(cells, valid)
    start = rnd.randrange(0, 4) if cells else 0
    array, cells = array.slice(start), cells[start:]
    valid = valid[start:] if valid is not None else None
    given = [v for i, v in enumerate(cells) if valid is None or valid[i]]
    present = np.array(valid, dtype=bool) if valid is not None else None
    found = rowloops.decimal128_low(array, present)
    if any(not -2 ** 63 <= v < 2 ** 63 for v in given):
        assert found is None
        return
    units, bound = found
    assert units.dtype == np.int64 and units.flags.c_contiguous
    assert units.tolist() == [v if valid is None or valid[i] else 0 for i, v in enumerate(cells)]
    assert bound == max((abs(v) for v in given), default=0)
    whole = decimal128_units(array)
    if bound >= 2 ** 62:
        assert whole is None
    else:
        assert whole[0].tolist() == units.tolist() and whole[2] == bound


@pytest.mark.skipif(C is None, reason=f"the C loops are not used here: {rowloops.why_not()}")
def test_the_c_pass_refuses_what_is_outside_its_buffers():
    words = np.zeros(8, dtype=np.int64)   # four cells
    out = np.zeros(4, dtype=np.int64)
    assert C.decimal128_low(words.tobytes(), 0, 4, None, out) == 0
    for first, n in [(1, 4), (4, 1), (0, 5), (-1, 1), (0, -1), (sys.maxsize, 1), (sys.maxsize // 16, 2),
                     (1, sys.maxsize)]:
        with pytest.raises(ValueError):
            C.decimal128_low(words.tobytes(), first, n, None, np.zeros(max(min(n, 8), 1), dtype=np.int64))
    with pytest.raises(ValueError):   # an output shorter than n
        C.decimal128_low(words.tobytes(), 0, 4, None, np.zeros(3, dtype=np.int64))
    with pytest.raises(ValueError):   # fewer validity flags than cells
        C.decimal128_low(words.tobytes(), 0, 4, np.ones(3, dtype=bool), out)
    with pytest.raises(ValueError, match="aligned"):
        C.decimal128_low(words.tobytes(), 0, 2, None, np.zeros(5, dtype=np.int64).view(np.uint8)[4:36].view(np.int64))
    with pytest.raises(ValueError, match="shares memory"):   # the output over the cells it reads
        C.decimal128_low(words, 0, 4, None, words[:4])
    flags = np.ones(64, dtype=bool)
    with pytest.raises(ValueError, match="shares memory"):
        C.decimal128_low(words.tobytes(), 0, 4, flags, flags[:32].view(np.int64))

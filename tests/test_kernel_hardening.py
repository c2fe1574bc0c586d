"""The C kernels (``fiscalrules._ckernel``, ``fiscalrules._ccolumns``) against calls they cannot
serve safely, and their callers against inputs only the numpy twins take (review 16, A3 and A5):

* an int64 buffer read through ``int64_t *`` must be aligned (a misaligned view is undefined
  behaviour, harmless on x86 only by luck): the kernels refuse one, and the Python callers hand
  over an aligned copy, so that a misaligned input gives the numpy twin's answer;
* no output may share memory with another argument (``decide`` and ``row_findings`` as the other
  kernels already check; ``segment_sums`` kept so);
* where a kernel refuses what its numpy twin takes (rows not by record, a record outside the
  chunk), the caller runs the twin; where the twin would answer nonsense (``lut[-1]`` wrapping
  around), both refuse.
"""

from __future__ import annotations

import numpy as np
import pytest

from fiscalrules.columnar import arith, hierarchy, kernel, plan, rowloops
from fiscalrules.columnar.tables import CodeBook, TableRows
from fiscalrules.columnar.vectors import group_starts

K = kernel.compiled()
R = rowloops.compiled()
needs_kernels = pytest.mark.skipif(K is None, reason=f"the C kernels do not run here: {kernel.why_not()}")
needs_loops = pytest.mark.skipif(R is None, reason=f"the C loops do not run here: {rowloops.why_not()}")


def misaligned(values, writable: bool = False) -> np.ndarray:
    """*values* as an int64 array one byte into a buffer (bytes, or a bytearray when *writable*):
    a view no int64 load may read directly."""
    raw = b"\0" + np.asarray(values, dtype=np.int64).tobytes()
    return np.frombuffer(bytearray(raw) if writable else raw, dtype=np.int64, offset=1)


def test_a_misaligned_view_is_what_it_claims_to_be():
    view = misaligned([5, -7, 9])
    assert view.tolist() == [5, -7, 9] and not view.flags.aligned and view.ctypes.data % 8 == 1
    assert misaligned([3], writable=True).ctypes.data % 8 == 1


# --- A3: alignment -------------------------------------------------------------------------


@needs_kernels
def test_the_kernels_refuse_a_misaligned_int64_buffer():
    values, starts = misaligned([1, 2, 3, 4]), np.array([0, 2, 4], dtype=np.int64)
    with pytest.raises(ValueError, match="values: an aligned int64 array"):
        K.segment_sums(values, starts, np.empty(2, dtype=np.int64))
    with pytest.raises(ValueError, match="out: an aligned int64 array"):     # an output, too
        K.segment_sums(np.array([1, 2, 3, 4]), starts, misaligned([0, 0], writable=True))
    with pytest.raises(ValueError, match="a: an aligned int64 array"):
        K.decide(0, misaligned([1, 2]), 0, 0, 0, np.empty(2, dtype=np.int8))
    parent_of = misaligned([-1, -1], writable=True)
    with pytest.raises(ValueError, match="parent_of: an aligned int64 array"):
        K.parents(*(np.array(v, np.int64) for v in ([0, 1], [0, 1], [0, 0], [3, 5], [-1, 0], [-1, -1], [0, 1])),
                  parent_of)
    assert parent_of.tolist() == [-1, -1]                                    # untouched
    # the same arrays aligned are taken
    out = np.empty(2, dtype=np.int64)
    K.segment_sums(np.array([1, 2, 3, 4]), starts, out)
    assert out.tolist() == [3, 7]


@needs_loops
def test_the_reading_loops_refuse_a_misaligned_int64_buffer():
    with pytest.raises(ValueError, match="not aligned"):
        R.ordered(misaligned([1, 2]), np.array([0, 0]), None)
    with pytest.raises(ValueError, match="not aligned"):
        R.ordered(np.array([1, 2]), np.array([0, 1]), misaligned([4, 5]))
    with pytest.raises(ValueError, match="not aligned"):
        R.int_codes(misaligned([7, 7]), None, np.empty(2, dtype=np.int64), np.empty(2, dtype=np.int64))
    with pytest.raises(ValueError, match="not aligned"):
        R.int_codes(np.array([7, 7]), None, misaligned([0, 0], writable=True), np.empty(2, dtype=np.int64))
    import pyarrow as pa
    cells = pa.array(["a", "a", "b"])
    buffers = cells.buffers()
    with pytest.raises(ValueError, match="not aligned"):
        R.string_runs(buffers[1], buffers[2], cells.offset, 3, False, misaligned([0, 0, 0], writable=True), 3)
    with pytest.raises(ValueError, match="not aligned"):
        R.records_in_order(buffers[1], buffers[2], 0, 3, False, buffers[1], buffers[2], 0, 3, False,
                           misaligned([0, 0, 0], writable=True))
    with pytest.raises(ValueError, match="not aligned"):
        R.plain_numbers(buffers[1], buffers[2], 0, 3, False, None, np.empty(3, dtype=bool),
                        misaligned([0, 0, 0], writable=True), np.empty(3, dtype=np.int64))


@pytest.mark.parametrize("on", [True, False])
def test_callers_hand_the_kernels_an_aligned_copy_of_a_misaligned_input(on):
    values, starts = misaligned([1, 2, 3, 4, 5]), np.array([0, 2, 2, 5], dtype=np.int64)
    with kernel.use(on):
        assert arith._segment_sum(values, starts).tolist() == [3, 0, 12]
    assert rowloops.ordered(misaligned([1, 1, 2]), misaligned([0, 1, 0])) is True
    assert rowloops.ordered(misaligned([1, 1, 2]), misaligned([1, 1, 0])) is False
    assert rowloops.ordered(np.array([0, 0]), np.array([1, 0]), misaligned([9, 4])) is True
    codes, distinct = rowloops.int_codes(misaligned([7, 3, 7]), None, 5)
    assert codes.tolist() == [0, 1, 0] and distinct.tolist() == [7, 3]


# --- outputs sharing memory with inputs -----------------------------------------------------


@needs_kernels
def test_decide_s_outcomes_may_not_be_written_over_its_sides():
    base = np.zeros(8, dtype=np.int64)
    a, out = base[:4], base.view(np.int8)[:4]          # out: the first bytes of a
    with pytest.raises(ValueError, match="out shares memory with a"):
        K.decide(0, a, 0, 0, 0, out)
    with pytest.raises(ValueError, match="out shares memory with high"):
        K.decide(0, np.zeros(4, np.int64), 0, 0, base[:4], out)
    K.decide(0, base[4:], 0, 0, 0, out)                # side by side: fine
    assert out.tolist() == [0, 0, 0, 0]


@needs_kernels
def test_row_findings_outputs_may_not_be_written_over_another_argument():
    owners, items = np.array([0, 1, 1], np.int64), np.array([0, 2, 1], np.int8)
    single, codes = np.array([-1, -1], np.int8), np.empty(2, np.int8)
    keep = np.empty(3, bool)
    six = np.zeros(6, np.int64)
    with pytest.raises(ValueError, match="tally shares memory with owners"):
        K.row_findings(six[:3], items, single, codes, six, keep)
    with pytest.raises(ValueError, match="single shares memory with codes"):
        K.row_findings(owners, items, single, single, six, keep)
    with pytest.raises(ValueError, match="keep shares memory with items"):
        K.row_findings(owners, items, single, codes, six, items.view(bool))
    assert single.tolist() == [-1, -1]
    assert K.row_findings(owners, items, single, codes, six, keep) == 3    # apart: fine
    assert codes.tolist() == [0, 2] and six.tolist() == [1, 1, 1, 0, 0, 0] and keep.all()


@needs_kernels
def test_segment_sums_output_may_not_be_its_values():
    values = np.array([1, 2, 3, 4], np.int64)
    with pytest.raises(ValueError, match="out shares memory with values"):
        K.segment_sums(values, np.array([0, 2, 4], np.int64), values[2:])


# --- A5: the kernels refuse, the numpy twins answer -----------------------------------------


def _table(records: list) -> TableRows:
    """A table's rows: *records* lists (record, code) per row, in row order (records may interleave)."""
    book = CodeBook()
    table = TableRows.__new__(TableRows)
    rec = np.array([r for r, _ in records], dtype=np.int64)
    code = np.array([book.id(c) for _, c in records], dtype=np.int64)
    table.path, table.book, table.n, table.m = "t", book, int(rec.max()) + 1, len(records)
    table.rec, table.pos = rec, np.arange(1, len(records) + 1, dtype=np.int64)
    table.code_id = table.cell_code_id = code
    table.coded = np.ones(len(records), dtype=bool)
    table.starts = group_starts(np.sort(rec), table.n)
    table._cache, table._children = {}, None
    return table


def test_children_of_rows_not_by_record_are_the_numpy_code_s():
    # rows of record 1 before record 0's: the kernel walks a record's rows as one run and refuses
    table = _table([(1, "201"), (1, "20101"), (0, "201"), (0, "20102"), (0, "20101"), (1, "2010101")])
    if K is not None:
        with pytest.raises(ValueError, match="rows not by record"):
            p3, p5 = table.book.prefixes(3), table.book.prefixes(5)
            rank, length = hierarchy._book_order(table.book)
            K.parents(np.arange(table.m, dtype=np.int64), table.code_id, table.rec, length, p3, p5, rank,
                      np.empty(table.m, dtype=np.int64))
    with kernel.use(False):
        slow = [a.tolist() for a in hierarchy.children_ranges(table)]
    with kernel.use(True):
        fast = [a.tolist() for a in hierarchy.children_ranges(table)]
    assert fast == slow
    grouped, starts, counts = slow
    assert grouped[starts[0]:starts[0] + counts[0]] == [1]          # 201 of record 1: 20101
    assert grouped[starts[2]:starts[2] + counts[2]] == [3, 4]       # 201 of record 0: 20102, 20101 (row order)


def test_a_lookup_of_a_record_outside_the_chunk_finds_no_row_either_way():
    table = _table([(0, "201"), (0, "20101"), (1, "202")])
    recs, ids = np.array([0, 2, -1, 1]), np.array([table.book.id("20101"), 0, 0, table.book.id("202")])
    if K is not None:
        keys, order = table._rows_index(False)
        with pytest.raises(ValueError, match="a record"):
            K.find(keys, order, table.starts, recs, ids, 1 << 31, np.empty(4, dtype=np.int64))
    with kernel.use(False):
        slow = plan._find(table, recs, ids).tolist()
    with kernel.use(True):
        fast = plan._find(table, recs, ids).tolist()
    assert fast == slow == [1, -1, -1, 2]


def test_an_index_outside_the_table_is_refused_with_or_without_the_c_loops():
    # numpy's lut[-1] would read the table's last entry: a wrong answer, not an answer
    first, lut = np.array([0, 0]), np.array([3, 4])
    for second in (np.array([0, -1]), np.array([0, 2])):
        with pytest.raises(ValueError, match="outside the table"):
            rowloops._ordered(first, second, lut)
        with pytest.raises(ValueError, match="outside the table"):
            rowloops.ordered(first, second, lut)
    assert rowloops._ordered(first, np.array([0, 1]), lut) is True

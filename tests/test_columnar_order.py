"""Long frames in record order: rows already sorted by record and position are not sorted again;
others are sorted as before (``np.lexsort``).  (The statuses over rows in any order are
tests/test_columnar_tables.py's equivalence properties.)"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pyarrow")

from fiscalrules.columnar.tables import _by_record  # noqa: E402


def test_rows_in_record_order_are_left_as_they_are():
    rec = np.array([0, 0, 0, 1, 3, 3], dtype=np.int64)
    pos = np.array([1, 2, 5, 1, 1, 2], dtype=np.int64)
    assert _by_record(rec, pos) is None
    assert _by_record(rec[:1], pos[:1]) is None


@pytest.mark.parametrize("rec, pos", [
    ([1, 0, 0], [1, 1, 2]),          # records out of order
    ([0, 0, 1], [2, 1, 1]),          # positions out of order within a record
    ([0, 0, 1], [1, 1, 1]),          # a position twice: the stable sort decides, as before
])
def test_rows_out_of_order_are_sorted_as_lexsort_sorts_them(rec, pos):
    rec, pos = np.array(rec, dtype=np.int64), np.array(pos, dtype=np.int64)
    assert _by_record(rec, pos).tolist() == np.lexsort((pos, rec)).tolist()

"""A frame's columns as scaled integers -- each cell's unscaled int64 value and exponent, which
cells hold one, which hold text where a number is wanted, the values' bound -- for
:mod:`.figures` to make figures of (:class:`ColumnIntegers`, a part of :class:`.reading.Frame`).

Integer and decimal128 columns are read from their Arrow buffers; a text column of amounts by one
pass over its bytes (:func:`.rowloops.plain_figures`: the plain amounts' values written where
they are kept, the few other cells read by the loader); a coded text column by its distinct
texts, each read once; anything else cell by cell (by distinct value) with the loader's rules.
"""

from __future__ import annotations

import numpy as np

from .cells import (_by_index, _Cells, _combined, _integer_values, _is_coded, _is_text, _plain_mask, _plain_values,
                    _validity)
from .columns import LIMIT, Unsupported, _any, _exponent_of
from .scaled import bound_of, decimal128_units

__all__ = ["ColumnIntegers", "one_exponent"]


class ColumnIntegers:
    """The integers of a :class:`.reading.Frame`'s columns, read on first use and kept (``_ints``,
    ``_cache``: the frame's)."""

    def _one_array(self, name: str):
        """Column *name* as one Arrow array (:func:`.cells._combined`), made once for the frame: a
        column in several chunks (a Parquet file's row groups, each coded with a dictionary of its
        own) is combined by a copy, which every reading of it asked for again (~24,000 copies,
        0.55 s, in ``check`` of 100,000 records from Parquet)."""
        found = self._cache.get(("array", name))
        if found is None:
            found = self._cache[("array", name)] = _combined(self.table.column(name))
        return found

    def _integers(self, name: str):
        """(unscaled int64 values, their exponent (an int when one for the column, else an array),
        present mask or None when all are, not-a-number mask or None, max |value|) of a column."""
        found = self._ints.get(name)
        if found is None:
            found = self._ints[name] = self._read_integers(name)
        return found

    def _read_integers(self, name: str):
        import pyarrow as pa
        column = self.table.column(name)
        kind = column.type
        n = self.n
        if pa.types.is_integer(kind):
            array = self._one_array(name)
            present = _validity(array)
            units = _integer_values(array)
            if kind == pa.uint64() and len(units) and units.max() >= LIMIT:
                raise Unsupported(f"column {name} holds integers beyond 64 bits")
            units = units.astype(np.int64, copy=False)
            if present is not None:
                units = np.where(present, units, 0)
            return units, 0, present, None, bound_of(units, name)
        if pa.types.is_decimal(kind) and kind.bit_width == 128:
            found = decimal128_units(column)   # (chunk by chunk: not combined first)
            if found is not None:
                units, present, bound = found
                return units, -kind.scale, present, None, bound
        if pa.types.is_boolean(kind) or pa.types.is_null(kind):  # flags where a number is needed
            present = _validity(column) if column.null_count else np.ones(n, dtype=bool)
            return np.zeros(n, dtype=np.int64), 0, present, present.copy(), 0
        if _is_coded(column) and _is_text(kind):
            found = self._coded_integers(name)
            if found is not None:
                return found
        if _is_text(kind) and not _is_coded(column):
            found = self._text_integers(name)
            if found is not None:
                return found
        nonnum = np.zeros(n, dtype=bool)
        if _is_text(kind):
            # The fast path's values are 0 in the cells it does not read: taken whole (a copy, the
            # cells it leaves written below), not gathered and scattered by its mask.
            fast, fast_units, fast_exps = self._fast_numbers(name)
            units, exps, present = fast_units.copy(), fast_exps.copy(), fast.copy()
            rest = np.flatnonzero(~fast)
        else:
            units = np.zeros(n, dtype=np.int64)
            exps = np.zeros(n, dtype=np.int64)
            present = np.zeros(n, dtype=bool)
            rest = np.arange(n)
        if rest.size:
            if rest.size == n:
                cells = self.cells(name)
            else:
                cells = self._slow_cells(name)
            distinct_units, distinct_exps = _distinct_integers(cells, name)
            numbers = cells.is_number
            units[rest] = np.where(numbers, distinct_units[cells.codes], 0)
            exps[rest] = np.where(numbers, distinct_exps[cells.codes], 0)
            present[rest] = cells.present & ~cells.bad
            nonnum[rest] = cells.present & ~cells.bad & ~numbers
        # One exponent for every given cell? (its least and greatest: a sort by np.unique cost more)
        given = exps[present]
        low = int(given.min()) if given.size else 0
        alike = not given.size or low == int(given.max())
        exps_out = low if alike and given.size and present.all() else exps
        if isinstance(exps_out, np.ndarray) and alike:
            exps_out = low
            units = np.where(present, units, 0)
        return (units, exps_out, None if present.all() else present, _any(nonnum), bound_of(units, name))

    def _text_integers(self, name: str):
        """:meth:`_read_integers` of a text column (not coded) of amounts: its plain cells read by
        one pass (:func:`.rowloops.plain_figures`: the values written where they are kept, the
        exponents' and values' bounds found on the way), the others as the loader reads them --
        no mask, copy or gather per cell.  None when more than an eighth of its cells are not
        plain amounts."""
        from .rowloops import plain_figures
        column = self.table.column(name)   # (read chunk by chunk: not combined first)
        read = plain_figures(column, _slow_limit(self.n))
        if read is None:
            return None
        units, small_exps, rows, lowest, highest, greatest = read
        self._cache[("slow rows", name)] = rows     # (the same rows as validating found)
        present = _validity(column)
        every = present is None
        nonnum = None
        if rows.size:
            cells = self._slow_cells(name)
            distinct_units, distinct_exps = _distinct_integers(cells, name)
            numbers = cells.is_number
            ok = cells.present & ~cells.bad
            slow_units = np.where(numbers, distinct_units[cells.codes], 0)
            slow_exps = np.where(numbers, distinct_exps[cells.codes], 0)
            units[rows] = slow_units
            if not ok.all():
                every = False
                present = np.ones(self.n, dtype=bool) if present is None else present
                present[rows] = ok
            nonnum = _any_at(rows, ok & ~numbers, self.n)
            given = slow_exps[ok]    # (a text where an amount is wanted counts as exponent 0, as before)
            if given.size:
                plain = self.n - column.null_count - rows.size    # (cells the pass read)
                low, high = int(given.min()), int(given.max())
                lowest, highest = (min(lowest, low), max(highest, high)) if plain else (low, high)
            greatest = max(greatest, int(np.abs(slow_units).max()))
        if greatest >= LIMIT:
            raise Unsupported(f"column {name} holds amounts beyond 64-bit integers")
        if lowest == highest:
            exps = lowest
        else:
            exps = small_exps.astype(np.int64)
            if rows.size:
                exps[rows] = slow_exps
        return units, exps, None if every else present, nonnum, greatest

    def _coded_integers(self, name: str):
        """:meth:`_read_integers` of a coded text column, by distinct text (:meth:`coded_distinct`),
        then one gather per array by the cells' indices -- no mask per cell.  None when the
        dictionary is not small beside the rows."""
        found = self.coded_distinct(name)
        if found is None:
            return None
        units, exps, present, nonnum, bound, at, used = found
        low = one_exponent(exps, present)
        every = bool(present[used].all())
        return (units[at], low if low is not None else exps[at], None if every else present[at],
                nonnum[at] if nonnum.any() else None, bound)

    def coded_distinct(self, name: str):
        """(units, exponents, present, not-a-number, bound, each cell's index, which texts a cell
        uses) of a coded text column by distinct text: an entry per text, each read once (plain
        numbers by :func:`_plain_values`, the others as the loader reads them), and a last one for
        a null cell; an entry no cell uses, or that the loader refuses, is not present (0 there).
        :func:`.figures.read_num` makes a figure of these and gathers its values by the cells'
        indices.  None when the dictionary is not small beside the rows."""
        found = self._cache.get(("distinct", name))
        if found is not None:
            return found
        column = self._one_array(name)
        texts = column.dictionary
        k = len(texts)
        if 4 * k > self.n:
            return None
        at = self._indices(name)
        used = np.bincount(at, minlength=k + 1) > 0     # (the last: a null cell's index)
        plain = self._plain_distinct(name)
        units = np.zeros(k + 1, dtype=np.int64)
        exps = np.zeros(k + 1, dtype=np.int64)
        present = np.zeros(k + 1, dtype=bool)
        nonnum = np.zeros(k + 1, dtype=bool)
        if plain.any():
            units[:k], exps[:k] = _plain_values(texts, plain)
            present[:k] = plain
        slow = np.flatnonzero(used[:k] & ~plain).tolist()
        if slow:   # (each distinct text the loader reads otherwise: once)
            cells = _Cells(column, name, self.floats, self.memo, np.zeros(0, dtype=np.int64), slow)
            read_units, read_exps = _distinct_integers(cells, name)   # (0 where not a number)
            ok = cells._present[slow] & ~cells._bad[slow]
            present[slow] = ok
            nonnum[slow] = ok & ~cells.distinct_number[slow]
            units[slow], exps[slow] = read_units[slow], read_exps[slow]
        present &= used
        units[~present] = 0
        exps[~present] = 0
        found = self._cache[("distinct", name)] = (units, exps, present, nonnum & present, bound_of(units, name), at,
                                                    used)
        return found

    def _plain(self, name: str) -> np.ndarray:
        """The cells of a text column that are plain decimals of at most 18 digits (what the
        loader reads as ``Decimal(text)`` without cleaning): one Arrow pass, no values made --
        over the distinct texts only when the column comes coded as a dictionary."""
        found = self._cache.get(("plain", name))
        if found is None:
            column = self._one_array(name)
            if _is_coded(column):
                found = _by_index(self._plain_distinct(name), self._indices(name))
            else:
                found = _plain_mask(column)
            self._cache[("plain", name)] = found
        return found

    def _fast_numbers(self, name: str):
        """(mask, units, exponents) of the plain-decimal cells of a text column (:meth:`_plain`),
        read by Arrow compute, not one by one (each distinct text once when the column comes coded)."""
        found = self._cache.get(("fast", name))
        if found is not None:
            return found
        mask = self._plain(name)
        n = self.n
        if not mask.any():
            found = (mask, np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64))
        else:
            column = self._one_array(name)
            if _is_coded(column):
                texts, at = column.dictionary, self._indices(name)
                units, exps = _plain_values(texts, self._plain_distinct(name))
                found = (mask, _by_index(units, at), _by_index(exps, at))
            else:
                units, exps = _plain_values(column, mask)
                found = (mask, units, exps)
        self._cache[("fast", name)] = found
        return found

    def _slow_rows(self, name: str):
        """The rows of a text column (not coded) holding a value that is not a plain amount, by a
        pass that writes nothing else (:func:`.rowloops.plain_verdict`); None when they are more
        than an eighth of the rows (a column of names: read by distinct text, :meth:`cells`)."""
        found = self._cache.get(("slow rows", name), False)
        if found is False:
            from .rowloops import plain_verdict
            found = self._cache[("slow rows", name)] = plain_verdict(self.table.column(name), _slow_limit(self.n))
        return found


def _distinct_integers(cells: _Cells, name: str) -> tuple:
    """(unscaled int64 value, exponent) of each distinct number of *cells* (0 for the others)."""
    k = len(cells.distinct)
    units = np.zeros(k, dtype=np.int64)
    exps = np.zeros(k, dtype=np.int64)
    for i in np.flatnonzero(cells.distinct_number).tolist():  # each distinct number once
        value = cells.distinct[i]
        e = _exponent_of(value)
        unscaled = int(value.scaleb(-e))
        if not -LIMIT < unscaled < LIMIT:
            raise Unsupported(f"column {name} holds amounts beyond 64-bit integers")
        units[i], exps[i] = unscaled, e
    return units, exps


def one_exponent(exps: np.ndarray, present: np.ndarray):
    """The one exponent of the *present* entries of *exps* (0 when none is), or None when they differ."""
    given = exps[present]
    low = int(given.min()) if given.size else 0
    return low if not given.size or low == int(given.max()) else None


def _slow_limit(n: int) -> int:
    """The cells of a text column, not plain amounts, past which it is read as a column of texts
    (by distinct text) rather than as amounts with a few exceptions."""
    return max(64, n // 8)


def _any_at(rows: np.ndarray, flags: np.ndarray, n: int):
    """A mask of *n* rows true at ``rows[flags]``, or None when no flag is set."""
    if not flags.any():
        return None
    mask = np.zeros(n, dtype=bool)
    mask[rows[flags]] = True
    return mask

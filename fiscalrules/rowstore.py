"""The compact row store: a record's big tables held by cell in flat arrays, not as Python objects.

A JSON row such as ``{"code": "1000001", "x": "334.82"}`` is 35 bytes of text; as a dict of two
strings it is ~350 bytes, and as the record model's ``Row`` with two ``Figure``s and ``Decimal``s
~950 bytes.  A million-row table would take a gigabyte.  This module owns the two pieces that keep
such a table near the size of its text:

* :class:`FlatObjects` holds JSON objects whose values are all plain (text, number, true, false,
  null) by cell: one byte of kind, the key's number and the cell's end offset in arrays, the
  cell's text (UTF-8; a number as the digits it was written with) in one ``bytearray``.  About
  ten bytes a cell beside its text.  :meth:`FlatObjects.mapping` gives an object back exactly as
  ``json.loads`` (with ``parse_float=Decimal``) would have made it.
* :class:`PackingHook` is the JSON parser's ``object_pairs_hook``: each flat object goes into the
  store as it is parsed and the parser keeps a marker in its place; when the enclosing object
  closes, a list of at least :data:`PACKED_TABLE_ROWS` markers becomes one :class:`FlatObjects`
  (a packed table) and every other marker becomes its dict again.  So no dict per row is ever
  built for a big table, and small tables, groups and figure mappings are read as before.

The record builder (:mod:`fiscalrules.records`) checks every row of a packed table when the
record is loaded (the same checks, the same RecordErrors as a list of rows) and keeps a
:class:`PackedTable`: the store, the code of each row by its position, and nothing else.  Rules
see the same ``Row``s, ``Figure``s and ``Decimal``s as for a table held as objects; they are made
from the store when a rule reads a row and dropped after.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal

from .recordmodel import parent_code

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable

__all__ = ["FlatObjects", "PackingHook", "PackedTable", "RowView", "RowKey", "PACKED_TABLE_ROWS"]

# A list of at least this many flat objects inside a record is kept packed.  Smaller tables are
# read as dicts: their rows cost little, and rules that read them often need not rebuild them.
PACKED_TABLE_ROWS = 1000

# Flat objects closed one after another before they are packed (see PackingHook).
RUN_BEFORE_PACKING = 64

# Rows a packed table keeps made (rows are immutable): a bounded cache, so memory stays constant.
RECENT_ROWS = 2048

_TEXT, _NUMBER, _TRUE, _FALSE, _NULL = range(5)
_PLAIN = frozenset({str, Decimal, bool, type(None)})


class _Marker:
    """What the parser keeps in place of an object held by the store."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<packed object>"


PACKED = _Marker()


class FlatObjects:
    """JSON objects with plain values, stored by cell (see the module docstring).

    Cell *c* has kind ``kinds[c]``, key ``names[key_ids[c]]`` and text ``data[ends[c-1]:ends[c]]``
    (offsets relative to ``data_base``); object *i* is cells ``starts[i]`` … ``starts[i+1]``
    (relative to ``cell_base``).  The bases let a slice of a store be moved into a store of its
    own without rewriting every offset."""

    __slots__ = ("names", "_key_ids", "starts", "kinds", "key_ids", "ends", "data", "cell_base", "data_base")

    def __init__(self) -> None:
        self.names: list[str] = []
        self._key_ids: dict[str, int] = {}
        self.starts = array("I")
        self.kinds = bytearray()
        self.key_ids = array("I")
        self.ends = array("I")   # record files are at most 200 MB: offsets fit in 32 bits
        self.data = bytearray()
        self.cell_base = 0
        self.data_base = 0

    def __len__(self) -> int:
        return len(self.starts)

    def append(self, mapping: dict[str, Any]) -> bool:
        """Store *mapping* (a parsed JSON object) if all its values are plain; False otherwise."""
        for value in mapping.values():
            if type(value) not in _PLAIN:
                return False
        self.starts.append(len(self.kinds) + self.cell_base)
        ids, data = self._key_ids, self.data
        for key, value in mapping.items():
            key_id = ids.get(key)
            if key_id is None:
                key_id = ids[key] = len(self.names)
                self.names.append(key)
            kind = type(value)
            if kind is str:
                self.kinds.append(_TEXT)
                data += value.encode("utf-8", "surrogatepass")   # JSON may hold a lone surrogate
            elif kind is Decimal:
                self.kinds.append(_NUMBER)
                data += str(value).encode("ascii")                # str() of a Decimal reads back exactly
            else:
                self.kinds.append(_TRUE if value is True else _FALSE if value is False else _NULL)
            self.key_ids.append(key_id)
            self.ends.append(len(data) + self.data_base)
        return True

    def _cells(self, i: int) -> tuple[int, int]:
        lo = self.starts[i] - self.cell_base
        hi = self.starts[i + 1] - self.cell_base if i + 1 < len(self.starts) else len(self.kinds)
        return lo, hi

    def mapping(self, i: int) -> dict[str, Any]:
        """Object *i* as the JSON parser made it: the same keys in order, the same values."""
        lo, hi = self._cells(i)
        out: dict[str, Any] = {}
        names, kinds, ends, data, base = self.names, self.kinds, self.ends, self.data, self.data_base
        start = ends[lo - 1] - base if lo else 0
        for c in range(lo, hi):
            end = ends[c] - base
            kind = kinds[c]
            if kind == _TEXT:
                value: Any = data[start:end].decode("utf-8", "surrogatepass")
            elif kind == _NUMBER:
                value = Decimal(data[start:end].decode("ascii"))
            else:
                value = True if kind == _TRUE else False if kind == _FALSE else None
            out[names[self.key_ids[c]]] = value
            start = end
        return out

    def value(self, i: int, key: str) -> Any:
        """The value of *key* in object *i* (None if absent): one cell, without the others."""
        key_id = self._key_ids.get(key)
        if key_id is None:
            return None
        lo, hi = self._cells(i)
        for c in range(lo, hi):
            if self.key_ids[c] == key_id:
                start = self.ends[c - 1] - self.data_base if c else 0
                text = self.data[start:self.ends[c] - self.data_base]
                kind = self.kinds[c]
                if kind == _TEXT:
                    return text.decode("utf-8", "surrogatepass")
                if kind == _NUMBER:
                    return Decimal(text.decode("ascii"))
                return True if kind == _TRUE else False if kind == _FALSE else None
        return None

    def take(self, first: int, stop: int) -> FlatObjects:
        """Objects *first* … *stop* - 1 copied into a store of their own (same keys)."""
        out = FlatObjects()
        out.names, out._key_ids = self.names, self._key_ids
        lo = self.starts[first] - self.cell_base
        hi = self.starts[stop] - self.cell_base if stop < len(self.starts) else len(self.kinds)
        data_lo = self.ends[lo - 1] - self.data_base if lo else 0
        data_hi = self.ends[hi - 1] - self.data_base if hi else 0
        out.starts = self.starts[first:stop]
        out.kinds, out.key_ids, out.ends = self.kinds[lo:hi], self.key_ids[lo:hi], self.ends[lo:hi]
        out.data = self.data[data_lo:data_hi]
        out.cell_base = lo + self.cell_base
        out.data_base = data_lo + self.data_base
        return out

    def truncate(self, count: int) -> None:
        """Forget every object from *count* on."""
        if count >= len(self.starts):
            return
        lo = self.starts[count] - self.cell_base
        data_lo = self.ends[lo - 1] - self.data_base if lo else 0
        del self.starts[count:]
        del self.kinds[lo:], self.key_ids[lo:], self.ends[lo:]
        del self.data[data_lo:]

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt, (self.names, self.starts, self.kinds, self.key_ids, self.ends, self.data,
                          self.cell_base, self.data_base)


def _rebuilt(names: list[str], starts: array[int], kinds: bytearray, key_ids: array[int], ends: array[int],
             data: bytearray, cell_base: int, data_base: int) -> FlatObjects:
    out = FlatObjects()
    out.names = list(names)
    out._key_ids = {name: i for i, name in enumerate(out.names)}
    out.starts, out.kinds, out.key_ids, out.ends, out.data = starts, kinds, key_ids, ends, data
    out.cell_base, out.data_base = cell_base, data_base
    return out


class PackingHook:
    """An ``object_pairs_hook`` that packs flat objects (see the module docstring).

    Packing starts only within a run of :data:`RUN_BEFORE_PACKING` flat objects closed one after
    the other -- the rows of a table; the figure mappings and groups of an ordinary record are
    left as the dicts the parser made, at no cost.  When a run gets that long, its dicts are
    stored too (the parser keeps them in its list; the store has every row of the run in order),
    and each further flat object is stored in place of a dict.

    *make_object* turns a list of pairs into the mapping the parser should keep (it marks
    duplicate keys); objects with a key given twice are never packed, so the record builder
    refuses them as it refuses any such object."""

    def __init__(self, make_object: Callable[[list[tuple[str, Any]]], dict[str, Any]],
                 min_rows: int | None = None, run_before_packing: int | None = None):
        self.store = FlatObjects()
        self.make_object = make_object
        self.min_rows = PACKED_TABLE_ROWS if min_rows is None else min_rows
        self.run_before_packing = RUN_BEFORE_PACKING if run_before_packing is None else run_before_packing
        self.run: list[dict[str, Any]] = []     # the flat objects of the current run, while not packing
        self.packing = False
        self.stored: dict[int, tuple[int, dict[str, Any]]] = {}   # id → (place in the store, dict)

    def __call__(self, pairs: list[tuple[str, Any]]) -> Any:
        mapping = self.make_object(pairs)
        if type(mapping) is dict and all(type(value) in _PLAIN for value in mapping.values()):
            if self.packing:
                self.store.append(mapping)
                return PACKED
            self.run.append(mapping)
            if len(self.run) <= self.run_before_packing:
                return mapping
            for earlier in self.run[:-1]:   # a table after all: its first rows go into the store too
                self.stored[id(earlier)] = (len(self.store), earlier)
                self.store.append(earlier)
            self.store.append(mapping)
            self.run, self.packing = [], True
            return PACKED
        self.run, self.packing = [], False
        if not self.store.starts:   # nothing stored: the common case in an ordinary record
            return mapping
        # An object holding objects: the stored ones it holds are the last ones stored (the parser
        # closes objects innermost first, and each enclosing object takes back its own).
        count = 0
        for value in mapping.values():
            count += self._held(value)
        if not count:
            return mapping
        first = len(self.store) - count
        cursor = [first]
        for key, value in mapping.items():
            if value is PACKED or type(value) is list or (type(value) is dict and self._is_stored(value)):
                mapping[key] = self._resolve(value, cursor, pack=True)
        self._forget_from(first)
        return mapping

    def _is_stored(self, value: Any) -> bool:
        found = self.stored.get(id(value))
        return found is not None and found[1] is value

    def _held(self, value: Any) -> int:
        """How many stored objects *value* is or holds."""
        if value is PACKED:
            return 1
        if type(value) is dict:
            return 1 if self.stored and self._is_stored(value) else 0
        if type(value) is not list:
            return 0
        count = value.count(PACKED)
        if count != len(value):
            count += sum(self._held(item) for item in value if type(item) is list or type(item) is dict)
        return count

    def _resolve(self, value: Any, cursor: list[int], pack: bool) -> Any:
        if value is PACKED:
            cursor[0] += 1
            return self.store.mapping(cursor[0] - 1)
        if type(value) is dict:
            if self.stored and self._is_stored(value):
                cursor[0] += 1
            return value
        if type(value) is not list:
            return value
        if pack and len(value) >= self.min_rows and self._held(value) == len(value):
            first = cursor[0]
            cursor[0] += len(value)
            return self.store.take(first, cursor[0])
        for i, item in enumerate(value):
            if item is PACKED or type(item) is list or type(item) is dict:
                value[i] = self._resolve(item, cursor, False)   # a list in a list is no table
        return value

    def _forget_from(self, first: int) -> None:
        self.store.truncate(first)
        if self.stored:
            self.stored = {key: entry for key, entry in self.stored.items() if entry[0] < first}

    def finish(self, data: Any) -> Any:
        """The parsed document with the markers left at its top level made dicts again (a
        top-level list holds records, not the rows of a table)."""
        if len(self.store):
            data = self._resolve(data, [0], pack=False)
        self.store, self.stored, self.run, self.packing = FlatObjects(), {}, [], False
        return data


# ---- the codes ------------------------------------------------------------------------------------

_MAX_KEY_DIGITS = 17   # 10**17 << 5 still fits a signed 64-bit integer


def code_key(code: str) -> int | None:
    """A code of ASCII digits as one integer (its digits and its length: "0101" is not "101"),
    or None for any other code."""
    if len(code) <= _MAX_KEY_DIGITS and code.isascii() and code.isdigit():
        return int(code) << 5 | len(code)
    return None


def key_code(key: int) -> str:
    """The code :func:`code_key` made *key* of."""
    return str(key >> 5).zfill(key & 31)


class CodeIndex:
    """The rows' codes by position and positions by code, when every code is digits (as
    classification codes are): 20 bytes a row in arrays where a dict takes ~120.  Answers as the
    dict ``code → position`` a table of Rows keeps (``Table.by_code``): a code given twice maps to
    its last row; iteration gives each code once, in the order rows first gave it."""

    __slots__ = ("keys", "sorted_keys", "order")

    def __init__(self, keys: array[int]):
        self.keys = keys                                          # by position
        order = sorted(range(len(keys)), key=keys.__getitem__)    # stable: equal keys by position
        self.sorted_keys = array("q", [keys[i] for i in order])
        self.order = array("I", order)

    def _run(self, code: object) -> tuple[int, int]:
        key = code_key(code) if isinstance(code, str) else None
        if key is None:
            return 0, 0
        return bisect_left(self.sorted_keys, key), bisect_right(self.sorted_keys, key)

    def get(self, code: object, default: int | None = None) -> int | None:
        lo, hi = self._run(code)
        return self.order[hi - 1] if hi > lo else default

    def __getitem__(self, code: str) -> int:
        found = self.get(code)
        if found is None:
            raise KeyError(code)
        return found

    def __contains__(self, code: object) -> bool:
        lo, hi = self._run(code)
        return hi > lo

    def __iter__(self) -> Iterator[str]:
        for i, key in enumerate(self.keys):
            if self.order[bisect_left(self.sorted_keys, key)] == i:   # the first row with this code
                yield key_code(key)

    def __len__(self) -> int:
        keys = self.sorted_keys
        return sum(1 for j in range(len(keys)) if j == 0 or keys[j] != keys[j - 1])

    def code_at(self, i: int) -> str:
        return key_code(self.keys[i])

    def first_repeat(self) -> int | None:
        """The first position (in row order) of a row whose code an earlier row has, or None (a
        row without a code is known by its position: its key is its position's, so a coded row
        "3" and the 3rd row, if it has no code, are a repeat in either order)."""
        keys, order, found = self.sorted_keys, self.order, None
        for j in range(1, len(keys)):
            if keys[j] == keys[j - 1] and (found is None or order[j] < found):
                found = order[j]
        return found

    def __reduce__(self) -> tuple[Any, ...]:
        return CodeIndex, (self.keys,)


# ---- the table ------------------------------------------------------------------------------------

class PackedTable:
    """A record's table whose rows are held in a :class:`FlatObjects` store.

    It answers as :class:`~fiscalrules.records.Table` does (``path``, ``rows``, ``by_code``,
    ``children_of``, ``parent_of``); each ``Row`` is made from the store when asked for, by
    *make_row* (the record builder's own row code, so a packed row is the row a list would give),
    and not kept.  The codes of the rows are kept by position for lookups by code."""

    __slots__ = ("path", "store", "codes", "uncoded", "make_row", "make_code", "_children", "_replaced", "_recent",
                 "_ring", "_ring_at")

    def __init__(self, path: str, store: FlatObjects, codes: CodeIndex | dict[str, int], uncoded: bytearray,
                 make_row: Callable[[dict[str, Any], int], Any], make_code: Callable[[Any, int], str]):
        self.path = path
        self.make_code = make_code
        self.store = store
        self.codes = codes          # code → 0-based position (as Table.by_code: the last one wins)
        self.uncoded = uncoded      # 1 where the row gave no code (its code is its position)
        self.make_row = make_row
        self._children: dict[str, array[int]] | None = None
        self._replaced: dict[int, Any] = {}
        self._recent: dict[int, Any] = {}   # the last RECENT_ROWS rows made, by position
        self._ring: list[int | None] = [None] * RECENT_ROWS
        self._ring_at = 0

    def row_at(self, i: int) -> Any:
        """Row *i* (0-based position), made from the store -- or kept from a recent request: a
        rule reads a row, its children and its parent several times over (filter, fast path,
        details), and rows near each other together."""
        recent = self._recent
        row = recent.get(i)
        if row is None:
            row = self._replaced.get(i) if self._replaced else None
            if row is None:
                row = self.make_row(self.store.mapping(i), i + 1)
            ring, at = self._ring, self._ring_at   # the positions made, oldest first from _ring_at
            oldest = ring[at]
            if oldest is not None:
                del recent[oldest]
            ring[at] = i
            self._ring_at = (at + 1) % RECENT_ROWS
            recent[i] = row
        return row

    def code_at(self, i: int) -> str:
        """The code of row *i* (0-based), without making the row."""
        replaced = self._replaced.get(i) if self._replaced else None
        if replaced is not None:
            return str(replaced.code)
        if type(self.codes) is CodeIndex:
            return self.codes.code_at(i)
        return self.make_code(self.store.value(i, "code"), i + 1)

    @property
    def rows(self) -> RowView:
        return RowView(self)

    @property
    def by_code(self) -> CodeView:
        return CodeView(self)

    def children_of(self, code: str) -> list[Any]:
        """Rows one classification level below *code* (3 → 5 → 7 digits)."""
        if self._children is None:
            self._children = self._children_index()
        return [self.row_at(i) for i in self._children.get(code, ())]

    def _children_index(self) -> dict[str, array[int]]:
        """Parent code → the positions of its children, as ``Table.children_of`` finds them:
        among the rows that gave a code, every row, a code given twice included."""
        coded = self.codes
        if any(self.uncoded):   # a row known by its position is nobody's parent nor child
            coded = {self.code_at(i) for i in range(len(self.store)) if not self.uncoded[i]}  # type: ignore[assignment]
        index: dict[str, array[int]] = {}
        for i in range(len(self.store)):
            if self.uncoded[i]:
                continue
            parent = parent_code(self.code_at(i), coded)  # type: ignore[arg-type]  # any container
            if parent is not None:
                index.setdefault(parent, array("I")).append(i)
        return index

    def parent_of(self, code: str) -> Any:
        """The row one classification level above *code*, or None."""
        parent = parent_code(code, self.codes)  # type: ignore[arg-type]  # any container
        return self.row_at(self.codes[parent]) if parent is not None else None

    def with_row(self, row: Any) -> PackedTable:
        """A copy with *row* (a Row of this table, changed) in place of the row at its position."""
        copy = PackedTable(self.path, self.store, self.codes, self.uncoded, self.make_row, self.make_code)
        copy._children = self._children
        copy._replaced = {**self._replaced, row.index - 1: row}
        return copy

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled without the rows made lately (made again on the other side)."""
        return _table_again, (self.path, self.store, self.codes, self.uncoded, self.make_row, self.make_code,
                              self._replaced)

    def __eq__(self, other: object) -> bool:
        if not hasattr(other, "rows") or not hasattr(other, "path"):
            return NotImplemented
        return self.path == other.path and list(self.rows) == list(other.rows)

    __hash__ = None  # type: ignore[assignment]  # compared by content, like Table

    def __repr__(self) -> str:
        return f"PackedTable(path={self.path!r}, rows={len(self.store)})"


def _table_again(path: str, store: FlatObjects, codes: CodeIndex | dict[str, int], uncoded: bytearray,
                 make_row: Callable[[dict[str, Any], int], Any], make_code: Callable[[Any, int], str],
                 replaced: dict[int, Any]) -> PackedTable:
    table = PackedTable(path, store, codes, uncoded, make_row, make_code)
    table._replaced = replaced
    return table


class RowKey:
    """A row's table and code, for a filter that needs no more of the row."""

    __slots__ = ("table", "code")

    def __init__(self, table: str, code: str):
        self.table, self.code = table, code


class RowView(Sequence["Any"]):
    """A packed table's rows, made one at a time as they are read."""

    __slots__ = ("_table",)

    def __init__(self, table: PackedTable):
        self._table = table

    def __len__(self) -> int:
        return len(self._table.store)

    def __getitem__(self, i: Any) -> Any:
        n = len(self._table.store)
        if isinstance(i, slice):
            return [self._table.row_at(j) for j in range(*i.indices(n))]
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("row index out of range")
        return self._table.row_at(i)

    def __iter__(self) -> Iterator[Any]:
        row_at = self._table.row_at
        for i in range(len(self._table.store)):
            yield row_at(i)

    def kept(self, keep: Callable[[RowKey], bool]) -> Iterator[Any]:
        """The rows whose :class:`RowKey` (table and code) *keep* accepts, each made only if it is
        (localisation instantiates a rule for the few rows near a failure, out of a million)."""
        table = self._table
        for i in range(len(table.store)):
            if keep(RowKey(table.path, table.code_at(i))):
                yield table.row_at(i)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, RowView)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{len(self)} rows of {self._table.path}>"


class CodeView(Mapping[str, "Any"]):
    """A packed table's rows by code (as ``Table.by_code``), each made when asked for."""

    __slots__ = ("_table",)

    def __init__(self, table: PackedTable):
        self._table = table

    def __getitem__(self, code: str) -> Any:
        return self._table.row_at(self._table.codes[code])

    def __contains__(self, code: object) -> bool:
        return code in self._table.codes

    def __iter__(self) -> Iterator[str]:
        return iter(self._table.codes)

    def __len__(self) -> int:
        return len(self._table.codes)

"""The columnar engine: the same compiled rules over whole columns (``Ruleset.evaluate_table``).

Layers: :mod:`.columns` (numbers as scaled int64 intervals, texts), :mod:`.scaled` and
:mod:`.reading` (a chunk of a frame read exactly into them, flags too), :mod:`.tables` (table
fields as long frames: rows keyed by record, codes, lookups, children), :mod:`.vectors`,
:mod:`.arith` and :mod:`.logic` (vectors, domains, interval arithmetic on integers, and/or/if),
:mod:`.plan` and :mod:`.lists` (a rule's AST → closures over columns, or the reason it runs per
record), :mod:`.rowprog` (a rule over a table's rows as one program for the C kernel; :mod:`.flatprog`, a rule's quotients over the records), :mod:`.engine` (chunks, per-record fallback, counts and lazy findings), :mod:`.flatten`
(records with nested tables → frames), :mod:`.recordstream` (``check --engine columnar``: record
files in chunks) and :mod:`.distributed` (the same plan over the partitions of a Dask data
frame).  numpy and pyarrow are needed (the ``columnar`` extra); this package is imported only
when a table is evaluated.
"""

from .engine import DEFAULT_CHUNK_ROWS, TableReport, evaluate_table, plan_of, to_arrow
from .flatten import FlatRecords, flatten_records

__all__ = ["evaluate_table", "TableReport", "plan_of", "to_arrow", "DEFAULT_CHUNK_ROWS", "flatten_records",
           "FlatRecords"]

"""Records: loading JSON / YAML / JSON Lines / mappings into figures with their metadata -- the
entry points.

A :class:`Record` is an index over one nested mapping (see ``docs/records.md``): every scalar leaf
becomes a :class:`Figure` under its dotted path, every list of rows a :class:`Table`.  Numbers are
read from their text (JSON numbers through ``parse_float=Decimal``; YAML scalars as strings), so
no binary float ever touches an amount.  Malformed input raises :class:`RecordError` naming the
file and the path inside the record.

This module owns the ways in: a mapping (:func:`load_record`), a file of records
(:func:`read_records`, :func:`load_records`, :func:`record_entries`), a mix of both
(:func:`iter_records`), and a reader's (:class:`Indexing`, :func:`figure_problems`).  The
classes -- Record, Figure, Source, Table, Row -- are :mod:`.recordmodel`'s, re-exported here; the
walk over a mapping and every check it makes are :mod:`.recordbuild`'s; the file formats
:mod:`.recordfiles`'.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping

from .errors import FiscalRulesError, Location, RecordError, shown
from .inputs.bounded import MAX_RECORD_FILE_BYTES as MAX_RECORD_BYTES
from .inputs.bounded import InputRefused, read_bounded
# (the builder's names are imported from here too: the columnar engine, the test generator, docstrings)
from .recordbuild import (FIGURE_KEYS, MAX_DEPTH, _Builder, _checked_meta, _code_text,  # noqa: F401
                          _is_figure_mapping, is_figure_mapping, whole_number)
from .recordfiles import DuplicateKeys, RecordItem, record_items
from .recordmodel import Figure, Record, Row, Source, Table
from .readtexts import plainly_loadable
from .values import in_library_context, library_context

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Figure", "Source", "Row", "Table", "Record", "load_record", "load_records", "read_records"]


@in_library_context
def figure_problem(raw: Any) -> str | None:
    """Why the loader would refuse *raw* (a plain value or a figure mapping) as a figure, or None:
    for a producer of records -- a reader -- to leave out what the loader would refuse."""
    return _figure_problem(_Builder(None), raw)


@in_library_context
def figure_problems(raws: Iterable[Any]) -> list[str | None]:
    """:func:`figure_problem` of each of *raws*, in one decimal context with one builder (a reader
    checks each of a document's ~800 figures: one context each was a fifth of the work)."""
    builder = _Builder(None)
    return [_figure_problem(builder, raw) for raw in raws]


def _figure_problem(builder: _Builder, raw: Any) -> str | None:
    if plainly_loadable(raw):
        return None
    try:
        builder.figure(raw, "")
    except RecordError as exc:
        return exc.message
    except RecursionError:
        return "nested too deeply"
    return None


@in_library_context
def load_record(data: Mapping[str, Any] | Record, *, id: str | None = None, file: str | None = None) -> Record:
    """Index one record given as a mapping (already parsed JSON/YAML, or built in Python)."""
    return _load_record(data, id=id, file=file)


def _load_record(data: Any, *, id: str | None, file: str | None, consume: bool = False) -> Record:
    if isinstance(data, Record):
        return data
    if not isinstance(data, Mapping):
        # quoted as the input wrote it (a JSON number is a Decimal here: "not Decimal" named our type)
        raise RecordError(f"a record must be a mapping, found {shown(data)}", "", Location(file))
    if type(data) is DuplicateKeys:
        _Builder(file).duplicates(data, "")
    meta = _checked_meta(data.get("_meta"), file)
    builder = _Builder(file, consume)
    builder.walk(data, "")
    return _indexed(data, builder, meta, id, file)


def _indexed(data: Mapping[str, Any], builder: _Builder, meta: dict[str, Any], id: str | None,
             file: str | None) -> Record:
    record_id = str(meta.get("id") or id or (os.path.basename(file) if file else "record"))
    return Record(record_id, builder.figures, builder.tables, meta, builder.finished_children(), file=file)


class Indexing:
    """:func:`load_record` in two steps, for a reader that indexes the record it writes: *data*'s
    figures and tables (all but ``_meta``) first -- :meth:`index`, False where the loader refuses
    anything there, the reader then leaving out what it refuses --, and, once ``_meta`` is
    complete, :meth:`record`.  The Record is the one ``load_record(data, file=file)`` makes of
    the finished *data* (it is the same walk over the same mappings), as long as nothing but
    ``_meta`` changes between the two steps."""

    __slots__ = ("data", "file", "builder")

    def __init__(self, data: dict[str, Any], file: str | None):
        self.data = data
        self.file = file
        self.builder: _Builder | None = None

    @in_library_context
    def index(self) -> bool:
        """Index *data*'s figures and tables; False (nothing kept) where the loader refuses some."""
        builder = _Builder(self.file)
        try:
            builder.walk(self.data, "")
        except (RecordError, RecursionError):
            return False
        self.builder = builder
        return True

    @in_library_context
    def record(self) -> Record:
        """The Record, with ``_meta`` as it is now (checked as the loader checks it)."""
        assert self.builder is not None, "index() first"
        meta = _checked_meta(self.data.get("_meta"), self.file)
        return _indexed(self.data, self.builder, meta, None, self.file)


# ---- files ----------------------------------------------------------------------------------------

def read_records(path: str | os.PathLike[str]) -> Iterator[Record | RecordError]:
    """Yield each record of a file (JSON object or array, JSON Lines, YAML documents), or a
    RecordError for each one that cannot be read -- one bad record does not hide the others.

    The file is read through the bounded reader (at most MAX_RECORD_BYTES, devices and FIFOs
    refused); the formats are :mod:`fiscalrules.recordfiles`'.  Each step runs in the library's
    decimal context, but not across a ``yield``: the caller keeps its own between records."""
    name = str(path)
    for entry in record_entries(path, packed_tables=True):
        if isinstance(entry, RecordError):
            item: Record | RecordError = entry
        else:
            try:
                with library_context():
                    item = _safe_load(entry[0], entry[1], entry[2], name)
            except Exception as exc:  # noqa: BLE001 -- a defect, reported against this record; the rest still run
                item = internal_error(exc, Location(name, entry[2]))
        del entry  # the parsed mapping is not kept while the caller evaluates the record
        yield item


def record_entries(path: str | os.PathLike[str], packed_tables: bool = False) -> Iterator[RecordItem | RecordError]:
    """What :func:`read_records` reads, before each record is loaded: ``(data, id, line)`` per
    record, or a RecordError (for the columnar engine, which reads the mappings themselves).
    With *packed_tables*, big tables of flat rows come packed (:mod:`fiscalrules.rowstore`)."""
    name = str(path)
    count = 0
    try:
        with library_context():
            items = _file_items(path, name, packed_tables)
    except Exception as exc:  # noqa: BLE001 -- a defect, reported against this file; the others still run
        yield internal_error(exc, Location(name))
        return
    while True:
        try:
            with library_context():
                entry = next(items, None)
        except Exception as exc:  # noqa: BLE001 -- (as above: the file's records after it are not read)
            yield internal_error(exc, Location(name))
            return
        if entry is None:
            break
        count += 1
        pending = [entry]
        del entry  # the parsed mapping is not kept here while the caller evaluates the record
        yield pending.pop()
    if count == 0:  # an empty file is reported, not silently skipped
        yield RecordError("the file holds no record", "", Location(name))


# The optional extras (pyproject.toml's [project.optional-dependencies]) by the module whose
# absence says that extra is not installed.
EXTRA_OF_MODULE = {"numpy": "columnar", "pyarrow": "columnar", "duckdb": "columnar", "pypdfium2": "pdf",
                   "jinja2": "html", "dask": "distributed", "distributed": "distributed", "pandas": "pandas",
                   "openpyxl": "xlsx", "xlrd": "xls", "olefile": "doc"}


def missing_extra(exc: BaseException) -> str | None:
    """What to say for an optional extra that is not installed (an ImportError of one of its
    modules, or one that already says which extra to install), else None: no defect of
    fiscalrules, but what the user can install."""
    if not isinstance(exc, ImportError):
        return None
    if "fiscalrules[" in str(exc):   # (our own words: the HTML report, Report.to_pandas …)
        return str(exc)
    module = (exc.name or "").partition(".")[0]
    extra = EXTRA_OF_MODULE.get(module)
    if extra is None:
        return None
    return f'this needs {module}, which is not installed: pip install "fiscalrules[{extra}]"'


def internal_error(exc: Exception, location: Location) -> RecordError:
    """An unexpected exception while reading one input of a batch -- a defect of fiscalrules, not
    of the input -- as that input's read error, so that the batch's other inputs still run and
    the report says which input met it.  With FISCALRULES_DEBUG set it is raised instead (its
    traceback wanted).  An optional extra not installed is no defect: E703, naming the extra."""
    extra = missing_extra(exc)
    if extra is not None:
        return RecordError(extra, "", location, code="E703")
    if os.environ.get("FISCALRULES_DEBUG"):
        raise exc
    return RecordError(f"internal error (a defect of fiscalrules, not of this input; please report it): "
                       f"{type(exc).__name__}: {str(exc)[:300]}; set FISCALRULES_DEBUG=1 to see the traceback",
                       "", location, code="E799")


def input_error(exc: Exception, path: str) -> FiscalRulesError:
    """The error of one input of a batch (a file of ``audit``'s, of
    :func:`fiscalrules.readers.read_all`'s): ours as it is, an unexpected exception (a defect)
    as that input's internal error (E799: :func:`internal_error`)."""
    if isinstance(exc, FiscalRulesError):
        return exc
    return internal_error(exc, Location(path))


def _file_items(path: str | os.PathLike[str], name: str, packed_tables: bool = False) -> Iterator[RecordItem | RecordError]:
    try:
        raw = read_bounded(path, MAX_RECORD_BYTES, what="record file")
    except InputRefused as exc:
        return iter([RecordError(exc.reason, "", Location(name))])
    from .inputs.source import REPORT_SNIFF, gb18030_hint, is_own_report, marked_utf16
    if is_own_report(raw[:REPORT_SNIFF]):
        return iter([RecordError(f"{name} is a report fiscalrules wrote, not a record file", "", Location(name))])
    try:   # (UTF-8; UTF-16 with its mark, as Windows Notepad saves "Unicode")
        text = marked_utf16(raw)
    except UnicodeDecodeError as exc:
        return iter([RecordError(f"record file is not valid UTF-16 (byte {exc.start + 2})", "", Location(name))])
    try:
        text = raw.decode("utf-8-sig") if text is None else text
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        hint = gb18030_hint(raw)
        return iter([RecordError(f"record file is not valid UTF-8 (byte {exc.start})" + (f"; {hint}" if hint else ""),
                                 "", Location(name, line))])
    del raw
    from pathlib import Path   # (here: a CLI audit reads no record file, and pathlib costs ~15 M instructions)
    suffix = Path(name).suffix.lower()
    return record_items(text, name, Path(name).stem, suffix, packed_tables)


def load_records(path: str | os.PathLike[str]) -> list[Record]:
    """All records of a file; raises the first RecordError (use read_records to keep going)."""
    records = []
    for item in read_records(path):
        if isinstance(item, RecordError):
            raise item
        records.append(item)
    return records


def _safe_load(data: Any, id: str, line: int | None, file: str) -> Record | RecordError:
    try:
        with library_context():
            return _load_record(data, id=id, file=file, consume=True)  # data was parsed from the file here
    except RecordError as exc:
        if exc.location.line is None:
            exc.location = _place(file, id, line)  # name the line (or element) as well as the path inside it
        exc.read_from = file
        return exc
    except RecursionError:
        error = RecordError("record nested too deeply", "", _place(file, id, line))
        error.read_from = file
        return error


def _place(file: str, id: str, line: int | None) -> Location:
    """Where a record of *file* that cannot be loaded is: its line, or for an element of a JSON
    array (whose line the parser does not tell; its id is ``stem[i]``) the file and the element,
    ``x.json[2]`` -- the file alone left the bad one of many unnamed (review 23 R2)."""
    if line is None:
        stem = os.path.splitext(os.path.basename(file))[0]
        index = id[len(stem) + 1:-1] if id.startswith(stem + "[") and id.endswith("]") else ""
        if index.isdigit():
            return Location(f"{file}[{index}]")
    return Location(file, line)


def iter_records(sources: Iterable[Any]) -> Iterator[Record | RecordError]:
    """Records from a mix of paths, mappings and Record objects (errors yielded, not raised)."""
    for source in sources:
        if isinstance(source, RecordError):  # already failed (a frame's row); reported, not re-read
            yield source
        elif isinstance(source, (str, os.PathLike)):
            yield from read_records(source)
        else:
            try:
                yield load_record(source)
            except RecordError as exc:
                meta = source.get("_meta") if isinstance(source, Mapping) else None
                given = meta.get("id") if isinstance(meta, Mapping) else None
                if exc.location.file is None and isinstance(given, str) and given:
                    # named by its own id (a frame's row: "row 3"), not "record" (review 23 R3)
                    exc.location = Location(given)
                yield exc

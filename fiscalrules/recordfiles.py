"""Record files: the text of a JSON, JSON Lines or YAML file → one mapping per record, each with
its id and line, or a :class:`~fiscalrules.errors.RecordError` for each record that cannot be read.

This module owns the formats and their hostile cases; :mod:`fiscalrules.records` turns each
mapping into a Record.  One bad record never hides another:

* JSON numbers are read from their text as Decimal (never a binary float); NaN and Infinity are
  refused.  A key given twice in one object is kept as a :class:`DuplicateKeys` mapping, so the
  record is refused naming the path rather than one of the values winning silently.
* JSON Lines are split on ``\\n`` only (a ``\\r`` before it is dropped).  ``str.splitlines`` would
  also split at U+2028, U+0085, U+001C … -- characters a JSON string may hold -- and cut one
  record in two, shifting every later id and line number.
* YAML: each document is parsed on its own (the stream is cut at its ``---`` lines, which the
  YAML spec forbids inside content), so one malformed document is reported and the others read.
  Scalars stay text (329.94 is not a binary float; a date is not a datetime), a key given twice
  is an error, and aliases may add at most :data:`YAML_ALIAS_BUDGET` nodes to a document: a few
  hundred bytes of nested anchors would otherwise expand to millions of nodes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from .errors import Location, RecordError

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DuplicateKeys", "RecordItem", "record_items", "parse_json", "YAML_ALIAS_BUDGET"]

# Nodes that aliases may add to one YAML document (beyond the nodes written out in it).
YAML_ALIAS_BUDGET = 100_000

RecordItem = tuple["Any", str, "int | None"]   # a record's data, its id, the line it starts on


class DuplicateKeys(dict[str, "Any"]):
    """A JSON object that gave some key twice: the last value is kept, as JSON parsers do, and
    ``duplicates`` names the keys, for the record builder to refuse the record at that path."""

    __slots__ = ("duplicates",)

    def __init__(self, pairs: list[tuple[str, Any]]):
        super().__init__(pairs)
        seen: set[str] = set()
        twice: set[str] = set()
        for key, _ in pairs:
            (twice if key in seen else seen).add(key)
        self.duplicates = sorted(twice)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)  # the common case, in C
    return mapping if len(mapping) == len(pairs) else DuplicateKeys(pairs)


def _parse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a budget can contain")


def parse_json(text: str, packed_tables: bool = False) -> Any:
    """JSON with numbers as Decimal, NaN/Infinity refused, duplicate keys marked.  With
    *packed_tables*, a record's big tables of flat rows are read into the compact row store
    (:mod:`fiscalrules.rowstore`) as they are parsed, never as a dict per row."""
    import json   # (here: an audit reads no JSON, and the json package costs ~6 M instructions to import)
    if not packed_tables:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=_parse_constant,
                          object_pairs_hook=_object)
    from .rowstore import PackingHook
    hook = PackingHook(_object)
    data = json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=_parse_constant,
                      object_pairs_hook=hook)
    return hook.finish(data)


def record_items(text: str, name: str, stem: str, suffix: str,
                 packed_tables: bool = False) -> Iterator[RecordItem | RecordError]:
    """Each record of a file's text: ``(data, id, line)`` (line None where unknown) or a
    RecordError.  *suffix* picks the format (``.yaml``/``.yml``, ``.jsonl``/``.ndjson``, else JSON).
    With *packed_tables* (JSON and JSON Lines), big tables of flat rows come as
    :class:`~fiscalrules.rowstore.FlatObjects` in place of lists (see :func:`parse_json`)."""
    if suffix in (".yaml", ".yml"):
        yield from _yaml_items(text, name, stem)
    elif suffix in (".jsonl", ".ndjson"):
        yield from _json_lines(text, name, stem, packed_tables)
    else:
        try:
            data = parse_json(text, packed_tables)
        except ValueError as exc:
            yield RecordError(f"invalid JSON: {exc}", "", _json_location(exc, name, text))
            return
        except RecursionError:
            yield RecordError("invalid JSON: nested too deeply", "", Location(name))
            return
        # Nothing of the file is held while the caller evaluates a record: not the text, nor a
        # record's parsed mapping once handed over (a 1 M-row table's dicts take more memory
        # than the record made of them).
        del text
        if isinstance(data, list):
            for i in range(len(data)):
                yield _taken(data, i), f"{stem}[{i + 1}]", None
        else:
            records = [data]
            del data
            yield _taken(records, 0), stem, None


def _taken(items: list[Any], i: int) -> Any:
    """``items[i]``, no longer held by *items* (so that a yield does not keep it alive)."""
    item, items[i] = items[i], None
    return item


def _json_location(exc: BaseException, file: str, text: str, first_line: int = 1) -> Location:
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "colno", None)
    source_line = None
    if line is None and "\n" not in text:   # a refusal of ours (NaN, Infinity) in one line -- a JSON Lines line
        line = 1
    if line:
        lines = text.split("\n")
        source_line = lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else None
        line += first_line - 1
    return Location(file, line, column, source_line)


def _lines(text: str) -> Iterator[str]:
    """The lines of *text*, split at ``\n`` only, one at a time (a list of them all would double
    the file's share of memory)."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        yield text[start:end]
        start = end + 1


def _json_lines(text: str, name: str, stem: str, packed_tables: bool = False) -> Iterator[RecordItem | RecordError]:
    for number, line in enumerate(_lines(text), start=1):
        line = line[:-1] if line.endswith("\r") else line
        if not line.strip():
            continue
        try:
            parsed = [parse_json(line, packed_tables)]
        except ValueError as exc:
            yield RecordError(f"invalid JSON: {exc}", "", _json_location(exc, name, line, number))
            continue
        except RecursionError:
            yield RecordError("invalid JSON: nested too deeply", "", Location(name, number))
            continue
        yield _taken(parsed, 0), f"{stem}:{number}", number


# ---- YAML -----------------------------------------------------------------------------------------

# A document starts at a line "---" (alone or followed by a space); the spec forbids such a line
# inside a document's content, so cutting there never splits a document.
_DOCUMENT_START = re.compile(r"^---(?=[ \t\r\n]|$)", re.MULTILINE)
_PRELUDE_ONLY = re.compile(r"\A(?:[ \t]*(?:%[^\n]*|#[^\n]*)?\r?\n)*[ \t]*(?:%[^\n]*|#[^\n]*)?\Z")


def _yaml_chunks(text: str) -> list[tuple[int, str]]:
    """The text of each document with the number of the line it starts on."""
    starts = [m.start() for m in _DOCUMENT_START.finditer(text)]
    if not starts or starts[0] != 0:
        if starts and _PRELUDE_ONLY.match(text[:starts[0]]):
            starts[0] = 0  # directives and comments belong to the first document
        else:
            starts.insert(0, 0)
    chunks, line = [], 1
    for begin, end in zip(starts, starts[1:] + [len(text)]):
        chunks.append((line, text[begin:end]))
        line += text.count("\n", begin, end)
    return chunks


def _yaml_loader() -> tuple[Any, Any]:
    import yaml

    class Loader(yaml.SafeLoader):  # type: ignore[misc]  # PyYAML ships no type hints
        """Scalars that look like numbers stay text (YAML would turn 329.94 into a binary float,
        2025-01-01 into a date); a key twice is an error; aliases have a budget."""

        aliases = 0
        written = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                self.aliases += 1
            return super().compose_node(parent, index)

        def compose_document(self) -> Any:
            node = super().compose_document()
            if self.aliases:
                _check_expansion(node, self.written + YAML_ALIAS_BUDGET)
            return node

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                seen: dict[tuple[str, str], bool] = {}
                for key_node, _ in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                        key = (key_node.tag, key_node.value)
                        if key in seen:
                            raise yaml.constructor.ConstructorError(
                                None, None, f"the key {key_node.value!r} appears twice in one mapping",
                                key_node.start_mark)
                        seen[key] = True
            return super().construct_mapping(node, deep=deep)

    def as_text(loader: Any, node: Any) -> Any:
        return loader.construct_scalar(node)

    for tag in ("tag:yaml.org,2002:float", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp"):
        Loader.add_constructor(tag, as_text)
    return yaml, Loader


def _check_expansion(node: Any, budget: int) -> None:
    """Refuse a document whose aliases expand it beyond *budget* nodes.  Every visit counts, so
    a node reached through ten aliases counts ten times, and a recursive alias never ends --
    the walk stops as soon as the budget is spent."""
    import yaml

    visits, stack = 0, [node]
    while stack:
        current = stack.pop()
        visits += 1
        if visits > budget:
            raise yaml.composer.ComposerError(
                None, None, f"aliases expand this document beyond {budget:,} nodes "
                "(nested anchors multiply; write the values out)", node.start_mark)
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.append(key)
                stack.append(value)


def _yaml_items(text: str, name: str, stem: str) -> Iterator[RecordItem | RecordError]:
    yaml, Loader = _yaml_loader()
    parsed: list[tuple[int, list[Any]] | RecordError] = []   # (first line, documents) or an error, per chunk
    for first_line, chunk in _yaml_chunks(text):
        if not chunk.strip():
            continue
        loader = None
        try:
            loader = Loader(chunk)     # refuses control characters YAML does not allow, at once
            loader.written = len(chunk)   # a document cannot have more nodes than characters
            documents = []
            while loader.check_data():
                documents.append(loader.get_data())
            parsed.append((first_line, [d for d in documents if d is not None]))
        except (yaml.YAMLError, RecursionError) as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            where = Location(name, first_line + mark.line, mark.column + 1) if mark else Location(name, first_line)
            problem = getattr(exc, "problem", None) or ("nested too deeply" if isinstance(exc, RecursionError) else exc)
            context, started = getattr(exc, "context", None), getattr(exc, "context_mark", None)
            if context and started is not None and started is not mark:
                problem = f"{problem} ({context} started at line {first_line + started.line})"
            parsed.append(RecordError(f"invalid YAML: {problem}", "", where))
        finally:
            if loader is not None:
                loader.dispose()
    count = sum(1 if isinstance(p, RecordError) else len(p[1]) for p in parsed)
    index = 0
    for entry in parsed:
        if isinstance(entry, RecordError):
            index += 1
            yield entry
            continue
        first_line, documents = entry
        for doc in documents:
            index += 1
            suffix = f"[{index}]" if count > 1 else ""
            if isinstance(doc, list):
                for j, item in enumerate(doc, start=1):
                    yield item, f"{stem}{suffix}[{j}]", first_line
            else:
                yield doc, stem + suffix, first_line

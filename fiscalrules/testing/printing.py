"""Printing a solved shape: a copy of its data with the solved values written in as printed
figures (:func:`fill`) -- exactly, or rounded half-up to their printed precision as a publisher
rounds them, some with thousands separators.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext

from ..values import CONTEXT
from .paths import _CELL_PATH, _navigate, _rows_by_code


def fill(shape, values: Mapping, specs: Mapping, round_to_precision: bool, separators: set,
         exact: list | None = None) -> dict:
    """A copy of *shape*'s data with the solved *values* printed in it (*exact*: the
    values as Decimals, from :func:`exact_decimals`, where already made)."""
    data = _copied(shape.data)
    slots = _slots_of(data, shape)
    if exact is None:
        exact = exact_decimals(values)
    for (key, value), decimal in zip(values.items(), exact):
        spec = specs[key]
        path, meta = key
        decimal = _format_value(decimal, spec, round_to_precision)
        text = _with_separators(decimal) if key in separators else decimal
        container, slot_key = slots[path]
        current = container[slot_key]
        if isinstance(current, dict):
            current[meta] = text
        else:
            container[slot_key] = text
    return data


def exact_decimals(values: Mapping) -> list:
    """Each solved value (a Fraction printable as a decimal) as its exact Decimal, in order."""
    with localcontext(CONTEXT):   # entered once, not once per figure (as _to_decimal does)
        return [Decimal(value.numerator) / Decimal(value.denominator) for value in values.values()]


def _copied(node):
    """A copy of a shape's data (or of a record filled from it: see generate.generate_record,
    which keeps records): its dicts and lists copied, texts and flags shared (immutable).
    What ``copy.deepcopy`` gives for such data (no object appears twice in it), without its memo
    and type dispatch per node: filling is done twice per generated record."""
    if type(node) is dict:
        return {key: _copied(value) for key, value in node.items()}
    if type(node) is list:
        return [_copied(value) for value in node]
    if isinstance(node, (dict, list)):
        return copy.deepcopy(node)
    return node


def _slots_of(data: dict, shape) -> dict:
    """The shape's slots, re-pointed into a deep copy of its data."""
    out = {}
    tables: dict = {}
    containers: dict = {}
    for path in shape.slots:
        table, code, column = _slot_parts(path)
        if code is not None:
            rows = tables.get(table)
            if rows is None:
                rows = tables[table] = _rows_by_code(_navigate(data, table))
            out[path] = (rows.get(code), column)
        else:
            container = containers.get(table)
            if container is None:
                container = containers[table] = _navigate(data, table) if table else data
            out[path] = (container, column)
    return out


@functools.lru_cache(maxsize=1 << 16)
def _slot_parts(path: str) -> tuple:
    """``(table, code, column)`` of a table cell's path, ``(group, None, name)`` of a field's (the
    group empty at the top level): the same paths come back in every shape of a ruleset."""
    match = _CELL_PATH.match(path)
    if match:
        return match.groups()
    group, _, name = path.rpartition(".")
    return group, None, name


_QUANTA: dict = {}   # a grid's decimal places → its quantum (10 ** -places), made once


def _format_value(decimal: Decimal, spec, round_to_precision: bool) -> str:
    """The text of a solved figure (*decimal*: its exact value) as printed."""
    if round_to_precision and spec.kind in ("amount", "percent"):
        decimal = decimal.quantize(spec.precision, rounding=ROUND_HALF_UP)
    elif decimal == (printed := decimal.quantize(spec.precision)):
        decimal = printed  # printed to its precision, not the finer grid
    else:
        places = spec.grid_places
        if places is not None:
            quantum = _QUANTA.get(places)
            if quantum is None:
                quantum = _QUANTA[places] = Decimal(1).scaleb(-places)
            on_grid = decimal.quantize(quantum)
            if decimal == on_grid:
                decimal = on_grid
    text = format(decimal, "f")
    if text.startswith("-") and not decimal:
        text = text[1:]
    return text


def _with_separators(text: str) -> str:
    sign = "-" if text.startswith("-") else ""
    body = text.lstrip("-")
    whole, dot, frac = body.partition(".")
    if len(whole) <= 3:
        return text
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ",".join(groups) + dot + frac

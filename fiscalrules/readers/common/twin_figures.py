"""A figure printed in two units side by side: which printing a field holds, and the pair the record lists.

A large department states its big narrative figures in 亿元 and prints the 万元 figure beside them
("本年收入合计 23.83 亿元（238,348.14 万元）", or the other way round, "204,775.74 万元（约 20.48 亿元）").
Both printings are one figure: the field holds the exact one -- the finer in 元 (0.01 万元 is 100 元,
0.01 亿元 a million), never one marked approximate ("约", "约合", "折合") -- and the other goes with it
(its ``twin`` while the reader builds the record).  :func:`list_twin_printings`, the readers' last
step, takes each such pair out to ``doc.twin_figures`` (``figure`` the held printing, ``other`` the
one beside it), where a rule checks that the two agree within the coarser one's rounding: the way
"20.84 亿元（204,775.74 万元）" -- a digit swapped in the 亿元 figure -- is found.

Both readers find the pair with :data:`TWIN_AFTER`, right after a figure's unit: the bracket holds
one amount in another money unit and nothing else but an approximation's word.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ...values import MONEY_UNITS, printed_precision

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["TWIN_AFTER", "APPROXIMATE", "other_unit", "second_is_held", "held_of_two", "list_twin_printings", "TWINS_PATH"]

# The words saying a printing is rounded for the reader, not the ledger's figure: "约 20.48 亿元",
# "约合", "折合", "合", "大约"
APPROXIMATE = r"(?:大约|约合|约|折合|合)"
# The other printing in brackets right after a figure's unit, full-width or ASCII brackets (the
# running text of the 决算 reader is full-width, a Stream's ASCII): "（204,775.74万元）", "(约20.48亿元)"
TWIN_AFTER = re.compile(r"[（(](?P<approx>" + APPROXIMATE + r")?(?P<number>\d[\d,]*(?:\.\d+)?)"
                        r"(?P<unit>万元|亿元|千元|元)[）)]")
# Where the reader lists the pairs (both templates' records: _common_fields.rules)
TWINS_PATH = "doc.twin_figures"


def other_unit(first: str, found: re.Match) -> bool:
    """Whether the bracketed printing *found* is in another money unit than *first* (a bare 万 is
    万元): the same figure printed again in the same unit is no pair of printings."""
    return found.group("unit") != ("万元" if first == "万" else first)


def _step(value: str, unit: str | None) -> Decimal:
    """The rounding step of a printed figure in 元: the unit of its last digit times its unit."""
    return printed_precision(Decimal(value)) * MONEY_UNITS.get(unit or "万元", Decimal(10_000))


def second_is_held(first: tuple[str, str | None], second: tuple[str, str | None], second_approximate: bool) -> bool:
    """Whether of two printings (value, unit) of one figure the field holds the *second* (the one in
    brackets): the finer in 元 unless it is said to be approximate; the first where they are as fine."""
    return not second_approximate and _step(*second) < _step(*first)


def held_of_two(first: dict, second: dict, second_approximate: bool = False) -> dict:
    """The figure a field holds of the printings *first* and *second* (see :func:`second_is_held`),
    the other as its ``twin``."""
    held, other = ((second, first) if second_is_held((first["value"], first.get("unit")),
                                                      (second["value"], second.get("unit")), second_approximate)
                   else (first, second))
    held["twin"] = other
    return held


def list_twin_printings(data: dict, append) -> None:
    """Take each held figure's ``twin`` out of the record *data* to a row of ``doc.twin_figures``
    (by *append*, the builder's): ``name`` (the figure's label, else the other's, else its path), ``figure`` (the held
    figure itself: coverage counts one printed figure once) and ``other``.  A figure may not keep
    the key: the record model's figures have none such."""
    for path, fig in list(_figures_with_twin(data, "")):
        other = fig.pop("twin")
        append(TWINS_PATH, {"name": fig.get("label") or other.get("label") or path, "figure": fig, "other": other})


def _figures_with_twin(node: Any, path: str):
    if isinstance(node, dict):
        if "value" in node:
            if isinstance(node.get("twin"), dict):
                yield path, node
            return
        for key, item in node.items():
            if key != "_meta":
                yield from _figures_with_twin(item, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _figures_with_twin(item, f"{path}[{i}]")

"""Damaged records: many cells of a record broken at once, for testing engines against each other.

Unlike :mod:`.perturb` (exactly one figure changed, with what must now fail), :func:`damage`
breaks a record the way messy input is broken, with no promise about the outcome: cells changed
by a cent or by a lot, signs flipped, cells emptied or deleted, numbers replaced by text, table
rows dropped (and, with *duplicate_rows*, repeated -- a code printed twice makes the record
unreadable), whole tables and groups removed.  Two engines given the same damaged records must
agree on every status (tests/test_columnar_tables.py, benchmarks/bench_ruleset_table.py).
"""

from __future__ import annotations

import copy
import random
from decimal import Decimal

__all__ = ["damage"]

_DELETE = object()


def _leaf(value, rnd: random.Random, rate: float):
    if rnd.random() > rate or isinstance(value, bool):
        return value
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return value if rnd.random() < 0.5 else "其他"
    kind = rnd.choice(("cent", "lot", "sign", "empty", "delete", "text"))
    if kind == "cent":
        return str(number + Decimal("0.01"))
    if kind == "lot":
        return str(number + rnd.randint(1, 500))
    if kind == "sign":
        return str(-number)
    if kind == "empty":
        return None
    if kind == "delete":
        return _DELETE
    return "n/a"


def damage(node, rnd: random.Random, rate: float = 0.08, *, duplicate_rows: bool = True):
    """Damage a record mapping (or any part of one) in place and return it: each cell with
    probability *rate*, each list losing a row with probability *rate*, each group or table
    removed with probability *rate* / 4; ``_meta`` is left alone."""
    if isinstance(node, dict):
        for key in list(node):
            if key == "_meta":
                continue
            value = node[key]
            if isinstance(value, (dict, list)):
                if rnd.random() < rate / 4:
                    del node[key]
                else:
                    damage(value, rnd, rate, duplicate_rows=duplicate_rows)
                continue
            value = _leaf(value, rnd, rate)
            if value is _DELETE:
                del node[key]
            else:
                node[key] = value
    elif isinstance(node, list):
        if node and rnd.random() < rate:
            node.pop(rnd.randrange(len(node)))
        if duplicate_rows and node and rnd.random() < rate / 2:
            node.append(copy.deepcopy(rnd.choice(node)))
        for value in node:
            if isinstance(value, (dict, list)):
                damage(value, rnd, rate, duplicate_rows=duplicate_rows)
    return node

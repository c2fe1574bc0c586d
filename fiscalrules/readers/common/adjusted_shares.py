"""Shares adjusted so that they add up to 100: each known only to within one unit of its last place.

A list of shares ("占 81.33%", a 占比 column) printed to two decimals adds up to 100.00 only by
chance when each share is rounded on its own.  Many documents make it add up: they round the
shares and then move the rounding residue onto one or more of them (the largest remainder, or the
biggest share takes the difference), so a share may stand up to one unit of its last place from
its exact value -- 81.3365 printed 81.33 beside shares taking the unit instead.  Checked as a
figure rounded on its own (± half a unit), that share would fail although nothing in it is wrong.

So where a list of shares adds up to exactly 100 as printed, each share is given the precision of
two units of its last place (:func:`allow_adjusted_shares`): it stands for every value within one
unit, the rounding the adjustment may have done, and no more -- a misprinted share (a digit wrong,
two transposed) changes the printed total away from 100, and is then checked as before.  The
record says so in the share's ``precision`` (``"0.02"`` for a share printed ``81.33``), which the
findings show as the allowance.  Both templates' readers call it once, over the whole record.
"""

from __future__ import annotations

from decimal import Decimal

from .amounts import decimal_amount

__all__ = ["allow_adjusted_shares"]

_HUNDRED = Decimal(100)
_SHARE_COLUMN = "share"      # a table's 占比 column (rows of parts with their shares)
_SHARE_GROUP = "shares"      # a group of named shares (income.shares.appropriation, …)


def allow_adjusted_shares(data: dict) -> None:
    """Each list of shares in the record *data* (a table's ``share`` column, a ``shares`` group)
    that adds up to exactly 100 as printed: every share's precision two units of its last place."""
    for shares in _share_lists(data):
        figures = [share for share in shares if isinstance(share, dict) and "precision" not in share]
        values = [_printed_value(share) for share in figures]
        if len(figures) < 2 or len(figures) != len(shares) or None in values or sum(values) != _HUNDRED:
            continue
        for share, value in zip(figures, values):
            share["precision"] = str(Decimal(2).scaleb(value.as_tuple().exponent))


def _share_lists(node):
    """The lists of share figures in *node*, depth first."""
    if isinstance(node, dict):
        for key, child in node.items():
            if key == "_meta":
                continue
            if key == _SHARE_GROUP and isinstance(child, dict):
                yield [share for share in child.values() if share is not None]
            else:
                yield from _share_lists(child)
    elif isinstance(node, list):
        rows = [row for row in node if isinstance(row, dict)]
        column = [row[_SHARE_COLUMN] for row in rows if row.get(_SHARE_COLUMN) is not None]
        if column:
            yield column
        for row in rows:
            yield from _share_lists({key: value for key, value in row.items() if key != _SHARE_COLUMN})


def _printed_value(share) -> Decimal | None:
    """The share as printed (a percentage, its decimals as printed), or None."""
    if not isinstance(share, dict) or share.get("unit", "%") != "%":
        return None
    value = decimal_amount(share.get("value"))
    return value if value is not None and value.is_finite() else None

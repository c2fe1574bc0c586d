"""A figure column of a frame read as a vector of quantities (:class:`~.columns.Num`), as
``Settings.to_quantity`` reads each cell: the conversion plan of each cell's unit (one plan, and
no id per row, when every unit converts as the declared one), the printed precision's rounding
half-widths, money scaled to 元 -- from the column's scaled integers (:meth:`.reading.Frame._integers`).
"""

from __future__ import annotations

import numpy as np

from ..values import HALF
from .cells import _Cells, _as_text, _is_coded, _is_text
from .columns import LIMIT, Num, TooLarge, Unsupported, _any, _exponent_of
from .integers import one_exponent
from .scaled import classes, halves, masked_max, masked_min, money_shift, power_of_ten, rescale

__all__ = ["read_num"]


def read_num(frame, key: str, decl, meta: str) -> Num:
    """:meth:`.reading.Frame.num`: the figure at *key* (its value, or stated change / percentage) of
    every row of *frame* as ``Settings.to_quantity`` makes it."""
    settings = frame.settings
    n = frame.n
    default_plan = settings._plan(None, decl, meta)
    value_name = frame.column_of.get((key, None))
    source = value_name if meta == "value" else frame.column_of.get((key, meta))
    if value_name is None or source is None:  # no such column: absent in every row
        return Num(np.zeros(n, dtype=np.int64), 0, default_plan[1], miss=np.ones(n, dtype=bool))
    unit_ids, plans = _unit_plans(frame, key, decl, meta, default_plan)
    if unit_ids is None and meta == "value" and (key, "precision") not in frame.column_of:
        found = _by_distinct_text(frame, key, source, plans)
        if found is not None:
            return found
    units, exps, present, nonnum, bound = frame._integers(source)
    if meta != "value":  # a stated change needs the figure and the change
        present = frame.present(value_name) & (present if present is not None else True)
        nonnum = None     # a change that is not a number makes the record unreadable
    return _quantities(frame, key, meta, units, exps, present, nonnum, bound, unit_ids, plans, n)


def _by_distinct_text(frame, key: str, name: str, plans: list):
    """:func:`read_num` of a coded text column in one unit, made of its distinct texts (each a
    row of its own: the column's exponent, bound and halves are those of the texts its cells
    use, so each cell's are its text's) and gathered by the cells' indices -- a gather or two
    per column where the cells' integers took some twenty passes.  None for a column that is
    not coded as texts (a dictionary of numbers -- a pandas Categorical of amounts -- is read as
    the numbers it holds, review 27), or whose dictionary is not small beside its rows."""
    import pyarrow as pa
    kind = frame.table.column(name).type
    if not (pa.types.is_dictionary(kind) and _is_text(kind)):
        return None
    found = frame.coded_distinct(name)
    if found is None:
        return None
    units, exps, present, nonnum, bound, at, _ = found
    low = one_exponent(exps, present)
    if low is not None:
        exps = low
    distinct = _quantities(frame, key, "value", units, exps, None if present.all() else present,
                           _any(nonnum), bound, None, plans, len(units))

    def gathered(a):
        return a.take(at) if isinstance(a, np.ndarray) else a
    miss = _any(gathered(distinct.miss)) if distinct.miss is not None else None
    err = _any(gathered(distinct.err)) if distinct.err is not None else None
    if distinct.half is None:   # (pragma: read_num's intervals are symmetric)
        return Num(gathered(distinct.pt), distinct.exp, distinct.dim, lo=gathered(distinct._lo),
                   hi=gathered(distinct._hi), miss=miss, err=err, bound=distinct.bound)
    return Num(gathered(distinct.pt), distinct.exp, distinct.dim, half=gathered(distinct.half), miss=miss, err=err,
               bound=distinct.bound)


def _quantities(frame, key, meta, units, exps, present, nonnum, bound, unit_ids, plans, n) -> Num:
    """:func:`read_num` from a column's integers (:meth:`.reading.Frame._integers`)."""
    if len(plans) == 1 and nonnum is None and plans[0][4] is None and (
            meta != "value" or (key, "precision") not in frame.column_of):
        # The common column: one unit, every cell a number -- no mask or id array is made
        # (a chunk's worth of zeros per column was half the time of a simple rule).
        return _one_unit(units, exps, bound, plans[0], present)
    if present is None:
        present = np.ones(n, dtype=bool)
    if unit_ids is None:
        unit_ids = np.zeros(n, dtype=np.int64)
    if len(plans) > 1:  # one plan per distinct conversion, not per spelling of the unit
        distinct, index = {}, []
        for plan in plans:
            index.append(distinct.setdefault(plan, len(distinct)))
        plans = list(distinct)
        unit_ids = np.asarray(index, dtype=np.int64)[unit_ids]
    problem = None
    if any(plan[4] is not None for plan in plans):
        problem = np.array([plan[4] is not None for plan in plans])[unit_ids]
    flags = nonnum if problem is None else (problem if nonnum is None else nonnum | problem)
    err = _any(present & flags) if flags is not None else None   # (no pass when nothing is wrong)
    ok = present & ~err if err is not None else present
    miss = _any(~present)
    # (the ids are few: counted, not sorted)
    used = np.flatnonzero(np.bincount(unit_ids[ok], minlength=len(plans))).tolist() if len(plans) > 1 else [0]
    if len(used) <= 1:  # one conversion for every row that counts
        plans, unit_ids = [plans[used[0]] if used else plans[0]], np.zeros(n, dtype=np.int64)
        used = [0]
    dim = _one_dim({plans[i][1] for i in used})
    shifts = np.array([money_shift(plan[0]) for plan in plans], dtype=np.int64)
    single = len(plans) == 1
    if single:  # each cell's exponent in base units (money in 元)
        cell_exps = exps + int(shifts[0])
    else:
        cell_exps = (exps if isinstance(exps, np.ndarray) else np.full(n, exps, dtype=np.int64)) + shifts[unit_ids]
    if plans[0][3]:  # counts and plain numbers are exact
        low = masked_min(cell_exps, ok)
        pt, bound = rescale(units, cell_exps, low, bound, ok)
        return Num(pt, low, dim, miss=miss, err=err, bound=bound)
    precision_name = frame.column_of.get((key, "precision")) if meta == "value" else None
    if single and precision_name is None:
        return _symmetric(units, exps, int(shifts[0]), plans[0][2], dim, miss, err, ok, bound)
    powers = [power_of_ten(plan[2]) for plan in plans]
    if precision_name is None and all(p is not False for p in powers):
        # Declared precisions are powers of ten: each half is 5 × 10**e, e per row.
        printed = np.minimum(exps, 0) if isinstance(exps, np.ndarray) else np.full(n, min(exps, 0), dtype=np.int64)
        declared = np.array([p if p is not None else 10 ** 6 for p in powers], dtype=np.int64)[unit_ids]
        half_exp = np.minimum(printed, declared) + shifts[unit_ids] - 1
        low = min(masked_min(cell_exps, ok), masked_min(half_exp, ok))
        pt, bound = rescale(units, cell_exps, low, bound, ok)
        if int(masked_max(half_exp, ok)) - low > 17:
            raise Unsupported("precisions too far apart in one column")
        half = np.where(ok, 5 * 10 ** np.clip(half_exp - low, 0, 17), 0)
    else:
        pt, low, half, bound = classes(units, exps, cell_exps, plans, unit_ids, ok, bound,
                                        frame._integers(precision_name) if precision_name else None)
    bound += int(half.max()) + 1 if half.size else 1
    if bound >= LIMIT // 4:
        raise TooLarge("amounts too large for 64-bit integers")
    return Num(pt, low, dim, half=half, miss=miss, err=err, bound=bound)

def _one_unit(units, exps, bound, plan, present) -> Num:
    """:meth:`_read_num` for a column of numbers in one unit (*present*: None when every cell is)."""
    miss = _any(~present) if present is not None else None
    shift = money_shift(plan[0])
    if plan[3]:  # counts and plain numbers are exact
        cell_exps = exps + shift
        low = masked_min(cell_exps, present)
        pt, bound = rescale(units, cell_exps, low, bound, present)
        return Num(pt, low, plan[1], miss=miss, bound=bound)
    return _symmetric(units, exps, shift, plan[2], plan[1], miss, None, present, bound)

def _symmetric(units, exps, shift, declared, dim, miss, err, ok, bound) -> Num:
    """One unit for the column: halves from the cells' printed decimals (one scalar when they
    are alike, kept as a fraction of the last digit)."""
    uniform = isinstance(exps, int)
    low = exps if uniform else masked_min(exps, ok)
    printed_exp = min(exps, 0) if uniform else np.minimum(exps, 0)
    lowest_printed = printed_exp if uniform else masked_min(printed_exp, ok)
    half = halves(printed_exp, declared, low, ok)
    if isinstance(half, np.ndarray):  # precisions vary by cell: halves as integers, at a finer exponent
        half_exp = min(lowest_printed, _exponent_of(declared * HALF) if declared is not None else 0) - 1
        exp = min(low, half_exp)
        half = halves(printed_exp, declared, exp, ok)
    else:
        exp = low
    pt, bound = rescale(units, exps, exp, bound, ok)
    bound += int(half.max()) + 1 if isinstance(half, np.ndarray) and half.size else int(half) + 1
    if bound >= LIMIT // 4:
        raise TooLarge("amounts too large for 64-bit integers")
    return Num(pt, exp + shift, dim, half=half, miss=miss, err=err, bound=bound)

def _unit_plans(frame, key, decl, meta, default_plan):
    """(unit id per row, conversion plan per unit id): one plan and no ids when no cell names a unit."""
    name = frame.column_of.get((key, "unit"))
    if name is None:
        return None, [default_plan]
    column = frame.table.column(name)
    if column.null_count == len(column):   # no cell of this chunk names a unit
        return None, [default_plan]
    if _is_coded(column) and ("text", name) not in frame._cache:
        # By distinct text: a unit id per text (0 where the loader refuses it), then one
        # gather by the cells' indices -- not a mask per cell (a unit column repeats a few texts).
        cells = _Cells(frame._one_array(name), name, frame.floats, frame.memo, codes=np.zeros(0, dtype=np.int64))
        texts = [_as_text(v) for v in cells.distinct]
        text = None
    else:
        text = frame.text_column(name)
        texts = text.texts
    texts = ["%" if t == "％" else t for t in texts]
    units = [None] + [t or None for t in texts]    # id 0: no unit given
    plans = [frame.settings._plan(u, decl, meta) for u in units]
    if all(plan == default_plan for plan in plans):
        # Every unit given converts as the declared one (万元 where 万元 is declared): no id per row.
        return None, [default_plan]
    if text is None:
        ok = cells._present & ~cells._bad
        ids = np.where(ok, np.arange(1, len(texts) + 1), 0)[frame._indices(name)]
    else:
        ids = np.where(text.miss if text.miss is not None else False, 0, np.asarray(text.codes) + 1)
    return ids.astype(np.int64, copy=False), plans


def _one_dim(dims: set) -> str:
    """The dimension of rows whose units differ: only money or not matters to a decision (which
    tolerance applies), so ``"mixed"`` only when some rows are money and some are not."""
    if len(dims) == 1:
        return next(iter(dims))
    return "mixed" if len({d == "money" for d in dims}) > 1 else sorted(dims)[0]


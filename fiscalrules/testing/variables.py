"""A shape's numeric variables: :class:`_VarSpec` (a figure's kind, unit, printed precision, the
grid it is solved on and its lower bound) and :func:`var_specs`, which works them out for the
figures of a shape (:class:`~fiscalrules.testing.shapes._Shape`), once per ruleset and figure form.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs

from ..values import MONEY_UNITS, dimension_of
from ..symbolic.forms import _ONE, _ZERO
from .linear_system import _whole
from .paths import _CELL_PATH


@attrs.define
class _VarSpec:
    path: str
    meta: str
    kind: str
    unit: str | None
    factor: Fraction
    precision: Decimal        # the precision the figure is printed to
    grid: Fraction            # the grid values are solved on (finer when rounded)
    lower: Fraction | None    # lower bound (amounts and counts are non-negative)
    factor_grid: Fraction | int = _ONE  # base units per grid step (an int where whole: see linear_system._whole)
    # the bound "not below *lower*" in grid steps, as relaxation._constraints reads it: (-grid's
    # numerator, grid's denominator, lower × that denominator), ints worked out once per spec
    bound_units: tuple = (-1, 1, 0)
    rate_margin: Fraction = _ZERO   # a change's margin where a rate is stated (twice the precision)
    grid_places: int | None = None  # the decimal places of the grid (see _decimal_places)
    # the constraint "not below *lower*" of the figure where it is free, as relaxation._constraints
    # makes it (made once per spec, then shared: no reader changes a constraint)
    own_bound: tuple | None = attrs.field(default=None, eq=False, repr=False)


def _category(plan, path: str) -> bool:
    """Whether *path* is a cell of a category column (plan.categories: drawn, not solved for)."""
    found = _CELL_PATH.match(path)
    return found is not None and (found.group("table"), found.group("column")) in plan.categories


def var_specs(shape) -> dict:
    """The numeric variables of *shape* (a :class:`~fiscalrules.testing.shapes._Shape`): ``(path,
    meta)`` → :class:`_VarSpec`, for each figure and each of its stated changes and rates."""
    specs = {}
    plan = shape.plan
    # A figure's specs depend on its path, its declaration, its unit and which stated changes
    # it has: found by those (its form) once worked out, for a figure printed without
    # metadata (most) by its path alone.
    made = plan.form_var_specs.setdefault(shape.rounded, {})
    kinds = shape.kinds
    for path, (container, key) in shape.slots.items():
        decl = kinds[path]
        if decl.kind in ("text", "flag") or (decl.kind == "number" and plan.categories and _category(plan, path)):
            continue
        raw = container[key]
        if type(raw) is str:
            form = path
            known = made.get(path)
            if known is not None and known[0] is decl:
                specs[(path, "value")] = known[1][0][1]
                continue
        elif type(raw) is dict:
            form = (path, "change" in raw, "pct" in raw, raw.get("unit"))
            known = made.get(form)
            if known is not None and known[0] is decl:
                for var, spec in known[1]:
                    specs[var] = spec
                continue
        else:
            form = None
        metas = ["value"] + ([m for m in ("change", "pct") if m in raw] if isinstance(raw, dict) else [])
        figure_unit = raw.get("unit") if isinstance(raw, dict) else None
        entries = []
        for meta in metas:
            # the same declaration, meta and unit make the same figure: worked out once per
            # ruleset, and its spec (never changed once made) once per path too
            facts_key = (id(decl), meta, figure_unit, shape.rounded, meta == "value" and "year" in path)
            spec = plan.var_specs.get((path, facts_key))
            if spec is None:
                facts = plan.var_facts.get(facts_key)
                if facts is None:
                    facts = plan.var_facts[facts_key] = _var_facts(plan, shape.rounded, decl, meta, figure_unit,
                                                                 facts_key[-1])
                spec = plan.var_specs[(path, facts_key)] = _VarSpec(path, meta, *facts)
            specs[(path, meta)] = spec
            entries.append(((path, meta), spec))
        if form is not None:
            made[form] = (decl, tuple(entries))
    return specs

def _var_facts(plan, rounded: bool, decl, meta: str, figure_unit, year: bool) -> tuple:
    """(kind, unit, factor, precision, grid, lower, factor_grid, bound_units, rate_margin,
    grid_places) of a figure of *decl*."""
    unit = plan.unit_of(decl, meta, figure_unit)
    dim = dimension_of(unit)
    kind = "percent" if meta == "pct" else decl.kind
    factor = Fraction(MONEY_UNITS[unit]) if dim == "money" else _ONE
    precision = plan.precision(kind, unit, meta)
    grid = Fraction(precision)
    if rounded and kind in ("amount", "percent"):
        grid /= 100
    lower = _ZERO if (meta == "value" and kind in ("amount", "count")) else None
    if year and kind == "number":
        lower = _ZERO
    bound_units = (-grid.numerator, grid.denominator, _whole(lower * grid.denominator) if lower else 0)
    return (kind, unit, factor, precision, grid, lower, _whole(factor * grid), bound_units,
            2 * Fraction(precision) * factor, _decimal_places(grid))


def _decimal_places(grid: Fraction) -> int | None:
    """The decimal places of a grid (None where it is no power of ten): a few grids per ruleset."""
    places = 0
    while grid.denominator != 1 and places < 12:
        grid *= 10
        places += 1
    return places if grid.denominator == 1 else None

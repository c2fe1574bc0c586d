"""Side-by-side regions of a PDF page: two small tables printed beside each other (common where
both are empty, as the 政府性基金 and 国有资本经营 tables often are, and for small county tables).

A line built across the whole page width would join the two titles into one line and interleave
the two tables' rows, so neither is read. :func:`split_rows` finds a band of the page's rows
through which a wide vertical strip of white runs (no character, no ruling line in it) and splits
the band at that strip: the rows of the left region are read first, then those of the right one,
each built from its own characters (the lines above and below the band stay whole).

An ordinary wide table has such strips too -- between its columns, from its header to its last
row -- so a strip splits the page only where each side is a table of its own, told by the national
template's structure, never by one document's layout:

* each side holds a table title (text ending in 表, as every title of the template does), or
* each side draws its own ruled grid: vertical rules on both sides and no horizontal rule crossing
  the strip (a wide ruled table's row rules cross every column gap).

A region nested in a region (three tables in a row) is split again.
"""

from __future__ import annotations

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Sequence
    from ..document.model import Rule

__all__ = ["split_rows"]

# A strip of white narrower than this many character heights is a column gap, never a split.
_MIN_GAP_HEIGHTS = 3.0
# A band shorter than this many rows is no region (a title and its unit line at least, and a row).
_MIN_ROWS = 3
# Pieces of one rule drawn cell by cell end this close to each other (points).
_TOUCH = 3.0
# A title is no longer than this (characters).
_MAX_TITLE = 40

Char = tuple          # (char, x0, top, x1, bottom), as inputs/pdf.py makes them (a row: left to right)
Region = tuple[float, float]


def split_rows(rows: list[list[Char]], lines: list, rules: Sequence[Rule], build,
               region: Region | None = None) -> list[tuple[object, Region | None]]:
    """The page's *lines* (one built from each of *rows*, a list of the characters sharing a
    line, top to bottom; a line's words at ``line[1]``) in reading order, each with the
    horizontal region it was read in (None: the whole page). *build(chars)* groups a region's
    characters into rows and lines again (inputs/pdf.py's line building)."""
    if len(rows) < _MIN_ROWS:
        return [(line, region) for line in lines]
    band = _split_band(rows, [[(w.x0, w.x1) for w in line[1]] for line in lines], rules)
    if band is None:
        return [(line, region) for line in lines]
    first, last, cut = band
    low, high = region if region is not None else (float("-inf"), float("inf"))
    left = [c for row in rows[first:last + 1] for c in row if (c[1] + c[3]) / 2 < cut]
    right = [c for row in rows[first:last + 1] for c in row if (c[1] + c[3]) / 2 >= cut]
    out = [(line, region) for line in lines[:first]]
    out += split_rows(*build(left), rules, build, (low, cut))
    out += split_rows(*build(right), rules, build, (cut, high))
    out += split_rows(rows[last + 1:], lines[last + 1:], rules, build, region)
    return out


def _free(spans: list[tuple[float, float]], low: float, high: float) -> list[tuple[float, float]]:
    """The white between *low* and *high* that *spans* leave."""
    out = []
    at = low
    for a, b in spans:
        if a > at:
            out.append((at, min(a, high)))
        at = max(at, b)
    if at < high:
        out.append((at, high))
    return [(a, b) for a, b in out if b > a]


def _intersect(free: list[tuple[float, float]], other: list[tuple[float, float]], least: float
               ) -> list[tuple[float, float]]:
    out = []
    for a, b in free:
        for c, d in other:
            lo, hi = max(a, c), min(b, d)
            if hi - lo >= least:
                out.append((lo, hi))
    return out


def _split_band(rows: list[list[Char]], spans: list[list[tuple[float, float]]], rules: Sequence[Rule]
                ) -> tuple[int, int, float] | None:
    """(first row, last row, x to cut at) of the tallest band the page splits at, or None;
    *spans*: the x extents of each row's words (a strip of white is far wider than a gap
    between words)."""
    printed = [s for s in spans if s]
    if not printed:
        return None
    low = min(s[0][0] for s in printed)
    high = max(s[-1][1] for s in printed)
    heights = sorted(next(c[4] - c[2] for c in row if not c[0].isspace()) for row in rows)
    least = _MIN_GAP_HEIGHTS * max(heights[len(heights) // 2], 1.0)
    # Bands still open: (first row, strip), each strip the white shared by every row since.
    open_bands: list[tuple[int, tuple[float, float]]] = []
    found: list[tuple[int, int, tuple[float, float]]] = []
    for index, row_spans in enumerate(spans + [None]):
        white = _free(row_spans, low, high) if row_spans is not None else []
        going = []
        for first, strip in open_bands:
            narrowed = _intersect([strip], white, least)
            if narrowed:
                going.extend((first, s) for s in narrowed)
            elif index - first >= _MIN_ROWS:
                found.append((first, index - 1, strip))
        # a strip of this row's white that no open band holds starts a band here
        for a, b in white:
            if b - a >= least and not any(s[0] < b and a < s[1] for _, s in going):
                going.append((index, (a, b)))
        open_bands = going
    # the tallest band first; of bands as tall, the widest strip (a table's own column gaps,
    # running as far down as the space between two tables, are narrower)
    for first, last, (a, b) in sorted(found, key=lambda f: (f[0] - f[1], f[2][0] - f[2][1])):
        if a <= low or b >= high:
            continue            # white at the page's edge: nothing on one side
        cut = _tables_beside(rows[first:last + 1], rules, a, b, least)
        if cut is not None:
            return first, last, cut
    return None


def _tables_beside(rows: list[list[Char]], rules: Sequence[Rule], a: float, b: float, least: float
                   ) -> float | None:
    """Where to cut the rows if they hold a table on each side of the white strip a..b (a title
    on each side, or each side's own ruled grid), else None. The tables' own border rules may
    stand in the strip: the widest piece of it between them must still be *least* wide."""
    # (a line's height above and below: the rule over a header band, under the last row)
    reach = least / _MIN_GAP_HEIGHTS
    top = min(c[2] for c in rows[0]) - reach          # (rows run top to bottom)
    bottom = max(c[4] for c in rows[-1]) + reach
    inside = [r for r in rules if (r.start < bottom and r.end > top if r.vertical else top <= r.position <= bottom)]
    edges = sorted({a, b, *(r.position for r in inside if r.vertical and a < r.position < b)})
    a, b = max(zip(edges, edges[1:]), key=lambda piece: piece[1] - piece[0])
    across = _joined([r for r in inside if not r.vertical])
    if b - a < least or any(r.start < a and r.end > b for r in across):
        return None             # a rule crosses the strip: one ruled table's column gap
    if all(_has_title(rows, side) for side in ((float("-inf"), a), (b, float("inf")))):
        return (a + b) / 2
    # each side its own grid: vertical rules, and row rules that stop at the strip
    if any(r.vertical and r.position <= a for r in inside) and any(r.vertical and r.position >= b for r in inside) \
            and any(r.end <= a + 1 for r in across) and any(r.start >= b - 1 for r in across):
        return (a + b) / 2
    return None


def _joined(rules: list[Rule]) -> list[Rule]:
    """Horizontal rules at one height whose ends touch joined into one: a grid drawn cell by
    cell draws a row's rule as one piece per cell."""
    out: list[Rule] = []
    for rule in sorted(rules, key=lambda r: (round(r.position), r.start)):
        last = out[-1] if out else None
        if last is not None and round(last.position) == round(rule.position) and rule.start <= last.end + _TOUCH:
            out[-1] = type(rule)(False, last.position, last.start, max(last.end, rule.end))
        else:
            out.append(rule)
    return out


def _has_title(rows: list[list[Char]], side: tuple[float, float]) -> bool:
    for row in rows:
        text = "".join(c[0] for c in row if side[0] <= (c[1] + c[3]) / 2 <= side[1] and not c[0].isspace())
        for ending in ("（续）", "(续)", "（续表）", "(续表)"):
            if text.endswith(ending):
                text = text[:-len(ending)]
        if 4 <= len(text) <= _MAX_TITLE and text.endswith("表"):
            return True
    return False

"""Watermarks: text a page draws across its content that is no content of the document -- "潍坊市财政局
公开", "仅供公开使用", a unit's name or a date, in large light letters set at 30-45° and repeated over
every page (drawn over the content or under it). Read as text, its characters fall between a
table's cells and into the narrative's sentences ("3,109.7开4", "基本财支出"), and no table is found.

A paged reader (:mod:`.pdf`, :mod:`.ofdcontent`) asks :func:`slanted` of each run of text it
draws: text set at an angle that is no multiple of a quarter turn is never a document's text (a
table's cells, its titles and sentences run across the page or, on a landscape page turned inside
a portrait one, down it), so its characters are set aside before the page's lines are built --
whatever its colour, size or place, and wherever it is drawn from (the page, a form object, a
template page). What is set aside is not dropped silently: :class:`.pagelines.PagesRead` keeps it
per page in ``Document.watermarks``. A slightly tilted page (the text layer of a scan laid at the
scan's skew) is no watermark: only an angle at least :data:`SLANT` from the page's directions is.

A watermark laid flat (across the page, behind the content or over it) is told by more than its
angle, each of them needed (:func:`laid_flat`): its letters are large -- :data:`LARGE` times the
page's middle character height -- and faint -- see-through or light grey (:func:`faint`; a title
printed white on a dark band is no watermark) -- and they lie over the page's other text. A
cover's large title stands apart from the other text, and a table's cell is never large.

A watermark as an annotation (pdfium's text page and the OFD reader read no annotation) is never
read in the first place.
"""

from __future__ import annotations

import math

__all__ = ["SLANT", "LARGE", "slanted", "faint", "large", "laid_flat", "set_aside"]

#: Text at least this far (radians) from every quarter turn runs slanted: a watermark's 30-45°,
#: never the skew of a scanned page's text layer (a degree or two).
SLANT = math.radians(10)
#: A watermark's letters are at least this many times the page's middle character height.
LARGE = 2.5
# See-through: a fill drawn at this opacity or less (0-255).
_SEE_THROUGH = 160
# Light grey: every channel this light or more (0-255), the three within _GREY of one another, and
# not white (_WHITE: white text is printed on a dark band, never as a watermark on white paper).
_LIGHT, _GREY, _WHITE = 150, 40, 245


def slanted(dx: float, dy: float) -> bool:
    """Whether text whose baseline runs along (*dx*, *dy*) -- a matrix's image of the x axis -- is
    set at a slant: not along the page's width or height, either way."""
    if dx == 0 and dy == 0:
        return False
    angle = math.atan2(abs(dy), abs(dx))      # 0 .. π/2: the angle from the nearer axis
    return SLANT <= angle <= math.pi / 2 - SLANT


def faint(red: int, green: int, blue: int, alpha: int) -> bool:
    """Whether text drawn in this colour (channels and opacity 0-255) is faint, as a watermark is:
    see-through, or light grey."""
    if alpha <= _SEE_THROUGH:
        return True
    lightest, darkest = max(red, green, blue), min(red, green, blue)
    return _LIGHT <= darkest and lightest - darkest <= _GREY and darkest < _WHITE


def large(chars: list[tuple]) -> list[int]:
    """The positions in *chars* (``(char, x0, top, x1, bottom, …)``) of the characters drawn
    :data:`LARGE` times the page's middle character height or more (none on a page of one size)."""
    heights = sorted(c[4] - c[2] for c in chars if not c[0].isspace())
    if len(heights) < 8:
        return []
    middle = heights[len(heights) // 2]
    return [k for k, c in enumerate(chars) if not c[0].isspace() and c[4] - c[2] >= LARGE * max(middle, 1.0)]


def laid_flat(chars: list[tuple], big: list[int], run_of, faint_run) -> dict:
    """The watermarks laid flat among *chars*: {run: the positions in *chars* of its characters}
    for each run (*run_of*: a character's position → its run) that draws some of the *big*
    characters (:func:`large`), is faint (*faint_run*: a run → whether it is, :func:`faint`) and
    lies over other text: one of its characters' boxes crossing one of the page's others'."""
    members: dict = {}
    for k in range(len(chars)):
        members.setdefault(run_of(k), []).append(k)
    out = {}
    for run in dict.fromkeys(run_of(k) for k in big):
        if not run or not faint_run(run):
            continue
        own = set(members[run])
        boxes = [chars[k] for k in own if not chars[k][0].isspace()]
        if any(_cross(box, other) for box in boxes
               for j, other in enumerate(chars) if j not in own and not other[0].isspace()):
            out[run] = members[run]
    return out


def _cross(a: tuple, b: tuple) -> bool:
    """Whether two characters' boxes overlap (more than touch)."""
    return a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]


def set_aside(runs: list[str]) -> str:
    """What a page set aside as watermarks, as the document model keeps it: each run's text once,
    in drawing order ("潍坊市财政局 公开" drawn three times is said once)."""
    seen: list[str] = []
    for run in runs:
        run = " ".join(run.split())
        if run and run not in seen:
            seen.append(run)
    return " / ".join(seen)

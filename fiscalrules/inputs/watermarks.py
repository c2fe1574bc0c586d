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

A watermark as an annotation (pdfium's text page and the OFD reader read no annotation) is never
read in the first place.
"""

from __future__ import annotations

import math

__all__ = ["SLANT", "slanted", "set_aside"]

#: Text at least this far (radians) from every quarter turn runs slanted: a watermark's 30-45°,
#: never the skew of a scanned page's text layer (a degree or two).
SLANT = math.radians(10)


def slanted(dx: float, dy: float) -> bool:
    """Whether text whose baseline runs along (*dx*, *dy*) -- a matrix's image of the x axis -- is
    set at a slant: not along the page's width or height, either way."""
    if dx == 0 and dy == 0:
        return False
    angle = math.atan2(abs(dy), abs(dx))      # 0 .. π/2: the angle from the nearer axis
    return SLANT <= angle <= math.pi / 2 - SLANT


def set_aside(runs: list[str]) -> str:
    """What a page set aside as watermarks, as the document model keeps it: each run's text once,
    in drawing order ("潍坊市财政局 公开" drawn three times is said once)."""
    seen: list[str] = []
    for run in runs:
        run = " ".join(run.split())
        if run and run not in seen:
            seen.append(run)
    return " / ".join(seen)

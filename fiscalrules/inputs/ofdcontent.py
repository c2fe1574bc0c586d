"""One page of an OFD document (GB/T 33190-2016): its content's text and paths → the characters
and ruling lines the paged reader reads (:mod:`.pagelines`).

A page's content (``Content/Layer``, blocks of it nested in ``PageBlock``) draws text objects
and path objects, each placed by its ``Boundary`` ("x y w h", millimetres on the page, y growing
downwards -- the document model's own direction) and, inside that box, by its ``CTM`` (a matrix
"a b c d e f" taking the object's own units to the box's: a scale, a rotation).

* A ``TextObject`` holds ``TextCode`` runs: the first character's baseline origin at ``X`` ``Y``
  (the object's units; a run without them goes on where the previous ended), each next one
  ``DeltaX`` / ``DeltaY`` further (the compact form "g 3 2.5": three gaps of 2.5), else one
  advance of its own width (a full-width character the font ``Size``, any other half of it).  A
  character's box is its own width from its origin, the font size high about the baseline --
  never reaching past where the next one starts, as a PDF's advance boxes do not.  Glyphs drawn
  without their text (``CGTransform`` over an empty ``TextCode``, or characters of the private
  use area) cannot be read: counted, per page, as text left unread.
* A ``PathObject``'s ``AbbreviatedData`` ("M x y L x y … B … Q … A … C"): its straight sides
  that run across or down the page become ruling lines, a thin rectangle (filled or stroked) one
  line along its middle, as the PDF reader takes them.  Curves are no rule.

Everything is given in points (1/72 inch) from the page's top left, as the PDF reader gives
its pages.  Images (a scan laid on the page) draw no text and are passed over.
"""

from __future__ import annotations

import math
import re
import unicodedata

from ..document.model import Rule
from . import watermarks

__all__ = ["PageContent", "MM", "local_name", "numbers"]

#: Points per millimetre (OFD's unit).
MM = 72 / 25.4
# Thinner than this (points) a drawn rectangle is a ruling line (as in the PDF reader).
_RULE_THICKNESS = 2.5
# Of the font size: how far a character's box reaches above its baseline and below it.
_ASCENT, _DESCENT = 0.88, 0.12
# A side of a path is straight across or down the page within this many points.
_STRAIGHT = 0.3
# The most characters, and path points, one page is read for (a hostile page: millions).
_MAX_CHARS = 200_000
_MAX_POINTS = 200_000
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# How many numbers each path command takes (OFD's abbreviated path: S and M start a subpath, L a
# line, Q a quadratic and B a cubic Bézier curve, A an elliptical arc, C -- or Z -- closes it).
_OPERANDS = {"S": 2, "M": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0, "Z": 0}
# A path's commands and numbers, spaced or not ("M10 20L30 20" as well as "M 10 20 L 30 20").
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def local_name(element) -> str:
    """An element's name without its namespace (writers differ in the prefix, a few give none)."""
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def numbers(text: str | None, count: int) -> tuple[float, ...] | None:
    """The *count* numbers of an attribute ("0 0 210 297"), or None where it has fewer or is no numbers."""
    try:
        values = tuple(float(part) for part in (text or "").replace(",", " ").split()[:count])
    except ValueError:
        return None
    return values if len(values) == count and all(math.isfinite(v) for v in values) else None


def _deltas(text: str | None, wanted: int) -> list[float]:
    """The advances of a ``DeltaX`` / ``DeltaY`` ("1 2.5 g 3 2.5 4": g N V repeats V N times), at
    most *wanted* of them; what cannot be read ends the list."""
    parts = (text or "").split()
    out: list[float] = []
    index = 0
    try:
        while index < len(parts) and len(out) < wanted:
            if parts[index] == "g":
                repeat, value = int(float(parts[index + 1])), float(parts[index + 2])
                out.extend([value] * max(0, min(repeat, wanted - len(out))))
                index += 3
            else:
                out.append(float(parts[index]))
                index += 1
    except (ValueError, IndexError):
        pass
    return out


def _apply(matrix: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _unreadable(ch: str) -> bool:
    """A character that stands for a glyph, not for text (a private use code, the replacement mark)."""
    return "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd"


class PageContent:
    """What one page draws: :attr:`chars` (``(char, x0, top, x1, bottom, order)``, points from the
    page's top left), :attr:`rules`, :attr:`turns` (the quarter turn each character runs at),
    :attr:`unread` (text objects whose text cannot be read) and :attr:`marks` (the text of the
    text objects set at a slant, watermarks: :mod:`.watermarks`). *origin*: the page box's top left
    (millimetres), which content coordinates are measured from."""

    def __init__(self, origin: tuple[float, float] = (0.0, 0.0)):
        self.origin = origin
        self.chars: list[tuple] = []
        self.turns: list[int] = []
        self.rules: list[Rule] = []
        self.unread = 0
        self.marks: list[str] = []
        self._points = 0

    def read(self, element) -> None:
        """The objects of a page's (or template page's) content element, in drawing order."""
        for child in element:
            name = local_name(child)
            if name in ("Content", "Layer", "PageBlock"):
                self.read(child)
            elif name == "TextObject":
                self._text(child)
            elif name == "PathObject":
                self._path(child)

    def _placement(self, element):
        """The function taking the object's own units to the page's points: its CTM, then its
        boundary's origin, less the page box's."""
        box = numbers(element.get("Boundary"), 4) or (0.0, 0.0, 0.0, 0.0)
        matrix = numbers(element.get("CTM"), 6) or _IDENTITY
        left, top = box[0] - self.origin[0], box[1] - self.origin[1]

        def place(x: float, y: float) -> tuple[float, float]:
            px, py = _apply(matrix, x, y)
            return (px + left) * MM, (py + top) * MM
        return place, matrix

    def _text(self, element) -> None:
        place, matrix = self._placement(element)
        size = _positive(element.get("Size"), 3.5)
        widths = size * _positive(element.get("HScale"), 1.0)
        codes = [child for child in element if local_name(child) == "TextCode"]
        glyphs_only = any(local_name(child) == "CGTransform" for child in element)
        if watermarks.slanted(matrix[0], matrix[1]):
            # a watermark set across the page: its text set aside, not among the page's characters
            self.marks.append("".join(code.text or "" for code in codes))
            return
        # the quarter turn the text runs at on the page (its CTM's direction of x; y grows downwards)
        turn = round(math.atan2(matrix[1], matrix[0]) / (math.pi / 2)) % 4
        x = y = 0.0
        unread = False
        for code in codes:
            text = code.text or ""
            if not text.strip():
                unread = unread or glyphs_only
                continue
            x = _number(code.get("X"), x)
            y = _number(code.get("Y"), y)
            advances_x = _deltas(code.get("DeltaX"), len(text) - 1)
            advances_y = _deltas(code.get("DeltaY"), len(text) - 1)
            for index, ch in enumerate(text):
                own = widths * (1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5)
                step = advances_x[index] if index < len(advances_x) else own
                if _unreadable(ch) or len(self.chars) >= _MAX_CHARS:   # (past the bound: said, not read)
                    unread = True
                elif ch >= " ":
                    # (its box never past the next character's start: a gap between two is white)
                    right = x + (min(own, step) if 0 < step else own)
                    self._char(ch, place, (x, y - _ASCENT * size), (right, y + _DESCENT * size), turn)
                x += step
                y += advances_y[index] if index < len(advances_y) else 0.0
        if unread:
            self.unread += 1

    def _char(self, ch: str, place, near: tuple[float, float], far: tuple[float, float], turn: int) -> None:
        corners = [place(near[0], near[1]), place(far[0], near[1]), place(far[0], far[1]), place(near[0], far[1])]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        self.chars.append((ch, min(xs), min(ys), max(xs), max(ys), len(self.chars)))
        self.turns.append(turn)

    def _path(self, element) -> None:
        # (nothing drawn where it is neither stroked -- the default -- nor filled)
        if element.get("Stroke", "true").strip().lower() == "false" and \
                element.get("Fill", "false").strip().lower() != "true":
            return
        data = next((child.text for child in element if local_name(child) == "AbbreviatedData"), None)
        if not data:
            return
        place, _ = self._placement(element)
        for subpath in self._subpaths(_PATH_TOKEN.findall(data), place):
            self._rules_of(subpath)

    def _subpaths(self, tokens: list[str], place) -> list[list[tuple[tuple[float, float], tuple[float, float], bool]]]:
        """The path's subpaths, each a list of sides (from, to, straight), in page points."""
        subpaths: list[list] = []
        current: list = []
        start = here = None
        index = 0
        while index < len(tokens) and self._points < _MAX_POINTS:
            command = tokens[index].upper()
            count = _OPERANDS.get(command)
            if count is None:       # (a stray number: the previous command's operands repeated)
                index += 1
                continue
            values = numbers(" ".join(tokens[index + 1:index + 1 + count]), count) if count else ()
            index += 1 + count
            if values is None:
                break
            self._points += 1
            if command in ("S", "M"):
                if current:
                    subpaths.append(current)
                current = []
                start = here = place(values[0], values[1])
            elif command in ("C", "Z"):
                if here is not None and start is not None and here != start:
                    current.append((here, start, True))
                here = start
            elif here is not None:
                end = place(values[-2], values[-1])
                current.append((here, end, command == "L"))
                here = end
        if current:
            subpaths.append(current)
        return subpaths

    def _rules_of(self, sides: list) -> None:
        points = [point for side in sides for point in side[:2]]
        x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
        y0, y1 = min(p[1] for p in points), max(p[1] for p in points)
        straight = all(side[2] and (abs(side[0][0] - side[1][0]) <= _STRAIGHT or
                                    abs(side[0][1] - side[1][1]) <= _STRAIGHT) for side in sides)
        w, h = x1 - x0, y1 - y0
        if straight and w <= _RULE_THICKNESS < h:       # a line down the page, or a thin bar
            self.rules.append(Rule(True, round((x0 + x1) / 2, 1), round(y0, 1), round(y1, 1)))
            return
        if straight and h <= _RULE_THICKNESS < w:       # a line across, or a thin bar
            self.rules.append(Rule(False, round((y0 + y1) / 2, 1), round(x0, 1), round(x1, 1)))
            return
        for (ax, ay), (bx, by), line in sides:          # a larger shape: its straight sides
            if not line:
                continue
            if abs(ax - bx) <= _STRAIGHT and abs(ay - by) > _RULE_THICKNESS:
                self.rules.append(Rule(True, round((ax + bx) / 2, 1), round(min(ay, by), 1), round(max(ay, by), 1)))
            elif abs(ay - by) <= _STRAIGHT and abs(ax - bx) > _RULE_THICKNESS:
                self.rules.append(Rule(False, round((ay + by) / 2, 1), round(min(ax, bx), 1), round(max(ax, bx), 1)))


def _number(text: str | None, default: float) -> float:
    found = numbers(text, 1)
    return found[0] if found else default


def _positive(text: str | None, default: float) -> float:
    value = _number(text, default)
    return value if value > 0 else default

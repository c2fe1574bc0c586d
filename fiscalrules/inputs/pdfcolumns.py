"""Text set in columns (分栏): a 情况说明 printed in two or three columns per page, as budget
booklets printed for the 人大 and county PDFs exported from InDesign / WPS set it.

A line built across the whole page width joins a line of the left column to the line of the
right column printed at the same height, so a figure cut by a column break ("…支出1," / "036.40
万元" on the next line of the same column) is glued to the other column's words and the sentences
of both columns interleave. :func:`split_columns` finds a band of the page's rows through which a
vertical strip of white (the gutter) runs on every row, and reads each column of the band top to
bottom, left column first; the rows above and below the band (a title or a table printed across
the whole width) stay whole, in their place.

A table has such strips too (between its columns, from its header to its last row), so a band is
read as columns only when every column holds running text, told by what prose looks like, never
by one document's layout:

* each row's text in a column is one run (no gap as wide as the gutter inside it: a table's row
  has a cell per column),
* a column is mostly Chinese characters (a table's number columns are not) and at least eight
  characters wide,
* lines fill their column: several of each column's lines (all but the last column's, which may
  be short) end at the column's right edge, as justified text does,
* no ruling line crosses a gutter (a ruled table's row rules cross every column gap; a rule
  drawn down a gutter between two columns of text is allowed).

Anything else is read as before (inputs/pdfregions.py for tables printed side by side).
"""

from __future__ import annotations

from .pdfregions import _free, _intersect, _joined

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Sequence
    from ..document.model import Rule

__all__ = ["split_columns"]

# A gutter is at least this many character heights wide (a space between words is a third of one;
# a narrow gutter is about one, and a line may reach a little into it).
_MIN_GUTTER_HEIGHTS = 0.6
# A band read as columns holds at least this many rows.
_MIN_ROWS = 4
# A column of text is at least this many character heights wide.
_MIN_COLUMN_HEIGHTS = 8.0
# Share of a column's characters that are Chinese (a column of figures is no text column).
_MIN_HAN_SHARE = 0.5
# A line ending this many character heights from its column's right edge fills the column (text
# set ragged right ends a character or two short of it).
_FULL_SLACK = 3.0
# Columns whose widths differ by less than this share are equally wide.
_WIDTH_SLACK = 0.1
# A row of one run in type this many times the text's height, at the band's top, is a title.
_TITLE_HEIGHTS = 1.3
# Strips followed down the page at once (a wide table's column gaps: a few dozen).
_MAX_OPEN = 64
# A band that may be set in columns, not sure, is read in parts only where its gap is this many
# character heights wide (reading across a narrower gap is what a table's row does).
_WIDE_GAP_HEIGHTS = 1.5
# Candidate bands tried per page (the tallest first).
_MAX_TRIES = 6
# Bands set in columns on one page, at the most (a page of the template has a few).
_MAX_BANDS = 32

Char = tuple          # (char, x0, top, x1, bottom), as inputs/pdf.py makes them (a row: left to right)
Piece = tuple         # (rows, lines, region, columns): region None for rows read across the page width


def split_columns(rows: list[list[Char]], lines: list, rules: Sequence[Rule], build
                  ) -> list[Piece] | None:
    """The page's *rows* (the characters sharing a line, top to bottom) and *lines* (one built
    from each row; a line's words at ``line[1]``) cut into pieces ``(rows, lines, region,
    columns)`` in reading order: the rows read across the width (region None) and, for each band
    set in columns, each column's rows and lines built again by *build(chars)* with the column's
    horizontal extent as its region. *columns* is False for the pieces of a band whose columns
    could not be told from a table's (:func:`_column_band`): each of its rows is read in parts,
    one per side of the gap, top to bottom -- no line runs across the gap, so no figure is read
    across it -- and the page is to be listed. None when the page has no band set in columns
    (most pages: read as they are)."""
    # The rows above and below each band are split again, taken from a stack of pending parts
    # rather than by recursion: a page of a thousand bands (hostile, review 22 A9) ran out of
    # stack after minutes. After _MAX_BANDS bands the rest of the page is one piece read across
    # its width and the page listed (no page of the template is cut in so many bands).
    pieces: list[Piece] = []
    bands = 0
    pending: list = [(rows, lines)]
    while pending:
        part = pending.pop()
        if isinstance(part, list):          # a band's pieces, ready
            pieces.extend(part)
            continue
        part_rows, part_lines = part
        if bands == _MAX_BANDS:
            pieces.append((part_rows, part_lines, None, False))
            continue
        found = _split_band(part_rows, part_lines, rules, build)
        if found is None:
            if part_rows is rows:
                return None                 # no band on the page: read as it is
            pieces.append((part_rows, part_lines, None, True))
            continue
        bands += 1
        first, last, band_pieces = found
        # (taken last in, first out: the rows above, then the band, then the rows below)
        if last + 1 < len(part_rows):
            pending.append((part_rows[last + 1:], part_lines[last + 1:]))
        pending.append(band_pieces)
        if first:
            pending.append((part_rows[:first], part_lines[:first]))
    return pieces


def _split_band(rows: list[list[Char]], lines: list, rules: Sequence[Rule], build
                ) -> tuple[int, int, list[Piece]] | None:
    """(first row, last row, its pieces) of the tallest band of *rows* set in columns, or None."""
    if len(rows) < _MIN_ROWS:
        return None
    spans = [[(w.x0, w.x1) for w in line[1]] for line in lines]
    band = _column_band(rows, lines, spans, rules)
    if band is None:
        return None
    first, last, gutters, sure = band
    pieces: list[Piece] = []
    edges = [float("-inf")] + [(a + b) / 2 for a, b in gutters] + [float("inf")]
    groups = [[c for row in rows[first:last + 1] for c in row]] if sure else rows[first:last + 1]
    for chars in groups:        # the band, column by column; or each row, side by side
        for low, high in zip(edges, edges[1:]):
            column = [c for c in chars if low <= (c[1] + c[3]) / 2 < high]
            column_rows, column_lines = build(column)
            if not column_lines:
                continue
            region = (min(w.x0 for line in column_lines for w in line[1]),
                      max(w.x1 for line in column_lines for w in line[1]))
            pieces.append((column_rows, column_lines, region, sure))
    return first, last, pieces


def _column_band(rows, lines, spans, rules) -> tuple[int, int, list[tuple[float, float]], bool] | None:
    """(first row, last row, gutters left to right, True) of the tallest band set in columns; else
    (…, False) for the tallest band that may be (Chinese text on both sides of a wide gap on most
    of its rows, but its columns neither equally wide and filled nor each filled: a list, short
    paragraphs -- or a table); else None."""
    printed = [s for s in spans if s]
    if len(printed) < _MIN_ROWS:
        return None
    # Chinese characters and all printed characters up to each row: a page, or a band, of
    # mostly figures (a table's) is passed over without looking for its gutters
    han, printed_chars = [0], [0]
    for line in lines:
        text = line[0]
        han.append(han[-1] + sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff"))
        printed_chars.append(printed_chars[-1] + len(text) - text.count(" "))
    if han[-1] < _MIN_HAN_SHARE * printed_chars[-1]:
        return None
    low = min(s[0][0] for s in printed)
    high = max(s[-1][1] for s in printed)
    heights = sorted(_height(row) for row in rows)
    height = max(heights[len(heights) // 2], 1.0)
    least = _MIN_GUTTER_HEIGHTS * height
    tried = 0
    maybe = None
    for first, last in _bands(spans, low, high, least):
        if tried == _MAX_TRIES:
            break
        tried += 1
        if han[last + 1] - han[first] < _MIN_HAN_SHARE * (printed_chars[last + 1] - printed_chars[first]):
            continue
        gutters = _gutters(spans[first:last + 1], low, high, least)
        if not gutters:
            continue
        # a heading at the top of a column may have started a narrower strip of its own that
        # hid the gutter on its row: rows just above or below that leave the gutters white join
        while first > 0 and _leaves_white(spans[first - 1], gutters, low, high, least):
            first -= 1
        while last + 1 < len(spans) and _leaves_white(spans[last + 1], gutters, low, high, least):
            last += 1
        # a title over all the columns stays above the band
        while first < last and _is_title(rows[first], spans[first], height, least):
            first += 1
        gutters = _gutters(spans[first:last + 1], low, high, least)
        if not gutters:
            continue
        # the rows of the band whose text stays one run in each column: a table under the
        # columns may leave the gutter white too, but its rows have a cell per column
        runs, start = [], None
        for index in range(first, last + 2):
            fits = index <= last and _one_run_per_column(lines[index][1], gutters, least)
            if fits and start is None:
                start = index
            elif not fits and start is not None:
                runs.append((start, index - 1))
                start = None
        for start, end in sorted(runs, key=lambda run: run[0] - run[1]):
            if end - start + 1 < _MIN_ROWS:
                break
            inner = _gutters(spans[start:end + 1], low, high, least) if (start, end) != (first, last) else gutters
            if not inner:
                continue
            verdict = _is_text_in_columns(rows[start:end + 1], lines[start:end + 1], inner, rules, height, high)
            if verdict:
                return start, end, inner, True
            if verdict is None and maybe is None and min(b - a for a, b in inner) >= _WIDE_GAP_HEIGHTS * height \
                    and _text_on_both_sides(lines[start:end + 1], inner):
                maybe = start, end, inner, False
    return maybe


def _text_on_both_sides(lines, gutters) -> bool:
    """Whether most of the rows hold Chinese text on each side of a gutter, touching it: read
    across, a word of one column would run into a word of the other."""
    touching = 0
    for line in lines:
        words = line[1]
        for (a, b) in gutters:
            before = [w for w in words if w.x1 <= a]
            after = [w for w in words if w.x0 >= b]
            if before and after and _han(before[-1].text[-1]) and _han(after[0].text[0]):
                touching += 1
                break
    return touching >= _MIN_ROWS and touching >= 0.5 * len(lines)


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _is_title(row, row_spans, height: float, least: float) -> bool:
    """Whether a row is one run of text in a type much larger than the text's: a title over the
    columns (centred over three, it would sit over the middle one; a first column's own title at
    the band's top is read first either way)."""
    return (bool(row_spans) and _height(row) >= _TITLE_HEIGHTS * height
            and not any(b[0] - a[1] >= least for a, b in zip(row_spans, row_spans[1:])))


def _leaves_white(row_spans, gutters, low: float, high: float, least: float) -> bool:
    white = _free(row_spans, low, high)
    return all(_intersect([gutter], white, least) for gutter in gutters)


def _one_run_per_column(words, gutters, least: float) -> bool:
    """Whether a row's words leave no gap as wide as a gutter inside any column."""
    column = 0
    for before, after in zip(words, words[1:]):
        while column < len(gutters) and (before.x0 + before.x1) / 2 >= gutters[column][1]:
            column += 1
        if after.x0 - before.x1 >= least and not (column < len(gutters) and after.x0 >= gutters[column][1]
                                                  and before.x1 <= gutters[column][0]):
            return False
    return True


def _height(row: list[Char]) -> float:
    return next((c[4] - c[2] for c in row if not c[0].isspace()), 0.0)


def _bands(spans, low: float, high: float, least: float) -> list[tuple[int, int]]:
    """(first, last) row of each run of rows (one fewer than a band needs: a heading's row may
    join it, :func:`_column_band`) through which a strip of white at least *least* wide runs,
    away from the page's text edges; the tallest first."""
    open_bands: list[tuple[int, tuple[float, float]]] = []
    found: set[tuple[int, int]] = set()
    for index, row_spans in enumerate(spans + [None]):
        # (a row of the left column only is white from its end to the page's right edge)
        white = _free(row_spans, low, high) if row_spans is not None else []
        going = []
        for first, strip in open_bands:
            narrowed = _intersect([strip], white, least)
            if narrowed:
                going.extend((first, s) for s in narrowed)
            elif index - first >= _MIN_ROWS - 1 and low < strip[0] and strip[1] < high:
                found.add((first, index - 1))   # (white at the text's edge is a margin)
        for a, b in white:
            # a strip that a band still open mostly holds is that band's (a table's column gap
            # runs down every row); one it holds less than half of may be a gutter that a
            # heading's shorter line above had narrowed (that band then ends, this one goes on)
            if b - a >= least and not any(min(b, s[1]) - max(a, s[0]) >= (b - a) / 2 for _, s in going):
                going.append((index, (a, b)))
        open_bands = going[:_MAX_OPEN]
    return sorted(found, key=lambda band: (band[0] - band[1], band[0]))


def _gutters(spans, low: float, high: float, least: float) -> list[tuple[float, float]]:
    """The strips of white at least *least* wide that run through every row of *spans*."""
    strips = [(low, high)]
    for row_spans in spans:
        white = _free(row_spans, low, high)
        strips = [s for strip in strips for s in _intersect([strip], white, least)]
        if not strips:
            break
    return [(a, b) for a, b in strips if low < a and b < high]


def _is_text_in_columns(rows, lines, gutters, rules, height: float, page_right: float) -> bool | None:
    """Whether each column the *gutters* cut the band into holds running text (module doc): True;
    None when each column is Chinese text wide enough but its lines do not show it is set in
    columns (equal widths with filled lines, or every column but the last filled); else False.
    *page_right*: where the page's text ends (the last column's right edge, however short it is)."""
    # (the rules between the band's rows: the top rule of a table right under the columns is not)
    top = min(c[2] for row in rows for c in row)
    bottom = max(c[4] for row in rows for c in row)
    across = _joined([r for r in rules if not r.vertical and top <= r.position <= bottom])
    if any(r.start < a and r.end > b for r in across for a, b in gutters):
        return False            # a rule crosses a gutter: one ruled table's column gap
    edges = [float("-inf")] + [(a + b) / 2 for a, b in gutters] + [float("inf")]
    widths, filled = [], []
    for number, (low, high) in enumerate(zip(edges, edges[1:])):
        segments = []
        for line in lines:
            words = [w for w in line[1] if low <= (w.x0 + w.x1) / 2 < high]
            if words:
                segments.append((words[0].x0, words[-1].x1, "".join(w.text for w in words)))
        if not segments:
            return False
        left, right = min(s[0] for s in segments), max(s[1] for s in segments)
        if right - left < _MIN_COLUMN_HEIGHTS * height:
            return False
        text = "".join(s[2] for s in segments)
        if sum(1 for ch in text if _han(ch)) < _MIN_HAN_SHARE * len(text):
            return False
        widths.append((page_right if number == len(gutters) else right) - left)
        full = sum(1 for s in segments if s[1] >= right - _FULL_SLACK * height)
        filled.append(full >= 2 and full >= 0.25 * len(segments))
    # Columns typeset as 分栏 are equally wide (a table's columns seldom are): then one column
    # of lines that fill it is evidence enough (a short page's other columns may hold headings
    # and short paragraphs); columns of unequal widths must each be filled (the last may be short).
    if max(widths) - min(widths) <= max(_WIDTH_SLACK * max(widths), 2 * height):
        return any(filled) or None
    return all(filled[:-1]) or None

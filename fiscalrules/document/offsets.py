"""Tables in text aligned by character offsets: whether a grid's headers stand where its figures do.

``pdftotext -layout`` writes each word of a PDF where the PDF draws it, one character a column (a
CJK character too, though it is drawn twice as wide as a digit): a word's *start* is where it
stands on the page, its end falls short by half its CJK characters.  A table's figures are
right-aligned in their cells, its header words centred over them, so in such text a header word
starts left of the right edge of the figures under it and right of the figures of the column
before it -- and two header words that start between the same two right edges are a column blank
in every row (the left one) and the figures' own column (the right one).

:func:`headers_fit_figures` checks a grid read from such text (:func:`..tables.read_grid` over
:func:`..model.char_columns` lines) against that, so that a header word the grid gave to the
figures of the column beside it (a header over three lines, the nearest run taken for its own) is
found: the table is then listed as unread by its reader, never read under the wrong headers.

-layout also lays out each page on its own -- its left margin, the width it gives a column -- so
a table continued over pages stands elsewhere on each: :func:`page_parts` cuts its lines where a
page repeats the header, :func:`joined` puts the grids of the parts back together, and
:func:`headed_figures` checks that a page going on without the header stands its figures under
the columns of the page above.  A page repeating the header whose own lines do not make the
table's grid (a page holding a row or two: their short names leave the header's name words a
column of their own) is read under the first page's header by :func:`reheaded`, its figures moved
by the shift its header words stand at from the first page's.
"""

from __future__ import annotations

from collections import Counter

from .model import Line, Word
from .tables import Grid, _ColumnIndex

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Callable

__all__ = ["headers_fit_figures", "headed_figures", "page_parts", "joined", "aligned_pages", "reheaded"]


def headers_fit_figures(grid: Grid, is_figure: Callable[[str], bool]) -> bool:
    """Whether every column of *grid* holding figures has its header words starting left of its
    figures' right edge, one word a header line, and no column blank in every row has a header
    word starting after the figure column's own header and before that edge (which of the two
    heads the figures would be a guess).  A grid without figures or header words fits."""
    index = _ColumnIndex(grid.columns)
    right: dict[int, float] = {}        # figure column -> right edge of its figures
    filled: set[int] = set()            # columns some body word stands in
    for row in grid.rows:
        for at, word in enumerate(row.line.words):
            column = index.column_of(word)
            if column is None:
                continue
            filled.add(column.index)
            if at and is_figure(word.text):     # (a row's first word is its code, name or 合计)
                right[column.index] = max(right.get(column.index, word.x1), word.x1)
    starts: dict[int, list[float]] = {}     # column -> where its header words start
    for line in grid.header_lines:
        seen: set[int] = set()
        for word in line.words:
            column = index.column_of(word)
            if column is None:
                continue
            if column.index in right and column.index in seen:
                return False    # two header words of one line over one column of figures: not parted
            seen.add(column.index)
            starts.setdefault(column.index, []).append(word.x0)
    blank_starts = [x for c, xs in starts.items() if c not in filled for x in xs]
    for column, edge in right.items():
        own = starts.get(column)
        if not own:
            continue
        if any(x >= edge for x in own):
            return False        # a header word right of the figures it would head
        if any(min(own) < x < edge for x in blank_starts):
            return False        # a blank column's header between this one's and its figures
    return True


def page_parts(lines: list[Line], is_body: Callable[[Line], bool]) -> list[list[Line]]:
    """*lines* cut where a page starts with a header of its own (a line before its first body
    line): one part for a table on one page, and a page going on with rows only stays in the part
    above (its figures are placed under that part's header, and :func:`headed_figures` checks that
    they stand under its columns)."""
    parts: list[list[Line]] = []
    for at, line in enumerate(lines):
        if parts and parts[-1][-1].page != line.page and not is_body(line) and line.words:
            following = next((l for l in lines[at:] if is_body(l) or l.page != line.page), None)
            if following is not None and following.page == line.page:
                parts.append([])
        if not parts:
            parts.append([])
        parts[-1].append(line)
    return parts


def headed_figures(grid: Grid, is_figure: Callable[[str], bool]) -> bool:
    """Whether the figures of *grid*'s pages that do not print its header stand where the header's
    page puts them: -layout lays out each page on its own, so a page going on without the header
    may stand its figures elsewhere -- in a column of their own, under a header whose column the
    first page leaves blank.  Such a page is trusted where it lays out as the header's page: every
    column both fill ends where it ends there, within a character or two (right-aligned figures
    end where their column ends).  A column only that page fills (its rows all 项目支出 where the first page's were all
    基本支出) is then where the header puts it.  A header standing alone at the foot of its page
    has no figures of its own to compare: its grid's columns were placed by the figures already
    (:func:`headers_fit_figures`).  Review 27: requiring every column to be filled on the header's
    page too listed tables the base read right."""
    if not grid.rows or not grid.header_lines:
        return not grid.rows
    page = grid.header_lines[-1].page
    index = _ColumnIndex(grid.columns)
    edges: dict[object, dict[int, set[float]]] = {}   # page -> column -> where its figures end
    for row in grid.rows:
        for at, word in enumerate(row.line.words):
            column = index.column_of(word)
            if column is not None and at and is_figure(word.text):
                edges.setdefault(row.line.page, {}).setdefault(column.index, set()).add(word.x1)
    headed = edges.get(page)
    if headed is None:
        return True
    for other, columns in edges.items():
        if other == page or columns.keys() <= headed.keys():
            continue   # (no column of its own: placed as the header's page places them, as before)
        shared = columns.keys() & headed.keys()
        if not shared or any(not min(headed[c]) - _SLACK <= x <= max(headed[c]) + _SLACK
                             for c in shared for x in columns[c]):
            return False
    return True


_SLACK = 2   # characters: -layout rounds a right-aligned figure's end to a character, one or two off


def aligned_pages(lines: list[Line], is_body: Callable[[Line], bool],
                  is_figure: Callable[[str], bool], first_filled: bool = False,
                  is_mark: Callable[[str], bool] | None = None) -> list[Line]:
    """*lines* (a table's part: its header, then rows over one or more pages) with the figures of
    each page going on without the header moved to where the header's page stands them, where
    that page lays the figure columns out whole elsewhere: -layout gives each page its own left
    margin and column widths, so a continued page's right-aligned columns may all end some
    characters left or right of the header page's.  A page filling as many figure columns as the
    header's page is moved by the one shift that puts every end of its figures on an end of the
    header page's figures (within _SLACK); where no shift, or more than one, does it -- or the page
    fills fewer columns (which of them would be a guess) -- it stays as it is
    (:func:`headed_figures` then decides).  Only the words *is_figure* takes move, never the first
    of a line: figures, and where codes print in pieces (a 决算's 款 and 项, "03", which a number
    pattern takes too) those pieces, which -layout shifts with the page's margin as well; the
    names stand in columns wide enough to hold them anyway.

    *first_filled*: the caller knows that every row printing a figure prints one in the first
    figure column (a 决算's 本年支出合计, the row's total, left of its parts).  A page filling fewer
    columns is then no guess: its first column is the header page's first, and it is moved by
    the shift putting it there, where every other column of the page then ends on one of the
    header page's (within _SLACK).

    *is_mark*: what a cell prints for nothing ("-", "—").  A page at another scale (-layout gives
    each page its own character width: the gaps between columns narrower, so no one shift fits)
    is read by rank where every cell is printed -- a table marking its blank cells, on both pages:
    when each row of the header's page and of this page prints the same number of cells, figures
    and marks alike (every line ranked, the page's own columns lined up), the page's k-th cell of
    a row is moved to where the header page ends its k-th cells of that kind -- the order of a
    table's columns being the same on every page.  (Rows leaving cells empty could fill other
    columns than the header page's rows do: no page printing no mark is read by rank.)
    A column printing a kind of cell on this page that the header's page never prints there, or
    cells of a rank not lined up on either page, leaves the page as it is."""
    ends: dict[object, list[float]] = {}      # page -> where its figures end, in order of the page
    for line in lines:
        if is_body(line):
            ends.setdefault(line.page, []).extend(w.x1 for at, w in enumerate(line.words) if at and is_figure(w.text))
    if len(ends) < 2:
        return lines
    pages = list(ends)
    headed = _column_ends(ends[pages[0]])
    ranked: dict[object, dict] = {}     # page -> (rank, kind) -> where the header's page ends such cells
    cells = _ranked_cells(lines, is_body, is_figure, is_mark) if is_mark is not None else None
    if cells is not None and pages[0] in cells:
        for page in pages[1:]:
            ends_at = _rank_ends(cells[pages[0]], cells[page]) if page in cells else None
            if ends_at is not None:
                ranked[page] = ends_at
    shifts: dict[object, float] = {}
    for page in pages[1:]:
        if page in ranked:
            continue
        own = _column_ends(ends[page])
        if all(any(abs(x - e) <= _SLACK for e in headed) for x in own):
            continue    # (where the header's page stands them already)
        if first_filled and len(own) < len(headed):
            shift = headed[0] - own[0]
            if all(any(abs(x + shift - e) <= _SLACK for e in headed) for x in ends[page]):
                shifts[page] = shift
            continue
        if len(own) != len(headed):
            continue    # (a page filling fewer columns could fit more than one way: a guess)
        fitting = sorted({e - x for e in headed for x in own
                          if all(any(abs(y + e - x - f) <= _SLACK for f in headed) for y in own)})
        if fitting and fitting[-1] - fitting[0] <= _SLACK:
            shifts[page] = fitting[len(fitting) // 2]
    if not shifts and not ranked:
        return lines
    moved = []
    for line in lines:
        if line.page in shifts and is_body(line):
            line = _shifted(line, shifts[line.page], is_figure)
        elif line.page in ranked and is_body(line):
            line = _to_rank_ends(line, ranked[line.page], is_figure, is_mark)
        moved.append(line)
    return moved


def _value_words(line: Line, is_figure, is_mark) -> list[tuple[int, Word]]:
    """(index, word) of a line's cells that print a figure or a blank mark (never its first word)."""
    return [(at, w) for at, w in enumerate(line.words) if at and (is_figure(w.text) or is_mark(w.text))]


def _ranked_cells(lines: list[Line], is_body, is_figure, is_mark) -> dict | None:
    """page -> (cells a row, {(rank, kind): where such cells end}) for the pages whose rows print
    one number of cells each (rows printing none aside: a wrapped name), None for the others."""
    found: dict[object, tuple | None] = {}
    for line in lines:
        if not is_body(line):
            continue
        values = _value_words(line, is_figure, is_mark)
        if not values:
            continue
        page = found.setdefault(line.page, (len(values), {}))
        if page is None or page[0] != len(values):
            found[line.page] = None
            continue
        for rank, (_, word) in enumerate(values):
            page[1].setdefault((rank, bool(is_figure(word.text))), []).append(word.x1)
    for page, cells in list(found.items()):
        if cells is not None and any(max(ends) - min(ends) > _SLACK for ends in cells[1].values()):
            found[page] = None     # (a rank not lined up on its page: not a grid read by rank)
    # A page printing no mark may leave cells empty: its rows' cells could stand in other columns
    # than the header page's (every row filling two of five: which two is a guess).
    return {page: cells for page, cells in found.items()
            if cells is not None and cells[0] >= 2 and any(not figure for _, figure in cells[1])} or None


def _rank_ends(header_page: tuple, page: tuple) -> dict | None:
    """(rank, kind) -> where the header's page ends such cells, for every (rank, kind) *page*
    prints; None unless both print as many cells a row and the header's page prints each."""
    if header_page[0] != page[0] or not set(page[1]) <= set(header_page[1]):
        return None
    return {key: max(header_page[1][key]) for key in page[1]}


def _to_rank_ends(line: Line, ends_at: dict, is_figure, is_mark) -> Line:
    words = list(line.words)
    for rank, (at, word) in enumerate(_value_words(line, is_figure, is_mark)):
        end = ends_at[(rank, bool(is_figure(word.text)))]
        words[at] = Word(word.text, end - (word.x1 - word.x0), end, word.start, word.end)
    return Line(line.number, line.original, page=line.page, words=words, text=line.text)


def reheaded(part: list[Line], reference: Grid, is_body: Callable[[Line], bool],
             is_figure: Callable[[str], bool]) -> list[Line] | None:
    """*part* (a page repeating the table's header, then its rows) as *reference*'s header lines
    (the table's first page, read) followed by the part's rows, their figures moved by the one
    shift that puts the part's header words on the reference's: -layout lays each page out on its
    own, and a page of a row or two makes no grid of its own (its short names leave the header's
    name words standing alone), though its header says where its columns are.  The shift is read
    from the header words over the reference's figure columns -- every one of them found in the
    part's, those printed once in both headers (at least two) all at one shift (within _SLACK); the names
    and codes stay (their columns are wide).  None where the shift is not so found, or a line of
    the part's header prints a figure; the caller then checks the grid as any other."""
    first_body = next((at for at, line in enumerate(part) if is_body(line)), None)
    if first_body is None or not reference.header_lines:
        return None
    head = part[:first_body]
    if any(is_figure(word.text) for line in head for word in line.words):
        return None
    index = _ColumnIndex(reference.columns)
    figured = {column.index for row in reference.rows for at, word in enumerate(row.line.words)
               if at and is_figure(word.text) and (column := index.column_of(word)) is not None}
    theirs: dict[str, list[float]] = {}       # header word over a figure column -> where it starts
    for line in reference.header_lines:
        for word in line.words:
            column = index.column_of(word)
            if column is not None and column.index in figured:
                theirs.setdefault(word.text, []).append(word.x0)
    ours: dict[str, list[float]] = {}
    for line in head:
        for word in line.words:
            ours.setdefault(word.text, []).append(word.x0)
    printed = Counter(word.text for line in reference.header_lines for word in line.words)
    once = [text for text, starts in theirs.items() if len(starts) == 1]
    if any(text not in ours for text in once):
        return None    # (a header word over the figures that the part's header lacks: another header)
    # A word printed again elsewhere in either header (the corner's 项目 and a wrapped "项目 / 支出")
    # says nothing of where its column went.
    once = [text for text in once if printed[text] == 1 and len(ours[text]) == 1]
    if len(once) < 2:
        return None
    shifts = sorted(theirs[text][0] - ours[text][0] for text in once)
    if shifts[-1] - shifts[0] > _SLACK:
        return None
    shift = shifts[len(shifts) // 2]
    return list(reference.header_lines) + [_shifted(line, shift, is_figure) if is_body(line) else line
                                           for line in part[first_body:]]


def _column_ends(ends: list[float]) -> list[float]:
    """The ends of a page's figure columns: its figures' ends, those within _SLACK of the one
    before taken as one column (the rightmost end each)."""
    columns: list[float] = []
    for x in sorted(ends):
        if columns and x - columns[-1] <= _SLACK:
            columns[-1] = x
        else:
            columns.append(x)
    return columns


def _shifted(line: Line, shift: float, is_figure: Callable[[str], bool]) -> Line:
    words = [Word(w.text, w.x0 + shift, w.x1 + shift, w.start, w.end) if at and is_figure(w.text) else w
             for at, w in enumerate(line.words)]
    return Line(line.number, line.original, page=line.page, words=words, text=line.text)


def joined(grids: list[Grid]) -> Grid:
    """One grid of the parts of a table continued over pages, each read under its own header: the
    first part's columns and header, every part's rows and loose lines in order (a reader checks
    first that the parts' columns mean the same)."""
    first = grids[0]
    rows = [row for grid in grids for row in grid.rows]
    loose = [line for grid in grids for line in grid.loose]
    return Grid(first.columns, first.header_lines, rows, [line for grid in grids for line in grid.repeated],
                loose, first.unit)

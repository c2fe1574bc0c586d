"""A table's columns from where its words stand: the vertical rules a PDF draws, else the runs of x
the body's words cover, and the header words standing over no run -- each heading the run it
belongs to or naming a column blank in every row (:func:`column_extents`, used by
:func:`.tables.read_grid`).

Header words are taken line by line from the bottom: a word over a run heads it; a group title
(centred over words of lower lines, between the header words beside it) heads none; a word over
no run heads the nearest run no nearer word claims, or -- in text aligned by character offsets
whose figures stand right-aligned (``right_aligned``) -- the first run ending right of where it
starts (but a word nearest a run of codes or names, which stand left-aligned, heads that run); the rest of a cell wrapped from a line above makes no column; a leaf touching a run of
names that only upper words stand over claims it.  A hostile line of hundreds of such words makes
each a column of its own (linear work, review 22 A4 and session 30).
"""

from __future__ import annotations

import re

from bisect import bisect_left, bisect_right

from .model import Document, Line, Word

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Callable, Sequence

__all__ = ["column_extents", "rule_boundaries", "centred_span"]

# Words closer than this (points, or display columns for text) belong to one column run.
_TOUCH_PDF = 2.0
_TOUCH_TEXT = 0.0
# Header words of one line standing over no column, beyond which each is a column of its own.
_MANY_FREE = 200
# Vertical rules closer than this are one boundary.
_SAME_RULE = 3.0


def rule_boundaries(doc: Document, lines: Sequence[Line]) -> list[float]:
    """x of the vertical rules that cross the given lines (PDF pages that draw them)."""
    if not lines or lines[0].boxes is None:
        return []
    if len(lines) == 1:
        found = doc.rules_crossing(lines[0])
    else:
        found = sorted({x for line in lines for x in doc.rules_crossing(line)})
    merged: list[float] = []
    for x in found:
        if merged and x - merged[-1] <= _SAME_RULE:
            continue
        merged.append(x)
    return merged


def column_extents(doc: Document, header: Sequence[Line], body: Sequence[Line],
                   right_aligned: Callable[[str], bool] | None = None) -> list[tuple[float, float]]:
    """Each column's extent (x0, x1), left to right (see the module doc)."""
    first_page = [l for l in body if l.page == body[0].page] if body else []
    boundaries = rule_boundaries(doc, first_page)
    if len(boundaries) >= 2:
        return list(zip(boundaries, boundaries[1:]))
    touch = _TOUCH_PDF if (body or header) and (body or header)[0].boxes is not None else _TOUCH_TEXT
    if right_aligned is None:
        spans = sorted((w.x0, w.x1) for line in body for w in line.words)
    else:
        spans = sorted((w.x1 - 1 if at and right_aligned(w.text) else w.x0, w.x1)
                       for line in body for at, w in enumerate(line.words))
    runs: list[list[float]] = []
    for x0, x1 in spans:
        if runs and x0 <= runs[-1][1] + touch:
            runs[-1][1] = max(runs[-1][1], x1)
        else:
            runs.append([x0, x1])
    if right_aligned is not None:
        _widened_to_figures(runs, body, right_aligned)
    # A header word over no run heads the nearest run when no other header word of its line
    # is nearer to that run (figures are right-aligned under centred headers); otherwise it
    # names a column that is blank in every body row. Lines are taken bottom up, and a run is
    # taken by the header words over it except group titles (centred over words of lower lines):
    # "“三公”经费预算数", centred over six columns, stands over one of its runs by chance and must
    # not keep that column's own leaf ("公务接待费", a line lower) from it.
    # In text (a run of names only upper words stand over may be claimed by a leaf touching it)
    beside_names = touch == _TOUCH_TEXT and right_aligned is None
    for depth in range(len(header) - 1, -1, -1):
        line = header[depth]
        free = [w for w, hit in zip(line.words, _hits([(w.x0, w.x1) for w in line.words], runs)) if not hit]
        if not free:
            continue
        if len(free) > _MANY_FREE:
            # (no table prints hundreds of columns blank in every row: a hostile line's words are
            # each a column of their own, not each compared with every run and every other word)
            runs.extend([w.x0, w.x1] for w in free)
            runs.sort()
            continue
        above: list[Word] = []      # the words of upper lines that are no group title
        for upper in range(depth):
            below = sorted((v for lower in header[upper + 1:] for v in lower.words), key=lambda v: v.x0)
            starts = [v.x0 for v in below]
            words = header[upper].words
            above += [w for at, w in enumerate(words)
                      if not _over_lower_words(w, _between_neighbours(below, starts, words, at))]
        lower_spans = [(w.x0, w.x1) for lower in header[depth:] for w in lower.words]
        claimed = {i for i, hit in enumerate(_hits(runs, lower_spans + [(w.x0, w.x1) for w in above])) if hit}
        # (runs only words of upper lines stand over: a word of this line touching one claims it
        # still -- a leaf beside the texts it heads, "经济分类科目名称" just right of the names' run
        # in -layout text, under the corner's "项目" standing over that run by chance)
        own_level = {i for i, hit in enumerate(_hits(runs, lower_spans)) if hit}
        lower_claimed = {i for i, hit in enumerate(_hits(
            runs, [(w.x0, w.x1) for lower in header[depth + 1:] for w in lower.words])) if hit}
        at_start = [tuple(run) for run in runs] if beside_names else None
        wordy = None    # (the runs of names as they stood at this line, read from the body when asked)
        added = []
        for word in free:
            if _rest_of_cell_above(word, line, header[:depth], runs):
                continue        # "机关运行经费预算 / 数": no column of its own
            if _letter_spaced_piece(word, line, free):
                continue        # "合 计": the cell its other letter heads
            # (of two runs equally near, the one no header word claims: "基本支出" between the
            # 合计 run its neighbour heads and its own run, as pdftotext -layout sets them)
            if right_aligned is not None and (nearest_text := _nearest_text_run(word, runs, body, right_aligned)) \
                    is not None:
                # (a header word nearest a run of codes or names, which stand left-aligned under a
                # centred header: "科目编码" right of its codes' end, "科目名称" right of the names'
                # -- the first run ending right of it would be the next column's; not a header
                # centred over figures: "合计" of a 三公 table, nearest its first figure, which is
                # printed first on its line, keeps heading the first run ending right of it)
                nearest = nearest_text
                heads = word is min((w for w in free if _nearest_run(w, runs) == nearest),
                                    key=lambda w: _distance(w, runs[nearest]))
            elif right_aligned is not None:
                # (figures right-aligned under centred headers, by character offsets: a header word
                # heads the first column ending right of where it starts -- of two starting before
                # that end, the right one; the left one heads a column blank in every row)
                nearest = _first_ending_after(word, runs)
                heads = nearest is not None and word is max(
                    (w for w in free if _first_ending_after(w, runs) == nearest), key=lambda w: w.x0) \
                    and not any(word.x0 <= w.x0 < runs[nearest][1] and not _same_cell(w, word) for w in above)
                # (nor where a word of a line above, no group title, starts between it and that
                # end: "运行费" of a blank column under "机关运行经费预算" heading the figures beyond
                # -- but for the upper pieces of its own cell, "本年 / 支出 / 合计")
            else:
                nearest = min(range(len(runs)), key=lambda i: (_distance(word, runs[i]), i in claimed), default=None)
                heads = nearest is not None and word is min(free, key=lambda w: _distance(w, runs[nearest]))
            span = None if nearest is None else centred_span(
                word.x0, word.x1, [(a, b) for a, b in runs], {}, lower_claimed.__contains__, nearest, nearest)
            if span is not None and not _under_a_leaf_piece(runs, span, header[:depth]):
                continue        # a group title centred over columns lower lines name
            if heads and nearest in claimed:
                heads = beside_names and nearest not in own_level and _distance(word, runs[nearest]) == 0
                if heads:
                    wordy = _wordy_runs(at_start, body) if wordy is None else wordy
                    heads = nearest in wordy
            if heads:
                claimed.add(nearest)
                runs[nearest] = [min(runs[nearest][0], word.x0), max(runs[nearest][1], word.x1)]
            else:
                added.append([word.x0, word.x1])
        runs.extend(added)
        runs.sort()
    return [(a, b) for a, b in runs]


def _widened_to_figures(runs: list[list[float]], body: Sequence[Line], right_aligned: Callable[[str], bool]) -> None:
    """Runs made of where right-aligned figures end (:func:`read_grid`'s *right_aligned*) widened
    left to where their figures start, short of the run before: a column stands where its
    figures do, so that the header words over them head it."""
    starts = [run[0] for run in runs]
    lefts = [run[0] for run in runs]
    for line in body:
        for at, word in enumerate(line.words):
            if at and right_aligned(word.text):
                i = bisect_right(starts, word.x1 - 1) - 1     # (the run holding the word's end)
                if i >= 0:
                    lefts[i] = min(lefts[i], word.x0)
    for i, run in enumerate(runs):
        run[0] = max(lefts[i], runs[i - 1][1] + 1) if i else lefts[i]


def _wordy_runs(runs: list[list[float]], body: Sequence[Line]) -> set[int]:
    """The runs whose body words print no digit (a column of names, not of figures or codes)."""
    starts = [run[0] for run in runs]
    digits: set[int] = set()
    seen: set[int] = set()
    for line in body:
        for word in line.words:
            i = bisect_right(starts, word.x0) - 1
            if i >= 0 and word.x0 < runs[i][1]:
                seen.add(i)
                if any(ch.isdigit() for ch in word.text):
                    digits.add(i)
    return seen - digits


def _under_a_leaf_piece(runs: list[list[float]], span: tuple[int, int], upper: Sequence[Line]) -> bool:
    """Whether a line above prints, within one of the columns *span* covers, a word of that
    column's own header cell: a group title stands over its columns' cells, never under one of
    them -- "经营 / 支出" of a narrow column between "上缴 / 上级 / 支出" and "对附属 / 单位补 /
    助支出" (cells over three lines, in text by character offsets) stood centred between the two,
    as a title over them would, and was taken for one (the 经营支出 column lost)."""
    first, last = span
    inside = runs[first:last + 1]
    return any(sum(1 for a, b in inside if w.x0 < b and a < w.x1) == 1
               and any(a - 1 <= w.x0 and w.x1 <= b + 1 for a, b in inside)
               for line in upper for w in line.words)


def _same_cell(upper: Word, word: Word) -> bool:
    """Whether *upper*, a header word of a line above, is a piece of *word*'s own cell wrapped
    over lines: it starts where the word does, or is centred with it (within 1.5)."""
    return abs(upper.x0 - word.x0) <= 1 or abs((upper.x0 + upper.x1) - (word.x0 + word.x1)) <= 3


def _nearest_text_run(word: Word, runs: list[list[float]], body: Sequence[Line],
                      right_aligned: Callable[[str], bool]) -> int | None:
    """The run nearest *word* when it is a column of codes or names (left-aligned, see
    :func:`_codes_or_names`), else None: the word is then placed as a figure column's header."""
    if not runs:
        return None
    nearest = _nearest_run(word, runs)
    return nearest if _codes_or_names(nearest, runs, body, right_aligned) else None


def _codes_or_names(at: int | None, runs: list[list[float]], body: Sequence[Line],
                    right_aligned: Callable[[str], bool]) -> bool:
    """Whether run *at* is a column of names (words of letters, no digit) or of codes (left-aligned:
    all starting where the first does, as "208" / "20805" / "2080501" do), not of figures or of
    blank cells' marks -- a figure printed first on its line counts as one, though it is not taken
    as right-aligned."""
    if at is None:
        return False
    a, b = runs[at]
    starts = set()
    for line in body:
        for i, w in enumerate(line.words):
            x0, x1 = (w.x1 - 1, w.x1) if i and right_aligned(w.text) else (w.x0, w.x1)
            if x0 > b or x1 < a:
                continue
            if _CODE.fullmatch(w.text):
                starts.add(w.x0)
            elif any(ch.isdigit() for ch in w.text) or not any(ch.isalpha() for ch in w.text):
                return False    # a figure, or a blank cell's mark ("-", "—")
    return len(starts) <= 1


_CODE = re.compile(r"\d{2}|\d{3}(?:\d{2}){0,2}")     # a 类 / 款 / 项 code, or a 款 / 项 piece ("208 05 01")


def _nearest_run(word: Word, runs: list[list[float]]) -> int:
    return min(range(len(runs)), key=lambda i: _distance(word, runs[i]))


def _first_ending_after(word: Word, runs: list[list[float]]) -> int | None:
    return next((i for i, (_, end) in enumerate(runs) if end > word.x0), None)


def _rest_of_cell_above(word: Word, line: Line, upper: Sequence[Line], runs: list[list[float]]) -> bool:
    """Whether a header word over no run is the rest of a header cell wrapped from a line above:
    the nearest line above printing over it holds one word there, heading one run, standing over
    the whole of this word and centred with it (a centred cell wraps centred; within 1.5) -- as
    "机关运行经费预算 / 数" in -layout text, another column's group title printed between the two
    lines, where the lone "数" stood off the figures and made a column blank in every row."""
    for at in range(len(upper) - 1, -1, -1):
        over = [w for w in upper[at].words if w.x0 < word.x1 and word.x0 < w.x1]
        if not over:
            continue
        cell = over[0]
        if len(over) != 1 or not cell.x0 <= word.x0 <= word.x1 <= cell.x1 \
                or abs((cell.x0 + cell.x1) - (word.x0 + word.x1)) > 3 or sum(_hits(runs, [(cell.x0, cell.x1)])) != 1:
            return False
        # (a group title over this word's line: the word is a leaf)
        return not _over_lower_words(cell, [w for lower in [*upper[at + 1:], line] for w in lower.words])
    return False


def _letter_spaced_piece(word: Word, line: Line, free: list[Word]) -> bool:
    """Whether a header word over no run is one letter of a cell printed letter-spaced ("合  计",
    "项  目", centred over right-aligned figures): a single character less than its own width
    from a neighbour on its line that is a single character too and stands over a run. (PDF only:
    in text a letter-spaced cell is one word already, its letters one space apart.)"""
    if line.boxes is None or len(word.text) != 1:
        return False
    width = word.x1 - word.x0
    for other in line.words:
        if other is word or len(other.text) != 1 or any(other is w for w in free):
            continue
        gap = other.x0 - word.x1 if other.x0 >= word.x1 else word.x0 - other.x1
        if 0 <= gap < width:
            return True
    return False


def _hits(spans: Sequence[Sequence[float]], others: Sequence[Sequence[float]]) -> list[bool]:
    """For each span (x0, x1), whether some span of *others* overlaps it (by more than nothing).
    Sorted once and bisected: a header line against the body's columns is no longer a product of
    the two (review 22 A4: hostile lines of thousands of cells)."""
    kept = sorted((x0, x1) for x0, x1 in others if x1 > x0)
    starts = [x0 for x0, _ in kept]
    reach, far = [], float("-inf")
    for _, x1 in kept:
        far = max(far, x1)
        reach.append(far)
    out = []
    for a, b in spans:
        # overlap > 0 <=> x0 < b and x1 > a (and both spans of some width)
        k = bisect_left(starts, b) if b > a else 0
        out.append(k > 0 and reach[k - 1] > a)
    return out


def _between_neighbours(lower: list[Word], starts: list[float], words: list[Word], at: int) -> list[Word]:
    """The words of *lower* standing between the neighbours of ``words[at]`` on its own line: a
    group title heads the columns between the header words beside it, never those under another
    (in -layout text 财政拨款收入 stood by chance centred between 科目编码 at the far left and
    上缴收入 five columns right, both beyond its neighbours, and was taken for their group title)."""
    left = words[at - 1].x1 if at else float("-inf")
    right = words[at + 1].x0 if at + 1 < len(words) else float("inf")
    # (*lower* sorted by where its words start, *starts* those starts: only the words starting
    # between the two neighbours are looked at -- a hostile header line of thousands of words
    # is not a product of two lines)
    return [w for w in lower[bisect_left(starts, left):bisect_right(starts, right)] if w.x1 <= right]


def _over_lower_words(word: Word, lower: list[Word]) -> bool:
    """A header word printed centred over two words of lower header lines, one on each side (a
    group title over its columns' leaves)."""
    centre = (word.x0 + word.x1) / 2
    left = [w for w in lower if w.x1 <= word.x0 + (word.x1 - word.x0) / 2 and (w.x0 + w.x1) / 2 < centre]
    right = sorted((((w.x0 + w.x1) / 2, w) for w in lower if (w.x0 + w.x1) / 2 > centre and w.x0 >= centre),
                   key=lambda pair: pair[0])
    middles = [m for m, _ in right]
    for a in left:
        # Only the right words whose middle mirrors a's about the centre (±3, and a little for the
        # float sums) can match: bisect for them instead of trying every pair.
        mirror = 2 * centre - (a.x0 + a.x1) / 2
        for index in range(bisect_left(middles, mirror - 3.01), bisect_right(middles, mirror + 3.01)):
            b = right[index][1]
            # (centred text lands within a point or two; left-aligned cells would match only by chance)
            if abs((a.x0 + a.x1 + b.x0 + b.x1) / 4 - centre) <= 1.5:
                return True
    return False


def _distance(word: Word, run: list[float]) -> float:
    return max(run[0] - word.x1, word.x0 - run[1], 0.0)


def centred_span(x0: float, x1: float, extents: list[tuple[float, float]],
                  leaves: dict[int, float], allowed: Callable[[int], bool],
                  low: int, high: int) -> tuple[int, int] | None:
    """The widest run first..last (≥ 2 columns, around low..high, every column *allowed*) a
    title printed at x0..x1 is centred over: over the centres of its end columns' leaves, or
    over the outer edges of their extents (columns of different widths)."""
    centre = (x0 + x1) / 2
    best = None
    for first in range(low, -1, -1):
        if not allowed(first):
            break
        for last in range(max(high, first + 1), len(extents)):
            if not allowed(last):
                break
            pitch = (extents[last][1] - extents[first][0]) / (last - first + 1)
            tolerance = max(2.0, pitch / 8)
            centres = [(extents[first][0] + extents[last][1]) / 2]
            if first in leaves and last in leaves:
                centres.append((leaves[first] + leaves[last]) / 2)
            if any(abs(c - centre) <= tolerance for c in centres) and (
                    best is None or last - first > best[1] - best[0]):
                best = (first, last)
    return best

"""A plain-text line's runs of characters as a laid-out page draws them (tests/pdfmaker.py,
tests/ofdmaker.py): each run apart from the next by two spaces or more, at its display column."""

from __future__ import annotations

import unicodedata

__all__ = ["runs_of", "display_width", "paged"]


def display_width(text: str) -> int:
    """Columns *text* takes on screen: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def runs_of(line: str) -> list[tuple[int, str]]:
    """(display column, text) of each run of the line separated by two or more spaces; single
    spaces stay inside a run (a PDF draws them as a gap in the run)."""
    runs, start, column, current, spaces = [], 0, 0, [], 0
    for ch in line:
        if ch == " ":
            spaces += 1
        else:
            if spaces >= 2 and current:
                runs.append((start, "".join(current)))
                current = []
            elif spaces and current:
                current.append(" " * spaces)
            if not current:
                start = column
            current.append(ch)
            spaces = 0
        column += display_width(ch)
    if current:
        runs.append((start, "".join(current)))
    return runs


def paged(text: str, lines_per_page: int) -> list[list[tuple[int, int, str]]]:
    """The lines of *text* that print something (a laid-out page has no blank lines), page by
    page: each (its index among them, its place on its page, the line)."""
    rows = [line for line in text.split("\n") if line.strip()]
    return [[(index, index - start, rows[index]) for index in range(start, min(start + lines_per_page, len(rows)))]
            for start in range(0, len(rows), lines_per_page)]

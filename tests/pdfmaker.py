"""Small PDFs for tests, written with reportlab (a test-only dependency) and its built-in CJK font.

``pdf_bytes(pages)`` places text runs and ruling lines exactly where a test wants them;
``text_to_pdf(text)`` renders a plain-text document line by line (display columns become x
positions, tab cells go to fixed tab stops) so that the PDF path can be compared with the text path.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from pathlib import Path

# The page writer of examples/make_examples.py (the script that makes the example PDF).
_spec = importlib.util.spec_from_file_location(
    "make_examples", Path(__file__).resolve().parent.parent / "examples" / "make_examples.py")
make_examples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_examples)
Writer = make_examples.Writer


def pdf_bytes(pages, *, size=(make_examples.WIDTH, make_examples.HEIGHT), encrypt=None) -> bytes:
    """*pages*: a list of pages of items as :func:`make_examples.render` takes them."""
    return make_examples.render(pages, size, encrypt)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def text_to_pdf(text: str, *, lines_per_page: int = 34, font_size: float = 9.0,
                tab_stop: float = 170.0) -> bytes:
    """Render a text document as a PDF, line by line: each run of non-blank characters at its
    display column, each tab cell at its tab stop; blank lines take no place (a PDF has none)."""
    column = font_size / 2
    pages, items = [], []
    top = 40.0
    for line in text.split("\n"):
        if not line.strip():
            continue
        if len(items) >= lines_per_page:
            pages.append(items)
            items, top = [], 40.0
        if "\t" in line:
            for index, cell in enumerate(line.split("\t")):
                if cell.strip():
                    items.append(("text", 30 + index * tab_stop, top, cell.strip(), font_size))
        else:
            position = 0
            for run in _runs(line):
                offset, word = run
                items.append(("text", 30 + offset * column, top, word, font_size))
                position = offset
        top += font_size * 1.6
    if items:
        pages.append(items)
    return pdf_bytes(pages)


def _runs(line: str):
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
        column += _width(ch)
    if current:
        runs.append((start, "".join(current)))
    return runs

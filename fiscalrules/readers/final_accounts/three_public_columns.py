"""The 三公 table's twelve columns: which role (预算数 / 决算数) and item each is, and where it stands.

The national template prints the six items (合计, 因公出国（境）费, 公务用车购置及运行维护费 with its
小计 / 购置费 / 运行维护费, 公务接待费) as group titles with a 预算数 and a 决算数 column under each,
so the line of figures is six 预算数 / 决算数 pairs.  Other regions print the roles as the group
titles instead: 预算数 once over the six item columns, then 决算数 once over six more -- the same
twelve figures in another order (:func:`column_roles`, from the header's words).

Space-aligned text keeps no trace of a blank cell (a 购置费 of nothing), so a line of fewer than
twelve figures is placed by where each figure stands (:func:`place_figures`): under the header's
numbering line ("1 2 … 12", aligned with the figures when printed), else under the leaf cells of
the header (the twelve 预算数 / 决算数 of the national layout, the item names of the other, a name
wrapped in its merged cell joined: :func:`_stacked_names`).  A
figure under no column, or two under one, leaves the line unplaced: listed, never guessed.
"""

from __future__ import annotations

import re

from ...document.model import Line, Word
from ..common.cells import counts_up, label_joined
from ..common.three_public import ITEMS, item_key

__all__ = ["is_numbering_line", "column_roles", "place_figures"]

# A role word of the header: "预算数", "决算数", "年初预算数", "2024年决算数" (not a title naming 预算)
_ROLE = re.compile(r"(?:\d{4}年度?)?(?:年初|全年)?(预算|决算)数?")


def is_numbering_line(line: Line, least: int = 6) -> bool:
    """The column numbering under a table's header ("1 2 3 … 12", or after "栏次"): its words are
    the numbers from 1 up, each once, in order -- no line of amounts is; at least *least* of them
    (the 三公 table's twelve columns: 6; a line saying "栏次" is one whatever its count)."""
    texts = label_joined([w.text for w in line.words])
    words = [w for w in texts if w != "栏次"]
    return counts_up(words, 1 if len(words) < len(texts) else least)


def _role_words(header: list[Line]) -> list[tuple[str, Word]]:
    return [("budget" if found.group(1) == "预算" else "final", word) for line in header for word in line.words
            if (found := _ROLE.fullmatch(word.text))]


def column_roles(header: list[Line]) -> list[tuple[str, str]] | None:
    """The twelve columns' (role, item) in print order, from the header's role words: twelve, one
    over each column (the national pairs), or one of each over six columns (the roles as group
    titles, items in the national order under each).  None when the header says neither."""
    roles = sorted(_role_words(header), key=lambda found: found[1].x0)
    if len(roles) == 12 and [role for role, _ in roles] in (["budget", "final"] * 6, ["final", "budget"] * 6):
        return [(role, ITEMS[i // 2]) for i, (role, _) in enumerate(roles)]
    if len(roles) == 2 and roles[0][0] != roles[1][0]:
        return [(role, item) for role, _ in roles for item in ITEMS]
    return None


def _stacked_names(header: list[Line]) -> list[tuple[int, Word]]:
    """The header's words (not the role words) with a name printed over two lines of a merged
    cell joined into one ("因公出国" over "（境）费", "公务用车" over "购置费"): a word that names no
    item on its own and is no 小计 continues the nearest word above it in the same cell (overlapping
    it by half the wider of the two: not a group title over several columns), where the two
    together name one.  Each with the index of its (last) line."""
    cells: list[tuple[int, Word]] = []
    for index, line in enumerate(header):
        for word in line.words:
            if _ROLE.fullmatch(word.text):
                continue
            # (in the same cell: overlapping by half the wider word, not a group title over it)
            above = [at for at, (_, upper) in enumerate(cells)
                     if min(upper.x1, word.x1) - max(upper.x0, word.x0)
                     >= max(upper.x1 - upper.x0, word.x1 - word.x0) / 2]
            if above and word.text != "小计" and item_key(word.text) is None:
                at = max(above, key=lambda at: cells[at][0])
                upper = cells[at][1]
                joined = Word(upper.text + word.text, min(upper.x0, word.x0), max(upper.x1, word.x1),
                              word.start, word.end)
                if item_key(joined.text) is not None:
                    cells[at] = (index, joined)
                    continue
            cells.append((index, word))
    return cells


def _item_leaves(header: list[Line]) -> list[Word] | None:
    """The header's item names that head a column (not a group title over lower names: the
    公务用车购置及运行费 over its 小计 / 购置费 / 运行费), left to right; None unless they are the
    six items in the national order twice, 小计 standing for its group's subtotal."""
    named = [(index, word) for index, word in _stacked_names(header)
             if word.text == "小计" or item_key(word.text) is not None]
    leaves = [word for index, word in named
              if not any(lower > index and other.x0 < word.x1 and word.x0 < other.x1 for lower, other in named)]
    leaves.sort(key=lambda word: word.x0)
    keys = ["vehicle" if word.text == "小计" else item_key(word.text) for word in leaves]
    return leaves if keys == list(ITEMS) * 2 else None


def _extents(header: list[Line], numbering: Line | None, roles: list[tuple[str, str]]) -> list[Word] | None:
    """The twelve columns' words whose extents place the figures: the numbering line's, else
    the header's leaf cells (role words over pairs, item names under roles)."""
    if numbering is not None and len(numbering.words) == 12:
        return list(numbering.words)
    role_words = sorted((word for _, word in _role_words(header)), key=lambda word: word.x0)
    if len(role_words) == 12:
        return role_words
    return _item_leaves(header)


def place_figures(header: list[Line], numbering: Line | None, roles: list[tuple[str, str]],
                  figures: list[Word]) -> list[tuple[str, str, Word]] | None:
    """Each figure of a line of fewer than twelve with its (role, item), by the column it stands
    under (the most overlap, some overlap required); None when a figure stands under no column or
    two under one (the line cannot be placed)."""
    columns = _extents(header, numbering, roles)
    if columns is None:
        return None
    placed: dict[int, Word] = {}
    for figure in figures:
        overlaps = [(min(figure.x1, column.x1) - max(figure.x0, column.x0), index)
                    for index, column in enumerate(columns)]
        overlap, index = max(overlaps)
        if overlap <= 0 or index in placed:
            return None
        placed[index] = figure
    return [(*roles[index], figure) for index, figure in sorted(placed.items())]

"""The header of a printed standard table (第二部分) as its column keys: one or two header lines,
a group title over its columns ("因公出国(境)费" over "小计 / 一般公务出国(境)费 / …"), columns
named beside a group on the line above, header lines out of drawn order, and a header cell
wrapped onto the lines around it in text without column positions.  Used by
:mod:`.tables`, which reads the rows under these keys.
"""

from __future__ import annotations

import re

from ..common.columns import column_key

__all__ = ["header_keys", "wrapped_header_keys"]

_HEADER_WORDS = re.compile(r"科目|编码|名称|合计|总计|支出|经费|收入|小计|出国|接待|公务用车|预算数|结转")


def tab_header_paths(rows: list[list[str]]) -> list[list[str]]:
    """Each column's header cells, top to bottom, of tab-separated header rows: a group title spans
    the blank cells to its right that have a cell below them, within the group above it (a blank
    under another group's title is a cell merged downwards: "公务接待费" over the two years under it
    is no part of the 公务用车 group's last title left of it)."""
    width = max((len(r) for r in rows), default=0)
    grid = [r + [""] * (width - len(r)) for r in rows]
    for r, row in enumerate(grid[:-1]):
        for i in range(1, width):
            if not row[i] and row[i - 1] and any(below[i] for below in grid[r + 1:]) \
                    and all(above[i] == above[i - 1] for above in grid[:r]):
                row[i] = row[i - 1]
    return [[g[i] for g in grid if g[i]] for i in range(width)]


def header_keys(rows: list[list[str]], tabbed: bool) -> list[str]:
    """Column keys from the header rows: positions for tab tables, token order otherwise."""
    if not rows:
        return []
    if tabbed:
        keys = []
        for i, parts in enumerate(tab_header_paths(rows)):
            leaf = parts[-1] if parts else ""
            key = column_key(leaf, "".join(parts), i) if parts else f"col_{i + 1}"
            if key.startswith("col_") and len(parts) > 1:
                # a header cell wrapped over two lines ("基本" / "支出"): its two halves name it
                wrapped = column_key(parts[-2] + parts[-1], "".join(parts), i)
                key = key if wrapped.startswith("col_") else wrapped
            keys.append(key)
        return keys
    lower = rows[-1]
    if len(rows) > 1 and "小计" in lower:
        upper = rows[-2]
        groups: list[list[str]] = []
        for token in lower:
            if token == "小计" or not groups:
                groups.append([token])
            else:
                groups[-1].append(token)
        merged: list[tuple[str, str]] = []
        for token in upper:
            # (the group under the title its sub-columns belong to: 购置费 / 运行费 are 公务用车's)
            if re.search(r"出国|公务用车", token) and groups and groups[0][0] == "小计" and not any(
                    column_key(leaf, token + leaf, 0).startswith("col_") for leaf in groups[0][1:]):
                merged.extend((leaf, token + leaf) for leaf in groups.pop(0))
            else:
                merged.append((token, token))
        keys = [column_key(leaf, full, i) for i, (leaf, full) in enumerate(merged)]
        after = _beside_the_group(rows[:-2], keys)
        if after is not None:
            # "“三公”经费预算数 | 机关运行经费预算数" over the lines below: the columns the top line
            # names after the group's title stand after the group's columns
            return keys + after
        if any(_unnamed_columns(r, keys) for r in rows[:-2]):
            # A column named on a header line above these two is none of theirs: the lines are not
            # in the order the cells stand (text extracted from a PDF drawn cell by cell: "数 合计
            # 因公出国(境)费 公务接待费" / "公务用车购置及运行费" / "小计 购置费 运行费").  Every column
            # the header names, in print order: a row is placed only when it fills them all.
            return [column_key(t, t, i) for i, t in enumerate(t for r in rows for t in r)]
        return keys
    best = max(rows, key=lambda r: sum(1 for t in r if _HEADER_WORDS.search(t)))
    return [column_key(t, t, i) for i, t in enumerate(best)]


def _beside_the_group(rows: list[list[str]], keys: list[str]) -> list[str] | None:
    """The keys of the columns named on the header lines above a group (*rows*) that the group's
    lines do not name, when each such line prints a group title (a word of four or more characters
    naming no column) before them; None when there are none, or a line is not so."""
    after: list[str] = []
    for row in rows:
        missing = _unnamed_columns(row, keys)
        if not missing:
            continue
        titles = [i for i, t in enumerate(row) if not _names_a_column(t) and len(t) >= 4]
        if not titles or min(titles) > missing[0] or len(titles) + len(missing) != len(row):
            return None
        after += [column_key(row[i], row[i], 0) for i in missing]
    return after or None


def _names_a_column(token: str) -> bool:
    return _column_named(column_key(token, token, 0))


def _column_named(key: str) -> bool:
    return not key.startswith("col_") and key not in ("code", "name", "unit_code", "subtotal")


def _unnamed_columns(row: list[str], keys: list[str]) -> list[int]:
    """The places of *row*'s tokens that name a figure column *keys* do not have."""
    found = []
    for i, token in enumerate(row):
        key = column_key(token, token, 0)
        if _column_named(key) and key not in keys:
            found.append(i)
    return found


# The template's column order (收入总表: 合计, 财政拨款…, 事业收入, 事业单位经营收入, 其他收入, …;
# 支出总表: 合计, 基本支出, 项目支出, 上缴上级支出, 对附属单位补助支出, 事业单位经营支出).
_NATIONAL_ORDER = ["total", "basic", "project", "personnel", "public", "remit_superior",
                   "affiliated_subsidy", "appropriation", "general_budget", "gov_fund", "state_capital",
                   "education_fees", "business", "operating", "affiliated", "superior_subsidy", "other",
                   "non_appropriation_balance", "carryover"]
_HEADER_FRAME = re.compile(r"^(?:项目|类|款|项|科目|.*编码|.*名称)$")


def wrapped_header_keys(keys: list[str], rows: list[list[str]], widest: int) -> list[str]:
    """Text without column positions, whose header line names fewer figure columns than the
    rows print: a header cell wrapped onto the lines above and below ("事业单位 / 经营收入") left
    its halves there. Joined, they name the missing columns; each goes where the template's
    column order puts it. When the halves do not name exactly the missing columns, or the
    named ones are not in the template's order, the keys stay as they are (the rows are then
    listed as not understood, never read into the wrong column)."""
    figures = [k for k in keys if k not in ("code", "name", "unit_code")]
    missing = widest - len(figures)
    if missing <= 0 or any(k not in _NATIONAL_ORDER for k in figures):
        return keys
    order = [_NATIONAL_ORDER.index(k) for k in figures]
    if order != sorted(order) or not rows:  # no header lines around it: nothing to join
        return keys
    best = max(rows, key=lambda r: sum(1 for t in r if _HEADER_WORDS.search(t)))
    leftovers = [t for r in rows if r is not best for t in r if not _HEADER_FRAME.match(t)]
    found: list[str] = []
    i = 0
    while i < len(leftovers):
        for span in (2, 1):         # a cell's two halves first, then a cell on its own
            piece = "".join(leftovers[i:i + span])
            key = column_key(piece, piece, 0) if len(leftovers[i:i + span]) == span else ""
            if key in _NATIONAL_ORDER and key not in keys and key not in found:
                found.append(key)
                i += span
                break
        else:
            i += 1
    if len(found) != missing:
        return keys
    out = list(keys)
    for key in found:
        rank = _NATIONAL_ORDER.index(key)
        at = next((n for n, k in enumerate(out) if k in _NATIONAL_ORDER and _NATIONAL_ORDER.index(k) > rank),
                  len(out))
        out.insert(at, key)
    return out

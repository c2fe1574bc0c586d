"""Fictional 决算 PDFs for the table-layout tests: the team's example 决算
(examples/make_final_accounts.py) made again with its four planted errors removed, then with one
layout changed the way other regions' 决算 print it (a title, a column set, a unit, a 行次 column).

``build(titles=…, lines=…, paragraphs=…, table=…)`` returns the PDF bytes:
- *titles* / *lines* / *paragraphs*: ``[(regex, replacement)]`` applied to every title / line /
  paragraph of the document (each replacement must take place: a test of a wording not printed
  tests nothing);
- *table*: ``hook(title, header, widths, rows, options)`` returning a new ``(header, widths, rows,
  options)`` for the table printed under *title* (or None to keep it).
The helpers below are the hooks the tests share.
"""

from __future__ import annotations

import re
import sys
from decimal import Decimal
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _modules():
    sys.path.insert(0, str(EXAMPLES))
    try:
        import make_examples
        import make_final_accounts
    finally:
        sys.path.remove(str(EXAMPLES))
    return make_examples, make_final_accounts


def _cents(text: str) -> int:
    return int(Decimal(text.replace(",", "")) * 100) if text else 0


def _clean(title: str, rows: list[list[str]]) -> list[list[str]]:
    """The example's planted table errors put right (群众文化's 合计, the 三公 决算数 合计)."""
    _, fa = _modules()
    if title == "支出决算表":
        return [[fa.wan(_cents(r[3]) + _cents(r[4])) if r[0] == "2070109" and i == 2 else c
                 for i, c in enumerate(r)] for r in rows]
    if "三公" in title and rows and len(rows[0]) == 12:
        return [[fa.wan(sum(_cents(rows[0][k]) for k in (3, 7, 9, 11))) if i == 1 else c
                 for i, c in enumerate(rows[0])]] + rows[1:]
    return rows


def build(*, titles=(), lines=(), paragraphs=(), table=None) -> bytes:
    make_examples, fa = _modules()
    writer = make_examples.Writer
    original = {name: getattr(writer, name) for name in ("title", "line", "paragraph", "table")}
    current = {"title": "", "original": ""}
    taken = [0] * len(paragraphs)

    def rewrite(text, rules):
        for pattern, replacement in rules:
            text = re.sub(pattern, replacement, text)
        return text

    def title(self, text, size=16.0):
        current["original"] = text
        text = rewrite(text, titles)
        current["title"] = text
        return original["title"](self, text, size)

    def line(self, text, size=10.5, indent=0.0):
        text = rewrite(text.replace("%。。", "%。"), lines)
        return original["line"](self, text, size, indent)

    def paragraph(self, text, size=10.5):
        # the planted completion rate (95.63 for 96.53) and the doubled full stop
        text = text.replace("完成年初预算的95.63%", "完成年初预算的96.53%").replace("%。。", "%。")
        for i, (pattern, replacement) in enumerate(paragraphs):
            new = re.sub(pattern, replacement, text)
            taken[i] += new != text
            text = new
        return original["paragraph"](self, text, size)

    def table_(self, header, widths, rows, **options):
        rows = _clean(current["original"], rows)
        if table is not None:
            changed = table(current["title"], header, widths, rows, options)
            if changed is not None:
                header, widths, rows, options = changed
        return original["table"](self, header, widths, rows, **options)

    writer.title, writer.line, writer.paragraph, writer.table = title, line, paragraph, table_
    try:
        pdf = fa.build_final_accounts()
    finally:
        for name, method in original.items():
            setattr(writer, name, method)
    assert all(taken), f"paragraph rewordings not printed: {[p for p, n in zip(paragraphs, taken) if not n]}"
    return pdf


def wan(cents: int) -> str:
    return _modules()[1].wan(cents)


def pct(part: int, whole: int) -> str:
    return _modules()[1].pct(part, whole)


def planned() -> dict[str, int]:
    """The 年初预算 of each 类/款/项 (and 合计), in cents, from the example's items."""
    _, fa = _modules()
    plan: dict[str, int] = {}
    for code, _, _, _, _, amount in fa.FA_ITEMS:
        for key in (code[:3], code[:5], code):
            plan[key] = plan.get(key, 0) + amount
    plan["合计"] = sum(item[5] for item in fa.FA_ITEMS)
    return plan


def scaled(factor: int, places: int):
    """A table hook printing every figure in another unit (×*factor*, *places* decimals)."""
    def hook(title, header, widths, rows, options):
        def convert(cell):
            if not re.match(r"^-?[\d,]+\.\d{2}$", cell):
                return cell
            return f"{Decimal(cell.replace(',', '')) * factor:,.{places}f}"
        return header, [w * 1.15 for w in widths], [[convert(c) for c in r] for r in rows], options
    return hook

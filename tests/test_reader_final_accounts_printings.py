"""The 决算's coded tables printed as other publishers print the national template (session 24), on
fictional PDFs: the team's example 决算 without its planted errors (tests/final_accounts_variants.py),
one printing changed -- a table continued over pages (its header repeated or not), drawn without
rules, 类 | 款 | 项 in columns of their own (each row printing all its pieces, or only its own), a 款
or 项 printed as its own two digits in the code column ("01" under "207"), last year's column after
this year's.

Each correct twin must read as the plain document does (the same rows, every figure read, nothing
silent, no finding); each bad twin -- 行政运行's 合计 in the 一般公共预算财政拨款支出决算表 printed
621.00 for 612.00 -- must report exactly what the plain document's bad twin reports.
"""

from __future__ import annotations

import re

import pytest

import fiscalrules
from fiscalrules.readers import read_document

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")

import final_accounts_variants as fav  # noqa: E402  (tests/ is on the path under pytest)

CODED = ("支出决算表", "收入决算表", "一般公共预算财政拨款支出决算表")
GB = "一般公共预算财政拨款支出决算表"


def _planted(title, rows, bad):
    """The bad twin's slip: 2070101's 合计 in the 一般公共预算财政拨款支出决算表."""
    if not bad or title != GB:
        return rows
    return [["621.00" if r[0] == "2070101" and i == 2 else c for i, c in enumerate(r)] for r in rows]


def _options(**changes):
    def hook(title, header, widths, rows, options):
        if re.sub(r"（[^）]*）$", "", title) not in CODED:
            return None
        return header, widths, rows, dict(options, **changes)
    return hook


def _code_columns(own_level: bool):
    """类 | 款 | 项 in columns of their own under 功能分类科目编码; *own_level*: a row prints only its
    own level's piece ("01" under 款 for 20701)."""
    def hook(title, header, widths, rows, options):
        if title != GB:
            return None
        body = []
        for r in rows:
            code = r[0]
            if code == "合计":
                pieces = ["合计", "", ""]
            else:
                pieces = [code[:3], code[3:5], code[5:7]]
                if own_level and len(code) > 3:
                    pieces = ["", "", ""]
                    pieces[len(code) // 2 - 1] = code[-2:]
            body.append([*pieces, *r[1:]])
        header = [("项目", 0, 3, 0, 0), ("功能分类科目编码", 0, 2, 1, 1), ("类", 0, 0, 2, 2), ("款", 1, 1, 2, 2),
                  ("项", 2, 2, 2, 2), ("科目名称", 3, 3, 1, 2), ("合计", 4, 4, 0, 2), ("基本支出", 5, 5, 0, 2),
                  ("项目支出", 6, 6, 0, 2)]
        return header, [40, 40, 40, 220, 100, 100, 100], body, dict(options, align=["l"] * 4 + ["r"] * 3)
    return hook


def _short_codes(items_too: bool):
    """A 款 (and, *items_too*, a 项) printed as its own two digits in the one code column."""
    def hook(title, header, widths, rows, options):
        if re.sub(r"（[^）]*）$", "", title) not in CODED:
            return None
        cut = {5: 3, 7: 5 if items_too else 0}
        return header, widths, [[r[0][cut.get(len(r[0]), 0):], *r[1:]] for r in rows], options
    return hook


def _prior_after(title, header, widths, rows, options):
    """"2024年决算数" (合计 | 基本支出 | 项目支出), then "2023年决算数"."""
    if title != GB:
        return None
    body = [[*r, fav.wan(fav._cents(r[2]) * 95 // 100) if r[2] else ""] for r in rows]
    header = [("项目", 0, 1, 0, 0), ("功能分类\n科目编码", 0, 0, 1, 2), ("科目名称", 1, 1, 1, 2),
              ("2024年决算数", 2, 4, 0, 0), ("合计", 2, 2, 1, 2), ("基本支出", 3, 3, 1, 2), ("项目支出", 4, 4, 1, 2),
              ("2023年决算数", 5, 5, 0, 2)]
    return header, [80, 240, 100, 100, 100, 100], body, dict(options, align=["l", "l", "r", "r", "r", "r"])


PRINTINGS = {
    "plain": None,
    "continued-header-repeated": _options(rows_per_page=3),
    "continued-header-not-repeated": _options(rows_per_page=3, repeat_header=False),
    "unruled": _options(ruled=False),
    "unruled-continued": _options(ruled=False, rows_per_page=3),
    "code-columns": _code_columns(False),
    "code-columns-own-level": _code_columns(True),
    "kuan-short": _short_codes(False),
    "kuan-and-xiang-short": _short_codes(True),
    "prior-year-after": _prior_after,
}
_cache: dict = {}


def _read(name: str, bad: bool):
    if (name, bad) not in _cache:
        printing = PRINTINGS[name]

        def hook(title, header, widths, rows, options):
            rows = _planted(title, rows, bad)
            changed = printing(title, header, widths, rows, options) if printing else None
            return changed or (header, widths, rows, options)
        record = read_document(fav.build(table=hook), name=f"{name}{'_bad' if bad else ''}.pdf")
        report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
        failing = {f.rule + (f"[{f.item}]" if getattr(f, "item", None) else "")
                   for f in report.findings if f.status == "fail"}
        _cache[name, bad] = record, failing
    return _cache[name, bad]


def _rows(record) -> dict:
    return {key: [(r["code"], {k: v["value"] for k, v in r.items() if isinstance(v, dict) and k != "prior_year"})
                  for r in table["rows"]]
            for key, table in record["tables"].items() if isinstance(table, dict) and "rows" in table}


@pytest.mark.parametrize("name", list(PRINTINGS))
def test_a_printing_reads_as_the_plain_document(name):
    record, failing = _read(name, False)
    plain, _ = _read("plain", False)
    assert failing == set()
    assert _rows(record) == _rows(plain)
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"]["read"] == coverage["figures"]["printed"]
    assert coverage["lines"]["silent"] == 0 and coverage["lines"]["unread"] == 0


@pytest.mark.parametrize("name", list(PRINTINGS))
def test_a_printings_planted_slip_is_reported_as_the_plain_documents(name):
    _, failing = _read(name, True)
    _, plain = _read("plain", True)
    assert plain and failing == plain

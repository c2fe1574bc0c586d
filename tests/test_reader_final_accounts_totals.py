"""The 决算's total lines as publishers spell them (session 25): "收入决算合计" for 本年收入合计,
"年末结转结余" for 年末结转和结余, … -- in the two 总表s, the coded tables' headers and the 情况说明's
sentences -- read through the template's one vocabulary (readers/final_accounts/vocabulary.py).

On fictional PDFs (tests/final_accounts_variants.py: the team's example 决算 without its planted
errors): each correct twin reads as the plain document (the same totals, every figure read, nothing
unread or silent, no finding); each bad twin -- the 收入支出决算总表's 年初结转和结余 printed 18.00 for
8.00 -- reports what the plain document's bad twin reports.  The old reader left these lines silent
and its 财政拨款 总表's 总计 checked against a missing 本年支出合计 (a false BAL-022).

A spelling the template does not have ("本期收入总额", "期初结余") is listed as unread, never silent,
and the 总计 of its side is listed too, not checked against a sum missing a part.
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document

pytest.importorskip("reportlab", reason="reportlab (test extra) is needed to make PDFs")

import final_accounts_variants as fav  # noqa: E402  (tests/ is on the path under pytest)

SUMMARY = "收入支出决算总表"
# (本年收入合计, 本年支出合计, 年初结转和结余, 年末结转和结余) as other publishers print them
SPELLINGS = {
    "plain": None,
    "决算合计": ("收入决算合计", "支出决算合计", "年初结转结余", "年末结转结余"),
    "本年决算合计": ("本年收入决算合计", "本年支出决算合计", "年初结转及结余", "年末结转及结余"),
    "合计": ("收入合计", "支出合计", "年初结转与结余", "年末结转和结余"),
    "本年度": ("本年度收入合计", "本年度支出合计", "年初结转和结余", "年末结转和结余"),
}
_TEMPLATE = ("本年收入合计", "本年支出合计", "年初结转和结余", "年末结转和结余")
_cache: dict = {}


def _spell(cell, words):
    if isinstance(cell, tuple):
        return (_spell(cell[0], words),) + cell[1:]
    if not isinstance(cell, str):
        return cell
    for old, new in zip(_TEMPLATE, words):
        cell = cell.replace(old, new)
    return cell


def _read(name: str, bad: bool = False, words=None):
    words = words or SPELLINGS[name]
    key = (name, bad, words)
    if key not in _cache:
        def hook(title, header, widths, rows, options):
            if bad and title.endswith(SUMMARY) and not title.startswith("财政拨款"):
                rows = [["18.00" if c == "8.00" and r[0] in ("年初结转和结余", (words or _TEMPLATE)[2]) else c for c in r]
                        for r in rows]
            if words:
                header = [_spell(c, words) for c in header]
                rows = [[_spell(c, words) for c in r] for r in rows]
            return header, widths, rows, options
        paragraphs = []
        if words:
            # the 情况说明's "本年收入合计 X 万元，其中：…", "本年支出合计 …", "占本年支出合计的 S%"
            paragraphs = [(r"本年收入合计(?=\d)", words[0]), (r"本年支出合计(?=\d)", words[1]),
                          (r"占本年支出合计的", f"占{words[1]}的")]
        record = read_document(fav.build(table=hook, lines=list(zip(_TEMPLATE, words or _TEMPLATE)),
                                         paragraphs=paragraphs),
                               name=f"{name}{'_bad' if bad else ''}.pdf")
        report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
        _cache[key] = record, {f.rule for f in report.findings if f.status == "fail"}
    return _cache[key]


def _totals(record) -> dict:
    out = {}
    for table in ("summary", "appropriation_summary"):
        for key, value in record["tables"][table].items():
            if isinstance(value, dict) and "value" in value:
                out[f"{table}.{key}"] = value["value"]
            elif isinstance(value, dict):
                out.update({f"{table}.{key}.{k}": v["value"] for k, v in value.items() if isinstance(v, dict)})
    for path in ("income.total", "expenditure.total", "general_budget.total", "general_budget.share"):
        head, tail = path.split(".")
        out[path] = record[head][tail]["value"]
    return out


@pytest.mark.parametrize("name", [n for n in SPELLINGS if n != "plain"])
def test_a_spelling_of_the_totals_reads_as_the_template(name):
    record, failing = _read(name)
    plain, _ = _read("plain")
    assert failing == set()
    assert _totals(record) == _totals(plain)
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"]["read"] == coverage["figures"]["printed"]
    assert coverage["lines"]["silent"] == 0 and coverage["lines"]["unread"] == 0


@pytest.mark.parametrize("name", [n for n in SPELLINGS if n != "plain"])
def test_a_spellings_planted_slip_is_reported_as_the_templates(name):
    _, failing = _read(name, bad=True)
    _, plain = _read("plain", bad=True)
    assert plain and failing == plain


def test_a_spelling_the_template_does_not_have_is_listed_not_silent():
    words = ("本期收入总额", "本期支出总额", "期初结余", "期末结余")
    record, failing = _read("unknown", words=words)
    assert failing == set()                 # no 总计 checked against a sum missing its part
    coverage = record["_meta"]["coverage"]
    assert coverage["lines"]["silent"] == 0
    reasons = [u["reason"] for u in record["_meta"]["unread"] if u["section"] == SUMMARY]
    for word in words:
        assert any(r.endswith(word) for r in reasons), word
    assert any("总计" in r and "not kept to be checked" in r for r in reasons)
    assert "income_grand_total" not in record["tables"]["summary"]


# 二、/三、 saying the year's total as its 决算 figure: "2024年度收入决算数为 X 万元，其中：…"
_DECISION = {"income": ("本年收入合计1,222.60万元，其中：", "2024年度收入决算数为{}万元，其中："),
             "expenditure": ("本年支出合计1,216.60万元，其中：", "2024年度支出决算数为{}万元，其中：")}


def _narrative(side: str, amount: str, reworded: bool):
    template, wording = _DECISION[side]
    printed = template.replace(template.split("合计")[1].split("万元")[0], amount)
    record = read_document(fav.build(paragraphs=[(template, wording.format(amount) if reworded else printed)]),
                           name=f"{side}{amount}{reworded}.pdf")
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return record, {f.rule for f in report.findings if f.status == "fail"}


@pytest.mark.parametrize("side, right, wrong", [("income", "1,222.60", "1,232.60"),
                                                ("expenditure", "1,216.60", "1,226.60")])
def test_a_total_said_as_the_years_decision_figure_reads_as_the_templates(side, right, wrong):
    record, failing = _narrative(side, right, True)
    assert record[side]["total"]["value"] == right.replace(",", "")
    assert failing == set() and record["_meta"]["coverage"]["lines"]["unread"] == 0
    _, bad = _narrative(side, wrong, True)
    _, template_bad = _narrative(side, wrong, False)
    assert template_bad and bad == template_bad

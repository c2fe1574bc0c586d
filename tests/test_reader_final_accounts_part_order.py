"""A 决算 whose 情况说明 is not the third part (session 38): many regions print it before the tables
(概况, 情况说明, 名词解释, then the tables as an annex), or number no parts at all.

The reader found the 情况说明 by the words "第三部分": with the parts in another order it read the
tables as the narrative and the narrative not at all (77 of the example's 278 figures lost, 39
lines silent, the planted PCT-005 and TPF-001 unseen).  It is now the part whose heading says
说明, or -- no part numbered -- the run of the template's section headings ("一、收入支出决算总体情况
说明" …) up to the 名词解释 or the next table.  The team's example 决算 (fictional) is made into text
from its own lines, then its parts reordered or unnumbered: every record section the narrative
fills must read as in the template's order, and the findings be the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.inputs import open_document
from fiscalrules.readers import read_document
from test_reader_final_accounts_wording import _printed_values as _values  # (tests/ is on the path)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "qingshi_culture_2024_final_accounts.pdf"
_NARRATIVE = ("overview", "income", "expenditure", "appropriation", "general_budget", "basic", "three_public",
              "operating_costs", "procurement", "assets", "performance")


def _lines() -> list[str]:
    return [line.original for line in open_document(str(EXAMPLE)).lines]


def _read(lines: list[str]):
    record = read_document("\n".join(lines).encode("utf-8"), name="parts.txt")
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    return record, {f.rule + (f"[{f.key}]" if getattr(f, "key", None) else "") for f in report.findings
                    if f.status in ("fail", "not_evaluable")}


def _parts(lines: list[str]) -> dict[str, int]:
    """The body's part headings (the last line starting so: the contents list names them first)."""
    return {part: max(i for i, line in enumerate(lines) if line.strip().startswith(part))
            for part in ("第二部分", "第三部分", "第四部分")}


def _narrative_first(lines: list[str]) -> list[str]:
    at = _parts(lines)
    tables, narrative = lines[at["第二部分"]:at["第三部分"]], lines[at["第三部分"]:at["第四部分"]]
    moved = lines[:at["第二部分"]] + narrative + tables + lines[at["第四部分"]:]
    renumbered = {"第二部分": "第三部分", "第三部分": "第二部分"}
    return [re.sub(r"^(\s*)(第[二三]部分)", lambda m: m.group(1) + renumbered[m.group(2)], line)
            if i >= at["第二部分"] else line for i, line in enumerate(moved)]


def _unnumbered(lines: list[str]) -> list[str]:
    return [re.sub(r"^(\s*)第[一二三四]部分\s*", r"\1", line) for line in lines]


@pytest.fixture(scope="module")
def template():
    return _read(_lines())


def _contents_unrecognised(lines: list[str]) -> list[str]:
    """The contents list without its "目录" heading: its entries ("第三部分 …情况说明") read as the body's."""
    return [line for line in lines if line.strip().replace(" ", "") != "目录"]


@pytest.mark.parametrize("make", [_narrative_first, _unnumbered, lambda lines: _unnumbered(_narrative_first(lines)),
                                  _contents_unrecognised],
                         ids=["narrative_first", "unnumbered", "narrative_first_unnumbered", "contents_unrecognised"])
def test_the_narrative_is_read_wherever_its_part_stands(template, make):
    record, failing = _read(make(_lines()))
    base, base_failing = template
    for key in _NARRATIVE:
        assert _values(record.get(key)) == _values(base.get(key)), key
    assert failing == base_failing and {"PCT-005", "TPF-001"} <= failing
    coverage = record["_meta"]["coverage"]
    assert coverage["figures"] == base["_meta"]["coverage"]["figures"] and coverage["silent_lines"] == []
    # (the tables after it are no part of it: nothing of theirs is listed from the 情况说明)
    assert not [u for u in record["_meta"]["unread"] if u["section"] == "情况说明"]


def test_section_headings_without_shuoming_are_the_sections(template):
    """"一、收入支出决算总体情况" as regions title the template's "…情况说明": each section is there (QUA-010
    warned that every one was missing), and the narrative reads as before."""
    lines = _lines()
    heads = [i for i, line in enumerate(lines) if i > _parts(lines)["第三部分"]
             and re.match(r"^[一二三四五六七八九十]+、.*情况说明$", line.strip())]
    assert len(heads) >= 9
    record, failing = _read([re.sub(r"情况说明$", "情况", line) if i in heads else line for i, line in enumerate(lines)])
    assert [s["name"] for s in record["quality"]["sections"] if not s["present"]] == []
    assert failing == template[1]
    for key in _NARRATIVE:
        assert _values(record.get(key)) == _values(template[0].get(key)), key

"""A 部门预算 that prints some of the nine national tables is told which it left out (QUA-010, a
warning), as a 决算 already was (review 20 C D14: a county budget printing 3 of the 9 read as a
complete, clean disclosure).  A table counts as present when printed, when the text refers to it
elsewhere ("……详见附表"), and a fund's table when the narrative says the department has no such
fund; a text that prints no standard table at all (tables published apart) is not judged."""

from __future__ import annotations

import pytest

from fiscalrules import load_ruleset
from fiscalrules.readers import read_disclosure
from test_reader_variants import CLEAN

BASIC = "\n一般公共预算基本支出表\n"
THREE_PUBLIC = "\n财政拨款“三公”经费支出表\n"
REFERENCE = "收支预算总表、部门收入总表、部门支出总表、财政拨款收支总表详见附表。"
NO_STATE_CAPITAL = "本部门没有使用国有资本经营预算拨款安排的支出。"


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset("budget_disclosure")


def _missing(ruleset, tmp_path, text: str) -> tuple[set[str], dict]:
    path = tmp_path / "variant.txt"
    path.write_text(text, encoding="utf-8")
    record = read_disclosure(path)
    messages = {f.message.split("] ", 1)[-1] for f in ruleset.evaluate(record).findings
                if f.rule == "QUA-010" and f.status == "fail"}
    return messages, record


def _without_basic_table(text: str) -> str:
    start, end = text.index(BASIC), text.index(THREE_PUBLIC)
    return text[:start] + "\n" + text[end:]


def test_the_complete_example_misses_nothing(ruleset, tmp_path):
    messages, record = _missing(ruleset, tmp_path, CLEAN)
    assert messages == set()
    names = {s["name"]["value"] if isinstance(s["name"], dict) else s["name"] for s in record["quality"]["sections"]}
    assert len(names) == 9 and "国有资本经营预算支出表" in names


def test_a_table_left_out_is_named(ruleset, tmp_path):
    messages, _ = _missing(ruleset, tmp_path, _without_basic_table(CLEAN))
    assert messages == {"模板要求的“一般公共预算基本支出表”应当印出（未找到时也可能是未能识别）"}


def test_tables_neither_printed_nor_referred_to_are_named(ruleset, tmp_path):
    assert REFERENCE in CLEAN and NO_STATE_CAPITAL in CLEAN
    text = CLEAN.replace(REFERENCE, "").replace(NO_STATE_CAPITAL, "本部门国有资本经营预算情况见下表。")
    messages, _ = _missing(ruleset, tmp_path, text)
    assert messages == {f"模板要求的“{name}”应当印出（未找到时也可能是未能识别）" for name in
                        ("收支预算总表", "部门收入总表", "部门支出总表", "财政拨款收支总表", "国有资本经营预算支出表")}


def test_a_text_printing_no_standard_table_is_not_judged(ruleset, tmp_path):
    start = CLEAN.index("\n一般公共预算支出表\n")
    end = CLEAN.index("\n部门整体支出绩效目标表\n")
    messages, record = _missing(ruleset, tmp_path, CLEAN[:start] + "\n" + CLEAN[end:])
    assert messages == set() and not record.get("quality", {}).get("sections")


def test_a_table_the_contents_promise_is_a_flag_pointing_at_the_promise(ruleset, tmp_path):
    # The contents list the basic table; the text does not print it. Its "present" is a flag (false),
    # not the text "false", placed at the contents' entry -- and the report says 否 / no, as for
    # every flag, not the record's spelling.
    from fiscalrules.reporters import render_table
    title = CLEAN.split("\n", 1)[0]
    contents = f"{title}\n目录\n第一部分 青山县自然资源局概况\n一般公共预算基本支出表\n第二部分 名词解释\n"
    messages, record = _missing(ruleset, tmp_path, contents + _without_basic_table(CLEAN).split("\n", 1)[1])
    assert messages == {"模板要求的“一般公共预算基本支出表”应当印出（未找到时也可能是未能识别）"}
    missing = [s["present"] for s in record["quality"]["sections"] if isinstance(s["present"], dict)]
    assert [m["value"] for m in missing] == [False] and missing[0]["source"]["line"] == 4
    report = ruleset.evaluate(record)
    flag_rows = [" ".join(line.split()) for lang in ("zh", "en")
                 for line in render_table(report, lang, localise=False).splitlines() if "一般公共预算基本支出表" in line
                 and ("第4行" in line or "line 4" in line)]
    assert flag_rows == ["是否印出 否 第4行 一般公共预算基本支出表", "是否印出 no line 4 一般公共预算基本支出表"], flag_rows

"""The 决算 reader: document kind by title and tables, the nine tables, the narrative, quality facts.

Synthetic texts pin the kind check and the quality facts; the Shanghai final accounts in
../shared/disclosures/shanghai (skipped where absent) pin what is read from real PDFs: the tables
that are printed, the narrative items, and that the blank template reads as a 决算 with no figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import fiscalrules
from fiscalrules import cli
from fiscalrules.document.model import Document
from fiscalrules.readers import document_kind, read_document
from fiscalrules.readers.common.record import RecordBuilder
from fiscalrules.readers.quality import record_quality
from fiscalrules.reporters import render_table

SHANGHAI = Path(__file__).resolve().parents[1].parent / "shared" / "disclosures" / "shanghai"
FINALS = sorted(SHANGHAI.glob("*final-accounts.pdf")) if SHANGHAI.is_dir() else []
needs_shared = pytest.mark.skipif(not FINALS, reason="../shared/disclosures/shanghai is not here")


def _doc(text: str) -> Document:
    return Document(text, "synthetic.txt")


def test_kind_is_decided_by_the_title_not_a_phrase_anywhere():
    final = "示范市示范局\n2024 年度部门决算\n目录\n第一部分 概况\n本部门预算执行良好。\n"
    budget = "示范市示范局 2025 年部门预算\n目录\n第一部分 概况\n名词解释：部门决算是……\n"
    assert document_kind(_doc(final)) == "final_accounts"
    assert document_kind(_doc(budget)) == "budget_disclosure"


def test_kind_from_the_table_set_when_the_title_says_nothing():
    tables = "目录\n收入支出决算总表\n收入决算表\n支出决算表\n财政拨款收入支出决算总表\n"
    assert document_kind(_doc("情况汇编\n" + tables)) == "final_accounts"
    assert document_kind(_doc("情况汇编\n没有表\n")) is None


def test_a_final_account_whose_title_and_tables_are_not_seen_is_read_as_one_not_refused():
    # Pages the layout cannot line up (rotated scans: review 19 C R7) leave neither the title
    # nor a table title; the text still speaks of 决算 only. It was read as a budget and refused
    # as "a final-accounts disclosure (决算), not a budget" -- both at once.
    text = "情况汇编\n决 算 说 明\n本年决算收入 10 万元\n决算支出 10 万元\n与决算数一致\n"
    assert document_kind(_doc(text)) == "final_accounts"
    record = read_document(text.encode("utf-8"), name="rotated.txt")
    assert record["_meta"]["template"] == "final_accounts"
    # a budget that names 决算 three times is still a budget, and a text of neither stays None
    assert document_kind(_doc("情况汇编\n见预算表\n决算 决算 决算\n")) is None


def test_quality_facts_are_recorded_with_their_line():
    text = ("示范局 2024 年度部门决算\n"
            "一、收入支出决算总体情况说明\n"
            "收入支出总计增加（减少）5 万元，下降（增长）3%。。主要原因是。\n"
            "上海市 XX 局的“三公经费说明。\n")
    doc = _doc(text)
    builder = RecordBuilder("synthetic.txt")
    record_quality(builder, doc, scope="部门", title_lines=[1], heading_lines=[2])
    q = builder.data["quality"]
    assert [r["mark"]["value"] for r in q["punctuation"]] == ["。。"]
    assert q["punctuation"][0]["mark"]["source"]["line"] == 3
    assert [(r["wording"]["value"], r.get("value")) for r in q["alternatives"]] == [("增加（减少）", "5"), ("下降（增长）", "3")]
    assert [r["reason"] for r in q["reasons"]] == [""]
    assert [r["letters"]["value"] for r in q["placeholders"]] == ["XX"]
    assert any(r["quotes_open"]["value"] == "1" and r["quotes_close"]["value"] == "0" for r in q["pairs"])
    assert builder.data["doc"]["scope"] == "部门"
    report = fiscalrules.load_ruleset("final_accounts").evaluate({"quality": q, "doc": builder.data["doc"]})
    failing = {f.rule for f in report.findings if f.status == "fail"}
    assert {"QUA-001", "QUA-002", "QUA-004", "QUA-005", "QUA-006"} <= failing



def test_an_unfilled_either_or_wording_is_shown_where_printed_and_no_figure_is_suggested():
    # "下降（增长）27.78%": the fix is choosing a wording.  The rule on "value = 0" had the localiser
    # suggest printing 0.00 in place of 27.78 -- a change the other rules check -- and showed the
    # number without where it stands; a flag showed as Python's "False".
    text = ("示范局 2024 年度部门决算\n一、收入支出决算总体情况说明\n"
            "收入支出总计增加（减少）0 万元，“三公”经费下降（增长）27.78%。\n")
    builder = RecordBuilder("synthetic.txt")
    record_quality(builder, _doc(text), scope="部门", title_lines=[1], heading_lines=[2])
    assert [r["zero"] for r in builder.data["quality"]["alternatives"]] == [True, False]
    report = fiscalrules.load_ruleset("final_accounts").evaluate({"quality": builder.data["quality"],
                                                                 "doc": builder.data["doc"]})
    report.localise()
    failing = [f for f in report.findings if f.rule == "QUA-004" and f.status == "fail"]
    assert len(failing) == 1 and failing[0].suggestion is None
    shown = render_table(report)
    assert "下降（增长）" in shown and "第3行" in shown and "→ 0.00" not in shown and "False" not in shown

@needs_shared
@pytest.mark.parametrize("path", [p for p in FINALS if "template" not in p.name], ids=lambda p: p.stem)
def test_shanghai_final_accounts_read(path):
    record = read_document(path)
    assert record["_meta"]["template"] == "final_accounts"
    tables = record["tables"]
    for key in ("income", "expenditure", "general_budget"):
        assert len(tables[key]["rows"]) >= 10, key
        assert tables[key]["totals"]["total"]["value"]
    assert tables["summary"]["income_total"]["value"] == tables["summary"]["expenditure_grand_total"]["value"] \
        or tables["summary"]["opening_balance"]
    assert len(tables["general_budget_basic"]["rows"]) >= 40
    assert tables["gov_fund"]["empty"] is True and tables["state_capital"]["empty"] is True
    assert record["general_budget"]["items"] and all(item["code"] for item in record["general_budget"]["items"])
    assert record["doc"]["year"]["value"] == "2024" and record["doc"]["kind"]["value"] == "部门决算"
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    assert [info.unknown_keys for info in report.records] == [[]]


@needs_shared
def test_blank_template_reads_as_a_final_account_without_figures():
    path = SHANGHAI / "final-accounts-template.pdf"
    record = read_document(path)
    assert record["_meta"]["template"] == "final_accounts"
    assert record["doc"]["has_amounts"] is False
    assert set(record["tables"]) >= {"summary", "income", "expenditure", "general_budget", "general_budget_basic",
                                     "three_public", "gov_fund", "state_capital", "appropriation_summary"}
    report = fiscalrules.load_ruleset("final_accounts").evaluate(record)
    assert [f.rule for f in report.findings if f.status == "fail"] == ["QUA-000"]


@needs_shared
def test_audit_picks_the_ruleset_by_document_kind(capsys):
    code = cli.main(["audit", str(FINALS[0]), "--format", "json"])
    assert code in (0, 1)
    assert "final_accounts" in capsys.readouterr().out


def test_the_budget_reader_records_the_quality_facts_for_the_shared_rules():
    example = Path(__file__).resolve().parents[1] / "examples" / "bureau_2025.txt"
    text = example.read_text(encoding="utf-8")
    record = fiscalrules.readers.read_disclosure(text.encode("utf-8"), name="bureau.txt")
    assert record["doc"]["scope"] == "部门" and record["quality"]["class_names"]
    ruleset = fiscalrules.load_ruleset("budget_disclosure")
    assert not [f for f in ruleset.evaluate(record).findings if f.rule.startswith("QUA") and f.status == "fail"]
    # a doubled full stop: found at its line
    broken = text.replace("耕地保护和高标准农田建设。", "耕地保护和高标准农田建设。。", 1)
    record = fiscalrules.readers.read_disclosure(broken.encode("utf-8"), name="bureau.txt")
    failing = [f for f in ruleset.evaluate(record).findings if f.rule.startswith("QUA") and f.status == "fail"]
    assert [(f.rule, f.operands[0].source.line) for f in failing] == [("QUA-001", 13)]


def _placed(*cells: tuple[int, str]) -> str:
    """A text line with each string starting at a display column (CJK characters are two wide)."""
    from fiscalrules.document.model import display_width
    line = ""
    for column, text in cells:
        width = sum(display_width(ch) for ch in line)
        line += " " * max(1, column - width) + text
    return line


def test_appropriation_summary_fund_columns_are_read_by_position_under_their_headers():
    # A class paid from 政府性基金 alone (城乡社区支出, land revenue) leaves the 一般公共预算 cell blank:
    # its figure stands under 政府性基金, and must not be read as the 一般公共预算 one.
    from fiscalrules.readers.final_accounts.tables import find_tables, read_table_block
    L, T, G, F, S = 2, 44, 66, 78, 90          # label, right label, 合计, 一般公共, 政府性基金; 国有资本 at 102
    text = "\n".join([
        "财政拨款收入支出决算总表",
        _placed((100, "单位：万元")),
        _placed((10, "收入"), (T, "支出")),
        _placed((F, "一般公共"), (S, "政府性基"), (102, "国有资本")),
        _placed((8, "项目"), (26, "决算数"), (T + 4, "项目"), (G, "合计"), (F, "预算财政"), (S, "金预算财"), (102, "经营预算")),
        _placed((F, "拨款"), (S, "政拨款"), (102, "财政拨款")),
        _placed((L, "一、一般公共预算财政拨款"), (32, "100.00"), (T, "一、一般公共服务支出"), (G, "100.00"), (F, "100.00")),
        _placed((L, "二、政府性基金预算财政拨款"), (32, "50.00"), (T, "十一、城乡社区支出"), (G, "50.00"), (S, "50.00")),
        _placed((L, "本年收入合计"), (32, "150.00"), (T, "本年支出合计"), (G, "150.00"), (F, "100.00"), (S, "50.00")),
        _placed((8, "总计"), (32, "150.00"), (T + 4, "总计"), (G, "150.00"), (F, "100.00"), (S, "50.00")),
        "注：本表反映部门本年度财政拨款总收支和结转结余情况。",
    ])
    doc = _doc(text)
    builder = RecordBuilder("synthetic.txt")
    [block] = [b for b in find_tables(doc, set()) if b.key == "appropriation_summary"]
    read_table_block(builder, doc, block, [])
    table = builder.data["tables"]["appropriation_summary"]
    rows = {row["code"]: {k: v["value"] for k, v in row.items() if isinstance(v, dict)} for row in table["expenditure"]}
    assert rows == {"201": {"total": "100.00", "general_budget": "100.00"},
                    "212": {"total": "50.00", "gov_fund": "50.00"}}
    assert {k: v["value"] for k, v in table["expenditure_total"].items()} == \
        {"total": "150.00", "general_budget": "100.00", "gov_fund": "50.00"}
    assert {k: v["value"] for k, v in table["grand_total"].items()} == {"general_budget": "100.00", "gov_fund": "50.00"}
    assert table["expenditure_grand_total"]["value"] == "150.00"


def test_a_narrative_item_the_classification_lacks_takes_its_code_from_the_documents_table():
    # review 19 C R5: 群众文化 (2070109) is not in the hand-typed list; the 决算表 prints it under
    # 文化和旅游 (20701). Its narrative item had code "" and NAR-012 never compared it.
    from fiscalrules.data.classification import classification
    from fiscalrules.readers.final_accounts.clauses import item_code as _item_code
    table = [("2070101", "行政运行"), ("2070109", "群众文化"), ("2070199", "其他文化和旅游支出")]
    fn = classification("function")
    code = _item_code(fn, "文化旅游体育与传媒支出", "文化和旅游", "群众文化", table, {"2070101"})
    assert code == "2070109"
    # a name neither the list nor the table prints stays uncoded (and is listed unread by the reader)
    assert _item_code(fn, "文化旅游体育与传媒支出", "文化和旅游", "不存在的项", table, {"2070101"}) is None

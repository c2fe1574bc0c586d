"""Performance target tables read from the document model: the same table as tab-separated text,
as a ruled PDF with merged level cells centred over their groups and wrapped cells, across a page
break, without ruling lines (the alignment decides, or the row is listed as uncertain), and as
text aligned with spaces. Fictional tables (reportlab's STSong-Light font)."""

from __future__ import annotations

import pytest

from fiscalrules.readers import read_disclosure

pdfmaker = pytest.importorskip("pdfmaker", reason="reportlab (test extra) is needed to make PDFs")
pytest.importorskip("pypdfium2", reason="pypdfium2 (the pdf extra) is needed to read PDFs")

HEAD = "第二部分 测试局 2025 年部门预算表"
NARRATIVE = ["第三部分 测试局 2025 年部门预算情况说明", "（一）收入预算情况",
             "收入预算总额为 120 万元，其中：财政拨款收入 100 万元。",
             "（二）支出预算情况", "支出预算总额为 120 万元，其中：基本支出 0 万元，项目支出 120 万元。"]

FORM = [["项目名称", "城市书房运营项目", "", ""],
        ["主管部门及代码", "101-青石区文化局", "实施单位", "青石区图书馆"],
        ["项目资金\n（万元）", "年度资金总额", "120", ""],
        ["", "其中：财政拨款", "100", ""],
        ["", "其他资金", "15", ""],
        ["", "上年结转", "5", ""],
        ["年度绩效目标", "目标1：完成城市书房日常运营。\n目标2：全年举办阅读活动不少于24场。", "", ""]]
HEADER = ["一级指标", "二级指标", "三级指标", "指标值"]
ROWS = [["成本指标", "经济成本指标", "运营成本", "≤1,200,000 元"],
        ["产出指标", "数量指标", "举办阅读推广活动\n场次", "≥24场"],
        ["", "", "新增藏书", "≥5000册"],
        ["", "质量指标", "图书完好率", "≥95%"],
        ["", "时效指标", "活动按计划完成率", "＝100%"],
        ["效益指标", "社会效益指标", "市民阅读参与度", "有所提升"],
        ["满意度指\n标", "服务对象满\n意度指标", "读者满意度", "≥90%"]]
EXPECTED = [
    ("成本指标", "经济成本指标", "运营成本", "≤1,200,000 元"),
    ("产出指标", "数量指标", "举办阅读推广活动场次", "≥24场"),
    ("产出指标", "数量指标", "新增藏书", "≥5000册"),
    ("产出指标", "质量指标", "图书完好率", "≥95%"),
    ("产出指标", "时效指标", "活动按计划完成率", "=100%"),
    ("效益指标", "社会效益指标", "市民阅读参与度", "有所提升"),
    ("满意度指标", "服务对象满意度指标", "读者满意度", "≥90%"),
]
WIDTHS = [70, 90, 170, 110]


def _pdf(rows=ROWS, *, ruled=True, valign="centre", page_rows=None, form=FORM) -> bytes:
    first = [("text", 56, 40, HEAD, 12), ("text", 300, 66, "项目支出绩效目标表", 14),
             ("text", 330, 88, "（2025年度）", 10)]
    top = 110.0
    form_pages = pdfmaker.merged_table(56, top, WIDTHS, form, merge=(0,), ruled=ruled,
                                       valign=valign)
    first.extend(form_pages[0])
    top = max(i[2] if i[0] == "text" else i[1] if i[0] == "hrule" else i[3]
              for i in form_pages[0]) + 4
    table = pdfmaker.merged_table(56, top, WIDTHS, [HEADER] + rows, merge=(0, 1), ruled=ruled,
                                  valign=valign, page_rows=page_rows)
    pages = [first + table[0]] + table[1:]
    pages.append([("text", 56, 40 + 20 * i, line, 10.5) for i, line in enumerate(NARRATIVE)])
    return pdfmaker.pdf_bytes(pages)


def _tab_text(rows=ROWS) -> str:
    def cells(row):
        return "\t".join(c.replace("\n", "") for c in row)
    return "\n".join([HEAD, "项目支出绩效目标表", "（2025年度）"] + [cells(r) for r in FORM]
                     + [cells(HEADER)] + [cells(r) for r in rows] + NARRATIVE) + "\n"


def _indicators(record: dict) -> list[tuple]:
    return [(r.get("level1"), r.get("level2"), r.get("level3"), r["target"]["value"])
            for r in record["performance"]["indicators"]]


def _project(record: dict) -> dict:
    project = record["performance"]["projects"][0]
    return {k: (v["value"] if isinstance(v, dict) else v) for k, v in project.items()}


def test_tab_text_reads_blank_level_cells_as_the_group_above():
    record = read_disclosure(_tab_text(), name="perf.txt")
    assert _indicators(record) == EXPECTED
    cost = record["performance"]["indicators"][0]
    assert (cost["comparator"], cost["target_value"]["value"], cost["unit"]) == ("≤", "1200000", "元")
    assert _project(record) == {"name": "城市书房运营项目", "department": "101-青石区文化局",
                                "implementer": "青石区图书馆", "total": "120", "appropriation": "100",
                                "other": "15", "carryover": "5",
                                "goal": "目标1:完成城市书房日常运营。目标2:全年举办阅读活动不少于24场。"}


def test_ruled_pdf_with_merged_centred_cells_reads_as_the_text():
    record = read_disclosure(_pdf(), name="perf.pdf")
    assert _indicators(record) == EXPECTED
    project = _project(record)
    text = _project(read_disclosure(_tab_text(), name="perf.txt"))
    assert project == text
    assert not [u for u in record["_meta"]["unread"] if "绩效" in u["section"]]
    # the wrapped name's source: its first line, on the page, boxed at the target
    second = record["performance"]["indicators"][1]
    src = second["target_value"]["source"]
    assert src["page"] == 1 and len(src["box"]) == 4
    assert src["text"].startswith("举办阅读推广活动")


def test_ruled_pdf_across_a_page_break_keeps_the_group():
    record = read_disclosure(_pdf(page_rows=3), name="perf.pdf")     # header + 2 rows on page 1
    assert _indicators(record) == EXPECTED
    pages = [r["target"]["source"]["page"] for r in record["performance"]["indicators"]]
    assert pages[0] == 1 and pages[-1] == 3


def test_unruled_pdf_centred_cells_are_placed_by_the_only_alignment_that_fits():
    record = read_disclosure(_pdf(ruled=False), name="perf.pdf")
    assert _indicators(record) == EXPECTED
    assert _project(record) == _project(read_disclosure(_tab_text(), name="perf.txt"))


AMBIGUOUS = [["产出指标", "数量指标", "甲", "≥1个"], ["", "质量指标", "乙", "≥2个"],
             ["", "时效指标", "丙", "≥3个"], ["", "成本指标", "丁", "≥4个"],
             ["效益指标", "经济效益指标", "戊", "≥5个"], ["", "社会效益指标", "己", "≥6个"],
             ["", "生态效益指标", "庚", "≥7个"], ["", "可持续影响指标", "辛", "≥8个"],
             ["满意度指标", "服务对象满意度指标", "壬", "≥9个"]]


def test_unruled_pdf_where_alignments_disagree_lists_the_rows_and_never_guesses():
    # Top-aligned labels over groups of 4, 4 and 1 rows fit a centred and a bottom alignment as
    # well (产出指标 over row 1, 效益指标 centred over rows 2-8 …): rows 2-4 and 6-8 are uncertain.
    record = read_disclosure(_pdf(AMBIGUOUS, ruled=False, valign="top"), name="perf.pdf")
    rows = _indicators(record)
    assert [r[2] for r in rows] == list("甲乙丙丁戊己庚辛壬")
    assert [r[0] for r in rows] == ["产出指标", None, None, None, "效益指标", None, None, None,
                                    "满意度指标"]
    assert [r[1] for r in rows] == [r[1] for r in AMBIGUOUS]     # one per row: certain
    uncertain = [u for u in record["_meta"]["unread"] if "not certain" in u["reason"]]
    assert len(uncertain) == 6
    assert "产出指标 / 效益指标" in uncertain[0]["reason"] and "≥2个" in uncertain[0]["reason"]
    # ruled, the same layout is exact
    ruled = read_disclosure(_pdf(AMBIGUOUS, valign="top"), name="perf.pdf")
    assert [r[0] for r in _indicators(ruled)] == ["产出指标"] * 4 + ["效益指标"] * 4 + ["满意度指标"]


def _aligned_text(table: str) -> str:
    return "\n".join([HEAD, "项目支出绩效目标表", "项目名称 测试项目", "年度资金总额 120"]) + "\n" \
        + table + "\n".join(NARRATIVE) + "\n"


def test_text_aligned_with_spaces_reads_by_position():
    # pdftotext -layout style: each level cell on the middle line of its group, which only a
    # centred alignment fits (top would start 产出指标 on the first row; bottom would leave the
    # last row without 满意度指标).
    table = ("一级指标    二级指标          三级指标              指标值\n"
             "            数量指标          新增藏书              ≥5000册\n"
             "产出指标    质量指标          图书完好率            ≥95%\n"
             "            时效指标          活动按计划完成率      ＝100%\n"
             "效益指标    社会效益指标      市民阅读参与度        有所提升\n"
             "            服务对象满意度    读者满意度            ≥90%\n"
             "满意度指标  服务对象满意度    游客满意度            ≥90%\n"
             "            服务对象满意度    居民满意度            ≥85%\n")
    record = read_disclosure(_aligned_text(table), name="aligned.txt")
    assert _indicators(record) == [("产出指标", "数量指标", "新增藏书", "≥5000册"),
                                   ("产出指标", "质量指标", "图书完好率", "≥95%"),
                                   ("产出指标", "时效指标", "活动按计划完成率", "=100%"),
                                   ("效益指标", "社会效益指标", "市民阅读参与度", "有所提升"),
                                   ("满意度指标", "服务对象满意度", "读者满意度", "≥90%"),
                                   ("满意度指标", "服务对象满意度", "游客满意度", "≥90%"),
                                   ("满意度指标", "服务对象满意度", "居民满意度", "≥85%")]
    assert not [u for u in record["_meta"]["unread"] if "not certain" in u["reason"]]


def test_text_aligned_with_spaces_where_two_alignments_fit_is_listed():
    # 产出指标 centred over rows 1-3 or bottom-aligned over rows 1-2 (then 效益指标 over 3-4):
    # the third row's 一级指标 is not certain.
    table = ("一级指标    二级指标          三级指标              指标值\n"
             "            数量指标          新增藏书              ≥5000册\n"
             "产出指标    质量指标          图书完好率            ≥95%\n"
             "            时效指标          活动按计划完成率      ＝100%\n"
             "效益指标    社会效益指标      市民阅读参与度        有所提升\n")
    record = read_disclosure(_aligned_text(table), name="aligned.txt")
    assert [r[0] for r in _indicators(record)] == ["产出指标", "产出指标", None, "效益指标"]
    uncertain = [u for u in record["_meta"]["unread"] if "not certain" in u["reason"]]
    assert [u["lines"] for u in uncertain] == [[8, 8]]
    assert "产出指标 / 效益指标" in uncertain[0]["reason"]


def test_text_written_with_single_spaces_reads_in_order():
    # No columns (extraction without layout): level names peeled off the front, the value off
    # the end, as before.
    table = ("一级指标 二级指标 三级指标 指标值\n产出指标\n数量指标\n新增藏书 ≥5000册\n"
             "质量指标 图书完好率 ≥95%\n")
    record = read_disclosure(_aligned_text(table), name="spaces.txt")
    assert _indicators(record) == [("产出指标", "数量指标", "新增藏书", "≥5000册"),
                                   ("产出指标", "质量指标", "图书完好率", "≥95%")]

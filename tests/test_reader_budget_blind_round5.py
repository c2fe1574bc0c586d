"""Table layouts of budget disclosures written blind (round 5), built here as small fictional
documents and read by the template's structure -- table titles, headers, codes -- never by one
document's names or figures."""

from __future__ import annotations

from fiscalrules.readers import read_disclosure
from test_reader_budget_blind_round4 import _at, _failing  # noqa: E402  (-layout lines, failing rules)


_HEAD = ["某省某管理局2026年部门预算", "",
         "第一部分 2026年部门预算情况说明：收入预算、支出预算、财政拨款、基本支出、项目支出。", ""]


def _coded_row(code: str, name: str, total: str, basic: str, project: str) -> str:
    return _at((7, code, False), (22, name, False), (66, total, True),
               *(((87, basic, True),) if basic else ()), *(((104, project, True),) if project else ()))


def test_a_layout_general_budget_table_whose_rows_leave_basic_or_project_blank(tmp_path):
    # The national 一般公共预算支出表 in pdftotext -layout text: 科目编码 centred over the codes
    # (starting right of where the longest code ends), 科目名称 over the names, 合计 | 基本支出 |
    # 项目支出 under a year's group title, each 项 row printing 合计 and one of the two, the other
    # blank.  科目编码 was taken for the header of the names' column (the first column ending right
    # of it, as a right-aligned figure column's header is placed), the codes' column had no header,
    # every row was "2 figures for 3 columns" and the row's error below was not caught.
    lines = _HEAD + [
        "公开表5", _at((40, "某省某管理局2026年一般公共预算支出表", False)),
        _at((0, "部门名称：某省某管理局", False), (100, "单位：万元", False)),
        _at((69, "2026年预算数", False)),
        _at((15, "科目编码", False), (39, "科目名称", False)),
        _at((54, "合计", False), (70, "基本支出", False), (90, "项目支出", False)),
        _coded_row("", "合计", "700.00", "300.00", "400.00").replace("  合计", "  合计", 1),
        _coded_row("212", "城乡社区支出", "700.00", "300.00", "400.00"),
        _coded_row("21201", "城乡社区管理事务", "700.00", "300.00", "400.00"),
        _coded_row("2120101", "行政运行", "300.00", "300.00", ""),
        # 合计 printed 400.00 where its 项目支出 is 390.00
        _coded_row("2120104", "城管执法", "400.00", "", "390.00"),
    ]
    path = tmp_path / "layout_blanks.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    record = read_disclosure(path)
    table = record["tables"]["general_budget"]
    assert [row["code"] for row in table["rows"]] == ["212", "21201", "2120101", "2120104"]
    last = table["rows"][-1]
    assert (last["total"]["value"], last["project"]["value"]) == ("400.00", "390.00")
    assert "basic" not in last or last["basic"]["value"] in ("0", "0.00")
    assert table["rows"][2]["basic"]["value"] == "300.00"
    assert not record["_meta"].get("unread")
    assert "TBL-026" in _failing(record)

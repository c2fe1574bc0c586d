"""Coded tables as ``pdftotext`` without ``-layout`` writes them (session 27): each cell on a line of
its own, blank cells leaving no trace.  Such a table cannot be read row by row (which column a lone
figure belongs to is not knowable) and is listed whole -- never read as rows it does not print.

A code printed in the name's cell in brackets ("[2070101]行政运行", as the 预算管理一体化 systems
export it) stands alone on its line there, no amount beside it.  It was taken for a unit's code
("[101001]某单位", a line about the table): dropped, it left the figures below it as rows of their
own, no code and no name -- 45 rows the table does not print, under which no item of the 编制说明
found its code (11 false ITM-003 findings on the team's example printed so).  The texts below are
fictional, in pdftotext's own form.
"""

from __future__ import annotations

import pytest

import fiscalrules
from fiscalrules.readers import read_document

_ITEMS = """滨江市青石区2025年区级部门预算
预算主管部门：滨江市青石区文化旅游局

2025年部门预算编制说明
2025年，滨江市青石区文化旅游局收入预算1,216.60万元，其中：财政拨款收入1,216.60万元。
财政拨款支出主要内容如下：
1. “文化旅游体育与传媒支出（类）文化和旅游（款）行政运行（项）”612.00万元，主要用于行政运行。
2. “文化旅游体育与传媒支出（类）文化和旅游（款）群众文化（项）”126.00万元，主要用于群众文化。

"""

_TABLE = """2025年部门一般公共预算支出功能分类预算表
编制部门：滨江市青石区文化旅游局

单位：元
一般公共预算支出

科目

合计

基本支出

项目支出

{207}文化旅游体育与传媒支出

7,380,000.00

6,120,000.00

1,260,000.00

{20701}文化和旅游

7,380,000.00

6,120,000.00

1,260,000.00

{2070101}行政运行

6,120,000.00

6,120,000.00

{2070109}群众文化

1,260,000.00

1,260,000.00
"""

# the code printed in the name's cell: bracketed, 【】, or the code and the name one cell
PRINTINGS = {
    "brackets": "[{}]",
    "lenticular-brackets": "【{}】",
    "code-and-name-one-cell": "{} ",
}


def _text(printing: str) -> str:
    form = PRINTINGS[printing]
    table = _TABLE
    for code in ("2070101", "2070109", "20701", "207"):
        table = table.replace("{" + code + "}", form.format(code))
    return _ITEMS + "\f" + table


@pytest.mark.parametrize("printing", list(PRINTINGS))
def test_a_plain_text_table_with_codes_in_the_name_cell_is_listed_never_read_as_rows(printing):
    record = read_document(_text(printing), name=f"{printing}.txt")
    table = record["tables"]["general_budget"]
    assert "rows" not in table                  # not read: listed (before: 12 rows of one figure each)
    unread = " ".join(u["reason"] for u in record["_meta"]["unread"])
    assert all(name in unread for name in ("文化旅游体育与传媒支出", "行政运行", "群众文化", "6,120,000.00"))
    report = fiscalrules.load_ruleset("budget_disclosure").evaluate(record)
    assert not [f for f in report.findings if f.status == "fail" and f.rule.startswith("ITM-")]


@pytest.mark.parametrize("line, split", [
    ("[2070101]行政运行", ("2070101", "行政运行")),
    ("【207】文化旅游体育与传媒支出", ("207", "文化旅游体育与传媒支出")),
    ("[302]滨江市青石区文化旅游局", None),       # a unit's code (302 is an economic 类 too): a line about the table
])
def test_a_bracketed_code_alone_on_its_line_is_a_row_only_under_its_own_name(line, split):
    from fiscalrules.readers.budget.codes import code_in_name
    assert code_in_name(line, named=True) == split

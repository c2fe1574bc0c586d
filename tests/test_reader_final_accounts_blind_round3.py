"""决算 layouts met in a third round of documents written blind (by someone who never saw the
reader), each reduced here to the smallest fictional text that shows it.

* Coded tables printing 类 / 款 / 项 in columns of their own, a 款 or 项 row showing only its own
  two digits ("     03         职业教育 …", the national template's split 科目编码), in text with
  display columns (a CJK character two columns).  Before: the two digits under 款 / 项 were taken
  for a figure standing under no figure column, the grid distrusted, and the rows read by their
  tokens -- a row leaving cells blank could not be placed and every table was listed unread.
* The 政府性基金预算财政拨款收入支出决算表 whose 本年支出 spans 小计 / 基本支出 / 项目支出: the
  小计 column is the 本年支出.  Before: no column was the total, and the figures were read one
  column off (年初结转和结余 4,200.00, 本年收入 4,128.73, 本年支出 0.00).
"""

from __future__ import annotations

from fiscalrules.readers import read_document

HEAD = "宿陵市体育局\n2024年度部门决算\n"

INCOME = """\
                                                                      收入决算表

                                                                                                                                            公开02表
编制单位：宿陵市体育局                                                                                                                    单位：万元
    项目                                                  本年收入      财政拨款     上级补助     事业收入    经营收入    附属单位上缴      其他收入
支出功能分类科目编码          科目名称                        合计          收入         收入                                     收入
类   款  项
                合计                                        764.00        721.20         0.00         0.00        0.00            0.00         42.80
205             教育支出                                    703.60        703.60
     03         职业教育                                    703.60        703.60
         02     中等职业教育                                703.60        703.60
207             文化旅游体育与传媒支出                       60.40         17.60                                                               42.80
     03         体育                                         60.40         17.60                                                               42.80
         06     体育训练                                     60.40         17.60                                                               42.80

注：本表反映部门本年度取得的各项收入情况。
"""

GOV_FUND = """\
                                                    政府性基金预算财政拨款收入支出决算表

                                                                                                                                  公开08表
编制单位：宿陵市体育局                                                                                                          单位：万元
      项目                                                      年初结转      本年收入                  本年支出                  年末结转
支出功能分类科目编码          科目名称                            和结余                        小计    基本支出    项目支出        和结余
类   款  项
                合计                                              386.50      4,200.00      4,128.73        0.00    4,128.73        457.77
229             其他支出                                          386.50      4,200.00      4,128.73        0.00    4,128.73        457.77
     60         彩票公益金安排的支出                              386.50      4,200.00      4,128.73        0.00    4,128.73        457.77
         03     用于体育事业的彩票公益金支出                      386.50      4,200.00      4,128.73        0.00    4,128.73        457.77
"""


def _rows(record: dict, key: str) -> dict:
    return {row["code"]: {k: v["value"] for k, v in row.items() if isinstance(v, dict)}
            for row in record.get("tables", {}).get(key, {}).get("rows", [])}


def _unread(record: dict) -> list[str]:
    return [u["reason"] for u in record["_meta"]["unread"]]


def test_split_code_columns_with_two_digit_kuan_and_xiang_are_read():
    record = read_document((HEAD + INCOME).encode(), name="x.txt")
    rows = _rows(record, "income")
    assert set(rows) == {"205", "20503", "2050302", "207", "20703", "2070306"}
    assert rows["2050302"] == {"total": "703.60", "appropriation": "703.60"}
    assert rows["2070306"] == {"total": "60.40", "appropriation": "17.60", "other": "42.80"}
    assert _unread(record) == []


def test_gov_fund_subtotal_under_expenditure_is_the_years_expenditure():
    record = read_document((HEAD + GOV_FUND).encode(), name="x.txt")
    rows = _rows(record, "gov_fund")
    assert set(rows) == {"229", "22960", "2296003"}
    assert rows["2296003"] == {"opening": "386.50", "income": "4200.00", "total": "4128.73", "basic": "0.00",
                               "project": "4128.73", "closing": "457.77"}
    assert _unread(record) == []


# * The 一般公共预算财政拨款支出决算表 printing 本年支出 over 小计 / 基本支出 / 项目支出: the 小计
#   column is the table's total.  Before: no column was the total, the rows read by tokens, and
#   rows leaving 基本支出 or 项目支出 blank could not be placed (the table listed unread).
GENERAL_BUDGET = """\
                                      一般公共预算财政拨款支出决算表

                                                                                                公开05表
编制单位：宿陵市体育局                                                                        单位：万元
      项目                                                                      本年支出
支出功能分类科目编码          科目名称                              小计        基本支出        项目支出
类   款  项
                合计                                            1,140.91        1,061.27           79.64
207             文化旅游体育与传媒支出                          1,140.91        1,061.27           79.64
     03         体育                                            1,140.91        1,061.27           79.64
         01     行政运行                                        1,061.27        1,061.27
         02     一般行政管理事务                                   79.64                           79.64
"""


def test_general_budget_subtotal_under_expenditure_is_the_total():
    record = read_document((HEAD + GENERAL_BUDGET).encode(), name="x.txt")
    rows = _rows(record, "general_budget")
    assert rows["2070301"] == {"total": "1061.27", "basic": "1061.27"}
    assert rows["2070302"] == {"total": "79.64", "project": "79.64"}
    assert _unread(record) == []


# * 五（三）'s 项 numbered under a heading of their 类 ("1.文化旅游体育与传媒支出（类）", then
#   "（1）体育（款）行政运行（项）：年初预算数为…"), not each naming its 类.  Before: no 项 was read,
#   their budget and final figures listed unread.
NARRATIVE = """\
第三部分  2024年度部门决算情况说明

五、一般公共预算财政拨款支出决算情况说明

（三）一般公共预算财政拨款支出决算具体情况

    2024年度一般公共预算财政拨款支出年初预算数为1109.50万元，支出决算数为1140.91万元，
完成年初预算的102.83%。具体情况如下：

    1.文化旅游体育与传媒支出（类）
    （1）体育（款）行政运行（项）：年初预算数为1024.50万元，支出决算数为1061.27万
元，完成年初预算的103.59%。决算数大于年初预算数的主要原因是：落实调资政策。

    （2）体育（款）一般行政管理事务（项）：年初预算数为85.00万元，支出决算数为79.64
万元，完成年初预算的93.69%。决算数小于年初预算数的主要原因是：压减一般性支出。

六、一般公共预算财政拨款基本支出决算情况说明
"""


def test_items_numbered_under_a_heading_of_their_class_are_read():
    record = read_document((HEAD + GENERAL_BUDGET + "\n" + NARRATIVE).encode(), name="x.txt")
    items = {i["code"]: (i["budget"]["value"], i["final"]["value"], i["comparison"])
             for i in record["general_budget"].get("items", [])}
    assert items == {"2070301": ("1024.50", "1061.27", "大于"), "2070302": ("85.00", "79.64", "小于")}
    assert _unread(record) == []

"""决算 layouts of other regions, met in documents written blind (by someone who never saw the
reader), each reduced here to the smallest fictional text that shows it.

* The "三公" table printed with 预算数 and 决算数 each over its six item columns (合计, 因公出国（境）费,
  公务用车购置及运行费: 小计 / 购置费 / 运行费, 公务接待费) instead of the national pairs under each
  item, a numbering line "1 2 … 12" under the header, and blank cells (a 购置费 of nothing) left
  blank in space-aligned text.  Before: the numbering line was read as the figures (合计 1.00, …),
  and twelve figures would have been taken as 预算数 / 决算数 pairs.
"""

from __future__ import annotations

from fiscalrules.readers import read_document

HEAD = "宿陵市水利局\n2024年度部门决算\n"

THREE_PUBLIC_BY_ROLE = """\
　　　　　　　　　　一般公共预算财政拨款"三公"经费支出决算表
公开07表
编制单位：宿陵市水利局                                        单位：万元
预算数                                                                                      决算数
  合计  因公出国（境）费  公务用车购置及运行费                                  公务接待费    合计  因公出国（境）费  公务用车购置及运行费                                  公务接待费
                                          小计  公务用车购置费  公务用车运行费                                                        小计  公务用车购置费  公务用车运行费
     1                 2                     3               4               5           6       7                 8                     9              10              11          12
 27.00              8.00                 14.00                           14.00        5.00   22.05              6.52                 12.37                           12.37        3.16

注："三公"经费预算数为年初部门预算数。
"""

EXPECTED_BY_ROLE = {
    "budget": {"total": "27.00", "overseas": "8.00", "vehicle": "14.00", "vehicle_operation": "14.00",
               "reception": "5.00"},
    "final": {"total": "22.05", "overseas": "6.52", "vehicle": "12.37", "vehicle_operation": "12.37",
              "reception": "3.16"},
}


def _three_public(record: dict) -> dict:
    table = record["tables"].get("three_public", {})
    return {role: {key: figure["value"] for key, figure in table.get(role, {}).items()}
            for role in ("budget", "final")}


def _unread(record: dict, section: str) -> list[str]:
    return [u["reason"] for u in record["_meta"]["unread"] if u["section"] == section]


def test_three_public_by_role_with_blank_cells_is_placed_under_the_numbered_columns():
    record = read_document((HEAD + THREE_PUBLIC_BY_ROLE).encode(), name="x.txt")
    assert _three_public(record) == EXPECTED_BY_ROLE
    assert _unread(record, "财政拨款“三公”经费支出决算表") == []


# the same table with its item names right-aligned over the figures, without a numbering line
# (half-width brackets: a text line's columns are counted on its normalised text)
THREE_PUBLIC_BY_ROLE_ALIGNED = """\
一般公共预算财政拨款"三公"经费支出决算表
单位：万元
  预算数                                                                          决算数
    合计    因公出国(境)费  公务用车购置及运行费                      公务接待费    合计    因公出国(境)费  公务用车购置及运行费                      公务接待费
                                小计  公务用车购置费  公务用车运行费                                            小计  公务用车购置费  公务用车运行费
   27.00              8.00     14.00                           14.00        5.00   22.05              6.52     12.37                           12.37        3.16
"""


def test_three_public_by_role_without_a_numbering_line_is_placed_under_the_item_names():
    record = read_document((HEAD + THREE_PUBLIC_BY_ROLE_ALIGNED).encode(), name="x.txt")
    assert _three_public(record) == EXPECTED_BY_ROLE
    assert _unread(record, "财政拨款“三公”经费支出决算表") == []


def test_three_public_by_role_with_every_cell_filled_is_read_by_role_not_by_pairs():
    filled = THREE_PUBLIC_BY_ROLE.replace(
        " 27.00              8.00                 14.00                           14.00        5.00   22.05"
        "              6.52                 12.37                           12.37        3.16",
        " 27.00              8.00                 14.00            0.00           14.00        5.00   22.05"
        "              6.52                 12.37            0.00           12.37        3.16")
    assert filled != THREE_PUBLIC_BY_ROLE
    record = read_document((HEAD + filled).encode(), name="x.txt")
    expected = {role: dict(figures, vehicle_purchase="0.00") for role, figures in EXPECTED_BY_ROLE.items()}
    assert _three_public(record) == expected


def test_three_public_figures_under_no_column_are_listed_not_guessed():
    # 8.00 moved left of every numbered column: the line cannot be placed, so it is listed
    moved = THREE_PUBLIC_BY_ROLE.replace(" 27.00              8.00 ", " 27.00 8.00              ")
    assert moved != THREE_PUBLIC_BY_ROLE
    record = read_document((HEAD + moved).encode(), name="x.txt")
    assert _three_public(record) == {"budget": {}, "final": {}}
    assert any("not placed" in reason for reason in _unread(record, "财政拨款“三公”经费支出决算表"))


# 七 worded with each figure's budget first and the final figure by its role alone (the template says
# "…年初预算为 B 万元，支出决算为 F 万元" of the total only, after "三公经费财政拨款支出")
THREE_PUBLIC_BUDGET_FIRST = """\
第三部分 2024年度部门决算情况说明
七、一般公共预算财政拨款"三公"经费支出决算情况说明
2024年度一般公共预算财政拨款"三公"经费支出预算为27.00万元，支出决算为22.05万元，完成预算的81.67%，\
决算数小于预算数的主要原因是：从严控制"三公"经费支出。
因公出国（境）费预算为8.00万元，支出决算为6.52万元，完成预算的81.50%。
公务用车购置及运行维护费预算为14.00万元，支出决算为12.37万元，完成预算的88.36%。
公务接待费预算为5.00万元，支出决算为3.16万元，完成预算的63.20%。
"""


def test_three_public_paragraph_with_the_budget_named_first_reads_the_final_figures():
    # before: each budget was read as the item's final figure (因公出国 8.00, 公务接待 5.00), the
    # final figures listed as naming nothing
    record = read_document((HEAD + THREE_PUBLIC_BUDGET_FIRST).encode(), name="x.txt")
    paragraph = record["three_public"]
    assert (paragraph["final"]["value"], paragraph["budget"]["value"], paragraph["completion"]["value"]) \
        == ("22.05", "27.00", "81.67")
    assert {key: (paragraph[key]["final"]["value"], paragraph[key]["budget"]["value"])
            for key in ("overseas", "vehicle", "reception")} \
        == {"overseas": ("6.52", "8.00"), "vehicle": ("12.37", "14.00"), "reception": ("3.16", "5.00")}
    assert paragraph["comparison"] == "小于"
    assert record["_meta"]["unread"] == []

"""The column vocabulary of the national tables: a printed column header to the key a record
keeps its figures under ("因公出国（境）费" → ``overseas``, "基本支出" / "小计" → ``basic``).

One home for the budget tables, the 三公 tables and the transposed 三公 table of both templates:
a column header the tables print is named the same wherever it stands.  A header matched by no
pattern is ``col_N`` (its position): the readers never read a row into such a column as a field.

Columns against last year, as many provinces print them beside 本年预算数: "上年预算数" /
"上年执行数" (or 合计 under such a group) → ``prior``, "增减额" (or 金额 under "比上年增减") →
``change``, "增减（%）" / "增长率" (or % under "比上年增减") → ``pct``; a row's share of the
table's total ("占支出总额比重（%）", "占比") → ``share``.
"""

from __future__ import annotations

import re

__all__ = ["column_key", "resolve_subtotals", "resolve_group_parts", "UNIT_SUFFIX", "LABEL_KEYS", "heads_row_labels", "heads_figure_columns"]

# (pattern on a column's leaf header, pattern on the whole header or None, key), in order.
_COLUMNS: list[tuple[str, str | None, str]] = [
    # (a header path joins its cells with "/": "单位" / "编码" wrapped over two lines is the unit's code)
    (r"", r"单位/?(?:编码|代码)", "unit_code"),
    (r"机关运行", None, "operating_costs"),
    # one column for both ("科目编码及名称", "项目"): its cells print the code and the name together
    (r"", r"(?:编码|代码)(?:及|和|与|/|、)名称", "name"),
    (r"^项目$", None, "name"),
    # the column naming each row's year in a 三公 table of year rows ("年度": "2024年预算", "2025年预算")
    (r"^(?:年度|年份)$", None, "name"),
    (r"", r"编码|代码|科目编号", "code"),
    (r"^(?:类|款|项)$", None, "code"),       # 类/款/项 columns under a heading without 编码
    (r"", r"名称", "name"),
    # a column headed by the classification alone ("科目", "支出功能分类科目"): its cells print
    # the code and the name together ("[2070101]行政运行", "2070101 行政运行")
    (r"^(?:支出功能分类|功能分类|支出经济分类|部门预算经济分类|政府预算经济分类|经济分类)?科目$", None, "name"),
    # against last year (before 合计/财政拨款…: "上年预算数" over 合计 is last year's 合计)
    (r"上年(?:度)?(?:预算|执行|决算)|^上年数$", None, "prior"),
    (r"^(?:合计|总计|小计|金额)$", r"上年(?:度)?(?:预算|执行|决算)", "prior"),
    (r"增减.*(?:%|％|率|幅)|增长率|增幅|变动率|(?:%|％)$", r"增减|增长|变动|比上年", "pct"),
    (r"占.{0,8}(?:比重|比例)|^比重|^占比", None, "share"),
    (r"增减额|增减数|增（减）额|增\(减\)额|增减金额|^增减$|^变动额$", None, "change"),
    (r"^(?:金额|数额)$", r"增减|变动|比上年", "change"),
    (r"^小计$", r"出国", "overseas"),
    (r"^小计$", r"公务用车", "vehicle"),
    # 基本支出 / 项目支出 / 财政拨款 split further (小计, 人员经费, 公用经费 …): the 小计 is the group's
    (r"^小计$", r"基本支出", "basic"),
    (r"^小计$", r"项目支出", "project"),
    (r"^小计$", r"财政拨款", "appropriation"),
    (r"一般公务出国", None, "overseas_general"),
    (r"学术交流|高等院校|科研院所", None, "overseas_academic"),
    (r"因公出国", None, "overseas"),
    (r"公务接待", None, "reception"),
    (r"购置及运行|购置和运行", None, "vehicle"),
    (r"运行", r"公务用车", "vehicle_operation"),
    (r"购置", r"公务用车", "vehicle_purchase"),
    (r"^(?:合计|总计)$", None, "total"),
    # 基本支出 printed left-aligned over its first part, in text without rules: the two words over
    # the one column read as one header cell wrapped over two lines ("基本支出人员经费") -- the
    # part's column, never all of basic spending (the other part's column stands beside it);
    # so too a two-level header flattened into one cell, its levels joined by a dash or a slash
    # ("基本支出—人员经费", "基本支出-公用经费", "基本支出/人员经费": a spreadsheet's single header row)
    (r"^基本支出\W{0,2}人员经费$", None, "personnel"),
    (r"^基本支出\W{0,2}公用经费$", None, "public"),
    (r"基本支出", None, "basic"),
    (r"项目支出", None, "project"),
    (r"人员经费", None, "personnel"),
    (r"公用经费", None, "public"),
    (r"上缴上级", None, "remit_superior"),
    (r"对附属单位补助", None, "affiliated_subsidy"),
    (r"经营支出|经营收入", None, "operating"),
    (r"非财政拨款结余|用事业基金弥补收支差额", None, "non_appropriation_balance"),
    # (a header cell wrapped "一" / "般公共…": the thin stroke "一" may be set on the next line, after
    # "般公共" -- its box is a few points high, so its middle is not where the line's is)
    (r"一般公共预算|般公共一?预算", None, "general_budget"),
    (r"政府性基金", None, "gov_fund"),
    (r"国有资本经营", None, "state_capital"),
    (r"财政拨款", None, "appropriation"),
    # ("财政专户管理资金": the template's later name for the same column, the fees a finance bureau's
    # special account holds -- 教育收费 above all; "财政专户" alone where a group's title says the rest)
    (r"教育收费|财政专户管理资金|财政专户资金|^财政专户$", None, "education_fees"),
    (r"事业收入", None, "business"),
    (r"附属单位上缴", None, "affiliated"),
    (r"上级补助", None, "superior_subsidy"),
    (r"其他收入", None, "other"),
    (r"上年结转|结转结余", None, "carryover"),
    (r"^小计$", None, "subtotal"),
]


# Compiled once: every header cell of every table is matched against them in turn.
_COLUMN_PATTERNS = [(re.compile(leaf), re.compile(full) if full is not None else None, key)
                    for leaf, full, key in _COLUMNS]


# A header cell's unit ("合计（元）", "预算数(万元)"): the table's unit (common/units.py), not its name.
UNIT_SUFFIX = re.compile(r"[(（](?:金额)?(?:单位[:：]?)?(?:万元|亿元|千元|元)[)）]")


def column_key(leaf: str, full: str, position: int) -> str:
    """The key of a column whose lowest header cell is *leaf* under the whole header *full*
    (its cells above joined), or ``col_N`` for the column at *position* when none matches."""
    if "元" in full:
        leaf, full = UNIT_SUFFIX.sub("", leaf), UNIT_SUFFIX.sub("", full)
    for leaf_pattern, full_pattern, key in _COLUMN_PATTERNS:
        if leaf_pattern.search(leaf) and (full_pattern is None or full_pattern.search(full)):
            return key
    return f"col_{position + 1}"


# The keys of the columns labelling a row, not holding its figures: its code, name, unit's code.
LABEL_KEYS = ("code", "name", "unit_code")


def heads_row_labels(words) -> bool:
    """Whether a line's *words* are a header naming the rows' label columns ("科目编码", "科目名称",
    "项目", "类 款 项"): more than one word, none a figure, one naming such a column."""
    return len(words) > 1 and not any(_FIGURE.search(w.text) for w in words) \
        and any(column_key(w.text, w.text, 0) in LABEL_KEYS for w in words)


def heads_figure_columns(words) -> bool:
    """Whether a line's *words* are a header naming figure columns only ("项目支出 上缴上级支出 经营支出",
    a table's further columns printed beside its rows without their labels): more than one word,
    none a figure nor naming a label column, two or more naming columns the templates know."""
    if len(words) < 2 or any(_FIGURE.search(w.text) for w in words):
        return False
    keys = [column_key(w.text, w.text, 0) for w in words]
    return not any(key in LABEL_KEYS for key in keys) and sum(not key.startswith("col_") for key in keys) >= 2


_FIGURE = re.compile(r"\d\.\d{2}(?!\d)|\d,\d{3}")


# A group's parts, as the template prints them after its 小计 column.
# (the table's own 小计 -- "编码 | 名称 | 小计 | 基本支出 | 项目支出", as some regions head table 5 --
# is its total: 基本支出 and 项目支出 are its parts)
_GROUP_PARTS = {"vehicle": ("vehicle_purchase", "vehicle_operation"),
                "overseas": ("overseas_general", "overseas_academic"),
                "basic": ("personnel", "public"),
                "total": ("basic", "project")}


def resolve_subtotals(keys: list[str]) -> list[str]:
    """Keys with each ``subtotal`` column (a 小计 whose header path does not name its group: text
    whose group title stands off its columns, as ``pdftotext -layout`` writes a header over three
    lines) named by the group whose parts follow it (小计 | 购置费 | 运行费 is the 公务用车 group's),
    when the table (a 三公 table printing two years' blocks: the block, :func:`_block_of`) has no
    such column already."""
    out = list(keys)
    for i, key in enumerate(keys):
        if key != "subtotal":
            continue
        after = keys[i + 1:i + 3]
        for group, parts in _GROUP_PARTS.items():
            # (the table's own 合计 is one whatever the blocks: a 小计 is never a second)
            if group not in (out if group == "total" else _block_of(out, i)) and after \
                    and all(k in parts for k in after):
                out[i] = group
                break
    return out


def _block_of(keys: list[str], at: int) -> list[str]:
    """The keys of the block of columns *at* stands in: from the 合计 at or before it to the next
    (a table printing its items twice, last year's block beside this year's, repeats 合计 and its
    parts; a table of one block is one block)."""
    start = max((i for i in range(at + 1) if keys[i] == "total"), default=0)
    end = next((i for i in range(at + 1, len(keys)) if keys[i] == "total"), len(keys))
    return keys[start:end]


# The parts a 公务用车 column's leaf names alone, read as the group's where the group's title
# stands off them.
_VEHICLE_PARTS = (("购置", "vehicle_purchase"), ("运行", "vehicle_operation"))
_VEHICLE = ("vehicle", "vehicle_purchase", "vehicle_operation")


def resolve_group_parts(keys: list[str], leaves: list[str]) -> list[str]:
    """Keys with a column no pattern named (``col_N``) whose leaf is a part of the 公务用车 group
    (购置费, 运行费) named as that part, where it follows the group's columns and the table (its block,
    :func:`_block_of`) has no such column already: text whose group title "公务用车购置及运行费" stands centred over its
    leaves but off its figures (``pdftotext -layout``: the figures, right-aligned, widen the
    columns to the right) spreads the title over the 小计 and 购置费 only."""
    out = list(keys)
    for i, key in enumerate(keys):
        if not key.startswith("col_") or not i or out[i - 1] not in _VEHICLE:
            continue
        for needle, part in _VEHICLE_PARTS:
            if needle in leaves[i] and part not in _block_of(out, i):
                out[i] = part
                break
    return out

"""Clauses of the 决算 情况说明 read the same way whatever the sentence around them: the 项 code of
a narrative item from its printed 类/款/项 names, and the "决算数小于预算数的主要原因：…" comparison
that follows a final figure and its budget (used by :mod:`.narrative` and :mod:`.phrases`), and the
names several parts given one figure share ("上缴上级支出、经营支出、对附属单位补助支出均为 0 万元")."""

from __future__ import annotations

import re

from ...data.classification import classification

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from ..common.record import RecordBuilder

__all__ = ["item_code", "comparison", "add_item", "ITEM_NUMBER", "classed_heads", "jointly_named"]

# Several names given one figure: "A、B、C 均为 X 万元", "A 和 B 都是 X 万元", "A、B 及 C 各为 X 万元" (as printed or
# normalised); the figure is each of theirs
_JOINT_WORD = re.compile(r"(?:均|都|各|皆)(?:为|是)?\s*$")
_JOINED = re.compile(r"、|以及|及|和|与")
_CLAUSE_START = re.compile(r"[，,；;：:。（()）]")


def jointly_named(text: str, end: int, is_part) -> list[str] | None:
    """The names of the clause of *text* ending at *end* with 均 / 都 / 各 (and 为: "…；经营收入、附属单位上缴
    收入均为"), when there are two or more and each is a part the list may have (*is_part* of the name);
    else None."""
    found = _JOINT_WORD.search(text, 0, end)
    if found is None:
        return None
    start = max((m.end() for m in _CLAUSE_START.finditer(text, 0, found.start())), default=0)
    names = [name.strip() for name in _JOINED.split(text[start:found.start()].strip().removeprefix("其中"))]
    return names if len(names) > 1 and all(is_part(name) for name in names) else None


# A numbered 项 of 五（三）: "1、" in the template, "1." / "（1）" elsewhere (never the digits of an
# amount); in running text as printed or normalised (the narrative's sentences, the phrases' stream)
ITEM_NUMBER = r"(?<![\d,.．])(?:\d+[、.．]|[（(]\d+[）)])"
_NEXT_ITEM = re.compile(ITEM_NUMBER + r"(?!\d)")   # ("完成预算的90.00%" is no item "90.")


# 项 numbered under a heading of their 类 ("1.教育支出(类)", then "(1)职业教育(款)中等职业教育(项):
# 年初预算数为…"): the heading, and each 项 naming its 款 and itself (text normalised: "(", ":")
_CLASS_HEAD = re.compile(ITEM_NUMBER + r"(?P<cls>[^(。:;,]+)\(类\)(?![^(。]*\(款\))")
_KUAN_XIANG_HEAD = re.compile(ITEM_NUMBER + r"(?P<kuan>[^(。:;,]+)\(款\)(?P<xiang>[^(。:;,]+)\(项\)[。:]?")


class _ClassedHead:
    """A 项 head under its 类's heading, read as a head naming all three (``group``, ``start``,
    ``end``); ``cut``: where the item before it ends (the 类 heading between them, else its start)."""

    def __init__(self, found: re.Match, cls: str, cut: int):
        self._found, self._cls, self.cut = found, cls, cut

    def group(self, name: str) -> str:
        return self._cls if name == "cls" else self._found.group(name)

    def start(self) -> int:
        return self._found.start()

    def end(self) -> int:
        return self._found.end()


def classed_heads(text: str) -> list:
    """The 项 heads of *text* numbered under headings of their 类 (:data:`_CLASS_HEAD`), each with
    the 类 of the heading above it; none when a 项 stands under no heading."""
    classes = list(_CLASS_HEAD.finditer(text))
    heads = []
    for found in _KUAN_XIANG_HEAD.finditer(text):
        above = [c for c in classes if c.end() <= found.start()]
        if not above:
            return []
        since = [c for c in above if heads and c.start() >= heads[-1].end()]
        cut = since[0].start() if since else found.start()
        heads.append(_ClassedHead(found, above[-1].group("cls").strip(), cut))
    return heads


def item_code(fn, cls: str, kuan: str, xiang: str, table_rows: list, claimed: set) -> str | None:
    """The 项 code of a narrative item from its three printed names: the 项 line of the general
    budget table (*table_rows*: code and printed name) printing the same name under the same 类/款
    (a 项 the list lacks: 群众文化 2070109; one the document codes its own way: 事业运行 printed as
    2040611, not the list's 2040650 -- or the list, typed by hand, may be wrong: its 事业运行 under 农业农村
    is 2130150, a document's table prints 2130104), else by the standard list, else the one line the list names
    so, else the only unclaimed line under the 款."""
    # (a 项 printed without its 类 and 款: the table's line of its name only)
    c = fn.find(cls) if cls else None
    k = fn.find(kuan, c) if c else None
    under = [(r, name) for r, name in table_rows if r not in claimed and (not c or r.startswith(c))
             and (not k or r.startswith(k))]
    # (the document's own table first: NAR-012 compares the item with the line it prints, and a
    # code the table does not print would be compared with 0.00)
    printed = [r for r, name in under if name == "".join(xiang.split())]
    if len(printed) == 1:
        return printed[0]
    x = fn.find(xiang, k) if k else None
    if x:
        return x
    candidates = [r for r, _ in under]
    named = [r for r in candidates if fn.name(r) and fn.find(xiang, r[:5]) == r]
    if len(named) == 1:
        return named[0]
    if k and len(candidates) == 1:
        return candidates[0]
    return None


# "减少的主要原因是：…", "主要原因：…" (a reason without the comparison's words), read where the
# sentence before stated the comparison otherwise ("比年初预算减少 8.00 万元")
_REASON = re.compile(r"^[。,，;；]?(?:(?:增加|减少|节约|超支|差异|变动)的?)?主要原因(?:是|为)?[：:]?(?P<reason>[^。]*)")


# The comparison of a final figure with its budget, in the template's words and regions': its word
# (大于 / 小于 / 高于 / 低于), or a difference with no direction, or 持平 -- each may name the budget compared
# with (年初 / 全年 / 调整: `against`). The reason's lead-in as the template prints it ("的主要原因是") or
# without its 主要, or with it after ("的原因是：主要是…", "的原因主要是…").
_COMPARISON = re.compile(
    r"决算数(?:(?:(?P<word>大于|小于|高于|低于)(?P<against>年初|全年|调整后?)?预算数?(?:的|[，,]其?)"
    r"|(?P<differ>(?:与|和|同)(?:年初|全年|调整后?)?预算数?(?:存在|有)?的?差异的?))(?:主要)?原因(?:主要)?(?:是|为)?[：:]?(?P<reason>[^。]*)"
    r"|(?:同|与)(?P<level_against>年初|全年|调整后?)?预算数?持平)")


def comparison(text: str, loose: bool = False) -> tuple[str | None, str | None, str | None]:
    """The comparison of a final figure with its budget printed at the start of *text* ("决算数
    小于预算数的主要原因：…", "决算数与预算数持平"): its word (大于 / 小于 / 持平), its reason, and the budget
    it names (``年初预算`` -- "决算数大于年初预算数的主要原因…" --, ``全年预算`` -- "…大于调整预算数…", "与全年预算数
    持平" --, None where it names none: a sentence printing a 年初预算 and a 全年预算 compares with one of them
    by its own words, 贵州's "决算数大于年初预算数的主要原因是…；未完成调整预算的主要原因是…" being no claim about
    the full-year budget).  *loose*: also a reason printed alone right there ("减少的主要原因是：…"), with
    no word."""
    if loose:
        alone = _REASON.match(text)
        if alone:
            return None, alone.group("reason").strip(), None
    # ("主要原因：" in the template; "主要原因是：", "主要原因为", "决算数小于年初预算数，主要原因是…"
    # elsewhere; "决算数与年初预算数存在差异的 主要原因是：" a reason that names no direction.)  Never
    # past the next numbered item: a total's comparison in words not taken here must not take its
    # first item's.
    window = text[:160]
    after = _NEXT_ITEM.search(window, 1)
    found = _COMPARISON.search(window[:after.start()] if after else window)
    if not found:
        return None, None, None
    named = found.group("against") or found.group("level_against")
    against = None if not named else "年初预算" if named == "年初" else "全年预算"
    if found.group("word"):
        word = {"高于": "大于", "低于": "小于"}.get(found.group("word"), found.group("word"))
        return word, found.group("reason").strip(), against
    if found.group("differ"):
        return None, found.group("reason").strip(), None
    return "持平", None, against


def add_item(builder: RecordBuilder, row: dict, printed: tuple[str, str, str], line: int, claimed: set,
             names: list) -> None:
    """Append a 项 *row* of 五（三） (its 类/款/项 names as *printed*, on *line*): its code claimed and
    its three names kept for the quality facts, or, with no code, listed as not compared -- and
    written without one, known by its place: two items without a code are two items (written with
    code "" they were one code twice, and the loader refused the whole document)."""
    code = row.get("code")
    cls, kuan, xiang = printed
    if code:
        claimed.add(code)
        names.append((code, xiang, line, "function"))
        if cls:
            names += [(code[:5], _named(kuan, code[:5]), line, "function"), (code[:3], _named(cls, code[:3]), line, "function")]
    else:
        # neither the classification nor the table knows the 项: NAR-012 cannot compare it
        builder.add_unread("情况说明", (line, line), f"a 项 the narrative names has no code (not in the "
                           f"classification nor in the table): not compared with the table: {xiang}")
        row.pop("code", None)
    # (in print order: an item the phrase reader took, in words the template's pattern did not, is
    # read after the others)
    items = builder.get("general_budget.items") or []
    at = next((i for i, other in enumerate(items) if _line_of(other) > line), len(items))
    # (inserted through the builder too: a code already there is listed, never written twice)
    builder.append("general_budget.items", row, at=at)


def _named(printed: str, code: str) -> str:
    """A 类 / 款 name as the quality facts compare it: "文化旅游体育与传媒（类）" -- the standard name
    less its "支出", as regions title a level their marker names -- is the standard name, not
    another (QUA-009 warned on every item so printed)."""
    standard = classification("function").name(code)
    return standard if standard is not None and standard == printed + "支出" else printed


def _line_of(row: dict) -> int:
    """The line an item's budget is printed on (its head's, near enough to order the items)."""
    source = (row.get("budget") or {}).get("source") or {}
    return source.get("line") or 0

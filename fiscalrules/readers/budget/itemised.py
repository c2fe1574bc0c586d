"""The itemised 编制说明 family: totals, the reason sentence and one item per classification line.

Some regions print the budget narrative not as the sectioned 情况说明 (收入预算情况, 支出预算情况 …,
read by :mod:`.narrative`) but as one 预算编制说明::

    2025年，X收入预算 A 万元，其中：财政拨款收入 A 万元，比 2024 年预算执行数增加 C 万元；事业收入 0 万元；…
    支出预算 A 万元，其中：财政拨款支出预算 A 万元，比 2024 年预算增加 C 万元。财政拨款支出预算中，
    一般公共预算拨款支出预算 A 万元，比 2024 年预算增加 C 万元；政府性基金拨款支出预算 0 万元，比 2024 年预算持平；…
    财政拨款收入支出增加的主要原因是：……
    财政拨款支出主要内容如下：
    1. "一般公共服务支出（类）商贸事务（款）行政运行（项）"938.99 万元，主要用于……。
    2. "社会保障和就业支出-行政事业单位养老支出-行政单位离退休"科目 155.42 万元，主要用于……。
    3. "……（项）"25.77 万元，主要用于……。2023 年当年预算执行数为 60.13 万元，2024 年预算安排 25.77 万元，
       比 2023 年预算执行数减少 57.14%。主要原因是：……。
    4. X（项）上年执行数 A 万元，本年预算安排 B 万元，比上年执行数增加 C 万元，增长 D%，主要原因是……

The totals go to the paths the sectioned family uses (``income.*``, ``expenditure.total``,
``appropriation.*``), mapped by the template's names (:mod:`.labels`). Each numbered item becomes a
row of ``appropriation.items``: its printed 类/款/项 names, the current-year amount, the prior-year
execution, a restated 本年预算安排, the change and percentage as printed, 主要用于 and 主要原因.
Codes are resolved afterwards, once the function tables are read (:func:`resolve_item_codes`).
"""

from __future__ import annotations

import re

from ...data.classification import classification
from ...document.model import compact
from ...document.stream import Stream
from ..common.amounts import Phrase, scan
from ..common.classes import FUNCTION_CLASSES
from ..common.labels import Field, NameMap
from ..common.ordinals import ordinal
from ..common.record import RecordBuilder, figure, phrase_figure, source
from .narrative import INCOME_FIELDS, map_by_names

__all__ = ["read_itemised_stream", "split_items", "classified_items", "split_names", "read_item", "resolve_item_codes",
           "ITEMS_PATH", "ITEM_REASON"]

ITEMS_PATH = "appropriation.items"
_MONEY = ("万元", "元", "亿元")

# The income sentence names the sources as the sectioned family does; the expenditure sentence
# names 支出预算, 财政拨款支出预算 and its three funds.
_TOTALS = NameMap([
    *INCOME_FIELDS,
    Field("expenditure.total", [r"支出预算", r"支出总额", r"支出总预算", r"总支出"], _MONEY),
    Field("appropriation.total", [r"财政拨款支出(?:预算)?", r"财政拨款预算支出"], _MONEY),
    Field("appropriation.general_budget", [r"一般公共预算(?:财政)?(?:拨款)?支出(?:预算)?"], _MONEY),
    Field("appropriation.gov_fund", [r"政府性基金(?:预算)?(?:财政)?(?:拨款)?支出(?:预算)?"], _MONEY),
    Field("appropriation.state_capital", [r"国有资本经营(?:预算)?(?:财政)?(?:拨款)?支出(?:预算)?"], _MONEY),
])

# "1. “", "12.“", "3、X（类）": an item number (consecutive from 1) opening a classification line.
_ENUMERATOR = re.compile(r"(?:^|(?<=[。:;)\s]))(?P<n>\d{1,3})[.、](?=\s*[\"“「]|\s*[\u4e00-\u9fff])")
# (the number an item starts with, as printed: "1.", "12、", "(1)", "(一)")
_ITEM_NUMBER = re.compile(r"(?:\d{1,3}[.、]|\((?:\d{1,3}|[一二三四五六七八九十]{1,3})\))\s*")
# An item of a list of classification lines numbered any way the template numbers them: "1." / "1、" /
# "(1)", or "(一)" (河南) -- at a line's or sentence's start, before a name
_ANY_ENUMERATOR = re.compile(r"(?:^|(?<=[。:;)\s]))(?:(?P<open>\()?(?P<n>\d{1,3})(?(open)\)|[.、])"
                             r"|\((?P<cn>[一二三四五六七八九十]{1,3})\))(?=\s*[\"“「]|\s*[\u4e00-\u9fff])")
_CLASS_LEVEL = re.compile(r"\((?:类|款|项)\)")
_QUOTED = re.compile(r"\s*[\"“「](?P<name>[^\"”」]{2,80})[\"”」]")
_LEAD_IN = re.compile(r"[^。:]*(?:主要内容|具体(?:内容|情况)|主要用途)[^。:]*(?:如下|包括)[:]?")
_REASON = re.compile(r"(?P<subject>[^。;:]*?)(?P<word>增加|减少|增长|下降|持平)?的?主要原因(?:是|为)?[:]?"
                     r"(?P<reason>[^。]*)")
# (a figure's reason after it: an item's, the central template's total's -- general_budget_year.py)
ITEM_REASON = re.compile(r"主要原因(?:是|为)?[:]?(?P<reason>[^。]*)")
_PURPOSE = re.compile(r"主要用于[:]?(?P<purpose>[^。]*)")
_PRIOR = re.compile(r"执行|上年|上一年|去年")
_PLANNED = re.compile(r"安排|本年|预算数$|预算$")
# Label words between a name and its first figure ("科目", "上年执行数为").
_NAME_TAIL = re.compile(r"(?:科目)?(?:(?:上年|本年|\d{4}年)度?(?:当年)?(?:预算)?(?:执行数|安排|预算数)?)?(?:为|是)?[:]?$")


def read_itemised_stream(builder: RecordBuilder, stream: Stream, heading: str) -> None:
    """Read one 预算编制说明 section: totals, reason, items; other figures are listed as unread."""
    items = split_items(stream)
    totals_end = items[0][1] if items else len(stream.text)
    lead_in = None
    for found in _LEAD_IN.finditer(stream.text, 0, totals_end):
        lead_in = found
    if lead_in is not None:
        totals_end = min(totals_end, lead_in.start())
    phrases = scan(stream, 0, totals_end)
    map_by_names(builder, phrases, _TOTALS, heading)
    _read_reason(builder, stream, totals_end, heading)
    for phrase in phrases:
        builder.unread_phrase(phrase, heading)
    for number, start, end in items:
        read_item(builder, stream, number, start, end, heading)


def split_items(stream: Stream, start: int = 0, end: int | None = None,
                enumerator: re.Pattern[str] = _ENUMERATOR) -> list[tuple[str, int, int]]:
    """The numbered items of the stream (from *start* to *end*) as (number, start, end), numbers
    consecutive from 1 (*enumerator*: the pattern of an item's number, its group ``n``)."""
    end = len(stream.text) if end is None else end
    found: list[tuple[str, int]] = []
    expected = 1
    for match in enumerator.finditer(stream.text, start, end):
        number = match.group("n") or match.groupdict().get("cn")
        if number and ordinal(number) == expected:
            found.append((number, match.start()))
            expected += 1
    return [(n, at, found[i + 1][1] if i + 1 < len(found) else end) for i, (n, at) in enumerate(found)]


def classified_items(stream: Stream, start: int = 0) -> list[tuple[str, int, int]]:
    """The numbered items from *start* on, as :func:`split_items` gives them, where the first names a
    classification line by its levels ("1.城乡社区支出（类）…（款）…（项）", "（一）社会保障和就业支出（类）…"):
    a list of the function classification's lines, each read as an item (:func:`read_item`); none
    where the first is anything else (a list of reasons, of projects)."""
    items = split_items(stream, start, enumerator=_ANY_ENUMERATOR)
    if items and _CLASS_LEVEL.search(stream.text, items[0][1], items[0][2]):
        return items
    return []


def _read_reason(builder: RecordBuilder, stream: Stream, end: int, heading: str) -> None:
    found = _REASON.search(stream.text, 0, end)
    if not found or not found.group("reason").strip(","):
        return
    lines = stream.lines_of(*found.span())
    src = source(stream.document.name, heading, lines[0], stream.excerpt(*found.span()))
    builder.put("appropriation.change_reason", figure(found.group("reason").strip(","), src=src),
                section=heading, lines=lines)
    if found.group("word"):
        builder.put("appropriation.change_word", figure(found.group("word"), src=src),
                    section=heading, lines=lines)


def split_names(name: str) -> dict[str, str]:
    """Printed 类/款/项 names of an item: "X（类）Y（款）Z（项）", "X-Y-Z", or one name (the 项)."""
    text = "".join(name.split())
    marked = re.findall(r"(.+?)\((类|款|项)\)", text)
    if marked:
        keys = {"类": "lei_name", "款": "kuan_name", "项": "xiang_name"}
        names = {keys[level]: part for part, level in marked}
        if list(names) == ["xiang_name"]:
            names = _bracketed_kuan(names["xiang_name"]) or names
        return names
    if _bracketed_kuan(text):
        return _bracketed_kuan(text)
    parts = [p for p in re.split(r"[-—–]+", text) if p]
    if len(parts) == 3:
        return {"lei_name": parts[0], "kuan_name": parts[1], "xiang_name": parts[2]}
    if len(parts) == 2:
        return {"lei_name": parts[0], "kuan_name": parts[1]}
    return {"xiang_name": text}


# "社会保障和就业支出（行政事业单位养老支出）行政单位离退休（项）": the 类 name (every one ends in 支出), its 款
# name in brackets, the 项 name after them. (A bracket inside one name is a word or two: "政府办公厅（室）".)
_LEI_KUAN_XIANG = re.compile(r"(?P<lei_name>[^()]+支出)\((?P<kuan_name>[^()]{2,})\)(?P<xiang_name>[^()]{2,})")


def _bracketed_kuan(text: str) -> dict[str, str] | None:
    """The 类, 款 and 项 names of "X（Y）Z" -- the 款 bracketed after the 类 --, or None."""
    found = _LEI_KUAN_XIANG.fullmatch(text)
    return found.groupdict() if found else None


def _item_name(stream: Stream, start: int, end: int, first_number: int) -> tuple[str, int]:
    """The printed name of the item starting at *start* and where it ends."""
    quoted = _QUOTED.match(stream.text, start, end)
    if quoted:
        return quoted.group("name").strip(), quoted.end()
    text = stream.text[start:first_number]
    marker = None
    for marker in re.finditer(r"\((?:类|款|项)\)", text):
        pass
    if marker is not None:
        return text[:marker.end()], start + marker.end()
    name = _NAME_TAIL.sub("", text)
    return name, start + len(name)


def read_item(builder: RecordBuilder, stream: Stream, number: str, start: int, end: int,
              heading: str, path: str = ITEMS_PATH) -> None:
    """One numbered item (*start*..*end*, its number first: "1.", "1、", "(1)") as a row of *path*."""
    body_start = start + len(_ITEM_NUMBER.match(stream.text, start, end).group(0))
    money = [p for p in scan(stream, body_start, end) if p.unit in _MONEY]
    first_number = money[0].number_start if money else end
    name, name_end = _item_name(stream, body_start, end, first_number)
    phrases = scan(stream, name_end, end)
    row: dict = {"item": number, "name": name}
    row.update(split_names(name))
    roles = _roles(phrases)
    for role, phrase in roles.items():
        phrase.used = True
        row[role] = phrase_figure(phrase, heading, label=None if role == "amount" else phrase.label)
    if "amount" in row:
        # The item's amount is labelled by its classification and quotes the item up to it.
        amount = roles["amount"]
        lines = stream.lines_of(start, amount.end)
        row["amount"]["label"] = name
        row["amount"]["source"] = source(stream.document.name, heading, lines[0],
                                         stream.excerpt(start, _unit_end(stream, amount)))
    for key, pattern in (("purpose", _PURPOSE), ("reason", ITEM_REASON)):
        found = pattern.search(stream.text, name_end, end)
        if found and found.group(key).strip(",:"):
            row[key] = found.group(key).strip(",:")
    if "amount" not in row:
        lines = stream.lines_of(start, end)
        builder.add_unread(heading, lines, f"item {number} ({name}): no amount found: "
                                           f"{stream.excerpt(start, min(end, start + 80))}")
    builder.append(path, row)
    for phrase in phrases:
        builder.unread_phrase(phrase, heading, f"in item {number}, not read")


def _unit_end(stream: Stream, phrase: Phrase) -> int:
    unit = re.match(r" ?(?:万元|亿元|元|万)", stream.text[phrase.number_end:])
    return phrase.number_end + (unit.end() if unit else 0)


def _roles(phrases: list[Phrase]) -> dict[str, Phrase]:
    """Which figure of an item is what: the prior year's (执行数 / 上年), a restated current-year
    budget (本年预算安排 after the item's own amount), and the item's amount (its first other
    figure; when the item opens with the prior year's, the 本年预算安排)."""
    roles: dict[str, Phrase] = {}
    for phrase in phrases:
        if phrase.orphan or phrase.unit not in _MONEY:
            continue
        label = phrase.label
        if _PRIOR.search(label):
            roles.setdefault("prior", phrase)
        elif "amount" not in roles:
            roles["amount"] = phrase
        elif _PLANNED.search(label):
            roles.setdefault("planned", phrase)
    return roles


# -- codes ---------------------------------------------------------------------------------------

_CODED_TABLES = ("general_budget", "expenditure", "income", "gov_fund", "state_capital")


def _key(name: str) -> str:
    return compact(name or "")


def resolve_item_codes(builder: RecordBuilder, standard_names: dict[str, str] | None = None,
                       path: str = ITEMS_PATH) -> None:
    """Give each item of *path* (``appropriation.items``) the function code its printed names designate.

    The names are looked up among the codes the document's function tables print (any coded
    table) and the standard names (*standard_names*: code → name; the 类 list by default):
      1. 类 → 款 → 项 by name;
      2. else the 项 name alone, when exactly one 项 under the 类 (or under a 款 of that name)
         bears it;
      3. else, when the printed 项 name is a 款 of the 类 whose only 项 the tables print, that 项.
    ``resolution`` says which; an item whose names designate no code keeps no ``code`` (the
    rules name it). Standard names (``standard_lei_name``, ``standard_kuan_name``,
    ``standard_name``) come from *standard_names*, else from the tables' names for the code.
    """
    items = builder.get(path)
    if not items:
        return
    standard = {code: compact(name) for code, name in FUNCTION_CLASSES.items()}
    standard.update({code: compact(name) for code, name in (standard_names or {}).items()})
    printed: dict[str, str] = {}
    for key in _CODED_TABLES:
        for row in builder.get(f"tables.{key}.rows") or []:
            code = str(row.get("code") or "")
            if code.isdigit() and len(code) in (3, 5, 7) and row.get("name"):
                printed.setdefault(code, _text(row["name"]))
    names = dict(printed)
    names.update({c: n for c, n in standard.items() if c not in names})
    listed = None   # the year's whole standard list, only for the names no table nor 类 resolves
    taken: set[str] = set()
    for row in items:
        code, how = _resolve(row, names)
        if code is None:
            # An item printed with 0 this year ("…水利工程建设（项）：2026 年预算数为 0.00 万元，比 2025 年
            # 减少 200.00 万元") has no row in this year's tables: its names are looked up in the
            # standard list then (after the tables, so that the tables' codes keep their precedence
            # and a name the list repeats under several 款 -- 行政运行 -- stays resolved as before).
            if listed is None:
                listed = dict(names)
                listed.update({c: compact(n) for c, n in classification("function", builder.year()).names.items()
                               if c not in listed})
            code, how = _resolve(row, listed)
            how = f"{how} (standard list)" if code else how
        if code is None:
            continue
        if code in taken:
            builder.add_unread(row.get("name", ""), _lines(row),
                               f"item {row.get('item')} names code {code} again; not keyed")
            continue
        taken.add(code)
        resolved = {"code": code}
        resolved.update(row)
        resolved["resolution"] = how
        for size, key in ((3, "standard_lei_name"), (5, "standard_kuan_name"), (7, "standard_name")):
            name = standard.get(code[:size]) or printed.get(code[:size])
            if name and len(code) >= size:
                resolved[key] = name
        row.clear()
        row.update(resolved)


def _text(cell) -> str:
    """A name as the items print it after normalising: full-width forms to ASCII, no spaces."""
    return compact(cell.get("value", "") if isinstance(cell, dict) else str(cell))


def _lines(row: dict) -> tuple[int, int]:
    line = ((row.get("amount") or {}).get("source") or {}).get("line") or 0
    return line, line


def _resolve(row: dict, names: dict[str, str]) -> tuple[str | None, str]:
    lei, kuan, xiang = (_key(row.get(k, "")) for k in ("lei_name", "kuan_name", "xiang_name"))

    def codes(size: int, name: str, under: str = "") -> list[str]:
        return [c for c, n in names.items()
                if len(c) == size and c.startswith(under) and _key(n) == name]

    lei_codes = codes(3, lei) if lei else []
    if not lei_codes and lei:
        lei_codes = codes(3, re.sub(r"支出$", "", lei) + "支出")
    if xiang:
        for lc in lei_codes or [""]:
            for kc in codes(5, kuan, lc) if kuan else []:
                found = codes(7, xiang, kc)
                if len(found) == 1:
                    return found[0], "names"
        for lc in lei_codes:
            found = codes(7, xiang, lc)
            if len(found) == 1:
                return found[0], "xiang name within its lei"
        if kuan and not lei_codes:
            found = [c for kc in codes(5, kuan) for c in codes(7, xiang, kc)]
            if len(found) == 1:
                return found[0], "kuan and xiang names"
        for lc in lei_codes:
            as_kuan = codes(5, xiang, lc)
            if len(as_kuan) == 1:
                children = [c for c in names if len(c) == 7 and c.startswith(as_kuan[0])]
                if len(children) == 1:
                    return children[0], "xiang name is a kuan with one xiang"
        if not lei and not kuan:
            found = codes(7, xiang)
            if len(found) == 1:
                return found[0], "xiang name"
    elif kuan:
        for lc in lei_codes:
            found = codes(5, kuan, lc)
            if len(found) == 1:
                return found[0], "names"
    return None, ""

"""Which files of one folder or archive are the parts of one disclosure, without being told.

A portal's download is often one archive holding a department's disclosure in several files: a
Word document with the 概况 and the 情况说明 (its 第二部分 "详见附件" or listing 附件1–9), and the
nine tables in one workbook, or each table in a file of its own ("附件1：2026年部门收支预算总表.xlsx"
… "附件9：…").  Read each alone, the narrative has no tables and the tables no narrative: half the
rules are not evaluable and none comparing the two runs.  :func:`disclosure_groups` finds such
files among those read alone -- by what each prints, never by their names or layout -- so that
they are read as one (:mod:`.joined`):

* one narrative: the 情况说明 without the standard tables (a complete disclosure is never a part;
  nor is a file of several disclosures);
* the files of tables that fit it: each prints one or more standard tables (their titles, each
  followed by the table's own lines: :func:`printed_tables`) and no 情况说明 -- a file that cannot
  be read as a disclosure alone (one table whose title does not say 部门预算) is one too, told by
  its titles (:func:`part_profile` of a document without its record);
* each of the same template and year; the unit each names the same: as its cover, its titles or its
  编制单位 line print it ("松源县农业农村局" / "2026年部门预算", "农业农村局2026年部门收支预算总表"),
  one name the end of the other's ("农业农村局"); a file of tables naming none joins only where
  the narrative it fits is the one narrative of that template and year there.

Any doubt joins nothing of the narrative's: a file of tables two narratives would fit is left
alone, and a narrative two of whose files print the same table (two workbooks of the nine), or
whose files name two units, is joined to none.  Each file left alone is audited alone, as before.
"""

from __future__ import annotations

import re

from ..document.model import Document
from .budget.table_titles import table_title
from .common.coverage import record_figures
from .kind import BUDGET, FINAL_ACCOUNTS, document_kind

__all__ = ["PartProfile", "part_profile", "printed_tables", "disclosure_groups"]

# Record keys that are no part of the 情况说明: the document's facts, the tables, the reading's
# notes, and what a tables file prints besides its tables -- the 概况 (org, staff) before them,
# the performance targets' tables after them.
_NOT_NARRATIVE = ("_meta", "doc", "tables", "quality", "org", "staff", "performance", "performance_targets")
# Tables a narrative prints within its own sections (the 概况's staff counts, the 预算绩效 section's
# 绩效目标表): printing them, it is still a narrative whose standard tables are elsewhere.
_WITHIN_NARRATIVE = frozenset(("staff", "performance_overall", "performance_project"))
_BODY_END = re.compile(r"(?:[局委部办厅院会署处室站所队馆团社校园]|中心|政府|协会|联合会|集团|公司|医院|学校)$")
# A title naming its unit before the year ("松源县农业农村局2026年部门收支预算总表", "…2025年度部门决算").
_TITLED = re.compile(r"^(?P<name>[\u4e00-\u9fff()（）]{2,40}?)(?:20\d\d)年度?")
# A cover's title without the name, which the line(s) before print ("2026年部门预算").
_BARE_TITLE = re.compile(r"^(?:20\d\d)年度?(?:[\u4e00-\u9fff]{0,4})?(?:部门|单位)(?:预算|决算)")
# The unit as a table's heading field prints it ("编制单位：…", "部门名称：…", "预算单位：…"), up to the
# next field of the line ("编制单位：英山县司法局  单位：万元", its spaces gone in the compact line).
_FIELD = re.compile(r"(?:编制单位|填报单位|部门名称|单位名称|预算单位|预算主管部门)[:：]\s*"
                    r"(?P<name>[\u4e00-\u9fff()（）]{2,40}?)(?=(?:金额)?单位[:：]|[^\u4e00-\u9fff()（）]|$)")
_GENERIC = ("部门", "单位", "本部门", "本单位")
# A part's heading before the name ("第二部分 青山县自然资源局2025年部门预算表").
_PART = re.compile(r"^第.{1,3}部分")
_YEAR = re.compile(r"(20\d\d)年")
# A line of a table below its title: its header's cells ("科目编码", "合计", "预算数"), its unit
# ("单位：万元"), a row's figures -- what a listing of the tables' titles (a narrative's 第二部分
# naming its 附件) never prints between two titles.
_TABLE_WORD = re.compile(r"^(?:合计|总计|小计|科目(?:编码|名称|代码)?|功能分类科目|经济分类科目|项目|预算数|决算数|"
                         r"金额|栏次|-?\d[\d,]*\.\d+)$")
_UNIT_FIELD = re.compile(r"单位[:：](?:万元|元|千元|亿元)")
# How far below its title a table's first line is looked for (its 编制单位 line, a blank, the header).
_TABLE_REACH = 6


class PartProfile:
    """What one file read alone holds, as far as joining it goes: its template and year, whether
    it holds a 情况说明 (*narrative*) and standard tables (*tables*; *printed*: their keys, where
    told), the unit names it prints."""

    __slots__ = ("template", "year", "narrative", "tables", "names", "printed")

    def __init__(self, template: str, year: str | None, narrative: bool, tables: bool, names: frozenset,
                 printed: frozenset = frozenset()):
        self.template, self.year, self.narrative, self.tables, self.names = template, year, narrative, tables, names
        self.printed = printed

    @property
    def part(self) -> str | None:
        """``"narrative"`` or ``"tables"`` for a file holding one without the other, else None."""
        if self.narrative != self.tables:
            return "narrative" if self.narrative else "tables"
        return None


def part_profile(doc: Document, data: dict | None) -> PartProfile:
    """The profile of *doc*, read alone into *data* (its one record), or not readable as a
    disclosure alone (*data* None: a file of tables whose titles do not say 部门预算 -- its
    template and year are then those its tables' titles say)."""
    printed = printed_tables(doc)
    if data is None:
        template = document_kind(doc) or _template_of_titles(doc) or ""
        years = {found.group(1) for line in doc.content_lines() if _title_key(line.compact)
                 for found in [_YEAR.search(line.compact)] if found}
        year = years.pop() if len(years) == 1 else None
        return PartProfile(template, year, False, bool(printed), frozenset(_unit_names(doc)), frozenset(printed))
    facts = data.get("doc") or {}
    year = _value(facts.get("year"))
    if year is None:
        years = facts.get("years") or []
        year = _value(years[0].get("year")) if years and isinstance(years[0], dict) else None
    narrative = any(value for key, value in data.items() if key not in _NOT_NARRATIVE)
    template = (data.get("_meta") or {}).get("template") or ""
    # (a narrative listing its 附件's titles has them in its record's tables, none printed; a
    # table whose title is not told by its words alone, read by its header, holds figures)
    standard = frozenset(printed) - _WITHIN_NARRATIVE if narrative else frozenset(printed)
    figured = any(next(iter(record_figures(table)), None) for key, table in (data.get("tables") or {}).items()
                  if key not in _WITHIN_NARRATIVE)
    return PartProfile(template, year, narrative, bool(standard) or figured, frozenset(_unit_names(doc)), standard)


def printed_tables(doc: Document) -> set[str]:
    """The keys of the standard tables *doc* prints: each title followed, before the next title,
    by a line of its table (:data:`_TABLE_WORD`, :data:`_UNIT_FIELD`) -- not a title listed in a
    table of contents or a narrative's list of its 附件."""
    lines = [line for line in doc.content_lines() if len(line.compact) <= 200]
    out: set[str] = set()
    for index, line in enumerate(lines):
        key = _title_key(line.compact)
        if key is None:
            continue
        for below in lines[index + 1:index + 1 + _TABLE_REACH]:
            if _title_key(below.compact):
                break
            if _UNIT_FIELD.search(below.compact) or any(_TABLE_WORD.match(word) for word in below.text.split()):
                out.add(key)
                break
    return out


def disclosure_groups(profiles: list[PartProfile | None]) -> list[list[int]]:
    """The indexes of *profiles* (one folder's or archive's files, in their order; None for a file
    that is no candidate) that are the parts of one disclosure: a narrative and the files of its
    tables, in the files' order, each group of two or more (module docstring)."""
    narratives = [i for i, p in enumerate(profiles) if p is not None and p.part == "narrative"]
    tables = [i for i, p in enumerate(profiles) if p is not None and p.part == "tables"]
    fitted = {j: [i for i in narratives if _fit(profiles[i], profiles[j])] for j in tables}
    groups = []
    for i in narratives:
        own = [j for j in tables if fitted[j] == [i]]
        if own and _one_disclosure([profiles[j] for j in own]):
            groups.append(sorted([i, *own]))
    return groups


def _one_disclosure(parts: list) -> bool:
    """Whether files of tables can be one disclosure's: no table printed twice, one unit named
    (a file whose tables were not told apart may print any: with another, a doubt)."""
    seen: set[str] = set()
    for part in parts:
        if not part.printed and len(parts) > 1 or seen & part.printed:
            return False
        seen |= part.printed
    named = [part.names for part in parts if part.names]
    return all(_same_unit(named[0], names) for names in named[1:])


def _fit(narrative: PartProfile, tables: PartProfile) -> bool:
    if narrative.template != tables.template or not narrative.year or narrative.year != tables.year:
        return False
    if not narrative.names or not tables.names:
        return True     # (a part naming no unit: joined only where it is the one candidate)
    return _same_unit(narrative.names, tables.names)


def _same_unit(names: frozenset, others: frozenset) -> bool:
    return any(a == b or a.endswith(b) or b.endswith(a) for a in names for b in others)


def _title_key(compact: str) -> str | None:
    """The standard table a line is the title of, in either template's wording."""
    if "表" not in compact:     # (nearly every line: asked of each line of each file profiled)
        return None
    # (imported here: an audit of one budget never imports the 决算 reader)
    from .final_accounts.blocks import title_key as final_accounts_title_key
    return table_title(compact) or final_accounts_title_key(compact)


def _template_of_titles(doc: Document) -> str | None:
    """The template whose table titles *doc* prints (a 决算's end …决算表), or None."""
    titles = [line.compact for line in doc.content_lines() if _title_key(line.compact)]
    if not titles:
        return None
    final = [title for title in titles if "决算" in title]
    return FINAL_ACCOUNTS if len(final) == len(titles) else BUDGET if not final else None


def _value(node) -> str | None:
    value = node.get("value") if isinstance(node, dict) else node
    return str(value) if value else None


def _unit_names(doc: Document) -> set[str]:
    """The unit's names *doc* prints in its titles, cover and heading fields."""
    names: set[str] = set()
    content = doc.content_lines()
    for index, line in enumerate(content):
        text = _PART.sub("", line.compact)
        if len(text) > 60:
            continue
        found = _FIELD.search(text)
        if found:
            names.add(found.group("name"))
            continue
        if _BARE_TITLE.match(text):
            # the cover: the name on the line(s) just before "2026年部门预算"
            for before in content[max(0, index - 2):index][::-1]:
                if _BODY_END.search(before.compact) and len(before.compact) <= 40:
                    names.add(before.compact)
                    break
            continue
        found = _TITLED.match(text)
        if found and _BODY_END.search(found.group("name")):
            names.add(found.group("name"))
    return {name for name in names if name not in _GENERIC}

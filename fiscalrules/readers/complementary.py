"""Which files of one folder or archive are the parts of one disclosure, without being told.

A portal's download is often one archive holding a department's disclosure as two files: a Word
document with the 概况 and the 情况说明 (its 第二部分 "详见附件"), and a workbook of the nine
tables.  Read each alone, the narrative has no tables and the tables no narrative: half the rules
are not evaluable and none comparing the two runs.  :func:`complementary_parts` finds such files
among those read alone -- by what each read, never by their names or layout -- so that they are
read as one (:mod:`.joined`):

* each is one disclosure of the same template and year;
* one holds the 情况说明 without the standard tables, the other the tables (with or without the
  概况 before them) without the 情况说明 (a complete disclosure is never a part; nor is a file of
  several disclosures);
* the unit each names is the same: as its cover or its titles print it ("松源县农业农村局" /
  "2026年部门预算", "松源县农业农村局2026年部门收支预算总表"), one name the end of the other's
  ("农业农村局"); a file naming none (a workbook whose titles carry no name) joins only where it
  is the one candidate its partner has and its partner the one it has.

Any doubt -- a narrative two tables files would fit, two departments' files -- joins nothing:
each file is then audited alone, as before.
"""

from __future__ import annotations

import re

from ..document.model import Document

__all__ = ["PartProfile", "part_profile", "complementary_parts"]

# Record keys that are no part of the 情况说明: the document's facts, the tables, the reading's
# notes, and what a tables file prints besides its tables -- the 概况 (org, staff) before them,
# the performance targets' tables after them.
_NOT_NARRATIVE = ("_meta", "doc", "tables", "quality", "org", "staff", "performance", "performance_targets")
_BODY_END = re.compile(r"(?:[局委部办厅院会署处室站所队馆团社校园]|中心|政府|协会|联合会|集团|公司|医院|学校)$")
# A title naming its unit before the year ("松源县农业农村局2026年部门收支预算总表", "…2025年度部门决算").
_TITLED = re.compile(r"^(?P<name>[\u4e00-\u9fff()（）]{2,40}?)(?:20\d\d)年度?")
# A cover's title without the name, which the line(s) before print ("2026年部门预算").
_BARE_TITLE = re.compile(r"^(?:20\d\d)年度?(?:[\u4e00-\u9fff]{0,4})?(?:部门|单位)(?:预算|决算)")
# The unit as a table's heading field prints it ("编制单位：…", "部门名称：…", "预算单位：…").
_FIELD = re.compile(r"(?:编制单位|填报单位|部门名称|单位名称|预算单位|预算主管部门)[:：]\s*(?P<name>[\u4e00-\u9fff()（）]{2,40})")
_GENERIC = ("部门", "单位", "本部门", "本单位")
# A part's heading before the name ("第二部分 青山县自然资源局2025年部门预算表").
_PART = re.compile(r"^第.{1,3}部分")


class PartProfile:
    """What one file read alone holds, as far as joining it goes."""

    __slots__ = ("template", "year", "narrative", "tables", "names")

    def __init__(self, template: str, year: str | None, narrative: bool, tables: bool, names: frozenset):
        self.template, self.year, self.narrative, self.tables, self.names = template, year, narrative, tables, names

    @property
    def part(self) -> str | None:
        """``"narrative"`` or ``"tables"`` for a file holding one without the other, else None."""
        if self.narrative != self.tables:
            return "narrative" if self.narrative else "tables"
        return None


def part_profile(doc: Document, data: dict) -> PartProfile:
    """The profile of *doc*, read alone into *data* (its one record)."""
    facts = data.get("doc") or {}
    year = _value(facts.get("year"))
    if year is None:
        years = facts.get("years") or []
        year = _value(years[0].get("year")) if years and isinstance(years[0], dict) else None
    narrative = any(value for key, value in data.items() if key not in _NOT_NARRATIVE)
    tables = bool(data.get("tables"))
    template = (data.get("_meta") or {}).get("template") or ""
    return PartProfile(template, year, narrative, tables, frozenset(_unit_names(doc)))


def complementary_parts(profiles: list[PartProfile | None]) -> list[tuple[int, int]]:
    """(narrative, tables) index pairs of *profiles* (one folder's or archive's files; None for
    a file that is no candidate) that are the two parts of one disclosure (module docstring)."""
    narratives = [i for i, p in enumerate(profiles) if p is not None and p.part == "narrative"]
    tables = [i for i, p in enumerate(profiles) if p is not None and p.part == "tables"]
    fits = {i: [j for j in tables if _fit(profiles[i], profiles[j])] for i in narratives}
    fitted = {j: [i for i in narratives if j in fits[i]] for j in tables}
    return [(i, found[0]) for i, found in fits.items() if len(found) == 1 and fitted[found[0]] == [i]]


def _fit(narrative: PartProfile, tables: PartProfile) -> bool:
    if narrative.template != tables.template or not narrative.year or narrative.year != tables.year:
        return False
    if not narrative.names or not tables.names:
        return True     # (a part naming no unit: joined only where it is the one candidate)
    return any(a == b or a.endswith(b) or b.endswith(a) for a in narrative.names for b in tables.names)


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

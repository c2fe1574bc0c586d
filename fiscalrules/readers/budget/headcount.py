"""机构设置及人员情况: organisation counts (个) and headcount (人) by group and category.

Sentences run "编制人数共计 12 人，其中：行政编制 12 人 … 实有人数共计 12 人，其中：在职人数小计
11 人，包括行政在职人数 12 人 …；离休人数小计 0 人；退休人数小计 1 人". A figure's group
(编制 / 实有 / 在职) is the one its label names, else the one the sentence is in; its category
comes from keywords (参照公务员, 全部补助, 公益一类 …); a label without a category is the group's
total.  Counts by post type (管理岗位 …) and by unit in brackets after a count ("事业编制 79 名（A 中心
38 名、…）") are other breakdowns: listed, not read, as is a count in brackets introduced by 含 /
其中 / 包括 ("行政编制 32 人（含参照公务员法管理事业编制 19 人）"), a part of the count before it.
"""

from __future__ import annotations

import re

from ...document.model import Document
from ...document.stream import Stream
from ..common.amounts import Phrase, scan
from ..common.labels import Field, NameMap
from ..common.record import RecordBuilder, figure, source
from .sections import Section

__all__ = ["read_headcount", "CATEGORIES"]

CATEGORIES = [
    (r"参照公务员|参公|参照管理", "civil_servant_managed"),     # ("参公人员 55 人": the short name)
    (r"公益一类", "public_welfare_1"),
    (r"公益二类", "public_welfare_2"),
    (r"全部补助|全额补助|全额拨款", "fully_funded_institution"),
    (r"部分补助|差额", "partially_funded_institution"),
    (r"自收自支", "self_funded_institution"),
    (r"工勤", "worker"),
    (r"行政(?!事业)", "administrative"),      # not "行政事业单位…", which names both
    (r"事业", "institution"),
]

# "离退休人员" (both together) is neither 离休 nor 退休 (staff.retired_together): no keyword inside that longer name.
# Kinds counted apart from the three groups (staff.<kind>), in the sentences and the staff table alike.
SEPARATE_KINDS = [(r"离休", "retired_cadre"), (r"(?<!离)退休", "retired"), (r"遗属", "survivors")]


def staff_group(text: str) -> str | None:
    """The group a label or a column's header words name: 在职 → active, 编制 → authorized, 实有 → actual."""
    if "在职" in text:
        return "active"
    if "编制" in text:
        return "authorized"
    if "实有" in text:
        return "actual"
    return None


def read_headcount(builder: RecordBuilder, doc: Document, section: Section) -> None:
    stream = section.stream(doc)
    heading = section.heading
    group: str | None = None
    posts = False           # in a list of counts by post type (below)
    for phrase in scan(stream):
        if phrase.orphan:
            builder.unread_phrase(phrase, heading)
            continue
        if phrase.unit == "个":
            _read_unit_count(builder, stream, phrase, heading)
        elif phrase.unit == "家":
            _read_unit_kinds(builder, stream, phrase, heading)
        elif phrase.unit in ("人", "名"):    # ("编制 52 名": people counted as 名 too)
            label = phrase.raw_label
            posts = bool(_POSTS.search("".join(label.split()))) or posts and "工勤" in label and staff_group(label) is None
            if posts:
                builder.unread_phrase(phrase, heading, _BY_POST)
                continue
            if _part_of_before(stream, phrase):
                builder.unread_phrase(phrase, heading, _PART_OF)
                continue
            if _by_unit(stream, phrase):
                builder.unread_phrase(phrase, heading, _BY_UNIT)
                continue
            group = _read_person_count(builder, phrase, heading, group)
        builder.unread_phrase(phrase, heading)


# Counts by post type -- "其中：管理岗位 8 名，专业技术岗位 26 名，工勤技能岗位 4 名", "（管理人员 8 人、专业
# 技术人员 24 人、工勤人员 3 人）" (福建) -- are another breakdown than the categories (行政 / 事业 / 工勤
# …) the rules add up: read as those, "管理岗位 8 名" was the group's total and HC-001 / HC-002 failed on
# a correct document.  Listed; a 工勤 count in such a list is a post too.
# A 管理人员 after 参照公务员法 / 参照 / 参公 is the category of staff managed as civil servants ("参照
# 公务员法管理人员 42 名" beside 行政人员 and 事业人员), no post: read as one, the group's parts fell
# short of its total (a false HC-002).
_POSTS = re.compile(r"管理岗位?|专业技术|专技|技能岗位|(?<!参照)(?<!公务员)(?<!公务员法)(?<!参公)管理人员")
_BY_POST = "a count by post type (管理 / 专业技术 / 工勤技能), not a category of the group: not read"


# A count broken down by unit in brackets after it -- "事业编制 79 名（A 中心 38 名、B 库 26 名、C 中心 15
# 名）", "事业人员 73 人（A 中心 35 人 …）" (a 部门汇总's units) -- is no category of the group: read as
# its total (a unit's name holds no category word), each was "duplicate of staff.authorized.total".
# The record has no place for a unit's staffing: listed as what it is.
_BY_UNIT = "a breakdown by unit of the count before the brackets (a unit's staffing), not a category of the group: not read"
_UNIT_END = re.compile(r"(?:局|委员会|委|办公室|办|中心|站|所|院|馆|队|处|室|库|校|学校|幼儿园|医院|本级|机关)$")


# A count in brackets introduced by 含 / 其中 / 包括 after another count -- "行政编制 32 人（含参照公务员
# 法管理事业编制 19 人）", "（其中：工勤 3 人）", "（内含…）", "（包含…）" -- is a part of that count, not a
# sibling category: read as one ("参照公务员" names civil_servant_managed), it was added to the group's
# categories twice over and HC-001 failed on a correct document.  The record has no place for a
# category within a category: listed as what it is.
_PART_OF = "a part of the count before the brackets (含 / 其中 / 包括 …), not a sibling category of the group: not read"
_PART_OPENS = re.compile(r"^\s*(?:其中|内含|包含|包括|含有|含)")


def _bracket_after_count(stream: Stream, phrase: Phrase) -> int | None:
    """Where the bracket *phrase* is in opens, where that bracket is still open and was opened
    right after another count ("… 32 人（…"); else None."""
    before = stream.text[:phrase.number_start]
    opened = max(before.rfind("("), before.rfind("（"))
    if opened < 0 or re.search(r"[)）]", before[opened:]) \
            or not re.search(r"\d\s*[人名]$", before[:opened].rstrip()):
        return None
    return opened


def _part_of_before(stream: Stream, phrase: Phrase) -> bool:
    """Whether *phrase* is in brackets opened after a category's count and introduced by 含 /
    其中 / 包括 … -- after a group's total ("编制人数 52 人（其中：行政编制 20 人 …）") the
    bracketed counts are its categories, and read."""
    opened = _bracket_after_count(stream, phrase)
    if opened is None or not _PART_OPENS.match(stream.text[opened + 1:phrase.number_start]):
        return False
    counted = re.split(r"[，,、；;：:。]", stream.text[:opened])[-1]   # ("行政编制 32 人")
    return any(re.search(pattern, counted) for pattern, _ in CATEGORIES)


def _by_unit(stream: Stream, phrase: Phrase) -> bool:
    """Whether *phrase* counts one unit's people in brackets opened right after another count:
    its label names a unit (ends as a unit's name does), or names no group, category or kind."""
    if _bracket_after_count(stream, phrase) is None:
        return False
    label = phrase.raw_label
    named = staff_group(label) or "离退休" in label \
        or any(re.search(pattern, label) for pattern, _ in (*CATEGORIES, *SEPARATE_KINDS))
    return bool(_UNIT_END.search(label.strip())) or not named


def _read_person_count(builder: RecordBuilder, phrase: Phrase, heading: str,
                       group: str | None) -> str | None:
    label = phrase.raw_label
    if "离退休" in label:
        builder.put_phrase("staff.retired_together", phrase, heading)   # both kinds together
        return None
    for pattern, kind in SEPARATE_KINDS:
        if re.search(pattern, label):
            builder.put_phrase(f"staff.{kind}", phrase, heading)
            return None
    group = staff_group(label) or group
    if group is None:
        return None                      # "共有干部职工 20 人" outside any group: left unread
    category = next((key for pattern, key in CATEGORIES if re.search(pattern, label)), None)
    builder.put_phrase(f"staff.{group}.{category or 'total'}", phrase, heading)
    return group


# "本部门中，行政单位 1 家，参公单位 1 家，事业单位 4 家": the units of a department by kind.
_UNIT_KINDS = NameMap([
    Field("org.administrative_units", [r"行政单位"], ("家",)),
    Field("org.civil_servant_managed_units", [r"参公(?:事业)?单位", r"参照公务员法?管理(?:的)?事业单位"], ("家",)),
    Field("org.institution_units", [r"事业单位"], ("家",)),
])


def _read_unit_kinds(builder: RecordBuilder, stream: Stream, phrase: Phrase, heading: str) -> None:
    """"…本部以及下属 5 家预算单位" counts the units below the department (named after the
    number); "行政单位 1 家" counts the units of one kind."""
    after = re.match(r"(?:预算单位|事业单位|单位)", stream.text[phrase.end:])
    if after and re.search(r"(?:下属|所属|下级)$", phrase.raw_label):
        phrase.end += len(after.group(0))
        phrase.label = "下属" + after.group(0)
        builder.put_phrase("org.subordinate_units", phrase, heading)
        return
    found = _UNIT_KINDS.match(phrase.raw_label, phrase.unit)
    if found:
        builder.put_phrase(found[0].path, phrase, heading)


def _read_unit_count(builder: RecordBuilder, stream: Stream, phrase: Phrase, heading: str) -> None:
    """"内设科室 4 个" names its subject before the number, "40 个二级预算单位" after it."""
    after = re.match(r"[^,;。:、)(]*", stream.text[phrase.end:])
    noun = after.group(0) if after else ""
    noun = re.sub(r"^(?:包括|即).*", "", noun)
    label = phrase.raw_label
    if noun:
        phrase.end += len(noun)
        phrase.label = noun             # "40 个二级预算单位" is labelled by what it counts
    # ("本局设职能科室 6 个": the department's own divisions, named without 内设)
    if "内设" in label or re.match(r"内设(?:机构|科室|处室)", noun) \
            or re.search(r"设(?:有)?(?:职能|业务|行政)?(?:科室|处室|股室)$", label):
        builder.put_phrase("org.internal_divisions", phrase, heading)
    elif re.search(r"二级预算单位|下属预算单位|下级预算单位", noun):
        builder.put_phrase("org.secondary_units", phrase, heading)
    # ("纳入本部门 2026 年部门预算编制范围的单位共 5 个", 广东: the units the budget covers)
    elif "预算单位" in label or ("预算单位" in noun and "二级" not in noun) \
            or re.search(r"预算编制范围(?:内)?的(?:预算)?单位(?:共|共有|有)?$", label):
        builder.put_phrase("org.budget_units", phrase, heading)
    elif noun:
        phrase.used = True
        first, _ = phrase.lines
        builder.append("org.other_units", {
            "name": noun,
            "count": figure(phrase.value, "个", printed=phrase.printed, label=noun,
                            src=source(stream.document.name, heading, first, phrase.text)),
        })

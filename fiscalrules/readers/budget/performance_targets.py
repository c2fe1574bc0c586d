"""绩效目标设置情况 / 预算绩效管理情况: the counts and funds of the projects given performance targets.

"本部门 2 个预算单位开展了…编报工作，编报绩效目标的项目 50 个，涉及项目预算资金 5634.81 万元";
the central template's "实行绩效目标管理的项目 N 个，涉及一般公共预算当年拨款 X 万元"; 广东's "纳入绩效目标
管理的财政拨款项目支出 X 万元，其中一般公共预算项目支出 A 万元、政府性基金预算项目支出 B 万元、国有资本经营预算
项目支出 C 万元" (``performance_targets.funds`` and its kinds ``.funds_general_budget`` / ``.funds_gov_fund``
/ ``.funds_state_capital``).

Where the targets cover the department as a whole too ("对部门整体支出和全部 6 个项目编制了绩效目标，涉及
一般公共预算拨款 X 万元，其中项目支出 Y 万元"), X is the funds of the whole department's targets and
the projects': the projects' funds are the part of X the sentence names as the projects' (Y), and X
is listed unread, where it had been read as the projects' (PFT-001 failed: X is more than the
project spending).

Where the section says every project has targets ("全覆盖", "全部编制了绩效目标") and names the
funds as the appropriation's project spending, those funds are 财政拨款项目支出: lent to
``appropriation.project`` where no section prints it (:func:`_lend`, left in ``builder.later``
for the reader to run once every section is read).
"""

from __future__ import annotations

import re

from ...document.stream import Stream
from ..common.amounts import Phrase
from ..common.labels import Field, NameMap
from ..common.record import RecordBuilder
from ..common.coverage import nonzero
from .spending import MONEY, same_amount, whole_appropriation

__all__ = ["read_performance_targets"]

# ("…项目支出" of one fund: the part of the funds that fund pays, 广东 -- never the funds' total)
_KIND_PROJECT = r"(?:预算)?(?:当年)?(?:财政)?(?:拨款)?(?:安排的)?项目(?:支出)?(?:预算)?(?:资金)?"
_PERFORMANCE_TARGETS = NameMap([
    Field("performance_targets.projects", [r"(?:编报|设置|编制|实行)?绩效目标(?:管理)?的项目", r"涉及项目"], ("个", "项")),
    # ("涉及项目支出预算资金 X 万元": the project spending's funds, 河南; "纳入绩效目标管理的财政拨款项目支出
    # X 万元", 广东)
    Field("performance_targets.funds", [r"(?:涉及)?项目(?:支出)?(?:预算)?资金", r"涉及(?:预算)?资金",
                                        r"涉及(?:一般公共预算)?(?:当年)?(?:财政)?拨款(?:资金)?", r"^金额",
                                        r"绩效目标(?:管理)?的(?:财政拨款)?项目(?:支出)?(?:预算)?(?:资金)?"], MONEY),
    Field("performance_targets.funds_general_budget", [r"一般公共预算" + _KIND_PROJECT], MONEY),
    Field("performance_targets.funds_gov_fund", [r"政府性基金" + _KIND_PROJECT], MONEY),
    Field("performance_targets.funds_state_capital", [r"国有资本经营" + _KIND_PROJECT], MONEY),
])

# Every project given targets: "实现项目支出绩效目标管理全覆盖", "对纳入单位预算的 7 个项目全部编制了
# 绩效目标", "所有项目均编制了绩效目标", "对全部 6 个一般公共预算项目编制了绩效目标"
_EVERY_PROJECT = re.compile(r"全覆盖|全面覆盖|全部(?:编制|编报|设置|纳入|实行|设定)|(?:所有|全部)项目(?:均|都)?"
                            r"|(?:所有|全部)\s*\d+\s*[个项][^。;,，；]{0,12}?项目")
# Targets of the department as a whole ("部门整体支出", "单位整体绩效目标") in the sentence naming the funds
_WHOLE = re.compile(r"整体")
# The projects' part of the whole's funds: "其中项目支出 Y 万元", "其中：一般公共预算项目资金 Y 万元"
_PROJECTS_PART = re.compile(r"^(?:其中)?[:：]?(?:一般公共预算|财政拨款)?(?:安排的)?项目(?:支出)?(?:预算)?(?:资金)?$")
# What a count of projects given targets is followed by: "6 个项目编制了绩效目标", "6 个一般公共预算项目…",
# "2 个预算项目设置了绩效目标"
_COUNTED_PROJECTS = re.compile(r"[^。;,，；、\d]{0,8}?项目[^。;,]{0,8}绩效目标")
# The funds named as the appropriation's (财政拨款), or as the general budget's where that is the
# whole appropriation (spending.whole_appropriation)
_APPROPRIATION_FUNDS = re.compile(r"财政拨款")
_GENERAL_BUDGET_FUNDS = re.compile(r"一般公共预算(?:当年)?(?:财政)?拨款")


def read_performance_targets(builder: RecordBuilder, stream: Stream, phrases: list[Phrase],
                             heading: str) -> None:
    """The section's counts and funds (see the module's docstring)."""
    from .narrative import map_by_names, path_for    # (narrative reads its sections through this module)
    named_by = ""   # the label naming the funds' kind, where they are a part of the whole's funds
    for phrase in phrases:
        if phrase.used or phrase.orphan or path_for(phrase, _PERFORMANCE_TARGETS) != "performance_targets.funds":
            continue
        # (the clause the funds are of: "对部门整体支出和全部 6 个项目编制了绩效目标，涉及…" -- not one before
        # it, "编制了部门整体支出绩效目标，并对全部 4 个项目编制了绩效目标，涉及…", the projects' funds)
        sentence = stream.text[stream.text.rfind("。", 0, phrase.start) + 1:phrase.start]
        clause = next((part for part in reversed(re.split(r"[,，;；]", sentence)) if part.strip()), "")
        if not _WHOLE.search(clause):
            continue
        builder.unread_phrase(phrase, heading, "the funds of the targets of the department as a whole and of its "
                              "projects, not of the projects alone")
        part = _projects_part(stream, phrases, phrase)
        if part is not None and builder.put_phrase("performance_targets.funds", part, heading):
            named_by = phrase.label or ""
        break
    map_by_names(builder, phrases, _PERFORMANCE_TARGETS, heading)
    for phrase in phrases:
        if phrase.used or phrase.orphan or phrase.unit != "个":
            continue
        # "2 个预算单位", "对 2 个项目编制了绩效目标" (河南) name what they count after the number.
        after = stream.text[phrase.end:phrase.end + 16]
        if re.match(r"(?:二级)?预算单位", after):
            builder.put_phrase("performance_targets.units", phrase, heading)
        elif _COUNTED_PROJECTS.match(after):
            builder.put_phrase("performance_targets.projects", phrase, heading)
    funds = next((phrase for phrase in phrases if phrase.path == "performance_targets.funds"), None)
    if funds is not None and _EVERY_PROJECT.search(stream.text[:funds.start]):
        builder.later.append(lambda: _lend(builder, named_by + (funds.label or "")))


def _projects_part(stream: Stream, phrases: list[Phrase], whole: Phrase) -> Phrase | None:
    """The amount after *whole* in its sentence named as its projects' part ("其中项目支出 Y 万元")."""
    for phrase in phrases:
        if phrase.start <= whole.start or phrase.used or phrase.orphan or phrase.unit not in MONEY:
            continue
        if "。" in stream.text[whole.end:phrase.start]:
            return None
        if _PROJECTS_PART.match(phrase.label or ""):
            return phrase
    return None


def _lend(builder: RecordBuilder, label: str) -> None:
    """The targets' funds as ``appropriation.project`` -- every project has targets, the funds are
    named as the appropriation's (or the general budget's, the whole appropriation) -- where no
    section prints it: APR-001 / CMP-003 / TBL-030 were not evaluable though the document prints
    the figure.  Its value alone: the sentence states no change against last year."""
    funds = builder.get("performance_targets.funds")
    if not isinstance(funds, dict) or builder.get("appropriation.project") is not None:
        return
    if not (_APPROPRIATION_FUNDS.search(label) or (_GENERAL_BUDGET_FUNDS.search(label) and _general_is_whole(builder))):
        return
    builder.put("appropriation.project", {k: v for k, v in funds.items() if k not in ("change", "pct")})


def _general_is_whole(builder: RecordBuilder) -> bool:
    """Whether the general budget is the whole appropriation: so the sections say
    (:func:`.spending.whole_appropriation`), no fund section spends anything (its total 0 or
    none), and the year's general-budget appropriation, where stated, is the appropriation's total
    (a total holding a carry-over is more than the year's general budget)."""
    if not whole_appropriation(builder) or any(nonzero(_value(builder, f"{fund}.total")) for fund in ("gov_fund", "state_capital")):
        return False
    total, year = _value(builder, "appropriation.total"), _value(builder, "general_budget_year.total")
    return total is None or year is None or same_amount(total, year)


def _value(builder: RecordBuilder, path: str):
    node = builder.get(path)
    return node.get("value") if isinstance(node, dict) else node

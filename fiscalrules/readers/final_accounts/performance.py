"""The 决算 情况说明's 十、预算绩效管理情况: its counts and amounts, over the running text.

"编报绩效目标的 2024 年度项目 N 个，涉及预算金额 X 万元；绩效跟踪评价的…；绩效自评的…（其中，绩效评级为“优”的项目
A 个；…。绩效自评中共发现问题 P 个，已经完成整改的 Q 个，正在整改的 R 个）" as the template words it, and as
other regions do -- each item one pattern over the section's text (:mod:`.narrative` reads the rest
of the 情况说明 so).  And the projects' self-evaluation results as the section states each one ("“某某”项目年初预算数
B 万元，全年预算数 A 万元，执行数 E 万元，完成全年预算的 P%，未执行部分 U 万元结转下年使用"): ``performance.projects``.
"""

from __future__ import annotations

import re

from ..common.amounts import MONEY_UNIT
from ..common.record import RecordBuilder
from .department_evaluation import read_department_sentence
from .running_text import FIGURE as _N
from .running_text import RunningText, figure_at

__all__ = ["read_performance"]

_n = _N[1:-1]
# A project's self-evaluated money: its budget at the year's start where printed, the full-year (adjusted) budget, what
# was spent of it ("执行数"), the rate ("完成全年预算的 P%", "执行率为 P%") and the rest not spent ("未执行部分 U 万元")
_PROJECT = re.compile(r"(?P<name>[^。；;，,：:]{0,40}?项目)?的?(?:年初预算数?(?:为)?(?P<budget>" + _n + r")" + MONEY_UNIT + r"[，,])?"
                      r"(?:全年|调整后?)预算数?(?:为)?(?P<adjusted>" + _n + r")" + MONEY_UNIT + r"[，,](?:全年)?(?:执行数|实际支出)"
                      r"(?:为)?(?P<executed>" + _n + r")" + MONEY_UNIT + r"(?:[，,](?:完成(?:全年|调整后?)?预算的|执行率(?:为)?)"
                      r"(?P<rate>" + _n + r")%)?(?:[，,]未执行(?:部分|数|金额)?(?:为)?(?P<unexecuted>" + _n + r")" + MONEY_UNIT + ")?")
_NAMED = re.compile(r"[^。；;，,：:]{1,40}?项目")


def _grade_pattern(grade: str, word: str, quotes: str = "?") -> str:
    """十's count of self-evaluated projects of a *grade*: the template's "绩效评级为“优”的项目 N 个", or
    "评级为“优”的项目", "评价等级为优的项目，为良的项目" (", “良”的项目"), "自评结果为“优”的项目", "“优”等级项目", "优秀项目
    N 个" (*word*) as other regions say it -- never 合格 inside 不合格.  *quotes*: "" where the grade must be
    quoted (中, 差: words of their own elsewhere)."""
    quoted = r"[“\"＂‘]" + quotes + r"(?<!不)" + grade + r"[”\"＂’]" + quotes
    return (r"(?:(?:绩效)?(?:评级|评价等级|(?:评价|自评)结果|等级|等次)(?:为|是)?" + quoted + r"(?:等级|等次|级)?的?"
            + r"|评为" + quoted + r"(?:等级|等次|级)?的?"
            + r"|(?<=[，,、；;])为?" + quoted + r"的"
            + r"|" + quoted + r"(?:等级|等次|级)的?"
            + r"|(?<!不)" + word + r"的?)(?:项目|的项目)(?:为|有|共)?")


# (key, the pattern of its count): the grades of 十's self-evaluated projects -- 优 / 良 / 合格 / 不合格 as the template
# grades them, 优 / 良 / 中 / 差 elsewhere ("自评结果为“优”的项目 31 个，“良”的项目 9 个，“中”的项目 2 个，“差”的项目 0 个")
_GRADES = tuple((key, re.compile(_grade_pattern(grade, word, quotes) + _N + "个"))
                for key, grade, word, quotes in (("excellent", "优", "优秀", "?"), ("good", "良", "良好", "?"),
                                                 ("pass", "合格", "合格", "?"), ("fail", "不合格", "不合格", "?"),
                                                 ("medium", "中", "中等", ""), ("poor", "差", "较差", "")))


def read_performance(builder: RecordBuilder, t: RunningText) -> None:
    """十、预算绩效管理情况: the projects with targets, tracked and self-evaluated (count and money), the
    central template's self-evaluation and department evaluation, the grades, the problems found."""
    text = t.text
    # ("涉及预算金额" in the template, "涉及资金" / "涉及金额" elsewhere, "涉及一般公共预算当年财政拨款 X 万元")
    money = r"[，,](?:共)?涉及(?:预算|一般公共预算(?:当年)?(?:财政拨款)?)?(?:金额|资金)?(?:为)?" + _N + MONEY_UNIT
    # ("实行绩效目标管理的项目 N 个" as the budget's central template words it, "设置绩效目标的" elsewhere)
    for key, lead, done in (("targets", "(?:编报|设置|编制|实行)绩效目标(?:管理)?的",
                             "(?:开展了?(?:编报|设置|编制|申报)?|编报|设置|编制|申报)了?绩效目标(?:申报|编报|编制)?"),
                            # (绩效运行监控, the newer name of the same tracking)
                            ("tracked", "(?:绩效跟踪评价|绩效(?:运行)?监控)的", "开展了?(?:绩效跟踪(?:评价)?|绩效(?:运行)?监控)"),
                            ("self_evaluated", "绩效自评的", "开展了?绩效自评")):
        # (the count first elsewhere: "对 N 个项目编报了绩效目标，涉及资金 X 万元", "对全部 N 个一级项目开展了绩效目标申报"; the
        # money not said: "本部门对 N 个项目开展了绩效自评")
        found = (re.search(lead + r"(?:\d{4}年度?)?项目" + _N + r"个" + money, text)
                 or re.search(r"对(?:全部)?" + _N + r"个(?:\d{4}年度?)?(?:一级|二级)?(?:预算)?项目" + done + r"(?:" + money + ")?", text))
        if found:
            builder.put(f"performance.{key}.projects", figure_at(t, found, 1, "情况说明", "个"))
            if found.group(2) is not None:
                builder.put(f"performance.{key}.amount", figure_at(t, found, 2, "情况说明"))
    # the central departments' template: "全面开展绩效自评，其中，一级项目 A 个，二级项目 B 个，共涉及资金 Z
    # 万元，占一般公共预算项目支出总额的 P%。组织对 N 个项目开展了部门评价，涉及一般公共预算支出 Y 万元"
    n = _N[1:-1]
    # ("…开展绩效自评，共涉及项目 N 个，资金 Z 万元，占…的 P%" elsewhere: the projects counted, not by level;
    # "…开展绩效自评，纳入自评的一级项目 N 个，共涉及资金 Z 万元…", 河南 2018: the level counted as 纳入自评的)
    included = r"纳入(?:绩效)?自评(?:范围)?的"
    found = re.search(r"开展绩效自评[，,](?:其中[，,：:]?)?(?:" + included + r")?(?:一级项目(?P<first>" + n + r")个[，,、])?(?:二级项目(?P<second>" + n
                      + r")个[，,、])?(?:(?:共?涉及|" + included + r")项目(?P<projects>" + n + r")个[，,、])?共?(?:涉及)?(?:资金|金额)(?P<amount>" + n + r")"
                      + MONEY_UNIT + r"(?:[，,]占一般公共预算项目支出(?:总额)?的(?P<share>"
                      + n + r")%)?", text)
    if found:
        for group, path, unit in (("first", "self_evaluation.first_level", "个"), ("second", "self_evaluation.second_level", "个"),
                                  ("projects", "self_evaluated.projects", "个"), ("amount", "self_evaluation.amount", None),
                                  ("share", "self_evaluation.share", "%")):
            if found.group(group):
                builder.put(f"performance.{path}", figure_at(t, found, group, "情况说明", unit))
    found = re.search(r"组织对(?P<projects>" + n + r")个(?:重点)?项目开展了?部门评价[，,]涉及(?:一般公共预算)?(?:支出|资金)(?P<amount>" + n
                      + r")" + MONEY_UNIT, text)
    if found:
        builder.put("performance.department_evaluated.projects", figure_at(t, found, "projects", "情况说明", "个"))
        builder.put("performance.department_evaluated.amount", figure_at(t, found, "amount", "情况说明"))
    for key, pattern in _GRADES:
        found = pattern.search(text)
        if found:
            builder.put(f"performance.grades.{key}", figure_at(t, found, 1, "情况说明", "个"))
    # ("共发现问题 N 个，已经完成整改的 A 个，正在整改的 B 个"; "发现问题", "已完成整改", "已整改（完成 / 到位）",
    # "整改中" elsewhere)
    for key, pattern in (("found", r"(?:共|累计)?发现问题(?:共)?" + _N + "个"),
                         ("fixed", r"已经?(?:完成整改|整改完成|整改到位|整改)的?" + _N + "个"),
                         ("fixing", r"(?:正在整改|整改中)的?" + _N + "个")):
        found = re.search(pattern, text)
        if found:
            builder.put(f"performance.problems.{key}", figure_at(t, found, 1, "情况说明", "个"))
    # (the department's whole spending, "部门整体支出全年预算数 A 万元…": no project's)
    department = read_department_sentence(builder, t) or (0, 0)
    for found in _PROJECT.finditer(text):   # (each project's own sentence)
        if department[0] <= found.start() < department[1]:
            continue
        name = (found.group("name") or "").strip()
        if name in ("", "该项目", "本项目"):
            # ("某某项目绩效自评综述：该项目全年预算数 …": the project its sentence names before)
            before = _NAMED.findall(text, text.rfind("。", 0, found.start()) + 1, found.start())
            name = before[-1] if before else name
        row = {"name": name}
        for group, unit in (("budget", None), ("adjusted", None), ("executed", None), ("rate", "%"), ("unexecuted", None)):
            if found.group(group) is not None:
                row["adjusted_budget" if group == "adjusted" else group] = figure_at(t, found, group, "情况说明", unit)
        builder.append("performance.projects", row, section="情况说明")

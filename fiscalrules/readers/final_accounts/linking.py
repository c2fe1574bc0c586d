"""The 决算 情况说明's sections and its money figures linked with what follows them, as
:mod:`.phrases` reads them (and :mod:`.narrative` shares the section's name and the budget's basis).

:class:`Sections` tells the sections apart by their headings' words (一、… 十一、 and their （一）…
parts); :func:`link` takes a section's phrases from the common scanner
(:func:`..common.amounts.scan`) and attaches to each money figure the phrases that only qualify it:
"占本年收入的 P%" its share, "完成年初预算的 P%" its completion, "比年初预算数 B 万元减少 C 万元" its
budget and the change against that budget, "收、支总计各增加 C 万元" the change of the totals before it.
"""

from __future__ import annotations

import re

from ...document.model import Document
from ...document.stream import Stream
from ..common.amounts import Phrase, change_in_unit, signed, word_signed_magnitude
from ..common.record import phrase_figure

__all__ = ["SECTION", "MONEY", "AGAINST_BUDGET", "Sections", "Linked", "link", "basis_of", "budget_before_final",
           "run_in_heading"]

SECTION = "情况说明"
MONEY = ("万元", "元", "亿元", "千元")
_HEADING = re.compile(r"^(?:(?P<top>[一二三四五六七八九十]{1,3})、|\((?P<sub>[一二三四五六七八九十]{1,3})\))")
# A heading run into its paragraph on the same line ("（一）收入支出决算总体情况。2023 年度本单位收入总计
# …", as regions print the 情况说明's sections): the numbered words before the line's first "。"
_RUN_IN = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|\([一二三四五六七八九十]{1,3}\))[^。]{2,38}?。")
_CHANGE_WORDS = r"增加|减少|增长|下降|降低|上升|节约|超支"
_DECREASE_WORDS = ("减少", "下降", "降低", "节约")
# "比年初预算数", "较全年预算", "比调整预算": a change stated against this year's budget, never
# against last year ("比上年", "比 2023 年度")
AGAINST_BUDGET = r"(?:比|较|与)(?P<basis>年初|全年|调整后?)?预算(?:数|安排)?"
_BUDGET_FIGURE = re.compile(rf"^(?:[,;]?){AGAINST_BUDGET}(?:为|是)?$")
_BUDGET_CHANGE = re.compile(rf"(?P<lead>.*?){AGAINST_BUDGET}(?:相比)?,?(?P<word>{_CHANGE_WORDS})$")
# "占本年收入的 P%", "占本年支出合计的 P%", "占 P%", "占比 P%"
_SHARE = re.compile(r"^(?:[,;]?)(?:占|所占比例为?|占比为?)(?:本年|全部|总)?(?:[^,;。]{0,8}?)(?:的|比重为?|比例为?)?$")
# "完成年初预算的 P%", "为全年预算的 P%", "预算完成率 P%"; "完成预算 P%" without 的 (四川) -- the words of
# common.amounts.COMPLETION_WORDS, with the budget named
_COMPLETION = re.compile(r"(?:(?P<done>完成)|为|占|达到?)(?P<basis>年初预算|全年预算|调整后?预算|预算)数?(?(done)的?|的)$"
                         r"|(?P<rate>预算)?(?:完成|执行)率(?:为|是|达到?)?$")
# "收、支总计各增加 C 万元": one change for the totals named before it
_BOTH_CHANGE = re.compile(rf"各(?P<word>{_CHANGE_WORDS})$")
# "因公出国（境）费预算为 B 万元，支出决算为 F 万元" (the budget named first, the final figure after it
# by its role alone): a name then its budget's words, and the final figure's words alone
_NAMED_BUDGET = re.compile(r"(?P<lead>.*?)(?P<basis>年初|全年|调整后?)?预算(?:数|安排)?(?:为|是)?$")
_FINAL_ALONE = re.compile(r"^[,;]?(?:支出)?决算(?:数)?(?:为|是)?$")


class Sections:
    """The 情况说明's sections: ``(kind, heading line, stream)`` for each heading and the text under
    it, the kind told by the heading's words (and its parent heading's, for a （一） part)."""

    _KINDS = (
        ("three_public", ("三公",)),
        ("operating_costs", ("机关运行经费",)),
        ("procurement", ("政府采购",)),
        ("assets", ("国有资产", "资产占有")),
        ("performance", ("绩效",)),
        ("gov_fund", ("政府性基金",)),
        ("state_capital", ("国有资本经营",)),
        ("basic", ("基本支出",)),
        ("general_budget", ("一般公共预算",)),
        ("appropriation", ("财政拨款收入支出", "财政拨款收支")),
        ("overview", ("收入支出决算总体", "收入支出总体", "收支总体", "收支决算总体")),
        ("income", ("收入决算",)),
        ("expenditure", ("支出决算",)),
    )

    def __init__(self, doc: Document, first: int, last: int, skip: frozenset[int] = frozenset()):
        """The sections of lines *first*..*last*, without the lines *skip* (a table printed among them)."""
        self.items: list[tuple[str, str, int, Stream]] = []
        parent = ""
        heads: list[tuple[int, str, str, int | None]] = []   # line, kind, heading text, where a run-in one ends
        for number in range(first, last + 1):
            line = doc.line(number)
            found = _HEADING.match(line.compact)
            if not found:
                continue
            run_in = None
            if len(line.compact) > 40 or "。" in line.compact:
                run_in = run_in_heading(line)
                if run_in is None or self._kind(run_in[0]) is None:
                    continue        # a numbered paragraph, or a heading naming no section of the template
            text = line.compact if run_in is None else run_in[0]
            if found.group("top"):
                parent = text
                kind = self._kind(text)
            else:
                kind = self._kind(text) or self._kind(parent)
            heads.append((number, kind or "", text, None if run_in is None else run_in[1]))
        for i, (number, kind, text, run_in_end) in enumerate(heads):
            end = heads[i + 1][0] - 1 if i + 1 < len(heads) else last
            # (without the page numbers and running heads between its pages: "…的主要原 13 某局 2024 年度部门
            # 决算 因是：…" is "…的主要原因是：…")
            lines = [doc.line(n) for n in range(number + 1, end + 1) if not doc.is_noise(n) and n not in skip]
            bounds = None
            if run_in_end is not None:
                # (a run-in heading's paragraph starts on its own line, after it)
                lines.insert(0, doc.line(number))
                bounds = {number: (run_in_end, None)}
            if kind and lines:
                self.items.append((kind, text, number, Stream.from_lines(doc, lines, bounds)))

    @classmethod
    def _kind(cls, heading: str) -> str | None:
        for kind, words in cls._KINDS:
            if any(w in heading for w in words):
                return kind
        return None

    def of(self, kind: str):
        return [(heading, stream) for k, heading, _, stream in self.items if k == kind]


class Linked:
    """A money figure of the narrative with what the phrases after it say of it.

    ``name`` is the label its field is found by; for "因公出国（境）费支出决算比年初预算减少 C 万元"
    (``only_change``) it is the words before the comparison, and the phrase's amount is the change
    against the budget, not the figure."""

    __slots__ = ("phrase", "name", "only_change", "share", "completion", "basis", "named_basis", "budget",
                 "budget_change", "change", "pct")

    def __init__(self, phrase: Phrase, name: str | None = None, only_change: bool = False):
        self.phrase = phrase
        self.name = phrase.raw_label if name is None else name
        self.only_change = only_change
        self.share: Phrase | None = None
        self.completion: Phrase | None = None
        self.basis: str | None = None
        self.named_basis = False                     # the completion names its budget: "完成全年预算的"
        self.budget: Phrase | None = None            # "比年初预算数 B 万元"
        self.budget_change: Phrase | None = phrase if only_change else None
        self.change = phrase.change                  # against last year
        self.pct = phrase.pct

    def __repr__(self) -> str:
        return (f"<Linked {self.name!r} {self.phrase.value}{self.phrase.unit} change={self.change} "
                f"share={self.share and self.share.value} completion={self.completion and self.completion.value} "
                f"budget={self.budget and self.budget.value} vs budget={self.against_budget()}>")

    def figure(self, section: str) -> dict:
        """The figure itself (with its change against last year)."""
        fig = phrase_figure(self.phrase, section)
        if self.change is not None:
            fig["change"] = self.change
        if self.pct is not None:
            fig["pct"] = self.pct
        return fig

    def against_budget(self) -> tuple[str | None, str | None]:
        """The change against the budget, signed, and its percentage: "比年初预算数 B 万元减少 C
        万元" or "比年初预算减少 C 万元，下降 P%"."""
        if self.budget is not None and self.budget.change is not None:
            return self.budget.change, self.budget.pct
        phrase = self.budget_change
        if phrase is None:
            return None, None
        found = _BUDGET_CHANGE.match(phrase.raw_label)
        value = signed(phrase.value, "减少") if found and found.group("word") in _DECREASE_WORDS else phrase.value
        return value, phrase.pct


def basis_of(word: str | None) -> str:
    """The budget a word names: 全年预算 for "全年" / "调整" / "调整后预算" (the budget as adjusted in the
    year), else the 年初预算 (a bare "预算" too, as the template's "完成预算的")."""
    return "全年预算" if word and word.startswith(("全年", "调整")) else "年初预算"


def link(phrases: list[Phrase]) -> list[Linked]:
    """The money figures of *phrases*, each with the share, completion, budget and change against
    the budget printed after it (those phrases are marked used)."""
    out: list[Linked] = []
    for phrase in phrases:
        if phrase.orphan or phrase.used:
            continue
        last = out[-1] if out else None
        raw = phrase.raw_label
        if phrase.unit == "%":
            if last is None:
                continue
            if last.share is None and _SHARE.match(raw):
                last.share = phrase
                phrase.used = True
                continue
            found = _COMPLETION.search(raw)
            if found and last.completion is None and len(raw) <= 14:
                last.completion = phrase
                last.basis = last.basis or basis_of(found.group("basis"))
                last.named_basis = found.group("basis") not in (None, "预算")
                phrase.used = True
            continue
        if phrase.unit not in MONEY:
            continue
        found = _BUDGET_FIGURE.match(raw)
        if found and last is not None and last.budget is None:
            # "决算数为 F 万元，比年初预算数 B 万元减少 C 万元": the budget, then the change against it
            last.budget = phrase
            last.basis = last.basis or basis_of(found.group("basis"))
            phrase.used = True
            continue
        found = _BUDGET_CHANGE.match(raw)
        if found and not found.group("lead").strip(",;"):
            if last is not None and last.budget_change is None:
                last.budget_change = phrase         # "…支出决算 F 万元，比年初预算减少 C 万元"
                phrase.used = True
            continue
        if found:
            # "因公出国（境）费支出决算比年初预算减少 C 万元": the change of a figure not printed here
            out.append(Linked(phrase, name=found.group("lead"), only_change=True))
            continue
        both = _BOTH_CHANGE.search(raw)
        if both and last is not None and last.change is None:
            # "收入总计 X 万元，支出总计 Y 万元。与上年相比，收、支总计各增加 C 万元": both totals' change
            change, pct = word_signed_magnitude(phrase.value, both.group("word")), phrase.pct
            for earlier in reversed(out):
                if earlier.change is not None:
                    break
                # (in the total's own unit: "收入、支出总计均为 13.41 亿元。…各增加 7,271.73 万元")
                carried = change_in_unit(change, phrase.unit, earlier.phrase.unit)
                if carried is None:
                    break
                earlier.change, earlier.pct = carried, pct
            phrase.used = True
            continue
        out.append(Linked(phrase))
    return out


def budget_before_final(items: list[Linked]) -> list[Linked]:
    """*items* with each figure named with its budget ("公务接待费预算为 B 万元") and followed by the
    final figure by its role alone ("，支出决算为 F 万元，完成预算的 P%") made one: the final figure
    under the name, the budget its budget.  The names' qualifier "预算" would otherwise take the
    budget for the name's final figure, and leave the final figure naming nothing."""
    out: list[Linked] = []
    for item in items:
        before = out[-1] if out else None
        named = _NAMED_BUDGET.match(before.name) if before is not None else None
        if named and named.group("lead").strip(",;") and not before.only_change \
                and before.budget is None and before.completion is None and before.budget_change is None \
                and not item.only_change and item.budget is None and _FINAL_ALONE.match(item.name):
            item.name = named.group("lead")
            item.budget = before.phrase
            item.basis = item.basis or basis_of(named.group("basis"))
            out[-1] = item
            continue
        out.append(item)
    return out


def run_in_heading(line) -> tuple[str, int] | None:
    """A numbered heading run into its paragraph on *line* ("（一）收入支出决算总体情况。2023 年度…"):
    the heading's words (compact, without the "。") and the column of *line*'s text where its
    paragraph starts; None when the line starts with none.  Whether the words name a section of
    the template is the caller's question."""
    found = _RUN_IN.match(line.text)
    if found is None or _AMOUNT.search(found.group()):
        return None         # (a sentence stating an amount is no heading)
    return "".join(found.group()[:-1].split()), found.end()


_AMOUNT = re.compile(r"\d\s*(?:万?元|%)")

"""What localisation says, for people and programs: :class:`Change` (one figure, named by its
label, row code and printed line, with its printed and suggested values and the slip that
would explain it), :class:`Explanation` (a set of changes that makes every rule hold) and
:class:`Localisation` (the explanations of one group of failures, best first); and, for the
search, :class:`Entry` (a candidate explanation and what ranks it) and :func:`patched` (the
record with an explanation's changes applied).
"""

from __future__ import annotations

import re
from decimal import Decimal


from ..finding_parts import _CELL, figure_name, row_code, where
from ..nodebase import Frozen, evolve, setfield   # (evolve: attrs.evolve for the record's classes)
from ..nodebase import fields_dict
from ..records import Record, Source
from ..translations import name_en
from ..values import _FULLWIDTH, CONTEXT, MONEY_UNITS
from .slips import Slip

__all__ = ["Change", "Explanation", "Localisation", "Entry", "patched"]

_SLIP_WORDS = {
    "digits_swapped": ("数字顺序颠倒", "digits swapped"),
    "decimal_moved": ("小数点错位", "decimal point moved"),
    "sign_flipped": ("正负号相反", "sign flipped"),
    "direction_flipped": ("增减方向写反", "direction word flipped"),
    "neighbour_value": ("与相邻数字相同", "equal to a neighbouring figure"),
    "copied_neighbour": ("与相邻数字相同，可能抄错", "the same as a neighbouring figure: perhaps copied"),
    "digit_mistyped": ("一位数字不同", "one digit differs"),
    "negative_amount": ("金额不应为负", "an amount printed negative"),
}

# A figure an inequality bounds: the suggestion is the nearest value at which the rules hold, and
# any value beyond it holds too.
_BOUND_WORDS = {"max": ("不超过", "at most"), "min": ("不少于", "at least")}


def _shift(unit: str | None, printed_unit: str) -> int:
    """The power of ten from *unit* to the finer money unit *printed_unit* (亿元 → 万元: 4)."""
    return (MONEY_UNITS[unit] / MONEY_UNITS[printed_unit]).adjusted()


def in_unit(value: Decimal, unit: str, finer: str) -> str:
    """*value* (in the money *unit*) written in the *finer* money unit, every digit kept."""
    return format(value.scaleb(_shift(unit, finer), CONTEXT), "f")


def in_printed_unit(value: Decimal, unit: str | None, text: str | None) -> str | None:
    """The finer money unit *value* (in *unit*) was printed in, when *text* prints it so: a
    change carried over from its printed 万元 to its figure's 亿元 (``86.40 万元`` = 0.008640
    亿元) is said as printed; None when *text* prints it in *unit* or not at all."""
    if not text or unit not in MONEY_UNITS or not value:
        return None
    # as the reader read it: full-width digits ("９６．４０万元") and separators as ASCII
    compact = "".join(text.translate(_FULLWIDTH).split()).replace(",", "")
    for finer, factor in MONEY_UNITS.items():
        if factor >= MONEY_UNITS[unit]:
            continue
        digits = in_unit(abs(value), unit, finer)
        if re.search(rf"(?<![0-9.]){re.escape(digits + finer)}", compact):
            return finer       # (not "196.40万元" for 96.40)
    return None


def _number(value: Decimal, unit: str | None, grouped: bool = False) -> str:
    text = f"{value:,f}" if grouped else format(value, "f")
    if text.startswith("-") and value == 0:
        text = text[1:]
    return f"{text}%" if unit == "%" else text


class Change(Frozen):
    """One figure to change: which (path, meta; label, row code, where printed), from what, to what.

    ``context``: the table (and column) of a cell (财政拨款支出按功能科目); ``shown``: the figure as
    printed when it was printed otherwise ("1,049.40"); ``row``: the row's printed name, for a
    cell of a table whose rows have no code (its path's ``[3]`` is a place in a list); ``bound``:
    ``"max"`` / ``"min"`` when only inequalities hold the figure (the suggestion is a bound)."""

    path: str
    meta: str
    label: str | None
    source: Source | None
    unit: str | None
    printed: Decimal
    suggested: Decimal
    slip: Slip | None
    context: str | None
    shown: str | None
    row: str | None
    bound: str | None
    printed_unit: str | None
    __slots__ = _fields = ("path", "meta", "label", "source", "unit", "printed", "suggested", "slip", "context",
                           "shown", "row", "bound", "printed_unit")

    def __init__(self, path: str, meta: str, label: str | None, source: Source | None, unit: str | None,
                 printed: Decimal, suggested: Decimal, slip: Slip | None = None, context: str | None = None,
                 shown: str | None = None, row: str | None = None, bound: str | None = None,
                 printed_unit: str | None = None) -> None:
        setfield(self, "path", path)
        setfield(self, "meta", meta)
        setfield(self, "label", label)
        setfield(self, "source", source)
        setfield(self, "unit", unit)
        setfield(self, "printed", printed)
        setfield(self, "suggested", suggested)
        setfield(self, "slip", slip)
        setfield(self, "context", context)
        setfield(self, "shown", shown)
        setfield(self, "row", row)
        setfield(self, "bound", bound)
        setfield(self, "printed_unit", printed_unit)

    @property
    def code(self) -> str | None:
        return row_code(self.path)

    def name(self, lang: str = "zh") -> str:
        """The figure as people know it: label and row code (``农林水支出 [213]``); in a table
        whose rows have no code (a list: the projects, the performance indicators), the row's
        printed name and the column (``国土空间规划编制项目·财政拨款``), not the row's place in
        the list, which the page does not print."""
        label = self.label if lang == "zh" else name_en(self.label)
        if self.row:
            row = self.row if lang == "zh" else name_en(self.row)
            joined = row if not label or self.label == self.row else f"{row}·{label}" if lang == "zh" \
                else f"{row} · {label}"
            return figure_name(joined, "", self.meta, lang)
        return figure_name(label, self.path, self.meta, lang)

    def suggested_text(self, lang: str = "zh") -> str:
        """The suggested value with its unit -- for a figure an inequality bounds (the rules
        hold for any value beyond it), the bound: ``不超过 480000 元`` ("at most")."""
        unit = self.shown_unit
        new = self._values()[1] + ("" if not unit or unit == "%" else f" {unit}")
        if self.bound:
            words = _BOUND_WORDS[self.bound]
            return f"{words[0]} {new}" if lang == "zh" else f"{words[1]} {new}"
        return new

    def _values(self) -> tuple:
        """Printed and suggested values, grouped by thousands when the document groups them; in
        the unit they were printed in (a change printed in 万元 of a figure in 亿元: 96.40, not
        0.009640)."""
        grouped = bool(self.shown and "," in self.shown)
        if self.printed_unit:
            shift = _shift(self.unit, self.printed_unit)
            return (_number(self.printed.scaleb(shift, CONTEXT), self.printed_unit),   # every digit
                    _number(self.suggested.scaleb(shift, CONTEXT), self.printed_unit, grouped))
        return self.shown or _number(self.printed, self.unit), _number(self.suggested, self.unit, grouped)

    @property
    def shown_unit(self) -> str | None:
        """The unit the values are said in: the one printed."""
        return self.printed_unit or self.unit

    def slip_text(self, lang: str = "zh") -> str:
        """The slip in words, with the values: ``数字顺序颠倒：329.49 → 329.94``."""
        slip = self.slip
        if slip is None:
            return ""
        zh, en = _SLIP_WORDS[slip.kind]
        label = zh if lang == "zh" else en
        sep = "：" if lang == "zh" else ": "
        old, new = self._values()
        if slip.kind == "direction_flipped" and slip.words:
            return f"{label}{sep}{slip.words[0]} {_number(abs(self.printed), self.unit)} → " \
                   f"{slip.words[1]} {_number(abs(self.suggested), self.unit)}"
        if slip.other is not None:
            other_label, other_line, other_value = slip.other
            at = (f"第{other_line}行" if lang == "zh" else f"line {other_line}") if other_line else ""
            other_label = other_label if lang == "zh" else name_en(other_label)
            who = f"{other_label}{'（' + at + '）' if lang == 'zh' and at else ' (' + at + ')' if at else ''}"
            value = format(other_value, "f")
            return f"{label}{sep}{who} {value}"
        return f"{label}{sep}{old} → {new}"

    def slip_note(self, lang: str = "zh") -> str:
        """The slip in a word or two, for a table whose columns already show the values:
        ``数字顺序颠倒``, ``增减方向写反：增加 → 减少``, ``与相邻数字相同：在职人数小计（第111行）``."""
        slip = self.slip
        if slip is None:
            return ""
        zh, en = _SLIP_WORDS[slip.kind]
        label, sep = (zh, "：") if lang == "zh" else (en, ": ")
        if slip.kind == "direction_flipped" and slip.words:
            return f"{label}{sep}{slip.words[0]} → {slip.words[1]}"
        if slip.other is not None:
            other_label, other_line, _value = slip.other
            at = (f"（第{other_line}行）" if lang == "zh" else f" (line {other_line})") if other_line else ""
            return f"{label}{sep}{other_label if lang == 'zh' else name_en(other_label)}{at}"
        return label

    def place(self, lang: str = "zh", document: str | None = None, sep: str | None = None) -> str:
        """Where the figure is: its table (and column) and line (``一般公共预算支出表·合计，第8页第18行``)."""
        at = where(self.source, lang, document)
        if self.context:
            if sep is None:
                sep = "，" if lang == "zh" else ", "
            at = (self.context if lang == "zh" else name_en(self.context)) + (sep + at if at else "")
        return at

    def text(self, lang: str = "zh", document: str | None = None) -> str:
        """``农林水支出 [213]（第214行）：45.00 → 48.00 万元（数字顺序颠倒）`` -- the slip named, not
        its values again (they are the two just printed)."""
        at = self.place(lang, document)
        values = f"{self._values()[0]} → {self.suggested_text(lang)}"
        slip = self.slip_note(lang)
        if lang == "zh":
            return f"{self.name(lang)}{'（' + at + '）' if at else ''}：{values}" + (f"（{slip}）" if slip else "")
        return f"{self.name(lang)}{' (' + at + ')' if at else ''}: {values}" + (f" ({slip})" if slip else "")

    def to_dict(self) -> dict:
        data = {"path": self.path, "meta": self.meta, "label": self.label, "code": self.code, "unit": self.unit,
                "printed": format(self.printed, "f"), "suggested": format(self.suggested, "f"),
                "name": self.name("zh"), "name_en": self.name("en"), "context": self.context}
        if self.row:
            data["row"] = self.row
        if self.bound:
            data["bound"] = self.bound
        if self.printed_unit:
            data["printed_unit"] = self.printed_unit
        if self.source is not None:
            data["source"] = {k: v for k, v in fields_dict(self.source).items() if v is not None}
        if self.slip is not None:
            data["slip"] = self.slip.kind
            data["slip_text"] = self.slip_text("zh")
            data["slip_text_en"] = self.slip_text("en")
        return data


class Explanation(Frozen):
    """Figures whose change makes every rule hold.  ``rank`` 1 is the most likely; ``tied``
    says it is as likely as the first (same number of figures, same slips, same weight).
    ``inexact``: failing or exact comparisons that then hold only within rounding; ``fixes``: for
    a partial explanation, the failures it resolves (empty: all of them)."""

    changes: tuple
    cost: float
    rank: int
    tied: bool
    inexact: int
    fixes: tuple
    __slots__ = _fields = ("changes", "cost", "rank", "tied", "inexact", "fixes")

    def __init__(self, changes: tuple, cost: float, rank: int, tied: bool, inexact: int = 0,
                 fixes: tuple = ()) -> None:
        setfield(self, "changes", changes)
        setfield(self, "cost", cost)
        setfield(self, "rank", rank)
        setfield(self, "tied", tied)
        setfield(self, "inexact", inexact)
        setfield(self, "fixes", fixes)

    def text(self, lang: str = "zh", document: str | None = None) -> str:
        sep = "；" if lang == "zh" else "; "
        return sep.join(change.text(lang, document) for change in self.changes)

    def to_dict(self) -> dict:
        data = {"rank": self.rank, "tied": self.tied, "cost": round(self.cost, 3), "inexact": self.inexact,
                "changes": [c.to_dict() for c in self.changes], "text": self.text("zh"),
                "text_en": self.text("en")}
        if self.fixes:
            data["fixes"] = list(self.fixes)
        return data


class Localisation(Frozen):
    """One group of failures of a record (failures sharing figures are localised together:
    "EXP-003", "CMP-004[213]", …) and the explanations found for it, best first; ``more``
    further explanations as good as the last listed, not listed; ``reason`` says why there are
    none -- or, beside partial explanations (each fixing part of the group, ``fixes``), why none
    fixes it all.  ``chosen``: for partial explanations, each failure's most likely ones
    (``((failure, (rank, …)), …)``, see :meth:`best_for`)."""

    record: str
    failures: tuple
    explanations: tuple
    more: int
    reason: str | None
    chosen: tuple
    __slots__ = _fields = ("record", "failures", "explanations", "more", "reason", "chosen")

    def __init__(self, record: str, failures: tuple, explanations: tuple = (), more: int = 0,
                 reason: str | None = None, chosen: tuple = ()) -> None:
        setfield(self, "record", record)
        setfield(self, "failures", failures)
        setfield(self, "explanations", explanations)
        setfield(self, "more", more)
        setfield(self, "reason", reason)
        setfield(self, "chosen", chosen)

    @property
    def best(self) -> tuple:
        """The explanations ranked first (several when they are equally likely)."""
        return tuple(e for e in self.explanations if e.rank == 1 or e.tied)

    def best_for(self, failure: str) -> tuple:
        """The most likely explanations of one of the group's failures (``"EXP-004"``,
        ``"CMP-006[302]"``): the group's :attr:`best` when each explains the whole group; of
        partial explanations, the best of those that fix *failure* and those as likely -- never
        one that leaves it failing (the group's first may fix only its other failures).  Empty
        when no explanation listed fixes it."""
        if not any(e.fixes for e in self.explanations):
            return self.best
        ranks = dict(self.chosen).get(failure, ())
        return tuple(e for e in self.explanations if e.rank in ranks)

    def to_dict(self) -> dict:
        data = {"record": self.record, "failures": list(self.failures),
                "explanations": [e.to_dict() for e in self.explanations]}
        if self.more:
            data["more"] = self.more
        if self.reason:
            data["reason"] = self.reason
        return data


# ---- the suggestion line of a failure ------------------------------------------------------------

_SHOWN = 3   # alternatives written out in full in a finding's suggestion (the rest named)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"

# Why a group of failures has no explanation, as its failures' suggestion says it.
_UNEXPLAINED = {
    "not_modelled": ("涉及的数字（如由增减幅度推算的上年数）无法建立数值关系",
                     "the figures involved (such as prior-year figures implied by stated percentages) "
                     "could not be modelled"),
    "not_linear": ("此规则含文字、按金额筛选或非线性的条件，无法据此推算数字",
                   "the rule has texts, a filter on amounts or a non-linear form that no figure can be solved from"),
    "beyond_search": ("需要同时改动 3 个以上数字才能使全部规则成立", "more than 3 figures would have to change together"),
    "search_limit": ("可能的组合过多，搜索达到上限", "too many candidate figures: the search reached its limit"),
    "not_verified": ("候选改动均未通过复核", "no candidate correction passed the evaluator's check"),
}


def suggestion_text(explanations: tuple, lang: str = "zh", document: str | None = None,
                    conditional: bool = False) -> str:
    """What a failure's suggestion says of its group's most likely explanations: the one change
    (``X（第12行）：a → b 万元``), or -- when several are as likely -- that the record cannot tell
    which, and each alternative numbered (the first few in full, the rest by name).
    *conditional* (a warning's failure, which may be no error at all): "如确有错误：…"."""
    text = _alternatives(explanations, lang, document)
    if conditional:
        return ("如确有错误：" if lang == "zh" else "if this is an error: ") + text
    return text


def _alternatives(explanations: tuple, lang: str, document: str | None) -> str:
    if len(explanations) == 1:
        return explanations[0].text(lang, document)
    shown = explanations[:_SHOWN]
    rest = explanations[_SHOWN:]
    if lang == "zh":
        items = " ".join(f"{_mark(i)}{e.text(lang, document)}" for i, e in enumerate(shown))
        text = f"无法确定是哪一个数字有误，以下任一处改动都能使规则成立：{items}"
        if rest:
            names = "、".join(e.changes[0].name(lang) for e in rest)
            text += f" 另有 {len(rest)} 处同样可能：{names}"
        return text
    items = " ".join(f"({i + 1}) {e.text(lang, document)}" for i, e in enumerate(shown))
    text = f"cannot tell which figure is wrong; any one of these would make the rule hold: {items}"
    if rest:
        text += f" and {len(rest)} more as likely: " + ", ".join(e.changes[0].name(lang) for e in rest)
    return text


def _mark(i: int) -> str:
    return _CIRCLED[i] if i < len(_CIRCLED) else f"({i + 1})"


def unexplained_text(reason: str | None, lang: str = "zh") -> str:
    """What a failure's suggestion says when its group was localised without an explanation."""
    zh, en = _UNEXPLAINED.get(reason or "", _UNEXPLAINED["not_modelled"])
    if lang == "zh":
        return f"未能推断哪个数字有误：{zh}"
    return f"cannot tell which figure is wrong: {en}"


class Entry:
    """A candidate explanation and what ranks it: ``merit`` -- fewer figures (for a partial
    explanation, more failures fixed), fewer changes that are no typist slip, implied prior-year
    figures made no less plausible, comparisons left exact, lighter figures -- then the order
    they were printed in, so that equals come in document order."""

    __slots__ = ("changes", "steps", "fixes", "inexact", "cost", "merit", "evidence", "moves", "order")

    def __init__(self, changes, steps, slips, implausible, inexact, cost, fixes, unexplained=0):
        self.changes, self.steps, self.fixes, self.inexact, self.cost = changes, steps, fixes, inexact, cost
        size = len(changes) if fixes is None else -len({(c.rule, c.item) for c in fixes})
        self.merit = (size, slips, implausible, inexact, cost)
        # Merit but for weak slips, and how far each figure moves: see ties.
        self.evidence = (size, unexplained, implausible, inexact, cost)
        self.moves = sorted((c.unit or "", abs(c.suggested - c.printed)) for c in changes)
        self.order = [(c.source.line if c.source and c.source.line else 0, c.path) for c in changes]

    def ties(self, other: "Entry") -> bool:
        """Whether *other* is as likely as this explanation: the same merit -- or the same but
        for weak slips, moving the figures by the same amounts.  When a sum is off by 10.00,
        each part is moved by 10.00, and whether it is then "one digit off" (70.00 → 60.00) or
        not (100.00 → 90.00) says how its digits fall, hardly which one was mistyped: the
        suggestion says "one of these", not one correct figure.  (A mistyped digit in a value
        found otherwise -- a percentage one digit from what its amounts give -- still ranks.)"""
        return other.merit == self.merit or (other.evidence == self.evidence and other.moves == self.moves)



def patched(record: Record, changes: dict) -> Record:
    """A copy of *record* with some numbers replaced: ``{(path, meta): Decimal}``."""
    figures = dict(record.figures)
    tables = dict(record.tables)
    for (path, meta), value in changes.items():
        if path in figures:
            figures[path] = evolve(figures[path], **{meta: value}, printed=None)
            continue
        m = _CELL.match(path)
        table = tables.get(m["table"]) if m else None
        row = table.by_code.get(m["code"]) if table is not None else None
        if row is None or m["column"] not in row.cells:
            continue
        cells = dict(row.cells)
        cells[m["column"]] = evolve(cells[m["column"]], **{meta: value}, printed=None)
        tables[m["table"]] = table.with_row(evolve(row, cells=cells))
    return Record(record.id, figures, tables, record.meta, record.children)

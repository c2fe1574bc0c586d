"""What localisation says, for people and programs: :class:`Change` (one figure, named by its
label, row code and printed line, with its printed and suggested values and the slip that
would explain it), :class:`Explanation` (a set of changes that makes every rule hold) and
:class:`Localisation` (the explanations of one group of failures, best first).
"""

from __future__ import annotations

import os
import re
from decimal import Decimal

import attrs

from ..records import Source
from .slips import Slip

__all__ = ["Change", "Explanation", "Localisation", "figure_name"]

_ROW = re.compile(r"\[([^\]]*)\]\.[^.\[\]]+$")

_SLIP_WORDS = {
    "digits_swapped": ("数字顺序颠倒", "digits swapped"),
    "decimal_moved": ("小数点错位", "decimal point moved"),
    "sign_flipped": ("正负号相反", "sign flipped"),
    "direction_flipped": ("增减方向写反", "direction word flipped"),
    "neighbour_value": ("与相邻数字相同", "equal to a neighbouring figure"),
    "copied_neighbour": ("与相邻数字相同，可能抄错", "the same as a neighbouring figure: perhaps copied"),
    "digit_mistyped": ("一位数字不同", "one digit differs"),
}
_META_WORDS = {"change": ("的增减额", "change of "), "pct": ("的增减幅度", "percentage change of ")}


def row_code(path: str) -> str | None:
    """The row code of a table cell's path (``expenditure.function[213].amount`` → ``213``)."""
    m = _ROW.search(path)
    return m.group(1) if m else None


def figure_name(label: str | None, path: str, meta: str = "value", lang: str = "zh") -> str:
    """A figure as people know it: its label and row code (``农林水支出 [213]``), the path only
    when it has no label; a stated change or percentage says so."""
    code = row_code(path)
    name = label or path
    if code is not None and f"[{code}]" not in name:
        name = f"{name} [{code}]"
    if meta in _META_WORDS:
        zh, en = _META_WORDS[meta]
        name = f"{name}{zh}" if lang == "zh" else f"{en}{name}"
    return name


def where(source: Source | None, lang: str = "zh", document: str | None = None) -> str:
    """Where a figure was printed: ``第 252 行`` / ``line 252`` (with page and document when
    they say more than the report's own document)."""
    if source is None:
        return ""
    parts = []
    if source.document and (document is None or os.path.basename(source.document) != os.path.basename(document)):
        parts.append(os.path.basename(source.document))
    if source.page is not None:
        parts.append(f"第{source.page}页" if lang == "zh" else f"p.{source.page}")
    if source.line is not None:
        parts.append(f"第{source.line}行" if lang == "zh" else f"line {source.line}")
    return ("" if lang == "zh" else " ").join(parts)


def _number(value: Decimal, unit: str | None) -> str:
    text = format(value, "f")
    if text.startswith("-") and Decimal(text) == 0:
        text = text[1:]
    return f"{text}%" if unit == "%" else text


@attrs.frozen
class Change:
    """One figure to change: which (path, meta; label, row code, where printed), from what, to what."""

    path: str
    meta: str
    label: str | None
    source: Source | None
    unit: str | None
    printed: Decimal
    suggested: Decimal
    slip: Slip | None = None

    @property
    def code(self) -> str | None:
        return row_code(self.path)

    def name(self, lang: str = "zh") -> str:
        return figure_name(self.label, self.path, self.meta, lang)

    def slip_text(self, lang: str = "zh") -> str:
        """The slip in words, with the values: ``数字顺序颠倒：329.49 → 329.94``."""
        slip = self.slip
        if slip is None:
            return ""
        zh, en = _SLIP_WORDS[slip.kind]
        label = zh if lang == "zh" else en
        sep = "：" if lang == "zh" else ": "
        old, new = _number(self.printed, self.unit), _number(self.suggested, self.unit)
        if slip.kind == "direction_flipped" and slip.words:
            return f"{label}{sep}{slip.words[0]} {_number(abs(self.printed), self.unit)} → " \
                   f"{slip.words[1]} {_number(abs(self.suggested), self.unit)}"
        if slip.other is not None:
            other_label, other_line, other_value = slip.other
            at = (f"第{other_line}行" if lang == "zh" else f"line {other_line}") if other_line else ""
            who = f"{other_label}{'（' + at + '）' if lang == 'zh' and at else ' (' + at + ')' if at else ''}"
            value = format(other_value, "f")
            return f"{label}{sep}{who} {value}"
        return f"{label}{sep}{old} → {new}"

    def text(self, lang: str = "zh", document: str | None = None) -> str:
        """``农林水支出 [213]（第214行）：45.00 → 48.00 万元（数字顺序颠倒）``"""
        at = where(self.source, lang, document)
        unit = "" if not self.unit or self.unit == "%" else f" {self.unit}"
        values = f"{_number(self.printed, self.unit)} → {_number(self.suggested, self.unit)}{unit}"
        slip = self.slip_text(lang)
        if lang == "zh":
            return f"{self.name(lang)}{'（' + at + '）' if at else ''}：{values}" + (f"（{slip}）" if slip else "")
        return f"{self.name(lang)}{' (' + at + ')' if at else ''}: {values}" + (f" ({slip})" if slip else "")

    def to_dict(self) -> dict:
        data = {"path": self.path, "meta": self.meta, "label": self.label, "code": self.code, "unit": self.unit,
                "printed": format(self.printed, "f"), "suggested": format(self.suggested, "f"),
                "name": self.name("zh"), "name_en": self.name("en")}
        if self.source is not None:
            data["source"] = {k: v for k, v in attrs.asdict(self.source).items() if v is not None}
        if self.slip is not None:
            data["slip"] = self.slip.kind
            data["slip_text"] = self.slip_text("zh")
            data["slip_text_en"] = self.slip_text("en")
        return data


@attrs.frozen
class Explanation:
    """Figures whose change makes every rule hold.  ``rank`` 1 is the most likely; ``tied``
    says it is as likely as the first (same number of figures, same slips, same weight)."""

    changes: tuple
    cost: float
    rank: int
    tied: bool
    inexact: int = 0    # failing or exact comparisons that then hold only within rounding

    def text(self, lang: str = "zh", document: str | None = None) -> str:
        sep = "；" if lang == "zh" else "; "
        return sep.join(change.text(lang, document) for change in self.changes)

    def to_dict(self) -> dict:
        return {"rank": self.rank, "tied": self.tied, "cost": round(self.cost, 3), "inexact": self.inexact,
                "changes": [c.to_dict() for c in self.changes], "text": self.text("zh"),
                "text_en": self.text("en")}


@attrs.frozen
class Localisation:
    """One group of failures of a record (failures sharing figures are localised together) and
    the explanations found for it, best first; ``reason`` says why there are none."""

    record: str
    failures: tuple            # "EXP-003", "CMP-004[213]", …
    explanations: tuple = ()
    more: int = 0              # further explanations as good as the last listed, not listed
    reason: str | None = None

    @property
    def best(self) -> tuple:
        """The explanations ranked first (several when they are equally likely)."""
        return tuple(e for e in self.explanations if e.rank == 1 or e.tied)

    def to_dict(self) -> dict:
        data = {"record": self.record, "failures": list(self.failures),
                "explanations": [e.to_dict() for e in self.explanations]}
        if self.more:
            data["more"] = self.more
        if self.reason:
            data["reason"] = self.reason
        return data

"""Mapping a narrative figure's label to a record path by the template's names.

The template names a figure by the noun right before its number ("……公务用车运行费 2 万元"). A
field is found when the label *ends with* one of the field's full template names, optionally
followed by the qualifiers the template puts between a name and its number ("预算", "预算数",
"安排", "实有数", "总额" …). A keyword inside a longer name never counts: "……行政运行（项）1660.32
万元" is not 公务用车运行费, because no field's full name ends that label. Where several names end
the label, the longest wins ("公务用车购置及运行费" is the vehicle subtotal, not 运行费; "财政拨款收入
预算" is the 财政拨款 source, not 收入预算). A label holding a classification item ("（类）", "（款）",
"（项）", "科目") belongs to the itemised family (:mod:`fiscalrules.readers.budget.itemised`) and is never mapped here.

Names are regular-expression fragments written as the template prints them (after
:func:`fiscalrules.document.model.normalise`: ASCII brackets and punctuation); they must be whole names, never a bare
keyword such as "运行" or "服务".
"""

from __future__ import annotations

import re

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Iterable, Sequence

__all__ = ["Field", "NameMap", "QUALIFIERS", "is_classification_label"]

# What the template prints between a name and its number; several may follow each other
# ("财政拨款安排", "预算数为", "实有数"; "均为", "各为" of two totals printed as one: "收入、支出总计均为").
# A name's own words come first: "收入预算总额" is the name "收入预算" plus "总额".
QUALIFIERS = (r"(?:财政拨款安排|预算安排|预算数|预算金额|预算|安排|实有数|总额|总计|合计|共计|小计|金额|数额"
              r"|数|为|是|的|共|约|均|各)")
_CLASSIFICATION = re.compile(r"\((?:类|款|项)\)|科目")


def is_classification_label(label: str) -> bool:
    """True for labels naming a classification item ("…行政运行(项)", "…科目"): those are items
    of an itemised list, not template fields."""
    return bool(_CLASSIFICATION.search(label))


class Field:
    """One record path and the full names the template prints for it."""

    __slots__ = ("path", "names", "units", "_pattern")

    def __init__(self, path: str, names: Sequence[str], units: Iterable[str] = ()):
        self.path = path
        self.names = tuple(names)
        self.units = tuple(units)
        self._pattern: re.Pattern[str] | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        """The name, then qualifiers, at the end of a label.  Compiled on first use: the readers
        declare some sixty fields at import, and a document's labels meet only some of them."""
        if self._pattern is None:
            alternatives = "|".join(f"(?:{name})" for name in self.names)
            # (a colon may close the label: "事业收入：80.00 万元", "其中：财政拨款收入：1,150.00 万元")
            self._pattern = re.compile(rf"(?P<name>{alternatives}){QUALIFIERS}*[:：]?$")
        return self._pattern

    def __repr__(self) -> str:
        return f"<Field {self.path} {self.names}>"


class NameMap:
    """The fields one section can name; :meth:`match` finds the one a label ends with."""

    def __init__(self, fields: Sequence[Field]):
        self.fields = tuple(fields)

    def match(self, label: str, unit: str | None = None) -> tuple[Field, re.Match[str]] | None:
        """The field whose name ends *label* (longest name wins; ties: the name starting first --
        "事业收入预算" is 事业收入 with its qualifier, not 收入预算 -- then declaration order)."""
        if is_classification_label(label):
            return None
        best: tuple[int, int, Field, re.Match[str]] | None = None
        for field in self.fields:
            if field.units and unit not in field.units:
                continue
            found = _longest_suffix(field.pattern, label)
            if found is None:
                continue
            size = found.end("name") - found.start("name")
            if best is None or (size, -found.start("name")) > (best[0], best[1]):
                best = (size, -found.start("name"), field, found)
        return (best[2], best[3]) if best else None

    def names_other(self, text: str, field: Field) -> bool:
        """Whether *text* (the part of a label before the matched name) names another field."""
        return any(other is not field and other.pattern.search(text) for other in self.fields)


def _longest_suffix(pattern: re.Pattern[str], label: str) -> re.Match[str] | None:
    """The match of *pattern* (anchored at the end) that starts leftmost, i.e. the longest name.

    ``re.search`` already tries start positions left to right; a name with optional leading
    words ("(?:公务用车)?…") therefore takes them whenever the label has them.
    """
    return pattern.search(label)

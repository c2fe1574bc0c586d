"""The 情况说明's figures no sentence took: every amount and count of a section that the record does not
hold (of the same measure, from a line of that section) is listed as unread -- never left silent.
Run once the narrative is read (:func:`.narrative.read_narrative`)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from ..common.amounts import COUNT_UNITS, decimal_amount, scan
from ..common.coverage import MONEY_UNITS, is_threshold, record_figures
from ..common.record import RecordBuilder
from .linking import SECTION, Sections

__all__ = ["list_unread"]


def _measure(unit: str | None) -> str | None:
    """What a figure or phrase of *unit* measures: money, a count of its kind (人, 辆, 个 …: 0 辆 is
    not taken by a held 0 人次, the zeros of the 三公 counts being many), or neither (%)."""
    if unit in MONEY_UNITS:
        return "money"
    return f"count {_COUNT_KIND.get(unit, unit)}" if unit in COUNT_UNITS else None


_COUNT_KIND = {"台": "辆", "名": "人"}   # (the units one kind of count is printed in)


def _magnitude(value) -> Decimal | None:
    amount = decimal_amount(value)
    return None if amount is None else abs(amount)


def list_unread(builder: RecordBuilder, sections: Sections) -> None:
    """Every amount -- and every count -- of a section of the 情况说明 that no sentence took is
    listed as unread, never left silent ("主要原因：项目支出增加，较上年增加 C 万元" -- a figure the
    record has no field for; "公务接待 20 批次，160 人次" in words no pattern took).  A phrase is
    taken when the record holds its value (and its change) of the same measure from a line of the
    same section: the figures are counted per section, each one takes one phrase -- of its own line
    first, so that of a value printed twice and read once the phrase listed is the one not read."""
    # (and the figures printed again with the value the record holds: read where they are printed)
    figures = [fig for fig in [*record_figures(builder.data), *builder.restated]
               if _measure(fig.get("unit")) and isinstance((fig.get("source") or {}).get("line"), int)]
    for _, heading, number, stream in sections.items:
        if not stream.text:
            continue
        first, last = stream.lines_of(0, len(stream.text))
        # (each figure held takes the phrase of its value on its own line first, then any of its
        # value: where one value is printed twice and read once, the one listed is the one not read)
        held: Counter = Counter()
        held_at: Counter = Counter()
        # (a change printed away from its figure -- "3.公务接待费支出 X 万元。与 2024 年度相比减少 C 万元" in 七（二）,
        # given to the final figure of 七（一） -- is held where it is printed: source.change_line)
        for fig in figures:
            line = fig["source"]["line"]
            for value, at in ((fig["value"], line), (fig.get("change"), fig["source"].get("change_line", line))):
                amount = None if value is None else _magnitude(value)
                if amount is not None and first <= at <= last:
                    held[_measure(fig["unit"]), amount] += 1
                    held_at[_measure(fig["unit"]), amount, at] += 1
        pending = []
        for phrase in scan(stream):
            measure = _measure(phrase.unit)
            if measure is None or (measure == "money" and is_threshold(stream.text, phrase.number_end)):
                continue
            line = stream.lines_of(phrase.number_start, phrase.number_end)[0]
            for kind, value in (("amount", phrase.value), ("change", phrase.change)):
                amount = None if value is None else _magnitude(value)
                if amount is None:
                    continue
                if held_at[measure, amount, line] > 0 and held[measure, amount] > 0:
                    held_at[measure, amount, line] -= 1
                    held[measure, amount] -= 1
                else:
                    pending.append((phrase, measure, kind, value, amount))
        for phrase, measure, kind, value, amount in pending:
            if held[measure, amount] > 0:
                held[measure, amount] -= 1
                continue
            label = phrase.label or phrase.raw_label or "(no label)"
            # (each reason written out: tests/test_messages_translated reads them
            # from this code to hold each to its Chinese)
            builder.add_unread(SECTION, phrase.lines, (
                f"count {value}{phrase.unit} ({label}) not mapped to a field: {phrase.text}" if measure != "money"
                else f"amount {value}{phrase.unit} ({label}) not mapped to a field: {phrase.text}" if kind == "amount"
                else f"change {value}{phrase.unit} ({label}) not mapped to a field: {phrase.text}"))

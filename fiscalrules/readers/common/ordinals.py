"""The number an item is printed with ("12", "三", "二十一", as "（三）" and "二十一、" number them): the
readers follow the template's numbering to tell a list's next item from other text."""

from __future__ import annotations

__all__ = ["ordinal"]

_DIGITS = "一二三四五六七八九"


def ordinal(number: str) -> int | None:
    """*number* as an int: decimal digits, or Chinese numerals up to 九十九; None for anything else."""
    if number.isdigit():
        return int(number)
    if not number or any(c not in _DIGITS + "十" for c in number) or number.count("十") > 1:
        return None
    tens, ten, ones = number.rpartition("十") if "十" in number else ("", "", number)
    if len(tens) > 1 or len(ones) > 1:
        return None
    return ((_DIGITS.index(tens) + 1 if tens else 1) * 10 if ten else 0) + (_DIGITS.index(ones) + 1 if ones else 0)

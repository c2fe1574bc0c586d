"""Findings as a table for the tools analysts live in: a pandas DataFrame or an Arrow table, one
row per finding (passes included), in the report's order.

Amounts stay exact: ``left``, ``right``, ``difference`` and ``tolerance`` are Decimals (an object
column in pandas, a decimal column in Arrow); a side that is not a number (a text comparison) is
empty there and readable in ``message``.  ``figures`` lists each figure involved as
``path=value@line``.  pandas and pyarrow are imported only when these are called
(``pip install "fiscalrules[pandas]"`` / ``"fiscalrules[arrow]"``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .findings import Report

__all__ = ["FINDING_COLUMNS", "finding_rows", "to_pandas", "to_arrow", "holds_findings"]

FINDING_COLUMNS = ("record", "document", "rule", "item", "title", "severity", "status", "message", "left",
                   "right", "difference", "tolerance", "unit", "left_expression", "right_expression",
                   "missing", "suggestion", "tags", "figures", "reason")
_DECIMAL_COLUMNS = ("left", "right", "difference", "tolerance")


def holds_findings(column_names) -> bool:
    """Whether a table of these columns is findings this module made (a ``--format parquet``
    report): read again as records, each finding would be a record of nonsense."""
    return tuple(column_names[:len(FINDING_COLUMNS)]) == FINDING_COLUMNS


def _number(side: Any) -> Decimal | None:
    value = getattr(side, "value", None)
    return value if isinstance(value, Decimal) else None


def finding_rows(report: Report, lang: str = "zh") -> list[dict[str, Any]]:
    """One plain dict per finding, with the columns of :data:`FINDING_COLUMNS`."""
    documents = {info.id: info.document for info in report.records}
    rows = []
    for f in report.sorted_findings():
        left, right = f.left, f.right
        rows.append({
            "record": f.record, "document": documents.get(f.record), "rule": f.rule, "item": f.item,
            "title": (f.title_en or f.title) if lang == "en" else f.title,
            "severity": f.severity, "status": f.status, "message": f.text(lang),
            "left": _number(left), "right": _number(right),
            "difference": f.difference if isinstance(f.difference, Decimal) else None,
            "tolerance": f.tolerance if isinstance(f.tolerance, Decimal) else None,
            "unit": f.unit, "left_expression": left.expression if left is not None else None,
            "right_expression": right.expression if right is not None else None,
            "missing": "、".join(f.missing) if lang == "zh" else ", ".join(f.missing),
            "suggestion": f.suggestion, "tags": ",".join(f.tags),
            "figures": "; ".join(f"{o.path}={o.printed or o.value}"
                                 + (f"@{o.source.line}" if o.source is not None and o.source.line else "")
                                 for o in f.operands),
            "reason": f.reason,
        })
    return rows


def to_pandas(report: Report, lang: str = "zh") -> Any:
    """The findings as a pandas DataFrame (Decimal amounts in object columns)."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError('Report.to_pandas() needs pandas: pip install "fiscalrules[pandas]"') from None
    return pd.DataFrame(finding_rows(report, lang), columns=list(FINDING_COLUMNS))


def to_arrow(report: Report, lang: str = "zh", amounts_as_text: bool = False) -> Any:
    """The findings as a pyarrow Table (decimal columns for the amounts, strings elsewhere);
    *amounts_as_text*: every column text, each amount its own exact decimal text (the streamed
    Parquet output: one schema for every batch; a decimal column cast to text pads each amount to
    the column's scale, which the other findings of the batch decide)."""
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError('Report.to_arrow() needs pyarrow: pip install "fiscalrules[arrow]"') from None
    rows = finding_rows(report, lang)
    arrays = {}
    for column in FINDING_COLUMNS:
        values = [row[column] for row in rows]
        if column in _DECIMAL_COLUMNS and not amounts_as_text:
            arrays[column] = _decimal_array(pa, values)
        else:
            arrays[column] = pa.array([None if v is None else _utf8(format(v, "f") if isinstance(v, Decimal) else str(v))
                                       for v in values], type=pa.string())
    return pa.table(arrays)


def _utf8(text: str) -> str:
    """*text* as Arrow can hold it: a lone surrogate (valid in JSON, ``"\\ud800"``) as its escape --
    Arrow's strings are UTF-8, and one such cell ended ``check --format parquet`` in an internal
    error (review 23 R15)."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _decimal_array(pa: Any, values: list[Decimal | None]) -> Any:
    """A decimal128 column wide enough for every value; exact quotients too long for 38 digits
    fall back to their text rather than being rounded."""
    present = [v for v in values if v is not None and v.is_finite()]
    if not present:
        return pa.array(values, type=pa.decimal128(20, 2))
    scale = max(max(-v.as_tuple().exponent, 0) for v in present)
    integer = max(len(v.as_tuple().digits) + v.as_tuple().exponent for v in present)
    precision = max(integer, 1) + scale
    if precision > 38 or len(present) != sum(v is not None for v in values):
        return pa.array([None if v is None else format(v, "f") for v in values], type=pa.string())
    return pa.array(values, type=pa.decimal128(precision, scale))

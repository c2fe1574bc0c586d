"""The reader's quick judgement of its figures (readtexts.plainly_loadable) never passes a figure
the record loader refuses: it may only say "certainly loadable" where the loader's own
_Builder.figure accepts the figure (anything else is decided by the loader)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from fiscalrules import readtexts
from fiscalrules.errors import RecordError
from fiscalrules.readtexts import plainly_loadable
from fiscalrules.records import _Builder, figure_problems
from fiscalrules.values import library_context

_TEXTS = st.sampled_from([
    "329.94", "-0.50", "0", "12,345.67", "1,23", "1e5", "1E+5", "NaN", "-inf", "+Infinity", ".nan", "٣٢", "３２",
    "1234567890123456789012345678901", "基本工资", "合计", "≥95%", "2025年", "", " ", "  12  ", "- 3", "abc",
    "二、2025年“三公”经费", "inf", "x" * 70, "1 234.5", "1.234,56", "¹", "²³",
]) | st.text(max_size=12)
_NUMBERS = st.one_of(st.none(), st.booleans(), st.integers(-5, 10 ** 10), st.floats(allow_nan=True),
                     st.sampled_from([Decimal("1.5"), Decimal("NaN"), Decimal("1E+40")]), _TEXTS)
_BOX = st.one_of(st.none(), st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                                               st.integers(-10, 10), st.booleans()), min_size=3, max_size=5))
_SOURCE = st.one_of(st.none(), _TEXTS, st.integers(), st.fixed_dictionaries({}, optional={
    "document": st.one_of(_TEXTS, st.integers()), "section": _TEXTS, "text": st.one_of(_TEXTS, st.none()),
    "line": _NUMBERS, "page": _NUMBERS, "box": _BOX}))
_FIGURE = st.fixed_dictionaries({"value": _NUMBERS}, optional={
    "unit": st.one_of(_TEXTS, st.integers()), "change": _NUMBERS, "pct": _NUMBERS, "precision": _NUMBERS,
    "printed": st.one_of(_TEXTS, st.integers()), "label": st.one_of(_TEXTS, st.none()), "source": _SOURCE})


def _loader_accepts(raw) -> bool:
    try:
        with library_context():
            _Builder(None).figure(raw, "")
    except RecordError:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(st.one_of(_TEXTS, _NUMBERS, _FIGURE))
def testplainly_loadable_only_where_the_loader_accepts(raw):
    # Each verdict from an empty memo of texts read (readtexts.READ): the quick judgement
    # remembers a text it passes, and the loader would then find it there and accept it too --
    # a wrongly passed text would pass both.
    readtexts.READ.clear()
    accepts = _loader_accepts(raw)
    readtexts.READ.clear()
    if plainly_loadable(raw):
        assert accepts
    # and the reader's verdict is the loader's, whichever way it was reached
    readtexts.READ.clear()
    assert (figure_problems([raw])[0] is None) == accepts


def test_the_figures_a_reader_writes_are_judged_without_the_loader():
    source = {"document": "a.txt", "section": "(一)收入预算情况", "line": 12, "page": 2, "text": "收入 1.00 万元",
              "box": [1.0, 2.0, 3.5, 4.0]}
    assert plainly_loadable({"value": "329.94", "unit": "万元", "change": "-1.20", "pct": "4.26", "label": "收入",
                              "printed": "329.94", "source": source})
    assert plainly_loadable("基本工资") and plainly_loadable("301")
    # refused by the loader, so never passed: a grouped amount with a bad separator, NaN, a bad box
    assert not plainly_loadable({"value": "1,23"})
    assert not plainly_loadable("nan")
    assert not plainly_loadable({"value": "1.00", "source": {"box": [1.0, 2.0, float("inf"), 4.0]}})
    assert figure_problems([{"value": "1,23"}])[0] is not None

"""The reports' indented JSON is exactly ``json.dumps(value, ensure_ascii=False, indent=2)``'s text.

:func:`fiscalrules.report_json.dumps_indented` lays the text out itself (json's indented encoder is
its slow pure-Python one), and the streamed JSON of a batch writes every finding with it: any
difference in layout, escaping, numbers or keys would be a report that is not what it was."""

from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from fiscalrules.report_json import dumps_indented
from fiscalrules.reporters import _json_value

# Report keys come back thousands of times (the layout keeps their text); the odd ones too.
KEYS = st.one_of(st.sampled_from(["record", "rule", "message", "value", "unit", "source", "行", "收入预算总额"]),
                 st.text(max_size=6), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                 st.booleans(), st.none())
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True),
                    st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
                    st.decimals(allow_nan=False, places=3), st.decimals(allow_nan=False, max_value=10**25))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                       st.lists(inner, max_size=3).map(tuple),
                                                       st.dictionaries(KEYS, inner, max_size=5)), max_leaves=40)


@settings(max_examples=100, deadline=None)
@given(VALUES)
def test_any_report_value_is_laid_out_as_json_dumps_lays_it_out(value):
    expected = json.dumps(value, ensure_ascii=False, indent=2, default=_json_value)
    assert dumps_indented(value, _json_value) == expected
    assert dumps_indented(value, _json_value) == expected   # the second time from the kept key texts


def test_what_json_cannot_write_is_refused_as_json_refuses_it():
    for value in ({(1, 2): "tuple key"}, {"a": object()}, [Decimal("1"), {1j: 0}]):
        try:
            json.dumps(value, ensure_ascii=False, indent=2, default=_json_value)
        except TypeError as refused:
            expected = type(refused)
        else:
            raise AssertionError(f"json.dumps wrote {value!r}")
        try:
            dumps_indented(value, _json_value)
        except expected:
            continue
        raise AssertionError(f"dumps_indented wrote {value!r}")

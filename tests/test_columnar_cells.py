"""Text cells on the columnar path are read exactly as the record loader reads them, hostile ones
included, whether a text column is read cell by cell or -- when its texts repeat -- dictionary-coded
first (``Frame._code_if_repeated``): full-width digits, thousands separators, parentheses,
blanks, dashes, exponents, absurd lengths and magnitudes, NaN and infinities.  Every (rule,
record) status, the counts, the unreadable records and the findings equal ``evaluate_many``'s
over the same frame."""

from __future__ import annotations

import pytest

pa = pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import fiscalrules  # noqa: E402
from fiscalrules.columnar import cells as cells_module  # noqa: E402
from fiscalrules.columnar.cells import _PLAIN, _plain_mask, _plain_values  # noqa: E402
from fiscalrules.columnar.reading import _SAMPLE_MIN, Frame  # noqa: E402
from columnar_equivalence import assert_same  # noqa: E402
from test_columnar import RULES  # noqa: E402  (amounts, a count, texts, quotients)

PROPERTY = settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


#: Cells a budget table may print, and cells that only look like numbers.
HOSTILE = [
    "1", "0", "-0", "12.50", "-3.25", "007", "1234567.89", "123456789012345", "1234567890123456",
    "0.12345678901234", "0.123456789012345", "１２３", "１２.５０", "-１", "1,234.56", "1,234", "12,34",
    "1.234,56", "1 234", "(12.00)", "（12.00）", "−3", "- 3", "+5", " 7", "7 ", "5.", ".5", "-", "--5",
    "—", "－", "", " ", "1e3", "1E-2", "nan", "NaN", "inf", "-Infinity", "٣", "1٣", "²", "12x", "x",
    "n/a", "合计", "一般公共服务", "9" * 31, "1" + "0" * 40, "0." + "0" * 35 + "1", "9" * 19,
    "-" + "9" * 18, "1.2.3", "1-2", "5\n", "1" * 100_000,
]

_cells = st.one_of(st.sampled_from(HOSTILE), st.none(),
                   st.text(alphabet="0123456789.-,() １２e+x", min_size=0, max_size=22))


def _frame(rows: list, repeat: int):
    columns = {"合计": [], "a": [], "b": [], "name": []}
    for _ in range(repeat):
        for row in rows:
            for name, cell in zip(columns, row):
                columns[name].append(cell)
    return pa.table({name: pa.array(cells, pa.string()) for name, cells in columns.items()})


@pytest.fixture(scope="module")
def rules():
    return fiscalrules.compile_rules(RULES)


@PROPERTY
@given(rows=st.lists(st.tuples(_cells, _cells, _cells, _cells), min_size=1, max_size=6),
       repeat=st.sampled_from([1, 40]))
def test_hostile_text_cells_equal_per_record(rows, repeat):
    rules = fiscalrules.compile_rules(RULES)
    table = _frame(rows, repeat)
    assert_same(rules, table, table, chunk_rows=1 << 10)


def test_repeated_texts_are_coded_and_distinct_ones_are_not(rules):
    """The coding is taken when a column's texts repeat -- and not when they do not -- and gives
    the same statuses either way (hostile cells among plain amounts)."""
    repeated = _frame([(cell, "1", "2", "x") for cell in HOSTILE], 4)
    distinct = pa.table({"合计": [f"{i}.{i % 100:02d}" for i in range(300)] + HOSTILE,
                         "a": [str(i) for i in range(300 + len(HOSTILE))],
                         "b": ["1"] * (300 + len(HOSTILE)), "name": ["x"] * (300 + len(HOSTILE))})
    roles = {name: (name if name != "合计" else "total", None) for name in repeated.column_names}
    frame = Frame(repeated, rules.settings, roles)
    assert pa.types.is_dictionary(frame.table.column("合计").type)
    frame = Frame(distinct, rules.settings, roles)
    assert pa.types.is_string(frame.table.column("合计").type)          # distinct amounts: as given
    assert pa.types.is_dictionary(frame.table.column("b").type)         # one repeated text: coded
    assert len(repeated) >= _SAMPLE_MIN
    for table in (repeated, distinct):
        result = assert_same(rules, table, table, chunk_rows=1 << 10)
        assert result.errors                                             # exponents, absurd numbers


def test_a_long_text_column_of_distinct_amounts_nulls_and_hostile_cells(rules):
    """A text column too long to be read in Python (``cells.SMALL``) whose amounts do not repeat
    (left as given, read by the C pass or Arrow's) with empty cells and hostile texts among them:
    its figures -- the pass's values taken whole, the other cells read as the loader reads them --
    give the per-record statuses, in one chunk and in several."""
    n = 2 * cells_module.SMALL + 40
    hostile = [cell for cell in HOSTILE if len(cell) <= 12]   # (figures within 64 bits: read on columns)
    total, a = [], []
    for i in range(n):
        total.append(hostile[i % len(hostile)] if i % 7 == 3 else None if i % 11 == 5 else f"{i}.{i % 100:02d}")
        a.append(None if i % 13 == 0 else f"-{i % 97}.5" if i % 2 else str(i))
    table = pa.table({"合计": pa.array(total, pa.string()), "a": pa.array(a, pa.string()),
                      "b": ["1"] * n, "name": ["x"] * n})
    roles = {name: (name if name != "合计" else "total", None) for name in table.column_names}
    assert pa.types.is_string(Frame(table, rules.settings, roles).table.column("合计").type)
    for chunk_rows in (1 << 12, 211):
        result = assert_same(rules, table, table, chunk_rows=chunk_rows)
        assert result.engines["R1"] == "columnar" and result.errors   # (hostile cells: unreadable records)


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.one_of(st.sampled_from(HOSTILE[:-1]), st.none(),
                                st.text(alphabet="0123456789.-１e x", max_size=21)), max_size=40),
       start=st.integers(min_value=0, max_value=3))
def test_plain_mask_is_the_plain_number_expression(cells, start):
    """The cells read as plain numbers without the loader are exactly those its plain-number
    expression matches (at most 19 bytes), in a sliced array too, and their values are the
    loader's -- whether the array is small enough to be read in Python (``cells.SMALL``) or is
    read by the C loop (:func:`.rowloops.plain_numbers`, where built) or by Arrow compute."""
    import functools
    import re
    from decimal import Decimal

    from fiscalrules.columnar import rowloops
    array = pa.array(["pad"] * start + cells, pa.large_string() if start % 2 else pa.string()).slice(start)
    expected = [c is not None and len(c.encode()) <= 19 and re.fullmatch(_PLAIN.strip("^$"), c) is not None
                for c in cells]
    values = [Decimal(c) if plain else None for c, plain in zip(cells, expected)]
    small = cells_module.SMALL
    assert len(cells) <= small
    choose = rowloops._choose
    ways = [(small, choose), (-1, choose), (-1, functools.cache(lambda: (None, "the test asks for Arrow")))]
    try:
        for cells_module.SMALL, rowloops._choose in ways:    # in Python, then in C, then by Arrow compute
            mask = _plain_mask(array)
            assert mask.tolist() == expected
            units, exps = _plain_values(array, mask)
            assert [Decimal(int(u)).scaleb(int(e)) if plain else None
                    for u, e, plain in zip(units, exps, expected)] == values
            assert all(v is None or int(e) == v.as_tuple().exponent
                       for e, v in zip(exps, values))          # the printed decimals kept
    finally:
        cells_module.SMALL, rowloops._choose = small, choose


def test_a_column_coded_on_its_repeating_head_reads_a_differing_tail_as_the_loader(rules):
    """Whether to code a column is judged from its first cells only: a column whose head repeats
    (coded) and whose later cells are new, hostile texts is still read as the loader reads them."""
    from fiscalrules.columnar.reading import _SAMPLE
    head = [("1.00", "2", "3", "x")] * (_SAMPLE + 8)
    tail = [(cell, HOSTILE[(7 * i) % len(HOSTILE)], cell, "y") for i, cell in enumerate(HOSTILE)]
    table = _frame(head + tail, 1)
    roles = {name: (name if name != "合计" else "total", None) for name in table.column_names}
    assert pa.types.is_dictionary(Frame(table, rules.settings, roles).table.column("合计").type)
    for chunk_rows in (1 << 10, 97):
        assert_same(rules, table, table, chunk_rows=chunk_rows)


def test_a_coded_column_is_judged_by_the_texts_its_chunk_uses(rules):
    """A column coded as Parquet hands it over keeps one dictionary for every chunk: a text the
    loader refuses ("1e3", "nan") marks only the rows whose cells use it, in whichever chunk they
    are -- a chunk sharing the dictionary without using that text has no row marked (a marked row
    is read per record) -- and the statuses are the per-record engine's."""
    plain = [("1.00", "2", "3", "x")] * 60
    table = _frame(plain + [("1e3", "2", "nan", "y")] + plain, 1)
    coded = pa.table([column.dictionary_encode() for column in table.columns], names=table.column_names)
    assert len(coded.column("合计").chunk(0).dictionary) * 4 <= 60   # judged by its distinct texts
    roles = {name: (name if name != "合计" else "total", None) for name in table.column_names}
    assert not Frame(coded.slice(0, 60), rules.settings, roles, memo={}).bad.any()
    assert Frame(coded.slice(60, 60), rules.settings, roles, memo={}).bad.tolist() == [True] + [False] * 59
    for chunk_rows in (60, 1 << 10):
        result = assert_same(rules, coded, table, chunk_rows=chunk_rows)
        assert sorted(result._unreadable) == [60]


@pytest.mark.parametrize("pure", [False, True])
@pytest.mark.parametrize("seed", range(8))
def test_small_decimals_are_coded_as_arrow_codes_them(pure, seed, monkeypatch):
    """A decimal128 column of at most 18 digits is coded by its unscaled integers (a table's code
    column): the same distinct values, as the same Python decimals in the same order (first
    appearance), and the same index per cell as Arrow's dictionary encoding -- nulls, slices,
    several chunks, negative and zero values, scales 0…18, by the C loop and numpy's twin."""
    import functools
    import random
    from decimal import Decimal

    from fiscalrules.columnar import rowloops
    from fiscalrules.columnar.cells import _dictionary_coded, _small_decimals_coded
    if pure:
        monkeypatch.setattr(rowloops, "_choose", functools.cache(lambda: (None, "the test asks for numpy")))
    rnd = random.Random(seed)
    precision = rnd.choice([1, 3, 5, 9, 15, 16, 18])
    scale = rnd.randrange(precision + 1)
    top = 10 ** precision - 1
    pool = [rnd.randint(-top, top) for _ in range(rnd.randrange(1, 12))] + [0, top, -top]
    cells = [None if rnd.random() < 0.1 else Decimal(rnd.choice(pool)).scaleb(-scale) for _ in range(rnd.randrange(1, 300))]
    kind = pa.decimal128(precision, scale)
    column = pa.chunked_array([pa.array(cells[:len(cells) // 2], kind), pa.array(cells[len(cells) // 2:], kind)])
    for part in (column, column.combine_chunks().slice(rnd.randrange(len(cells)))):
        found = _small_decimals_coded(part)
        raw, codes = _dictionary_coded(part)
        assert found is not None
        assert [str(v) for v in found[0]] == [str(v) for v in raw]
        assert found[1].tolist() == codes.tolist()
    assert _small_decimals_coded(pa.array(cells, pa.decimal128(19, scale))) is None
    assert _small_decimals_coded(pa.array(["1"])) is None


def test_more_distinct_small_decimals_than_kept_are_coded_by_arrow(monkeypatch):
    from fiscalrules.columnar.cells import _small_decimals_coded
    monkeypatch.setattr(cells_module, "_SMALL_DECIMALS", 3)
    from decimal import Decimal
    column = pa.array([Decimal(v) for v in (1, 2, 3, 4)], pa.decimal128(3, 0))
    assert _small_decimals_coded(column) is None
    assert _small_decimals_coded(column.slice(1)) is not None


def test_a_flag_cell_neither_true_nor_false_is_an_error_on_both_engines():
    """A table's flag cell holding text ("true", "x") is an error of the rules reading it, as a flag
    field's is -- both engines once took it as false, failing the rule (the text "true" too)."""
    ruleset = fiscalrules.compile_rules('field t "部分": table(name: text, present "是否印出": flag)\n'
                                        "rule R: for each s in t: s.present\n")
    cells = ["true", "x", True, False, "false"]
    records = [{"_meta": {"id": f"r{i}"}, "t": [{"code": "1", "name": "a", "present": cell},
                                                {"code": "2", "name": "b", "present": True}]}
               for i, cell in enumerate(cells)]
    from fiscalrules.columnar import flatten_records
    from fiscalrules.columnar.nested import to_nested
    flat = flatten_records(records, ruleset)
    assert_same(ruleset, flat, records, chunk_rows=2)
    statuses = [f.status for f in ruleset.evaluate_many(records).findings if f.item == "1"]
    assert statuses == ["error", "error", "pass", "fail", "error"]
    assert list(ruleset.evaluate_table(flat).statuses("R")) == [5, 5, 0, 2, 5]
    # The text cells alone are a column of texts, each an error; beside flags, the records cannot
    # be written nested (their flags would read back missing: not evaluable) and are refused by name.
    texts = [{"_meta": {"id": f"t{i}"}, "t": [{"code": "1", "name": "a", "present": cell}]} for i, cell in enumerate(("true", "x"))]
    assert list(ruleset.evaluate_table(to_nested(flatten_records(texts, ruleset))).statuses("R")) == [5, 5]
    with pytest.raises(fiscalrules.RecordError, match=r"5 record\(s\) \(r0, r1, r2, r3, r4\) hold values of another kind"):
        to_nested(flat)

"""``and``, ``or`` and ``if … then`` over a chunk whose one side decides every record: the other
side is not read, as the per-record engine does not read it (a ``when`` whose figures a whole
chunk lacks, the bundled percentage rules' ``present(pct(x)) and prior(x) != 0``).  Not reading
it shows: a figure beyond 64-bit integers in the side not read no longer sends the chunk's rule
to the per-record engine, and the statuses stay the per-record engine's."""

from __future__ import annotations

import pytest

pa = pytest.importorskip("pyarrow")

import fiscalrules  # noqa: E402
from columnar_equivalence import assert_same  # noqa: E402

RULES = '''
field x: amount
field big: amount
field a: amount
rule AND { when present(x) and big * 1000 > a
  assert a >= 0 }
rule OR: a >= 0 or big * 1000 > a
rule IMP: if present(x) then big * 1000 > a
rule BOTH { when present(a) and big * 1000 > a
  assert a >= 0 }
'''
BIG = "123456789012345678.25"   # (beyond 64-bit integers at cents: read per record)


@pytest.fixture(scope="module")
def rules():
    return fiscalrules.compile_rules(RULES)


def _table(a, big):
    return pa.table({"x": pa.array([None] * len(a), pa.string()), "big": big, "a": a})


def test_a_side_deciding_every_record_leaves_the_other_unread(rules):
    # x is absent from every record: AND and IMP are decided by present(x); a >= 0 holds on
    # every record: OR is decided by its left side.  big is never read on columns.
    result = assert_same(rules, _table(["1", "2", "3"], [BIG, "1", BIG]), _table(["1", "2", "3"], [BIG, "1", BIG]),
                         chunk_rows=3)
    for rid in ("AND", "OR", "IMP"):
        assert result.engines[rid] == "columnar", rid
    assert list(result.statuses("AND")) == [3, 3, 3]    # not applicable
    assert list(result.statuses("IMP")) == [0, 0, 0]    # a false condition holds
    # Where the first side does not decide every record of the chunk, the other is read:
    # big beyond 64 bits sends that chunk to the per-record engine, as before.
    assert result.engines["BOTH"].startswith("per-record for some rows")


def test_the_other_side_is_read_in_a_chunk_the_first_does_not_decide(rules):
    # Chunks of one record: in the second, a < 0 leaves OR to its right side (big, per record);
    # the first and third are decided by a >= 0.
    table = _table(["1", "-2", "3"], [BIG, BIG, "1"])
    result = assert_same(rules, table, table, chunk_rows=1)
    assert result.engines["OR"].startswith("per-record for some rows")
    assert result.engines["AND"] == "columnar"

"""The engine's bookkeeping of a rule's statuses over a chunk (``TableReport._add``: counts per
status, the rows that do not pass, those passing within rounding as a bitmap or row numbers) is
the same with the C kernel ``split_codes`` (fiscalrules/_ckernel_codes.c) and with the numpy code;
the kernel refuses what it cannot read; ``kernel.int64s`` hands back an array the kernels can read
(the same one when it is already); an assertion's outcomes without masks are its statuses as they are;
a comparison of a sum left unadded (``sums.Sum``, the kernel ``decide_sum``) decides as the sum added up."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("pyarrow")

from fiscalrules.columnar import engine, kernel, rulebody  # noqa: E402
from fiscalrules.columnar.plan import STATUS_CODES  # noqa: E402
from fiscalrules.columnar.vectors import Cond  # noqa: E402

C = kernel.compiled()
needs_c = pytest.mark.skipif(C is None, reason=f"the C kernels do not run here: {kernel.why_not()}")


def _report():
    report = engine.TableReport.__new__(engine.TableReport)
    report.counts = {"R": dict.fromkeys(("pass", "pass_rounding", "fail", "not_applicable", "not_evaluable",
                                         "error"), 0)}
    report._rows, report._codes, report._rounding = {"R": []}, {"R": []}, {"R": []}
    report._unreadable, report.rows = [], 0
    return report


def _kept(report):
    """What the report keeps of rule R, as plain lists (bitmaps unpacked to row numbers)."""
    rounding = []
    for start, n, bits in report._rounding["R"]:
        if bits is None:
            rounding.extend(np.asarray(start).tolist())
        else:
            rounding.extend((np.flatnonzero(np.unpackbits(bits, count=n)) + start).tolist())
    return (report.counts["R"], [r.tolist() for r in report._rows["R"]], [c.tolist() for c in report._codes["R"]],
            sorted(rounding))


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 64, 1000])
@pytest.mark.parametrize("mix", ["all", "rounding", "sparse"])
def test_the_kernel_keeps_what_the_numpy_code_keeps(n, mix):
    rnd = np.random.default_rng(n)
    if mix == "all":
        codes = rnd.integers(0, 6, n).astype(np.int8)
    elif mix == "rounding":   # most pass within rounding: kept as a bitmap
        codes = np.where(rnd.random(n) < 0.9, 1, rnd.integers(0, 6, n)).astype(np.int8)
    else:                     # a few pass within rounding: kept as row numbers
        codes = np.where(rnd.random(n) < 0.97, 0, rnd.integers(0, 6, n)).astype(np.int8)
    for rows in (100, np.arange(5, 5 + 2 * n, 2, dtype=np.int64)):   # (consecutive from 100, or row numbers)
        for finding_codes in (None, rnd.integers(0, 6, 2 * n).astype(np.int8)):
            kept = []
            for on in (True, False):
                report = _report()
                with kernel.use(on):
                    report._add("R", rows, codes, finding_codes)
                    report._add("R", rows, codes, None, np.arange(6, dtype=np.int64))   # a tally given
                kept.append(_kept(report))
            assert kept[0] == kept[1]
            counts = kept[0][0]
            expected = np.bincount(codes if finding_codes is None else finding_codes, minlength=6)
            assert [counts[s] for s in STATUS_CODES] == (expected + np.arange(6)).tolist()


@needs_c
def test_split_codes_is_one_pass_of_the_numpy_passes():
    rnd = np.random.default_rng(3)
    for n in (0, 1, 8, 13, 100):
        codes = rnd.integers(0, 6, n).astype(np.int8)
        tally, bits, kept = np.empty(6, np.int64), np.full((n + 7) // 8, 255, np.uint8), np.empty(n, np.int64)
        assert C.split_codes(codes, tally, bits, kept) == (int((codes > 1).sum()), int((codes == 1).sum()))
        assert tally.tolist() == np.bincount(codes, minlength=6).tolist()
        assert bits.tolist() == np.packbits(codes == 1).tolist()     # (the last byte's unused bits 0)
        assert kept[:int((codes > 1).sum())].tolist() == np.flatnonzero(codes > 1).tolist()


@needs_c
def test_split_codes_refuses_what_it_cannot_read():
    codes, tally, bits, kept = np.zeros(9, np.int8), np.empty(6, np.int64), np.empty(2, np.uint8), np.empty(9, np.int64)
    with pytest.raises(ValueError, match="out of range"):      # a code that is no status
        C.split_codes(np.array([0, 6], np.int8), tally, np.empty(1, np.uint8), np.empty(2, np.int64))
    with pytest.raises(ValueError, match="out of range"):
        C.split_codes(np.array([-1], np.int8), tally, np.empty(1, np.uint8), np.empty(1, np.int64))
    with pytest.raises(ValueError, match="lengths"):           # a bitmap too short for the codes
        C.split_codes(codes, tally, np.empty(1, np.uint8), kept)
    with pytest.raises(ValueError, match="lengths"):           # kept shorter than the codes
        C.split_codes(codes, tally, bits, np.empty(8, np.int64))
    with pytest.raises(ValueError, match="lengths"):
        C.split_codes(codes, np.empty(5, np.int64), bits, kept)
    with pytest.raises(ValueError, match="int8"):              # codes of another element type
        C.split_codes(np.zeros(9, np.int64), tally, bits, kept)
    with pytest.raises(ValueError, match="int64"):
        C.split_codes(codes, tally, bits, np.empty(9, np.int32))
    with pytest.raises(ValueError, match="aligned"):           # int64 read through int64_t *
        C.split_codes(codes, tally, bits, np.zeros(73, np.uint8)[1:].view(np.int64))
    with pytest.raises(ValueError, match="shares memory"):
        C.split_codes(codes, tally, codes[:2].view(np.uint8), kept)
    with pytest.raises(TypeError):
        C.split_codes(None, tally, bits, kept)
    with pytest.raises(ValueError, match="read-only"):        # (an output must be writable)
        ro = np.empty(9, np.int64)
        ro.flags.writeable = False
        C.split_codes(codes, tally, bits, ro)


def test_int64s_hands_back_an_array_the_kernels_read():
    a = np.arange(6, dtype=np.int64)
    assert kernel.int64s(a) is a                                 # already: no copy
    for other in (a[::2], a.astype(np.int32), a.astype(">i8"), np.zeros(49, np.uint8)[1:].view(np.int64)):
        made = kernel.int64s(other)
        assert made.dtype == np.int64 and made.dtype.isnative and made.flags.c_contiguous and made.flags.aligned
        assert made.tolist() == np.asarray(other).astype(np.int64).tolist()


def test_outcomes_without_masks_are_the_statuses():
    out = np.array([0, 1, 2, 2, 0], dtype=np.int8)
    assert rulebody._status(Cond(out)) is out                     # EXACT, ROUNDING, FAIL: PASS, PASS_ROUNDING, FAILED
    with kernel.use(False):
        assert rulebody._status(Cond(out)) is out
    made = rulebody._status(Cond(out, np.array([0, 0, 1, 0, 0], bool)))   # a mask: a new array, the outcomes kept
    assert made is not out and made.tolist() == [0, 1, 4, 2, 0] and out.tolist() == [0, 1, 2, 2, 0]
    wide = np.broadcast_to(np.int8(2), (3,))                      # (a broadcast outcome: made into statuses)
    assert rulebody._status(Cond(wide)).tolist() == [2, 2, 2] and rulebody._status(Cond(wide)) is not wide


def _figure(rnd, n, bound=10 ** 6):
    from decimal import Decimal
    from fiscalrules.columnar.columns import Num
    return Num(rnd.integers(-bound, bound, n), -2, "money", half=Decimal("0.5"), bound=bound)


@pytest.mark.parametrize("n", [0, 1, 5, 1000])
def test_a_comparison_of_sums_left_unadded_decides_as_the_sums_added_up(n):
    from fiscalrules.columnar import arith, sums
    from fiscalrules.values import NO_TOLERANCE
    rnd = np.random.default_rng(n)
    for trial in range(12):
        t, a, b, c = (_figure(rnd, n) for _ in range(4))
        t.pt = a.pt + b.pt - c.pt + rnd.integers(-2, 3, n)      # exact, within rounding, failing
        signs = (1, 1, -1) if trial % 2 else (1, -1, 1)
        for op in ("=", "!=", "<", "<=", ">", ">="):
            made = []
            for on in (True, False):
                with kernel.use(on):
                    for left_first in (True, False):   # (a sum is consumed once: made for each comparison)
                        s = arith.add(arith.add(a, b, signs[1]), c, signs[2])
                        assert (type(s) is sums.Sum and s.unadded) == (on and C is not None)
                        pair = (t, s) if left_first else (s, t)
                        made.append(arith.decide(op, *pair, NO_TOLERANCE, n).out.tolist())
            assert made[:2] == made[2:], (op, trial)
        s = arith.add(arith.add(a, b), c)
        assert s.pt.tolist() == (a.pt + b.pt + c.pt).tolist()          # read: added up, once
        assert s.pt is s.pt and not (type(s) is sums.Sum and s.unadded)


@needs_c
def test_decide_sum_refuses_what_it_cannot_read():
    a, b, out = np.arange(4, dtype=np.int64), np.zeros(4, dtype=np.int64), np.empty(4, np.int8)
    C.decide_sum(0, (a, b), (1, -1), 0, 0, out)
    assert out.tolist() == [0, 2, 2, 2]
    with pytest.raises(ValueError, match="lengths"):
        C.decide_sum(0, (a, np.zeros(3, np.int64)), (1, -1), 0, 0, out)
    with pytest.raises(ValueError, match="lengths"):
        C.decide_sum(0, (a, b), (1, -1), np.zeros(3, np.int64), 0, out)
    with pytest.raises(ValueError, match="terms"):                 # five terms, or none
        C.decide_sum(0, (a,) * 5, (1,) * 5, 0, 0, out)
    with pytest.raises(ValueError, match="terms"):
        C.decide_sum(0, (), (), 0, 0, out)
    with pytest.raises(ValueError, match="terms"):                 # a sign for each term
        C.decide_sum(0, (a, b), (1,), 0, 0, out)
    with pytest.raises(ValueError, match="signs"):
        C.decide_sum(0, (a, b), (1, 2), 0, 0, out)
    with pytest.raises(ValueError, match="terms"):                 # a constant term
        C.decide_sum(0, (a, 3), (1, -1), 0, 0, out)
    with pytest.raises(ValueError, match="int64"):
        C.decide_sum(0, (a, b.astype(np.int32)), (1, -1), 0, 0, out)
    with pytest.raises(ValueError, match="operator"):
        C.decide_sum(6, (a, b), (1, -1), 0, 0, out)
    with pytest.raises(ValueError, match="int8"):
        C.decide_sum(0, (a, b), (1, -1), 0, 0, np.empty(4, np.int64))
    with pytest.raises(ValueError, match="shares memory"):
        C.decide_sum(0, (a, b), (1, -1), 0, 0, a.view(np.int8)[:4])    # (out written over a term)

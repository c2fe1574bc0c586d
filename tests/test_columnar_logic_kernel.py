"""``and`` / ``or`` / ``if … then`` over condition vectors: the C kernel (``_ckernel.logic``) gives
the numpy code's outcomes and masks on every combination of outcomes and stops, and refuses
buffers it cannot read whole.  (The rules that use them are compared with the per-record engine,
both ways, by tests/test_columnar_plan_kernel.py and the other columnar tests.)"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from fiscalrules.columnar import kernel, logic
from fiscalrules.columnar.vectors import Cond, Domain

C = kernel.compiled()
needs_c = pytest.mark.skipif(C is None, reason=f"the C kernels do not run here: {kernel.why_not()}")

OPERATORS = {"and": logic.and_, "or": logic.or_, "implies": logic.implies}


def _every_pair() -> tuple:
    """Two conditions over every combination of (outcome, ok / missing / error) on each side."""
    states = [(out, stop) for out in (0, 1, 2) for stop in ("ok", "miss", "err")]
    pairs = list(itertools.product(states, states))
    def side(k):
        out = np.array([p[k][0] for p in pairs], dtype=np.int8)
        miss = np.array([p[k][1] == "miss" for p in pairs])
        err = np.array([p[k][1] == "err" for p in pairs])
        return Cond(out, miss, err)
    return side(0), side(1)


def _random(rnd, n, masks) -> Cond:
    out = rnd.integers(0, 3, n).astype(np.int8)
    miss = rnd.random(n) < 0.2 if "miss" in masks else None
    err = (rnd.random(n) < 0.1) & ~(miss if miss is not None else False) if "err" in masks else None
    return Cond(out, miss, err)


def _run(op, a: Cond, b: Cond, on: bool) -> Cond:
    with kernel.use(on):
        return OPERATORS[op](lambda run, dom: a, lambda run, dom: b)(None, Domain(len(a.out)))


def _same(x: Cond, y: Cond) -> None:
    assert x.out.dtype == y.out.dtype == np.int8
    assert np.array_equal(x.out, y.out)
    for mx, my in ((x.miss, y.miss), (x.err, y.err)):
        assert (mx is None) == (my is None)
        if mx is not None:
            assert np.array_equal(mx, my)


@needs_c
@pytest.mark.parametrize("op", sorted(OPERATORS))
def test_every_combination_of_outcomes_and_stops_is_the_numpy_code_s(op):
    a, b = _every_pair()
    fused, plain = _run(op, a, b, True), _run(op, a, b, False)
    _same(fused, plain)
    assert fused.miss is not None and fused.err is not None   # (some rows stop each way)


@needs_c
@pytest.mark.parametrize("op", sorted(OPERATORS))
@pytest.mark.parametrize("n", [0, 1, 97])
@pytest.mark.parametrize("masks", [(), ("miss",), ("err",), ("miss", "err")])
def test_random_conditions_are_the_numpy_code_s(op, n, masks):
    rnd = np.random.default_rng(n * 7 + len(masks))
    for left_masks in (masks, ("miss", "err")):
        a, b = _random(rnd, n, left_masks), _random(rnd, n, masks)
        _same(_run(op, a, b, True), _run(op, a, b, False))


def test_a_known_row_of_each():
    """A missing left side: forgiven by a failing right side (and), a holding one (or, implies)."""
    a = Cond(np.array([0, 2, 0], dtype=np.int8), np.array([True, False, False]), None)
    b = Cond(np.array([2, 0, 0], dtype=np.int8), None, np.array([False, False, True]))
    for on in (True, False):
        both = _run("and", a, b, on)
        assert both.out.tolist() == [2, 2, 0] and both.miss is None and both.err.tolist() == [False, False, True]
        either = _run("or", a, b, on)
        assert either.out.tolist() == [2, 0, 0] and either.miss.tolist() == [True, False, False]
        assert either.err is None   # (an exact left side decides: the right one is not read)
        then = _run("implies", a, b, on)
        assert then.out.tolist() == [2, 0, 0] and then.miss.tolist() == [True, False, False]
        assert then.err.tolist() == [False, False, True]


@needs_c
def test_a_broadcast_outcome_is_left_to_the_numpy_code():
    a = Cond(np.broadcast_to(np.int8(1), (4,)), np.array([True, False, False, False]))
    b = Cond(np.zeros(4, dtype=np.int8), None, np.array([False, True, False, False]))
    assert logic._fused(logic.AND, a, b, 4) is None
    _same(_run("and", a, b, True), _run("and", a, b, False))


@needs_c
def test_the_logic_kernel_refuses_what_it_cannot_read():
    out, ok = np.zeros(3, dtype=np.int8), np.zeros(3, dtype=bool)
    short = np.zeros(2, dtype=np.int8)
    with pytest.raises(ValueError, match="out of range"):
        C.logic(3, out, None, None, out, None, None, out.copy(), ok.copy(), ok.copy())
    with pytest.raises(ValueError, match="lengths"):
        C.logic(0, short, None, None, out, None, None, out.copy(), ok.copy(), ok.copy())
    with pytest.raises(ValueError, match="lengths"):
        C.logic(0, out, np.zeros(4, dtype=bool), None, out, None, None, out.copy(), ok.copy(), ok.copy())
    with pytest.raises(TypeError):
        C.logic(0, out, None, None, None, None, None, out.copy(), ok.copy(), ok.copy())
    with pytest.raises(TypeError):
        C.logic(0, out, None, None, out, None, None, out.copy(), None, ok.copy())
    with pytest.raises(ValueError, match="bool"):
        C.logic(0, out, None, None, out, None, None, out.copy(), ok.copy(), np.zeros(3, dtype=np.int64))
    with pytest.raises(ValueError, match="int8"):
        C.logic(0, ok, None, None, out, None, None, out.copy(), ok.copy(), ok.copy())
    with pytest.raises(ValueError, match="shares memory"):   # an output that is an input
        C.logic(0, out, None, None, out, None, None, out, ok.copy(), ok.copy())
    with pytest.raises(ValueError, match="shares memory"):
        C.logic(0, out, ok, None, out, None, None, out.copy(), ok, ok.copy())
    read_only = np.zeros(3, dtype=bool)
    read_only.setflags(write=False)
    with pytest.raises((BufferError, ValueError)):
        C.logic(0, out, None, None, out, None, None, out.copy(), ok.copy(), read_only)

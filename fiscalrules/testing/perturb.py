"""Perturbations: a record with exactly one printed figure changed (:func:`perturb`, the
hypothesis strategies :func:`perturbations`, :func:`changed_by`, :func:`sign_flipped`,
:func:`digits_swapped`, :func:`term_dropped`), and whether a rule must now fail
(:attr:`Perturbation.must_fail`).
"""

from __future__ import annotations

import copy
import random
import re
from decimal import Decimal
from fractions import Fraction

import attrs

from ..symbolic.forms import _ZERO, _to_decimal
from .model import RecordModel, analyze
from .paths import _read_raw, _write_raw
from .plan import _as_ruleset


PERTURBATION_KINDS = ("amount", "sign", "digits", "drop")


@attrs.frozen
class Perturbation:
    """A record derived from another with exactly one printed figure changed."""

    kind: str                 # amount | sign | digits | drop
    path: str                 # the figure changed (as findings name it in their operands)
    meta: str                 # which number of it: value, change or pct
    old: str
    new: str
    record: dict = attrs.field(repr=False, eq=False)
    description: str = ""
    expected: tuple = attrs.field(default=(), repr=False, eq=False)  # (Equality, diff, allowance)

    @property
    def must_fail(self) -> bool:
        """True when some equality containing the figure now misses by more than its allowance:
        the evaluator must then report a failure naming ``path``."""
        return bool(self.expected)


def _plain_number(raw) -> str | None:
    if raw is None or isinstance(raw, bool):
        return None
    text = format(raw, "f") if isinstance(raw, Decimal) else str(raw)
    text = text.strip().translate(str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")).replace(",", "")
    text = text.replace("\u2212", "-").replace(" ", "")
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
        return None
    return text.lstrip("+")


def _shift(text: str, delta: Fraction) -> str:
    value = Decimal(text)
    places = max(-value.as_tuple().exponent, 0)
    new = _to_decimal(Fraction(value) + delta)
    quantum = Decimal(1).scaleb(-places)
    if new != new.quantize(quantum):
        new_text = format(new.normalize(), "f")
    else:
        new_text = format(new.quantize(quantum), "f")
    return new_text[1:] if new_text.startswith("-") and Decimal(new_text) == 0 else new_text


def perturb(ruleset, record, kind: str, rnd: random.Random, *, target=None, amount=None,
            model: RecordModel | None = None) -> Perturbation | None:
    """Derive *record* with one figure changed (see :func:`perturbations`); None when no figure
    taking part in an equality admits this kind of change.  *target* is ``(path, meta)``."""
    if kind not in PERTURBATION_KINDS:
        raise ValueError(f"unknown perturbation kind {kind!r} (kinds: {', '.join(PERTURBATION_KINDS)})")
    model = model or analyze(ruleset, record)
    candidates = [target] if target is not None else model.participants()
    candidates = [k for k in candidates if _plain_number(_read_raw(record, k[0], k[1])) is not None]
    if kind == "drop":
        options = []
        for key in candidates:
            for eq in model.equalities_of(key):
                for total_side, terms_side in ((eq.left, eq.right), (eq.right, eq.left)):
                    if total_side.vars() == [key] and len(terms_side.vars()) >= 1:
                        for term in terms_side.vars():
                            raw = _plain_number(_read_raw(record, term[0], term[1]))
                            if raw is not None and Decimal(raw) != 0 and term != key:
                                options.append((key, term, total_side.coef[key], terms_side.coef[term]))
        if not options:
            return None
        options.sort(key=lambda o: (o[0], o[1]))
        key, term, c_total, c_term = rnd.choice(options)
        old = _plain_number(_read_raw(record, *key))
        term_value = Fraction(Decimal(_plain_number(_read_raw(record, *term))))
        delta = -(c_term * term_value) / c_total
        new = _shift(old, delta)
        description = f"dropped {term[0]}{_meta_suffix(term[1])} ({format(Decimal(_plain_number(_read_raw(record, *term))), 'f')}) from the total {key[0]}{_meta_suffix(key[1])}"
        return _finish(ruleset, record, model, "drop", key, old, new, description)
    rnd_candidates = sorted(candidates)
    rnd.shuffle(rnd_candidates)
    for key in rnd_candidates:
        old = _plain_number(_read_raw(record, *key))
        if kind == "sign":
            if Decimal(old) == 0:
                continue
            new = old[1:] if old.startswith("-") else "-" + old
            return _finish(ruleset, record, model, kind, key, old, new, f"flipped the sign of {key[0]}{_meta_suffix(key[1])}")
        if kind == "digits":
            positions = [i for i in range(len(old) - 1)
                         if old[i].isdigit() and old[i + 1].isdigit() and old[i] != old[i + 1]
                         and not (i == _first_digit(old) and old[i + 1] == "0" and _int_len(old) > 1)]
            if not positions:
                continue
            i = rnd.choice(positions)
            new = old[:i] + old[i + 1] + old[i] + old[i + 2:]
            return _finish(ruleset, record, model, kind, key, old, new,
                           f"swapped digits {old[i]}{old[i + 1]} of {key[0]}{_meta_suffix(key[1])}")
        if kind == "amount":
            if amount is not None:
                delta = Fraction(Decimal(str(amount)))
            else:
                delta = _beyond_threshold(model, key, old, rnd)
                if delta is None:
                    continue
            new = _shift(old, delta)
            pert = _finish(ruleset, record, model, kind, key, old, new,
                           f"changed {key[0]}{_meta_suffix(key[1])} by {format(_to_decimal(delta).normalize(), 'f')}")
            if amount is None:
                for _ in range(30):  # relative tolerances grow with the figure: go further if needed
                    if pert.must_fail:
                        break
                    delta *= 2
                    new = _shift(old, delta)
                    pert = _finish(ruleset, record, model, kind, key, old, new,
                                   f"changed {key[0]}{_meta_suffix(key[1])} by {format(_to_decimal(delta).normalize(), 'f')}")
            return pert
    return None


def _first_digit(text: str) -> int:
    return 1 if text.startswith("-") else 0


def _int_len(text: str) -> int:
    return len(text.lstrip("-").split(".")[0])


def _meta_suffix(meta: str) -> str:
    return "" if meta == "value" else f" ({'stated change' if meta == 'change' else 'stated percentage'})"


def _beyond_threshold(model: RecordModel, key, old: str, rnd) -> Fraction | None:
    threshold = model.threshold(key)
    if threshold is None:
        return None
    exponent = Decimal(old).as_tuple().exponent
    step = Fraction(Decimal(1).scaleb(min(exponent, 0)))
    base = max(threshold, _ZERO) + step
    magnitude = base * Fraction(10 ** rnd.randint(0, 3)) + step * rnd.randint(0, 99)
    # stay on the printed grid of the figure
    magnitude = (magnitude / step).__ceil__() * step
    return magnitude if rnd.random() < 0.5 else -magnitude


def _finish(ruleset, record, model, kind, key, old, new, description) -> Perturbation:
    data = copy.deepcopy(record)
    _write_raw(data, key[0], key[1], new)
    expected = tuple((eq, d, a) for eq, d, a in model.violated(data) if key in eq.variables)
    return Perturbation(kind, key[0], key[1], old, new, data, description, expected)


def perturbations(ruleset, record, kinds=PERTURBATION_KINDS, *, amount=None):
    """A hypothesis strategy of :class:`Perturbation` of *record*: one figure that takes part in
    a linear equality of *ruleset*, changed in one of *kinds*:

    * ``amount`` -- by *amount* (printed units of the figure), or by a random amount beyond the
      smallest change its equalities can notice (their rounding allowance plus tolerance);
    * ``sign`` -- its sign flipped;
    * ``digits`` -- two adjacent different digits swapped (``329.94`` → ``329.49``);
    * ``drop`` -- a total recomputed without one of its terms.

    Draws ``None`` when no figure of the record admits the kinds asked for.
    """
    from hypothesis import strategies as st

    rs = _as_ruleset(ruleset)
    model = analyze(rs, record)

    @st.composite
    def _perturbations(draw):
        kind = draw(st.sampled_from(list(kinds)))
        seed = draw(st.integers(min_value=0, max_value=2 ** 63 - 1))
        rnd = random.Random(seed)
        result = perturb(rs, record, kind, rnd, amount=amount, model=model)
        if result is None:
            for other in kinds:
                result = perturb(rs, record, other, rnd, amount=amount, model=model)
                if result is not None:
                    break
        return result

    return _perturbations()


def changed_by(ruleset, record, amount=None):
    """:func:`perturbations` of kind ``amount``."""
    return perturbations(ruleset, record, ("amount",), amount=amount)


def sign_flipped(ruleset, record):
    """:func:`perturbations` of kind ``sign``."""
    return perturbations(ruleset, record, ("sign",))


def digits_swapped(ruleset, record):
    """:func:`perturbations` of kind ``digits``."""
    return perturbations(ruleset, record, ("digits",))


def term_dropped(ruleset, record):
    """:func:`perturbations` of kind ``drop``."""
    return perturbations(ruleset, record, ("drop",))

"""One ``__repr__`` for the library's attrs classes: the repr attrs would generate, written once.

attrs writes and compiles a ``__repr__`` for every class that has none of its own -- some 40 % of
making a class, ~13 ms of every command-line start for the ~50 classes a run defines -- and
writes none for a class that defines one (``__repr__ = attrs_repr`` in the class body).  This
module imports nothing of the library's, so that any module can use it.
"""

from __future__ import annotations

from typing import Any, Callable

import attrs

__all__ = ["attrs_repr"]

_SHOWN_FIELDS: dict[type, tuple[tuple[str, Callable[[Any], str]], ...]] = {}


def attrs_repr(self: Any) -> str:
    """``Figure(path='a', value=Decimal('1'), …)``: the class name, then each field shown in
    reprs (its ``repr`` option, or repr itself), in order -- as attrs' generated repr.  (attrs'
    guard against a repr reaching its own object again is not needed: these are trees.)"""
    cls = type(self)
    shown = _SHOWN_FIELDS.get(cls)
    if shown is None:
        shown = _SHOWN_FIELDS[cls] = tuple((a.name, repr if a.repr is True else a.repr)
                                           for a in attrs.fields(cls) if a.repr is not False)
    name = cls.__qualname__.rsplit(">.", 1)[-1]
    return f"{name}({', '.join(f'{field}={show(getattr(self, field))}' for field, show in shown)})"

"""Small immutable value classes written out, not made by attrs at every start.

attrs writes and compiles an ``__init__``, ``__eq__`` and ``__hash__`` for each class it makes:
~1.7 M instructions per three-field class, ~2.4 M per six fields (callgrind), paid by every
process that imports the class -- the command line's start defines some twenty such classes
besides the AST's.  The AST's nodes are written out too, but on :mod:`fiscalrules.nodebase`'s
bases, which keep them frozen attrs classes to attrs (``attrs.has``, ``fields``, ``evolve``,
subclasses: the brief asks for frozen attrs nodes); the value classes that only carry results (localisation's changes and explanations, locations,
tolerances, …) derive from :class:`Frozen` instead and write their ``__init__`` out, which then
loads with the module's bytecode.  What they keep of a frozen attrs class, so that nothing using
them changes (tests/test_frozen.py holds each to it):

* ``==`` between instances of the same class comparing the fields in order (NotImplemented for
  any other class), a hash of the same fields, no ordering;
* assigning or deleting an attribute raises ``attrs.exceptions.FrozenInstanceError`` (an
  AttributeError);
* the repr attrs would write: ``Change(path='a', meta='value', …)``, fields in order;
* pickling and copying (``__reduce__``: the class called with the fields in order).

A frozen class derives from :class:`Frozen`, declares ``__slots__ = _fields = (names in order)``
and an ``__init__`` setting each through ``object.__setattr__`` (bound here as :data:`setfield`);
a mutable one (attrs' ``define``: compares, no hash) from :class:`Slotted`, setting them plainly.  This module imports nothing of
the library's.
"""

from __future__ import annotations

__all__ = ["Frozen", "Slotted", "setfield", "NEW_LIST", "NEW_DICT"]

setfield = object.__setattr__


class _NewList(list[object]):
    """The default of an argument that is a fresh empty list when not given (attrs'
    ``factory=list``); shown as ``[]``, never stored."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "[]"


NEW_LIST = _NewList()


class _NewDict(dict[object, object]):
    """The same for a fresh empty dict (attrs' ``factory=dict``); shown as ``{}``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "{}"


NEW_DICT = _NewDict()


def _frozen_error() -> Exception:
    # attrs' own exception, imported when raised: importing attrs costs every start ~70 M
    # instructions, and a command line raises none
    from attr.exceptions import FrozenInstanceError
    return FrozenInstanceError()


class Slotted:
    """What a written-out value class shares, frozen or not: equality, repr and pickling over
    ``_fields`` (see the module's docstring); unhashable, as attrs makes a mutable class that
    compares; weakly referable, as attrs' slotted classes are.  Not meant to be subclassed
    beyond the one class that declares the fields."""

    __slots__ = ("__weakref__",)
    _fields: tuple[str, ...] = ()

    def _field_values(self) -> tuple[object, ...]:
        return tuple([getattr(self, name) for name in self._fields])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._field_values() == other._field_values()

    __hash__ = None   # type: ignore[assignment]

    def __repr__(self) -> str:
        cls = type(self)
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{cls.__qualname__.rsplit('>.', 1)[-1]}({shown})"

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return self.__class__, self._field_values()


class Frozen(Slotted):
    """Base of a written-out frozen value class (see the module's docstring): hashable, and no
    attribute can be set or deleted."""

    __slots__ = ()

    def __hash__(self) -> int:  # type: ignore[override]  # Slotted has none: unhashable
        return hash((self.__class__.__qualname__, *self._field_values()))

    def __setattr__(self, name: str, value: object) -> None:
        raise _frozen_error()

    def __delattr__(self, name: str) -> None:
        raise _frozen_error()

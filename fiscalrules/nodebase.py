"""What every AST node class shares (:mod:`fiscalrules.ast`): frozen classes written out, which
attrs takes for its own.

The node classes were made by ``attrs.frozen`` at every import, and the command line imports
them at every start: attrs' own import (with ``inspect``, the standard ``ast``, ``dis`` and
``tokenize``: ~70 M instructions) and its making of the 36 classes (~42 M: an ``Attribute``
per field, an ``__init__`` written and compiled, the slotted class made twice) were a sixth of a
warm audit, which uses none of what attrs adds.  So the classes are written out in
:mod:`fiscalrules.ast` -- their slots and an ``__init__`` storing each field -- and load with the
module's bytecode; :class:`ComparedByFields` gives them the rest of what ``attrs.frozen(eq=False)``
gave them, the same (tests/test_frozen.py holds every node class to a twin made by attrs):

* ``==`` and ``hash`` over the compared fields in order, only with a node of the same class
  (written once here since session 8: attrs made them ``eq=False``);
* frozen: setting or deleting an attribute raises ``attrs.exceptions.FrozenInstanceError``;
* attrs' repr (``Number(value=Decimal('1'), unit=None)``: every shown field, in order);
* pickling and copying as attrs' slotted classes (``__getstate__``: a dict of every field);
  weakly referable; ``__match_args__`` (the positional fields);
* attrs' metadata, ``__attrs_attrs__`` and ``__attrs_props__``, made by attrs itself on first
  read (:class:`_AttrsMetadata`): attrs makes a twin class from the node class's ``__init__``
  signature, its slots and the fields it leaves out of comparisons (``_uncompared``), of the repr
  (``_unshown``) and of the hash (``_unhashed``), so ``attrs.has``, ``attrs.fields``,
  ``attrs.evolve`` and ``attrs.asdict`` work on nodes as before.  Nothing on the command line's
  audit path reads them (this module, :mod:`fiscalrules.ast`, the cache and the symbolic plan
  read a class's fields from its slots): attrs is imported only when something asks.

A node class derives from :class:`ComparedByFields` (or :class:`fiscalrules.ast._Node`), declares
``__slots__`` (its fields, in order, the span data last) and an ``__init__`` setting each field
through :data:`setfield`, whose parameters are the fields' names without a leading underscore
(attrs' aliases).  This module imports nothing of the library's.
"""

from __future__ import annotations

from itertools import repeat
from operator import attrgetter, call
from typing import Any, Callable

__all__ = ["ComparedByFields", "setfield", "maker", "node_fields"]

setfield = object.__setattr__


def _frozen_error() -> Exception:
    from attr.exceptions import FrozenInstanceError   # attrs' own: imported when it is raised
    return FrozenInstanceError()


class _AttrsMetadata:
    """``__attrs_attrs__`` / ``__attrs_props__`` of a node class, made by attrs on first read (see
    the module's docstring) and then stored on the class itself; None for a base class."""

    __slots__ = ("name",)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: object, cls: type | None = None) -> Any:
        cls = type(obj) if cls is None else cls
        if "__init__" not in cls.__dict__:   # ComparedByFields, ast._Node: not node classes
            return None
        twin = _attrs_twin(cls)
        setattr(cls, "__attrs_attrs__", twin.__attrs_attrs__)
        setattr(cls, "__attrs_props__", getattr(twin, "__attrs_props__", None))
        return cls.__dict__[self.name]


def _attrs_twin(cls: Any) -> Any:
    """The class attrs makes of *cls*'s definition (what ``attrs.frozen(eq=False)`` made of it
    before it was written out)."""
    import inspect

    import attrs

    parameters = inspect.signature(cls.__init__).parameters
    namespace = {name: cls.__dict__[name] for name in ("__eq__", "__hash__") if name in cls.__dict__}
    namespace["__repr__"] = cls.__repr__   # each class had it in its body: attrs writes none
    for name in cls.__slots__:
        parameter = parameters[name.lstrip("_")]
        namespace[name] = attrs.field(
            default=attrs.NOTHING if parameter.default is parameter.empty else parameter.default,
            kw_only=parameter.kind is parameter.KEYWORD_ONLY, alias=parameter.name, type=parameter.annotation,
            eq=name not in cls._uncompared, repr=name not in cls._unshown,
            hash=False if name in cls._unhashed else None)
    twin = type(cls.__name__, (), namespace)
    twin.__qualname__, twin.__module__ = cls.__qualname__, cls.__module__
    return attrs.frozen(eq=False)(twin)


class ComparedByFields:
    """Base of a written-out node class (see the module's docstring).

    ``==`` and ``hash`` are those attrs would generate for a frozen class -- over the fields
    compared, in order, and only with an object of the same class -- written once: attrs writes
    and compiles an ``__eq__`` and a ``__hash__`` for every class that compares."""

    __slots__ = ("__weakref__",)   # as attrs' slotted classes: weakly referable
    _uncompared: tuple[str, ...] = ()   # fields left out of ==, hash (attrs' eq=False)
    _unshown: tuple[str, ...] = ()      # fields left out of the repr (repr=False)
    _unhashed: tuple[str, ...] = ()     # fields attrs was told hash=False (its metadata only)

    __attrs_attrs__ = _AttrsMetadata()
    __attrs_props__ = _AttrsMetadata()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # attrs' __match_args__: the fields given by position, all but the keyword-only span data
        fields = cls.__dict__.get("__slots__", ())
        setattr(cls, "__match_args__", tuple(name for name in fields if name != "_span"))

    def __eq__(self, other: object) -> bool:
        cls = self.__class__
        if other.__class__ is not cls:
            return NotImplemented
        compared = _COMPARED.get(cls) or _compared_fields(cls)
        return compared(self) == compared(other)

    def __hash__(self) -> int:
        cls = self.__class__
        return hash((cls, (_COMPARED.get(cls) or _compared_fields(cls))(self)))

    def __repr__(self) -> str:
        cls = type(self)
        shown = _SHOWN.get(cls) or _shown_fields(cls)
        name = cls.__qualname__.rsplit(">.", 1)[-1]
        return f"{name}({', '.join(f'{field}={getattr(self, field)!r}' for field in shown)})"

    def __setattr__(self, name: str, value: object) -> None:
        raise _frozen_error()

    def __delattr__(self, name: str) -> None:
        raise _frozen_error()

    def __getstate__(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.__slots__}

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, tuple):   # as attrs: the tuple state of attrs before 22.2
            for name, value in zip(self.__slots__, state):
                setfield(self, name, value)
        else:
            for name in self.__slots__:
                if name in state:
                    setfield(self, name, state[name])


_COMPARED: dict[type, Callable[[Any], tuple[object, ...]]] = {}   # class -> the tuple of its compared fields' values, worked out on first use
_SHOWN: dict[type, tuple[str, ...]] = {}      # class -> the names of the fields its repr shows


def _compared_fields(cls: Any) -> Callable[[Any], tuple[object, ...]]:
    names = tuple(name for name in cls.__slots__ if name not in cls._uncompared)
    # Always a tuple, as attrs compares: a tuple's items are equal when identical (a NaN).
    compared = attrgetter(*names) if len(names) > 1 else lambda node, get=attrgetter(*names): (get(node),)
    _COMPARED[cls] = compared
    return compared


def _shown_fields(cls: Any) -> tuple[str, ...]:
    shown = _SHOWN[cls] = tuple(name for name in cls.__slots__ if name not in cls._unshown)
    return shown


def node_fields(cls: object) -> tuple[str, ...] | None:
    """The fields of a written-out node class, in order (its slots); None for any other class."""
    return cls.__dict__.get("__slots__") if isinstance(cls, type) and issubclass(cls, ComparedByFields) \
        and "__init__" in cls.__dict__ else None


def maker(cls: Any) -> Callable[..., Any]:
    """The function making a node of *cls* from every field by position, without its
    ``__init__`` (see :class:`fiscalrules.ast._Makers`): the bare object and each slot stored by
    its descriptor.  *cls* is a node class, or an attrs class whose ``__init__`` only stores
    (no validator, converter, factory default or post-init)."""
    names: Any = node_fields(cls)
    if names is None:
        import attrs
        fields = attrs.fields(cls)
        if any(a.validator or a.converter or not a.init or isinstance(a.default, attrs.Factory)  # type: ignore[arg-type]
               for a in fields) or hasattr(cls, "__attrs_post_init__"):
            raise TypeError(f"{cls.__name__} needs its own __init__")
        names = [a.name for a in fields]
    new = object.__new__
    setters = [cls.__dict__[name].__set__ for name in names]   # the slots' member descriptors
    # Written out for the usual field counts: a loop over the setters costs as much as it saves.
    if len(setters) == 2:
        set0, set1 = setters

        def make(a: Any, b: Any) -> Any:
            node = new(cls)
            set0(node, a)
            set1(node, b)
            return node
    elif len(setters) == 3:
        set0, set1, set2 = setters

        def make(a: Any, b: Any, c: Any) -> Any:  # type: ignore[misc]
            node = new(cls)
            set0(node, a)
            set1(node, b)
            set2(node, c)
            return node
    elif len(setters) == 4:
        set0, set1, set2, set3 = setters

        def make(a: Any, b: Any, c: Any, d: Any) -> Any:  # type: ignore[misc]
            node = new(cls)
            set0(node, a)
            set1(node, b)
            set2(node, c)
            set3(node, d)
            return node
    else:
        count = len(setters)

        def make(*values: Any) -> Any:  # type: ignore[misc]
            if len(values) != count:
                raise TypeError(f"{cls.__name__} has {count} fields, got {len(values)}")
            node = new(cls)
            # each setter(node, value), the loop run in C (every call returns None: any() sees all)
            any(map(call, setters, repeat(node), values))
            return node
    make.__name__ = make.__qualname__ = f"make.{cls.__name__}"
    make.__module__ = cls.__module__   # pickled by reference as <the class's module>.make.<Class>
    return make

"""Classes written out rather than made by attrs at every start -- one mechanism for two kinds.

attrs writes and compiles an ``__init__``, ``__eq__`` and ``__hash__`` for each class it makes
(~1.7 M instructions for a three-field class, ~2.4 M for six: callgrind) and its own import (with
``inspect``, the standard ``ast``, ``dis`` and ``tokenize``) costs ~70 M: a sixth of a warm audit,
which uses none of what attrs adds.  So the classes the command line imports are written out --
their slots and an ``__init__`` storing each field -- and load with their module's bytecode; the
bases here give them the rest of what attrs gave them, the same (tests/test_frozen.py holds every
class to what attrs makes of its definition).  Two kinds derive from them:

* classes attrs still takes for its own: the AST's nodes (:mod:`fiscalrules.ast`), the record
  model's classes (:mod:`fiscalrules.recordmodel`), ``Operand`` and ``Report``
  (:mod:`fiscalrules.findings`) and ``CheckedRuleset`` (:mod:`fiscalrules.checked`) --
  :class:`ComparedByFields` (``attrs.frozen``) and :class:`Mutable` (``attrs.define``): ``attrs.has``,
  ``fields``, ``evolve``, ``asdict`` work on them and on their subclasses, which may declare
  slots or an ``__init__`` of their own;
* the value classes that only carry results (locations, diagnostics, tolerances, localisation's
  changes and explanations, a finding's sides, a report's record info, …) -- :class:`Frozen` and
  :class:`Slotted`: the same equality, hash, repr and immutability, but no attrs class to attrs
  (docs/api.md: ``attrs.evolve`` and ``attrs.fields`` refuse them), never subclassed, and pickled
  as a call of the class with every field by position, which is a fifth smaller and a quarter
  quicker to write and read than attrs' state dict (20,000 ``Side``s: 1.16 against 1.42 MB,
  99 against 124 ms written, 53 against 70 ms read) -- a report's findings cross processes.

What every one of them has:

* ``==`` over the compared fields in order, only with an object of the same class; a frozen
  class (:class:`ComparedByFields`, :class:`Frozen`) hashes the same fields and refuses to set or
  delete an attribute with ``attrs.exceptions.FrozenInstanceError``; a mutable one
  (:class:`Mutable`, :class:`Slotted`: attrs' ``define``) has no hash;
* attrs' repr (``Number(value=Decimal('1'), unit=None)``: every shown field, in order);
* pickling and copying (attrs' slotted classes': ``__getstate__``, a dict of every field; a value
  class: ``__reduce__``, its constructor's call); weakly referable; ``__match_args__`` (the fields
  ``__init__`` takes by position);
* for the first kind, attrs' metadata, ``__attrs_attrs__`` and ``__attrs_props__``, made by
  attrs itself on first read, once, under a lock (:class:`_AttrsMetadata`): attrs makes a twin
  class from the class's ``__init__`` signature, its fields and those it leaves out of
  comparisons (``_uncompared``), of the repr (``_unshown``) and of the hash (``_unhashed``), with
  the options it was made with (``_attrs_made``; None: a value class, no metadata).  Nothing on
  the command line's audit path reads them (the AST, the cache and the symbolic plan read a
  class's fields from its ``_fields``, localisation copies figures with :func:`evolve`): attrs is
  imported only when something asks.

A class declares its fields, in order, as ``__slots__ = _fields = (...)`` -- ``_fields`` in its
body is what makes it the class declaring them: a subclass inherits them (its own ``__slots__``,
if any, are not fields, nor is its own ``__init__`` read; attrs made no fields of them either),
and a subclass attrs makes (``attrs.frozen`` on it) has attrs' fields, its base's included --
and an ``__init__`` setting each field (a frozen one through :data:`setfield`), whose parameters
are the fields' names without a leading underscore (attrs' aliases) unless ``_aliases`` says
otherwise, annotated with the fields' types (the class's annotations are made from them, as
attrs' classes had them in their bodies: ``typing.get_type_hints``, ``attrs.resolve_types``); a
field ``__init__`` does not take is in ``_not_init`` with the value it sets; a default of
:data:`NEW_LIST` / :data:`NEW_DICT` stands for a fresh list or dict (attrs' ``factory``).  This
module imports nothing of the library's (but :mod:`fiscalrules.cparse` where a maker is made).
"""

from __future__ import annotations

from _thread import allocate_lock
from itertools import repeat
from operator import attrgetter, call

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Any, Callable

__all__ = ["Written", "ComparedByFields", "Mutable", "Frozen", "Slotted", "setfield", "maker", "init_as", "evolve",
           "fields_dict", "written_fields", "NEW_LIST", "NEW_DICT"]

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

_MAKING = allocate_lock()   # held while attrs' metadata of a class is made (_AttrsMetadata)


class _AttrsMetadata:
    """``__attrs_attrs__`` / ``__attrs_props__`` of a written-out class, made by attrs on first
    read (see the module's docstring) and then stored on the class declaring the fields, which its
    subclasses inherit; none for a base class."""

    __slots__ = ("name",)

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: object, cls: type | None = None) -> Any:
        cls = type(obj) if cls is None else cls
        # The class that declares the fields (``_fields`` in its body) has the metadata; a plain
        # subclass inherits it, as it inherits an attrs class's.  Written, ComparedByFields and
        # ast._Node declare none: attrs (``has``, a subclass's fields) must find nothing there.
        # A value class (Frozen, Slotted: _attrs_made None) is none of attrs' either.
        owner: Any = next((c for c in cls.__mro__ if "_fields" in c.__dict__), None)
        if owner is None or owner._attrs_made is None:
            raise AttributeError(self.name)
        with _MAKING:   # made once: every thread gets the same tuple, as attrs' one per class
            if "__attrs_attrs__" not in owner.__dict__:   # (props set first: then both are there)
                twin = _attrs_twin(owner)
                setattr(owner, "__attrs_props__", getattr(twin, "__attrs_props__", None))
                setattr(owner, "__attrs_attrs__", twin.__attrs_attrs__)
        return owner.__dict__[self.name]


def _alias(cls: Any, name: str) -> str:
    """The ``__init__`` parameter of field *name* (attrs' alias: the name without its leading
    underscores, unless the class says otherwise in ``_aliases``)."""
    return cls._aliases.get(name) or name.lstrip("_")


def _attrs_twin(cls: Any) -> Any:
    """The class attrs makes of *cls*'s definition: what ``attrs.frozen`` or ``attrs.define``
    (``_attrs_made``) made of it before it was written out."""
    import inspect

    import attrs

    parameters = inspect.signature(cls.__init__).parameters
    namespace = {name: cls.__dict__[name] for name in ("__eq__", "__hash__") if name in cls.__dict__}
    namespace["__repr__"] = cls.__repr__   # each class had one in its body: attrs writes none
    for name in cls._fields:
        parameter = parameters.get(_alias(cls, name))
        options: dict[str, Any] = {"eq": name not in cls._uncompared, "repr": name not in cls._unshown,
                                   "hash": False if name in cls._unhashed else None}
        if parameter is None:   # set by __init__ to a default, not given (attrs' init=False)
            namespace[name] = attrs.field(default=cls._not_init[name], init=False,
                                          type=cls.__dict__.get("__annotations__", {}).get(name), **options)
            continue
        default = parameter.default
        if default is parameter.empty:
            default = attrs.NOTHING
        elif default is NEW_LIST or default is NEW_DICT:
            default = attrs.Factory(list if default is NEW_LIST else dict)
        namespace[name] = attrs.field(default=default, kw_only=parameter.kind is parameter.KEYWORD_ONLY,
                                      alias=parameter.name, type=parameter.annotation, **options)
    twin = type(cls.__name__, (), namespace)
    twin.__qualname__, twin.__module__ = cls.__qualname__, cls.__module__
    made, options = cls._attrs_made
    return (attrs.frozen if made == "frozen" else attrs.define)(**options)(twin)


class Written:
    """What a written-out class shares, frozen (:class:`ComparedByFields`) or not
    (:class:`Mutable`): equality, repr, pickling, ``__match_args__`` and attrs' metadata (see the
    module's docstring).  A subclass of the class declaring the fields has its fields (see the
    module's docstring)."""

    __slots__ = ("__weakref__",)   # as attrs' slotted classes: weakly referable
    if TYPE_CHECKING:   # (for mypy only: a class's annotations are its fields', which get_type_hints reads)
        _fields: tuple[str, ...]   # the fields, in order: set in the body of the class declaring them
        _uncompared: tuple[str, ...]
        _unshown: tuple[str, ...]
        _unhashed: tuple[str, ...]
        _aliases: dict[str, str]
        _not_init: dict[str, object]
        _attrs_made: tuple[str, dict[str, Any]] | None
    _uncompared = ()   # fields left out of ==, hash (attrs' eq=False)
    _unshown = ()      # fields left out of the repr (repr=False)
    _unhashed = ()     # fields attrs was told hash=False (its metadata only)
    _aliases = {}       # field -> its __init__ parameter, where not the name without "_"
    _not_init = {}   # field -> the default __init__ sets it to (attrs' init=False)
    _attrs_made = ("frozen", {"eq": False})   # what attrs made it with (None: not an attrs class)

    __attrs_attrs__ = _AttrsMetadata()
    __attrs_props__ = _AttrsMetadata()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("__attrs_attrs__")
        if isinstance(own, tuple):   # a subclass made by attrs: its fields are attrs' (inherited ones too)
            cls._fields = tuple(a.name for a in own)
        elif "_fields" in cls.__dict__:   # the class declaring the fields (a subclass inherits them)
            init = cls.__dict__["__init__"]
            code = init.__code__
            positional = set(code.co_varnames[1:code.co_argcount])
            # attrs' __match_args__: the fields __init__ takes by position, in order
            setattr(cls, "__match_args__", tuple(name for name in cls._fields if _alias(cls, name) in positional))
            # the fields' annotations, as attrs' classes had them in their bodies (texts, as
            # __init__'s under ``from __future__ import annotations``; typing.get_type_hints and
            # attrs.resolve_types read them)
            hints = init.__annotations__
            annotations = {name: hints[_alias(cls, name)] for name in cls._fields if _alias(cls, name) in hints}
            annotations.update(cls.__dict__.get("__annotations__", {}))
            cls.__annotations__ = annotations

    def __eq__(self, other: object) -> bool:
        cls = self.__class__
        if other.__class__ is not cls:
            return NotImplemented
        compared = _COMPARED.get(cls) or _compared_fields(cls)
        return compared(self) == compared(other)

    # (no __hash__: defining __eq__ without one leaves the class unhashable, as attrs' define;
    # ComparedByFields has one)

    def __repr__(self) -> str:
        cls = type(self)
        shown = _SHOWN.get(cls) or _shown_fields(cls)
        name = cls.__qualname__.rsplit(">.", 1)[-1]
        return f"{name}({', '.join(f'{field}={getattr(self, field)!r}' for field in shown)})"

    def __getstate__(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self._fields}

    def __setstate__(self, state: Any) -> None:
        if isinstance(state, tuple):   # as attrs: the tuple state of attrs before 22.2
            for name, value in zip(self._fields, state):
                setfield(self, name, value)
        else:
            for name in self._fields:
                if name in state:
                    setfield(self, name, state[name])


class ComparedByFields(Written):
    """Base of a written-out frozen class (``attrs.frozen``; every AST node): hashable, and no
    attribute can be set or deleted.

    ``==`` and ``hash`` are those attrs would generate for a frozen class -- over the fields
    compared, in order, and only with an object of the same class -- written once: attrs writes
    and compiles an ``__eq__`` and a ``__hash__`` for every class that compares."""

    __slots__ = ()

    def __hash__(self) -> int:
        cls = self.__class__
        return hash((cls, (_COMPARED.get(cls) or _compared_fields(cls))(self)))

    def __setattr__(self, name: str, value: object) -> None:
        raise _frozen_error()

    def __delattr__(self, name: str) -> None:
        raise _frozen_error()


class Mutable(Written):
    """Base of a written-out class attrs' ``define`` made: its fields can be set, it compares
    (unless it says otherwise) and has no hash."""

    __slots__ = ()


class _Value(Written):
    """What the value classes add (see the module's docstring): no attrs metadata, and pickled
    as their constructor's call -- each is the one class declaring its fields, never subclassed,
    and its ``__init__`` takes every field by position."""

    __slots__ = ()
    _attrs_made = None

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        return self.__class__, tuple([getattr(self, name) for name in self._fields])


class Frozen(_Value, ComparedByFields):
    """Base of a frozen value class (see the module's docstring)."""

    __slots__ = ()


class Slotted(_Value, Mutable):
    """Base of a mutable value class: compares, no hash (see the module's docstring)."""

    __slots__ = ()


_COMPARED: dict[type, Callable[[Any], tuple[object, ...]]] = {}   # class -> the tuple of its compared fields' values, worked out on first use
_SHOWN: dict[type, tuple[str, ...]] = {}      # class -> the names of the fields its repr shows


def _compared_fields(cls: Any) -> Callable[[Any], tuple[object, ...]]:
    names = tuple(name for name in cls._fields if name not in cls._uncompared)
    # Always a tuple, as attrs compares: a tuple's items are equal when identical (a NaN).
    compared = attrgetter(*names) if len(names) > 1 else lambda node, get=attrgetter(*names): (get(node),)
    _COMPARED[cls] = compared
    return compared


def _shown_fields(cls: Any) -> tuple[str, ...]:
    shown = _SHOWN[cls] = tuple(name for name in cls._fields if name not in cls._unshown)
    return shown


def init_as(init: Any, name: str) -> Any:
    """Another class's ``__init__`` (one storing the same fields) as class *name*'s own: the same
    code, named ``name.__init__``, so that a wrong call or a traceback names the class called."""
    code = init.__code__.replace(co_qualname=f"{name}.__init__")
    made = type(init)(code, init.__globals__, "__init__", init.__defaults__, init.__closure__)
    made.__kwdefaults__, made.__annotations__ = init.__kwdefaults__, init.__annotations__
    made.__qualname__, made.__module__ = f"{name}.__init__", init.__module__
    return made


def evolve(instance: Any, **changes: Any) -> Any:
    """``attrs.evolve`` for an instance of a written-out class, without importing attrs: a new
    instance made by its ``__init__``, every field given (by its alias) from *instance* but those
    in *changes* (a field ``__init__`` does not take is set as it sets it)."""
    cls = type(instance)
    for name in cls._fields:
        alias = _alias(cls, name)
        if alias not in changes and name not in cls._not_init:
            changes[alias] = getattr(instance, name)
    return cls(**changes)


def fields_dict(instance: Any) -> dict[str, Any]:
    """``attrs.asdict(instance, recurse=False)`` for an instance of a written-out class, without
    importing attrs: every field by name, in order (for a figure's :class:`Source`, whose fields
    are texts, numbers and a tuple of numbers, what ``attrs.asdict`` gives too)."""
    return {name: getattr(instance, name) for name in type(instance)._fields}


def written_fields(cls: object) -> tuple[str, ...] | None:
    """The fields of a written-out class (or a subclass's: those of the class declaring them, or
    attrs' if attrs made the subclass), in order; None for any other class."""
    return getattr(cls, "_fields", None) if isinstance(cls, type) and issubclass(cls, Written) else None


def maker(cls: Any) -> Callable[..., Any]:
    """The function making a node of *cls* from every field by position, without its
    ``__init__`` (see :class:`fiscalrules.ast._Makers`): the bare object and each slot stored by
    its descriptor.  *cls* is a node class, or an attrs class whose ``__init__`` only stores
    (no validator, converter, factory default or post-init)."""
    names: Any = written_fields(cls)
    if names is None:
        import attrs
        fields = attrs.fields(cls)
        if any(a.validator or a.converter or not a.init or isinstance(a.default, attrs.Factory)  # type: ignore[arg-type]
               for a in fields) or hasattr(cls, "__attrs_post_init__"):
            raise TypeError(f"{cls.__name__} needs its own __init__")
        names = [a.name for a in fields]
    from .cparse import compiled  # the same in C where it is built (object.__new__, each slot stored)
    if compiled() is not None:
        # frozen: a node of atoms is untracked by the garbage collector, as a tuple of them is.
        # Only the rule language's own node classes, which live as long as the process: an
        # untracked instance keeps its class alive unseen, so a class made at run time that
        # held one of its own instances would never be freed (review 14 B2).
        frozen = issubclass(cls, ComparedByFields) and cls.__module__ == "fiscalrules.ast"
        return compiled().Maker(cls, tuple(getattr(cls, name) for name in names), f"make.{cls.__name__}",  # type: ignore[no-any-return,union-attr]
                                cls.__module__, frozen)
    new = object.__new__
    setters = [getattr(cls, name).__set__ for name in names]   # the slots' member descriptors (a base's for a subclass)
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

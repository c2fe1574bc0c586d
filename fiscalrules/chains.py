"""Left-associative chains of the AST walked without recursion.

``a + b + c + …`` parses into a left-deep tree -- ``Binary(+, Binary(+, a, b), c)`` -- as deep as
the chain is long: a generated rule summing 10,000 line items is 10,000 levels deep, flat as its
text is (review 17 B10).  The parser counts such a chain as flat (:func:`fiscalrules.lalr.chained`),
so every stage after it that walks expressions recursively walks a chain's *links* in a loop
instead -- recursing only into each link's right operand, as deep as the text really nests.  The
AST stays binary (what the printer prints and the parser reads back, node for node).

A chain is a node and its left operands of the same class: ``Binary`` (any operator: ``a * b +
c`` is a left spine of Binary too), ``And``, ``Or``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:   # (typing is not imported on the CLI audit's way: tests/test_cli_start.py)
    from collections.abc import Callable
    from typing import Any

__all__ = ["CHAINED", "links", "depth", "shown", "rebuild", "rebuild_of", "others_getter"]

def links(node: Any) -> list[Any]:
    """The links of the chain *node* ends: its deepest left operand's parent first, *node* last."""
    kind = type(node)
    out = [node]
    left = node.left
    while type(left) is kind:
        out.append(left)
        left = left.left
    out.reverse()
    return out


def others_getter(cls: Any) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the fields a link of class *cls* compares, but its left operand."""
    from operator import attrgetter
    names = tuple(name for name in cls._fields if name not in cls._uncompared and name != "left")
    get = attrgetter(*names)
    if len(names) == 1:
        return lambda node: (get(node),)
    return get


def shown(node: Any) -> str:
    """``repr`` of a chain, as the nodes' own repr writes each link, without recursion."""
    chain = links(node)
    heads, tails = [], []
    for link in reversed(chain):   # the outermost link first
        cls = type(link)
        names = [name for name in link._fields if name not in link._unshown]
        at = names.index("left")
        before = "".join(f"{name}={getattr(link, name)!r}, " for name in names[:at])
        heads.append(f"{cls.__qualname__}({before}left=")
        tails.append("".join(f", {name}={getattr(link, name)!r}" for name in names[at + 1:]) + ")")
    return "".join(heads) + repr(chain[0].left) + "".join(reversed(tails))


def rebuild_of(node: Any, make: Callable[..., Any]) -> tuple[Any, ...]:
    """What pickles a chain in one step (``__reduce__``): :func:`rebuild` with the chain's first
    operand and each link's other fields -- a pickler would otherwise recurse once per link."""
    chain = links(node)
    at = type(node)._fields.index("left")
    rows = [tuple(getattr(link, name) for name in link._fields[:at] + link._fields[at + 1:]) for link in chain]
    return rebuild, (make, at, chain[0].left, rows)


def rebuild(make: Callable[..., Any], at: int, first: Any, rows: list[tuple[Any, ...]]) -> Any:
    """The chain :func:`rebuild_of` took apart: *make* (the links' maker, every field by
    position) called for each row of fields, the chain so far put in as the left operand at *at*."""
    node = first
    for row in rows:
        node = make(*row[:at], node, *row[at:])
    return node


def depth(node: Any) -> int:
    """How deep the expression *node* is as a tree -- each link of a chain one level, as a walk
    that recurses into operands meets it -- measured without recursion: for a stage that still
    walks chains recursively, to refuse what it cannot take."""
    most = 0
    pending: list[tuple[Any, int]] = [(node, 1)]
    while pending:
        node, level = pending.pop()
        if isinstance(node, tuple):
            pending.extend((item, level) for item in node)
            continue
        fields = ast.node_fields(type(node))
        if fields is None:
            continue
        most = max(most, level)
        pending.extend((getattr(node, name), level + 1) for name in fields if name != "_span")
    return most


# Imported last: ast imports this module at its end (its nodes' chain helpers), so a program that
# imports this module first finds its functions defined when ast asks for them.
from . import ast  # noqa: E402

#: The node classes whose left operand continues a chain.
CHAINED = (ast.Binary, ast.And, ast.Or)

"""What reducing one grammar rule does in the fast parse (:mod:`fiscalrules.lalr`): lark's tree
shaping -- its child filter, ``?rule`` hand-on, ``_rule`` splicing, ``maybe_placeholders`` and
``propagate_positions`` -- as each rule's :class:`_Plan`, and the reductions that follow it
(:func:`_reduce`, :func:`_reduce_node`, :func:`_reduce_token`) calling the AST builder, with the
value stack's entries they read and make (tokens and reduced rules as plain tuples) and the
depth they count (a chain's links one level: :func:`chained`).  ``_cparse_loop.c`` does the same
in C from what each _Plan says.  (Split from lalr.py, which runs the automaton and the memo.)
"""

from __future__ import annotations

__all__ = ["Fallback", "make_token", "spanned", "chained", "TOKEN_SIZE", "REDUCED_SIZE", "MAX_DEPTH"]

# A tree nested deeper than this is left to lark, whose recursive transform decides whether it
# is too deep to read (E106); far above any real rule.
MAX_DEPTH = 60


class Fallback(Exception):
    """The fast path cannot decide this text: parse it with lark."""


def spanned(method):
    """Mark a builder method as taking its node's span data before its children: the reductions
    (here and in _cparse_loop.c) and, on the lark path, fiscalrules.parser._walk give it."""
    method.spanned = True
    return method


def chained(method):
    """Mark a builder method as making a link of a left-associative chain (``a + b + c``, ``a and
    b and c``): a node whose first child is a node of the same method is as deep as that child,
    not one deeper -- a sum of 10,000 terms is flat text, not nesting (review 17 B10) -- and the
    stages after the parser walk such chains without recursion (:mod:`fiscalrules.chains`)."""
    method.chained = True
    return method


# A token as the builder reads it: a plain tuple (type, value, line, column, end_line, end_column),
# line and column 1-based, the end where lark's token ends.  A 10,000-rule file has ~280,000 tokens:
# a class with an ``__init__`` storing six attributes cost ~4 times what a tuple subclass did, and a
# tuple subclass (made by ``tuple.__new__``, freed by the subtype's dealloc) ~1,770 instructions to
# make and free where a plain tuple takes ~400 (callgrind).  The builder reads the items by index
# (lark's own tokens, on the lark path, are made into the same tuples: parser._token).  A reduced
# rule is a tuple of seven (below): the length tells the two apart.
TOKEN_SIZE = 6
REDUCED_SIZE = 7


def make_token(type_, value, line, column, end_line, end_column) -> tuple:
    """A token (the hot loop of :meth:`FastParser.parse` makes them inline the same way)."""
    return (type_, value, line, column, end_line, end_column)


# A reduced rule on the value stack is a tuple of seven (tokens are tuples of six, absent
# optionals None):
#   (value, depth, line, column, end_line, end_column, empty)
# -- the builder's value, the depth of lark's tree, and of the meta lark would have given the tree
# the part a parent reads: its *container*'s start and end (where its first and last children were
# written, which differs from the tree's own when a ``?rule`` that dropped brackets around it handed
# it on; lark's PropagatePositions reads a child's container, and the tree's own span went into its
# node when it was built), None and ``empty`` for an empty tree.  The positions stand where a
# token's do, so a parent reads its first child's start at [2], [3] and its last's end at [4], [5]
# whichever each is.  A tuple is built in one step, where an object with eleven attributes took a
# call and eleven stores, and a reduction made ~200,000 of them for a 10,000-rule file.  The
# builder receives as its ``meta`` the span data its node keeps: (line, column, end_line,
# end_column, file), zeros when it has none (fiscalrules.parser._walk makes the same from lark's
# meta on the lark path).


class _Plan:
    """What reducing one grammar rule does (lark's ChildFilter / ExpandSingleChild / callback)
    and where the automaton goes after it (the goto of each state)."""

    __slots__ = ("size", "origin", "include", "append_none", "single", "inline", "build", "meta", "noop",
                 "keep_all", "tokens_only", "one_token", "goto", "node", "nonterminals", "first", "last",
                 "picks", "chain")

    def __init__(self, rule, builder_class):
        expansion = rule.expansion
        self.size = len(expansion)
        self.origin = str(rule.origin.name)
        empty = rule.options.empty_indices
        if empty:
            s = "".join(str(int(b)) for b in empty)
            nones = [len(ones) for ones in s.split("0")]
        else:
            nones = [0] * (len(expansion) + 1)
        include, pending = [], 0
        for i, sym in enumerate(expansion):
            pending += nones[i]
            if rule.options.keep_all_tokens or not (sym.is_term and sym.filter_out):
                include.append((i, not sym.is_term and sym.name.startswith("_"), pending))
                pending = 0
        self.include = tuple(include)
        self.append_none = pending + nones[len(expansion)]
        # every child kept as it is, in order: no filtering to do
        self.keep_all = self.include == tuple((i, False, 0) for i in range(self.size)) and not self.append_none
        self.single = bool(rule.options.expand1 and not rule.alias)
        self.inline = self.origin.startswith("_")
        name = rule.alias or rule.options.template_source or self.origin
        method = None if self.inline else getattr(builder_class, name, None)
        self.meta = getattr(method, "spanned", False)   # it takes (span data, children)
        self.build = method
        # a link of a chain: its first child, a node of the same rule, does not deepen it
        self.chain = bool(getattr(method, "chained", False) and expansion and not expansion[0].is_term
                          and expansion[0].name == rule.origin.name)
        # a ?rule of one kept child: lark hands the child on unchanged, positions included
        self.noop = self.single and self.size == 1 and self.keep_all
        # only tokens (or placeholders) are kept: the builder's values are the kept children
        self.tokens_only = all(expansion[i].is_term for i, _expand, _nones in include)
        # a node of one token, kept (a name, a number, a text: ~45,000 of a 10,000-rule file's
        # ~205,000 reductions), reduced without the general case's walk (see _reduce)
        self.one_token = (self.size == 1 and self.keep_all and self.tokens_only and not self.single
                          and not self.inline and self.build is not None)
        self.goto: dict[int, int] = {}
        # A node of any other shape, with no _rule spliced in (most reductions: ~12,000 of a 1,000-rule
        # file's ~17,500), reduced by _reduce_node with what the expansion says of its children:
        # a terminal's child is always a token, only a rule's may be a reduced rule, a placeholder
        # or an empty tree.
        terminal = [sym.is_term for sym in expansion]
        self.node = (not self.single and not self.inline and self.build is not None and not self.one_token
                     and not any(expand for _i, expand, _nones in include))
        self.nonterminals = tuple(i for i in range(self.size) if not terminal[i])
        # where the span's start and end are looked for, in order: a terminal's child ends the search
        ends = [i for i in range(self.size) if terminal[i]]
        self.first = tuple(range(ends[0] + 1 if ends else self.size))
        self.last = tuple(range(self.size - 1, ends[-1] - 1 if ends else -1, -1))
        # the builder's values: (nones before it, the child's index, a terminal's child: taken as it is)
        self.picks = tuple((nones, i, terminal[i]) for i, _expand, nones in include)


def _reduce_token(plan: _Plan, token: tuple, builder):
    """A reduction of a node of one token (``plan.one_token``): what :func:`_reduce` does with it,
    in short."""
    _type, _value, line, column, end_line, end_column = token
    try:
        if plan.meta:
            value = plan.build(builder, (line, column, end_line, end_column, builder.file), [token])
        else:
            value = plan.build(builder, [token])
    except Exception as exc:  # the builder's own errors are reported by the lark path
        raise Fallback(str(exc)) from None
    return (value, 1, line, column, end_line, end_column, False)


def _reduce_node(plan: _Plan, children: list, builder):
    """A reduction making a node (``plan.node``): what :func:`_reduce` does with it, looking only
    where the expansion says a child may be other than a token."""
    depth = 0
    for i in plan.nonterminals:
        child = children[i]
        if child is not None and len(child) == REDUCED_SIZE and child[1] > depth:
            depth = child[1]
    if plan.chain:   # the chain's earlier links: as deep as this one (see chained)
        child = children[0]
        if child is not None and len(child) == REDUCED_SIZE and child[1] >= depth:
            depth = child[1] - 1
    # the first and the last child that is not a placeholder or an empty tree
    first = last = line = None
    for i in plan.first:
        first = children[i]
        if first is not None and (len(first) != REDUCED_SIZE or not first[6]):
            break
        first = None
    if first is not None:
        for i in plan.last:
            last = children[i]
            if last is not None and (len(last) != REDUCED_SIZE or not last[6]):
                break
        line, column, end_line, end_column = first[2], first[3], last[4], last[5]
    if depth >= MAX_DEPTH:
        raise Fallback("deeply nested")
    depth += 1
    values = []
    for nones, i, terminal in plan.picks:
        if nones:
            values += [None] * nones
        child = children[i]
        if terminal or child is None or len(child) != REDUCED_SIZE:
            values.append(child)
        else:
            values.append(child[0])
    if plan.append_none:
        values += [None] * plan.append_none
    try:
        if plan.meta:
            if line is None:
                value = plan.build(builder, (0, 0, 0, 0, builder.file), values)
            else:
                value = plan.build(builder, (line, column, end_line, end_column, builder.file), values)
        else:
            value = plan.build(builder, values)
    except Exception as exc:  # the builder's own errors are reported by the lark path
        raise Fallback(str(exc)) from None
    if line is None:
        return (value, depth, None, None, None, None, True)
    return (value, depth, line, column, end_line, end_column, False)


def _reduce(plan: _Plan, children: list, builder):
    """One reduction: lark's child filter, ``?rule`` hand-on, ``_rule`` splicing, the builder
    call, and propagate_positions.  A child is None (a placeholder), a token (a tuple of
    TOKEN_SIZE) or a reduced rule (a tuple of REDUCED_SIZE)."""
    if plan.node:
        return _reduce_node(plan, children, builder)
    if plan.one_token:
        return _reduce_token(plan, children[0], builder)
    if plan.keep_all:
        filtered = children
    else:
        filtered = []
        for i, expand, nones in plan.include:
            if nones:
                filtered += [None] * nones
            if expand:  # a _rule's children spliced in
                if filtered:
                    filtered += children[i][0]
                else:
                    # Its list taken over (the tree holding it is done with), not copied: item*
                    # then grows one list, where a copy per item was quadratic in the items.
                    filtered = children[i][0]
            else:
                filtered.append(children[i])
        if plan.append_none:
            filtered += [None] * plan.append_none
    # the depth of lark's tree, which only the rules that make a node deepen; lark's
    # PropagatePositions: a tree starts where its first child's container starts and ends where
    # its last child's container ends (children that are placeholders or empty trees skipped)
    depth = 0
    first = last = None
    for at, child in enumerate(children):
        if child is None:
            continue
        if len(child) == REDUCED_SIZE:
            if child[1] - (at == 0 and plan.chain) > depth:   # (a chain's earlier links: see chained)
                depth = child[1] - (at == 0 and plan.chain)
            if child[6]:
                continue
        if first is None:
            first = child
        last = child
    if first is None:
        line = column = end_line = end_column = None
    else:  # a token's start and end, or a tree's container's: at the same places
        line, column, end_line, end_column = first[2], first[3], last[4], last[5]
    if plan.single and len(filtered) == 1:
        result = filtered[0]
        if result is None or len(result) != REDUCED_SIZE or line is None:  # a token (or a placeholder) as it is
            return result
        # a tree handed on: its container is this rule's (its own span is in its node already)
        return (result[0], result[1], line, column, end_line, end_column, False)
    if plan.inline:
        if line is None:
            return (filtered, depth, None, None, None, None, True)
        return (filtered, depth, line, column, end_line, end_column, False)
    build = plan.build
    if build is None:
        raise Fallback(f"no builder for {plan.origin}")
    if depth >= MAX_DEPTH:
        raise Fallback("deeply nested")
    depth += 1
    if plan.tokens_only:
        values = filtered
    else:  # a loop, not a list comprehension: one (in 3.11) is a function made and called
        values = []
        for child in filtered:
            values.append(child[0] if child is not None and len(child) == REDUCED_SIZE else child)
    try:
        if plan.meta:
            # the builder's meta is the node's span data as it keeps it (fiscalrules.ast.SpanData)
            if line is None:
                value = build(builder, (0, 0, 0, 0, builder.file), values)
            else:
                value = build(builder, (line, column, end_line, end_column, builder.file), values)
        else:
            value = build(builder, values)
    except Exception as exc:  # the builder's own errors are reported by the lark path
        raise Fallback(str(exc)) from None
    if line is None:
        return (value, depth, None, None, None, None, True)
    return (value, depth, line, column, end_line, end_column, False)

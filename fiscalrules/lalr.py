"""The fast parse: lark's own LALR tables and lexers, driven without building a parse tree.

lark parses a 10,000-rule file in seconds, most of it spent building ``lark.Tree`` objects,
propagating positions through wrapper objects and walking the tree again to transform it.  This
module runs the *same* automaton -- the parse table lark builds from ``grammar.lark``, the
per-state scanners of its contextual lexer, the rules' child filters and ``?``/``_`` inlining,
``maybe_placeholders`` -- in one loop, and calls the parser's AST builder
(:class:`fiscalrules.parser._Builder`) as each rule is reduced, with the span lark's
``propagate_positions`` would have given that tree.  So the grammar stays the single source of
truth and no tree is ever built.  The automaton being deterministic, what feeding a token did is
remembered by state stack and token type (``FastParser.fed``, each stack numbered once), and a
token fed again from the same stack replays it without the parse table: most tokens of a rule
file are.  Tokens are scanned with each state's scanner split by first character
(:mod:`fiscalrules.lalr_lexer`), blank space and comments skipped in the same loop.

It is a fast path, not a second parser: on anything unusual -- a syntax error, a builder error,
nesting deep enough that the tree walk could hit the recursion limit -- it gives up
(:class:`Fallback`) and :func:`fiscalrules.parser.parse` parses the text with lark as before,
so errors keep exactly their codes, positions and messages.  ``tests/test_fastparse.py`` proves
the two give equal ASTs, spans included.

What it reads of lark beyond its documented API (``Lark``, ``Token``, ``Tree``), once per
FastParser, and why -- each is what lark's own parse runs on:

* ``Lark.parser.parser._parse_table`` (the only name of the LALR tables both when lark builds
  them and when it loads them from its cache): ``start_states``, ``end_states``, ``states``
  (per state and symbol a Shift/Reduce action, by its ``name``) -- the automaton run here;
* each Reduce's rule: ``expansion`` (``name``, ``is_term``, ``filter_out``), ``origin``,
  ``alias``, ``options`` (``empty_indices``, ``keep_all_tokens``, ``expand1``,
  ``template_source``) -- lark's tree-shaping, which :class:`_Plan` follows;
* ``Lark.parser.lexer.lexers`` (the contextual lexer's BasicLexer per state) and their
  ``terminals``, ``ignore_types``, ``newline_types``, ``user_callbacks``, ``g_regex_flags``,
  ``re``, ``use_bytes`` -- what each state's scanner lexes;
* ``lark.lexer._create_unless``: lark's own step to a scanner's terminals (keywords folded into
  the name-like terminals with an ``UnlessCallback``, told by class name), without compiling
  lark's alternation of them all, which is never run here (else ``scanner.terminals`` and
  ``callback``, which compile it).

A lark that renamed one would fail here when the parser is first made: tests/test_fastparse.py
compares every parse with lark's, so a lark upgrade shows it there first.
"""

from __future__ import annotations

from typing import Any

from lark.lexer import Token as LarkToken

try:  # lark's own step from a lexer's terminals to its scanner's (see the docstring)
    from lark.lexer import _create_unless
except ImportError:  # pragma: no cover - another lark: its scanner, built as it builds it
    _create_unless = None

from .cparse import compiled as _compiled
from .cparse import why_not as _why_not
from .lalr_lexer import Scanner, blanks_start_no_token

__all__ = ["FastParser", "Fallback", "make_token", "spanned", "TOKEN_SIZE", "REDUCED_SIZE"]

# A tree nested deeper than this is left to lark, whose recursive transform decides whether it
# is too deep to read (E106); far above any real rule.
MAX_DEPTH = 60

# The memo of fed tokens (FastParser.fed) remembers state stacks up to this deep (a rule block's
# example records are 25-36 states deep; a deeper stack is a rare nesting, and would fill the
# memo with long stacks), and up to this many of them, so that a process parsing many different
# rule texts keeps a bounded memo: ~6 MB at worst (10,000 stacks 48 deep), where bench_parse's
# 10,000-rule file needs 247 stacks and 276 entries.
MEMO_DEPTH = 48
MEMO_SIZE = 10_000


class Fallback(Exception):
    """The fast path cannot decide this text: parse it with lark."""


def spanned(method):
    """Mark a builder method as taking its node's span data before its children: the reductions
    (here and in _cparse.c) and, on the lark path, fiscalrules.parser._walk give it."""
    method.spanned = True
    return method


# A token as the builder reads it: a plain tuple (type, value, line, column, end_line, end_column),
# line and column 1-based, the end where lark's token ends.  A 10,000-rule file has ~280,000 tokens:
# a class with an ``__init__`` storing six attributes cost ~4 times what a tuple subclass did, and a
# tuple subclass (made by ``tuple.__new__``, freed by the subtype's dealloc) ~1,770 instructions to
# make and free where a plain tuple takes ~400 (callgrind).  The builder reads the items by index
# (lark's own tokens, on the lark path, are made into the same tuples: parser._Builder).  A reduced
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
                 "picks")

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


class FastParser:
    """The automaton of one ``lark.Lark`` (LALR, contextual lexer, propagate_positions,
    maybe_placeholders), run with a builder class whose methods are named as lark's tree nodes."""

    def __init__(self, lark_parser, builder_class, start: str = "start", compiled: bool | None = None):
        frontend = lark_parser.parser
        table = frontend.parser._parse_table
        self.start_state = table.start_states[start]
        self.end_state = table.end_states[start]
        self.builder_class = builder_class
        plans: dict[Any, _Plan] = {}
        # per state: terminal -> the state to shift to (an int) or the rule to reduce (a _Plan)
        self.actions: dict[int, dict[str, Any]] = {}
        for state, actions in table.states.items():
            row: dict[str, Any] = {}
            for symbol, (action, arg) in actions.items():
                if action.name == "Shift":
                    row[str(symbol)] = arg
                else:
                    plan = plans.get(arg)
                    if plan is None:
                        plan = plans[arg] = _Plan(arg, builder_class)
                    row[str(symbol)] = plan
            self.actions[state] = row
        for plan in plans.values():
            plan.goto = {state: row[plan.origin] for state, row in self.actions.items() if plan.origin in row}
        self._lark_lexers = frontend.lexer.lexers
        # each token takes the blanks after it when no state could lex them as anything but
        # blank space (fiscalrules.lalr_lexer)
        self._blanks_after = all(blanks_start_no_token(lexer.terminals, lexer.ignore_types)
                                 for lexer in {id(lexer): lexer for lexer in self._lark_lexers.values()}.values())
        self._by_lexer: dict[int, tuple] = {}
        self.lexers: dict[int, tuple] = {}
        # (state below, state on top, lookahead) -> the state on top once every ``?rule``
        # hand-on has been reduced: filled as the parse meets them (see _hand_on)
        self.hand_ons: dict[tuple, int] = {}
        # The memo of fed tokens.  A state stack up to MEMO_DEPTH deep gets a number (its *sid*)
        # the first time it is met: ``stacks[sid]`` is the stack (a tuple), ``stack_lexers[sid]``
        # the scanner of its top state, and ``fed[sid]`` maps a token type to what feeding that
        # token did to the value stack (the reductions made, in order, before the token is shifted)
        # and the sid of the state stack after it.  The automaton is deterministic, so a token of
        # a type it was fed before from the same stack does the same again: a rule file repeats
        # the same few shapes thousands of times, and most tokens are fed from this memo without
        # the parse table -- looked up by a small number, not by hashing the stack.
        self.sids: dict[tuple, int] = {}
        self.stacks: list[tuple] = []
        self.stack_lexers: list = []
        self.fed: list[dict] = []
        self._remembered = 0
        self._start_sid = self._sid((self.start_state,))
        # The same loop in C where it is built (compiled=None: if it is; False: never)
        module = _compiled() if compiled is not False else None
        if compiled and module is None:
            raise RuntimeError(f"the C loop was asked for, and is not used: {_why_not()}")
        self.automaton = None if module is None else self._automaton(module, table)

    def _automaton(self, module, table):
        """The C automaton (fiscalrules._cparse.Automaton) of these tables: per state, a dict
        terminal -> the state to shift to (>= 0) or ~the index of the rule to reduce; per rule,
        what _Plan says of it, its goto as a list per state (-1 where none)."""
        states = len(self.actions)
        if sorted(self.actions) != list(range(states)):  # pragma: no cover - lark numbers them so
            return None
        index: dict[int, int] = {}
        plans: list = []
        rows: list = []
        for state in range(states):
            row = {}
            for symbol, action in self.actions[state].items():
                if type(action) is int:
                    row[symbol] = action
                else:
                    at = index.get(id(action))
                    if at is None:
                        at = index[id(action)] = len(plans)
                        plans.append(action)
                    row[symbol] = ~at
            rows.append(row)
        described = [(plan.size, plan.single, plan.inline, plan.noop, plan.keep_all, plan.tokens_only, plan.meta,
                      plan.build, tuple((i, int(expand), nones) for i, expand, nones in plan.include),
                      plan.append_none, [plan.goto.get(state, -1) for state in range(states)])
                     for plan in plans]
        self._c_keys: dict[int, int] = {}
        self._c_scanners: list = []
        return module.Automaton(rows, described, self.start_state, self.end_state, self._c_lexer, _retype,
                                Fallback, MAX_DEPTH, self._blanks_after)

    def _c_lexer(self, state: int) -> tuple:
        """For the C loop: (a number of the state's scanner, its special token types as _lexer
        gives them, the scanner's ``programs`` -- per first character, its alternation without
        the blanks after a token, which the C loop skips itself, and its terminals as programs of
        the C matcher where they all are: lalr_lexer.program)."""
        _by_char, scanner, special = self.lexers.get(state) or self._lexer(state)
        lexer = self._lark_lexers[state]
        key = self._c_keys.get(id(lexer))
        if key is None:
            key = self._c_keys[id(lexer)] = len(self._c_scanners)
            self._c_scanners.append(scanner.without_blanks_after())
        return key, special, self._c_scanners[key].programs

    def _sid(self, states: tuple) -> int | None:
        """The number of a state stack in the memo, or None once the memo is full."""
        sid = self.sids.get(states)
        if sid is None:
            if len(self.stacks) >= MEMO_SIZE:
                return None
            sid = self.sids[states] = len(self.stacks)
            self.stacks.append(states)
            self.stack_lexers.append(None)
            self.fed.append({})
        return sid

    def _hand_on(self, below: int, top: int, type_: str) -> int:
        """Reduce the chain of ``?rule`` hand-ons that *type_* triggers in *top* (expr → … →
        atom: ten of them after each operand).  Each replaces only the top state, by a goto
        from the state *below*, which they leave alone -- so the chain's end depends on these
        three alone, and is worked out once."""
        actions, state = self.actions, top
        while True:
            action = actions[state].get(type_)
            if type(action) is not _Plan or not action.noop:
                self.hand_ons[below, top, type_] = state
                return state
            state = action.goto[below]

    def _lexer(self, state: int) -> tuple:
        """The scanner of the contextual lexer in *state*, as plain data (built on first use,
        as lark builds it): its per-character alternations (:class:`~fiscalrules.lalr_lexer.
        Scanner`), and the token types needing more than a token made: multi-line, ignored, or
        maybe a keyword (lark's callback that retypes it, and a cache of its answers)."""
        lexer = self._lark_lexers[state]
        data = self._by_lexer.get(id(lexer))
        if data is None:
            if lexer.user_callbacks:
                raise Fallback("lexer callbacks")
            # The terminals as lark's scanner would hold them (keywords that the NAME-like
            # terminals also match folded into those, with a callback retyping them), without
            # compiling lark's own alternation of them all, which the fast path never runs.
            if _create_unless is not None:
                terminals, callbacks = _create_unless(lexer.terminals, lexer.g_regex_flags, lexer.re,
                                                      lexer.use_bytes)
            else:  # pragma: no cover
                terminals, callbacks = lexer.scanner.terminals, lexer.callback
            scanner = Scanner(terminals, lexer.g_regex_flags, lexer.re, self._blanks_after)
            for type_, callback in callbacks.items():
                if type(callback).__name__ != "UnlessCallback":
                    raise Fallback(f"unsupported lexer callback for {type_}")
            # The token types that need more than making a token, so that the others -- most
            # tokens -- cost one look-up: type -> (may hold newlines, ignored, the retyping's
            # cache {text: type} or None, lark's retyping callback, asked once per text).
            special = {}
            for type_ in {*lexer.newline_types, *lexer.ignore_types, *callbacks}:
                retyping = callbacks.get(type_)
                special[type_] = (type_ in lexer.newline_types, type_ in lexer.ignore_types,
                                  {} if retyping is not None else None, retyping)
            data = self._by_lexer[id(lexer)] = (scanner.by_char, scanner, special)
        self.lexers[state] = data
        return data

    def parse(self, text: str, file: str | None):
        """The builder's value for the start symbol, or :class:`Fallback`."""
        builder = self.builder_class(file, text)
        if self.automaton is not None:
            return self.automaton.parse(text, file, builder)
        lexers, stack_lexers, fed = self.lexers, self.stack_lexers, self.fed
        # the state stack: its sid in the memo, or (deeper than MEMO_DEPTH, or the memo full)
        # the stack itself as a list, with sid None
        sid, states = self._start_sid, None
        stack: list = []
        pos, line, line_start, length = 0, 1, 0, len(text)
        while True:
            # ---- the next token, lexed in the context of the current state
            if pos < length:
                if sid is not None:
                    lexer = stack_lexers[sid]
                    if lexer is None:
                        top = self.stacks[sid][-1]
                        lexer = stack_lexers[sid] = lexers.get(top) or self._lexer(top)
                else:
                    lexer = lexers.get(states[-1]) or self._lexer(states[-1])
                by_char, scanner, special = lexer
                while True:  # blank space and comments are skipped with the same scanner
                    char = text[pos]
                    match = (by_char.get(char) or scanner.for_char(char)).match(text, pos)
                    if match is None:
                        raise Fallback("no token here")
                    type_ = match.lastgroup
                    value = match.group(type_)  # without the blanks after it (the scanner's blanks_after)
                    column = pos - line_start + 1
                    kind = special.get(type_)
                    if kind is None:  # most tokens: nothing more to do than make it
                        token = (type_, value, line, column, line, column + len(value))
                        pos = match.end()
                        break
                    start_line = line
                    if kind[0]:
                        newlines = value.count("\n")
                        if newlines:
                            line += newlines
                            line_start = pos + value.rindex("\n") + 1
                    end = pos + len(value)
                    pos = match.end()
                    if kind[1]:  # ignored: the next token, or the end
                        if pos < length:
                            continue
                        token = None
                        type_ = "$END"
                        break
                    if kind[2] is not None:  # maybe a keyword: lark retypes it
                        retypes = kind[2]
                        retyped = retypes.get(value)
                        if retyped is None:
                            retyped = retypes[value] = kind[3](LarkToken(type_, value)).type
                        type_ = retyped
                    token = (type_, value, start_line, column, line, end - line_start + 1)
                    break
                # ---- fed before from this very stack: do what the automaton did then
                if token is not None and sid is not None:
                    known = fed[sid].get(type_)
                    if known is not None:
                        reductions, sid = known
                        for plan in reductions:
                            if plan.one_token:  # the top token becomes a node, in place
                                stack[-1] = _reduce_token(plan, stack[-1], builder)
                                continue
                            size = plan.size
                            if size:
                                children = stack[-size:]
                                del stack[-size:]
                            else:
                                children = []
                            if plan.node:
                                stack.append(_reduce_node(plan, children, builder))
                            else:
                                stack.append(_reduce(plan, children, builder))
                        stack.append(token)  # and the shift
                        continue
            else:
                token = None
                type_ = "$END"
            sid, states = self._feed(sid, states, type_, token, stack, builder)
            if sid is None and states is None:
                result = stack[-1]
                return result[0] if result is not None and len(result) == REDUCED_SIZE else result

    def _feed(self, sid: int | None, deep: list | None, type_: str, token, stack: list, builder):
        """Feed one token to the automaton: reduce as long as the table says so, then shift it.
        The state stack after it as (sid, None), or (None, the stack as a list), or (None, None)
        once the end ($END) is accepted.  What it did to the value stack is remembered for the
        stack before it and this token type (see ``fed``).

        A stack deeper than MEMO_DEPTH is a list, fed in place and never remembered: copying it
        for every token would make a deep nesting (thousands of brackets) quadratic in its depth."""
        actions, hand_ons = self.actions, self.hand_ons
        states = list(self.stacks[sid]) if sid is not None else deep
        operations: list = []
        while True:
            action = actions[states[-1]].get(type_)
            if action is None:
                raise Fallback("unexpected token")
            if type(action) is int:
                if token is None:  # pragma: no cover - lark's tables never shift $END
                    raise Fallback("shift at the end")
                states.append(action)
                stack.append(token)
                if len(states) > MEMO_DEPTH:
                    return None, states
                after = self._sid(tuple(states))
                if after is None:  # the memo is full: go on without it
                    return None, states
                if sid is not None and self._remembered < MEMO_SIZE:
                    self.fed[sid][type_] = (tuple(operations), after)  # the reductions; the shift follows
                    self._remembered += 1
                return after, None
            plan = action
            if plan.noop:  # a ?rule handing its one child on: the value stack is unchanged
                below, top = states[-2], states[-1]
                states[-1] = hand_ons.get((below, top, type_)) or self._hand_on(below, top, type_)
            else:
                size = plan.size
                if size:
                    children = stack[-size:]
                    del stack[-size:]
                    del states[-size:]
                else:
                    children = []
                stack.append(_reduce(plan, children, builder))
                states.append(plan.goto[states[-1]])
                operations.append(plan)
            if token is None and states[-1] == self.end_state:
                return None, None


def _retype(kind: tuple, type_: str, value: str) -> str:
    """For the C loop: lark's retyping of a token that may be a keyword (a special token type's
    callback, ``kind[3]``), remembered in the type's cache (``kind[2]``) as the Python loop does."""
    retyped = kind[2][value] = kind[3](LarkToken(type_, value)).type
    return retyped


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
    for child in children:
        if child is None:
            continue
        if len(child) == REDUCED_SIZE:
            if child[1] > depth:
                depth = child[1]
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

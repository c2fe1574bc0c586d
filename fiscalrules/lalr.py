"""The fast parse: lark's own LALR tables and lexers, driven without building a parse tree.

lark parses a 10,000-rule file in seconds, most of it spent building ``lark.Tree`` objects,
propagating positions through wrapper objects and walking the tree again to transform it.  This
module runs the *same* automaton -- the parse table lark builds from ``grammar.lark``, the
per-state scanners of its contextual lexer, the rules' child filters and ``?``/``_`` inlining,
``maybe_placeholders`` -- in one loop, and calls the parser's AST builder
(:class:`fiscalrules.astbuild._Builder`) as each rule is reduced, with the span lark's
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
from .lalr_reduce import (MAX_DEPTH, REDUCED_SIZE, TOKEN_SIZE, Fallback, _Plan, _reduce, _reduce_node,  # noqa: F401
                          _reduce_token, chained, make_token, spanned)

__all__ = ["FastParser", "Fallback", "make_token", "spanned", "chained", "TOKEN_SIZE", "REDUCED_SIZE"]

# The memo of fed tokens (FastParser.fed) remembers state stacks up to this deep (a rule block's
# example records are 25-36 states deep; a deeper stack is a rare nesting, and would fill the
# memo with long stacks), and up to this many of them, so that a process parsing many different
# rule texts keeps a bounded memo: ~6 MB at worst (10,000 stacks 48 deep), where bench_parse's
# 10,000-rule file needs 247 stacks and 276 entries.
MEMO_DEPTH = 48
MEMO_SIZE = 10_000


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
                      plan.chain, plan.build, tuple((i, int(expand), nones) for i, expand, nones in plan.include),
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

"""The fast parse's lexer: lark's contextual scanners, dispatched on the next character.

lark scans a token with the regular expression of the parser's current state: an alternation of
every terminal that state accepts, in lark's order, and the first alternative that matches wins.
Python's ``re`` tries those alternatives one after another, so most of a token's scan went into
failing alternatives that could never start with the character at hand (a rule file's tokens
are mostly names, numbers and punctuation; a state accepts up to ~40 terminals).  Here each
state's scanner is split, per character met, into the alternation of just the terminals that can
start with that character, *in lark's order*.  Dropping alternatives that cannot match at a
position leaves the first one that does unchanged, with the same text (each alternative matches
on its own; a look-behind sees the same text), so the tokens are lark's.

Which characters a terminal can start with is read from its regular expression as ``re`` parses
it (``re._parser``); anything not understood -- a class like ``\\d``, a negated set, a pattern
that can match nothing, case folding, another Python's parser -- counts as "any character", which
keeps the terminal in every alternation: slower, never different.

Blank space between two tokens on a line (most of it: one space) is taken with the token before
it, by the same match (``blanks_after``), rather than matched as a token of its own and skipped:
that is one match and one turn of the parse's loop fewer per token.  It is the same lexing only
when no token but an ignored one can start with a blank (:func:`blanks_start_no_token`, checked
for the whole grammar: the blank would otherwise be the next state's to lex), and it never
changes the token itself (the blanks follow a finished match; nothing in them is a newline).
"""

from __future__ import annotations

import functools
import re

try:  # re's own parser of regular expressions (private, but stable from 3.11 to 3.13)
    from re import _constants as _sre_c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - another interpreter: every terminal counts as "any"
    _sre_parse = _sre_c = None

__all__ = ["Scanner", "first_characters", "blanks_start_no_token", "program", "BLANKS"]

# The blank space a token takes after it, when blanks_after (no newline: lines are counted on the
# tokens that hold them)
BLANKS = " \t"

# A scanner of no terminal: nothing can be lexed here (the parse falls back to lark, which
# reports the character it could not read).
_NOTHING = re.compile(r"(?!)")


@functools.cache  # the same terminals recur in most states' scanners
def first_characters(regexp: str, flags: int = 0) -> tuple[tuple[int, int], ...] | None:
    """The code-point ranges a match of *regexp* can start with, or None for any character (also
    when it could match the empty text, or when the expression is not understood)."""
    if _sre_parse is None:  # pragma: no cover
        return None
    try:
        parsed = _sre_parse.parse(regexp, flags)
        if parsed.state.flags & re.IGNORECASE:
            return None
        ranges, nullable = _sequence(list(parsed))
    except Exception:  # noqa: BLE001 - whatever the parser makes of it, "any" is always right
        return None
    if ranges is None or nullable:
        return None
    return tuple(ranges)


def _sequence(items) -> tuple[list | None, bool]:
    """(first ranges, can match empty) of a sequence of parsed items; (None, _) means any."""
    ranges: list = []
    for op, av in items:
        first, nullable = _item(op, av)
        if first is None:
            return None, False
        ranges += first
        if not nullable:
            return ranges, False
    return ranges, True


def _item(op, av) -> tuple[list | None, bool]:
    c = _sre_c
    if op is c.LITERAL:
        return [(av, av)], False
    if op is c.IN:
        out = []
        for kind, arg in av:
            if kind is c.LITERAL:
                out.append((arg, arg))
            elif kind is c.RANGE:
                out.append(arg)
            else:  # NEGATE, CATEGORY (\d, \w, \s): any
                return None, False
        return out, False
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        if add_flags & re.IGNORECASE:
            return None, False
        return _sequence(sub)
    if op is c.BRANCH:
        ranges, nullable = [], False
        for branch in av[1]:
            first, empty = _sequence(branch)
            if first is None:
                return None, False
            ranges += first
            nullable = nullable or empty
        return ranges, nullable
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)):
        low, high, sub = av
        if high == 0:
            return [], True
        first, empty = _sequence(sub)
        return first, (first is not None and (low == 0 or empty))
    if op is getattr(c, "ATOMIC_GROUP", None):
        return _sequence(av)
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        # zero-width: what follows starts the match (a superset of what can: always right)
        return [], True
    return None, False


# ---- a terminal as a program of the C loop's matcher (fiscalrules/_cparse.c) -----------------------
#
# The C loop matches a terminal itself where its regular expression uses only what the matcher
# does as ``re`` does it -- characters and sets of them (no classes like \d, which depend on the
# Unicode tables), groups (captures are never read), alternatives tried in order, greedy repeats
# of what cannot match the empty text (longest first, backing off one by one), and a one-character
# look-behind -- with ``re``'s backtracking order, so the first match found is ``re``'s.  Anything
# else (another flag, a lazy repeat, a look-ahead, an anchor...) is not a program, and the C loop
# uses ``re`` for the characters whose scanner holds that terminal.  Encoded as tuples:
#   (0, negate, (low, high, low, high, ...))   one character in (or, negated, not in) the ranges
#   (1, negate, (low, high, ...))              the character before is (not) in the ranges
#   (2, (sequence, ...))                       the first alternative that leads to a match
#   (3, min, max or -1, sequence)              a greedy repeat
# a sequence being a tuple of these.

class _Unsupported(Exception):
    pass


@functools.cache
def program(regexp: str, flags: int = 0) -> tuple | None:
    """The C matcher's program of *regexp* (a sequence), or None where ``re`` must match it."""
    if _sre_parse is None:  # pragma: no cover
        return None
    try:
        parsed = _sre_parse.parse(regexp, flags)
        if parsed.state.flags & ~re.UNICODE:  # case folding, dot-all, multi-line...: re's
            return None
        return _program_sequence(list(parsed))
    except _Unsupported:
        return None
    except Exception:  # noqa: BLE001 - whatever the parser makes of it, re decides
        return None


def _program_sequence(items) -> tuple:
    out: list = []
    for op, av in items:
        c = _sre_c
        if op is c.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise _Unsupported
            out.extend(_program_sequence(sub))  # a group only groups: nothing reads captures
        else:
            out.append(_program_item(op, av))
    return tuple(out)


def _program_set(op, av) -> tuple:
    """(negate, ranges) of a one-character item."""
    c = _sre_c
    if op is c.LITERAL:
        return 0, (av, av)
    if op is c.NOT_LITERAL:
        return 1, (av, av)
    if op is c.ANY:  # without dot-all: anything but a newline
        return 1, (10, 10)
    if op is c.IN:
        negate, ranges = 0, []
        for index, (kind, arg) in enumerate(av):
            if kind is c.NEGATE and index == 0:
                negate = 1
            elif kind is c.LITERAL:
                ranges += [arg, arg]
            elif kind is c.RANGE:
                ranges += list(arg)
            else:  # a category (\d, \w...) or anything else: re's
                raise _Unsupported
        return negate, tuple(ranges)
    raise _Unsupported


def _program_item(op, av) -> tuple:
    c = _sre_c
    if op in (c.LITERAL, c.NOT_LITERAL, c.ANY, c.IN):
        return (0, *_program_set(op, av))
    if op is c.BRANCH:
        return (2, tuple(_program_sequence(branch) for branch in av[1]))
    if op is c.MAX_REPEAT:
        low, high, sub = av
        body = _program_sequence(sub)
        first, nullable = _sequence(sub)
        if nullable or not body:  # an iteration matching nothing: re's rules for it are its own
            raise _Unsupported
        return (3, low, -1 if high == _sre_c.MAXREPEAT else high, body)
    if op in (c.ASSERT, c.ASSERT_NOT):
        direction, sub = av
        sub = list(sub)
        if direction != -1 or len(sub) != 1:
            raise _Unsupported
        negate, ranges = _program_set(*sub[0])
        if negate:  # "a character before, not one of these": not the same as "not one of these before"
            raise _Unsupported
        return (1, int(op is c.ASSERT_NOT), ranges)
    raise _Unsupported


def blanks_start_no_token(terminals, ignored) -> bool:
    """Whether no terminal but the *ignored* ones can start with a character of BLANKS (a
    terminal whose first characters are not known counts as one that can)."""
    blanks = [ord(char) for char in BLANKS]
    for terminal in terminals:
        if terminal.name in ignored:
            continue
        first = first_characters(terminal.pattern.to_regexp(), 0)
        if first is None or any(low <= code <= high for low, high in first for code in blanks):
            return False
    return True


class Scanner:
    """One lark scanner (the terminals of a contextual lexer's state, in lark's order, with its
    regular-expression flags and module), dispatched per character:
    ``by_char`` maps a character to the compiled alternation of the terminals that can start
    with it, filled as characters are met (:meth:`for_char`).  With *blanks_after*, each
    alternation also takes the blanks after the token (the token is then the text of the group
    named by ``lastgroup``, the match's end where the next one starts)."""

    __slots__ = ("by_char", "_terminals", "_firsts", "_flags", "_re", "_by_subset", "_blanks_after")

    def __init__(self, terminals, flags: int, re_module, blanks_after: bool = False):
        self._blanks_after = blanks_after
        self._terminals = list(terminals)
        self._flags = flags
        self._re = re_module
        self._firsts = [first_characters(t.pattern.to_regexp(), self._flags) for t in self._terminals]
        self._by_subset: dict[tuple, object] = {}
        self.by_char: dict[str, object] = {}

    def without_blanks_after(self) -> "Scanner":
        """The same scanner whose alternations leave the blanks after a token (the C loop skips
        them itself)."""
        return Scanner(self._terminals, self._flags, self._re, False)

    def programs(self, char: str) -> tuple:
        """For the C loop: (the alternation for a token starting with *char*, and the terminals
        it tries as ((name, program), ...) in order, or None where one of them is not a program)."""
        subset = self._subset(char)
        programs = tuple((self._terminals[i].name, program(self._terminals[i].pattern.to_regexp(), self._flags))
                         for i in subset)
        if any(code is None for _name, code in programs):
            programs = None
        return self.for_char(char), programs

    def _subset(self, char: str) -> tuple:
        code = ord(char)
        return tuple(i for i, first in enumerate(self._firsts)
                     if first is None or any(low <= code <= high for low, high in first))

    def for_char(self, char: str):
        """The alternation for a token starting with *char* (one character)."""
        subset = self._subset(char)
        compiled = self._by_subset.get(subset)
        if compiled is None:
            if subset:
                pattern = "|".join(f"(?P<{self._terminals[i].name}>{self._terminals[i].pattern.to_regexp()})"
                                   for i in subset)
                if self._blanks_after:  # no group of its own: lastgroup stays the token's
                    pattern = f"(?:{pattern})[{BLANKS}]*"
                compiled = self._re.compile(pattern, self._flags)
            else:
                compiled = _NOTHING
            self._by_subset[subset] = compiled
        self.by_char[char] = compiled
        return compiled

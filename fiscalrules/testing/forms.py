"""The generator's own error and the signals passed between its stages (the vocabulary of the
symbolic evaluation itself lives in :mod:`fiscalrules.symbolic.forms`).
"""

from __future__ import annotations

from ..errors import FiscalRulesError


class GenerationError(FiscalRulesError):
    """The generator could not build a record satisfying the ruleset (contradictory rules, or
    requirements it cannot meet); the message names the rules concerned."""

    code = "E600"


class _Retry(Exception):
    """A solving attempt failed; the next is to try otherwise.  *blame*: the requirements that
    made it fail (avoided from then on); *undefined*: the derived figures no solution defines
    (left out of the shape).  Raise it as made (``raise _Retry(...)``), never from a local
    variable: the raising frame, held by the traceback, would then hold the exception in a
    cycle, and with the frames of its callers, the whole shape being generated, left for the
    garbage collector rather than freed."""

    def __init__(self, *args, blame=(), undefined=()):
        super().__init__(*args)
        self.blame, self.undefined = blame, undefined


class _Contradiction(_Retry):
    """The equalities instantiated on a shape cannot all hold."""

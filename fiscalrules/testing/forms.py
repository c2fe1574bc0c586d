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
    pass


class _Contradiction(_Retry):
    """The equalities instantiated on a shape cannot all hold."""

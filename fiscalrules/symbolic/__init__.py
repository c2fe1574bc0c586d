"""Symbolic evaluation: a ruleset's rules over one record's *structure*, as exact linear forms.

Where the evaluator computes with a record's values, the symbolic evaluation keeps each printed
number as a variable ``(path, meta)`` (``meta`` is ``value``, ``change`` or ``pct``) and turns
arithmetic into exact linear forms over fractions (:class:`~.forms.Lin`: ``sum``, ``+``/``-``,
constant multiples, wildcards, columns, lookups, ``children()`` roll-ups, ``change``/``prior``).
What is not linear (``pct(x) = change(x) / prior(x) * 100``, ``abs``, ``min``) becomes a
function of the variables (:class:`~.forms.NL`); comparisons become atoms and the logic around
them a tree (:class:`~.forms.Atom`, ``AllOf``, ``AnyOf``, ``Negation``); whatever the record's
structure decides (``present``, texts, flags, row codes) is decided right away
(:class:`~.forms.Known`).  Each top-level ``for each`` is instantiated per row.

Two users: :mod:`fiscalrules.localise` (which figures are wrong, and what they should be) and
:mod:`fiscalrules.testing` (records that satisfy a ruleset, perturbations that must be caught).

Modules: :mod:`.forms` (the vocabulary), :mod:`.linear` (the symbolic evaluator, :class:`_Sym`
and :func:`_rule_condition`), :mod:`.calls` (the rule language's functions, a base of
:class:`_Sym`), :mod:`.plan` (what it needs of a ruleset, and each figure's printed value and
rounding half-width).
"""

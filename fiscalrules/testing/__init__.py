"""Property-based testing for rulesets: consistent records, one-figure errors, inline examples.

Three tools for people who write rules (see ``docs/testing.md`` for a guide):

* :func:`records` -- a `hypothesis <https://hypothesis.readthedocs.io>`_ strategy generating
  records (plain mappings in the record model of ``docs/records.md``) that satisfy a ruleset:
  every linear equality of its rules holds exactly, its inequalities hold, amounts look like
  budgets (万元 with two decimals, counts whole), tables carry nested classification codes, and
  optional figures are sometimes absent.  ``rounded=True`` computes the figures more precisely
  and rounds each to its printed precision, as a publisher does, so the ruleset's rounding
  allowance is what keeps it quiet.  :func:`generate_record` is the same without hypothesis.
* :func:`perturbations` (and :func:`changed_by`, :func:`sign_flipped`, :func:`digits_swapped`,
  :func:`term_dropped`) -- strategies deriving a record with exactly one figure changed, with a
  :class:`Perturbation` saying which path changed, how, and whether a rule of the ruleset must
  now fail (:meth:`Perturbation.must_fail`).  :func:`analyze` exposes the model behind it: every
  linear equality the ruleset asserts on a given record, with its rounding allowance.
* :func:`example_cases` / :func:`pytest_examples` -- every ``example pass|fail {…}`` of a rule
  file as a pytest test case.

How records are built
---------------------
The generator never guesses values and filters: it *solves*.  For a drawn *shape* (which fields,
tables, rows and stated changes exist, and the text and flag values) it evaluates every rule
symbolically over the shape: figures become variables, arithmetic becomes exact linear forms
(``sum``, ``+``/``-``, constant multiples, wildcards, columns, lookups, ``children()`` roll-ups,
``change``/``prior``), each top-level ``for each`` is instantiated per row, ``present``/``when``/
``where``/``if`` on structure are decided, and each assertion becomes a set of requirements.  A
rule that would be *not evaluable* on the shape (a missing figure, row, column or stated change)
makes the shape grow until every rule can be evaluated: optional figures are absent only where
no rule then lacks them.  Linear equalities are solved by exact Gauss-Jordan elimination over
fractions (totals chosen as pivots, parts as free variables drawn with realistic magnitudes, on
the printed grid so that every solved figure is printed exactly); inequalities and signs (amounts
and counts are non-negative, last year's figure ``value - change`` too) are met by relaxation
over the free variables followed by an exact check.  A figure defined by a non-linear equality
(``pct(x) = change(x) / prior(x) * 100``) is computed from the others and rounded to its
precision.  Requirements that are neither (``!=``, ``abs``/``min``/``max`` on both sides,
value-dependent filters) are checked afterwards with the evaluator itself, for those rules only.

Limits: filters of comprehensions must depend on structure (codes, levels, texts), not on
amounts; a lookup key must be a constant or text; ``not present(x)`` is not made true by
removing *x*; a figure defined by a non-linear equality must not also take part in a linear one.
A ruleset whose equalities contradict each other raises :class:`GenerationError` naming the
rules.  :data:`STATS` counts why solving attempts were retried (for benchmarks).
"""

from __future__ import annotations

from . import paths
from .examples import ExampleCase, check_example, example_cases, pytest_examples
from .forms import GenerationError
from .generate import generate_record, records
from .model import Equality, RecordModel, analyze
from .order import findings_digest, reordered_ruleset, shuffled_record
from .perturb import (PERTURBATION_KINDS, Perturbation, changed_by, digits_swapped, perturb, perturbations,
                      sign_flipped, term_dropped)
from .solve import STATS

_read_raw = paths._read_raw  # used by the package's own tests

__all__ = [
    "records", "generate_record", "GenerationError",
    "perturbations", "changed_by", "sign_flipped", "digits_swapped", "term_dropped", "perturb",
    "Perturbation", "PERTURBATION_KINDS", "analyze", "RecordModel", "Equality",
    "example_cases", "check_example", "pytest_examples", "ExampleCase",
    "shuffled_record", "reordered_ruleset", "findings_digest", "STATS",
]

"""The evaluator: runs compiled rules over records and turns outcomes into findings.

:class:`CompiledRule` holds a rule's closures (built by :mod:`fiscalrules.compiler`): its
precondition and its assertion, expanded per row for a top-level ``for each``.  Evaluating never
raises: a missing figure becomes a ``not_evaluable`` finding naming it, a runtime problem (a
division by zero) an ``error`` finding with its reason; a false precondition ``not_applicable``.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

from . import ast
from .compiler import _compile, _key_text
from .context import Context, EvalProblem, Missing, Settings
from .fastpath import NotFast, compile_fast_condition, decided_on_points
from .fused import FusedRule, fuse
from .findings import Finding, Status, _More
from .records import Row
from .replay import _bound_lightly, _Details, _Replay, new_evaluation
from .rowstore import RowView
from .sidetexts import sides
from .values import CONTEXT, EXACT, FAIL, ROUNDING, Tolerance, MONEY_UNITS, NO_TOLERANCE

__all__ = ["Missing", "EvalProblem", "Context", "Settings", "CompiledRule", "run_rules"]


class _RuleCompilation:
    def __init__(self, settings: Settings, tolerance: Tolerance, row_tables: dict | None = None):
        self.settings = settings
        self.tolerance = tolerance
        self.row_tables = row_tables   # the rule's row variables → their tables (a finding's texts name columns by label)


def _tolerance(tol: ast.Tolerance | None, settings: Settings) -> Tolerance:
    if tol is None:
        return NO_TOLERANCE
    if tol.unit == "%":
        return Tolerance(amount=tol.amount, relative=True)
    unit = tol.unit or settings.default_unit or "元"
    return Tolerance(amount=tol.amount, money=tol.amount * MONEY_UNITS.get(unit, Decimal(1)))


# A rule's fused closures before the first record asks for them (see CompiledRule.fused).
_NOT_YET = object()
_FAILED = object()   # (_decide_whole: the fused closures decided FAIL, the general path explains it)


class CompiledRule:
    """A rule ready to run: closures for its precondition and assertion (built when first
    needed), and its metadata.

    Three ways to run it, tried in turn: the fused closures (:mod:`fiscalrules.fused`: the
    outcome alone, from the record's figures), the fast path (:mod:`fiscalrules.fastpath`: an
    exact pass on printed values) and the general closures, which explain everything."""

    def __init__(self, rule: ast.Rule, settings: Settings):
        self.rule = rule
        self.id = rule.id
        # what a finding of the rule reads of it (a decided finding holds its compiled rule)
        self.title, self.title_en = rule.title, rule.title_en
        self.severity = rule.severity or "error"
        self.tags = tuple(rule.tags)
        self.settings = settings
        # Built on the first record: compiling a 10,000-rule file should not pay for rules it
        # never runs.  None: the rule has none (the general path runs it).
        self.fused = _NOT_YET
        self.tolerance = _tolerance(rule.tolerance, settings)
        assertion = rule.assertion
        self.per_row = isinstance(assertion, ast.ForEach)
        # what the record (or each row of a top-level ``for each``) must satisfy
        self.checked_node = assertion.body if self.per_row else assertion
        self.filtered = self.per_row and assertion.where is not None
        if self.per_row:
            self.var = assertion.var
        if rule.when is None:
            self.when = self.fast_when = None
        # The closures themselves are built by __getattr__ the first time each is read -- see there.

    # A rule's closures are built on first use, each apart: a CLI audit loads the 188 rules of the
    # bundled ruleset and needs the assertion of only those whose precondition holds, the general
    # closures of only the checks the fast path (or the fused one) cannot decide; and a
    # 10,000-rule file should not compile rules it never runs.  __getattr__ runs only for an
    # attribute not set yet: once built, reading a closure costs nothing more, and one set before
    # (a test turning the fast path off) is kept.
    def __getattr__(self, name: str):
        build = _CLOSURES.get(name)
        if build is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        rule = self.__dict__["rule"]   # (KeyError, not recursion, on a half-made object)
        closure = self.__dict__[name] = build(self, rule, _RuleCompilation(self.settings, self.tolerance,
                                                                           self.settings.row_vars.get(rule.id)))
        return closure

    def evaluate(self, record, record_id: str | None = None, ctx: Context | None = None) -> list:
        """Findings of this rule on one record (one per row for a top-level ``for each``).

        Rules of one ruleset share a Context per record, so each figure is converted once."""
        if ctx is None:
            new_evaluation(record)
        with decimal.localcontext(CONTEXT):
            return self.evaluate_in_context(record, record_id, ctx)

    def evaluate_in_context(self, record, record_id: str | None = None, ctx: Context | None = None) -> list:
        """:meth:`evaluate`, already inside the library's decimal context (a ruleset enters it
        once per record rather than once per rule)."""
        fused, found = self.fused, None
        if fused is _NOT_YET:
            fused = self.fused = fuse(self.rule, self.settings, self.tolerance)
        rid = record_id or record.id
        # the record as the rules read it (Settings.as_declared): the context's, made from it
        record = ctx.record if ctx is not None else self.settings.as_declared(record)
        applies = False   # whether the fused precondition holds (the general path need not ask)
        if fused is not None:
            if fused.when is not None:
                try:
                    applies = fused.when(record, None) != FAIL
                except Exception:   # noqa: BLE001 - whatever it is, the general path reports it
                    applies = None
                if applies is False:
                    return [_NotApplicable(self, rid, record)]
            if applies is not None and fused.body is not None:   # (body: compiled on first use)
                if fused.rows is None:
                    found = _decide_whole(self, fused.body, record, rid)
                    if type(found) is _Decided:
                        return [found]
                else:
                    found = self._run_fused_rows(fused, record, rid, ctx)
                    if found is not None:
                        return found
        return self._run_general(record, rid, ctx, applies, found is _FAILED)

    def _run_general(self, record, rid, ctx, applies, failed: bool) -> list:
        """The findings the general path makes (it explains everything): *applies*, the fused
        precondition was found to hold; *failed*, the fused closures found the rule failed
        (then the fast path, which passes only what holds exactly, is not asked)."""
        if ctx is None:
            ctx = Context(record, self.settings)
        else:
            # fresh ones: the previous rule's findings keep the lists they were given
            if ctx.trace:
                ctx.trace = []
            if ctx.vars:
                ctx.vars = {}
        if self.rule.when is not None and not applies and _fast_verdict(self.fast_when, ctx) is not True:
            try:
                status, _ = self.when(ctx)
            except Missing as missing:
                return [self._finding(ctx, rid, Status.NOT_EVALUABLE, missing=missing.paths,
                                      reason="precondition needs missing figures")]
            except (EvalProblem, ArithmeticError, RecursionError) as exc:
                return [self._finding(ctx, rid, Status.ERROR, reason=_reason(exc))]
            if status == FAIL:
                return [self._finding(ctx, rid, Status.NOT_APPLICABLE, reason=_PRECONDITION_FALSE)]
            ctx.trace = []
        if not self.per_row:
            return [self._run(ctx, rid, failed=failed)]
        return self._run_rows(ctx, rid)

    def _run(self, ctx, rid, item=None, failed: bool = False) -> Finding:
        """The finding of the rule (or of one row): decided on printed values by the fast path
        where it can -- unless the fused closures found it *failed*: the fast path passes only
        what holds exactly, so it is not asked (nor, then, built)."""
        if not failed and _fast_verdict(self.fast, ctx) is True:
            return self._fast_pass(ctx, rid, item)
        try:
            outcome, detail = self.body(ctx)
        except Missing as missing:
            return self._finding(ctx, rid, Status.NOT_EVALUABLE, item=item, missing=missing.paths,
                                 reason="missing: " + ", ".join(missing.paths))
        except (EvalProblem, ArithmeticError, RecursionError) as exc:
            return self._finding(ctx, rid, Status.ERROR, item=item, reason=_reason(exc))
        status = Status.PASS if outcome == EXACT else Status.ROUNDING if outcome == ROUNDING else Status.FAIL
        return self._finding(ctx, rid, status, item=item, detail=detail)

    def _run_rows(self, ctx, rid) -> list:
        try:
            ctx.trace = []
            items = self.source(ctx)
        except Missing as missing:
            return [self._finding(ctx, rid, Status.NOT_EVALUABLE, missing=missing.paths,
                                  reason="missing: " + ", ".join(missing.paths))]
        except (EvalProblem, ArithmeticError, RecursionError) as exc:
            return [self._finding(ctx, rid, Status.ERROR, reason=_reason(exc))]
        if type(items) is Row or not isinstance(items, (list, RowView)):   # RowView: a packed table's rows
            items = [items]
        # Figures listed by a wildcard (for each x in income.sources.*) are known by the figure
        # they came from -- path and operand -- not by their value.
        trace = ctx.trace
        traced = list(trace) if len(trace) == len(items) else [None] * len(items)
        findings = []
        for row, entry in zip(items, traced):
            self._run_row(ctx, rid, row, entry, findings)
        if not findings:
            # The filters read cells of rows that were then left out: none of them is evidence,
            # and which one was read last depends on the rows' order.
            ctx.trace = []
            return [self._finding(ctx, rid, Status.NOT_APPLICABLE, reason="no rows to check")]
        return findings

    def _run_row(self, ctx, rid, row, entry, findings: list, failed: bool = False) -> None:
        """The finding of one row (none when the row filter leaves it out), added to *findings*;
        *failed*: the fused closures kept the row and found it failed (its filter is not asked
        again, nor the fast path)."""
        ctx.trace = [entry] if entry is not None else []
        ctx.vars[self.var] = row
        item = row.code if isinstance(row, Row) else entry[0].path if entry is not None else _key_text(row)
        if self.filtered and not failed and (verdict := _fast_verdict(self.fast_where, ctx)) is not True:
            if verdict is False and self.where_final:
                return  # excluded on printed values that carry no rounding: no interval can admit it
            # A row whose filter cannot be decided is reported as that row, not the whole rule.
            try:
                if self.where(ctx)[0] == FAIL:
                    return
            except Missing as missing:
                findings.append(self._finding(ctx, rid, Status.NOT_EVALUABLE, item=item, missing=missing.paths,
                                              reason="the row filter needs: " + ", ".join(missing.paths)))
                return
            except (EvalProblem, ArithmeticError, RecursionError) as exc:
                findings.append(self._finding(ctx, rid, Status.ERROR, item=item, reason=_reason(exc)))
                return
            ctx.trace = [entry] if entry is not None else []
        findings.append(self._run(ctx, rid, item=item, failed=failed))

    def _run_fused_rows(self, fused, record, rid, ctx):
        """The findings of a top-level ``for each`` the fused closures decide, the general path
        making those they cannot (failures, and anything out of the ordinary); None to leave the
        whole rule to it.  The precondition, if any, has been found to hold."""
        try:
            rows = fused.rows(record)
        except Exception:   # noqa: BLE001
            return None
        body, where = fused.body, fused.where
        findings: list = []
        add, decided, passes, fail = findings.append, _Decided, _PASSES, FAIL   # (locals: a loop over every row)
        for row in rows:
            try:
                if where is not None and where(record, row) == fail:
                    continue
                outcome = body(record, row)
                failed = outcome == fail
            except Exception:   # noqa: BLE001
                outcome, failed = fail, False   # (reported by the general path, filter and all)
            if outcome == fail:   # explained (or reported) by the general path
                ctx = self._fresh(record, ctx)
                self._run_row(ctx, rid, row, None, findings, failed)
            else:
                add(decided(self, rid, passes[outcome], row.code, record, row, None))
        if not findings:
            return None   # the general path says there were no rows to check
        return findings

    def _fresh(self, record, ctx):
        """The context the general path runs in: the ruleset's, without the previous rule's
        trace and bindings (the previous rule's findings keep the lists they were given)."""
        if ctx is None:
            return Context(record, self.settings)
        if ctx.trace:
            ctx.trace = []
        if ctx.vars:
            ctx.vars = {}
        return ctx

    def _fast_pass(self, ctx, rid, item) -> Finding:
        """An exact pass decided on printed values; its details come from replaying the interval
        path on first use."""
        # Empty bindings and trace (most passes) are kept as None: every object a finding keeps
        # is one more for the garbage collector to walk while a batch runs.
        trace = ctx.trace or None
        if trace is not None:
            ctx.trace = []
        return _Decided(self, rid, Status.PASS, item, ctx.record, _bound_lightly(ctx) if ctx.vars else None, trace)

    def _finding(self, ctx, rid, status, *, item=None, detail=None, missing=(), reason=None) -> Finding:
        """A finding whose details (sides, operands, messages) are worked out only when read."""
        # Keep what the details need, as it is now: the trace and the bound rows move on.
        trace, bound = ctx.trace, dict(ctx.vars) if ctx.vars else None
        ctx.trace = []
        details = _Details(self, detail, trace, status, ctx.record, bound)
        rule = self.rule
        return Finding(rid, rule.id, rule.title, self.severity, status, item=item, reason=reason,
                       missing=missing, title_en=rule.title_en, tags=rule.tags, details=details,
                       texts=details.texts)


def run_rules(rules, record, record_id: str, ctx: Context, findings: list) -> None:
    """Every rule of *rules* on one record (inside the library's decimal context, in the
    ruleset's context *ctx*), their findings added to *findings* -- as
    :meth:`CompiledRule.evaluate_in_context` makes them.  A rule whose fused body decides it
    all (no precondition, no rows: most rules) is decided here, without that method's dispatch
    (a batch runs it for every rule of every record): a pass made here, a failure or a fused
    body raising explained by the general path -- the body run once; another kind of rule is
    left to the method."""
    subject = ctx.record   # (the record as the rules read it: evaluate_in_context's)
    record_id = record_id or record.id
    add, extend, decided = findings.append, findings.extend, _Decided
    for rule in rules:
        fused = rule.fused
        if type(fused) is FusedRule:
            body = fused.whole
            if body is not None:
                found = _decide_whole(rule, body, subject, record_id)
                if type(found) is decided:
                    add(found)
                else:   # (the general path, told whether the fused body found it failed)
                    extend(rule._run_general(subject, record_id, ctx, False, found is _FAILED))
                continue
        extend(rule.evaluate_in_context(record, record_id, ctx))


def _decide_whole(compiled: CompiledRule, body, subject, record_id: str):
    """A rule the fused *body* decides whole (no rows; its precondition, if any, holds): its
    pass, or _FAILED (the general path explains the failure), or None when the body raised
    (the general path reports it)."""
    try:
        outcome = body(subject, None)
    except Exception:   # noqa: BLE001 - whatever it is, the general path reports it
        return None
    if outcome == FAIL:
        return _FAILED
    return _Decided(compiled, record_id, _PASSES[outcome], None, subject, None, None)


# What CompiledRule builds on first use (see CompiledRule.__getattr__), from the rule and its
# compilation state: the precondition's closures (general and fast), those of the assertion
# (general, fast, and the sides' texts), and for a top-level ``for each`` the rows and the row
# filter's (None for a rule without them).
_CLOSURES = {
    "when": lambda compiled, rule, rc: _compile(rule.when, rc),
    "fast_when": lambda compiled, rule, rc: compile_fast_condition(rule.when, rc),
    "body": lambda compiled, rule, rc: _compile(compiled.checked_node, rc),
    "fast": lambda compiled, rule, rc: compile_fast_condition(compiled.checked_node, rc),
    "sides": lambda compiled, rule, rc: sides(compiled.checked_node, rc.settings, rc.row_tables),
    "source": lambda compiled, rule, rc: _compile(rule.assertion.source, rc) if compiled.per_row else None,
    "where": lambda compiled, rule, rc: _compile(rule.assertion.where, rc) if compiled.filtered else None,
    "fast_where": lambda compiled, rule, rc:
        compile_fast_condition(rule.assertion.where, rc) if compiled.filtered else None,
    "where_final": lambda compiled, rule, rc: compiled.filtered and decided_on_points(rule.assertion.where, rc),
}
_PRECONDITION_CLOSURES = frozenset({"when", "fast_when"})
_ASSERTION_CLOSURES = frozenset(_CLOSURES) - _PRECONDITION_CLOSURES


_PRECONDITION_FALSE = "precondition is false"


class _Decided(Finding):
    """A finding decided without its details (by the fused closures or the fast path): they are
    worked out by replaying the general path for this record and row when first read.  What the
    replay needs is kept in the finding itself -- a batch keeps its findings, and every slot
    they have is one more for the garbage collector to walk while it runs: eight here, the
    rule's facts read from the compiled rule, the rest (:class:`~fiscalrules.findings._More`)
    made when first read."""

    __slots__ = ("_subject", "_bound", "_trace")
    _precondition = False   # what the replay runs: the rule's assertion, or (below) its precondition
    reason = None           # (in place of Finding's: a decided finding has no reason ...
    missing = ()            # ... nor missing figures)

    def __init__(self, compiled: CompiledRule, record_id: str, status: str, item, record, bound, trace):
        """*bound*: the bound variables (a dict), the row bound to the rule's ``for each``
        variable, or None; *trace*: the figures read before the rule's body (or None)."""
        # Finding's fields are set here rather than by Finding.__init__ (a batch makes most of
        # its findings here: no keywords to sort out, no copies).
        self.record, self.status, self.item, self._rule, self._more = record_id, status, item, compiled, None
        self._subject, self._bound, self._trace = record, bound, trace

    def _more_made(self) -> _More:
        more = self._more
        if more is None:
            more = self._more = _More(None, (), None, None, None)
        return more

    def _replay(self) -> None:
        more = self._more_made()
        if more.details is None:
            more.details = more.texts = _Replay(self._rule, self._subject, self._bound, self._trace, self.status,
                                                precondition=self._precondition)

    def _detail(self, name: str):
        more = self._more
        if more is not None and more.cache is not None:   # (read again and again: a report's suspects read every finding's operands)
            return more.cache.get(name, () if name == "operands" else None)
        self._replay()
        return Finding._detail(self, name)

    def _work_out(self) -> None:
        self._replay()
        Finding._work_out(self)

    @property
    def _rendered(self) -> tuple:
        more = self._more
        if more is not None and more.made is not None:
            return more.made
        self._replay()
        return Finding._rendered.fget(self)

    def forget_details(self) -> None:
        """Let go of the replay too: it is made again if the details are read again."""
        more = self._more
        if more is not None:
            more.details = more.texts = more.cache = more.made = None


class _NotApplicable(_Decided):
    """A rule whose precondition the fused closures found false: the general path's
    not-applicable finding, the figures the precondition read (its details) worked out by
    replaying the precondition when first read."""

    __slots__ = ()
    _precondition = True
    reason = _PRECONDITION_FALSE

    def __init__(self, compiled: CompiledRule, record_id: str, record):
        super().__init__(compiled, record_id, Status.NOT_APPLICABLE, None, record, None, None)


_PASSES = {EXACT: Status.PASS, ROUNDING: Status.ROUNDING}

# What makes the fast path hand a case to the interval path (which reports it properly).
_NOT_DECIDED = (NotFast, Missing, EvalProblem, ArithmeticError, RecursionError)


def _fast_verdict(condition, ctx):
    """What the fast path says of the condition on printed values -- True or False -- or None
    when it cannot say (anything but True sends the case to the interval path).  Figures the
    attempt read (row filters run on the interval path) are forgotten, so the operands a finding
    lists do not depend on whether the fast path was tried."""
    if condition is None:
        return None
    mark = len(ctx.trace)
    try:
        return bool(condition(ctx))
    except _NOT_DECIDED:
        return None
    finally:
        del ctx.trace[mark:]


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "expression too deeply nested to evaluate"
    if isinstance(exc, ArithmeticError) and not isinstance(exc, EvalProblem):
        return f"arithmetic error: {type(exc).__name__}"
    return str(exc)

"""Findings and reports: what an evaluation says, in a form an auditor can act on.

A :class:`Finding` is the verdict of one rule on one record (or one row of it): its status, both
sides as printed and as computed, the difference and the tolerance allowed, every figure involved
with where it was printed, and a rendered message (Chinese, with English available).  A
:class:`Report` holds the findings of a run, in a deterministic order, with per-rule and
per-record summaries; its ``to_*`` methods delegate to :mod:`fiscalrules.reporters`.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from collections.abc import Callable, Iterable, Mapping, Sequence

# Side, RecordInfo, Operand and the names of figures live in finding_parts; imported here, where
# they have always been found (imports, and pickles naming fiscalrules.findings.Side / .RecordInfo
# / .Operand, keep working).
from .finding_parts import Operand, RecordInfo, Side, cell_context, figure_name, plain, printed_at, row_code, where
from .nodebase import NEW_DICT, NEW_LIST, Mutable
from .values import library_context

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    import os
    from typing import Any
    from .localise import Explanation, Localisation

__all__ = ["Status", "Side", "RecordInfo", "Operand", "Finding", "Report", "SEVERITY_RANK", "STATUSES", "figure_name",
           "where", "cell_context", "row_code", "printed_at"]


class Status:
    """Finding statuses (plain strings, so they serialise as themselves)."""

    PASS = "pass"
    ROUNDING = "pass_rounding"
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"
    NOT_EVALUABLE = "not_evaluable"
    ERROR = "error"


STATUSES = (Status.PASS, Status.ROUNDING, Status.FAIL, Status.NOT_APPLICABLE, Status.NOT_EVALUABLE,
            Status.ERROR)
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
STATUS_RANK = {Status.ERROR: 0, Status.FAIL: 1, Status.NOT_EVALUABLE: 2, Status.ROUNDING: 3,
               Status.NOT_APPLICABLE: 4, Status.PASS: 5}


_DETAIL_FIELDS = ("op", "left", "right", "difference", "tolerance", "unit", "operands", "suggestion")


class _RuleFacts:
    """The rule's side of a finding: its id, titles, severity and tags.  A finding the
    evaluator decides holds its compiled rule here instead, which answers the same names."""

    __slots__ = ("id", "title", "title_en", "severity", "tags")

    def __init__(self, id: str, title: str | None, title_en: str | None, severity: str, tags: tuple[str, ...]):
        self.id, self.title, self.title_en, self.severity, self.tags = id, title, title_en, severity, tags


class _More:
    """What a finding holds beyond its identity and its rule: its reason and missing figures,
    its details and messages (given, or worked out when first read) and what localisation
    said of it.  Made with the finding, or -- a pass the evaluator decided -- when first needed."""

    __slots__ = ("reason", "missing", "details", "texts", "made", "cache", "likely_wrong", "unexplained")

    def __init__(self, reason: str | None, missing: tuple[str, ...], details: Any, texts: Any,
                 cache: dict[str, Any] | None) -> None:
        self.reason, self.missing, self.details, self.texts = reason, missing, details, texts
        self.made: tuple[str, ...] | None = None   # the messages, once made by a *texts* callable
        self.cache = cache
        # The most likely explanations of this failure's group, once the report is localised.
        self.likely_wrong: tuple[Explanation, ...] = ()
        self.unexplained: str | None = None   # (set only by Report.localise)


class Finding:
    """The verdict of one rule on one record (or one row of it).

    Identity and verdict (record, rule, item, severity, status, reason, missing …) are set when
    the finding is made.  The details -- both sides, difference, tolerance, operands, suggestion
    and the messages -- are either given, or worked out on first use by a *details* callable:
    most findings of a large run are passes nobody reads, and making their details is the
    dearest part of evaluation.

    A finding is five slots: its record, status and item, its rule's facts (shared by the
    rule's findings) and the rest (:class:`_More`).  A batch keeps every finding, one per check,
    and the garbage collector walks every slot of each while the batch runs: twenty slots per
    pass were most of its work.
    """

    __slots__ = ("record", "status", "item", "_rule", "_more")

    def __init__(self, record: str, rule: str, title: str | None, severity: str, status: str, *,
                 item: str | None = None, reason: str | None = None, missing: Iterable[str] = (),
                 title_en: str | None = None, tags: Iterable[str] = (),
                 details: Callable[[], dict[str, Any]] | None = None,
                 texts: tuple[str, ...] | Callable[[Finding], Iterable[str]] = ("", ""), **given: Any) -> None:
        self.record, self.status, self.item = record, status, item
        self._rule = _RuleFacts(rule, title, title_en, severity, tuple(tags))
        if given:  # (most findings are made with their details left lazy)
            unknown = set(given) - set(_DETAIL_FIELDS)
            if unknown:
                raise TypeError(f"unknown finding fields: {', '.join(sorted(unknown))}")
        self._more = _More(reason, tuple(missing), details, texts, given if details is None else None)

    @property
    def rule(self) -> str:
        """The rule's id."""
        return self._rule.id

    @property
    def title(self) -> str | None:
        """The rule's title (Chinese)."""
        return self._rule.title

    @property
    def title_en(self) -> str | None:
        """The rule's English title."""
        return self._rule.title_en

    @property
    def severity(self) -> str:
        """The rule's severity: ``error``, ``warning`` or ``info``."""
        return self._rule.severity

    @property
    def tags(self) -> tuple[str, ...]:
        """The rule's tags."""
        return self._rule.tags

    @property
    def reason(self) -> str | None:
        """Why the rule could not be decided (or does not apply), or None."""
        return self._more.reason

    @property
    def missing(self) -> tuple[str, ...]:
        """The figures the rule needed and the record lacks."""
        return self._more.missing

    @property
    def likely_wrong(self) -> tuple[Explanation, ...]:
        """The most likely explanations of this failure's group, once its report is localised."""
        more = self._more
        return () if more is None else more.likely_wrong

    @likely_wrong.setter
    def likely_wrong(self, explanations: tuple[Explanation, ...]) -> None:
        self._more_made().likely_wrong = explanations

    @property
    def unexplained(self) -> str | None:
        """Why localisation could not explain this failure (set by :meth:`Report.localise`), or None."""
        more = self._more
        return None if more is None else more.unexplained

    @unexplained.setter
    def unexplained(self, reason: str | None) -> None:
        self._more_made().unexplained = reason

    def _more_made(self) -> _More:
        return self._more

    def _detail(self, name: str) -> Any:
        more = self._more
        cache = more.cache
        if cache is None:
            assert more.details is not None
            with library_context():  # worked out when read, perhaps under the caller's context
                cache = more.cache = more.details()
        return cache.get(name, () if name == "operands" else None)

    @property
    def op(self) -> str | None:
        """The comparison of the assertion (``=``, ``<=``, ``in`` …), or None."""
        return self._detail("op")

    @property
    def left(self) -> Side | None:
        """The left side as compared: its value, interval, unit and source text."""
        return self._detail("left")

    @property
    def right(self) -> Side | None:
        """The right side as compared."""
        return self._detail("right")

    @property
    def difference(self) -> Decimal | None:
        """Left minus right, in the finding's unit (None where there is no difference to show)."""
        return self._detail("difference")

    @property
    def tolerance(self) -> Decimal | None:
        """The difference allowed (rounding of the printed figures, plus any ``within``)."""
        return self._detail("tolerance")

    @property
    def unit(self) -> str | None:
        """The unit of both sides, the difference and the tolerance."""
        return self._detail("unit")

    @property
    def operands(self) -> tuple[Operand, ...]:
        """Every figure the finding involved, with where it was printed."""
        return tuple(self._detail("operands"))

    @property
    def suggestion(self) -> str | None:
        """What would make this failure hold: once its report is localised
        (:meth:`Report.localise`), the most likely explanation(s) of its group, each figure named
        by label, row code and printed line (``“三公”经费（第328行）：12.50 → 10.50 万元``); before
        that, for a failed equality whose left side is one figure, the value that would balance it
        (``收入预算总额（第12行） = 383.03 万元``)."""
        return self.suggestion_text("zh")

    def suggestion_text(self, lang: str = "zh") -> str | None:
        """:attr:`suggestion` in *lang* (``"zh"`` or ``"en"``: explanations are worded in both).
        Once localised, a failure whose group has no explanation says why, not the value that
        would balance the rule's left-hand figure: which figure sits on the left is how the rule
        was written, and the localiser has just said it cannot tell."""
        if self.likely_wrong:
            from .localise.explain import suggestion_text
            # a warning's rule may not hold for good reasons: its suggestion says "if"
            return suggestion_text(self.likely_wrong, lang, conditional=self.severity != "error")
        reason = self.unexplained   # (set only by Report.localise)
        if reason is not None:
            if reason == "not_linear" and self._detail("suggestion") is None:
                return None     # a rule on texts: nothing to suggest, nothing to explain
            from .localise.explain import unexplained_text
            return unexplained_text(reason, lang)
        return self._detail("suggestion")

    def _work_out(self) -> None:
        """The details and the messages made if not made yet (in the library's decimal context:
        the caller's)."""
        more = self._more
        if more.cache is None:
            assert more.details is not None
            more.cache = more.details()
        if more.made is None and callable(more.texts):
            more.made = tuple(more.texts(self))

    @property
    def _rendered(self) -> tuple[str, ...]:
        more = self._more
        texts = more.texts
        if callable(texts):
            made = more.made
            if made is None:
                with library_context():
                    made = more.made = tuple(texts(self))
            return made
        return texts

    def forget_details(self) -> None:
        """Let go of the details and messages worked out so far, where they can be worked out
        again: a streamed batch writes each finding once, and a record of a million rows would
        otherwise keep a few kilobytes of them per finding until the record is done."""
        more = self._more
        if more is None:
            return
        if more.details is not None:
            more.cache = None
            forget = getattr(more.details, "forget", None)
            if forget is not None:
                forget()
        more.made = None

    @property
    def message(self) -> str:
        """The message in Chinese."""
        return self._rendered[0]

    @property
    def message_en(self) -> str:
        """The message in English."""
        return self._rendered[1]

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its details and messages worked out: what would work them out later is a
        closure over a compiled rule and a record, which pickle cannot carry."""
        details = {name: self._detail(name) for name in _DETAIL_FIELDS}
        state = ((self.record, self.rule, self.title, self.severity, self.status),
                 dict(item=self.item, reason=self.reason, missing=self.missing, title_en=self.title_en,
                      tags=self.tags, texts=self._rendered, **details), self.likely_wrong,
                 self.unexplained)
        return (_unpickle_finding, state)

    def _key(self) -> tuple[Any, ...]:
        return (self.record, self.rule, self.item, self.severity, self.status, self.reason, self.missing,
                self.op, self.left, self.right, self.difference, self.tolerance, self.unit, self.operands)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.record, self.rule, self.item, self.status))

    def __repr__(self) -> str:
        item = f"[{self.item}]" if self.item else ""
        return f"Finding({self.record!r}, {self.rule}{item}, {self.status})"

    @property
    def failed(self) -> bool:
        """True when the status is ``fail``."""
        return self.status == Status.FAIL

    def text(self, lang: str = "zh") -> str:
        """The message in *lang* (``"zh"`` or ``"en"``)."""
        return self.message_en if lang == "en" and self.message_en else self.message

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (``--format json``): every field, decimals as strings."""
        # The details read straight from their dict (made once, as the properties would): a
        # report's JSON holds every finding, passes included, and twelve property calls each
        # were a third of laying one out.
        more = self._more
        if more is None or more.cache is None or (more.made is None and callable(more.texts)):
            with library_context():   # (once for both: entering it is a tenth of a pass's dict)
                self._work_out()
            more = self._more
        get = more.cache.get   # type: ignore[union-attr]  (made by _work_out)
        message, message_en = self._rendered[:2]
        left, right = get("left"), get("right")
        data: dict[str, Any] = {
            "record": self.record, "rule": self.rule, "item": self.item, "title": self.title,
            "title_en": self.title_en, "severity": self.severity, "status": self.status,
            "message": message, "message_en": message_en, "op": get("op"),
            "left": left.to_dict() if left else None,
            "right": right.to_dict() if right else None,
            "difference": plain(get("difference")), "tolerance": plain(get("tolerance")),
            "unit": get("unit"), "reason": self.reason, "missing": list(self.missing),
            "suggestion": self.suggestion_text("zh") if self.status == Status.FAIL else get("suggestion"),
            "tags": list(self.tags),
            "operands": [o.to_dict() for o in get("operands", ())],
        }
        if self.likely_wrong:
            data["likely_wrong"] = [e.to_dict() for e in self.likely_wrong]
        return data


def _unpickle_finding(args: tuple[Any, ...], fields: dict[str, Any],
                      likely_wrong: tuple[Explanation, ...] = (), unexplained: str | None = None) -> Finding:
    finding = Finding(*args, **fields)
    # A localised report travels with its explanations: the copy's report keeps its localisation
    # cache, so they would not be worked out again.
    finding.likely_wrong = likely_wrong
    if unexplained is not None:
        finding.unexplained = unexplained
    return finding


def _item_key(item: str | None) -> tuple[int, str]:
    if item is None:
        return (0, "")
    return (1, item.zfill(12) if item.isdigit() else item)


def summary_block(findings: Iterable[Finding] | Counter[str]) -> dict[str, int]:
    """A summary's counts (``Report.summary``): items, then how many of each status; of findings,
    or of a Counter of statuses (a streamed batch keeps counts, not findings)."""
    counts = findings if isinstance(findings, Counter) else Counter(f.status for f in findings)
    return {"items": sum(counts.values()), **{s: counts.get(s, 0) for s in STATUSES}}


class Report(Mutable):
    """The findings of one run, ordered by record (input order), rule id, then row."""

    __slots__ = _fields = ("findings", "records", "ruleset", "_inputs", "_localised")
    _uncompared = _unshown = ("_inputs", "_localised")
    _attrs_made = ("define", {})

    def __init__(self, findings: list[Finding] = NEW_LIST, records: list[RecordInfo] = NEW_LIST,  # type: ignore[assignment]
                 ruleset: str | None = None,
                 inputs: dict[str, list[tuple[Any, Any]]] = NEW_DICT,  # type: ignore[assignment]
                 localised: dict[str, list[Localisation]] = NEW_DICT) -> None:  # type: ignore[assignment]
        self.findings = [] if findings is NEW_LIST else findings
        self.records = [] if records is NEW_LIST else records   # in input order
        self.ruleset = ruleset
        # What localisation needs: record id → [(Ruleset, Record)] evaluated (set by Ruleset.evaluate).
        self._inputs = {} if inputs is NEW_DICT else inputs
        self._localised = {} if localised is NEW_DICT else localised

    def extend(self, other: Report) -> None:
        """Append another report's findings and records."""
        self.findings.extend(other.findings)
        self.records.extend(other.records)
        self.add_inputs(other)

    def add_inputs(self, other: Report) -> None:
        """Take over what *other* needs to localise its findings (when merging reports)."""
        for record_id, inputs in other._inputs.items():
            self._inputs.setdefault(record_id, []).extend(inputs)

    def add_input(self, record_id: str, ruleset: Any, record: Any) -> None:
        """Remember the ruleset and the record a record's findings came from (for :meth:`localise`)."""
        self._inputs.setdefault(record_id, []).append((ruleset, record))

    def localise(self, record_id: str | None = None) -> list[Localisation]:
        """Which figures are most likely wrong, and what they should be: for each group of
        failures of a record (failures sharing figures), the smallest sets of figures whose
        change makes every rule of the ruleset hold, with exact suggested values, ranked (see
        :mod:`fiscalrules.localise`).  One :class:`~fiscalrules.localise.Localisation` per
        group, records in input order; worked out once per record.  Each failure covered gets
        its group's most likely explanations as ``likely_wrong`` (and its ``suggestion`` says
        them).  A report not made by ``Ruleset.evaluate`` has nothing to localise."""
        from .localise import localise_record
        if record_id is not None:
            ids = [record_id]
        else:
            ids = [info.id for info in self.records]
            ids += [rid for rid in self._inputs if rid not in set(ids)]
        out: list[Localisation] = []
        grouped = None   # the findings by record, grouped once for the records still to localise
        for rid in ids:
            found = self._localised.get(rid)
            if found is None:
                if grouped is None:
                    grouped = self.findings_by_record()
                findings = grouped.get(rid, [])
                found = []
                for ruleset, record in self._inputs.get(rid, ()):
                    own = {rule.id for rule in ruleset.rules}
                    found.extend(localise_record(ruleset, record, [f for f in findings if f.rule in own], rid))
                self._localised[rid] = found
                by_failure = {label: loc for loc in found for label in loc.failures}
                for f in findings:
                    label = f.rule + (f"[{f.item}]" if f.item else "")
                    loc = by_failure.get(label) if f.status == Status.FAIL else None
                    if loc is not None:
                        # (of partial explanations, only those that make this failure hold)
                        f.likely_wrong = loc.best_for(label)
                        if not f.likely_wrong:
                            f.unexplained = loc.reason or "not_modelled"
            out.extend(found)
        return out

    def sorted_findings(self) -> list[Finding]:
        """Findings by record (input order), rule id, then row (numeric codes numerically)."""
        order = {info.id: i for i, info in enumerate(self.records)}
        return sorted(self.findings, key=lambda f: (order.get(f.record, len(order)), f.rule, _item_key(f.item)))

    @property
    def failures(self) -> list[Finding]:
        """The ``fail`` findings, sorted."""
        return [f for f in self.sorted_findings() if f.status == Status.FAIL]

    @property
    def errors(self) -> list[RecordInfo]:
        """The records that could not be read."""
        return [r for r in self.records if r.error]

    def counts(self, findings: Iterable[Finding] | None = None) -> Counter[str]:
        """How many findings (of the report, or *findings*) have each status."""
        return Counter(f.status for f in (self.findings if findings is None else findings))

    def summary(self) -> dict[str, Any]:
        """Per-rule and per-record counts of items, passes, rounding passes, failures … (like R
        validate's ``summary(confront(...))``)."""
        block = summary_block
        # The statuses counted per rule and per record in one pass (Counter counts in C); the
        # order the findings come in changes no count.
        by_rule: dict[str, Counter[str]] = {}
        by_record: dict[str, Counter[str]] = {}
        for (rule, record, status), n in Counter([(f.rule, f.record, f.status) for f in self.findings]).items():
            counts = by_rule.get(rule)
            if counts is None:
                counts = by_rule[rule] = Counter()
            counts[status] += n
            counts = by_record.get(record)
            if counts is None:
                counts = by_record[record] = Counter()
            counts[status] += n
        return {
            "rules": {rule: block(counts) for rule, counts in sorted(by_rule.items())},
            "records": {info.id: {**block(by_record.get(info.id, Counter())), "unread": len(info.unread),
                                  "read_error": info.error}
                        for info in self.records},
            "total": block(self.findings),
        }

    def findings_by_record(self, findings: Iterable[Finding] | None = None) -> dict[str, list[Finding]]:
        """The findings grouped by record id, each group in the report's order (or in the order of
        *findings*, e.g. :meth:`sorted_findings`): what a renderer hands to :meth:`suspects` and
        :meth:`nothing_checked` record by record, which would otherwise scan every finding of the
        report once per record (quadratic in a batch)."""
        groups: dict[str, list[Finding]] = {}
        for f in self.findings if findings is None else findings:
            groups.setdefault(f.record, []).append(f)
        return groups

    def suspects(self, record_id: str, limit: int = 5, *,
                 findings: Iterable[Finding] | None = None) -> list[dict[str, Any]]:
        """Figures most likely at fault in a record: those involved in two or more failures and in
        more failures than exact passes, most failures first.  A total that disagrees with several
        independent sums is a stronger suspect than each of their parts.  Each is a dict: ``path``,
        ``label``, ``value`` (as read), ``unit``, ``source``, ``failures`` and ``passes`` (how many
        findings of each it is in) and ``rules`` (the failed rules, with their rows).  *findings*:
        the record's findings in the report's order, when the caller has them
        (:meth:`findings_by_record`); by default the report's are searched."""
        failed: dict[str, tuple[Operand, list[str]]] = {}
        passed: Counter[str] = Counter()
        for f in self.findings if findings is None else findings:
            if f.record != record_id:
                continue
            if f.status == Status.FAIL:
                for op in f.operands:
                    failed.setdefault(op.path, (op, []))[1].append(f.rule + (f"[{f.item}]" if f.item else ""))
            elif f.status == Status.PASS:
                for op in f.operands:
                    passed[op.path] += 1
        ranked = sorted(((len(rules), -passed[path], path, op, rules) for path, (op, rules) in failed.items()
                         if len(rules) >= 2 and len(rules) > passed[path]), key=lambda t: (-t[0], -t[1], t[2]))
        return [{"path": path, "label": op.label, "value": op.value, "unit": op.unit, "source": op.source,
                 "failures": count, "passes": -neg_passes, "rules": rules}
                for count, neg_passes, path, op, rules in ranked[:limit]]

    def nothing_checked(self, record_id: "str | RecordInfo | None" = None, *,
                        findings: Iterable[Finding] | None = None) -> bool:
        """True when no rule could be checked for *record_id* (a record id or its
        :class:`RecordInfo`; any record of the run when None): every finding not applicable or not
        evaluable, or none at all, or no key of the record a declared field -- never a clean run.
        Going record by record, pass the RecordInfo and its *findings* (:meth:`findings_by_record`):
        by id, the report's records and findings are searched on every call."""
        if isinstance(record_id, RecordInfo):
            info, record_id = record_id, record_id.id
            infos = [] if info.error else [info]
        else:
            infos = [r for r in self.records if not r.error and (record_id is None or r.id == record_id)]
        if infos and all(r.figure_count and len(r.unknown_keys) >= r.figure_count for r in infos):
            return True  # no key of the record(s) is a declared field: whatever passed, passed on defaults
        checked = (Status.PASS, Status.ROUNDING, Status.FAIL, Status.ERROR)
        return not any(f.status in checked for f in (self.findings if findings is None else findings)
                       if record_id is None or f.record == record_id)

    def worst_severity(self, statuses: Iterable[str] = (Status.FAIL, Status.ERROR)) -> str | None:
        """The most serious severity among findings with those statuses, or None."""
        statuses = tuple(statuses)
        ranks = [SEVERITY_RANK.get(f.severity, 2) for f in self.findings if f.status in statuses]
        if not ranks:
            return None
        return {v: k for k, v in SEVERITY_RANK.items()}[min(ranks)]

    # -- output (see reporters)
    def to_table(self, lang: str = "zh", *, show_passes: bool = False, localise: bool = True) -> str:
        """The report for people: failures first by severity, with both sides and every figure,
        and the figures most likely wrong (unless *localise* is False)."""
        from .reporters import render_table
        return render_table(self, lang=lang, show_passes=show_passes, localise=localise)

    def to_json(self, lang: str = "zh", *, localise: bool = True) -> str:
        """The report as one JSON object: summary, records (suspects included) and findings. (and the localisation, unless *localise* is False)."""
        from .reporters import render_json
        return render_json(self, lang=lang, localise=localise)

    def to_jsonl(self, lang: str = "zh", *, localise: bool = True) -> str:
        """One JSON finding per line. (and the localisation, unless *localise* is False)."""
        from .reporters import render_jsonl
        return render_jsonl(self, lang=lang, localise=localise)

    def to_csv(self, lang: str = "zh", *, localise: bool = True) -> str:
        """One row per finding, for spreadsheets (with a byte-order mark for Excel). (and the localisation, unless *localise* is False)."""
        from .reporters import render_csv
        return render_csv(self, lang=lang, localise=localise)

    def to_sarif(self, lang: str = "zh", rulesets: Sequence[Any] = (), *, artifact: str | os.PathLike[str] | None = None) -> str:
        """The report as a SARIF 2.1.0 log for code-scanning tools (see :mod:`.report_sarif`);
        pass the rulesets to describe each rule with its description and reference, and
        *artifact*, the file records given as mappings or a DataFrame were read from, to locate
        their results there (code scanning wants a file for every result)."""
        from .report_sarif import render_sarif
        return render_sarif(self, lang=lang, rulesets=rulesets, artifact=artifact)

    def to_html(self, lang: str = "zh", documents: Mapping[str, str] | None = None, *,
                read_from: Any = ()) -> str:
        """The report as one self-contained HTML page: each document's text with the figures of
        failing findings highlighted and linked to them (see :mod:`.report_html`; needs
        ``fiscalrules[html]``).  *documents* maps a record's document path (or its file name) to
        its text.  A document not in it is read from disk only when it is one of *read_from* (a
        path, or an iterable of them) or inside one of its folders: a record names its document
        itself, and a page made of records from elsewhere would otherwise carry any text or PDF
        file they name."""
        from .report_html import render_html
        return render_html(self, lang=lang, documents=documents, read_from=read_from)

    def to_pandas(self, lang: str = "zh") -> Any:
        """The findings as a pandas DataFrame, one row per finding (needs ``fiscalrules[pandas]``)."""
        from .report_frames import to_pandas
        return to_pandas(self, lang)

    def to_arrow(self, lang: str = "zh") -> Any:
        """The findings as a pyarrow Table, one row per finding (needs ``fiscalrules[arrow]``)."""
        from .report_frames import to_arrow
        return to_arrow(self, lang)

"""Amount, change and percentage phrases of the narrative, found in a :class:`~.text.Stream`.

The template writes every figure as ``<label> <number><unit>`` optionally followed by its change
against last year ("较上年预算安排增加 10.05 万元", "比上年减少0.03万元", "比 2024 年预算增加 20.23
万元，增长 2.09%", "增加（减少）0 万元", "与上年持平"). :func:`scan` turns a stream span into a list
of :class:`Phrase` objects (label, value, unit, signed change and percentage, span) without
deciding what the figure *is*: mapping labels to record paths is the section readers' job.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ...document.stream import Stream
from .twin_figures import TWIN_AFTER, other_unit, second_is_held

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Iterable

__all__ = [
    "NUMBER", "UNIT", "WAN_YUAN", "MONEY_UNIT", "COUNT_UNITS", "AMOUNT", "Phrase", "scan", "number_value", "signed", "word_signed_magnitude", "decimal_amount", "clean_label",
    "overlaps", "in_coarser_unit", "change_in_unit", "carries", "SHARE_WORDS", "SHARE_LABEL", "share_label", "CHANGE_WORD_TAIL", "SAID_ZERO", "NONE_THAT_YEAR",
]

# What is said to be 0 ("…支出为 0", "…均为零", "…为 0.00 万元" -- the figure the group ``zero``): a fund
# of both templates none; not "为 0.50", nor a rate "为 0%"
SAID_ZERO = r"为(?:(?P<zero>0(?:\.0+)?)(?![\d.])|零)(?!\s*[%％])"

# Thousands separators are "," (also a normalised "，") or a space, always before exactly three
# digits; anything else is two numbers.  The pattern starts with its first digit, the look back
# (no digit or point before it) checked after it: the same matches as "(?<![\d.])\d…", but re's
# search then skips to the next digit in C, where a pattern starting with a look back is tried
# at every character -- half the time of every search for an amount, and readers search each line.
NUMBER = r"\d(?<![\d.]\d)(?:\d{0,2}(?:[, ]\d{3})+(?!\d)|\d*)(?:\.\d+)?(?![\d])"
# A bare "万" ends an amount only before punctuation or a bracket ("项目总预算 1720.00 万，其中…",
# "国内公务接待支出 2.40 万（含外宾接待支出…）"): it is 万元 there; "万人" / "万平方米" are not money.
# The fragment takes the text as printed and as normalised (full-width punctuation or ASCII), so a
# reader's own sentence patterns use it wherever they say 万元.
WAN_YUAN = r"(?:万元|万(?=[,;:。、()\s，；：（）]|$))"
# Any money unit a figure is printed in (no count, no percentage)
MONEY_UNIT = rf"(?:{WAN_YUAN}|亿元|千元|元)"
UNIT = rf"(?:{MONEY_UNIT}|人|辆|台|个|%|次|场|项|户|家|套|件|名)"
# The units above that count things (people, vehicles, units, items) rather than measure money.
COUNT_UNITS = frozenset("人辆台个次场项户家套件名")
AMOUNT = re.compile(rf"(?P<number>{NUMBER}) ?(?P<unit>{UNIT})")

# "较上年预算安排", "比上年", "比 2024 年预算", "较上年", "同比", "与上年相比", "较上年同期"
# The prior year is named as 上年 or by its number, its figure as the budget (预算, 年初预算, 预算安排)
# or the budget's execution (预算执行数, 当年预算执行数): "比 2024 年预算执行数增加 24,558.18 万元",
# or its final accounts (决算数: "比上年决算数减少 2.00 万元").
_PRIOR_YEAR = r"(?:上年度?|上一年度?|去年|\d{4}年度?)"
# On the same basis (同口径) or against the adjusted budget (调整后预算, 调整预算): "比上年同口径增加",
# "较上年调整后预算减少".
# Whose budget, where it says: "较上年部门预算增加", "比 2024 年单位预算数减少".
_PRIOR_FIGURE = (r"(?:同期|同口径)?(?:当年)?(?:年初|调整后|调整)?(?:(?:部门|单位)(?=预算))?(?:预算|预算数|初|决算)?"
                 r"(?:执行数|执行)?(?:安排)?(?:数)?")
_COMPARATOR = (rf"(?:(?:较|比){_PRIOR_YEAR}{_PRIOR_FIGURE}"
               rf"|同比|与{_PRIOR_YEAR}{_PRIOR_FIGURE}相比,?)")
_INCREASE = ("增加(减少)", "增加/减少", "增长", "增加", "新增", "提高", "上升", "增幅", "增")
_DECREASE = ("减少(增加)", "减少/增加", "下降", "减少", "压减", "缩减", "降低", "降幅", "减幅", "减")
_WORD = "|".join(re.escape(w) for w in sorted(_INCREASE + _DECREASE, key=len, reverse=True))
# ("减少了 0.50 万元": the word and its particle; "增长率为 7.2%", "增长比例为 7.2%", "增幅达 7.2%": a
# rate, then its verb -- never "增加为 X", increased *to* X)
# What may follow a change word before its number: its particle, or a rate's verb (shared with the
# 决算's template sentences, readers/final_accounts/narrative.py)
CHANGE_WORD_TAIL = r"(?:了|(?:率|比例|百分比)(?:为|是|达)?|(?<=幅)(?:为|是|达))?"
# "比上年多 50.00 万元", "较上年预算少 3.60 万元", "比上年少了 2 辆": 多 / 少 say a change only after a
# comparator -- alone they end other words ("至少 5 人", "较多") -- so they are a second alternative
# that requires one.
_COMPARATIVE = ("多", "少")
_CHANGE_BEFORE = re.compile(rf"(?:(?P<cmp>{_COMPARATOR})?(?P<word>{_WORD}){CHANGE_WORD_TAIL}"
                            rf"|(?P<cmp_bare>{_COMPARATOR})(?P<bare>{'|'.join(_COMPARATIVE)})了?):?$")
# The words that make a change negative.
_DECREASING = frozenset(_DECREASE + ("少",))
# Last year's figure named before its number: "比2024年预算数 X 万元", "上年预算为 X 万元", "上年执行数 X 万元"
_STATED_PRIOR = re.compile(rf"^[,;]?(?:(?:较|比){_PRIOR_YEAR}{_PRIOR_FIGURE}|{_PRIOR_YEAR}(?:预算|预算数|执行数|预算执行数)(?:为|是)?)$")
_FLAT = re.compile(rf"(?:与|和|同){_PRIOR_YEAR}{_PRIOR_FIGURE}(?:相比,?)?(?:持平|保持一致|一致|相同|相当)"
                   rf"|(?:较|比){_PRIOR_YEAR}{_PRIOR_FIGURE}(?:无增减|无变化|没有变化|未发生变化|未变化|不变|持平)"
                   r"|同比(?:无增减|无变化|持平)")
# What a year is said to have had none of, after it ("2025 年未安排", "上年无此项预算")
NONE_THAT_YEAR = r"(?:未安排|未列支|没有安排|无此项(?:预算)?|无该项(?:预算)?)"
# Last year named as having had none of it ("因公出国（境）费 8.00 万元，2025 年未安排", "上年无此项预算"): the
# change is the whole figure (last year's 0)
_NEW_THIS_YEAR = re.compile(rf"{_PRIOR_YEAR}(?:预算)?{NONE_THAT_YEAR}")
# Clause boundaries; an item enumerator ("(6)年度预算安排", "6)") starts a new clause too.
# ("收入、支出预算总计" is one name: the 、 between 收入 and 支出 joins them; so does the one in
# "财政拨款收、支总预算均为", 天津)
_BOUNDARY = re.compile(r"[,;。:!?]|(?<!收入)(?<!收)、|(?<=收入)、(?!支出)|(?<=收)、(?!支)|其中|包括"
                       r"|(?<![\d.,])\(?\d{1,2}\)(?=[\u4e00-\u9fff])")
# (what may stand between a figure and its change or percentage: punctuation, or a bracket opening
# on the change itself -- "增加 86.40 万元（增长 7.20%）")
_ONLY_PUNCTUATION = re.compile(r"^[\s,;。:、)]*\(?$")
# The text after a bracketed breakdown's last figure up to a change: the bracket closing, then
# punctuation only ("…差旅费 40.00 万元），比上年减少"): the change is the figure's before the bracket.
_BRACKET_CLOSED = re.compile(r"[^()]*\)[\s,;、)]*")
# A figure's share of a total, printed after it: "占76.52%", "占比", "占支出预算总额的", "所占比重为".
# The words of a share before its number ("占", "占比", "占本年收入合计的", "所占比重为"), in running text
# or a label (whose punctuation is normalised): a share's words stop at any punctuation
SHARE_WORDS = r"(?:所)?占(?:比重|比例|比|[^\d,;。:，；、：]{0,14}?的(?:比重|比例)?)?(?:为|是|达)?"
# A label that is a share's words alone (a share printed as a figure of its own)
SHARE_LABEL = re.compile(rf"^{SHARE_WORDS}$")
# A completion rate's words before its number, both templates': "完成预算的" (the template's), "完成年初预算的",
# "为全年预算的", "占调整预算的", "达到预算的"; "完成预算" without its 的 (四川); named, "预算完成率为", "预算执行率为".
# (No group: a fragment of the 决算 reader's patterns, whose figures are numbered groups.)
_RATE_OF = r"(?:年初|全年|调整后?)?预算数?"
COMPLETION_WORDS = (r"(?:(?:占|为|达到?)" + _RATE_OF + r"的|完成" + _RATE_OF + r"的?"
                    r"|(?:预算)?(?:完成|执行)率(?:为|是|达到?)?)")
# A label that is a completion rate's words alone
_COMPLETION_LABEL = re.compile(rf"^{COMPLETION_WORDS}$")


def share_label(of: str | None, words: str | None) -> str | None:
    """The label of a share printed as its words alone after a figure ("财政拨款收入 1,150.00 万元，
    占 89.40%"): the words said of the figure they follow -- "财政拨款收入占比", "财政拨款收入占收入预算
    总额的比例" -- not "占", which names no figure in a finding or a suggestion."""
    if not of:
        return words or None
    words = re.sub(r"(?:为|是|达)$", "", words or "")
    if words in ("", "占", "所占"):
        words = "占比"
    elif words.endswith("的"):
        words += "比例"
    return of + words


# Powers of ten of the money units: a change printed in a finer unit than its figure ("收入预算总额
# 1.29 亿元，较上年增加 86.40 万元") is carried over to the figure's unit exactly.
_MONEY_EXPONENT = {"元": 0, "千元": 3, "万元": 4, "亿元": 8}


def _closes(text: str, start: int, end: int, depth: int) -> bool:
    """Whether ``text[start:end]`` closes the *depth* brackets open, then holds punctuation only."""
    return _BRACKET_CLOSED.fullmatch(text, start, end) is not None and text.count(")", start, end) == depth


class Phrase:
    """One figure of the narrative: its label, value, unit, change, percentage and where it is.

    ``start``..``end`` covers the label through the last change or percentage clause; the
    ``number_*`` span covers just the number. ``orphan`` phrases are change clauses that could
    not be attached to a figure.
    """

    __slots__ = ("stream", "start", "end", "label_start", "number_start", "number_end", "label",
                 "raw_label", "value", "printed", "unit", "change", "pct", "orphan", "used", "against",
                 "prior", "path", "change_at", "twin")

    def __init__(self, stream: Stream, *, start: int, end: int, number_start: int,
                 number_end: int, raw_label: str, value: str, printed: str | None, unit: str,
                 orphan: bool = False):
        self.stream = stream
        self.start = start
        self.label_start = start
        self.end = end
        self.number_start = number_start
        self.number_end = number_end
        self.raw_label = raw_label
        self.label = clean_label(raw_label)
        self.value = value
        self.printed = printed
        self.unit = unit
        self.change: str | None = None
        self.pct: str | None = None
        self.orphan = orphan
        self.used = False
        # What the change is stated against, as printed ("比2024年预算执行数"), when it says.
        self.against: str | None = None
        # Last year's figure when printed with the change ("比2024年预算数1,100.00万元增加50.00万元",
        # "上年预算为104.00万元，减少4.00万元"): (value, printed, number start, number end).
        self.prior: tuple[str, str | None, int, int] | None = None
        self.path: str | None = None   # the field it was read into (RecordBuilder.put_phrase)
        # Where its change's number starts: on another line, maybe -- the sentence wrapped, or a
        # bracketed breakdown stands between them ("机关运行经费 100.00 万元（其中：办公费 60.00 万元…），
        # 比上年减少 4.00 万元") -- where coverage counts it.
        self.change_at: int | None = None
        # The same figure printed again in another unit, in brackets right after it ("23.83 亿元（238,348.14
        # 万元）"), where this phrase holds the exact printing (common.twin_figures): the other, with the
        # change printed in its unit
        self.twin: Phrase | None = None

    @property
    def text(self) -> str:
        return self.stream.excerpt(self.start, self.end)

    @property
    def lines(self) -> tuple[int, int]:
        return self.stream.lines_of(self.start, self.end)

    def trim_label_to(self, offset: int) -> None:
        """Start the phrase at *offset* (inside the label), e.g. at the keyword that named it
        when the label also holds the tail of a previous sentence."""
        if self.start <= offset < self.number_start:
            self.raw_label = self.stream.text[offset:self.number_start]
            self.label = clean_label(self.raw_label)
            self.start = offset

    def __repr__(self) -> str:
        extra = "".join(f" {k}={getattr(self, k)}" for k in ("change", "pct") if getattr(self, k))
        return f"<Phrase {self.label!r} {self.value}{self.unit}{extra}>"


def number_value(printed: str) -> tuple[str, str | None]:
    """The value of a printed number and the printed form when it differs ("15,915.97")."""
    value = printed.replace(",", "").replace(" ", "")
    if value.startswith("+"):
        value = value[1:]
    return value, (printed if value != printed else None)


def decimal_amount(value) -> Decimal | None:
    """A held figure's value ("1,234.50", "-3", a Decimal) as a Decimal; None where it is no number."""
    try:
        return Decimal(str(value).replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


def signed(value: str, word: str) -> str:
    """Apply the sign a change word carries; zero stays unsigned."""
    if word in _DECREASING and not re.fullmatch(r"[0.]+", value):
        return value[1:] if value.startswith("-") else "-" + value
    return value


def word_signed_magnitude(value: str, word: str) -> str:
    """The change a word printed before its figure says ("各减少 14.08 万元" is -14.08): the figure's
    magnitude with the word's sign.  The scanner has already signed a figure after a decreasing word
    where it took the word for a change word, so applying the word to the value as read would
    undo that sign (a decrease given as an increase: PCT-005 failed by it)."""
    return signed(value.lstrip("-"), word)


# What clean_label removes, in this order (compiled once: it cleans every label a document has).
_LABEL_NOISE = tuple(re.compile(pattern) for pattern in (
    r"^[\s,;。:、]*", r"^\d{4}年度?", r"^(?:\(?\d{1,2}[)、.]|\([一二三四五六七八九十]+\))", r"^(?:其中|包括|含)[:]?",
    r"(?:为|是|:)+$"))


def in_coarser_unit(amount: str, unit: str, target: str) -> str | None:
    """*amount* in *unit* written in the coarser money unit *target*, every digit kept; None otherwise.

    96.40 万元 in 亿元 is 0.009640: its last digit still stands for 0.01 万元, so the change keeps the
    precision it was printed with. A coarser change for a finer figure is not carried (1.2 亿元 in 万元
    would read as 12000 with a precision of 1 万元 it was never printed with).
    """
    shift = _MONEY_EXPONENT.get(target, -1) - _MONEY_EXPONENT.get(unit, 99)
    if unit not in _MONEY_EXPONENT or target not in _MONEY_EXPONENT or shift <= 0:
        return None
    from decimal import Context, Decimal   # the reader's only arithmetic: imported where it is needed
    value = Decimal(amount)
    # scaleb rounds to its context's precision: give it every digit (review 22 A7: 28 by default)
    exact = Context(prec=max(28, len(value.as_tuple().digits)))
    return format(value.scaleb(-shift, exact), "f")


def carries(unit: str, target: str) -> bool:
    """Whether a change printed in *unit* is carried over to a figure printed in *target*
    (:func:`change_in_unit`): the same unit, or a coarser money unit."""
    return unit == target or _MONEY_EXPONENT.get(target, -1) > _MONEY_EXPONENT.get(unit, 99)


def change_in_unit(amount: str, unit: str, target: str) -> str | None:
    """A change printed in *unit* as a change of a figure printed in *target*: as it is in the same
    unit, every digit carried over to a coarser one ("13.41 亿元 … 各增加 7,271.73 万元": 0.727173), else
    None (see in_coarser_unit)."""
    return amount if unit == target else in_coarser_unit(amount, unit, target)


def clean_label(raw: str) -> str:
    """The label without its enumerator ("6)"), leading 其中/包括, year, and trailing 为/是/:."""
    label = raw
    for pattern in _LABEL_NOISE:
        label = pattern.sub("", label)
    return label.strip()


# A new sentence before a change, naming what changed: "。收入预算总额较上年增加" (its words after the
# stop, in the change's own clause: at least two characters, not only a comparison's lead such as
# "与上年相比"; "。主要是项目结转,较上年增加" names nothing: the change is the last figure's, as before)
_COMPARISON_LEAD = re.compile(r"^(?:与|和|同)?.{0,12}?相比$|^同比$")
# "与上年相比", "同 2024 年预算相比": a comparison opening a sentence (before its comma)
_COMPARED_WITH = r"(?:与|和|同)[^,;:。]{0,12}?相比"
_LEAD_THEN_SUBJECT = re.compile(rf"\s*(?:{_COMPARED_WITH}\s*,|其中\s*[,:]?)\s*")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _subject(text: str, last_end: int, change_start: int, stops: str = "。") -> int | None:
    """Where a sentence starts that names the change at *change_start* after a stop (None: the
    change follows the last figure in its own sentence, or after a stop with nothing named).
    *stops*: the marks that end a clause before it ("。", and ";" in a list of such changes)."""
    stop = max(text.rfind(mark, last_end, change_start) for mark in stops)
    if stop < 0:
        return None
    words = text[stop + 1:change_start]
    # "。与上年相比，财政拨款收支总预算比上年增加…" (宁夏): the comparison's lead, then what it names; "。其中：
    # 一般公共预算拨款收入较 2025 年增加…" (湖南): a list's lead
    lead = _LEAD_THEN_SUBJECT.match(words)
    skipped = lead.end() if lead else len(words) - len(words.lstrip())
    subject = words[skipped:].strip()
    if any(c in subject for c in ",;:") or len(_CJK.findall(subject)) < 2 or _COMPARISON_LEAD.match(subject):
        return None
    return stop + 1 + skipped


_OPENING_COMPARISON = re.compile(rf"{_COMPARED_WITH}(?=\s*,\s*[^,;:。\d]+$)")


def _opening_comparison(text: str, last_end: int, change_start: int) -> str | None:
    """The comparison opening the sentence of a change printed with a bare word ("。与 2019 年相比，财政拨款
    收支总预算减少"): its words, where the sentence after the stop is that lead then a subject only."""
    stop = text.rfind("。", last_end, change_start)
    if stop < 0:
        return None
    found = _OPENING_COMPARISON.match(text[stop + 1:change_start].lstrip())
    return found.group(0) if found else None


def _change_subject(phrase: Phrase) -> tuple[str, str] | None:
    """(what it names, its comparison) of a change printed in a sentence of its own that names a
    figure the scan did not find before it ("“三公”经费预算较上年减少 0.50 万元": ("“三公”经费预算",
    "较上年")); None for any other phrase."""
    if not phrase.orphan:
        return None
    found = _CHANGE_BEFORE.search(phrase.raw_label)
    if found is None or not found.start():
        return None
    return phrase.raw_label[:found.start()], found.group("cmp") or found.group("cmp_bare") or ""


def attach_named_changes(phrases: list[Phrase], names, path_of) -> None:
    """A change in a sentence of its own naming a figure by another of its field's names ("…“三公”经费
    财政拨款安排 12.50 万元，其中：…。“三公”经费预算较上年减少 0.50 万元") is that figure's: the scan
    matches labels only as printed (:func:`_named`) and leaves such a change one of its own.  *names*:
    the section's :class:`~.labels.NameMap`; *path_of*: the path a figure's label maps to there."""
    for at, orphan in enumerate(phrases):
        named = _change_subject(orphan) if not orphan.used else None
        found = names.match(named[0], orphan.unit) if named else None
        if found is None:
            continue
        for phrase in reversed(phrases[:at]):
            carried = change_in_unit(orphan.value, orphan.unit, phrase.unit)
            if not phrase.orphan and phrase.change is None and carried is not None \
                    and path_of(phrase) == found[0].path:
                phrase.change, phrase.pct, phrase.change_at = carried, orphan.pct, orphan.number_start
                phrase.against = named[1] or None
                orphan.used = True
                break


def _named(phrases: list, name: str):
    """The latest figure read, with no change yet, whose label is *name* or ends with it ("青山县自然资源局
    收入预算总额" for "收入预算总额"), or is *name* but for whose it is ("本部门收入预算总额"); None
    when there is none -- "收入支出总计" is not "支出总计"."""
    if len(name) < 2:
        return None
    for phrase in reversed(phrases):
        if phrase.orphan or phrase.change is not None or phrase.unit == "%" or not phrase.label:
            continue
        label = phrase.label
        if label.endswith(name) or (name.endswith(label) and _WHOSE.fullmatch(name[:-len(label)])):
            return phrase
    return None


_WHOSE = re.compile(r"(?:本|我|该)?(?:部门|单位|局|委|办)?(?:\d{4}年度?)?")


def _printed_twice(first: Phrase, bracket: re.Match[str]) -> Phrase:
    """The phrase of a figure printed again in another unit in *bracket* right after it: the printing
    the field holds (common.twin_figures), the other its ``twin``; spanning both printings."""
    value, printed = number_value(bracket.group("number"))
    second = Phrase(first.stream, start=first.start, end=bracket.end(), number_start=bracket.start("number"),
                    number_end=bracket.end("number"), raw_label=first.raw_label, value=value, printed=printed,
                    unit=bracket.group("unit"))
    held, other = ((second, first) if second_is_held((first.value, first.unit), (value, second.unit),
                                                     bracket.group("approx") is not None) else (first, second))
    held.twin, held.start, held.end = other, first.start, bracket.end()
    return held


def overlaps(span: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def scan(stream: Stream, start: int = 0, end: int | None = None,
         skip: Iterable[tuple[int, int]] = ()) -> list[Phrase]:
    """Every figure phrase of ``stream[start:end]`` in order, changes attached to their figure.

    Spans in *skip* were already read by a more specific pattern and are left alone.
    """
    end = len(stream.text) if end is None else end
    skip = list(skip)
    text = stream.text
    events: list[tuple[int, str, re.Match[str]]] = []
    # (a figure printed again in another unit in brackets after it: one figure, its twin -- no phrase
    # of its own, whose label would be the bracket)
    twins: dict[int, re.Match[str]] = {}
    for match in AMOUNT.finditer(text, start, end):
        if overlaps(match.span(), skip) or any(t.start() < match.start() < t.end() for t in twins.values()):
            continue
        events.append((match.start(), "amount", match))
        twin = TWIN_AFTER.match(text, match.end()) if match.group("unit") in _MONEY_EXPONENT or match.group("unit") == "万" else None
        if twin is not None and other_unit(match.group("unit"), twin):
            twins[match.start()] = twin
    for match in _FLAT.finditer(text, start, end):
        if not overlaps(match.span(), skip):
            events.append((match.start(), "flat", match))
    for match in _NEW_THIS_YEAR.finditer(text, start, end):
        if not overlaps(match.span(), skip):
            events.append((match.start(), "new", match))
    events.sort(key=lambda e: e[0])

    phrases: list[Phrase] = []
    last: Phrase | None = None
    # The figure a bracket opened after, while the bracket's own figures are read (its breakdown):
    # a change printed after the bracket closes is that figure's, not the breakdown's last item's.
    bracketed: Phrase | None = None
    floor = start
    depth = 0   # brackets open since it
    remote: Phrase | None = None   # a figure read before, named by the sentence of the change after it
    for position, kind, match in events:
        if kind == "new":
            if last is not None and last.change is None and _ONLY_PUNCTUATION.match(text[last.end:position]):
                last.change, last.against, last.change_at = last.value, match.group(0), position
                last.end = floor = match.end()
            continue
        if kind == "flat":
            if bracketed is not None and bracketed.change is None and _closes(text, last.end, position, depth):
                last, bracketed = bracketed, None   # ("…），与上年持平": the figure before the bracket's)
                last.change, last.against, last.change_at = "0", match.group(0), position
                last.end = floor = match.end()
                continue
            if last is not None and last.change is None and _ONLY_PUNCTUATION.match(
                    text[last.end:position]):
                last.change = "0"
                last.against = match.group(0)
                last.end = match.end()
                floor = match.end()
            elif last is not None and last.change is not None:
                # Restates a change already read ("增加（减少）0 万元，…与上年安排保持一致").
                floor = max(floor, match.end())
            continue
        number = match.group("number")
        unit = "万元" if match.group("unit") == "万" else match.group("unit")
        value, _ = number_value(number)
        # "printed" is the original spelling (full-width digits, separators), when it differs.
        original = stream.excerpt(match.start("number"), match.end("number"))
        printed = original if original != value else None
        if last is not None and last.prior is None and last.change is None and last.unit == unit \
                and _STATED_PRIOR.match(text[last.end:position]):
            # the figure's prior, printed before its change: kept with the figure, not a figure
            last.prior = (value, printed, match.start("number"), match.end("number"))
            last.end = match.end()
            floor = match.end()
            continue
        before = _CHANGE_BEFORE.search(text, max(floor, position - 30), position)
        comparator = (before.group("cmp") or before.group("cmp_bare")) if before is not None else None
        if before is not None and comparator is None and last is not None:
            # "…81.16 万元。与 2019 年相比，财政拨款收支总预算减少 271.39 万元" (广西): a sentence opening with the
            # comparison, then what changed, then the bare word -- a change named, as "…总预算比 2019 年减少"
            comparator = _opening_comparison(text, floor if last is remote else last.end, before.start())
        is_change = before is not None and (
            comparator is not None
            or (last is not None and _ONLY_PUNCTUATION.match(
                # (a figure named back keeps its span: its change's percentage follows the change)
                text[(floor if last is remote else last.end):before.start()])))
        if is_change:
            word = before.group("word") or before.group("bare")
            after_bracket = bracketed is not None and _closes(text, last.end, before.start(), depth)
            if after_bracket:
                last, bracketed = bracketed, None
            # (after a change named back, the next of its list after a ";" or a comma too: "。基本支出比 2025 年
            # 增加 A 万元，增长 P%；项目支出比 2025 年增加 B 万元，增长 Q%"; "…，其中基本支出较 2025 年增加 A 万元，
            # 增长 P%，项目支出较 2025 年增加 B 万元", 湖南)
            subject = _subject(text, last.end, before.start(), "。;," if last is remote else "。") \
                if last is not None and comparator else None
            if subject is not None:
                # "…上年结转 40.00 万元。收入预算总额较上年增加 86.40 万元": a sentence of its own naming
                # whose change it is -- that figure's (the last figure's change, it failed by it), or,
                # naming no figure read before, a change of its own (listed)
                last = remote = _named(phrases, clean_label(text[subject:before.start()]))
                bracketed = None
                if last is None:   # (its percentage, next, goes with it: "…增加 C 万元，增长 P%")
                    last = Phrase(stream, start=subject, end=match.end(), number_start=match.start("number"),
                                  number_end=match.end("number"), raw_label=text[subject:match.start()],
                                  value=signed(value, word), printed=printed, unit=unit, orphan=True)
                    phrases.append(last)
                    floor = match.end()
                    continue
            amount = signed(value, word)
            slot = "pct" if unit == "%" else "change"
            # A change is in its figure's unit; a percentage goes with any figure.
            # (a figure printed in two units: a change printed in the unit of the printing not held is that
            # printing's -- carried to the held one's finer unit it would claim digits never printed -- and
            # so is the percentage after it)
            target = last.twin if last is not None and last.twin is not None and last.change is None and (
                last.twin.unit == unit if slot == "change" else last.twin.change is not None) else last
            fits = target is not None and getattr(target, slot) is None and (
                slot == "pct" or target.unit == unit)
            if not fits and slot == "change" and target is not None and target.change is None:
                carried = change_in_unit(amount, unit, target.unit)
                if carried is not None:
                    fits, amount = True, carried
            if fits:
                setattr(target, slot, amount)
                if slot == "change" and comparator:
                    target.against = comparator
                if slot == "change":
                    target.change_at = match.start("number")
                if last is not remote:   # (a figure named back keeps its span: phrases stay in order)
                    last.end = match.end()
            else:
                orphan = Phrase(stream, start=before.start(), end=match.end(),
                                number_start=match.start("number"), number_end=match.end("number"),
                                raw_label=text[before.start():match.start()], value=amount,
                                printed=printed, unit=unit, orphan=True)
                phrases.append(orphan)
            floor = match.end()
            continue
        if last is not None:   # a bracket opened after the last figure holds its breakdown
            since = last.end if last is not remote else floor   # (a figure named back: from its change)
            opened = text.count("(", since, position) - text.count(")", since, position)
            if bracketed is not None:
                depth += opened
                if depth <= 0:
                    bracketed = None
            elif opened > 0:
                bracketed, depth = last, opened
        window_start = max(floor, last.end if last else start)
        boundary = None
        for b in _BOUNDARY.finditer(text, window_start, position):
            boundary = b
        label_start = boundary.end() if boundary else window_start
        if boundary is not None and boundary.group(0) == ":" and not clean_label(
                text[label_start:match.start()]):
            # "年度预算安排：50 万元": the label is the item name before the colon.
            earlier = None
            for b in _BOUNDARY.finditer(text, window_start, boundary.start()):
                earlier = b
            label_start = earlier.end() if earlier else window_start
        phrase = Phrase(stream, start=label_start, end=match.end(),
                        number_start=match.start("number"), number_end=match.end("number"),
                        raw_label=text[label_start:match.start()], value=value, printed=printed,
                        unit=unit)
        if match.start() in twins:
            phrase = _printed_twice(phrase, twins[match.start()])
        phrases.append(phrase)
        floor = phrase.end
        if unit == "%" and last is not None and last.unit != "%" \
                and (SHARE_LABEL.match(phrase.label)
                     or (_COMPLETION_LABEL.match(phrase.label) and last.change is None
                         and not _CHANGE_BEFORE.search(last.raw_label))) \
                and _ONLY_PUNCTUATION.match(text[last.end:label_start]):
            # "基本支出 880.00 万元，占76.52%，较上年增加 30.00 万元": the figure's share of a total,
            # a phrase of its own (no field takes it: listed), while the change after it is still
            # the figure's -- it was an orphan, and the figure's change went unchecked; so with the
            # share of its budget a 决算 figure completed ("公务用车购置及运行费支出 65.49 万元，完成预算的
            # 93.56%，比 2024 年度增加 24.22 万元", 深圳) -- a figure, not a difference, and still without its
            # change: after "决算为 2.35 万元，较预算减少 0.65 万元，完成预算的 78.42%；" (重庆) the change on last
            # year is not the difference's
            continue
        last, remote = phrase, None
    return phrases

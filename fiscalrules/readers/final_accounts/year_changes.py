"""The changes on last year of the 情况说明's totals and their parts: 本年收入合计 and its sources (二), 本年支出合计
and its parts (三), the 一般公共预算财政拨款基本支出 with its 人员经费 / 公用经费 (六), the 政府性基金 / 国有资本经营
spending (八、九) -- each given to the figure it belongs to, read before by the template's sentences
(:mod:`.narrative`) or by label (:mod:`.phrases`), which do not take these changes.

The template states each change in a sentence of its own after the figure and its breakdown ("。与 2024
年度相比，本年收入合计增加 C 万元，增长 P%"; of the 基本支出 with its two parts in one: "…基本支出增加 C 万元，
增长 P%，其中人员经费增加 C1 万元，增长 P1%，公用经费减少 C2 万元，下降 P2%"); regions right after the figure
("本年收入合计 X 万元，比上年增加 C 万元", "较上年", "同比").  The common scanner attaches the ones that name
their figure or follow it; a part named with its bare word ("人员经费增加 C1 万元") is a figure to it, read
here as the change of the figure its name maps to.  The funds' own figures of 八、九 ("本年收入 A 万元，本年
支出 B 万元", "政府性基金预算财政拨款支出 B 万元", and the balances beside them) are read here too: their change
names the spending.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ...document.stream import Stream
from ..common.amounts import Phrase, attach_named_changes, scan, word_signed_magnitude
from ..common.labels import Field, NameMap
from ..common.record import RecordBuilder, change_printed_at, phrase_figure
from .linking import MONEY, SECTION, Sections
from .phrases import NAMED_CHANGE, NAMES_OF
from .vocabulary import CLOSING_BALANCE, OPENING_BALANCE

__all__ = ["read_year_changes"]


def _fund(key: str, lead: str) -> NameMap:
    """八、九's figures: "本年收入 A 万元，本年支出 B 万元" in the fund's section, or named whole
    ("政府性基金预算财政拨款支出 B 万元", "…支出决算数为 B 万元"), or bare after the fund was named
    ("…政府性基金预算财政拨款收入 A 万元，支出 B 万元": a label of that word alone -- never the tail of
    "项目支出 B 万元")."""
    named = lead + r"预算财政拨款(?:本年)?"
    alone = r"(?<![\u4e00-\u9fff])"
    # (its balances beside them: "…年初结转和结余 A 万元，本年收入 …，年末结转和结余 D 万元", the fund named
    # before the first, inside it -- "年初政府性基金预算财政拨款结转和结余" -- or not: the fund's own section)
    return NameMap([Field(f"{key}.income", [r"本年度?收入(?:合计)?", named + r"收入(?:决算数?)?", alone + "收入"], MONEY),
                    Field(f"{key}.expenditure", [r"本年度?支出(?:合计)?", named + r"支出(?:决算数?)?", alone + "支出"], MONEY),
                    Field(f"{key}.opening_balance", [OPENING_BALANCE, "年初" + named + _AND_BALANCE], MONEY),
                    Field(f"{key}.closing_balance", [CLOSING_BALANCE, "年末" + named + _AND_BALANCE], MONEY)])


_AND_BALANCE = r"结转(?:和|及|与|、)?结余"


_NAMES = {**NAMES_OF, "gov_fund": _fund("gov_fund", "政府性基金"), "state_capital": _fund("state_capital", "国有资本经营")}
# the figures a section's own figures are read for (the others' figures were read before: only their changes)
_READ_HERE = ("gov_fund", "state_capital")
# the rows of a total's parts, by their paths' prefix (a part is the row of its code)
_ROWS = ("income.sources", "expenditure.parts")


def read_year_changes(builder: RecordBuilder, sections: Sections) -> None:
    """Give each figure of 二、三、六、八、九 the change on last year its section prints for it."""
    for kind, names in _NAMES.items():
        for heading, stream in sections.of(kind):
            _read_section(builder, stream, kind, names)
    # (一's "其中：本年收入合计 X 万元，较上年减少 C 万元，下降 P%；本年支出合计 …" (云南): the same figures as 二's and
    # 三's, their changes stated there only)
    for path, said in (("income.total", "overview.this_year_income"), ("expenditure.total", "overview.this_year_expenditure")):
        again = builder.get(said)
        target = _figure(builder, path)
        if isinstance(again, dict) and again.get("change") is not None and target is not None \
                and _same(target.get("value"), again.get("value")):
            source = again.get("source") or {}
            _give(target, again["change"], again.get("pct"), source.get("change_line") or source.get("line"))


def _read_section(builder: RecordBuilder, stream: Stream, kind: str, names: NameMap) -> None:
    phrases = scan(stream)

    def path_of(phrase: Phrase) -> str | None:
        found = names.match(phrase.raw_label, phrase.unit)
        return found[0].path if found else None
    # ("。本年收入合计增加 C 万元" naming the figure by another of its names: that figure's)
    attach_named_changes(phrases, names, path_of)
    for phrase in phrases:
        if phrase.orphan or phrase.unit not in MONEY:
            continue
        # (a figure named with its bare word, its amount the change: "…，其中人员经费增加 C 万元，增长 P%" -- no
        # comparison before it: the scan took it for a figure labelled "人员经费增加")
        named = NAMED_CHANGE.match(phrase.raw_label) if phrase.change is None else None
        path = path_of(phrase)
        if named is not None and path is None:
            found = names.match(named.group("lead"), phrase.unit)
            if found is not None:
                _give(_figure(builder, found[0].path), word_signed_magnitude(phrase.value, named.group("word")),
                      phrase.pct, stream.lines_of(phrase.number_start, phrase.number_end)[0])
            continue
        if path is None:
            continue
        if kind in _READ_HERE and builder.get(path) is None:
            builder.put(path, phrase_figure(phrase, SECTION), section=SECTION, lines=phrase.lines)
            continue
        target = _figure(builder, path)
        if phrase.change is not None and target is not None and _same(target.get("value"), phrase.value):
            at = phrase.change_at if phrase.change_at is not None else phrase.number_start
            _give(target, phrase.change, phrase.pct, stream.lines_of(at, at + 1)[0])


def _figure(builder: RecordBuilder, path: str) -> dict | None:
    """The figure at *path*: a field's, or the amount of the row of a total's part (``income.sources.business``:
    the source row coded ``business``)."""
    for rows in _ROWS:
        if path.startswith(rows + "."):
            code = path[len(rows) + 1:]
            row = next((r for r in builder.get(rows) or [] if isinstance(r, dict) and r.get("code") == code), None)
            path = None
            value = row.get("amount") if row else None
            break
    else:
        value = builder.get(path)
    return value if isinstance(value, dict) else None


def _give(target: dict | None, change: str, pct: str | None, line: int) -> None:
    """The change (and percentage) on *target*, where it has none yet (a figure's change is read once: the
    template's sentence's, or the first its section prints)."""
    if target is None or target.get("change") is not None:
        return
    target["change"] = change
    if pct is not None:
        target["pct"] = pct
    change_printed_at(target, line)


def _same(a, b) -> bool:
    try:
        return Decimal(str(a).replace(",", "")) == Decimal(str(b).replace(",", ""))
    except (InvalidOperation, ValueError):
        return False

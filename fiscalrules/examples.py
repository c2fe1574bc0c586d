"""Inline examples (``example pass {…}`` in a rule): the record an example names, what running
one means (:func:`example_holds`) and its result (:class:`ExampleResult`, which ``fiscalrules
test``, the pytest plugin and :meth:`.Ruleset.run_examples` report).  Running them is the
ruleset's (:mod:`.loader`)."""

from __future__ import annotations

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any
from .messages import STATUS_WORDS
from .nodebase import Frozen, setfield

__all__ = ["ExampleResult", "EXPECTATIONS", "example_holds", "example_record"]


class ExampleResult(Frozen):
    """One inline example of a rule, run: did it behave as the rule says it should?"""

    rule: str
    index: int
    expect: str
    statuses: tuple[str, ...]
    ok: bool
    file: str | None
    line: int | None
    detail: str
    detail_en: str
    __slots__ = _fields = ("rule", "index", "expect", "statuses", "ok", "file", "line", "detail", "detail_en")

    def __init__(self, rule: str, index: int, expect: str, statuses: tuple[str, ...], ok: bool, file: str | None,
                 line: int | None, detail: str = "", detail_en: str = "") -> None:
        setfield(self, "rule", rule)
        setfield(self, "index", index)
        setfield(self, "expect", expect)
        setfield(self, "statuses", statuses)
        setfield(self, "ok", ok)
        setfield(self, "file", file)
        setfield(self, "line", line)
        setfield(self, "detail", detail)
        setfield(self, "detail_en", detail_en)

    def describe(self, lang: str = "zh") -> str:
        """What the example should have done and what it did, for a person."""
        where = f"{self.file}:{self.line}" if self.file else ""
        detail = self.detail_en if lang == "en" and self.detail_en else self.detail
        if lang == "en":
            got = ", ".join(s.replace("_", " ") for s in self.statuses) or "no finding"
            text = f"rule {self.rule} example {self.index} should {self.expect.replace('_', ' ')}, got {got}"
        else:
            got = "、".join(STATUS_WORDS.get(s, (s, s))[0] for s in self.statuses) or "没有结果"
            text = f"规则 {self.rule} 的第 {self.index} 个示例应为{_EXPECT_ZH.get(self.expect, self.expect)}，实际为{got}"
        return (f"{where}: " if where else "") + text + (f"：{detail}" if lang != "en" and detail else
                                                          f": {detail}" if detail else "")


_EXPECT_ZH = {"pass": "通过", "fail": "不一致", "not_applicable": "不适用", "not_evaluable": "无法核对"}
EXPECTATIONS = tuple(_EXPECT_ZH)


def example_holds(expect: str, statuses: tuple[str, ...]) -> bool:
    """Did findings with these statuses do what an example expecting *expect* says?  ``pass``:
    every finding passes (within rounding too); ``fail``: one fails; ``not_applicable`` /
    ``not_evaluable``: every finding has that status."""
    if not statuses:
        return False
    if expect == "pass":
        return all(s in ("pass", "pass_rounding") for s in statuses)
    if expect == "fail":
        return any(s == "fail" for s in statuses)
    return all(s == expect for s in statuses)


def example_record(data: dict[str, Any], checked: Any) -> dict[str, Any]:
    """An example record as the rules read it, where it names fields as the rules may: a key that
    is a field's label (``{三公经费: 10}``) put at the field's path, and a table's rows' keys that
    are its columns' labels (``{一般公共预算支出表: [{科目编码: "201", 合计: 5}]}``) made the
    columns' names.  Keys that are paths (or anything else) are left as they are."""
    fields: dict[str, Any] = checked.fields   # (*checked*: the ruleset's CheckedRuleset)
    labels: dict[str, str] = checked.labels
    if not any(key in labels for key in data) and not any(decl.columns for decl in fields.values()):
        return data
    import copy
    out = copy.deepcopy(data)   # (the example's record is the rule's: never changed)
    for key in [key for key in out if key in labels and key not in fields]:
        *groups, last = labels[key].split(".")
        target = out
        for group in groups:
            target = target.setdefault(group, {})
            if not isinstance(target, dict):   # (a value there already: load_record says what is wrong)
                break
        else:
            target[last] = out.pop(key)
    for path, decl in fields.items():   # each table's rows, their keys by column name
        if not decl.columns:
            continue
        *groups, last = path.split(".")
        holder: Any = out
        for group in groups:
            holder = holder.get(group) if isinstance(holder, dict) else None
        rows = holder.get(last) if isinstance(holder, dict) else None
        if isinstance(rows, list):
            holder[last] = [{decl.column_named(k): v for k, v in row.items()} if isinstance(row, dict) else row
                            for row in rows]
    return out

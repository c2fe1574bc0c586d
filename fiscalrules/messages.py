"""Messages in Chinese and English: finding messages (rule templates and defaults) and the
words reports and the command line use.

A rule's ``message`` is a template: ``{left}``, ``{right}``, ``{diff}``, ``{tolerance}``, ``{op}``,
``{row}``, ``{rule}``, ``{title}``, ``{status}``, or any field path / label / ``row.column``
(filled with the figure as printed).  Without a template a default sentence per status is used.
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal

from .context import UNREAD_NOTE, unread_items
from .errors import clipped
from .translations import to_zh
from .values import MONEY_UNITS, format_decimal

__all__ = ["render_message", "word", "severity_word", "diagnostic_title", "STATUS_WORDS", "format_amount"]

STATUS_WORDS = {
    "pass": ("通过", "pass"),
    "pass_rounding": ("舍入内通过", "pass within rounding"),
    "fail": ("不一致", "fail"),
    "not_applicable": ("不适用", "not applicable"),
    "not_evaluable": ("无法核对", "not evaluable"),
    "error": ("出错", "error"),
}

SEVERITY_WORDS = {"error": ("严重", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")}

WORDS = {
    "record": ("记录", "record"),
    "rule": ("规则", "rule"),
    "row": ("行", "row"),
    "status": ("结果", "status"),
    "severity": ("级别", "severity"),
    "tags": ("标签", "tags"),
    "labels": ("名称（规则中可用）", "labels (names rules may use)"),
    "kind": ("类型", "kind"),
    "path": ("路径", "path"),
    "message": ("说明", "message"),
    "left": ("左边", "left"),
    "right": ("右边", "right"),
    "difference": ("差额", "difference"),
    "tolerance": ("允许误差", "tolerance"),
    "figures": ("涉及数字", "figures"),
    "suggestion": ("建议", "suggestion"),
    "summary": ("汇总", "summary"),
    "items": ("核对项", "items"),
    "failures": ("不一致", "failures"),
    "rounding": ("舍入差异（不计为错误）", "rounding differences (not counted as failures)"),
    "not_evaluable": ("无法核对", "not evaluable"),
    "unread": ("未读取的部分（未核对）", "unread parts (not checked)"),
    "coverage": ("读取覆盖：数字 {read}/{printed}；含金额的行 {lines}：已读 {lines_read}，列为未读取 {listed}，未说明 {silent}",
                 "coverage: figures read {read} of {printed} printed; lines with amounts {lines}: "
                 "{lines_read} read, {listed} listed as unread, {silent} silent"),
    "read_error": ("无法读取", "could not be read"),
    "no_findings": ("没有发现问题", "no problems found"),
    "lines": ("行", "lines"),
    "suspects": ("最可能有误的数字（出现在多条不一致中）", "figures most likely at fault (in several failures)"),
    "likely_wrong": ("最可能有误的数字（改动最少的数字即可使全部规则成立）",
                     "most likely wrong (the fewest figures whose change makes every rule hold)"),
    "likelihood": ("排序", "rank"),   # (not 可能性: "1" read as a probability)
    "printed": ("印出", "printed"),
    "yes": ("是", "yes"),     # a flag's value among a finding's figures
    "no": ("否", "no"),
    "suggested": ("建议改为", "should be"),
    "why": ("说明", "note"),
    "more_explanations": ("另有 {n} 个解释未列出", "{n} more explanations not listed"),
    "not_linear": ("不是数值等式或不等式，无法建议数字", "not a numeric rule: no figure to suggest"),
    "not_modelled": ("未能建立此规则的数值形式", "the rule could not be modelled"),
    "beyond_search": ("需要改动 3 个以上数字才能全部成立", "more than 3 figures would have to change"),
    "search_limit": ("搜索达到上限，未找到解释", "search limit reached without an explanation"),
    "not_verified": ("候选解释未通过复核", "no candidate passed the evaluator's check"),
    "figure": ("数字", "figure"),
    "value": ("数值", "value"),
    "where": ("位置", "where"),
    "failed_rules": ("不一致的规则", "failed rules"),
    "line": ("第{n}行", "line {n}"),
    "nothing_checked": ("没有核对任何规则：每条规则都无法核对或不适用（记录中没有规则需要的数字）",
                        "no rule could be checked: every rule was not evaluable or not applicable "
                        "(the record holds none of the figures the rules need)"),
    "unknown_keys": ("记录中没有对应字段的键（没有规则会读取）", "record keys no declared field names (no rule reads them)"),
    "label_keys": ("这些键是字段的标签而不是字段路径（如 {}），记录应按规则文件声明的字段路径给出",
                   "these keys are field labels, not paths (e.g. {}): key the record by the field paths the rule file declares"),
}


# What each diagnostic code means, for people reading ``lint`` in either language.
DIAGNOSTIC_TITLES = {
    "E100": ("语法错误", "syntax error"),
    "E101": ("缺少运算数", "missing operand"),
    "E102": ("括号未闭合", "unclosed bracket"),
    "E103": ("未知关键字", "unknown keyword"),
    "E104": ("未知规则子句", "unknown rule clause"),
    "E105": ("多余的右括号", "unmatched closing bracket"),
    "E106": ("嵌套过深", "nested too deeply"),
    "E107": ("无法读取规则文本", "unreadable rule text"),
    "E108": ("语法错误", "syntax error"),
    "E109": ("非表格字段不能有列", "columns on a non-table field"),
    "E110": ("子句重复", "duplicate clause"),
    "E111": ("未知严重级别", "unknown severity"),
    "E201": ("未知字段", "unknown field"),
    "E202": ("未知函数", "unknown function"),
    "E203": ("参数个数错误", "wrong number of arguments"),
    "E204": ("单位不匹配", "unit mismatch"),
    "E205": ("类型不匹配", "type mismatch"),
    "E206": ("规则编号重复", "duplicate rule id"),
    "E207": ("通配符或表格无匹配", "wildcard or table matches nothing"),
    "E208": ("循环引用", "include cycle"),
    "E209": ("未知占位符", "unknown placeholder"),
    "E210": ("规则缺少断言", "rule without assert"),
    "E211": ("无法引用文件", "include not found"),
    "E212": ("未知列", "unknown column"),
    "E213": ("字段或别名重复", "duplicate field or alias"),
    "E214": ("未知字段类型", "unknown field kind"),
    "E215": ("参数不合适", "bad argument"),
    "E216": ("引用层级过深", "includes nested too deep"),
    "E217": ("示例中的键重复", "a key given twice in an example"),
    "E300": ("记录有误", "malformed record"),
    "E400": ("无法读取文档", "unreadable document"),
    "E500": ("找不到规则集", "ruleset not found"),
    "E703": ("缺少可选组件", "optional extra not installed"),
}


def diagnostic_title(code: str, lang: str = "zh") -> str:
    pair = DIAGNOSTIC_TITLES.get(code)
    if pair is None:
        return ""
    return pair[1] if lang == "en" else pair[0]


def severity_word(severity: str, lang: str = "zh") -> str:
    pair = SEVERITY_WORDS.get(severity, (severity, severity))
    return pair[1] if lang == "en" else pair[0]


def word(key: str, lang: str = "zh") -> str:
    pair = WORDS.get(key) or STATUS_WORDS.get(key) or SEVERITY_WORDS.get(key) or (key, key)
    return pair[1] if lang == "en" else pair[0]


DISPLAY_DECIMALS = 4


def format_amount(value, min_decimals: int = 0) -> str:
    """A number for people: no exponent, at most four decimals (computed quotients are long),
    at least *min_decimals* (two for money)."""
    if type(value) is Decimal and value.is_finite():
        # format_decimal's text, made here for the common case (a figure: a few decimals): a
        # report formats every finding's sides, difference and tolerance for its messages.
        text = str(value)
        if "E" in text:
            text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if text == "-0" or text == "":
            text = "0"
        decimals = len(text) - 1 - text.index(".") if "." in text else 0
        if decimals < min_decimals and len(text) + min_decimals <= decimal.getcontext().prec:
            # what quantizing to min_decimals places does to a number with fewer: zeros added
            return text + ("" if decimals else ".") + "0" * (min_decimals - decimals)
        if decimals <= DISPLAY_DECIMALS and decimals >= min_decimals:
            return text
    return _format_amount(value, min_decimals)


def _format_amount(value, min_decimals: int = 0) -> str:
    """:func:`format_amount` the long way, for any value (the shortcut's reference)."""
    if not isinstance(value, Decimal):
        return "" if value is None else str(value)
    if not value.is_finite():
        return format_decimal(value)
    text = format_decimal(value)
    decimals = len(text.split(".")[1]) if "." in text else 0
    if decimals > DISPLAY_DECIMALS:
        text = format_decimal(value, DISPLAY_DECIMALS).rstrip("0")
        decimals = len(text.split(".")[1]) if "." in text else 0
        text = text.rstrip(".")
    if decimals < min_decimals:
        text = format_decimal(Decimal(text), min_decimals)
    return text


def _with_unit(value, unit) -> str:
    text = format_amount(value, 2 if unit in MONEY_UNITS else 0)
    if not unit:
        return text
    return f"{text}%" if unit == "%" else f"{text} {unit}"


# What a not-evaluable finding's Chinese message says between its title and its missing figures
# (the text report's 缺少 column takes what follows it: reporters._missing_column).
NOT_EVALUABLE_ZH = "：无法核对，缺少 "

_DEFAULTS = {
    "pass": ("{title}：一致（{left_expr} = {left}）", "{title_en}: consistent ({left_expr} = {left})"),
    "pass_compare": ("{title}：成立（{left_expr} {left} {op} {right_expr} {right}）",
                     "{title_en}: holds ({left_expr} {left} {op} {right_expr} {right})"),
    "pass_rounding": ("{title}：在舍入误差内一致（{left} 对 {right}，差 {diff}，允许 {tolerance}）",
                      "{title_en}: consistent within rounding ({left} vs {right}, difference {diff}, allowed {tolerance})"),
    "fail": ("{title}：{left_expr} 为 {left}，{right_expr} 为 {right}，相差 {diff}（允许 {tolerance}）",
             "{title_en}: {left_expr} is {left} but {right_expr} is {right}, difference {diff} (allowed {tolerance})"),
    "fail_plain": ("{title}：条件不成立", "{title_en}: the condition does not hold"),
    "fail_values": ("{title}：{left_expr} 为 {left}，{right_expr} 为 {right}",
                    "{title_en}: {left_expr} is {left} but {right_expr} is {right}"),
    "fail_member": ("{title}：{left_expr} 为 {left}，不符合 {left_expr} {op} {right_expr}",
                    "{title_en}: {left_expr} is {left}; expected {left_expr} {op} {right_expr}"),
    "pass_rounding_plain": ("{title}：在舍入误差内成立", "{title_en}: holds within rounding"),
    "not_applicable": ("{title}：不适用（{reason}）", "{title_en}: not applicable ({reason})"),
    "not_evaluable": ("{title}" + NOT_EVALUABLE_ZH + "{missing}", "{title_en}: not evaluable, missing {missing}"),
    "error": ("{title}：计算出错：{reason}", "{title_en}: evaluation error: {reason}"),
}

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

# The statuses whose message names no figure: the rule's title, the reason, the missing figures
# and the row (the default sentences of these statuses, and a rule's own template is not used).
_PLAIN_STATUSES = frozenset({"not_applicable", "not_evaluable", "error"})
_KEYS = (str, type(None))   # (a reason or row of another type is not kept)

# What a placeholder of a message template can name besides a figure (see render_message).
_FILL_KEYS = frozenset({"title", "title_en", "rule", "row", "status", "op", "left", "right", "left_expr",
                        "right_expr", "diff", "tolerance", "reason", "missing"})


# The messages of findings that compared nothing (not applicable, not evaluable, an error), by
# rule, status, reason, missing figures and row: what else they say is the rule's.  A report
# has one such finding per record for a third of its rules, and every record's say the same.
# Bounded; keyed by the rule's identity, the rule kept with them (its id is not reused).
_PLAIN_MADE: dict[tuple, tuple] = {}
_PLAIN_KEPT = 4096


def render_message(rule, values: dict, reason, missing, settings) -> tuple[str, str]:
    """The finding's message in Chinese and English."""
    status = values["status"]
    item = values.get("item")
    if status in _PLAIN_STATUSES and type(missing) is tuple and type(reason) in _KEYS and type(item) in _KEYS:
        key = (id(rule), status, reason, missing, item)
        found = _PLAIN_MADE.get(key)
        if found is not None and found[0] is rule:
            return found[1]
        made = _render_message(rule, values, reason, missing, settings)
        if len(_PLAIN_MADE) < _PLAIN_KEPT:
            _PLAIN_MADE[key] = (rule, made)
        return made
    return _render_message(rule, values, reason, missing, settings)


def _render_message(rule, values: dict, reason, missing, settings) -> tuple[str, str]:
    status = values["status"]
    left = values.get("left")
    item = values.get("item")
    if status in ("fail", "pass_rounding", "pass") and rule.message:
        ctx = values.get("ctx")
        fill = _Fill(rule, values, reason, missing, settings)
        zh = _fill(rule.message, fill, ctx, settings, True)
        en = _fill(rule.message_en, fill, ctx, settings, False) if rule.message_en else zh
        if item and "{row" not in rule.message:
            zh, en = f"[{item}] {zh}", f"[{item}] {en}"
        return zh, en
    key = status
    if status in ("fail", "pass_rounding") and left is None:
        key = "fail_plain" if status == "fail" else "pass"
    elif status in ("fail", "pass_rounding") and values.get("difference") is None:
        # texts, or membership in a set: there is no difference to show
        right = values.get("right")
        member = right is not None and right.value is None
        key = ("fail_member" if member else "fail_values") if status == "fail" else "pass_rounding_plain"
    if status == "pass" and left is not None and values.get("op") not in (None, "", "=", "=="):
        key = "pass_compare"  # a <= b that holds is not an equality: say what held
    if status == "pass" and left is None:
        zh, en = f"{rule.title or rule.id}：通过", f"{rule.title_en or rule.title or rule.id}: pass"
    else:
        zh_t, en_t = _DEFAULTS[key]
        ctx = values.get("ctx")
        fill = _Fill(rule, values, reason, missing, settings)
        zh, en = _fill(zh_t, fill, ctx, settings, True), _fill(en_t, fill, ctx, settings, False)
    if item:
        zh, en = f"[{item}] {zh}", f"[{item}] {en}"
    return zh, en


# A missing figure as fiscalrules.functions names it: a path, a table row (``table[code]``) or
# cell (``table[code].column``), and what of it is missing, in brackets.
_MISSING = re.compile(r"^(?P<path>[^\s\[(]+)(?:\[(?P<code>[^\]]*)\](?:\.(?P<column>[^\s(]+))?)?(?: \((?P<note>.*)\))?$",
                      re.DOTALL)
_MISSING_NOTES = {   # (the Chinese of each note: after the figure's name, 的 … or in brackets)
    "stated change": "的增减额", "stated percentage": "的增减率",
    "stated change or percentage": "的增减额或增减率", "parent row": "的上级科目行",
    "last year's figure: a fall of 100 % or more implies none": "的上年数（降幅达 100% 或以上，推不出上年数）",
}


def missing_words(missing, settings) -> str:
    """The missing figures of a not-evaluable finding in Chinese: each by its label (the path
    where the ruleset gives none), its table's row and column likewise, what of it is missing
    in Chinese -- ``“三公”经费的增减额或增减率`` for ``three_public.total (stated change or
    percentage)``.  The paths themselves stay in the finding's ``missing`` for programs."""
    words = []
    for entry in missing:
        match = _MISSING.match(entry)
        if match is None or settings is None:
            words.append(entry)
            continue
        path, code, column, note = match.group("path", "code", "column", "note")
        text = settings.label(path, settings.decl_for(path)) or path
        if code is not None:
            text += f"[{code}]"
            if column:
                decl = settings.column_decl(path, column)
                text += "的" + (str(decl.labels[0]) if decl is not None and decl.labels else column)
        if note and note.startswith(UNREAD_NOTE):   # items printed there that the reader could not name
            items = [item if first is None else f"{item}，第{first}行" if first == last
                     else f"{item}，第{first}–{last}行" for item, first, last in unread_items(note)]
            text += f"（另刊印有{'；'.join(items)}，未能读取）"
        elif note:
            text += _MISSING_NOTES.get(note) or f"（{to_zh(note)}）"
        words.append(text)
    return "、".join(words)


class _Fill:
    """What a template's placeholders are filled with, each worked out when a template names it
    (a pass's default sentence names three of the fourteen: formatting the others was most of
    rendering a message).  Chinese names fields by their labels and gives reasons in Chinese,
    English by paths; the rest is the same text in both, worked out once."""

    __slots__ = ("rule", "values", "reason", "missing", "settings", "made")

    def __init__(self, rule, values: dict, reason, missing, settings) -> None:
        self.rule, self.values, self.reason, self.missing = rule, values, reason, missing
        self.settings = settings
        self.made: dict[str, str] = {}

    def get(self, key: str, zh: bool) -> str:
        made = self.made
        text = made.get(key)   # (what is the same in both languages, once made)
        if text is not None:
            return text
        values = self.values
        if key == "left" or key == "right":
            side = values.get(key)
            if side is None or side.value is None:
                text = ""
            elif isinstance(side.value, Decimal):
                text = _with_unit(side.value, values.get("unit"))
            else:   # a text from the record, clipped as errors quote one: a cell of megabytes is not
                text = clipped(str(side.value))   # repeated in every message (60 MB → 240 MB of JSON)
        elif key == "diff" or key == "tolerance":
            amount = values.get("difference" if key == "diff" else "tolerance")
            text = _with_unit(amount, values.get("unit")) if amount is not None else ""
        elif key in ("left_expr", "right_expr"):   # these two and the reason differ by language
            side = values.get(key[:-5])
            expression = side.expression if side is not None else ""
            return (values.get(key[:-5] + "_label") or expression) if zh else expression
        elif key == "reason":
            return to_zh(self.reason or "") if zh else self.reason or ""
        elif key == "missing":   # (labels in Chinese, paths in English)
            if not self.missing:
                return ""
            return missing_words(self.missing, self.settings) if zh else "、".join(self.missing)
        else:
            text = self._text(key)
        made[key] = text
        return text

    def _text(self, key: str) -> str:
        rule, values = self.rule, self.values
        if key == "title":
            return str(rule.title or rule.id)
        if key == "title_en":
            return str(rule.title_en or rule.title or rule.id)
        if key == "rule":
            return str(rule.id)
        if key == "row":
            return str(values.get("item") or "")
        if key == "status":
            return str(values["status"])
        if key == "op":
            return str(values.get("op") or "")
        return ""


# A template split at its placeholders: text, name, text, ... text (names stripped), per template.
_PIECES: dict[str, tuple[str, ...]] = {}
_PIECES_KEPT = 4096   # (a ruleset has a few dozen templates: bounded for rule text from anywhere)


def _fill(template: str, fill: _Fill, ctx, settings, zh: bool) -> str:
    pieces = _PIECES.get(template)
    if pieces is None:
        parts = _PLACEHOLDER.split(template)   # what _PLACEHOLDER.sub would replace, in the same places
        pieces = tuple(part if i % 2 == 0 else part.strip() for i, part in enumerate(parts))
        if len(_PIECES) < _PIECES_KEPT:
            _PIECES[template] = pieces
    if len(pieces) == 1:
        return pieces[0]
    out = [pieces[0]]
    for i in range(1, len(pieces), 2):
        key = pieces[i]
        out.append(fill.get(key, zh) if key in _FILL_KEYS else _figure_text(key, ctx, settings))
        out.append(pieces[i + 1])
    return "".join(out)


def _figure_text(key: str, ctx, settings) -> str:
    """A field path, label or ``row.column`` placeholder: the figure as printed, or "?"."""
    if ctx is None:
        return "?"
    first, _, rest = key.partition(".")
    row = ctx.vars.get(first)
    if row is not None and hasattr(row, "cells"):
        if not rest or rest == "code":
            return row.code
        figure = row.cells.get(rest)
        if figure is None:   # ({r.合计}: the column named by its label)
            decl = settings.fields.get(row.table)
            figure = row.cells.get(decl.column_named(rest)) if decl is not None else None
        return _figure_value(figure)
    path = settings.paths_by_label.get(key, key)
    return _figure_value(ctx.record.get(path))


def _figure_value(figure) -> str:
    if figure is None:
        return "?"
    if figure.printed:
        return figure.printed
    value = figure.value
    text = format_amount(value) if isinstance(value, Decimal) else clipped(str(value))
    return f"{text} {figure.unit}" if figure.unit and isinstance(value, Decimal) else text

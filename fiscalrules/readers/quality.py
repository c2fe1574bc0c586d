"""Document-quality facts, for every template: what the text prints, recorded with its line.

The reader of each template calls :func:`record_quality` with its document and what only it knows
(the document's kind, which lines are titles, headings and tables, the classification lines it
read, the sections its template requires).  This module records *facts*, never verdicts: which
punctuation marks stand together, how many quotation marks and brackets a paragraph opens and
closes, either-or template wording and the number after it, the reason after 主要原因是, Latin
letters inside Chinese text, 部门/单位 wording, printed vs standard classification names.  The
rules that judge them are in ``rulesets/_quality.rules`` (docs/document-quality.md).

Each fact is a row whose first text cell is a figure with its source (document, line, the line as
printed), so a finding about it points at the line.
"""

from __future__ import annotations

import re

from ..data.classification import classification, normalise_name
from ..document.layout import paragraphs
from ..document.model import Document
from .common.coverage import is_zero
from .common.record import RecordBuilder, figure, source

TYPE_CHECKING = False   # typing.TYPE_CHECKING, without importing typing (see fiscalrules/__init__.py)
if TYPE_CHECKING:
    from typing import Iterable, Sequence

__all__ = ["record_quality", "table_class_lines", "ClassLine", "RequiredSection"]

ClassLine = tuple[str, str, int, str]         # code, printed name, line number, scheme
RequiredSection = tuple[str, bool | None, int]   # name, present (None: perhaps printed as a picture), line number (0: not printed)

_SENTENCE_MARKS = "。，、；：？！"
# (a mark, then more: "[…]{2,}" matched the same, but a pattern starting with a repeat has no
# first character for re to skip to in C, and was tried at every character of every paragraph)
_RUN = re.compile(f"[{_SENTENCE_MARKS}][{_SENTENCE_MARKS}]+")
_OPEN_QUOTES, _CLOSE_QUOTES = "“‘", "”’"
_OPEN_BRACKETS, _CLOSE_BRACKETS = "（(", "）)"
_WORDS = "增加|减少|增长|下降|大于|小于|高于|低于|上升|降低"
_ALTERNATIVE = re.compile(rf"(?P<a>{_WORDS})[（(](?P<b>{_WORDS})[）)]\s*(?P<value>-?\d[\d,]*(?:\.\d+)?)?")
_REASON = re.compile(r"(?P<lead>主要原因(?:是|为|：|:)|原因是)(?P<reason>[^。；;]*)")
# Letters standing alone between Chinese characters; letters joined to digits ("X101" a plot, "G60")
# are identifiers, not placeholders, and are not recorded.
_LETTERS = re.compile(r"(?<=[\u4e00-\u9fff（(“])\s*(?P<letters>[A-Za-zＡ-Ｚａ-ｚ]+)(?![A-Za-zＡ-Ｚａ-ｚ0-9０-９])|"
                      r"(?<![A-Za-zＡ-Ｚａ-ｚ0-9０-９])(?P<letters2>[A-Za-zＡ-Ｚａ-ｚ]+)\s*(?=[\u4e00-\u9fff）)”])|(?P<mou>某{2,})")
# "1）项目概述" / "2)立项依据": a closing bracket after a number that starts a clause is an enumerator
# -- when a clause follows it: "（详见附表\n12）" wrapped onto a line of its own, or "…附表12）。", closes
# a bracket.  Written to start with its first digit, the look-behind (the text's start, or a clause
# mark or space before that digit) checked after it: the same matches as "(?:^|(?<=[…]))\d{1,2}[)）]",
# but re skips to the next digit in C instead of trying the look-behind at every character.
_ENUMERATOR = re.compile(r"\d(?<![^。；;：:，,\s]\d)\d?[)）](?=[^\s。；;：:，,)）])")
_KIND_PHRASE = re.compile(r"(?P<word>部门|单位)(?:预算|决算)")
_SELF = re.compile(r"本(?P<word>部门|单位)")
# What every match of _LETTERS holds, a letter or 某某: a text without it (most paragraphs) is
# passed over by a substring test and one scan of a character set (re skips to a letter in C;
# the alternation "[A-Za-z…]|某某" had no first character and was tried at every character).
_LETTER = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_FULL_LETTERS = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF5B)})


def _letter_or_mou(text: str) -> bool:
    return "某某" in text or _LETTER.search(text) is not None


def _without_enumerators(text: str) -> str:
    """*text* without its "1）" enumerators (every one ends with a closing bracket: a text
    without one is left as it is, without a pass of the pattern)."""
    return _ENUMERATOR.sub("", text) if ")" in text or "）" in text else text


def _balance(text: str) -> tuple[int, int]:
    text = _without_enumerators(text)
    return (sum(map(text.count, _OPEN_QUOTES)) - sum(map(text.count, _CLOSE_QUOTES)),
            sum(map(text.count, _OPEN_BRACKETS)) - sum(map(text.count, _CLOSE_BRACKETS)))


def _groups(doc: Document, skipped: set[int]) -> list[list[int]]:
    """The prose lines of *doc* in groups: a paragraph, joined with the next ones (at most two)
    while it ends with a colon ("主要原因：" then the reason) or leaves a quotation mark or a
    bracket open (a numbered glossary line taken for a heading breaks a sentence in two)."""
    paras = []
    for first, last in paragraphs(doc):
        numbers = [n for n in range(first, last + 1) if n not in skipped and not doc.line(n).blank]
        if numbers:
            paras.append(numbers)
    groups: list[list[int]] = []
    i = 0
    while i < len(paras):
        group = list(paras[i])
        joined = 0
        while i + 1 < len(paras) and joined < 2:
            text = "".join(_without_enumerators(doc.line(n).compact) for n in group)
            if not (text.endswith(("：", ":")) or _balance(text) != (0, 0)):
                break
            i += 1
            joined += 1
            group += paras[i]
        groups.append(group)
        i += 1
    return groups


def record_quality(builder: RecordBuilder, doc: Document, *, scope: str | None,
                   title_lines: Iterable[int] = (), heading_lines: Iterable[int] = (),
                   skip_lines: Iterable[int] = (), class_lines: Sequence[ClassLine] = (),
                   sections: Sequence[RequiredSection] = (), year: str | int | None = None,
                   has_amounts: bool = True) -> None:
    """Record the quality facts of *doc* under ``quality`` (and ``doc.scope``, ``doc.has_amounts``).

    *skip_lines* are lines whose text is not prose (tables, the table of contents): they are left
    out of the punctuation, pairing, wording and letter facts.  *class_lines* are the
    classification lines the reader read; *sections* the template's required sections.
    """
    titles, headings, skipped = set(title_lines), set(heading_lines), set(skip_lines)
    name = builder.document
    if scope:
        builder.put("doc.scope", scope)
    builder.put("doc.has_amounts", bool(has_amounts))
    facts: dict[str, list[dict]] = {key: [] for key in (
        "punctuation", "pairs", "alternatives", "reasons", "placeholders", "kind_words")}

    def src(number: int, text: str) -> dict:
        line = doc.line(number)
        return source(name, None, number, text, page=line.page if line.boxes is not None else None)

    for numbers in _groups(doc, skipped):
        # The paragraph's running text, and for each character the line it came from.
        text, origin, bare = "", [], ""
        for number in numbers:
            piece = "".join(doc.line(number).original.split())   # without white space (\s is str.isspace)
            text += piece
            origin += [number] * len(piece)
            # each line's own "3）" enumerator: joined after "…自然资源局" it would follow no clause mark
            bare += _without_enumerators(piece)
        if not text:
            continue
        at = lambda i: origin[min(i, len(origin) - 1)]  # noqa: E731 - the line of character i
        excerpt = lambda i, j: text[max(0, i - 12): j + 12]  # noqa: E731
        for found in _RUN.finditer(text):
            facts["punctuation"].append({
                "mark": figure(found.group(), src=src(at(found.start()), doc.line(at(found.start())).original.strip())),
                "context": excerpt(found.start(), found.end())})
        bare = _without_enumerators(bare)
        counts = [sum(map(bare.count, chars)) for chars in (_OPEN_QUOTES, _CLOSE_QUOTES, _OPEN_BRACKETS, _CLOSE_BRACKETS)]
        if any(counts):
            facts["pairs"].append({
                "text": figure(text if len(text) <= 60 else text[:59] + "…", src=src(numbers[0], doc.line(numbers[0]).original.strip())),
                "quotes_open": {"value": str(counts[0]), "unit": "个"}, "quotes_close": {"value": str(counts[1]), "unit": "个"},
                "brackets_open": {"value": str(counts[2]), "unit": "个"}, "brackets_close": {"value": str(counts[3]), "unit": "个"}})
        for found in _ALTERNATIVE.finditer(text):
            row = {"wording": figure(found.group("a") + "（" + found.group("b") + "）",
                                     src=src(at(found.start()), doc.line(at(found.start())).original.strip()))}
            if found.group("value"):
                row["value"] = found.group("value").replace(",", "")
            row["zero"] = "value" in row and is_zero(row["value"])
            facts["alternatives"].append(row)
        for found in _REASON.finditer(text):
            reason = found.group("reason").strip(" ，,：:、")
            facts["reasons"].append({
                "lead": figure(found.group("lead").rstrip("：:"), src=src(at(found.start()), doc.line(at(found.start())).original.strip())),
                "reason": reason})
        for found in _LETTERS.finditer(text) if _letter_or_mou(text) else ():
            letters = found.group("letters") or found.group("letters2") or found.group("mou")
            start = found.start("letters") if found.group("letters") else found.start()
            facts["placeholders"].append({
                "letters": figure(letters.translate(_FULL_LETTERS).upper(), src=src(at(start), doc.line(at(start)).original.strip())),
                "context": excerpt(found.start(), found.end())})
        for number in numbers:
            line = doc.line(number)
            where = "title" if number in titles else "heading" if number in headings else "text"
            pattern = _KIND_PHRASE if where != "text" else _SELF
            for found in pattern.finditer(line.compact):
                facts["kind_words"].append({"word": figure(found.group("word"), src=src(number, line.original.strip())),
                                            "phrase": found.group(), "context": where})
    # Titles and headings may be skipped as prose (a cover page): read their kind words anyway.
    for number in sorted((titles | headings) & skipped):
        line = doc.line(number)
        for found in _KIND_PHRASE.finditer(line.compact):
            facts["kind_words"].append({"word": figure(found.group("word"), src=src(number, line.original.strip())),
                                        "phrase": found.group(),
                                        "context": "title" if number in titles else "heading"})
    for key, rows in facts.items():
        builder.put(f"quality.{key}", rows)
    names = []
    seen = set()
    for code, printed, number, scheme in class_lines:
        listed = classification(scheme, year)
        standard = listed.name(code)
        if standard is None or (code, normalise_name(printed)) in seen:
            continue
        if listed.is_standard(code, printed):   # (also a name perhaps still standard in the document's year)
            standard = printed
        seen.add((code, normalise_name(printed)))
        names.append({"class_code": code, "scheme": scheme,
                      "printed": figure(normalise_name(printed), src=src(number, doc.line(number).original.strip())),
                      "standard": normalise_name(standard)})
    builder.put("quality.class_names", names)
    # A missing section's "present" points at the line that names it (the contents' entry, say),
    # so the warning says where the document promised it.
    # A section perhaps printed as a picture (present None: the unread list says so) has no
    # "present": QUA-010 cannot tell, and says so, rather than warn of it missing.
    builder.put("quality.sections", [
        {"name": figure(section, src=src(number, doc.line(number).original.strip()) if number else source(name, None, None, None)),
         **({} if present is None else {"present": bool(present) if present or not number
             else {"value": False, "source": src(number, doc.line(number).original.strip())}})}
        for section, present, number in sections])


def table_class_lines(tables: dict) -> list[ClassLine]:
    """The classification lines of a record's tables (``tables.<key>.rows`` with ``code`` and
    ``name``), each at the line of its first figure: function classes (codes 2xx) and economic
    classes (3xx, the 部门预算支出经济分类)."""
    out: list[ClassLine] = []
    for table in tables.values():
        rows = table.get("rows") if isinstance(table, dict) else None
        for row in rows if isinstance(rows, list) else ():
            code, name = row.get("code"), row.get("name")
            if not (isinstance(code, str) and code[:1] in ("2", "3") and isinstance(name, str) and name):
                continue
            line = next((v["source"].get("line") for v in row.values()
                         if isinstance(v, dict) and isinstance(v.get("source"), dict)), None)
            if isinstance(line, int):
                out.append((code, name, line, "function" if code[0] == "2" else "economic_department"))
    return out

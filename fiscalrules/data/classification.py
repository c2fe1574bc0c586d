"""The standard classification code-name lists, loaded from the TSV files of this package.

Three schemes, each per year:

* ``function`` -- 支出功能分类 (类 3 digits, 款 5, 项 7);
* ``economic_department`` -- 部门预算支出经济分类 (类 3, 款 5: 301 工资福利支出 …);
* ``economic_government`` -- 政府预算支出经济分类 (类 3, 款 5: 501 机关工资福利支出 …).

A year's file either lists codes (``code<TAB>name``) or names a ``base`` year and lists only the
differences (``code<TAB>name`` adds or renames, ``-code`` removes).  A year without a file uses
the nearest earlier year (or the earliest one).  A year before the earliest file is the earliest
list as it stood then (:func:`_as_of`): the earlier standard names aliases.tsv dates ("standard
until"), and the codes introduced.tsv says were added later left unchecked in the years before.
The lists are not complete (see the headers of the files): a code absent from a list is *not
checked*, never wrong -- every lookup returns ``None`` for it and callers must treat that as
"unknown".

Names are compared after :func:`normalise_name`: white space removed (PDF text breaks names
across lines), brackets made full-width, and a trailing level marker "（类）/（款）/（项）" dropped.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from ..nodebase import Frozen, setfield

__all__ = ["SCHEMES", "Classification", "classification", "standard_name", "normalise_name",
           "code_level", "name_stem"]

SCHEMES = ("function", "economic_department", "economic_government")
_FOLDER = os.path.dirname(os.path.realpath(__file__))   # (str(Path(__file__).resolve().parent), without pathlib)
_DEFAULT_YEAR = 2024

_HALF_TO_FULL = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "："})


@lru_cache(maxsize=4096)   # a lookup normalises every candidate name of its level, again and again
def normalise_name(name: str) -> str:
    """A printed class name in the form the lists use: no white space, full-width brackets, no
    trailing （类）/（款）/（项） marker, no leading 其中/包括."""
    text = re.sub(r"\s+", "", name or "").translate(_HALF_TO_FULL)
    text = re.sub(r"（[类款项]）$", "", text)
    return re.sub(r"^(?:其中|包括)[：]?", "", text)


@lru_cache(maxsize=4096)
def name_stem(name: str) -> str:
    """What identifies a class name: normalised, without trailing 支出 / 收入 / 费用 (documents
    print "卫生健康支出支出", "社会保障和就业收入" for the 支出 class)."""
    text = normalise_name(name)
    while True:
        shorter = re.sub(r"(?:支出|收入|费用)$", "", text)
        if shorter == text or not shorter:
            return text
        text = shorter


def code_level(code: str) -> int:
    """1 for a 类 (3 digits), 2 for a 款 (5), 3 for a 项 (7), 0 otherwise."""
    return {3: 1, 5: 2, 7: 3}.get(len(code), 0) if code.isdigit() else 0


class Classification(Frozen):
    """One scheme's list for one year: code → standard name, plus recognised older names
    (``aliases``: normalised older / local name → code) and, for a year whose change of a name is
    not confirmed, the other names accepted as standard (``accepted``: code → normalised names)."""

    scheme: str
    year: int
    names: dict[str, str]
    aliases: dict[str, str]
    accepted: dict[str, frozenset[str]] | None
    __slots__ = _fields = ("scheme", "year", "names", "aliases", "accepted")

    def __init__(self, scheme: str, year: int, names: dict[str, str], aliases: dict[str, str],
                 accepted: dict[str, frozenset[str]] | None = None) -> None:
        setfield(self, "scheme", scheme)
        setfield(self, "year", year)
        setfield(self, "names", names)
        setfield(self, "aliases", aliases)
        setfield(self, "accepted", accepted)

    def name(self, code: str) -> str | None:
        """The standard name of *code*, or None when the list does not have it."""
        return self.names.get(code)

    def children(self, code: str | None) -> dict[str, str]:
        """The codes one level below *code* (the 类 when *code* is None)."""
        if code is None:
            return {c: n for c, n in self.names.items() if len(c) == 3}
        size = len(code) + 2
        return {c: n for c, n in self.names.items() if len(c) == size and c.startswith(code)}

    def is_standard(self, code: str, printed: str) -> bool | None:
        """Whether *printed* is the standard name of *code* (after normalising); None when the
        list does not have the code (not checked)."""
        standard = self.names.get(code)
        if standard is None:
            return None
        key = normalise_name(printed)
        return key == normalise_name(standard) or key in (self.accepted or {}).get(code, ())

    def find(self, printed: str, parent: str | None = None, *, stems: bool = True) -> str | None:
        """The code whose standard (or older) name *printed* is, among the children of *parent*
        (the 类 when *parent* is None); None when no single code matches."""
        key = normalise_name(printed)
        candidates = self.children(parent)
        exact = [c for c, n in candidates.items() if normalise_name(n) == key]
        if len(exact) == 1:
            return exact[0]
        older = self.aliases.get(key)
        if older and (parent is None and len(older) == 3 or parent and older[:-2] == parent):
            return older
        if not stems:
            return None
        stem = name_stem(printed)
        loose = [c for c, n in candidates.items() if name_stem(n) == stem]
        if len(loose) == 1:
            return loose[0]
        older = {name_stem(a): c for a, c in self.aliases.items()}.get(stem)
        if older and (parent is None and len(older) == 3 or parent and older[:-2] == parent):
            return older
        return None


def _read(file_name: str) -> tuple[dict[str, str], str | None, list[str]]:
    names: dict[str, str] = {}
    base = None
    removed: list[str] = []
    text = _package_text(file_name)
    for number, raw in enumerate(text.splitlines(), 1):
        code, tab, name = raw.partition("\t")
        if tab and code.isdigit() and name and name == name.strip():
            names[code] = name   # the common line, "code<TAB>name" without white space around: as below
            continue
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-"):
            removed.append(line[1:].strip())
            continue
        code, _, name = line.partition("\t")
        if code == "base":
            base = name.strip()
            continue
        if not code.isdigit() or not name.strip():
            raise ValueError(f"{file_name}:{number}: expected 'code<TAB>name', got {raw!r}")
        names[code] = name.strip()
    return names, base, removed


def _package_text(file_name: str) -> str:
    """A data file shipped beside this module.  Read through the bounded reader, as every file
    is, rather than importlib.resources (whose import costs ~10 ms of every CLI start): for
    a package installed as files, resources.files is this folder."""
    from ..inputs.bounded import MAX_RULE_FILE_BYTES, read_bounded
    return read_bounded(os.path.join(_FOLDER, file_name), MAX_RULE_FILE_BYTES, what="package data").decode("utf-8")


@lru_cache(maxsize=None)   # the package's files: a reader asks some forty times per document
def _years(scheme: str) -> tuple[int, ...]:
    found = []
    for name in os.listdir(_FOLDER):   # the files {scheme}_*.tsv
        if name.startswith(f"{scheme}_") and name.endswith(".tsv"):
            suffix = name[len(scheme) + 1:-len(".tsv")]
            if suffix.isdigit():
                found.append(int(suffix))
    return tuple(sorted(found))


@lru_cache(maxsize=None)
def _alias_rows(scheme: str) -> tuple[tuple[str, str, int | None, int | None], ...]:
    """aliases.tsv's rows of *scheme*: (code, normalised name, the last year the name was
    standard for certain, the last year it may have been) -- both None for a name never standard."""
    rows = []
    for number, raw in enumerate(_package_text("aliases.tsv").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        kind, code, name, *until = raw.split("\t")
        years = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", until[0]) if until else None
        if until and not years:
            raise ValueError(f"aliases.tsv:{number}: expected 'YYYY' or 'YYYY-YYYY', got {until[0]!r}")
        if kind == scheme:
            certain = int(years.group(1)) if years else None
            rows.append((code, normalise_name(name), certain, int(years.group(2) or certain) if years else None))
    return tuple(rows)


@lru_cache(maxsize=None)
def _aliases(scheme: str) -> dict[str, str]:
    return {name: code for code, name, _, _ in _alias_rows(scheme)}


@lru_cache(maxsize=None)
def _introduced(scheme: str) -> dict[str, int]:
    """introduced.tsv's codes of *scheme* → the first year of the 科目 that have them."""
    out: dict[str, int] = {}
    for raw in _package_text("introduced.tsv").splitlines():
        if raw.strip() and not raw.startswith("#"):
            kind, code, first = raw.split("\t")
            if kind == scheme:
                out[code] = int(first)
    return out


@lru_cache(maxsize=None)
def _history_horizon(scheme: str) -> int:
    """The last year the history changes anything in: later years are the earliest list as it is."""
    years = [latest for _, _, _, latest in _alias_rows(scheme) if latest is not None]
    years += [first - 1 for first in _introduced(scheme).values()]
    return max(years, default=0)


def _as_of(scheme: str, names: dict[str, str], year: int) -> tuple[dict[str, str], dict[str, str], dict[str, frozenset[str]]]:
    """A list's *names* as they stood in *year*, an earlier year than the list's: (names, extra
    aliases, accepted names).  A code added after *year* is dropped (not checked); a code whose
    earlier name was standard in *year* has it as its name (the list's name becomes a recognised
    one); a name perhaps still standard in *year* (the change not confirmed) is accepted too."""
    introduced = _introduced(scheme)
    kept = {code: name for code, name in names.items()
            if not any(code.startswith(new) and year < first for new, first in introduced.items())}
    extra: dict[str, str] = {}
    accepted: dict[str, set[str]] = {}
    chains: dict[str, list[tuple[int, int, str]]] = {}
    for code, name, certain, latest in _alias_rows(scheme):
        if certain is not None and code in kept:
            chains.setdefault(code, []).append((certain, latest, name))
    for code, chain in chains.items():
        for certain, latest, name in sorted(chain):   # earliest first: a year's name is the first still standard
            if year <= certain:
                extra[normalise_name(kept[code])] = code
                kept[code] = name
                break
            if year <= latest:
                accepted.setdefault(code, set()).add(name)
    return kept, extra, {code: frozenset(names) for code, names in accepted.items()}


@lru_cache(maxsize=None)
def _load(scheme: str, year: int) -> dict[str, str]:
    names, base, removed = _read(f"{scheme}_{year}.tsv")
    if base is None:
        return names
    merged = dict(_load(scheme, int(re.search(r"(\d{4})", base).group(1))))
    merged.update(names)
    for code in removed:
        merged.pop(code, None)
    return merged


def classification(scheme: str = "function", year: int | str | None = None) -> Classification:
    """The list of *scheme* for *year* (the nearest earlier year that has a file, else the
    earliest; 2024 when *year* is None or not a year)."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown classification scheme {scheme!r} (known: {', '.join(SCHEMES)})")
    try:
        wanted = int(str(year)) if year is not None else _DEFAULT_YEAR
    except ValueError:
        wanted = _DEFAULT_YEAR
    years = _years(scheme)
    usable = [y for y in years if y <= wanted]
    chosen = usable[-1] if usable else years[0]
    # (a year before the earliest list: that list as it stood then, where the history says so)
    earlier = wanted if wanted < chosen and wanted <= _history_horizon(scheme) else None
    return _cached(scheme, chosen, earlier)


@lru_cache(maxsize=None)
def _cached(scheme: str, year: int, earlier: int | None = None) -> Classification:
    if earlier is None:
        return Classification(scheme, year, _load(scheme, year), _aliases(scheme))
    names, extra, accepted = _as_of(scheme, _load(scheme, year), earlier)
    return Classification(scheme, year, names, {**extra, **_aliases(scheme)}, accepted or None)


def standard_name(code: str, scheme: str = "function", year: int | str | None = None) -> str | None:
    """The standard name of *code* in *scheme* for *year*, or None (not in the list)."""
    return classification(scheme, year).name(code)

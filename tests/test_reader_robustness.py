"""Layout noise must not change what is read: re-wrapped prose and interleaved page numbers.

Each real document is perturbed the way PDF extraction perturbs text — narrative lines cut at
random places (never inside a number) with blank lines between the pieces, and page numbers
("3", "- 3 -", "第 3 页") dropped between lines — and every figure must read the same as from
the original. Seeds are fixed, so a failure is reproducible.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from fiscalrules.readers import read_disclosure

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "disclosures"
NAMES = ["000_1f48ee58997ddf2f", "002_bc5043a6c84644f3", "003_5a2dd30d76d26ec5"]


def original(name: str) -> str:
    path = SHARED / f"{name}.txt"
    if not path.is_file():
        pytest.skip(f"shared disclosures not available ({path})")
    return path.read_text(encoding="utf-8")


def figures(node, path: str = "") -> dict:
    """Every figure's (value, change, pct, unit) and every row name, by path; sources excluded
    (their line numbers legitimately move), and the document-quality facts, which are about the
    lines and paragraphs as printed (rewrapping a text changes them)."""
    out: dict = {}
    if isinstance(node, dict):
        if "value" in node and ("source" in node or "unit" in node):
            out[path] = (node["value"], node.get("change"), node.get("pct"), node.get("unit"))
        else:
            for key, child in node.items():
                if key not in ("_meta", "source", "years", "quality"):
                    out.update(figures(child, f"{path}.{key}"))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            out.update(figures(child, f"{path}[{index}]"))
    elif path.endswith(("name", "level1", "level2", "level3", "comparator")):
        out[path] = node
    return out


_EXPECTED: dict = {}


def expected_figures(name: str) -> dict:
    """The figures of the document as published, read once per test process: its 26 perturbations
    are each compared with this same reading (read again for each, it was half of the module's reading)."""
    text = original(name)
    if name not in _EXPECTED:
        _EXPECTED[name] = figures(read_disclosure(text, name="doc.txt"))
    return _EXPECTED[name]


def rewrapped(text: str, seed: int) -> str:
    rnd = random.Random(seed)
    out, narrative = [], False
    for line in text.split("\n"):
        narrative = (narrative or "第三部分" in line) and "第四部分" not in line
        headingish = line.lstrip().startswith(("(", "（", "一", "二")) or "部分" in line
        if narrative and len(line) > 12 and not headingish and "\t" not in line:
            allowed = [i for i in range(1, len(line))
                       if not (line[i - 1] in "0123456789.," and line[i] in "0123456789.,")]
            cuts = sorted(rnd.sample(allowed, min(3, len(allowed))))
            out.append("\n\n".join(line[i:j] for i, j in zip([0] + cuts, cuts + [len(line)])))
        else:
            out.append(line)
    return "\n".join(out)


def with_page_numbers(text: str, seed: int) -> str:
    rnd = random.Random(seed)
    out = []
    for line in text.split("\n"):
        out.append(line)
        if "\t" not in line and rnd.random() < 0.08:
            page = rnd.randint(1, 40)
            out.append(rnd.choice([f"{page}", f"- {page} -", f"第 {page} 页", ""]))
    return "\n".join(out)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", range(12))
def test_rewrapped_prose_reads_the_same(name, seed):
    text = original(name)
    assert figures(read_disclosure(rewrapped(text, seed), name="doc.txt")) == expected_figures(name)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", range(12))
def test_interleaved_page_numbers_are_ignored(name, seed):
    text = original(name)
    assert figures(read_disclosure(with_page_numbers(text, seed), name="doc.txt")) == expected_figures(name)


_FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789.%,:;()"}


def narrative_lines(text: str, change) -> str:
    out, narrative = [], False
    for line in text.split("\n"):
        narrative = (narrative or "第三部分" in line) and "第四部分" not in line
        out.append(change(line) if narrative and "部分" not in line else line)
    return "\n".join(out)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("variant", ["full-width", "letter-spaced"])
def test_full_width_and_letter_spaced_narrative_reads_the_same(name, variant):
    text = original(name)
    change = (lambda line: line.translate(_FULL_WIDTH)) if variant == "full-width" \
        else (lambda line: " ".join(line.strip()))
    assert figures(read_disclosure(narrative_lines(text, change), name="doc.txt")) == expected_figures(name)


def test_perturbations_do_change_the_text():
    text = original(NAMES[0])
    assert rewrapped(text, 1) != text and with_page_numbers(text, 1) != text

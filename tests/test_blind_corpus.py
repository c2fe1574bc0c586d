"""Fictional disclosures written blind in other regions' styles (tests/blind_corpus/README.md): each is
consistent but for two planted errors, so the rules that fail on it are exactly the ones its planted
errors break (tests/blind_corpus/expected.json) -- no false alarm, no missed error -- and what stays
not evaluable or unread does not grow.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.readers import read_document

CORPUS = Path(__file__).resolve().parent / "blind_corpus"
DOCUMENTS = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["documents"]


def _planted_id(attribution: str) -> str:
    # "E1", or "1 (货物类)": the planted error's id, then a note of which figure; "none (…)": a warning
    # the document earns by itself (a non-standard name), no planted error's
    return attribution.split()[0]


def test_every_document_in_the_folder_is_expected():
    on_disk = {str(p.relative_to(CORPUS)) for p in CORPUS.glob("*/*") if p.suffix in (".txt", ".pdf", ".docx", ".xlsx", ".xls", ".html")}
    assert on_disk == {doc["file"] for doc in DOCUMENTS}


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda doc: doc["file"])
def test_expectations_account_for_every_planted_error(doc):
    planted = {error["id"] for error in doc["planted_errors"]}
    followed = {_planted_id(rule["from"]) for rule in doc["failing"].values()} - {"none"}
    assert len(planted) == 2 and followed == planted


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda doc: doc["file"])
def test_only_the_planted_errors_fail(doc):
    record = read_document((CORPUS / doc["file"]).read_bytes(), name=Path(doc["file"]).name)
    assert record["_meta"]["template"] == doc["template"]
    findings = fiscalrules.load_ruleset(doc["template"]).evaluate(record).findings
    failing = Counter(f.rule for f in findings if f.status == "fail")
    assert failing == {rule: expected["findings"] for rule, expected in doc["failing"].items()}
    assert [f.rule for f in findings if f.status == "error"] == []
    not_evaluable = [f"{f.rule}: {f.message}" for f in findings if f.status == "not_evaluable"]
    assert len(not_evaluable) <= doc["not_evaluable_at_most"], not_evaluable
    unread = [entry.get("reason") for entry in record["_meta"].get("unread", [])]
    assert len(unread) <= doc["unread_at_most"], unread

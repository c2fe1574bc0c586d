"""Fictional disclosures written blind in other regions' styles (tests/blind_corpus/README.md): each is
consistent but for two planted errors, so the rules that fail on it are exactly the ones its planted
errors break (tests/blind_corpus/expected.json) -- no false alarm, no missed error -- and what stays
not evaluable or unread does not grow.  A zip archive is one disclosure published as several files
(its narrative and its tables), read as the library reads an archive (``read_all``: the parts joined).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules.readers import read_all, read_document, read_documents

CORPUS = Path(__file__).resolve().parent / "blind_corpus"
DOCUMENTS = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["documents"]


def _planted_id(attribution: str) -> str:
    # "E1", or "1 (货物类)": the planted error's id, then a note of which figure; "none (…)": a warning
    # the document earns by itself (a non-standard name), no planted error's
    return attribution.split()[0]


def test_every_document_in_the_folder_is_expected():
    on_disk = {str(p.relative_to(CORPUS)) for p in CORPUS.glob("*/*") if p.suffix in (".txt", ".pdf", ".docx", ".xlsx", ".xls", ".html", ".ofd", ".zip")}
    assert on_disk == {doc["file"] for doc in DOCUMENTS}


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda doc: doc["file"])
def test_expectations_account_for_every_planted_error(doc):
    planted = {error["id"] for error in doc["planted_errors"]}
    followed = {_planted_id(rule["from"]) for rule in doc["failing"].values()} - {"none"}
    assert len(planted) == 2 and followed == planted


def _records(doc):
    """The disclosure holding the planted errors, and the file's other disclosures (a department's
    budget followed by its units' 单位预算 in one file: ``"part"`` of ``"parts"``, each other part
    consistent)."""
    if doc["file"].endswith(".zip"):   # (an archive of the disclosure's parts: every disclosure it holds)
        read = list(read_all(CORPUS / doc["file"]))
        assert [str(r.error) for r in read if not r.ok] == []
        records = [r.data for r in read]
        if "parts" not in doc:
            assert len(records) == 1, [r.files for r in read]
            return records[0], []
    elif "parts" not in doc:
        return read_document((CORPUS / doc["file"]).read_bytes(), name=Path(doc["file"]).name), []
    else:
        records = read_documents((CORPUS / doc["file"]).read_bytes(), name=Path(doc["file"]).name)
    assert len(records) == doc["parts"]
    at = doc["part"] - 1
    return records[at], records[:at] + records[at + 1:]


@pytest.mark.parametrize("doc", [doc for doc in DOCUMENTS if "parts" in doc], ids=lambda doc: doc["file"])
def test_the_other_disclosures_of_the_file_are_consistent(doc):
    _, others = _records(doc)
    for record, bounds in zip(others, doc["other_parts"], strict=True):
        findings = fiscalrules.load_ruleset(record["_meta"]["template"]).evaluate(record).findings
        assert [f.rule for f in findings if f.status in ("fail", "error")] == []
        assert sum(f.status == "not_evaluable" for f in findings) <= bounds["not_evaluable_at_most"]
        assert len(record["_meta"].get("unread", [])) <= bounds["unread_at_most"]


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda doc: doc["file"])
def test_only_the_planted_errors_fail(doc):
    record, _ = _records(doc)
    assert record["_meta"]["template"] == doc["template"]
    findings = fiscalrules.load_ruleset(doc["template"]).evaluate(record).findings
    failing = Counter(f.rule for f in findings if f.status == "fail")
    assert failing == {rule: expected["findings"] for rule, expected in doc["failing"].items()}
    assert [f.rule for f in findings if f.status == "error"] == []
    not_evaluable = [f"{f.rule}: {f.message}" for f in findings if f.status == "not_evaluable"]
    assert len(not_evaluable) <= doc["not_evaluable_at_most"], not_evaluable
    unread = [entry.get("reason") for entry in record["_meta"].get("unread", [])]
    assert len(unread) <= doc["unread_at_most"], unread

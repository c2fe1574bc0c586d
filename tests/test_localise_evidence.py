"""fiscalrules.localise: what counts as evidence of a typist slip when the rules cannot tell the
figures apart (review 21 L1-L3) -- data-driven cases in ``cases/localisation_evidence.yaml``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fiscalrules import compile_rules

DATA = yaml.load((Path(__file__).parent / "cases" / "localisation_evidence.yaml").read_text(encoding="utf-8"),
                 Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
CASES = DATA["cases"]


def _described(localisations) -> dict:
    """Each group's explanations as the case file writes them."""
    out = {}
    for loc in localisations:
        key = ", ".join(loc.failures)
        if not loc.explanations:
            out[key] = {"reason": loc.reason}
            continue
        out[key] = [("=" if e.tied else "") + " + ".join(
            f"{c.path}{'' if c.meta == 'value' else '/' + c.meta} → {format(c.suggested, 'f')}"
            + (f" {c.slip.kind}" if c.slip is not None else "") for c in e.changes) for e in loc.explanations]
    return out


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_localisation_evidence_case(case):
    report = compile_rules(DATA["prelude"] + case["rules"]).evaluate(case["record"])
    assert _described(report.localise()) == case["expect"]

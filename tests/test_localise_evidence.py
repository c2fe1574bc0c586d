"""fiscalrules.localise: what counts as evidence of a typist slip when the rules cannot tell the
figures apart (review 21 L1-L4) -- data-driven cases in ``cases/localisation_evidence.yaml``."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fiscalrules import compile_rules
from test_localise import _described   # each group's explanations as the case files write them

DATA = yaml.load((Path(__file__).parent / "cases" / "localisation_evidence.yaml").read_text(encoding="utf-8"),
                 Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
CASES = DATA["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_localisation_evidence_case(case):
    report = compile_rules(DATA["prelude"] + case["rules"]).evaluate(case["record"])
    assert _described(report.localise()) == case["expect"]

"""Review 25 (tools25): fitting users' tools -- SARIF for code-scanning uploads, DataFrames, the
pytest plugin, the HTML page -- and hostile input through them.  Each test failed on the code
before its mend (see /work/team/review25.md)."""

from __future__ import annotations

import fiscalrules
from fiscalrules.localise import localise, model

ROW_RULES = '''
unit 万元
field tables.x "表": table(code "编码": text, a "甲": amount, b "乙": amount)
rule T-1 "甲等于乙" {
    assert for each r in tables.x: r.a = r.b
}
'''


def _failing_rows(n: int):
    return fiscalrules.load_record({"tables": {"x": [{"code": str(100000 + i), "a": "1", "b": "2"}
                                                     for i in range(n)]}})


# ---- T1: one record with many failing rows -----------------------------------------------------------

class _CountingVars(dict):
    """Constraints.vars, counting the walks over every figure (a copy is one)."""
    walks = 0

    def __iter__(self):
        type(self).walks += 1
        return super().__iter__()


def test_localising_many_failing_rows_does_work_linear_in_them(monkeypatch):
    """20,000 failing rows of one table took 318 s and 3.7 GB through any output format: every
    group copied the list and set of every other failure, and every comparison modelled copied
    the set of every figure.  Counted here in steps, not time: hashes of the failed comparisons
    and walks over the figures, for 600 failing rows."""
    rules = fiscalrules.compile_rules(ROW_RULES)
    record = _failing_rows(600)
    findings = rules.evaluate(record).findings
    hashes = 0
    clause_hash = object.__hash__

    def counted_hash(self):
        nonlocal hashes
        hashes += 1
        return clause_hash(self)

    monkeypatch.setattr(model.Clause, "__hash__", counted_hash)
    made = model.Constraints.__init__

    def init(self, *args, **kwargs):
        made(self, *args, **kwargs)
        self.vars = _CountingVars(self.vars)
    monkeypatch.setattr(model.Constraints, "__init__", init)
    _CountingVars.walks = 0
    groups = localise(rules, record, findings)
    assert len(groups) == 600 and groups[0].explanations
    assert hashes < 20 * 600, hashes          # was 600 × 600: each group's copy of the others
    assert _CountingVars.walks < 50, _CountingVars.walks   # was one per comparison

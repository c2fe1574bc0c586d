"""A loaded record holds its plain figures as bare values (issue 10): a figure printed without
metadata as its value, one with only a stated change / percentage as (value, change, pct), any
other as its Figure; ``Record.figures`` makes the Figures once when read, ``get`` one at a time
without keeping it.  The rules read the same figures either way, and a passing batch makes none
to keep -- a batch keeps every record, and each Figure was one more object for the garbage
collector to walk while it ran."""

import pickle
from decimal import Decimal

import fiscalrules
from fiscalrules import Figure, Record, load_record
from fiscalrules.recordmodel import Source

RULES = """
unit 万元
precision 万元 0.01
field total "总额": amount
field basic "基本": amount
field project "项目": amount
field parts.* : amount
field name "名称": text
rule B01 "总额": total = basic + project
rule B02 "各项": total = sum(parts.*)
rule B03 "变动": change(total) = change(basic) + change(project)
rule B04 "名称": name in {"甲", "乙"}
"""

DATA = {"total": {"value": "10.00", "change": "1.00", "pct": "11.11"}, "basic": {"value": "4.00", "change": "0.40"},
        "project": {"value": "6.00", "change": "0.60"}, "parts": {"b": "6.00", "a": "4.00"}, "name": "甲",
        "staff": {"value": "3", "unit": "人", "source": {"document": "d.txt", "line": 7}}}


def test_plain_figures_are_held_bare_and_made_when_read():
    record = load_record(DATA)
    held = record.figure_values
    assert held["parts.a"] == Decimal("4.00") and type(held["parts.a"]) is Decimal and held["name"] == "甲"
    assert held["total"] == (Decimal("10.00"), Decimal("1.00"), Decimal("11.11"))
    assert held["basic"] == (Decimal("4.00"), Decimal("0.40"), None)
    assert type(held["staff"]) is Figure and held["staff"].source == Source(document="d.txt", line=7)
    # one at a time, not kept
    one = record.get("total")
    assert one == Figure("total", Decimal("10.00"), change=Decimal("1.00"), pct=Decimal("11.11"))
    assert record.get("total") is not one and record.get("nothing") is None and record._made is None
    assert [f.path for f in record.under("parts")] == ["parts.a", "parts.b"]
    assert record._made is None
    # all of them, once: then what the record holds
    figures = record.figures
    assert figures["parts.a"] == Figure("parts.a", Decimal("4.00")) and figures["name"] == Figure("name", "甲")
    assert record.figures is figures and record.figure_values is figures and record.get("total") is figures["total"]
    assert set(figures) == {"total", "basic", "project", "parts.a", "parts.b", "name", "staff"}


def test_a_record_held_bare_equals_the_record_of_its_figures_and_travels():
    record = load_record(DATA)
    made = Record(record.id, dict(load_record(DATA).figures), record.tables, record.meta, record.children)
    assert record == made and record._made is not None   # (compared as Figures)
    again = pickle.loads(pickle.dumps(load_record(DATA)))
    assert again == record and again.get("basic").change == Decimal("0.40")
    given = {"x": Figure("x", Decimal("1"))}
    assert Record("r", given, {}, {}, {}).figures is given   # Figures given: the dict itself


def test_a_passing_batch_keeps_no_figure_and_decides_as_the_figures_do():
    rules = fiscalrules.compile_rules(RULES)
    records = [load_record(DATA, id="bare"), load_record(DATA, id="made")]
    records[1].figures   # (made before evaluating: the Figures read instead)
    report = rules.evaluate_many(records)
    statuses = [[(f.rule, f.status) for f in report.findings if f.record == r.id] for r in records]
    assert statuses[0] == statuses[1] == [("B01", "pass"), ("B02", "pass"), ("B03", "pass"), ("B04", "pass")]
    assert records[0]._made is None and not any(type(v) is Figure for k, v in records[0].figure_values.items()
                                                if k != "staff")
    # the details, replayed, read the same figures
    assert [[(o.path, o.value, o.change) for o in f.operands] for f in report.findings if f.record == "bare"] == \
        [[(o.path, o.value, o.change) for o in f.operands] for f in report.findings if f.record == "made"]
    # a failure is explained from the bare figures as from the Figures
    wrong = dict(DATA, total={"value": "11.00", "change": "1.00"})
    bare, made = load_record(wrong), load_record(wrong)
    made.figures
    one, two = rules.evaluate(bare).findings, rules.evaluate(made).findings
    assert [(f.rule, f.status, f.difference, [o.value for o in f.operands]) for f in one] == \
        [(f.rule, f.status, f.difference, [o.value for o in f.operands]) for f in two]
    assert [f.status for f in one] == ["fail", "fail", "pass", "pass"]

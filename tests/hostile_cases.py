"""The hostile-input reproductions of issue 12, as data: each builds its input files in a folder
and says which command to run, the exit status it must end with and words its message must hold.

Used by ``tests/test_hostile_inputs.py`` (in-process, no traceback, the right exit and message)
and by ``tests/fuzz/reproduce.py`` (each as a command in a fresh process, timed: the table of
reproductions).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "bureau_2025.txt"
RULES = "unit 万元\nfield a: amount\nfield b: amount\nrule R: a = b\n"


class Case(NamedTuple):
    name: str
    build: Callable[[Path], list]      # folder → the command's arguments (after "fiscalrules")
    exit: int
    words: tuple                       # each must appear in stdout + stderr
    stdout_to: str | None = None       # a file standing for standard output (/dev/full)
    absent: tuple = ()                 # words that must not appear
    check: Callable[[str], bool] | None = None   # a test of standard output


def _rules(folder: Path) -> str:
    path = folder / "r.rules"
    path.write_text(RULES, encoding="utf-8")
    return str(path)


def _check(name: str, content: str | bytes, *extra: str) -> Callable[[Path], list]:
    def build(folder: Path) -> list:
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return ["check", _rules(folder), "-r", str(path), *extra]
    return build


def _yaml_bomb(levels: int = 7, width: int = 9) -> str:
    lines = ["a0: &a0 {value: \"1\"}"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} {{" + ", ".join(f"k{j}: *a{i - 1}" for j in range(width)) + "}")
    return "\n".join(lines) + "\n"


def _fifo(folder: Path) -> list:
    path = folder / "fifo.json"
    os.mkfifo(path)
    return ["check", _rules(folder), "-r", str(path)]


def _zero_table(folder: Path) -> list:
    (folder / "zero.csv").symlink_to("/dev/zero")
    return ["check", _rules(folder), "-r", str(folder / "zero.csv")]


def _special_in_folder(folder: Path) -> list:
    records = folder / "records"
    records.mkdir()
    os.mkfifo(records / "fifo.json")
    (records / "zero.jsonl").symlink_to("/dev/zero")
    (records / "good.json").write_text('[{"a": "1", "b": "1"}]', encoding="utf-8")
    return ["check", _rules(folder), "-r", str(records)]


def _twice(command: str) -> Callable[[Path], list]:
    def build(folder: Path) -> list:
        doc = folder / "twice.txt"
        text = EXAMPLE.read_text(encoding="utf-8")
        doc.write_text(text + "\n" + text, encoding="utf-8")
        if command == "audit":
            return ["audit", str(doc)]
        from fiscalrules.cli import main
        main(["extract", str(doc), "-o", str(folder / "twice.json")])
        return ["check", "budget_disclosure", "-r", str(folder / "twice.json")]
    return build


def _huge_rule_file(folder: Path) -> list:
    path = folder / "huge.rules"
    with open(path, "wb") as handle:   # 1 GB, sparse: only what is read costs anything
        handle.write(b"field a: amount\n")
        handle.truncate(1_000_000_000)
    return ["lint", str(path)]


def _wide_rule_file(folder: Path) -> list:
    """1.5 M characters of Chinese labels: under the cap in characters, 4.5 MB in bytes."""
    path = folder / "wide.rules"
    path.write_text("field a \"" + "收" * 1_500_000 + "\": amount\n", encoding="utf-8")
    return ["lint", str(path)]


def _zero_width(folder: Path) -> list:
    doc = folder / "zwsp.txt"
    doc.write_text(EXAMPLE.read_text(encoding="utf-8").replace("万元", "万\u200b元"), encoding="utf-8")
    return ["audit", str(doc), "--format", "json"]


def _one_long_line(folder: Path) -> list:
    """B10: the example with its newlines removed, repeated 64 times (748 KB on one line)."""
    doc = folder / "long.txt"
    doc.write_text(EXAMPLE.read_text(encoding="utf-8").replace("\n", "") * 64, encoding="utf-8")
    return ["audit", str(doc), "--format", "json"]


def _division_by_zero(folder: Path) -> list:
    """Found by the fuzz script: a rule undefined on the printed figures (max(…) / 0) beside a
    failure sharing its figures raised out of the localisation, a traceback instead of a report."""
    rules = folder / "div.rules"
    rules.write_text("unit 万元\nfield a: amount\nfield b: amount\nfield w.*: amount\n"
                     "rule R: a = b + sum(w.*)\nrule D: max(w.*) / 0 <= a\n", encoding="utf-8")
    record = folder / "div.json"
    record.write_text('{"a": "1", "b": "2", "w": {"p": "1"}}', encoding="utf-8")
    return ["check", str(rules), "-r", str(record)]


def _failures(out: str) -> int:
    import json
    return json.loads(out)["summary"]["total"]["fail"]


def _plain_failures() -> int:
    import fiscalrules
    from fiscalrules.readers import read_disclosure
    return fiscalrules.load_ruleset("budget_disclosure").evaluate(read_disclosure(EXAMPLE)).counts()["fail"]


def _include_chain(folder: Path) -> list:
    for i in range(40):
        body = f'include "f{i + 1}.rules"\n' if i < 39 else "field a: amount\nrule R: a = 1\n"
        (folder / f"f{i}.rules").write_text(body, encoding="utf-8")
    return ["lint", str(folder / "f0.rules"), "--lang", "en"]


def _huge_cell(folder: Path) -> list:
    doc = folder / "huge_cell.txt"
    line = "2080505\t机关事业单位基本养老保险缴费支出\t62.00\t62.00\t"
    doc.write_text(EXAMPLE.read_text(encoding="utf-8").replace(line, line.replace("62.00", "1" + "0" * 40, 1)),
                   encoding="utf-8")
    return ["audit", str(doc)]


CASES = [
    Case("B1 27-digit amount, table output", _check("big.json", '{"a":"111111111111111111111111111","b":"0"}'),
         1, ("111111111111111111111111111",)),
    Case("B1 27-digit amount, JSON output", _check("big.json", '{"a":"111111111111111111111111111","b":"0"}',
                                                    "--format", "json"), 1, ("111111111111111111111111111",)),
    Case("B2 row code 1e5000", _check("code.json", '{"t":[{"code":1e5000}]}'), 2, ("row code", "t[1]")),
    Case("B2 source line 1e5000", _check("line.json", '{"a":{"value":"1","source":{"line":1e5000}},"b":"1"}'),
         2, ("whole number", "a.source.line")),
    Case("B3 _meta.unread = 5", _check("m1.json", '{"a":"1","b":"1","_meta":{"unread":5}}'), 2, ("_meta.unread",)),
    Case("B3 _meta.unread = \"abc\"", _check("m2.json", '{"a":"1","b":"1","_meta":{"unread":"abc"}}'), 2,
         ("_meta.unread",)),
    Case("B3 _meta.unread = [1, 2]", _check("m3.json", '{"a":"1","b":"1","_meta":{"unread":[1,2]}}'), 2,
         ("_meta.unread[1]",)),
    Case("B3 _meta.document = 123", _check("m4.json", '{"a":"1","b":"1","_meta":{"document":123}}'), 2,
         ("_meta.document",)),
    Case("B4 YAML alias bomb (7 levels, 9 wide)", _check("bomb.yaml", _yaml_bomb()), 2, ("aliases expand",)),
    Case("B5 U+2028 and U+0085 inside a JSONL string",
         _check("sep.jsonl", '{"a":"1","b":"1","s":"x\u2028y\u0085z"}\n{"a":"2","b":"3"}\n'),
         1, ("sep:1", "sep:2"), absent=("sep:3", "invalid JSON")),
    Case("B5 a raw U+001C inside a JSONL string (invalid JSON: that line only)",
         _check("sep.jsonl", '{"a":"1","b":"1","s":"x\u001cw"}\n{"a":"2","b":"3"}\n'),
         2, ("sep.jsonl:1:", "invalid JSON", "sep:2"), absent=("sep:3", "sep.jsonl:2")),
    Case("B6 one malformed YAML document of three", _check("docs.yaml", "a: 1\nb: 1\n---\na: [1\n---\na: 2\nb: 2\n"),
         2, ("docs.yaml:5", "started at line 4", "docs[1]", "docs[3]")),
    Case("B7 -r /dev/zero", lambda folder: ["check", _rules(folder), "-r", "/dev/zero"], 2, ("device",)),
    Case("B7 -r FIFO (no writer)", _fifo, 2, ("FIFO",)),
    Case("B7 a FIFO and /dev/zero inside a folder of records", _special_in_folder, 2,
         ("FIFO", "device", "good[1]")),
    Case("B8 -o in a missing folder", _check("ok.json", '{"a":"1","b":"2"}', "-o", "/nonexistent-dir/report.txt"),
         2, ("cannot write", "/nonexistent-dir/report.txt")),
    Case("B8 -o /dev/full (disk full)", _check("ok.json", '{"a":"1","b":"2"}', "-o", "/dev/full"), 2,
         ("cannot write", "/dev/full")),
    Case("B8 standard output on a full disk", _check("ok.json", '{"a":"1","b":"2"}'), 2,
         ("cannot write to standard output",), stdout_to="/dev/full"),
    Case("B8 streamed -o /dev/full (--format jsonl)", _check("ok.json", '{"a":"1","b":"2"}', "--format", "jsonl",
                                                          "-o", "/dev/full"), 2, ("cannot write", "/dev/full")),
    Case("B8 streamed standard output on a full disk", _check("ok.json", '{"a":"1","b":"2"}', "--format", "jsonl"),
         2, ("cannot write",), stdout_to="/dev/full"),
    Case("B7 a table file that is /dev/zero", _zero_table, 2, ("device",)),
    # A file holding the same disclosure twice: two disclosures, a record each (readers/parts.py),
    # not one record whose every figure "appears a second time".
    Case("B9 extract of a repeated document, then check", _twice("check"), 1, ("twice#1", "twice#2", "record 2"),
         absent=("appears a second time",)),
    Case("B9 audit of a repeated document", _twice("audit"), 1, ("twice#1", "twice#2"),
         absent=("<string>", "appears a second time")),
    # Once 35 s, 2.5 GB and 1.1 GB of JSON (each figure carried the whole line as its source text).
    Case("B10 a 748 KB disclosure on one line", _one_long_line, 1, ('"summary"',),
         check=lambda out: len(out.encode("utf-8")) < 10 * 64 * len(EXAMPLE.read_bytes())),
    Case("1 GB rule file (sparse)", _huge_rule_file, 2, ("too large",)),
    Case("rule file 1.5 M characters / 4.5 MB", _wide_rule_file, 2, ("too large",)),
    Case("duplicate JSON key", _check("dup.json", '{"a":"1","b":"1","a":"2"}'), 2, ("'a' appears twice",)),
    Case("\"1.234,56\" as an amount", _check("comma.json", '{"a":"1.234,56","b":"1"}'), 2, ("decimal comma", "at a")),
    Case("Arabic-Indic digits in a record", _check("arabic.json", '{"a":"\u0663\u0664","b":"34"}'), 2,
         ("other than 0-9", "U+0663")),
    Case("Arabic-Indic digits in rule text",
         lambda folder: (folder / "ar.rules").write_text("field a: amount\nrule R: a = \u0663\n", encoding="utf-8")
         and ["lint", str(folder / "ar.rules")], 2, ("\u0663",)),
    Case("zero-width space inside 万元 (the example's failures stay as they are)", _zero_width, 1, ('"fail": ',),
         check=lambda out: _failures(out) == _plain_failures() > 0),
    # An error finding of the rules that read the figure, not a record error (see docs/records.md).
    Case("boolean amount", _check("bool.json", '{"a":true,"b":"1"}', "--format", "json"), 1,
         ('"status": "error"', "a is True, not a number")),
    Case("non-numeric amount", _check("text.json", '{"a":"n/a","b":"1"}', "--format", "json"), 1,
         ('"status": "error"', "a is 'n/a', not a number")),
    Case("a rule undefined on the printed figures (max(w.*) / 0), localised", _division_by_zero, 1,
         ("division by zero", "most likely wrong")),
    Case("include chain 40 files deep", _include_chain, 2, ("E216", "f31.rules", "f32.rules")),
    # session 24: a figure through a dotted key and through nested objects was the last, silently
    Case("one figure given twice through a dotted key",
         _check("dot.json", '{"a.x": "1", "a": {"x": "2"}, "b": "1"}'), 2,
         ("the same figure is given twice: as ['a.x'] and as ['a']['x']",)),
    Case("'1.' and forty zeros as an amount (1, printed to forty places)",
         _check("zeros.json", '{"a": "1.%s", "b": "1"}' % ("0" * 40), "--format", "json"), 0, ('"pass": 1',),
         absent=("out of range",)),
    Case("a 41-digit amount in a table row: the table listed, not summed short",
         _huge_cell, 1, ("table not read: a cell of its rows cannot be read",), absent=("TBL-026", "TBL-020")),
    # review 23 R7: the whole file was refused for one row
    Case("a ragged CSV row (one read error, the other rows checked)",
         _check("rag.csv", "id,a,b\nr1,1,1\nr2,1,2,3\nr3,1,2\n", "--format", "jsonl"), 2,
         ("rag.csv:row 2: E300: line 3 has 4 cells", '"record": "rag.csv:r3", ', "records 3: pass 1, fail 1, read errors 1")),
]

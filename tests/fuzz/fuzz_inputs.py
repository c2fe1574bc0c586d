"""Fuzz the parser, checker, evaluator, record loader and disclosure reader with random input.

    python tests/fuzz/fuzz_inputs.py COUNT [--seed S] [--seconds N] [--heavy] [--out DIR] [--timeout SECONDS]
                                           [--only TARGET,…]

Runs COUNT random inputs (or as many as fit in ``--seconds``), spread over these targets, the
cheap ones weighted most so that a million inputs take an hour or two on one core:

* ``parse``         -- token soup, random Unicode and mutated rule files through the parser alone;
* ``rules-text``    -- the same, and rule files built from a small grammar that pass the checker,
                       compiled and evaluated on random records, reports rendered;
* ``rules-bytes``   -- random bytes, parsed and loaded from a file (``lint`` too);
* ``records``       -- random JSON/YAML-like data through ``load_record`` and evaluation;
* ``record-files``  -- random bytes and text as ``.json`` / ``.jsonl`` / ``.yaml`` files (``read_records``);
* ``hostile-files`` -- batches of good and malformed records built by class (tests/fuzz/hostile.py:
                       YAML alias bombs, broken YAML documents, separators inside JSON Lines strings,
                       duplicate keys, huge codes and line numbers, bad ``_meta``, decimal commas,
                       non-ASCII digits, booleans and text as amounts): every record must yield its row;
* ``reader``        -- random text and windows of mutated disclosures through ``read_disclosure``;
* ``disclosures``   -- whole mutated disclosures, also with invisible characters inside units and
                       numbers, non-ASCII digits, decimal commas and line separators, audited with
                       the bundled rulesets;
* ``invariants``    -- the same record evaluated under a random caller decimal context and after a
                       pickle round trip: the report must be identical;
* ``cli``           -- ``check``, ``lint``, ``audit`` and ``extract`` run in-process (``cli.main``) on the
                       files above, in every output format, to unwritable ``-o`` paths and
                       ``/dev/full`` too: every run must end with exit 0, 1 or 2 and no traceback
                       (the exit codes seen are counted);
* ``packed-tables`` -- JSON / JSON Lines records whose tables (random flat rows: odd codes, repeated
                       codes, hostile amounts, a nested cell, a duplicate key, a flipped byte) go
                       through the compact row store: the same records, or the same RecordErrors, and
                       the same findings as with every table held as a list of rows;
* ``documents``     -- the example written in the forms a disclosure comes in besides text (a Word
                       document plain and numbered, RTF, a web page and its archive, Word's and Excel's XML, an
                       Excel workbook new and old, an old Word document, a zip bundle of them) and
                       the example PDF, bytes flipped, cut, spliced or control words and tags
                       inserted, opened as a document (a bundle's members too);
* ``nasty``         -- the fixed hostile cases (empty, binary, invalid UTF-8, 10,000-deep
                       parentheses, 10,000-term sums, 1e400, NaN, Infinity, −0, 40-digit amounts,
                       /dev/zero, a FIFO, a directory, a 1 GB sparse file), at the start and every
                       10,000 inputs.

An *escape* is any exception that is not a ``fiscalrules.FiscalRulesError`` (and, for evaluating a
loaded record, any exception at all), and any broken invariant: a batch that does not yield one row per
record, a record the reader writes and the loader refuses, a report that depends on the caller's decimal
context or changes through pickle, the garbage collector or the caller's decimal context left changed, a
command-line exit other than 0, 1 or 2. A *hang* is an input that uses more than ``--timeout`` seconds
of CPU, or ten times that (at least 300 s) of wall-clock time -- CPU time, so that a starved process on
a busy machine is not taken for a hang, and the wall clock for inputs that block (a FIFO). Each escape
is saved under ``--out`` with its traceback. ``--heavy`` adds the 10 MB inputs (a 10 MB rule file, a 10
MB record, a 10 MB disclosure, 10 MB of junk for each), each run in a child process whose time and peak
memory are reported.

Exit status: 0 when nothing escaped and nothing hung, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import decimal
import gc
import io
import json
import os
import pickle
import random
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
import zipfile
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))   # (tests/: the example's forms, published_forms)

import fiscalrules  # noqa: E402
from fiscalrules import FiscalRulesError, rowstore  # noqa: E402

try:
    from fiscalrules.readers import read_disclosure  # noqa: E402
except ImportError:  # pragma: no cover
    read_disclosure = None

import hostile  # noqa: E402
from heavy import heavy_inputs  # noqa: E402

CALLER_CONTEXTS = [dict(prec=3), dict(prec=6), dict(prec=28, traps=[decimal.Inexact, decimal.Rounded]),
                   dict(rounding=decimal.ROUND_DOWN), dict(traps=[]), dict(Emax=5, Emin=-5)]


class Broken(Exception):
    """An invariant that does not hold: counted as an escape."""

TOKENS = ["rule", "R1", "R2", ":", "=", "!=", "<=", ">", "≥", "＝", "a", "b", "c", "t", "w", "甲", "(", ")",
          "（", "）", "{", "}", "[", "]", ",", "，", ".", "*", "+", "-", "/", "×", "sum", "count", "children",
          "parent", "level", "pct", "change", "prior", "present", "coalesce", "abs", "round", "min", "max",
          "contains", "for", "each", "in", "where", "if", "then", "and", "or", "not", "within", "0.5", "%",
          "万元", "元", "人", "example", "pass", "fail", "assert", "when", "severity", "warning", "tags",
          "message", "\"{left} {right} {diff}\"", "field", "amount", "table", "text", "count", "flag",
          "\"x\"", "“全角”", "`q`", "0", "1", "2.50", "1e400", "NaN", "Infinity", "−0",
          "1234567890123456789012345678901234567890", "\n", "#", "//", "r", "x", "code", "__class__",
          "include", "\"../x.rules\"", "ruleset", "unit", "precision", "default", "true", "false", "null"]

HEADER = ("ruleset fuzz\nunit 万元\nfield a \"甲\": amount\nfield b: amount\nfield c: count 人\n"
          "field w.* : amount\nfield s: text\nfield f: flag\n"
          "field t: table(code: text, name: text, x: amount default 0, y: amount)\n")
SMALL_RULES = ("unit 万元\nfield a: amount\nfield b: amount\nfield f: flag\n"
               "field t: table(code: text, x: amount)\nrule R: a = b\n"
               "rule T: for each r in t: r.x = sum(children(r).x)\nrule F: if f then a > 0\n")
NUMBERS = ["0", "1", "2.50", "329.94", "-3", "−3", "1,234.50", "１２３４．５", "-0", "0.00", "NaN", "Infinity",
           "-inf", "1e400", "1e-400", "1234567890123456789012345678901234567890", "0.000000000000000000000000001",
           "12345678901234567890", "", " ", "万元", "abc"]


# ---- input generators ---------------------------------------------------------------------------------

def random_unicode(rnd: random.Random, n: int) -> str:
    pools = [(0x20, 0x7E), (0x4E00, 0x4FFF), (0x3000, 0x303F), (0xFF00, 0xFFEF), (0x0, 0x1F), (0x2000, 0x206F),
             (0xD7FF, 0xD7FF), (0x10000, 0x1F6FF)]
    out = []
    for _ in range(n):
        lo, hi = rnd.choice(pools)
        out.append(chr(rnd.randint(lo, hi)))
    return "".join(out)


def mutate_lines(text: str, rnd: random.Random, extra) -> str:
    lines = text.splitlines() or [""]
    for _ in range(rnd.randint(1, 10)):
        i = rnd.randrange(len(lines))
        action = rnd.choice(["drop", "dup", "cut", "swap", "insert", "number", "chars"])
        if action == "drop" and len(lines) > 1:
            del lines[i]
        elif action == "dup":
            lines.insert(i, lines[i])
        elif action == "cut":
            lines[i] = lines[i][: rnd.randint(0, len(lines[i]))]
        elif action == "swap":
            j = rnd.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "insert":
            lines.insert(i, rnd.choice(extra))
        elif action == "number":
            import re
            lines[i] = re.sub(r"\d[\d,.]*", rnd.choice(NUMBERS), lines[i], count=1)
        else:
            pos = rnd.randint(0, len(lines[i]))
            lines[i] = lines[i][:pos] + random_unicode(rnd, rnd.randint(1, 5)) + lines[i][pos:]
    return "\n".join(lines)


def grammar_rules(rnd: random.Random) -> str:
    """A rule file that often passes the checker: random expressions over declared fields."""
    money = ["a", "b", "甲", "sum(w.*)", "t[\"208\"].x", "coalesce(a, 0)", "prior(a)", "change(a)",
             "sum(r.x for r in t where level(r) = 1)", "max(w.*)", "abs(b)", "round(a, 2)"]

    def num(depth=0):
        if depth > 3 or rnd.random() < 0.4:
            return rnd.choice(money + ["0", "1.5", "100 万元", "2 元"])
        op = rnd.choice(["+", "-", "*", "/"])
        if op in "*/":
            return f"({num(depth + 1)}) {op} {rnd.choice(['2', '0.5', '0', '100', '3'])}"
        return f"({num(depth + 1)} {op} {num(depth + 1)})"

    def cond(depth=0):
        r = rnd.random()
        if depth > 2 or r < 0.5:
            return f"{num()} {rnd.choice(['=', '!=', '<', '<=', '>', '>='])} {num()}"
        if r < 0.6:
            return rnd.choice(["present(a)", "present(t[\"30217\"])", "f", "contains(s, \"局\")",
                               "s in {\"市级\", \"县级\"}", "pct(a) > 0", "c >= 1"])
        if r < 0.7:
            return f"not ({cond(depth + 1)})"
        if r < 0.8:
            return f"if {cond(depth + 1)} then {cond(depth + 1)}"
        return f"({cond(depth + 1)}) {rnd.choice(['and', 'or'])} ({cond(depth + 1)})"

    lines = [HEADER]
    for i in range(rnd.randint(1, 6)):
        kind = rnd.random()
        if kind < 0.5:
            lines.append(f"rule G{i}: {cond()}" + (f" within {rnd.choice(['0.5%', '1', '0.01 万元'])}" if rnd.random() < 0.2 else ""))
        elif kind < 0.8:
            body = rnd.choice(["r.x = sum(children(r).x)", "r.x <= r.y", "r.x = r.y + 0", "level(r) <= 3",
                               "present(parent(r)) or level(r) = 1", "pct(r.x) = change(r.x) / prior(r.x) * 100"])
            lines.append(f"rule G{i} {{ when present(t)\n assert for each r in t where count(children(r)) >= 0: {body} }}")
        else:
            lines.append(f"rule G{i} {{ when {cond()}\n assert {cond()}\n example pass {{a: 1, b: 1}}\n"
                         f" example fail {{a: {rnd.choice(NUMBERS[:6])}}} }}")
    return "\n".join(lines)


def random_value(rnd: random.Random, depth=0):
    r = rnd.random()
    if depth > 4 or r < 0.45:
        return rnd.choice([None, True, False, rnd.randint(-10 ** 6, 10 ** 6), rnd.choice(NUMBERS),
                           Decimal(rnd.choice(["1.5", "NaN", "Infinity", "-0", "1E+400", "3"])),
                           rnd.random() * 100, random_unicode(rnd, rnd.randint(0, 6))])
    if r < 0.7:
        keys = ["value", "unit", "change", "pct", "precision", "printed", "source", "code", "a", "b", "c", "w",
                "s", "f", "t", "x", "y", "line", "_meta", "id", "", "万元"]
        return {rnd.choice(keys): random_value(rnd, depth + 1) for _ in range(rnd.randint(0, 5))}
    return [random_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]


def shaped_record(rnd: random.Random) -> dict:
    """A record shaped like HEADER's declarations, with hostile values here and there."""
    def num():
        return rnd.choice(NUMBERS) if rnd.random() < 0.3 else f"{rnd.uniform(0, 1000):.2f}"

    def fig():
        if rnd.random() < 0.3:
            return {"value": num(), "change": num(), "pct": num(), "unit": rnd.choice(["万元", "元", "人", "%", None])}
        return num()
    record = {"a": fig(), "b": fig(), "c": str(rnd.randint(-5, 50)), "s": rnd.choice(["市级", "示范局", "", "x"]),
              "f": rnd.choice([True, False, "true", None]), "w": {f"p{i}": fig() for i in range(rnd.randint(0, 4))},
              "t": [{"code": rnd.choice(["208", "20805", "2080505", "30217", "x", "", "2"]), "x": fig(), "y": fig()}
                    for _ in range(rnd.randint(0, 5))]}
    for key in list(record):
        if rnd.random() < 0.15:
            del record[key]
    return record


# ---- running one input ----------------------------------------------------------------------------------

class Hang(BaseException):
    """An input past its time: a BaseException, as KeyboardInterrupt is, so that no ``except
    Exception`` of the code under test (a reader turning any failure into "a damaged file") takes
    it for that input's error -- a .doc taking 30 s of CPU was so counted as refused."""


def _check_global_state() -> None:
    """What the library must leave as it found it, after every input."""
    if not gc.isenabled():
        gc.enable()
        raise Broken("the garbage collector was left switched off")
    context = decimal.getcontext()
    if (context.prec, context.rounding, context.Emax, context.Emin) != (28, decimal.ROUND_HALF_EVEN, 999999, -999999) \
            or [t for t, on in context.traps.items() if on] != _DEFAULT_TRAPS:
        decimal.setcontext(decimal.Context())
        raise Broken("the caller's decimal context was changed")


_DEFAULT_TRAPS = [t for t, on in decimal.Context().traps.items() if on]


def _alarm(signum, frame):
    raise Hang()


class Fuzzer:
    def __init__(self, seed: int, out: Path, timeout: float):
        self.rnd = random.Random(seed)
        self.out = out
        self.timeout = timeout
        self.counts = Counter()
        self.outcomes = defaultdict(Counter)
        self.escapes = []
        self.hangs = []
        self.slowest = defaultdict(float)
        self.seconds = defaultdict(float)
        self.tmp = Path(tempfile.mkdtemp(prefix="fiscalrules-fuzz-"))
        self.rule_texts = [p.read_text(encoding="utf-8") for p in
                           [*fiscalrules.bundled_rulesets().values(), ROOT / "examples" / "demo.rules"] if p.exists()]
        self.rule_texts += [p.read_text(encoding="utf-8") for p in (ROOT / "rulesets").glob("_*.rules")]
        docs = [ROOT / "examples" / "bureau_2025.txt", *sorted(Path("/work/shared/disclosures").glob("*.txt"))]
        self.documents = [p.read_text(encoding="utf-8") for p in docs if p.exists()]
        self.demo = fiscalrules.load_ruleset(ROOT / "examples" / "demo.rules") if (ROOT / "examples" / "demo.rules").exists() else None
        self.bundled = [fiscalrules.load_ruleset(p) for p in fiscalrules.bundled_rulesets().values()]
        self.small = fiscalrules.compile_rules(SMALL_RULES)
        self.forms: list | None = None   # (the example in other forms: built at the first document input)

    def run(self, target: str, label: str, payload, fn) -> None:
        self.counts[target] += 1
        signal.signal(signal.SIGPROF, _alarm)    # CPU time: what the input itself costs
        signal.signal(signal.SIGALRM, _alarm)    # wall clock: an input that blocks uses no CPU
        signal.setitimer(signal.ITIMER_PROF, self.timeout)
        signal.setitimer(signal.ITIMER_REAL, max(10 * self.timeout, 300.0))
        started = time.perf_counter()
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                try:
                    outcome = fn(payload) or "ok"
                finally:
                    _check_global_state()
            self.outcomes[target][outcome] += 1
        except Hang:
            self.hangs.append((target, label))
            self._save(target, label, payload, f"no result within {self.timeout}s of CPU time "
                                               f"(or {max(10 * self.timeout, 300.0):.0f}s of wall-clock time)")
        except FiscalRulesError as exc:
            self.outcomes[target][type(exc).__name__] += 1
        except BaseException as exc:  # noqa: BLE001 - an escape is what we are looking for
            if isinstance(exc, KeyboardInterrupt):
                raise
            self.escapes.append((target, label, f"{type(exc).__name__}: {str(exc)[:200]}"))
            self._save(target, label, payload, traceback.format_exc())
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.setitimer(signal.ITIMER_REAL, 0)
            elapsed = time.perf_counter() - started
            self.slowest[target] = max(self.slowest[target], elapsed)
            self.seconds[target] += elapsed

    def pick(self, candidates):
        return self.rnd.choice(candidates)

    def _save(self, target, label, payload, text):
        self.out.mkdir(parents=True, exist_ok=True)
        n = len(self.escapes) + len(self.hangs)
        base = self.out / f"{n:04d}-{target}"
        data = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False, default=str).encode() \
            if not isinstance(payload, str) else payload.encode("utf-8", "surrogatepass")
        base.with_suffix(".input").write_bytes(data[:20_000_000])
        base.with_suffix(".txt").write_text(f"{target} {label}\n{text}", encoding="utf-8")

    # -- targets
    def compile_and_evaluate(self, text: str) -> str:
        rules = fiscalrules.compile_rules(text)
        for _ in range(2):
            try:
                record = fiscalrules.load_record(shaped_record(self.rnd))
            except FiscalRulesError:
                continue
            report = rules.evaluate(record)
            report.to_table()
            report.to_json()
            report.to_csv()
            for f in report.findings:
                f.text("en")
        rules.run_examples()
        return "compiled"

    def one_rules_text(self):
        r = self.rnd.random()
        if r < 0.25:
            text = HEADER + " ".join(self.rnd.choice(TOKENS) for _ in range(self.rnd.randint(0, 60)))
            label = "token soup"
        elif r < 0.35:
            text = random_unicode(self.rnd, self.rnd.randint(0, 300))
            label = "unicode"
        elif r < 0.65 and self.rule_texts:
            text = mutate_lines(self.rnd.choice(self.rule_texts), self.rnd, TOKENS + ["rule X: a = b", "}", "{"])
            label = "mutated rule file"
        else:
            text = grammar_rules(self.rnd)
            label = "grammar"
        self.run("rules-text", label, text, self.compile_and_evaluate)

    def one_rules_bytes(self):
        data = bytes(self.rnd.randrange(256) for _ in range(self.rnd.randint(0, 400)))
        if self.rnd.random() < 0.5 and self.rule_texts:
            raw = bytearray(self.rnd.choice(self.rule_texts).encode("utf-8"))
            for _ in range(self.rnd.randint(1, 20)):
                if raw:
                    raw[self.rnd.randrange(len(raw))] = self.rnd.randrange(256)
            data = bytes(raw)
        path = self.tmp / "fuzz.rules"
        path.write_bytes(data)

        def go(payload):
            with contextlib.suppress(FiscalRulesError):
                fiscalrules.parse(payload)
            for d in fiscalrules.lint([path]):
                d.format()
            fiscalrules.load_ruleset(path)
            return "loaded"
        self.run("rules-bytes", "bytes", data, go)

    def one_record(self):
        data = random_value(self.rnd) if self.rnd.random() < 0.5 else shaped_record(self.rnd)

        heavy = self.rnd.random() < 0.05

        def go(payload):
            record = fiscalrules.load_record(payload)
            for rs in [self.demo, self.small, *(self.bundled if heavy else ())]:
                if rs is not None:
                    try:
                        rs.evaluate(record).to_json()
                    except fiscalrules.RecordError:   # a figure not of its declared kind
                        pass
            return "evaluated"
        self.run("records", "data", data, go)

    def one_record_file(self):
        suffix = self.rnd.choice([".json", ".jsonl", ".yaml", ".yml", ".txt"])
        if self.rnd.random() < 0.5:
            data = json.dumps(random_value(self.rnd), default=str).encode()
            if self.rnd.random() < 0.5 and data:
                cut = self.rnd.randrange(len(data))
                data = data[:cut] + bytes([self.rnd.randrange(256)]) + data[cut + 1:]
        else:
            data = bytes(self.rnd.randrange(256) for _ in range(self.rnd.randint(0, 300)))
        path = self.tmp / f"fuzz{suffix}"
        path.write_bytes(data)

        def go(payload):
            items = list(fiscalrules.read_records(path))
            assert all(isinstance(i, (fiscalrules.Record, fiscalrules.RecordError)) for i in items)
            if self.demo is not None:
                report = self.demo.evaluate_many([path])
                assert len(report.records) == len(items), "evaluate_many dropped a record"
            return "read"
        self.run("record-files", suffix, data, go)

    def one_reader(self):
        if read_disclosure is None:
            return
        if self.documents and self.rnd.random() < 0.8:
            text = mutate_lines(self.rnd.choice(self.documents), self.rnd,
                                ["收入预算总额为 1,234.56 万元", "合计\t1\t2\t3", "单位：万元", "（一）", "第二部分"])
            label = "mutated disclosure"
        else:
            text = random_unicode(self.rnd, self.rnd.randint(0, 500))
            label = "random text"

        self.run("reader", label, text, self.read_and_audit)

    def read_and_audit(self, text: str, evaluate: bool = True) -> str:
        """Read a disclosure; the record must be one the loader and every bundled ruleset accept:
        `fiscalrules audit` would otherwise lose the whole document."""
        data = read_disclosure(text, name="fuzz.txt")
        try:
            record = fiscalrules.load_record(data, file="fuzz.txt")
            for rs in self.bundled if evaluate else ():
                rs.evaluate(record).to_json()
        except fiscalrules.RecordError as exc:
            raise Broken(f"the reader wrote a record that is refused: {exc.format()}") from None
        return "read"

    def one_reader_window(self):
        """A window of a mutated disclosure (cheap), or random text."""
        if read_disclosure is None:
            return
        if self.documents and self.rnd.random() < 0.7:
            lines = self.rnd.choice(self.documents).split("\n")
            start = self.rnd.randrange(len(lines))
            window = "部门预算 收入预算 支出预算 万元\n" + "\n".join(lines[start:start + self.rnd.randint(5, 60)])
            text = mutate_lines(window, self.rnd, ["收入预算总额为 1,234.56 万元", "合计\t1\t2\t3", "单位：万元"])
            label = "window of a disclosure"
        else:
            text = random_unicode(self.rnd, self.rnd.randint(0, 200))
            label = "random text"
        self.run("reader", label, text, lambda t: self.read_and_audit(t, evaluate=self.rnd.random() < 0.1))

    def one_disclosure(self):
        """A whole disclosure, mutated or with hostile characters, audited with the bundled rulesets."""
        if read_disclosure is None or not self.documents:
            return
        text = self.rnd.choice(self.documents)
        if self.rnd.random() < 0.5:
            text, label = hostile.disclosure_with_hostile_text(self.rnd, text), "hostile characters"
        else:
            text, label = mutate_lines(text, self.rnd, ["收入预算总额为 1,234.56 万元", "（一）", "第二部分"]), "mutated"
        self.run("disclosures", label, text, self.read_and_audit)

    def _document_forms(self) -> list:
        """(suffix, bytes) of the example in each form the readers take besides text (built once)."""
        if self.forms is None:
            import published_forms as forms
            text = (ROOT / "examples" / "bureau_2025.txt").read_text(encoding="utf-8")[:6000]
            self.forms = [(".docx", forms.word_document(text)), (".docx", forms.numbered_word_document(text)),
                          (".rtf", forms.rtf_document(text)), (".mht", forms.web_archive(text)),
                          (".doc", forms.word_2003_xml(text)), (".xml", forms.flat_word_xml(forms.word_document(text))),
                          (".xls", forms.xml_spreadsheet(text)), (".html", forms.web_page(text).encode("utf-8")),
                          (".html", forms.web_page(text, charset="gbk").encode("gb18030"))]
            try:
                from test_input_xlsx import workbook_of
                self.forms.append((".xlsx", workbook_of(text)))
                # (its 合计 row as formulas saved without values, their sheet's XML searched for them;
                # and with a run of blanks in a formula's cell, which a careless pattern scans in
                # quadratic time)
                from test_input_xlsx import _with_total_as_formulas
                self.forms.append((".xlsx", _with_total_as_formulas(saved=False)))
                blanks = io.BytesIO()
                with zipfile.ZipFile(io.BytesIO(self.forms[-1][1])) as source, zipfile.ZipFile(blanks, "w") as target:
                    for info in source.infolist():
                        part = source.read(info)
                        if info.filename == "xl/worksheets/sheet1.xml":
                            part = re.sub(rb"</f><v(?:></v>|\s*/>)", b"</f>" + b" " * 200_000, part, count=1)
                        target.writestr(info, part)
                self.forms.append((".xlsx", blanks.getvalue()))
                from test_input_xls import xls_of
                from word97 import word97
                self.forms += [(".xls", xls_of(text)), (".doc", word97(list(forms.blocks(text))))]
            except ImportError:   # (no openpyxl, xlwt or olefile: the extras that write and read them)
                pass
            self.forms.append((".pdf", (ROOT / "examples" / "qingshi_culture_2025.pdf").read_bytes()))
            bundle = io.BytesIO()
            with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
                for number, (suffix, data) in enumerate(self.forms[:4]):
                    archive.writestr(f"预算/{number}{suffix}", data)
            self.forms.append((".zip", bundle.getvalue()))
        return self.forms

    def one_document(self):
        """A disclosure in another form than text, damaged: read, or refused with our error."""
        suffix, data = self.pick(self._document_forms())
        data = bytearray(data)
        pieces = [b"{", b"}", b"\\", b"\\'", b"\\u-1", b"\\bin99 ", b"\\cell", b"\\row", b"<", b">", b"</w:p>",
                  b"<w:tbl>", b'ss:Index="9"', b"<!DOCTYPE x>", b"\x00", b"\xff\xfe", b"=E4=", b"PK\x03\x04",
                  b"<div hidden>", b"<span style='display:none'>", b"</div>", b"<td colspan=99999>", b"<table>"]
        for _ in range(self.rnd.randint(1, 8)):
            at, op = self.rnd.randrange(len(data) + 1), self.rnd.random()
            if op < 0.4 and at < len(data):
                data[at] = self.rnd.randrange(256)
            elif op < 0.6:
                data[at:at] = self.pick(pieces)
            elif op < 0.7:
                del data[at:at + self.rnd.randint(1, 200)]
            elif op < 0.75:
                del data[at:]
            elif data:
                start = self.rnd.randrange(len(data))
                data[at:at] = data[start:start + self.rnd.randint(1, 400)]
        payload = bytes(data)

        def go(payload):
            from fiscalrules.cli_output import DOCUMENT_SUFFIXES, expand
            from fiscalrules.inputs import open_document
            if suffix != ".zip":
                return open_document(payload, f"fuzz{suffix}").kind or "read"
            path = self.tmp / "fuzz.zip"
            path.write_bytes(payload)
            refused, read = [], 0
            for member in expand([str(path)], DOCUMENT_SUFFIXES, refused):
                try:
                    open_document(member)
                    read += 1
                except FiscalRulesError:
                    refused.append(member)
            return f"bundle: {read} read, {len(refused)} refused"
        self.run("documents", suffix, payload, go)

    def one_parse(self):
        r = self.rnd.random()
        if r < 0.4:
            text = HEADER + " ".join(self.rnd.choice(TOKENS) for _ in range(self.rnd.randint(0, 40)))
        elif r < 0.6:
            text = random_unicode(self.rnd, self.rnd.randint(0, 200))
        elif self.rule_texts:
            source = self.rnd.choice(self.rule_texts).split("\n")
            start = self.rnd.randrange(len(source))
            text = mutate_lines("\n".join(source[start:start + 30]), self.rnd, TOKENS + ["rule X: a = b", "}", "{"])
        else:
            text = ""
        self.run("parse", "text", text, lambda t: fiscalrules.parse(t) and "parsed")

    def one_hostile_file(self):
        data, suffix, expected = hostile.hostile_batch(self.rnd)
        path = self.tmp / f"hostile{suffix}"
        path.write_bytes(data)

        def go(payload):
            items = list(fiscalrules.read_records(path))
            if len(items) != expected:
                raise Broken(f"{expected} records in the file, {len(items)} rows read")
            report = self.small.evaluate_many([path])
            if len(report.records) != expected:
                raise Broken(f"{expected} records in the file, {len(report.records)} rows in the report")
            report.to_table()
            report.to_json()
            refused = sum(1 for r in report.records if r.error)
            return "all read" if not refused else "all refused" if refused == expected else "some refused"
        self.run("hostile-files", suffix, data, go)

    def one_packed_table(self):
        """A record file whose tables go through the compact row store (:mod:`fiscalrules.rowstore`,
        the threshold lowered so that small tables are packed): it must read as the same records,
        or the same RecordErrors, as with every table held as a list of rows, and evaluate alike."""
        rnd = self.rnd

        hostile_share = rnd.choice([0.0, 0.0, 0.02, 0.2])

        def cell():
            r = rnd.random()
            if r >= hostile_share:
                r = 0.0
            if r < 0.45:
                return Decimal(rnd.randrange(-10 ** 6, 10 ** 7)).scaleb(-rnd.choice([0, 2, 2, 4]))
            if r < 0.75:
                return rnd.choice(NUMBERS)
            if r < 0.85:
                return rnd.choice([None, True, False])
            return random_unicode(rnd, rnd.randint(0, 6))

        def row(i):
            code = str(rnd.choice([100 + i, 1000 + i, 10 ** 15 + i])) if rnd.random() >= hostile_share else \
                rnd.choice([str(rnd.randrange(100, 100 + 10 * (i + 1))), "A-" + str(i), "", None,
                            rnd.randrange(1000), random_unicode(rnd, 3), "1" + "0" * rnd.randint(0, 25)])
            out = {"code": code, "x": cell()}
            if rnd.random() < 0.2:
                out[rnd.choice(["y", "名称", "flag", "x "])] = cell()
            if rnd.random() < hostile_share / 2:
                out["x"] = rnd.choice([{"value": "1.00"}, [1, 2], {"value": "2", "source": {"line": 3}}])
            if rnd.random() < hostile_share / 2:
                del out["code"]
            return out

        def record(k):
            rows = [row(i) for i in range(rnd.randint(1, 40))]
            return {"_meta": {"id": f"r{k}"}, "a": rnd.choice(NUMBERS), "b": "1", "t": rows}

        suffix = rnd.choice([".json", ".jsonl"])
        records = [record(k) for k in range(rnd.randint(1, 3))]
        texts = [json.dumps(r, ensure_ascii=rnd.random() < 0.5, default=str) for r in records]
        if rnd.random() < 0.1:   # a duplicate key inside one row
            i = rnd.randrange(len(texts))
            texts[i] = texts[i].replace('{"code": ', '{"code": "1", "code": ', 1)
        data = ("\n".join(texts) if suffix == ".jsonl" else
                texts[0] if len(texts) == 1 else "[" + ",".join(texts) + "]").encode("utf-8", "surrogatepass")
        if rnd.random() < 0.1 and data:
            cut = rnd.randrange(len(data))
            data = data[:cut] + bytes([rnd.randrange(256)]) + data[cut + 1:]
        path = self.tmp / f"packed{suffix}"
        path.write_bytes(data)

        def read(threshold: int, run: int) -> list:
            saved = rowstore.PACKED_TABLE_ROWS, rowstore.RUN_BEFORE_PACKING
            rowstore.PACKED_TABLE_ROWS, rowstore.RUN_BEFORE_PACKING = threshold, run
            try:
                return list(fiscalrules.read_records(path))
            finally:
                rowstore.PACKED_TABLE_ROWS, rowstore.RUN_BEFORE_PACKING = saved

        def go(payload):
            plain = read(10 ** 9, rowstore.RUN_BEFORE_PACKING)
            packed = read(rnd.randint(1, 4), rnd.randint(1, 3))
            if len(plain) != len(packed):
                raise Broken(f"{len(plain)} records read as lists of rows, {len(packed)} through the row store")
            for a, b in zip(plain, packed):
                if isinstance(a, fiscalrules.RecordError) or isinstance(b, fiscalrules.RecordError):
                    if not (isinstance(a, fiscalrules.RecordError) and isinstance(b, fiscalrules.RecordError)) \
                            or a.format() != b.format():
                        raise Broken(f"read as lists of rows: {a!r:.200}; through the row store: {b!r:.200}")
                    continue
                if a != b:
                    raise Broken("the record read through the row store differs")
                if self.small.evaluate(a).to_json() != self.small.evaluate(b).to_json():
                    raise Broken("the findings over a packed table differ")
            return "same" if any(not isinstance(a, fiscalrules.RecordError) for a in plain) else "same errors"
        self.run("packed-tables", suffix, data, go)

    def one_invariant(self):
        """A report must not depend on the caller's decimal context, nor change through pickle."""
        record = shaped_record(self.rnd) if self.rnd.random() < 0.5 else hostile.good_record(self.rnd)
        ruleset = self.pick([self.small, self.demo] if self.demo else [self.small])

        def go(payload):
            try:
                expected = ruleset.evaluate(payload)
            except fiscalrules.RecordError:
                return "record refused"
            texts = (expected.to_json(), expected.to_table(lang="en"), expected.to_csv())
            with decimal.localcontext(**self.pick(CALLER_CONTEXTS)):
                got = ruleset.evaluate(payload)
                if (got.to_json(), got.to_table(lang="en"), got.to_csv()) != texts:
                    raise Broken("the report depends on the caller's decimal context")
            copy = pickle.loads(pickle.dumps(expected))
            if (copy.to_json(), copy.to_table(lang="en"), copy.to_csv()) != texts:
                raise Broken("the report changed through pickle")
            rules_copy = pickle.loads(pickle.dumps(ruleset))
            if rules_copy.evaluate(payload).to_json() != texts[0]:
                raise Broken("the ruleset changed through pickle")
            return "identical"
        self.run("invariants", "record", record, go)

    def one_cli(self):
        """A command over hostile files, as a user would type it."""
        rnd, folder = self.rnd, self.tmp / "cli"
        folder.mkdir(exist_ok=True)
        command = rnd.choice(["check", "check", "check", "lint", "audit", "extract"])
        if command in ("check", "lint"):
            rules = folder / "r.rules"
            rules.write_text(SMALL_RULES if rnd.random() < 0.7 else
                             mutate_lines(SMALL_RULES, rnd, TOKENS + ["rule X: a = b"]), encoding="utf-8")
        if command == "check":
            files = []
            for i in range(rnd.randint(1, 3)):
                data, suffix, _ = hostile.hostile_batch(rnd)
                if rnd.random() < 0.2:
                    data = bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 200)))
                path = folder / f"records{i}{suffix}"
                path.write_bytes(data)
                files += ["-r", str(path)]
            argv = ["check", str(rules), *files, "--format", rnd.choice(["table", "json", "jsonl", "csv", "sarif"])]
        elif command == "lint":
            argv = ["lint", str(rules), "--format", rnd.choice(["text", "sarif"])]
        else:
            text = self.rnd.choice(self.documents) if self.documents else ""
            lines = text.split("\n")
            start = rnd.randrange(len(lines))
            window = "部门预算 收入预算 支出预算 万元\n" + "\n".join(lines[start:start + rnd.randint(5, 80)])
            doc = folder / "doc.txt"
            doc.write_text(hostile.disclosure_with_hostile_text(rnd, window) if rnd.random() < 0.5 else
                           mutate_lines(window, rnd, ["收入预算总额为 1,234.56 万元", "单位：万元"]), encoding="utf-8")
            argv = [command, str(doc)]
            if command == "audit":
                argv += ["--format", rnd.choice(["table", "json", "jsonl", "csv", "sarif"])]
        r = rnd.random()
        if r < 0.6:
            argv += ["-o", str(folder / "out")]
        elif r < 0.7:
            argv += ["-o", rnd.choice(["/dev/full", str(folder / "missing" / "out"), str(folder)])]
        if rnd.random() < 0.5:
            argv += ["--lang", "en"]
        self.run("cli", command, argv, self.run_cli)

    @staticmethod
    def run_cli(argv) -> str:
        from fiscalrules.cli import main as cli_main
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors):
            try:
                code = cli_main(list(argv))
            except SystemExit as exc:   # argparse refusing the arguments
                code = exc.code
        if code not in (0, 1, 2):
            raise Broken(f"the command line ended with exit {code!r}")
        if "Traceback" in errors.getvalue():
            raise Broken("a traceback on standard error: " + errors.getvalue()[-300:])
        return f"exit {code}"

    def nasty_files(self):
        """Devices, a FIFO, a directory and a 1 GB sparse file, for every entry point that opens files."""
        fifo = self.tmp / "fifo"
        if hasattr(os, "mkfifo") and not fifo.exists():
            os.mkfifo(fifo)
        huge = self.tmp / "huge.bin"
        if not huge.exists():
            with open(huge, "wb") as handle:
                handle.write(b"field a: amount\n")
                handle.truncate(1_000_000_000)
        for label, path in {"/dev/zero": Path("/dev/zero"), "FIFO": fifo, "directory": self.tmp,
                            "1 GB sparse": huge}.items():
            if not os.path.exists(path):
                continue
            self.run("nasty", f"rule file: {label}", str(path), lambda p: fiscalrules.load_ruleset(p) and "loaded")
            self.run("nasty", f"record file: {label}", str(path),
                     lambda p: [i for i in fiscalrules.read_records(p) if isinstance(i, fiscalrules.Record)] and "read")
            if read_disclosure is not None:
                self.run("nasty", f"document: {label}", str(path), lambda p: read_disclosure(p) and "read")

    def nasty_round(self):
        deep = "(" * 10_000 + "a" + ")" * 10_000
        sum_ = " + ".join(["b"] * 10_000)
        for label, text in {
            "empty": "", "10000-deep parentheses": HEADER + f"rule R: {deep} = b",
            "10000-term sum": HEADER + f"rule R: a = {sum_}", "1e400": HEADER + "rule R: a = 1e400",
            "NaN": HEADER + "rule R: a = NaN", "Infinity": HEADER + "rule R: a = Infinity",
            "-0": HEADER + "rule R: a = −0", "40 digits": HEADER + "rule R: a = 1234567890123456789012345678901234567890",
            "40-digit default": "field a: amount default 1234567890123456789012345678901234567890",
        }.items():
            self.run("nasty", f"rules: {label}", text, self.compile_and_evaluate)
        for label, data in {"NaN": {"a": "NaN"}, "Infinity": {"a": "Infinity"}, "1e400": {"a": Decimal("1e400")},
                            "-0": {"a": "−0"}, "40 digits": {"a": "1234567890123456789012345678901234567890"},
                            "float": {"a": 1.5}, "deep": json.loads("[" * 900 + "]" * 900)}.items():
            self.run("nasty", f"record: {label}", data, lambda d: fiscalrules.load_record(d) and "loaded")
        for label, data in {"empty": b"", "binary": bytes(range(256)), "invalid utf-8": b"\xff\xfe\xfa",
                            "deep": b"[" * 100_000 + b"]" * 100_000}.items():
            path = self.tmp / "nasty.json"
            path.write_bytes(data)
            self.run("nasty", f"record file: {label}", data, lambda d: list(fiscalrules.read_records(path)) and "read")
        if read_disclosure is not None:
            for label, data in {"empty": b"", "binary": bytes(range(256)) * 50, "invalid utf-8": b"\xff\xfe\xfa\x00",
                                "40 digits": ("部门预算\n收入预算总额为 " + "9" * 40 + " 万元").encode()}.items():
                path = self.tmp / "nasty.txt"
                path.write_bytes(data)
                self.run("nasty", f"document: {label}", data, lambda d: read_disclosure(str(path)) and "read")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, nargs="?", default=10 ** 9, help="number of random inputs")
    parser.add_argument("--seconds", type=float, help="stop after this many seconds (for CI)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--heavy", action="store_true", help="also run the 10 MB inputs (in child processes)")
    parser.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "fiscalrules-fuzz-escapes"))
    parser.add_argument("--timeout", type=float, default=60.0, help="CPU seconds per input before it counts as a hang")
    parser.add_argument("--only", metavar="TARGET,…", help="fuzz only these targets (e.g. cli,hostile-files)")
    args = parser.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    fuzzer = Fuzzer(args.seed, Path(args.out), args.timeout)
    # Weighted so that cheap inputs make up the bulk: a whole disclosure audited with the bundled
    # rulesets costs a thousand parses.
    targets = [("parse", fuzzer.one_parse, 0.10), ("rules-text", fuzzer.one_rules_text, 0.01),
               ("rules-bytes", fuzzer.one_rules_bytes, 0.02), ("records", fuzzer.one_record, 0.38),
               ("record-files", fuzzer.one_record_file, 0.33), ("hostile-files", fuzzer.one_hostile_file, 0.03),
               ("reader", fuzzer.one_reader_window, 0.10), ("reader", fuzzer.one_reader, 0.001),
               ("disclosures", fuzzer.one_disclosure, 0.001), ("invariants", fuzzer.one_invariant, 0.015),
               ("cli", fuzzer.one_cli, 0.01), ("packed-tables", fuzzer.one_packed_table, 0.02),
               ("documents", fuzzer.one_document, 0.02)]
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        unknown = wanted - {name for name, _, _ in targets}
        if unknown:
            parser.error(f"unknown target(s): {', '.join(sorted(unknown))}")
        targets = [t for t in targets if t[0] in wanted]
    targets = [(fn, weight) for _, fn, weight in targets]
    started = time.perf_counter()
    done = 0
    fuzzer.nasty_files()
    while done < args.count and (args.seconds is None or time.perf_counter() - started < args.seconds):
        if done % 10_000 == 0:
            fuzzer.nasty_round()
        fn = fuzzer.rnd.choices([t for t, _ in targets], [w for _, w in targets])[0]
        fn()
        done += 1
        if done % 10_000 == 0:
            print(f"  {done} inputs, {len(fuzzer.escapes)} escapes, {len(fuzzer.hangs)} hangs, "
                  f"{time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - started
    print(f"fuzzed {sum(fuzzer.counts.values())} inputs ({done} random + hostile cases) in {elapsed:.1f}s, "
          f"seed {args.seed}, one process")
    print(f"{'target':14s} {'inputs':>7s} {'seconds':>8s} {'slowest':>9s}  outcomes")
    for target in ("parse", "rules-text", "rules-bytes", "records", "record-files", "hostile-files", "reader",
                   "disclosures", "invariants", "cli", "packed-tables", "documents", "nasty"):
        outcomes = ", ".join(f"{k} {v}" for k, v in fuzzer.outcomes[target].most_common())
        print(f"{target:14s} {fuzzer.counts[target]:7d} {fuzzer.seconds[target]:8.0f} {fuzzer.slowest[target]:8.2f}s  "
              f"{outcomes}")
    print(f"peak memory of the fuzzing process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.heavy:
        print("10 MB inputs (each in a child process):")
        for label, size, outcome, seconds, rss in heavy_inputs(fuzzer.tmp, fuzzer.documents):
            print(f"  {label:32s} {size / 1e6:5.1f} MB  {seconds:7.1f}s  peak {rss:7.0f} MB  {outcome}")
            if outcome.startswith(("ESCAPE", "HANG", "died")):
                fuzzer.escapes.append(("heavy", label, outcome))
    print(f"escapes: {len(fuzzer.escapes)}, hangs: {len(fuzzer.hangs)}")
    for target, label, what in sorted(set(fuzzer.escapes))[:30]:
        print(f"  ESCAPE {target} ({label}): {what}")
    for target, label in fuzzer.hangs[:10]:
        print(f"  HANG {target} ({label})")
    if fuzzer.escapes or fuzzer.hangs:
        print(f"inputs and tracebacks saved in {args.out}")
    shutil.rmtree(fuzzer.tmp, ignore_errors=True)   # the inputs, a FIFO and a 1 GB sparse file
    return 1 if fuzzer.escapes or fuzzer.hangs else 0


if __name__ == "__main__":
    sys.exit(main())

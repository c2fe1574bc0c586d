"""Benchmark: parsing, checking and compiling a generated 10,000-rule file.

    python benchmarks/bench_parse.py [RULES] [--repeat R] [--profile]
    python benchmarks/bench_parse.py 1000 --instructions [--baseline DIR]

Generates a rule file of RULES rules (default 10,000) over 200 declared fields, two tables and a
wildcard group, mixing the forms real rulesets use: one-line sums, block rules with metadata,
message templates and inline examples, per-row roll-ups with children(), comprehensions with
where, lookups by code, change/prior/pct identities, text membership, when and within.  It then
times each stage separately and all of them together (as ``fiscalrules.compile_rules`` runs them):

* parse   -- ``fiscalrules.parse`` (lark LALR + building the AST);
* check   -- ``fiscalrules.checker.check`` (names, types, units, placeholders);
* compile -- building the ``Ruleset`` (each rule's closures are built on its first use since
  session 8: see ``evaluator.CompiledRule``; the closures are then part of the first evaluation).

With the full breakdown (not ``--quick``) it also counts the collector's full collections per stage
and the objects they examined: the collector's cost, in a figure that does not depend on the
machine's load.

With ``--instructions`` it counts, for each stage, the instructions it executes under
``valgrind --tool=callgrind`` (``PYTHONHASHSEED=0``; each stage of a compile that follows a full
compile of the same file in the same process, only the stage counted): a figure that the machine's
load does not change, for comparing two trees (``--baseline``: another checkout, its
``fiscalrules`` run by this script).  Use a smaller file (1,000 rules): callgrind is ~50 times
slower than the plain run.

Target: parse + check + compile under 1 s.  The lark parser is built once per process and is
not part of the figure (its one-off construction time is printed separately).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import statistics
import sys
import time

# the checkout measured: this one, or (--instructions --baseline) the one named by _BENCH_TREE
sys.path.insert(0, os.environ.get("_BENCH_TREE") or os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import fiscalrules  # noqa: E402
from fiscalrules.checker import check  # noqa: E402
from fiscalrules.lalr import FastParser  # noqa: E402
from fiscalrules.lalr import make_token, spanned  # noqa: E402
from fiscalrules.loader import Ruleset, bundled_rulesets, load_ruleset  # noqa: E402
from fiscalrules.parser import _Builder, _fast_parser, _parser  # noqa: E402

FIELDS = 200


def generate(n_rules: int) -> str:
    out = ['ruleset big "生成的规则" "Generated rules"', "unit 万元", "precision 万元 0.01", ""]
    for i in range(FIELDS):
        out.append(f'field f.a{i} "字段{i}", "别名{i}": amount')
    out.append('field parts.* : amount')
    for i in range(5):
        out.append(f'field parts.p{i} "部分{i}": amount')
    out.append('field doc.level "政府层级": text')
    out.append('field staff.n{0} "人数{0}": count 人'.format(0))
    out.append('field staff.n1 "人数1": count 人')
    out.append('field tables.function "功能分类": table(code: text, name: text, total "合计": amount, '
               'basic: amount default 0, project: amount default 0)')
    out.append('field tables.economic "经济分类": table(code: text, total: amount)')
    out.append("")
    templates = [
        'rule G{i} "合计等于各项之和{i}" "Total equals parts {i}": f.a{a} = f.a{b} + f.a{c} + f.a{d}',
        'rule G{i} "通配符{i}": 字段{a} = sum(parts.*)',
        'rule G{i} "不等式{i}": f.a{a} <= f.a{b} within 0.5%',
        'rule G{i} "变动{i}" {{\n    tags change\n    assert change(f.a{a}) = change(f.a{b}) + change(f.a{c})\n}}',
        'rule G{i} "增长率{i}" {{\n    severity warning\n    when present(pct(f.a{a}))\n'
        '    assert pct(f.a{a}) = change(f.a{a}) / prior(f.a{a}) * 100\n}}',
        'rule G{i} "上级等于下级之和{i}" "Roll-up {i}" {{\n    severity error\n    tags classification\n'
        '    reference "财预〔2016〕143号"\n    description "上级科目等于下级科目之和" "A parent equals its children"\n'
        '    message "科目 {{row}}：{{left}} 对 {{right}}，差 {{diff}}" "Class {{row}}: {{left}} vs {{right}}"\n'
        '    assert for each r in tables.function where count(children(r)) > 0:\n'
        '        r.total = sum(children(r).total)\n'
        '    example pass {{tables.function: [{{code: "208", total: 5}}, {{code: "20805", total: 5}}]}}\n'
        '    example fail {{tables.function: [{{code: "208", total: 5}}, {{code: "20805", total: 4}}]}}\n}}',
        'rule G{i} "类级之和{i}": f.a{a} = sum(r.total for r in 功能分类 where level(r) = 1)',
        'rule G{i} "查找{i}": 别名{a} = tables.economic["302{j:02d}"].total',
        'rule G{i} "层级{i}" {{\n    severity info\n    assert doc.level in {{"省级", "市级", "区级", "县级", "乡级"}}\n}}',
        'rule G{i} "人数{i}": staff.n0 = staff.n1 + {k} 人',
        'rule G{i} "蕴含{i}": if f.a{a} > 0 then f.a{b} > 0 and not f.a{c} < 0',
        'rule G{i} "差额{i}": abs(f.a{a} - f.a{b}) <= 1 万元',
    ]
    for i in range(n_rules):
        a, b, c, d = (i * 7) % FIELDS, (i * 11 + 1) % FIELDS, (i * 13 + 2) % FIELDS, (i * 17 + 3) % FIELDS
        out.append(templates[i % len(templates)].format(i=i, a=a, b=b, c=c, d=d, j=i % 99, k=i % 9))
    return "\n".join(out) + "\n"


def generate_simple(n_rules: int) -> str:
    """The cheapest realistic form: one-line sums over declared fields (for comparison)."""
    head = generate(0)
    rules = [f'rule S{i} "合计{i}": f.a{i % FIELDS} = f.a{(i + 1) % FIELDS} + f.a{(i + 2) % FIELDS}'
             for i in range(n_rules)]
    return head + "\n".join(rules) + "\n"


def stages(text: str):
    t0 = time.process_time()
    tree = fiscalrules.parse(text, "big.rules")
    t1 = time.process_time()
    checked = check([tree])
    t2 = time.process_time()
    del tree  # as compile_rules lets the parsed file go once it is checked
    ruleset = Ruleset(checked)
    t3 = time.process_time()
    return t1 - t0, t2 - t1, t3 - t2, ruleset


def _median(values):
    return statistics.median(values)


def _runs(text: str, n_rules: int, repeat: int, collector: bool) -> list[tuple[float, float, float]]:
    """(parse, check, compile) CPU seconds of *repeat* runs, each from a collected heap."""
    runs = []
    for _ in range(repeat):
        gc.collect()
        if not collector:
            gc.disable()
        try:
            p, c, k, ruleset = stages(text)
        finally:
            gc.enable()
        assert len(ruleset.rules) == n_rules
        del ruleset
        runs.append((p, c, k))
    return runs


class _NullBuilder(_Builder):
    """The AST builder with every method returning None: what the parse costs without the AST."""


def _null(method):
    if getattr(method, "spanned", False):  # it takes (span data, children): lalr.spanned
        return spanned(lambda self, meta, children: None)
    return lambda self, children: None


for _name in dir(_Builder):
    if not _name.startswith("_") and callable(getattr(_Builder, _name)):
        setattr(_NullBuilder, _name, _null(getattr(_Builder, _name)))


def _collector_work(text: str) -> dict[str, list[int]]:
    """Per stage of one compile (collector running): the collector's full collections and the
    tracked objects they examined.  Unlike its seconds, these do not depend on the machine's
    load: the cost of the collector is proportional to the objects examined."""
    work = {stage: [0, 0] for stage in ("parse", "check", "compile")}
    stage = ["parse"]

    def count(phase, info):
        if phase == "start" and info["generation"] == 2:
            gc.callbacks.remove(count)   # get_objects itself must not be counted
            try:
                work[stage[0]][0] += 1
                work[stage[0]][1] += len(gc.get_objects())
            finally:
                gc.callbacks.append(count)

    gc.collect()
    gc.callbacks.append(count)
    try:
        tree = fiscalrules.parse(text, "big.rules")
        stage[0] = "check"
        checked = check([tree])
        del tree
        stage[0] = "compile"
        ruleset = Ruleset(checked)
    finally:
        gc.callbacks.remove(count)
    del checked, ruleset
    return work


def _lexing_seconds(text: str) -> float:
    """Lexing alone: the contextual scanners of the state stacks the parse met, in the order it
    met them, each token made as the parse makes it -- without the automaton."""
    fast = _fast_parser()
    met: list = []

    class Recording(list):
        def __getitem__(self, sid):
            met.append(sid)
            return list.__getitem__(self, sid)

    recording = fast.stack_lexers = Recording(fast.stack_lexers)
    try:
        fast.parse(text, "big.rules")
    finally:
        fast.stack_lexers = list(recording)
    scanners = [fast.stack_lexers[sid] for sid in met]
    gc.collect()
    t0 = time.process_time()
    pos, line, line_start, length, tokens = 0, 1, 0, len(text), []
    for lexer in scanners:
        if pos >= length:
            break
        by_char, scanner, special = lexer
        while True:  # blank space and comments with the same scanner, as the parse does
            char = text[pos]
            match = (by_char.get(char) or scanner.for_char(char)).match(text, pos)
            type_ = match.lastgroup
            value = match.group(type_)  # the blanks after it are the match's (blanks_after)
            column, start_line = pos - line_start + 1, line
            kind = special.get(type_)
            if kind is not None and kind[0] and "\n" in value:
                line += value.count("\n")
                line_start = pos + value.rindex("\n") + 1
            end = pos + len(value)
            pos = match.end()
            if kind is None or not kind[1] or pos >= length:
                break
        if kind is not None and kind[1]:
            break
        if kind is not None and kind[2] is not None:
            type_ = kind[2].get(value) or type_
        tokens.append(make_token(type_, value, start_line, column, line, end - line_start + 1))
    return time.process_time() - t0


def _parse_parts(text: str, repeat: int) -> tuple[float | None, float, float]:
    """The parse with the collector paused, split: lexing, the LALR automaton (reductions with a
    builder that builds nothing) and building the AST (the rest).  Lexing is None with the C loop:
    its lexing is not replayed apart (_lexing_seconds replays the Python loop's scanners)."""
    null = FastParser(_parser(), _NullBuilder)
    lexing, automaton, whole = [], [], []
    for _ in range(repeat):
        if null.automaton is None:
            lexing.append(_lexing_seconds(text))
        for parse, out in ((lambda: null.parse(text, "big.rules"), automaton),
                           (lambda: _fast_parser().parse(text, "big.rules"), whole)):
            gc.collect()
            gc.disable()
            try:
                t0 = time.process_time()
                parse()
                out.append(time.process_time() - t0)
            finally:
                gc.enable()
    auto, full = _median(automaton), _median(whole)
    if not lexing:
        return None, auto, full - auto
    lex = _median(lexing)
    return lex, auto - lex, full - auto


def _all_closures(text: str, repeat: int) -> float:
    """CPU seconds to build every closure of every rule of a compiled ruleset (median of
    *repeat*): a rule's closures are built on its first use (``evaluator.CompiledRule``), so the
    compile stage no longer includes them; this is what an evaluation touching every rule adds."""
    from fiscalrules.evaluator import _ASSERTION_CLOSURES, _PRECONDITION_CLOSURES
    names = sorted(_PRECONDITION_CLOSURES | _ASSERTION_CLOSURES)
    seconds = []
    for _ in range(repeat):
        ruleset = fiscalrules.compile_rules(text, name="big.rules")
        gc.collect()
        t0 = time.process_time()
        for rule in ruleset.rules:
            for name in names:
                getattr(rule, name)
        seconds.append(time.process_time() - t0)
        del ruleset
    return _median(seconds)


def _bundled(repeat: int) -> list[tuple[str, int, float]]:
    """Each bundled ruleset compiled as the CLI's cold start compiles it (cache off)."""
    os.environ["FISCALRULES_CACHE"] = "0"
    out = []
    for name in sorted(bundled_rulesets()):
        seconds = []
        for _ in range(repeat):
            gc.collect()
            t0 = time.process_time()
            ruleset = load_ruleset(name)
            seconds.append(time.process_time() - t0)
        out.append((name, len(ruleset.rules), _median(seconds)))
    return out


STAGES = ("parse", "check", "compile")


def _one_stage(text: str, stage: str) -> None:
    """Run a compile of *text* after a first one, *stage* alone called through
    ``functools.reduce`` (a C function the callgrind run collects from: ``--toggle-collect``)."""
    import functools
    stages(generate(100))
    stages(text)
    gc.collect()
    box: dict = {}
    steps = {"parse": lambda: box.update(tree=fiscalrules.parse(text, "big.rules")),
             "check": lambda: box.update(checked=check([box.pop("tree")])),
             "compile": lambda: box.update(ruleset=Ruleset(box.pop("checked")))}
    for name in STAGES:
        if name == stage:
            functools.reduce(lambda _acc, step: step(), [steps[name]], None)
            return
        steps[name]()


def _instructions(n_rules: int, stage: str, tree: str | None, simple: bool = False) -> int | None:
    """Instructions of one *stage* of compiling the generated *n_rules* file (callgrind), or
    None without valgrind."""
    import re
    import shutil
    import subprocess
    if shutil.which("valgrind") is None:
        return None
    env = dict(os.environ, PYTHONHASHSEED="0")
    if tree:
        env["_BENCH_TREE"] = os.path.abspath(tree)
    done = subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no",
                           "--toggle-collect=functools_reduce", "--callgrind-out-file=/dev/null",
                           sys.executable, os.path.abspath(__file__), str(n_rules), "--_stage", stage]
                          + (["--simple"] if simple else []),
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the {stage} stage under callgrind failed ({done.returncode}):\n{done.stderr[-2000:]}")
    found = re.search(r"Collected\s*:\s*(\d+)", done.stderr)
    return int(found.group(1)) if found else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("rules", nargs="?", type=int, default=10_000, help="number of rules (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs; medians are reported (default 3)")
    parser.add_argument("--profile", action="store_true", help="profile one run and print the top functions")
    parser.add_argument("--simple", action="store_true", help="one-line sum rules only, instead of the mix")
    parser.add_argument("--quick", action="store_true",
                        help="the stages only: no breakdown, no lark, no bundled rulesets")
    parser.add_argument("--instructions", action="store_true",
                        help="count each stage's instructions under callgrind (use ~1000 rules)")
    parser.add_argument("--baseline", help="with --instructions: another checkout to count too")
    parser.add_argument("--_stage", choices=STAGES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._stage:
        _one_stage((generate_simple if args.simple else generate)(args.rules), args._stage)
        return 0
    if args.instructions:
        print(f"instructions per stage, {args.rules} rules (callgrind, PYTHONHASHSEED=0):")
        for stage in STAGES:
            ours = _instructions(args.rules, stage, None, args.simple)
            if ours is None:
                print("  valgrind is not installed")
                return 0
            line = f"  {stage:8} {ours / 1e6:8.1f} M"
            if args.baseline:
                theirs = _instructions(args.rules, stage, args.baseline, args.simple)
                line += f"   baseline {theirs / 1e6:8.1f} M   ratio {ours / theirs:.3f}"
            print(line)
        return 0

    text = (generate_simple if args.simple else generate)(args.rules)
    lines = text.count("\n")
    t0 = time.process_time()
    _parser()
    _fast_parser()
    print(f"lark parser built once in {time.process_time() - t0:.3f} s (not counted below)")
    stages(generate(100))  # every form once: the contextual lexers are built on first use
    print(f"generated {args.rules} rules: {lines} lines, {len(text.encode('utf-8')) / 1e6:.2f} MB")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        stages(text)
        profiler.disable()
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(25)
        print(stream.getvalue())
        return 0

    runs = _runs(text, args.rules, args.repeat, collector=True)
    p, c, k = (_median(column) for column in zip(*runs))
    best = min(sum(run) for run in runs)
    print(f"CPU seconds, median of {args.repeat} runs (collector running, as in any program):")
    print(f"  parse   {p:7.3f} s")
    print(f"  check   {c:7.3f} s")
    print(f"  compile {k:7.3f} s")
    print(f"  total   {p + c + k:7.3f} s   (best {best:.3f} s; target < 1 s)")
    ends = []
    for _ in range(args.repeat):
        gc.collect()
        t0 = time.process_time()
        ruleset = fiscalrules.compile_rules(text, name="big.rules")
        ends.append(time.process_time() - t0)
        del ruleset
    print(f"  fiscalrules.compile_rules end to end: {_median(ends):.3f} s")
    print(f"  every closure of every rule, built on first use (compile built them all up front before "
          f"session 8): {_all_closures(text, args.repeat):.3f} s")
    if args.quick:
        return 0
    # Where the time goes: the same stages with the cyclic collector paused (its full passes
    # over the growing heap of AST nodes and closures are the difference), and the parse split.
    paused = _runs(text, args.rules, args.repeat, collector=False)
    pp, pc, pk = (_median(column) for column in zip(*paused))
    print(f"  collector paused: parse {pp:.3f} s, check {pc:.3f} s, compile {pk:.3f} s, total {pp + pc + pk:.3f} s "
          f"(the collector's share: {p + c + k - pp - pc - pk:.3f} s)")
    work = _collector_work(text)
    print("  the collector's full collections (objects examined): " + ", ".join(
        f"{stage} {n} ({examined:,})" for stage, (n, examined) in work.items())
        + f"; {sum(n for _, n in work.values()):,} objects in all")
    lexing, automaton, building = _parse_parts(text, args.repeat)
    split = (f"lexing {lexing:.3f} s, LALR automaton {automaton:.3f} s" if lexing is not None
             else f"lexing and LALR automaton (the C loop) {automaton:.3f} s")
    print(f"  parse, collector paused: {split}, AST building {building:.3f} s")
    gc.collect()
    t0 = time.process_time()
    tree = _parser().parse(text)
    lark_seconds = time.process_time() - t0
    del tree
    print(f"  (lark's own parse -- lexing and its parse tree, no AST -- takes {lark_seconds:.3f} s)")
    print("bundled rulesets compiled cold (parse, check, compile; cache off), median CPU seconds:")
    for name, n_rules, seconds in _bundled(args.repeat):
        print(f"  {name:28} {n_rules:4} rules  {seconds:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

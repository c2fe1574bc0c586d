"""The 10 MB inputs of ``fuzz_inputs.py --heavy``: a 10 MB rule file, record, disclosure and 10 MB
of junk for each, each run in a child process whose time and peak memory are reported."""

from __future__ import annotations

import json
import multiprocessing
import resource
import time
from pathlib import Path

import fiscalrules
from fiscalrules import FiscalRulesError

try:
    from fiscalrules.readers import read_disclosure
except ImportError:  # pragma: no cover
    read_disclosure = None


def _heavy_child(kind: str, path: str, queue) -> None:
    started = time.perf_counter()
    outcome = "ok"
    try:
        if kind == "rules":
            fiscalrules.load_ruleset(path)
        elif kind == "record":
            items = list(fiscalrules.read_records(path))
            outcome = f"{len(items)} item(s)"
        else:
            data = read_disclosure(path)
            fiscalrules.load_record(data)
    except FiscalRulesError as exc:
        outcome = f"{type(exc).__name__} {exc.code}"
    except BaseException as exc:  # noqa: BLE001
        outcome = f"ESCAPE {type(exc).__name__}: {str(exc)[:120]}"
    queue.put((outcome, time.perf_counter() - started,
               resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def heavy_inputs(tmp: Path, documents: list) -> list:
    size = 10_000_000
    cases = []
    path = tmp / "10MB-junk.rules"
    path.write_bytes((b"\x01\xffjunk " * (size // 7 + 1))[:size])
    cases.append(("rules", "10 MB of binary junk", path))
    path = tmp / "10MB-valid.rules"
    body = "field a: amount\nfield b: amount\n" + "".join(f"rule R{i}: a = b + {i}\n" for i in range(size // 24))
    path.write_text(body[:size].rsplit("\n", 1)[0] + "\n", encoding="utf-8")
    cases.append(("rules", "10 MB of rules", path))
    path = tmp / "10MB.json"
    path.write_text(json.dumps({"t": [{"code": f"2{i:07d}", "x": f"{i}.50"} for i in range(size // 32)]}), encoding="utf-8")
    cases.append(("record", "10 MB JSON record", path))
    path = tmp / "10MB.jsonl"
    path.write_text("\n".join(json.dumps({"a": str(i), "b": {"x": "1"}}) for i in range(size // 28)), encoding="utf-8")
    cases.append(("record", "10 MB of JSON Lines", path))
    if read_disclosure is not None:
        if documents:
            doc = documents[0]
            path = tmp / "10MB-disclosure.txt"
            path.write_text((doc * (size // len(doc.encode("utf-8")) + 1))[: size // 3], encoding="utf-8")
            cases.append(("document", "10 MB disclosure (repeated)", path))
        path = tmp / "10MB-junk.txt"
        path.write_bytes((("收入预算总额 junk 123.45 万元 " * (size // 30 + 1)).encode("utf-8"))[:size].rsplit(b" ", 1)[0])
        cases.append(("document", "10 MB of disclosure-like junk", path))
    results = []
    ctx = multiprocessing.get_context("fork")
    for kind, label, path in cases:
        queue = ctx.Queue()
        proc = ctx.Process(target=_heavy_child, args=(kind, str(path), queue))
        proc.start()
        proc.join(600)
        if proc.is_alive():
            proc.kill()
            results.append((label, path.stat().st_size, "HANG (>600 s)", 600.0, float("nan")))
        else:
            outcome, seconds, rss = queue.get() if not queue.empty() else (f"died (exit {proc.exitcode})", 0.0, float("nan"))
            results.append((label, path.stat().st_size, outcome, seconds, rss))
    return results



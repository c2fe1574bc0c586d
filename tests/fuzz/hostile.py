"""Generators of hostile inputs for the fuzz script, by class (issue 12): each returns the bytes of a
file, the suffix to give it and -- where the input is a batch -- how many records it holds, so the
fuzzer can check that every record yields its row.

Classes: YAML alias bombs and recursive aliases; YAML streams with broken documents among good
ones; JSON Lines with U+2028 / U+0085 / U+001C … inside strings; duplicate keys (and one figure
written through a dotted key and through nested objects); huge codes and
line numbers; ``_meta`` of the wrong type; decimal commas, Arabic-Indic and other non-ASCII digits;
booleans and text where amounts are declared; invisible characters inside units and numbers of a
disclosure; disclosures whose lines run together into one long line.
"""

from __future__ import annotations

import json
import random

SEPARATORS = ["\u2028", "\u2029", "\u0085", "\u001c", "\u001d", "\u001e", "\u000b", "\u000c", "\r", "\x00"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u202e"]
FOREIGN_DIGITS = ["\u0663", "\u06f3", "\u0969", "\u09e9", "\u0e53", "\uff13", "\u1813", "\U0001d7d1"]
BAD_AMOUNTS = ["1.234,56", "12,34", "1,2345", "- 3", "1 2 3", "\u0663\u0664", "3\u06f3", "1e5", "NaN", "-Infinity",
               "9" * 40, "0." + "0" * 40 + "1", True, False, "n/a", "", " ", "万元", "１２３４．５", "1,234.50"]
BAD_META = [{"unread": 5}, {"unread": "abc"}, {"unread": [1, 2]}, {"unread": [{"lines": "x"}]},
            {"unread": [{"lines": [1, 2, 3]}]}, {"unread": [{"section": 5}]}, {"document": 123},
            {"document": ["a"]}, {"id": {"x": 1}}, {"id": True}, "meta", [1], {"unread": [{"lines": [10 ** 30]}]}]
HUGE_NUMBERS = ["1e5000", "-1e5000", "1" + "0" * 5000, "1.5", "-0", "1e-5000", "123456789012345678901234567890123"]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def good_record(rnd: random.Random) -> dict:
    return {"a": f"{rnd.uniform(0, 1000):.2f}", "b": f"{rnd.uniform(0, 1000):.2f}",
            "t": [{"code": code, "x": str(rnd.randint(0, 9))} for code in rnd.sample(["208", "20805", "2080505", "30217"], 2)]}


def bad_record(rnd: random.Random) -> str:
    """The JSON text of one record that the loader (or the ruleset's declarations) must refuse."""
    kind = rnd.randrange(7)
    record = good_record(rnd)
    if kind == 0:
        record["a"] = rnd.choice(BAD_AMOUNTS[:-2])   # the last two are fine amounts
        return _json(record)
    if kind == 1:
        record["_meta"] = rnd.choice(BAD_META)
        return _json(record)
    if kind == 2:   # a key twice
        text = _json(record)
        return text[:-1] + ', "a": "1"}'
    if kind == 3:   # a huge or fractional code, as a JSON number
        return _json({"t": [{"code": 0}]}).replace("0", rnd.choice(HUGE_NUMBERS), 1)
    if kind == 4:   # a huge line number
        return '{"a": {"value": "1", "source": {"line": %s}}, "b": "1"}' % rnd.choice(HUGE_NUMBERS)
    if kind == 5:   # one figure through a dotted key and through nested objects (session 24)
        record["c.d"] = "1"
        record["c"] = {"d": rnd.choice(["2", {"value": "2"}])}
        return _json(record)
    record["t"].append(dict(record["t"][0]))      # a code twice
    return _json(record)


def yaml_bomb(rnd: random.Random) -> str:
    levels, width = rnd.randint(2, 12), rnd.randint(2, 12)
    lines = ['a0: &a0 {value: "1"}'] if rnd.random() < 0.5 else ['a0: &a0 ["x", "y"]']
    for i in range(1, levels + 1):
        refs = ", ".join(f"*a{i - 1}" for _ in range(width))
        lines.append(f"a{i}: &a{i} [{refs}]" if rnd.random() < 0.5 else
                     f"a{i}: &a{i} {{" + ", ".join(f"k{j}: *a{i - 1}" for j in range(width)) + "}")
    if rnd.random() < 0.2:
        lines.append("r: &r [*r, *r]")   # recursive
    if rnd.random() < 0.2:
        lines.append("m: {<<: [*a1, *a1]}")
    return "\n".join(lines) + "\n"


def hostile_batch(rnd: random.Random) -> tuple[bytes, str, int]:
    """A batch file of good and bad records, some of them not even well formed, and how many
    records (rows) it holds."""
    fmt = rnd.choice(["jsonl", "yaml", "json"])
    count = rnd.randint(1, 12)
    records = [(_json(good_record(rnd)) if rnd.random() < 0.5 else bad_record(rnd)) for _ in range(count)]
    if fmt == "jsonl":
        lines = []
        for text in records:
            if rnd.random() < 0.3:   # separators inside a string: one record still
                sep = rnd.choice(SEPARATORS[:3])
                text = text[:-1] + f', "s": "x{sep}y"}}'
            if rnd.random() < 0.1:
                text = text[: rnd.randint(1, len(text) - 1)]   # cut: invalid JSON, still one row
            if rnd.random() < 0.1:
                text = text[:-1] + f', "s": "x{rnd.choice(SEPARATORS[3:])}y"}}'   # raw control char: one bad row
            lines.append(text)
        body = ("\r\n" if rnd.random() < 0.2 else "\n").join(lines) + "\n"
        return body.encode("utf-8"), ".jsonl", count
    if fmt == "yaml":
        docs = []
        for text in records:
            r = rnd.random()
            if r < 0.1:
                text = "a: [1\nb: 2"                       # not YAML
            elif r < 0.15:
                text = yaml_bomb(rnd)                     # refused by the alias budget (or read, if small)
            elif r < 0.2:
                text = "a: 1\na: 2"                        # a key twice
            elif r < 0.25:
                text = "just text"                         # a document that is not a mapping
            docs.append(text)
        body = "".join(f"---\n{d}\n" for d in docs)
        return body.encode("utf-8"), ".yaml", count
    return ("[" + ",\n".join(records) + "]").encode("utf-8"), ".json", count


def disclosure_with_hostile_text(rnd: random.Random, text: str) -> str:
    """A disclosure with invisible characters inside units and numbers, non-ASCII digits, decimal
    commas or separators -- which must never make its failures silently disappear."""
    kind = rnd.randrange(5)
    if kind == 0:
        mark = rnd.choice(INVISIBLE)
        return text.replace("万元", f"万{mark}元") if rnd.random() < 0.5 else text.replace(".", f"{mark}.", 20)
    if kind == 1:
        digit = rnd.choice(FOREIGN_DIGITS)
        return text.replace(rnd.choice("0123456789"), digit, rnd.randint(1, 30))
    if kind == 2:
        return text.replace(".", ",", rnd.randint(1, 10))
    if kind == 3:
        return text.replace("\n", rnd.choice(SEPARATORS), rnd.randint(1, 20))
    return text.replace("\n", "") * rnd.randint(1, 4)   # long lines (B10): one line of 10-50 KB

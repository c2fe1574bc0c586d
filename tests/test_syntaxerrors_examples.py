"""The plain-words syntax errors (E101-E105) are chosen as lark's ``match_examples`` chooses them:
``syntaxerrors._match_examples`` decides over the examples' failures worked out once per parser
instead of parsing the examples again on every error, and must pick the same label for any
wrong rule text (lark's own call failing counts as no match, as syntax_error takes it)."""

import random

import lark

from fiscalrules import parser, syntaxerrors

BASES = ["rule R: a = b + c", "rule R { assert a = sum(b, c) }", "field a: amount",
         'rule R: t["208"] = (a + b) * 2', 'unit 万元\nrule R: a in {"x", "y"}',
         "rule R { when a > 1 assert a = b severity error }"]
PIECES = list('(){}[]+*=,: abc"') + ["assert", "rule", "when"]


def _mangled(rnd: random.Random) -> str:
    text = rnd.choice(BASES)
    for _ in range(rnd.randint(1, 3)):
        at = rnd.randrange(len(text) + 1)
        how = rnd.choice(["drop", "insert", "cut"])
        if how == "drop" and text:
            text = text[:at] + text[at + 1:]
        elif how == "insert":
            text = text[:at] + rnd.choice(PIECES) + text[at:]
        else:
            text = text[:at]
    return text


def test_the_examples_matched_once_choose_what_larks_match_examples_chooses():
    parse = parser._parser().parse
    rnd = random.Random(5)
    compared, labels = 0, set()
    for _ in range(400):
        text = _mangled(rnd)
        try:
            parse(text)
        except lark.exceptions.UnexpectedCharacters:
            continue
        except lark.exceptions.UnexpectedInput as exc:
            try:
                expected = exc.match_examples(parse, syntaxerrors._ERROR_EXAMPLES, use_accepts=True)
            except Exception:   # noqa: BLE001 - as syntax_error takes lark's failure: no match
                expected = None
            assert syntaxerrors._match_examples(exc, parse) == expected, text
            compared += 1
            labels.add(expected and expected[0])
    assert compared > 250 and {None, "E101", "E102", "E103", "E104"} <= labels

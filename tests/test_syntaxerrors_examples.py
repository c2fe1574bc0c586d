"""The plain-words syntax errors (E101-E105) are chosen as lark's ``match_examples`` chooses them:
``syntaxerrors._match_examples`` decides over the examples' failures worked out once per parser
instead of parsing the examples again on every error, and must pick the same label for any
wrong rule text as lark's call means to -- an example of the error's parser state with other
acceptable tokens skipped (lark 1.3's own call raises TypeError there, formatting its debug
message: run here with the parser state formattable).  Where lark finds no example, the label
the parser's top state tells alone (syntaxerrors._BY_TOP_STATE, tests/test_syntaxerrors_context.py)
or none."""

import random

import lark
from lark.parsers.lalr_parser_state import ParserState

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


def test_the_examples_matched_once_choose_what_larks_match_examples_chooses(monkeypatch):
    # (lark formats the state with %d in a debug message on its way to skipping an example)
    monkeypatch.setattr(ParserState, "__index__", lambda state: state.position, raising=False)
    parse = parser._parser().parse
    rnd = random.Random(5)
    compared, labels, by_top_state = 0, set(), 0
    for _ in range(400):
        text = _mangled(rnd)
        try:
            parse(text)
        except lark.exceptions.UnexpectedCharacters:
            continue
        except lark.exceptions.UnexpectedInput as exc:
            expected = exc.match_examples(parse, syntaxerrors._ERROR_EXAMPLES, use_accepts=True)
            where = exc.state
            assert syntaxerrors._matched(exc, parse, lambda state: state == where) == expected, text
            chosen = syntaxerrors._match_examples(exc, parse)
            if expected is not None:
                assert chosen == expected, text
            elif chosen is not None:
                assert chosen[0] in syntaxerrors._BY_TOP_STATE, text
                by_top_state += 1
            compared += 1
            labels.add(expected and expected[0])
    assert compared > 250 and {None, "E101", "E102", "E103", "E104"} <= labels and by_top_state > 0


"""A syntax mistake deeper in a rule file than the examples that name it (a later item, a rule's
braces) gets the plain-words label it gets on its own -- matched on the parser's current state
(syntaxerrors._BY_TOP_STATE) -- where that label is right, and stays a plain E100 where the state
alone would mislead.  Each case: the rule text, then the code, message, line and column of the
error ``parse`` raises."""

import pytest

from fiscalrules import parser
from fiscalrules.errors import RuleSyntaxError

OPERAND = "an operand is missing: an operator must stand between two values"
UNCLOSED = "a bracket is not closed"
STRAY = "a closing bracket has no opening one"

MATCHED_IN_CONTEXT = [
    # an operand missing in the third item
    ("unit 万元\nfield a: amount\nrule R: a = sum(a, )", "E101", "a value is missing after the comma (found ')')", 3, 20),
    # ... and in a rule's braces, the brace closing where the operand belongs
    ("field a: amount\nrule R {\n    when a > 1\n    assert a =\n}", "E101", f"{OPERAND} (found '}}')", 5, 1),
    # a bracket not closed at the end of the file
    ("field a: amount\nrule R: t[\"208\"", "E102", f"{UNCLOSED} (found end of input)", 2, 11),
    ("field a: amount\nrule R {\n    assert a >= 0\n", "E102", f"{UNCLOSED} (found end of input)", 3, 17),
    # ... or where the next item begins inside it
    ("field a: amount\nrule R {\n    assert a >= 0\nrule Q: a = 1", "E102", f"{UNCLOSED} (found 'rule')", 4, 1),
    # a closing bracket too many in the second item (examples/bad_syntax.rules' S-105 after a field)
    ("field a: amount\nrule R: a = sum(a))", "E105", f"{STRAY} (found ')')", 2, 19),
    # ... or inside a rule's braces, where no bracket of its kind is open: not the brace left open
    # (E102; review 18 B18-9c) -- the bracket has no opening one
    ("field a: amount\nrule R {\n    assert a]\n}", "E105", f"{STRAY} (found ']')", 3, 13),
    ("field a: amount\nrule R {\n    assert a = b)\n}", "E105", f"{STRAY} (found ')')", 3, 17),
]

LEFT_PLAIN = [
    # a rule cut off after its id: not an unknown keyword (E103)
    ("field a: amount\nrule S", "unexpected end of input", 2, 6),
    # a rule cut off after a clause: not an unknown clause (E104)
    ("field a: amount\nrule R {\n    severity warn", "unexpected end of input", 3, 14),
    # a stray comma inside a rule's braces: not the brace left open (E102)
    ("field a: amount\nrule R {\n    assert a,b >= 0\n}", "unexpected ','", 3, 13),
]


def _error(text: str) -> RuleSyntaxError:
    with pytest.raises(RuleSyntaxError) as caught:
        parser.parse(text)
    return caught.value


@pytest.mark.parametrize("text, code, message, line, column", MATCHED_IN_CONTEXT)
def test_a_mistake_deep_in_a_file_gets_its_plain_words_label(text, code, message, line, column):
    error = _error(text)
    assert (error.code, error.message, error.location.line, error.location.column) == (code, message, line, column)
    # the same mistake as a file's only item gets the same label
    alone = text[text.index("rule"):]
    assert _error(alone).code == code


@pytest.mark.parametrize("text, message, line, column", LEFT_PLAIN)
def test_where_the_state_alone_would_mislead_the_error_stays_plain(text, message, line, column):
    error = _error(text)
    assert (error.code, error.message, error.location.line, error.location.column) == ("E100", message, line, column)


def test_the_label_reads_in_chinese_too():
    error = _error("field a: amount\nrule R: a = sum(a))")
    assert "E105" in error.format("zh") and "右括号没有对应的左括号" in error.format("zh")
    error = _error("unit 万元\nfield a: amount\nrule R: a = sum(a, )")
    assert "逗号后缺少值" in error.format("zh") and ":3:20:" in error.format("zh")
    error = _error("unit 万元\nfield a: amount\nrule R: a = b +")
    assert "缺少运算数：运算符两边都要有值" in error.format("zh") and ":3:15:" in error.format("zh")

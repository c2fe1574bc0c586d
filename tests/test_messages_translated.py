"""Every reason a reader gives for a part it did not read, and every error message the package
raises, has its Chinese.

The coverage report lists unread parts with the reader's reason, translated by
fiscalrules.translations.to_zh; a reason without a catalog entry was printed in English in the
Chinese report (25 of the 40 reasons were, before this test), and so were 30 error messages of the
record files, frames and the columnar engine ("E300：the CSV file has no header row"). The texts are
found in the source: each ``builder.add_unread(section, lines, reason)`` whose reason is a string,
an f-string or a module constant plus text, and the first argument of each ``ReaderError``,
``RecordError``, ``FiscalRulesError`` and ``RulesetNotFound``. The varying parts of an f-string are
filled with a placeholder, or with each value a variable of that name takes (``side``: income /
expenditure).
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

from fiscalrules.translations import to_zh

READERS = Path(__file__).resolve().parents[1] / "fiscalrules" / "readers"
# the words some f-string parts stand for (an English word, which the catalog spells out)
WORDS = {"side": ("income", "expenditure"), "what": ("amount", "value"),
         # a cell of a frame, as frames.py names it before saying what is wrong with it
         "where": ("column '甲1' row 1", "table 甲1 row 1 column '甲1'"),
         "claimed": ("field", "column"),                 # what two columns both name (frames._claim)
         "place": ("", " (records 1 on)")}               # where in a table file reading stopped
PLACEHOLDER = ("甲1",)


def _texts(node: ast.AST, constants: dict[str, str],
           assigned: dict[str, list[ast.AST]] | None = None) -> list[str] | None:
    """The texts a reason expression may give, or None when it cannot be told statically."""
    assigned = assigned or {}
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    if isinstance(node, ast.Name) and node.id in assigned:
        # a reason built in a local variable first ("reason = (… if … else …)"): every value it is given
        texts = [t for value in assigned[node.id] for t in (_texts(value, constants, assigned) or [])]
        return texts or None
    if isinstance(node, ast.IfExp):
        return (_texts(node.body, constants, assigned) or []) + (_texts(node.orelse, constants, assigned) or []) \
            or None
    if isinstance(node, ast.JoinedStr):
        choices = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                choices.append((value.value,))
            else:
                expression = value.value
                name = expression.id if isinstance(expression, ast.Name) else None
                choices.append(WORDS.get(name, PLACEHOLDER))
        return ["".join(parts) for parts in itertools.product(*choices)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _texts(node.left, constants, assigned), _texts(node.right, constants, assigned)
        return [a + b for a in (left or list(PLACEHOLDER)) for b in (right or list(PLACEHOLDER))]
    return None


def _trees(paths, word: str):
    """The syntax tree of each file of *paths* whose text names *word* (a call of it can be in no
    other): every xdist worker collects this module, and parsing the whole package for the two
    sweeps below was a fifth of a worker's collection."""
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if word in text:
            yield path, ast.parse(text)


def _reasons() -> list[tuple[str, str]]:
    found = []
    for path, tree in _trees(sorted(READERS.rglob("*.py")), "add_unread"):
        constants = {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
                     and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
                     for target in node.targets if isinstance(target, ast.Name)}
        assigned: dict[str, list[ast.AST]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        assigned.setdefault(target.id, []).append(node.value)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "add_unread" and len(node.args) >= 3):
                where = f"{path.relative_to(READERS)}:{node.lineno}"
                for text in _texts(node.args[2], constants, assigned) or []:
                    found.append((where, text))
    return found


REASONS = _reasons()


PACKAGE = READERS.parent


ERROR_CLASSES = ("ReaderError", "RecordError", "FiscalRulesError", "RulesetNotFound")


def _errors() -> list[tuple[str, str]]:
    """The message of each error the package raises with a message of its own (``ReaderError``,
    ``RecordError``, ``FiscalRulesError`` ...): the words an auditor reads when a document, a record
    file or a table cannot be read, or a run cannot go on.  (Syntax and check errors carry
    diagnostics, swept by tests/test_tools.py.)"""
    found = []
    for path, tree in _trees(sorted(PACKAGE.rglob("*.py")), "Error("):
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ERROR_CLASSES and node.args):
                message = node.args[0]
                if isinstance(message, ast.JoinedStr) and not any(
                        isinstance(part, ast.Constant) and any(c.isalpha() for c in part.value)
                        for part in message.values):
                    continue   # a message put together elsewhere (bounds._refuse: place + what is wrong)
                where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                for text in _texts(message, {}) or []:
                    found.append((where, text))
    return found


ERRORS = _errors()


def test_the_reader_errors_are_found():
    assert len(ERRORS) >= 80


@pytest.mark.parametrize("where, message", ERRORS, ids=[f"{w}-{i}" for i, (w, _) in enumerate(ERRORS)])
def test_each_reader_error_has_its_chinese(where, message):
    """`fiscalrules audit` in Chinese printed "E400：x.txt does not look like a budget disclosure …"
    (and nine other document errors) in English."""
    assert to_zh(message) != message, f"{where}: no Chinese for {message!r} (fiscalrules/translations.py)"


def test_the_readers_reasons_are_found():
    # the sweep itself: a reader refactoring that hides the reasons from it must not pass silently
    assert len(REASONS) >= 40


@pytest.mark.parametrize("where, reason", REASONS, ids=[f"{w}-{i}" for i, (w, _) in enumerate(REASONS)])
def test_each_unread_reason_has_its_chinese(where, reason):
    english = any("a" <= c.lower() <= "z" for c in reason)
    assert not english or to_zh(reason) != reason, f"{where}: no Chinese for {reason!r} (fiscalrules/translations.py)"


@pytest.mark.parametrize("message, said", [
    # "at" inside a sentence is no record path: this came out as "… holds（位置：least 2,000,000 …）"
    ("row group 1 (records 1-5) holds at least 2,000,000 table rows for 5 record(s): more than 100,000 a record "
     "may have", "行组 1（第 1-5 条记录）共 5 条记录，至少有 2,000,000 个表格行：超过每条记录的上限 100,000"),
    ("not a finite number: 'NaN' at income.total", "不是有限的数：'NaN'（位置：income.total）"),
    ("table t row 3 column 'a' is not a finite number (inf)", "表 t 第 3 行的列 'a' 不是有限的数（inf）"),
])
def test_a_message_reads_whole_in_chinese(message, said):
    assert to_zh(message) == said

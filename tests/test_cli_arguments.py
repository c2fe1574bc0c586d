"""The audit line read without argparse (cli_arguments.plain_audit_arguments) is read as the
parser reads it, and every other line is left to the parser."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fiscalrules.cli_arguments import _AUDIT_DEFAULTS, build_parser, plain_audit_arguments

PLAIN = [
    ["audit", "a.txt"],
    ["audit", "a.txt", "b.pdf", "folder/"],
    ["audit", "--no-progress", "a.txt"],
    ["audit", "--no-localise", "--show-passes", "--with-bundled", "--no-progress", "a.txt", "b.txt"],
    ["audit", "--no-progress", "--no-progress", "预算 2025.txt"],
    ["audit", "audit"],
]

NOT_PLAIN = [
    [], ["audit"], ["check", "a.rules", "-r", "x.json"], ["audit", "--format", "json", "a.txt"],
    ["audit", "a.txt", "--no-progress"], ["audit", "-", "a.txt"], ["audit", ""], ["audit", "--no-p", "a.txt"],
    ["audit", "--lang=en", "a.txt"], ["audit", "-h"], ["audit", "--", "a.txt"], ["audit", "-1"],
    ["audit", "--no-progress"], ["--version"], ["rulesets"], ["audit", "a.txt", "-o", "out.json"],
]


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_plain_audit_line_is_read_as_the_parser_reads_it(argv, lang):
    fast = plain_audit_arguments(argv)
    parsed = build_parser(lang, "audit").parse_args(argv)
    assert fast is not None
    assert vars(fast) == vars(parsed)
    assert [type(v) for v in vars(fast).values()] == [type(v) for v in vars(parsed).values()]
    assert fast == parsed and fast.documents is not argv


@pytest.mark.parametrize("argv", NOT_PLAIN, ids=lambda a: " ".join(a) or "(empty)")
def test_any_other_line_is_left_to_the_parser(argv):
    assert plain_audit_arguments(argv) is None


def test_the_lists_of_one_reading_are_its_own():
    first, second = plain_audit_arguments(["audit", "a.txt"]), plain_audit_arguments(["audit", "a.txt"])
    first.select.append("X")
    assert second.select == [] and first.ignore is not second.ignore


def test_every_audit_option_has_its_default_from_the_one_table():
    """The parser's audit options are the table's, in its order, each with the table's default: an
    option added to the parser with a default of its own (not from the table) fails here, and a
    default written apart from the table fails the comparison of readings above."""
    parser = build_parser("en", "audit")
    audit = next(a for a in parser._actions if a.dest == "command").choices["audit"]
    options = [a for a in audit._actions if a.dest not in ("help", "documents")]
    assert [a.dest for a in options] == list(_AUDIT_DEFAULTS)
    assert {a.dest: a.default for a in options} == _AUDIT_DEFAULTS


def test_a_reading_never_hands_out_the_table_s_lists():
    parsed = build_parser("zh", "audit").parse_args(["audit", "a.txt"])
    fast = plain_audit_arguments(["audit", "a.txt"])
    parsed.select.append("X")
    fast.ignore.append("Y")
    assert _AUDIT_DEFAULTS["select"] == [] and _AUDIT_DEFAULTS["ignore"] == []


def test_a_plain_audit_does_not_import_argparse(tmp_path):
    """What the fast path is for: the process never imports argparse (nor gettext)."""
    code = ("import contextlib, io, sys\nfrom fiscalrules.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()):\n    code = main(['audit', {str(tmp_path / 'none.txt')!r}])\n"
            "print(code, 'argparse' in sys.modules, 'gettext' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["2", "False", "False"]

"""A defect inside fiscalrules reaches the command line as a clear message and exit 2, never as a
Python traceback nor as exit 1 (which means "findings found")."""

from __future__ import annotations

import pytest

from fiscalrules import cli


def _broken(args):
    raise RuntimeError("something inside broke")


@pytest.mark.parametrize("lang, words", [("zh", "内部错误"), ("en", "internal error")])
def test_an_internal_error_is_reported_without_a_traceback(monkeypatch, capsys, lang, words):
    monkeypatch.delenv("FISCALRULES_DEBUG", raising=False)
    monkeypatch.setitem(cli._COMMANDS, "lint", _broken)
    code = cli.main(["lint", "--lang", lang, "nothing.rules"])
    err = capsys.readouterr().err
    assert code == 2
    assert words in err and "RuntimeError: something inside broke" in err
    assert "Traceback" not in err


def test_the_traceback_is_there_when_asked_for(monkeypatch):
    monkeypatch.setenv("FISCALRULES_DEBUG", "1")
    monkeypatch.setitem(cli._COMMANDS, "lint", _broken)
    with pytest.raises(RuntimeError):
        cli.main(["lint", "nothing.rules"])

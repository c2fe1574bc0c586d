"""The columnar engine runs with numpy's huge-page advice off (fiscalrules/columnar/pages.py: on
a kernel whose THP defrag is ``madvise`` each fresh 2 MiB page may be compacted for there and
then -- the first run of a process over 100,000 budget records took twice as long) and puts it
back as it found it, after a run, a failed run and nested or overlapping runs; a
``NUMPY_MADVISE_HUGEPAGE`` in the environment is the user's and stays in force."""

from __future__ import annotations

import threading

import pytest

pytest.importorskip("pyarrow")
np = pytest.importorskip("numpy")

import fiscalrules  # noqa: E402
from fiscalrules.columnar import engine, pages  # noqa: E402

pytestmark = pytest.mark.skipif(pages.huge_page_advice() is None, reason="this numpy has no huge-page advice to set")

RULES = "unit 万元\nfield total: amount\nfield a: amount\nfield b: amount\nrule T: total = a + b\n"
ROWS = {"total": ["3", "5"], "a": ["1", "2"], "b": ["2", "2"]}


@pytest.fixture
def advice():
    """numpy's advice as each test wants it to start, put back after the test whatever happens."""
    switch = pages._switch()
    before = switch(True)
    yield switch
    switch(before)


@pytest.fixture
def seen(monkeypatch):
    """numpy's advice as the engine's run saw it, while evaluating its chunks."""
    during = []
    real = engine.run_chunks

    def watching(*args, **kwargs):
        during.append(pages.huge_page_advice())
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "run_chunks", watching)
    return during


def _run():
    import pyarrow as pa
    return fiscalrules.compile_rules(RULES).evaluate_table(pa.table(ROWS))


@pytest.mark.parametrize("start", [True, False])
def test_a_run_goes_without_huge_pages_and_leaves_the_advice_as_it_found_it(advice, seen, start, monkeypatch):
    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    advice(start)
    report = _run()
    assert seen == [False]
    assert pages.huge_page_advice() is start
    assert report.counts["T"]["fail"] == 1 and report.counts["T"]["pass"] == 1   # (it did run)


def test_a_failed_run_puts_the_advice_back(advice, monkeypatch):
    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)

    def broken(*args, **kwargs):
        assert pages.huge_page_advice() is False
        raise RuntimeError("a chunk failed")

    monkeypatch.setattr(engine, "run_chunks", broken)
    with pytest.raises(RuntimeError, match="a chunk failed"):
        _run()
    assert pages.huge_page_advice() is True


def test_the_environment_s_choice_stands(advice, seen, monkeypatch):
    monkeypatch.setenv("NUMPY_MADVISE_HUGEPAGE", "1")
    _run()
    assert seen == [True]
    assert pages.huge_page_advice() is True


def test_overlapping_runs_restore_the_advice_when_the_last_ends(advice, monkeypatch):
    """Two runs in threads, the first ending while the second runs: the second keeps ordinary
    pages to its end, and the advice comes back only then (each run saving and restoring its own
    would leave the second on huge pages, or the advice off for good)."""
    monkeypatch.delenv("NUMPY_MADVISE_HUGEPAGE", raising=False)
    first_in, first_out, during_second = threading.Event(), threading.Event(), []

    def first():
        with pages.ordinary_pages():
            first_in.set()
            first_out.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    assert first_in.wait(5)
    with pages.ordinary_pages():
        first_out.set()
        thread.join(5)
        during_second.append(pages.huge_page_advice())
    assert during_second == [False]
    assert pages.huge_page_advice() is True

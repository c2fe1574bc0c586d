"""Shared test setup: make the source tree importable and offer small helpers.

The suite always runs the checkout: the repository root is put on ``sys.path`` so ``import
fiscalrules`` finds the source.  The README's command (``pip install -e ".[test]" && python -m
pytest``, as CI runs it) installs it editable, which builds the optional C parser
(``fiscalrules/_cparse.c``) beside the source, so both parse loops are tested; a plain
``pip install .`` builds it into site-packages instead, and the tests of the C loop then skip with
that reason.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Write compiled bytecode (__pycache__, git-ignored) even where PYTHONDONTWRITEBYTECODE is set.
# The suite imports the package from the checkout, not from a copy pip compiled at install, so
# without it every xdist worker compiles every module from source on every run (about 5 CPU
# seconds each), pytest rewrites every test module's asserts again, and every command-line
# subprocess a test starts compiles what it imports (the fresh-interpreter import test compiled
# the package ~120 times).  Nothing a test checks depends on where the code was compiled.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)   # and the subprocesses the tests start

CASES = Path(__file__).resolve().parent / "cases"

# The slowest tests, with their CPU seconds in a whole-suite run: the mean of two runs (session 24:
# 44757de, 4,415 tests, at load 7-9; fc8c664, 4,507 tests, at load 10-11); 2 xdist workers,
# FISCALRULES_TEST_CPU: each test's CPU time, its own and its subprocesses', by getrusage in the
# worker (load still inflates it: tests nobody changed took 1.2-1.3x the CPU in the second run);
# hypothesis draws make one test vary by up to 1.5x from run to run; tests/ omitted from the ids;
# tests of 0.8 CPU-s or more.  A test whose cost is a full garbage collection (test_fastparse's
# and test_testing's freed-object checks) costs less dealt early, on a small heap.
# `python benchmarks/suite_cpu.py RUN1 RUN2 --slow-tests 0.8` prints them from such runs.
# Only the order of the run uses them: a test missing here, or slower now, runs where it always did.
# Left out: a test whose cost is its module's shared reading (test_reader_narrative_documents'
# first test reads the documents for the module, in a module-level cache): moved, it reads them twice.
SLOW_TESTS = {
    "test_columnar.py::test_columnar_statuses_equal_per_record[budget_disclosure]": 17.9,
    "test_testing.py::test_evaluation_is_deterministic_and_order_independent[budget_disclosure]": 17.6,
    "test_testing.py::test_exact_records_satisfy_every_rule[budget_disclosure]": 12.3,
    "test_testing.py::test_rounded_consistent_records_raise_no_false_alarm[budget_disclosure]": 10.3,
    "test_testing.py::test_a_changed_figure_is_named_by_a_failure[budget_disclosure]": 9.5,
    "test_columnar.py::test_columnar_statuses_equal_per_record[final_accounts]": 8.8,
    "test_columnar_tables.py::test_flattened_records_with_tables_equal_per_record[budget_disclosure]": 7.9,
    "test_localise.py::test_a_consistent_record_gets_no_explanation_and_a_changed_figure_is_explained"
    "[budget_disclosure]": 6.4,
    "test_columnar_tables.py::test_flattened_records_with_tables_equal_per_record[final_accounts]": 4.1,
    "test_public_api.py::test_the_public_api_is_mypy_strict_clean": 4.1,
    "test_localise.py::test_a_consistent_record_gets_no_explanation_and_a_changed_figure_is_explained"
    "[final_accounts]": 4.0,
    "test_columnar_parallel.py::test_check_jobs_writes_what_one_process_writes": 3.9,
    "test_reader_example.py::test_the_record_the_reader_indexes_is_the_loaders": 3.9,
    "test_columnar_coded.py::test_coded_texts_equal_per_record[budget_disclosure]": 3.6,
    "test_columnar_coded.py::test_coded_texts_equal_per_record[final_accounts]": 3.3,
    "test_columnar_rollups.py::test_random_tables_equal_per_record_and_as_loops": 3.2,
    "test_robustness.py::test_nasty_record_files_yield_records_or_errors[10MB.json]": 2.8,
    "test_columnar_parallel.py::test_records_with_tables_give_the_one_process_report[forked]": 2.8,
    "test_columnar_parallel.py::test_forked_processes_read_only_their_own_records_rows": 2.6,
    "test_columnar_parallel.py::test_frames_with_an_unreadable_record_in_a_later_chunk": 2.5,
    "test_properties.py::test_findings_do_not_depend_on_rule_or_declaration_order": 2.3,
    "test_columnar_parallel.py::test_workers_can_make_the_findings_too": 2.3,
    "test_long_chains.py::test_a_long_chain_prints_back_to_itself_and_compares_hashes_shows_and_pickles": 2.1,
    "test_robustness.py::test_mutated_rule_files_raise_only_library_errors": 2.1,
    "test_testing_text_filters.py::test_the_bundled_summary_subtotal_rules_are_generated_and_applicable": 2.0,
    "test_columnar_reading_loops.py::test_tables_by_record_id_read_alike_either_way"
    "[3-budget_disclosure]": 2.0,
    "test_cli_start.py::test_a_warm_audit_does_not_unpickle_the_rules_examples": 2.0,
    "test_packaging.py::test_every_module_imports_first_in_a_fresh_interpreter": 1.8,
    "test_robustness.py::test_reader_on_mutated_disclosures": 1.8,
    "test_properties.py::test_rule_round_trip": 1.8,
    "test_columnar_coded.py::test_records_read_back_from_parquet_equal_per_record[budget_disclosure]": 1.7,
    "test_columnar_parallel.py::test_check_jobs_terminated_stops_its_workers": 1.7,
    "test_testing.py::test_evaluation_is_deterministic_and_order_independent[demo]": 1.6,
    "test_distributed.py::test_local_cluster_gives_the_single_machine_results": 1.5,
    "test_properties.py::test_report_order_follows_records_then_rule_ids": 1.4,
    "test_reader_listing_subtotals.py::test_the_columnar_engine_decides_as_the_per_record_one": 1.4,
    "test_columnar_reading_loops.py::test_tables_by_record_id_read_alike_either_way"
    "[8-budget_disclosure]": 1.4,
    "test_fastparse.py::test_rule_files_parse_as_lark_parses_them[python-budget_disclosure.rules]": 1.4,
    "test_properties.py::test_rule_file_round_trip": 1.4,
    "test_patterncache.py::test_a_second_run_rebuilds_equal_patterns_and_prints_the_same": 1.3,
    "test_robustness.py::test_the_package_never_evaluates_code": 1.3,
    "test_report_html.py::test_the_figures_most_likely_wrong_are_listed_and_linked": 1.3,
    "test_robustness.py::test_nasty_rule_text_raises_only_library_errors[many rules]": 1.2,
    "test_review16_mends.py::test_an_interrupted_check_removes_its_output[jsonl]": 1.2,
    "test_ruleset_final_accounts.py::"
    "test_consistent_generated_final_accounts_never_fail_and_a_changed_figure_is_named": 1.1,
    "test_review16_mends.py::test_an_interrupted_check_removes_its_output[parquet]": 1.1,
    "test_cli.py::test_the_command_ends_with_its_exit_code_and_all_its_output": 1.1,
    "test_fastparse.py::test_generated_rule_files_parse_as_lark_parses_them[python]": 1.1,
    "test_testing.py::test_a_seed_gives_the_same_record_in_another_process_with_another_hash_seed": 1.1,
    "test_pickling.py::test_multiprocessing_gives_the_same_results_as_one_process": 1.1,
    "test_cli.py::test_tables_are_drawn_as_tabulate_draws_them": 1.1,
    "test_fastparse.py::test_generated_rule_files_parse_as_lark_parses_them[c]": 1.1,
    "test_global_state.py::test_threads_sharing_a_ruleset_get_the_same_reports_as_one_thread": 1.1,
    "test_testing.py::test_the_kind_specific_strategies": 1.1,
    "test_cli_start.py::test_the_collector_is_held_off_during_the_start_and_set_back_for_the_documents"
    "[True]": 1.0,
    "test_testing.py::test_a_ruleset_generated_for_is_freed_with_its_records": 1.0,
    "test_hostile_inputs.py::test_reproduction_exits_cleanly_with_a_message"
    "[B10 a 748 KB disclosure on one line]": 1.0,
    "test_fastparse.py::test_an_untracked_node_is_freed_with_a_cycle_holding_it[python]": 1.0,
    "test_columnar_parallel.py::test_a_caller_with_other_threads_does_not_fork": 1.0,
    "test_robustness.py::test_nasty_record_files_yield_records_or_errors[deep.yaml]": 1.0,
    "test_cli_start.py::test_a_warm_audit_imports_no_pathlib_nor_typing": 1.0,
    "test_testing.py::test_a_changed_figure_is_named_by_a_failure[demo]": 1.0,
    "test_columnar_coded.py::test_records_read_back_from_parquet_equal_per_record[final_accounts]": 1.0,
    "test_patterncache.py::test_no_entry_when_the_cache_is_off_and_the_library_never_writes_one": 1.0,
    "test_table_file_bombs.py::"
    "test_a_repeated_text_that_decodes_to_gigabytes_is_refused_before_it_is_expanded": 1.0,
    "test_robustness.py::test_nasty_rule_text_raises_only_library_errors[10000 nested for each]": 1.0,
    "test_fastparse.py::test_any_text_lexes_as_larks_contextual_lexer_lexes_it[python]": 1.0,
    "test_columnar.py::test_columnar_statuses_equal_per_record[demo]": 1.0,
    "test_properties.py::test_generated_rule_files_check_without_crashing": 0.9,
    "test_reader_patterns.py::test_number_patterns_match_as_before": 0.9,
    "test_reader_patterns.py::test_quality_patterns_match_as_before": 0.9,
    "test_columnar_plan_kernel.py::test_rules_over_rows_equal_per_record_with_and_without_the_kernels"
    "[1]": 0.9,
    "test_syntaxerrors_examples.py::"
    "test_the_examples_matched_once_choose_what_larks_match_examples_chooses": 0.9,
    "test_fastparse.py::test_threads_filling_the_c_loops_cache_at_once_keep_one_entry"
    "[c-rule R: a = 1-start]": 0.9,
    "test_bounded.py::test_a_1_gb_file_is_refused_within_a_small_memory_limit[document-big.txt]": 0.9,
    "test_cli_start.py::test_the_collector_is_held_off_during_the_start_and_set_back_for_the_documents"
    "[False]": 0.9,
    "test_cli_start.py::test_a_program_calling_main_keeps_its_collector_as_it_was": 0.9,
    "test_fastparse.py::test_a_node_that_could_join_a_cycle_stays_tracked[c]": 0.9,
    "test_findings_details.py::test_format_amount_says_what_it_said": 0.9,
    "test_columnar_parallel.py::test_parallel_runs_report_a_bad_pandas_cell_as_one_process_does"
    "[bytes-table frame]": 0.9,
    "test_report_html.py::test_pdf_pages_drawn_with_their_words_and_the_figures_boxed": 0.9,
    "test_tools.py::test_folders_as_arguments": 0.9,
    "test_robustness.py::test_arbitrary_record_data_raises_only_record_errors": 0.8,
    "test_findings_details.py::"
    "test_findings_of_a_record_share_their_operands_and_the_share_goes_with_the_record": 0.8,
    "test_testing.py::test_rules_written_in_another_order_decide_the_same[1-budget_disclosure]": 0.8,
    "test_localise.py::test_a_consistent_record_gets_no_explanation_and_a_changed_figure_is_explained"
    "[demo]": 0.8,
    "test_columnar_parallel.py::test_parallel_runs_report_a_bad_pandas_cell_as_one_process_does"
    "[float-table frame]": 0.8,
}


@pytest.hookimpl(trylast=True)   # after -k / -m have deselected
def pytest_collection_modifyitems(config, items):
    """Under xdist, start the slowest tests first, spread over the workers.

    ``--dist worksteal`` gives each of the N workers a contiguous 1/N of the collected tests and
    lets an idle worker take the tail of another's queue.  In collection order a 20-second test
    could start last and keep one core busy while the other has nothing left; here the known slow
    tests are dealt (slowest first, each to the least loaded) to the heads of the N shares, so the
    run ends on short tests that balance out.  Tests using a module- or class-scoped fixture stay
    where they are (moved away from their module, the fixture would be set up twice).  Every
    worker collects and orders the same way, as xdist requires."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers < 2 or len(items) < 2 * workers:
        return
    slow = sorted((item for item in items if _known_cost(item) and not _has_wider_fixture(item)),
                  key=_known_cost, reverse=True)
    if not slow:
        return
    heads: list[list] = [[] for _ in range(workers)]
    loads = [0.0] * workers
    for item in slow:
        share = loads.index(min(loads))
        heads[share].append(item)
        loads[share] += _known_cost(item)
    moved = set(map(id, slow))
    rest = [item for item in items if id(item) not in moved]
    # xdist sends the first worker len(pending) // N tests, the next len(remaining) // (N - 1) ...
    ordered, remaining = [], len(items)
    for share in range(workers):
        size = remaining // (workers - share)
        take = max(0, size - len(heads[share]))
        ordered += heads[share] + rest[:take]
        rest = rest[take:]
        remaining -= size
    items[:] = ordered + rest


def pytest_configure(config):
    """Under xdist, compile the package and the test modules once, in the controller, before the
    workers start.  From a fresh checkout (CI clones one) each worker compiled every module and
    rewrote every test module's asserts itself, both at the same time: ~2 CPU-s each, twice.
    Here the files are shared out over as many processes as there will be workers, and the workers
    find the bytecode made (pytest's own rewriting, so its cached file is the one a worker reads;
    the package gets its plain bytecode too, for the subprocesses tests start).  This uses
    pytest's private assertion-rewrite functions (_read_pyc, _rewrite_test, _write_pyc).
    Only a head start: a file not compiled here, or any failure, leaves it to the workers as before.
    In a worker, it registers the exit handler that ends the worker quickly (_end_without_teardown)."""
    if hasattr(config, "workerinput"):   # an xdist worker (not a pytest its tests start: no workerinput)
        import atexit
        atexit.register(_end_without_teardown, os.getpid())
        _no_collection_at_the_end(config)
    option = config.option
    if (hasattr(config, "workerinput") or not getattr(option, "numprocesses", 0)
            or getattr(option, "dist", "no") == "no" or sys.dont_write_bytecode
            or config.getoption("assertmode", None) != "rewrite" or config.getoption("collectonly", False)):
        return
    files = sorted((*(ROOT / "fiscalrules").rglob("*.py"), *Path(__file__).resolve().parent.rglob("*.py")),
                   key=lambda path: path.stat().st_size, reverse=True)
    shares = [files[i::int(option.numprocesses)] for i in range(int(option.numprocesses))]
    global _CONFIG
    _CONFIG = config   # the forked processes inherit it (a Config does not pickle)
    try:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(len(shares), mp_context=multiprocessing.get_context("fork")) as pool:
            list(pool.map(_compile_share, shares))
    except Exception:   # noqa: BLE001 - a head start only; the workers compile what is left
        pass
    finally:
        _CONFIG = None


_CONFIG = None


def _no_collection_at_the_end(config) -> None:
    """An xdist worker skips the full garbage collections pytest makes as it unconfigures (its
    unraisable-exception plugin collects twice, to report what a collected object's __del__
    raised): each walks the whole heap the run left (rulesets, plans, generated records), ~0.5-1
    CPU-s a worker at the very end of the run, with the controller waiting.  What is left is
    dropped unfreed anyway (_end_without_teardown), and an exception raised in a __del__ during
    the tests is still reported, at the test it happened in.  pytest's own switch for it (what
    its pytester sets for in-process runs); a pytest without it collects as before."""
    try:
        from _pytest.unraisableexception import gc_collect_iterations_key
    except ImportError:
        return
    config.stash[gc_collect_iterations_key] = 0


def pytest_sessionstart(session):
    """Under xdist, import hypothesis in the controller while the workers run, not after them.
    The controller never imports it for a test, but hypothesis's terminal summary does, once the
    last worker is done (~0.35 CPU-s, 0.8 s of wall on the loaded machine, where nothing else is
    left to run); a thread of the otherwise idle controller does it at the start instead."""
    if hasattr(session.config, "workerinput") or not getattr(session.config.option, "numprocesses", 0):
        return
    import threading
    threading.Thread(target=_import_quietly, args=("hypothesis.internal.observability",),
                     name="import hypothesis", daemon=True).start()


def _import_quietly(name: str) -> None:
    import importlib
    try:
        importlib.import_module(name)
    except Exception:   # noqa: BLE001 - a head start only: the summary imports it (or not) as before
        pass


def _compile_share(files) -> None:
    config = _CONFIG
    import compileall
    import fnmatch

    from _pytest.assertion import rewrite
    state = config.stash[rewrite.assertstate_key]
    patterns = ["conftest.py", *config.getini("python_files")]
    for path in files:
        in_package = path.is_relative_to(ROOT / "fiscalrules")
        if in_package or not any(fnmatch.fnmatch(path.name, p) for p in patterns):
            # plain bytecode: what the command-line subprocesses the tests start read
            compileall.compile_file(path, quiet=2)
            if not in_package:
                continue
        # pytest's rewritten bytecode: what a worker reads for a test module, and for the
        # package too (the pytest11 plugin entry point marks fiscalrules for assert rewriting)
        cache = rewrite.get_cache_dir(path)
        pyc = cache / (path.name[:-3] + rewrite.PYC_TAIL)
        if rewrite._read_pyc(path, pyc, state.trace) is None and rewrite.try_makedirs(cache):
            source_hash, code = rewrite._rewrite_test(path, config)
            rewrite._write_pyc(state, code, source_hash, pyc)


def pytest_collection_finish(session):
    """Once the tests are collected, set the collector for a test run (only this process's: the
    package's own code never touches it, tests/test_global_state.py checks that).

    Everything alive now -- pytest, hypothesis, every test module and item, ~160,000 objects --
    lives to the end of the run: frozen, no full collection walks it again.  And the youngest
    generation is collected every 100,000 new objects rather than 700: the generator and the
    evaluator make millions of short-lived objects that reference counting frees, so most of the
    default collections found nothing.  Together: the collector's share of a run of
    tests/test_localise.py and tests/test_properties.py 13 % -> 5 % of its CPU at 7,000 (session
    10); at 100,000 the collector's CPU in three budget_disclosure properties of test_testing.py
    and test_columnar.py (one hypothesis seed, ~35-40 CPU-s) 2.38 -> 0.56 s (50,000: 0.86;
    200,000: 0.48), peak memory the same (202-203 MB).  No test depends on when garbage is collected (the
    memory bounds are measured in subprocesses)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 10, 10)


def _end_without_teardown(pid: int) -> None:
    """The last exit handler of an xdist worker: end the process without tearing down the
    interpreter.  By now the worker has reported everything (the controller told it to exit),
    and the exit handlers that matter have run: they were registered after this one, which
    pytest_configure registers before any test runs (multiprocessing's, weakref finalizers and
    tempfile's, FISCALRULES_TEST_CPU's; the two before it, logging's flush and execnet's, have
    nothing to do in a worker).  What is left is freeing, object by object, every module and
    everything the run kept (rulesets, plans, generated records: hundreds of MB a worker), which
    the controller waits for before it prints the summary, and which nothing needs: ~1.7 s of the
    end of a run on the loaded machine (a run of the budget tests of test_columnar*.py and
    test_testing.py, -n 2, one hypothesis seed: the controller's end 2.25 -> 0.56 s after the last
    worker's).  Only in the worker itself (a child forked from it exits as it would), and never
    under coverage, which writes its data last."""
    if os.getpid() != pid or "coverage" in sys.modules:
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:   # noqa: BLE001 - a closed or broken stream: nothing to keep
            pass
    os._exit(1 if getattr(sys, "last_exc", getattr(sys, "last_value", None)) is not None else 0)



def _known_cost(item) -> float:
    return SLOW_TESTS.get(item.nodeid.removeprefix("tests/"), 0.0)


def _has_wider_fixture(item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(definition.scope in ("module", "class", "package")
               for definitions in info.name2fixturedefs.values() for definition in definitions)


@pytest.fixture
def cases_dir() -> Path:
    return CASES


# --- CPU per test, for finding what makes the suite slow (off unless asked) ---
# FISCALRULES_TEST_CPU=PREFIX python -m pytest -n 2 ... writes PREFIX.<worker>.tsv: one line per test
# with the CPU seconds (user+sys) of the worker and of the subprocesses it waited for while the test
# ran (setup, call and teardown: a module-scoped fixture is charged to the first test using it), and
# the wall seconds; a line "#total" has the worker's whole CPU at the end of the session, "#exit"
# as the process exits (before the interpreter is torn down).  CPU, not wall, because the
# machine the suite is measured on is often shared: a loaded machine stretches wall time only.
_CPU_PATH = os.environ.get("FISCALRULES_TEST_CPU")


def _cpu() -> tuple[float, float]:
    import resource
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


if _CPU_PATH:
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(item, nextitem):
        import time
        own, children = _cpu()
        start = time.perf_counter()
        yield
        wall = time.perf_counter() - start
        own2, children2 = _cpu()
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        with open(f"{_CPU_PATH}.{worker}.tsv", "a", encoding="utf-8") as out:
            out.write(f"{item.nodeid}\t{own2 - own:.3f}\t{children2 - children:.3f}\t{wall:.3f}\n")

    def pytest_sessionfinish(session):
        _write_total("#total")
        import atexit
        atexit.register(_write_total, "#exit")   # and again once pytest is done with the process

    def _write_total(what: str) -> None:
        own, children = _cpu()
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        with open(f"{_CPU_PATH}.{worker}.tsv", "a", encoding="utf-8") as out:
            out.write(f"{what}\t{own:.3f}\t{children:.3f}\t0\n")

"""The one bounded reader (fiscalrules.inputs.bounded) and the guarantee that every file the library
opens goes through it: a size in bytes, read incrementally, devices and FIFOs refused without
blocking."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import fiscalrules
from fiscalrules import ReaderError, RecordError, RulesetNotFound
from fiscalrules.inputs import bounded
from fiscalrules.inputs.bounded import InputRefused, read_bounded
from fiscalrules.readers import read_disclosure

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "fiscalrules"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def _sparse(path: Path, size: int, head: bytes = b"") -> Path:
    with open(path, "wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


def test_a_regular_file_is_read_whole(tmp_path):
    data = bytes(range(256)) * 5000
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    assert read_bounded(path, len(data)) == data


def test_a_file_one_byte_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"x" * 101)
    assert read_bounded(path, 101) == b"x" * 101
    with pytest.raises(InputRefused, match="too large"):
        read_bounded(path, 100, what="rule file")


def test_a_huge_file_is_refused_after_reading_no_more_than_the_limit(tmp_path, monkeypatch):
    path = _sparse(tmp_path / "huge.json", 1_000_000_000)
    read = []
    real_read = os.read

    def counting_read(fd, n):
        chunk = real_read(fd, n)
        read.append(len(chunk))
        return chunk
    monkeypatch.setattr(bounded.os, "read", counting_read)
    with pytest.raises(InputRefused, match="larger than 4 MB"):
        read_bounded(path, 4_000_000, what="rule file")
    assert sum(read) == 4_000_001


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="the system has no O_NOFOLLOW")
def test_a_test_of_the_opened_file_sees_what_is_read_and_no_link_is_followed(tmp_path):
    # The ruleset cache unpickles an entry only when the file it reads is the user's own: the
    # test must be of the file opened (its fstat), and a link must not lead elsewhere.
    target = tmp_path / "entry"
    target.write_bytes(b"data")
    seen = []
    assert read_bounded(target, 100, opened_only_if=lambda info: seen.append(info) or True) == b"data"
    assert (seen[0].st_ino, seen[0].st_dev) == (os.stat(target).st_ino, os.stat(target).st_dev)
    with pytest.raises(InputRefused, match="not one this may read"):
        read_bounded(target, 100, what="cache entry", opened_only_if=lambda info: False)
    link = tmp_path / "link"
    link.symlink_to(target)
    assert read_bounded(link, 100) == b"data"   # an ordinary input follows its link
    with pytest.raises(InputRefused):
        read_bounded(link, 100, opened_only_if=lambda info: True)


def test_the_size_a_file_claims_is_not_trusted():
    status = Path("/proc/self/status")
    if not status.exists() or status.stat().st_size != 0:
        pytest.skip("needs /proc files that claim 0 bytes")
    assert b"Name:" in read_bounded(status, 1_000_000)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_before_reading(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    with pytest.raises(InputRefused, match="a device, not a regular file"):
        read_bounded(device, 10)


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(InputRefused, match="a directory"):
        read_bounded(tmp_path, 10)


def test_a_missing_file_is_refused_and_said_to_be_missing(tmp_path):
    with pytest.raises(InputRefused) as caught:
        read_bounded(tmp_path / "nope.json", 10, what="record file")
    assert caught.value.missing and "No such file" in caught.value.reason


@needs_fifo
def test_a_fifo_without_a_writer_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    outcome = []
    reader = threading.Thread(target=lambda: outcome.append(_refusal(fifo)), daemon=True)
    reader.start()
    reader.join(10)
    assert outcome == ["a FIFO (named pipe)"]


def _refusal(path):
    try:
        read_bounded(path, 10)
    except InputRefused as exc:
        return re.search(r"is (.+), not a regular file", exc.reason).group(1)
    return "read"


# ---- every entry point goes through it -----------------------------------------------------------

@needs_fifo
@pytest.mark.parametrize("entry", ["rules", "lint", "records", "disclosure", "include"])
def test_every_entry_point_refuses_a_fifo_and_a_device(entry, tmp_path):
    fifo = tmp_path / "pipe.rules"
    os.mkfifo(fifo)
    for target in (fifo, Path("/dev/zero")):
        outcome = []
        thread = threading.Thread(target=lambda: outcome.append(_open_with(entry, target, tmp_path)), daemon=True)
        thread.start()
        thread.join(20)
        assert outcome and "not a regular file" in outcome[0], (entry, target, outcome)


def _open_with(entry, target: Path, folder: Path) -> str:
    try:
        if entry == "rules":
            fiscalrules.load_ruleset(target)
        elif entry == "lint":
            return " ".join(d.message for d in fiscalrules.lint([target]))
        elif entry == "records":
            return " ".join(item.message for item in fiscalrules.read_records(target))
        elif entry == "disclosure":
            read_disclosure(target)
        else:
            main = folder / "main.rules"
            main.write_text(f'include "{target.name}"\nfield a: amount\n', encoding="utf-8")
            if target.parent != folder:
                return "not a regular file (outside the folder: refused before opening)"
            return " ".join(d.message for d in fiscalrules.lint([main]))
    except (RulesetNotFound, ReaderError, RecordError) as exc:
        return exc.message
    return "read"


LIMITED = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (700_000_000, 700_000_000))
    import fiscalrules
    from fiscalrules.readers import read_disclosure
    entry, path = sys.argv[1], sys.argv[2]
    try:
        if entry == "rules":
            fiscalrules.load_ruleset(path)
        elif entry == "records":
            print(list(fiscalrules.read_records(path))[0].message)
        else:
            read_disclosure(path)
    except fiscalrules.FiscalRulesError as exc:
        print(exc.message)
""")


@pytest.mark.skipif(sys.platform != "linux", reason="address-space limits as on Linux")
@pytest.mark.parametrize("entry,name", [("rules", "big.rules"), ("records", "big.json"), ("document", "big.txt")])
def test_a_1_gb_file_is_refused_within_a_small_memory_limit(entry, name, tmp_path):
    path = _sparse(tmp_path / name, 1_000_000_000, b"field a: amount\n")
    done = subprocess.run([sys.executable, "-c", LIMITED, entry, str(path)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "too large" in done.stdout


def test_no_module_opens_a_file_except_through_the_bounded_reader():
    """The class made impossible: reading a file anywhere else would bypass the limits.  Opening a
    file to *write* what the user asked for (-o) is not reading input."""
    reading = re.compile(r"\.read_bytes\(|\.read_text\(|os\.read\(|\bio\.open\(|mmap\.|"
                         r"read_(?:table|csv|parquet|json)\((?!pa\.BufferReader)")
    opening = re.compile(r"\bopen\(")
    writing = re.compile(r"""open\([^)]*["'][wax]b?["']""")
    # The package's own files beside its modules, by line, are not input either: the C part's
    # sources, read for the checksum that tells whether the built module is of them (cparse.optional_build,
    # which decides for every C part).
    own_files = {("fiscalrules/cparse.py", 'with open(os.path.join(folder, entry), "rb") as handle:')}
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        name = str(path.relative_to(ROOT))
        if name == "fiscalrules/inputs/bounded.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#")[0]
            if "resources.files" in code:   # package data shipped with the library is not input
                continue
            if (name, line.strip()) in own_files:
                continue
            if reading.search(code) or (opening.search(code) and not writing.search(code)
                                        and "os.open(os.devnull" not in code):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert offenders == []

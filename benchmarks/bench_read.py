"""Benchmark: reading disclosures, PDF and text, into the document model and into records.

    python benchmarks/bench_read.py [--repeat R] [--pages N] [--skip-big]

For every disclosure at hand (``examples/*.pdf``, ``examples/*.txt`` and, where present,
``../shared/disclosures/*.txt`` and ``../shared/disclosures/shanghai/*.pdf``) it prints, best of R:

* model  -- ``fiscalrules.inputs.open_document`` (for a PDF: every character with its box, the
  ruling lines, lines and words, pypdfium2 page by page);
* record -- ``fiscalrules.readers.read_disclosure`` (model + layout + tables + narrative), when the
  document is a budget (other templates print "-");
* pdfplumber -- ``page.chars`` of every page, the same characters with boxes, when pdfplumber is
  installed (it is not a dependency; it was the issue's expected library), with the ratio.

Target (issue 7): reading a PDF disclosure < 1 s.

Then a big PDF: the largest PDF found, its pages repeated to N pages (default 200, with
pypdfium2's page import), read in a child process that reports its peak resident memory (ru_maxrss)
next to the file size and the peak of reading the original: reading page by page keeps memory
proportional to the text, not to the file. Figures are noisy on a shared machine: compare ratios.
"""

from __future__ import annotations

import argparse
import glob
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
sys.path.insert(0, ROOT)

from fiscalrules.errors import FiscalRulesError  # noqa: E402
from fiscalrules.inputs import open_document  # noqa: E402
from fiscalrules.readers import read_disclosure  # noqa: E402

SHARED = os.path.join(ROOT, "..", "shared", "disclosures")


def documents() -> list[str]:
    found = sorted(glob.glob(os.path.join(ROOT, "examples", "*.pdf")))
    found += sorted(glob.glob(os.path.join(ROOT, "examples", "*.txt")))
    found += sorted(glob.glob(os.path.join(SHARED, "*.txt")))
    found += sorted(glob.glob(os.path.join(SHARED, "shanghai", "*.pdf")))
    return found


def best(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def plumber_chars(path: str) -> None:
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.chars
            page.flush_cache()


def record_or_none(path: str):
    try:
        return read_disclosure(path)
    except FiscalRulesError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--skip-big", action="store_true")
    args = parser.parse_args()
    try:
        import pdfplumber  # noqa: F401
        plumber = True
    except ImportError:
        plumber = False
    print(f"{'document':52} {'pages':>5} {'model s':>8} {'record s':>9}"
          + (f" {'pdfplumber s':>13} {'ratio':>6}" if plumber else ""))
    pdf_times = []
    for path in documents():
        doc = open_document(path)
        model = best(lambda: open_document(path), args.repeat)
        is_budget = record_or_none(path) is not None
        record = best(lambda: read_disclosure(path), args.repeat) if is_budget else None
        line = (f"{os.path.basename(path)[:52]:52} {len(doc.pages):5} {model:8.3f} "
                f"{record:9.3f}" if record is not None else
                f"{os.path.basename(path)[:52]:52} {len(doc.pages):5} {model:8.3f} {'-':>9}")
        if doc.kind == "pdf":
            pdf_times.append(record if record is not None else model)
            if plumber:
                slow = best(lambda: plumber_chars(path), 1)
                line += f" {slow:13.3f} {slow / model:5.1f}x"
        print(line)
    if pdf_times:
        print(f"\nPDF documents: {len(pdf_times)}, slowest read {max(pdf_times):.3f} s "
              f"(target < 1 s), mean {sum(pdf_times) / len(pdf_times):.3f} s")
    pdfs = [p for p in documents() if p.endswith(".pdf")]
    if pdfs and not args.skip_big:
        big_pdf(max(pdfs, key=os.path.getsize), args.pages)


def big_pdf(path: str, pages: int) -> None:
    import pypdfium2 as pdfium
    source = pdfium.PdfDocument(path)
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        out.import_pages(source, list(range(min(len(source), pages - len(out)))))
    with tempfile.TemporaryDirectory() as folder:
        big = os.path.join(folder, "big.pdf")
        out.save(big)
        out.close()
        source.close()
        size = os.path.getsize(big)
        child = ("import resource, sys, time; sys.path.insert(0, sys.argv[2]); "
                 "from fiscalrules.inputs import open_document; t = time.perf_counter(); "
                 "d = open_document(sys.argv[1]); "
                 "print(len(d.pages), len(d.lines), round(time.perf_counter() - t, 2), "
                 "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)")
        base = subprocess.run([sys.executable, "-c", "import resource, sys; sys.path.insert(0, sys.argv[1]); "
                               "import fiscalrules.inputs, pypdfium2; "
                               "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)", ROOT],
                              capture_output=True, text=True, check=True).stdout.split()
        small = subprocess.run([sys.executable, "-c", child, path, ROOT], capture_output=True,
                               text=True, check=True).stdout.split()
        large = subprocess.run([sys.executable, "-c", child, big, ROOT], capture_output=True,
                               text=True, check=True).stdout.split()
    print(f"\nBig PDF: {os.path.basename(path)} repeated to {large[0]} pages ({size / 1e6:.1f} MB, "
          f"{large[1]} lines): read in {large[2]} s, peak RSS {large[3]} MB "
          f"(interpreter + imports {base[0]} MB; the original {small[0]} pages: {small[3]} MB). "
          f"Above the imports: {int(large[3]) - int(base[0])} MB for {large[0]} pages vs "
          f"{int(small[3]) - int(base[0])} MB for {small[0]}.")


if __name__ == "__main__":
    main()

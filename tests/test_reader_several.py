"""Files holding several disclosures (a 部门预算公开汇编, a department's budget with its units'):
each read into a record of its own, every record what the disclosure read alone gives -- the
same figures, pointing to the lines and pages of the file that holds it -- and files holding one
disclosure never split (readers/parts.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fiscalrules.errors import ReaderError
from fiscalrules.inputs import open_document
from fiscalrules.readers import disclosure_spans, read_document, read_document_records, read_documents

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared" / "disclosures"
BUREAU = (EXAMPLES / "bureau_2025.txt").read_text(encoding="utf-8")
_LINE_KEYS = re.compile(r"(?:^|_)line$")


def _shifted(value, by: int):
    """*value* (a record or part of one) with every line number moved up by *by* and the part's
    own keys (``_meta.id``, ``_meta.part``) and page numbers (a paged file's pages before the
    part shift them) left out: what a disclosure read alone must equal."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in ("id", "part", "page", "page_line"):
                continue
            if _LINE_KEYS.search(key) and isinstance(item, int):
                out[key] = item - by
            elif key == "lines" and isinstance(item, list) and all(isinstance(n, int) for n in item):
                out[key] = [n - by for n in item]
            else:
                out[key] = _shifted(item, by)
        return out
    if isinstance(value, list):
        return [_shifted(item, by) for item in value]
    return value


def _renamed(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


# A second department of the fictional county: the example's publisher renamed and one figure
# changed, so the two records differ where the disclosures do.
SECOND = _renamed(_renamed(BUREAU, "青山县自然资源局", "青山县林业局"), "内设股室 6 个", "内设股室 4 个")


def test_two_budgets_in_one_text_read_as_two_records_each_as_alone():
    joined = BUREAU + "\n" + SECOND
    records = read_documents(joined, name="汇编.txt")
    assert [r["_meta"]["part"] for r in records] == [
        {"number": 1, "of": 2, "lines": [1, BUREAU.count("\n") + 1]},
        {"number": 2, "of": 2, "lines": [BUREAU.count("\n") + 2, joined.count("\n") + 1]}]
    assert [r["_meta"]["id"] for r in records] == ["汇编#1", "汇编#2"]
    first, second = (read_document(text, name="汇编.txt") for text in (BUREAU, SECOND))
    assert _shifted(records[0], 0) == _shifted(first, 0)
    assert _shifted(records[1], BUREAU.count("\n") + 1) == _shifted(second, 0)
    assert records[0]["doc"]["publisher"]["value"] == "青山县自然资源局"
    assert records[1]["doc"]["publisher"]["value"] == "青山县林业局"
    assert records[1]["org"]["internal_divisions"]["value"] == "4"
    assert records[1]["org"]["internal_divisions"]["source"]["line"] > BUREAU.count("\n") + 1


def test_a_file_holding_several_is_refused_by_read_document_naming_where_each_begins():
    joined = BUREAU + "\n" + SECOND
    with pytest.raises(ReaderError, match=r"holds 2 disclosures \(lines 1-\d+, \d+-\d+\): read them with read_documents"):
        read_document(joined, name="汇编.txt")
    loaded = read_document_records(joined, name="汇编.txt", file="汇编.txt")
    assert [record.id for _, record in loaded] == ["汇编#1", "汇编#2"]
    assert loaded[1][1].figures["org.internal_divisions"].value == 4


@pytest.mark.parametrize("tail, why", [
    # the opening of another disclosure, but no figure after it: the last one's tail
    ("\n目录\n第一部分 青山县林业局概况\n第二部分 青山县林业局2025年部门预算表\n", "nothing printed after it"),
    # a contents list after figures that does not open with the overview: an annex's, not a disclosure's
    ("\n目录\n附表1 项目支出绩效目标表\n附表2 政府采购预算表\n" + "\n".join(f"项目{i} {i}.00万元" for i in range(1, 15)),
     "no overview"),
])
def test_what_only_looks_like_another_disclosure_does_not_split(tail, why):
    doc = open_document(BUREAU + tail, "one.txt")
    assert disclosure_spans(doc) == [(1, len(doc.lines))], why


def test_a_unit_printing_neither_contents_nor_parts_opens_with_its_title():
    # A unit's budget after its department's: its title, then straight to 一、部门主要职责.
    unit = SECOND.replace("第一部分  青山县林业局概况", "", 1)
    records = read_documents(BUREAU + "\n" + unit, name="汇编.txt")
    assert [r["_meta"]["part"]["lines"][0] for r in records] == [1, BUREAU.count("\n") + 2]
    assert _shifted(records[1], BUREAU.count("\n") + 1) == _shifted(read_document(unit, name="汇编.txt"), 0)


def test_the_cover_goes_with_the_disclosure_it_names_and_a_page_ending_the_last_stays_there():
    # The second disclosure's cover page ("青山县林业局" / "2025年部门预算") and its contents page,
    # after a page that ends the first disclosure's glossary: pages separated by form feeds.
    cover = "\f青山县林业局\n2025 年部门预算\n\f目录\n第一部分 青山县林业局概况\n"
    body = SECOND[SECOND.index("第一部分"):]
    joined = BUREAU + "\n" + cover + body
    doc = open_document(joined, "汇编.txt")
    spans = disclosure_spans(doc)
    assert len(spans) == 2
    assert doc.line(spans[1][0]).compact == "青山县林业局"
    assert doc.line(spans[0][1]).compact == "" or "。" in doc.excerpt(spans[0][0], spans[0][1])[-80:]


def test_in_text_without_pages_the_cover_is_the_title_and_the_name_before_it():
    # The first disclosure closes with short lines that end no sentence; the second's cover is
    # its department's name and the title, then its first part.
    closing = "\n七、绩效目标\n详见单位的项目绩效目标表\n"
    cover = "青山县林业局\n2025 年部门预算\n"
    joined = BUREAU + closing + cover + SECOND[SECOND.index("第一部分"):]
    doc = open_document(joined, "汇编.txt")
    spans = disclosure_spans(doc)
    assert len(spans) == 2
    assert doc.line(spans[1][0]).compact == "青山县林业局"
    assert doc.line(spans[0][1]).compact == "详见单位的项目绩效目标表"


@pytest.mark.parametrize("front", [
    "青山县2025年部门预算公开汇编\n\n目录\n\n1. 青山县自然资源局2025年部门预算……………1\n\n2. 青山县林业局2025年部门预算……………16\n\n",
    "青山县2025年部门预算公开汇编\n\f目录\n1. 青山县自然资源局……1\n2. 青山县林业局……16\n\f",
], ids=["text", "paged"])
def test_a_collections_front_matter_belongs_to_no_disclosure(front):
    # A 汇编 opens with its own cover and a list of the disclosures it collects (no overview, no
    # figure): read with the first department's, it was taken for that one's contents list
    # (tables "listed but not printed", 94 of 157 figures read).
    joined = front + BUREAU + "\n" + SECOND
    records = read_documents(joined, name="汇编.txt")
    assert len(records) == 2
    first_line = front.count("\n") + 1
    assert records[0]["_meta"]["part"]["lines"][0] == first_line
    assert _shifted(records[0], first_line - 1) == _shifted(read_document(BUREAU, name="汇编.txt"), 0)
    for record in records:
        assert record["_meta"]["coverage"]["figures"] == {"read": 198, "printed": 198}
        assert [u["reason"] for u in record["_meta"]["unread"]] == [
            u["reason"] for u in read_document(BUREAU, name="汇编.txt")["_meta"]["unread"]]


def test_a_disclosure_starting_mid_page_places_its_figures_on_the_files_pages():
    # Text with form feeds (pdftotext's pages): the second disclosure starts halfway down page 2.
    middle = BUREAU.index("第三部分")
    joined = BUREAU[:middle] + "\f" + BUREAU[middle:] + "\n" + SECOND
    doc = open_document(joined, "汇编.txt")
    records = read_documents(joined, name="汇编.txt")
    assert len(records) == 2 and doc.line(records[1]["_meta"]["part"]["lines"][0]).page == 2
    sources = [v["source"] for record in records for _, v in _values(record) if "line" in v["source"]]
    assert {s["page"] for s in sources} == {1, 2}
    for source in sources:
        page = doc.page(source["page"])
        assert page.first <= source["line"] <= page.last
        assert source["page_line"] == source["line"] - page.first + 1, source


def _example_pages(build):
    """The pages (items) a make_examples build draws, instead of the PDF it renders."""
    sys.path.insert(0, str(EXAMPLES))
    try:
        import make_examples
        import make_final_accounts
    finally:
        sys.path.remove(str(EXAMPLES))
    captured = []
    rendered = make_examples.render
    make_examples.render = lambda pages, *args, **kwargs: captured.append(pages) or b""
    try:
        build(make_examples, make_final_accounts)
    finally:
        make_examples.render = rendered
    return captured[-1], rendered


def test_a_budget_and_a_final_account_in_one_pdf_read_each_by_its_template():
    budget, render = _example_pages(lambda m, fa: m.build())
    final, _ = _example_pages(lambda m, fa: fa.build_final_accounts())
    records = read_documents(render(budget + final), name="两份.pdf")
    assert [r["_meta"]["template"] for r in records] == ["budget_disclosure", "final_accounts"]
    alone = [read_document(render(pages), name="两份.pdf") for pages in (budget, final)]
    assert _shifted(records[0], 0) == _shifted(alone[0], 0)
    # The final account's figures: the same, on the combined file's pages.
    figures = lambda record: sorted((path, v["value"]) for path, v in _values(record))  # noqa: E731
    assert figures(records[1]) == figures(alone[1])
    # every figure on its page of the combined file, at its line of that page
    placed = lambda record, shift: sorted((path, v["source"]["page"] + shift, v["source"].get("page_line"))  # noqa: E731
                                          for path, v in _values(record) if "page" in v["source"])
    assert placed(records[1], 0) == placed(alone[1], len(budget)) != []
    assert placed(records[0], 0) == placed(alone[0], 0) != []
    assert records[1]["_meta"]["coverage"]["figures"] == alone[1]["_meta"]["coverage"]["figures"]


def _values(node, path=""):
    if isinstance(node, dict):
        if "value" in node and "source" in node:
            yield path, node
            return
        for key, item in node.items():
            if key != "_meta":
                yield from _values(item, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _values(item, f"{path}[{index}]")


def test_audit_names_each_disclosure_and_extract_writes_their_list(tmp_path):
    joined = tmp_path / "汇编.txt"
    joined.write_text(BUREAU + "\n" + SECOND, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "fiscalrules", "audit", "--format", "json", str(joined)],
                         capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert [r["id"] for r in report["records"]] == ["汇编#1", "汇编#2"]
    alone = tmp_path / "alone.txt"
    alone.write_text(BUREAU, encoding="utf-8")
    single = json.loads(subprocess.run([sys.executable, "-m", "fiscalrules", "audit", "--format", "json", str(alone)],
                                       capture_output=True, text=True, encoding="utf-8").stdout)
    failing = lambda rep, rid: sorted(f["rule"] for f in rep["findings"]  # noqa: E731
                                      if f["record"] == rid and f["status"] == "fail")
    assert failing(report, "汇编#1") == failing(single, "alone") != []
    assert [r["part"] for r in report["records"]] == [
        {"number": 1, "of": 2, "lines": [1, BUREAU.count("\n") + 1]},
        {"number": 2, "of": 2, "lines": [BUREAU.count("\n") + 2, (BUREAU + "\n" + SECOND).count("\n") + 1]}]
    table = subprocess.run([sys.executable, "-m", "fiscalrules", "audit", "--lang", "en", str(joined)],
                           capture_output=True, text=True, encoding="utf-8").stdout
    second = BUREAU.count("\n") + 2
    assert f"== 汇编#2 ({joined}, lines {second}–{second + SECOND.count(chr(10))})" in table
    # The HTML report shows each record its own disclosure's lines, not the whole file each time.
    page = tmp_path / "report.html"
    subprocess.run([sys.executable, "-m", "fiscalrules", "audit", "--format", "html", "-o", str(page), str(joined)],
                   capture_output=True)
    html = page.read_text(encoding="utf-8")
    shown = [sorted(int(n) for n in re.findall(rf'id="r{k}-L(\d+)"', html)) for k in (1, 2)]
    assert shown == [list(range(1, second)), list(range(second, second + len(SECOND.splitlines())))]
    out = tmp_path / "records.json"
    assert subprocess.run([sys.executable, "-m", "fiscalrules", "extract", str(joined), "-o", str(out)]).returncode == 0
    extracted = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(extracted, list) and [r["_meta"]["id"] for r in extracted] == ["汇编#1", "汇编#2"]


ODD = "目录\n一、部门主要职能\n" + "\n".join(f"第{i}项 {i}.00 万元" for i in range(1, 13)) + "\n"


def test_one_disclosure_that_cannot_be_read_is_named_and_the_others_are_read(tmp_path):
    # The second of three opens as a disclosure (目录, 主要职能, figures) but is no budget.
    joined = BUREAU + "\n" + ODD + SECOND
    first_line = BUREAU.count("\n") + 2
    with pytest.raises(ReaderError, match=rf"disclosure 2 of 3 \(lines {first_line}-\d+\): 汇编.txt does not look like a budget"):
        read_documents(joined, name="汇编.txt")
    read = read_document_records(joined, name="汇编.txt", keep_errors=True)
    assert [data["_meta"]["id"] if data else type(error).__name__ for data, error in read] == [
        "汇编#1", "ReaderError", "汇编#3"]
    path = tmp_path / "汇编.txt"
    path.write_text(joined, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "fiscalrules", "audit", "--format", "jsonl", "--fail-on", "never",
                          str(path)], capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 2   # an input that could not be read
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    errors = [line for line in lines if line.get("status") == "read_error"]
    assert [e["record"] for e in errors] == ["汇编#2"] and "第 2 份公开文件（共 3 份" in errors[0]["reason_zh"]
    audited = {line["record"] for line in lines if "rule" in line}
    assert audited == {"汇编#1", "汇编#3"}


def test_a_file_cut_into_more_disclosures_than_a_collection_holds_is_refused():
    from fiscalrules.readers.parts import MAX_DISCLOSURES
    text = ODD * (MAX_DISCLOSURES + 1)
    assert len(disclosure_spans(open_document(text, "x.txt"))) == MAX_DISCLOSURES + 1
    with pytest.raises(ReaderError, match=rf"holds {MAX_DISCLOSURES + 1} disclosures, more than the {MAX_DISCLOSURES}"):
        read_documents(text, name="x.txt")


def test_one_disclosure_a_file_is_never_split():
    files = [EXAMPLES / "bureau_2025.txt", EXAMPLES / "qingshi_culture_2025.pdf",
             EXAMPLES / "qingshi_culture_2024_final_accounts.pdf"]
    for path in files:
        doc = open_document(str(path))
        assert disclosure_spans(doc) == [(1, len(doc.lines))], path.name


@pytest.mark.skipif(not SHARED.is_dir(), reason="the real disclosures (../shared/disclosures) are not here")
def test_real_disclosures_one_a_file_and_joined_each_read_as_alone():
    texts = sorted(SHARED.glob("*.txt"))
    pdfs = sorted((SHARED / "shanghai").glob("*.pdf"))
    for path in texts + pdfs:
        doc = open_document(str(path))
        assert disclosure_spans(doc) == [(1, len(doc.lines))], path.name
    contents = [path.read_text(encoding="utf-8") for path in texts]
    records = read_documents("\n".join(contents), name="joined.txt")
    assert len(records) == len(contents)
    offset = 0
    for text, record in zip(contents, records):
        assert _shifted(record, offset) == _shifted(read_document(text, name="joined.txt"), 0)
        offset += text.count("\n") + 1

"""One disclosure published in several files -- its narrative and its tables apart -- read as one
record (fiscalrules/readers/joined.py, ``read_together``, ``audit --together``).

Session 41: each file could only be audited alone, as half a disclosure: the rules comparing the
narrative with the tables (TPF-003: the 三公 narrative against its table; TBL-031 …) checked
nothing, and each half reported the other's sections missing.  The fictional examples cut in two
-- the text example's tables as text and its narrative as a Word document, the example budget PDF
as two PDFs -- must read as the whole does: every figure, the same findings, and each figure's
source naming the file it is in with the line and page it has in that file alone.
"""

from __future__ import annotations

import io
import re

import pytest
from published_forms import word_document
from record_figures import EXAMPLE

import fiscalrules
from fiscalrules.cli import main
from fiscalrules.errors import ReaderError
from fiscalrules.readers import joined, read_document, read_together

EXAMPLE_PDF = EXAMPLE.parent / "qingshi_culture_2025.pdf"


def _halves(tmp_path):
    """The text example cut before its narrative (第三部分): the tables as text, the narrative as
    a Word document."""
    text = EXAMPLE.read_text(encoding="utf-8")
    cut = text.index("第三部分")
    tables, narrative = tmp_path / "预算表.txt", tmp_path / "预算说明.docx"
    tables.write_text(text[:cut], encoding="utf-8")
    narrative.write_bytes(word_document(text[cut:]))
    return tables, narrative


def _figures(node, out=None, path=""):
    """path → (value, source document, page, line, page_line) of every figure of a record (but
    the document-quality facts: a Word file holds a paragraph whole where the text wraps it)."""
    out = {} if out is None else out
    if path == ".quality":
        return out
    if isinstance(node, dict):
        if "value" in node and isinstance(node.get("source"), dict):
            src = node["source"]
            out[path] = (node["value"], src.get("document"), src.get("page"), src.get("line"), src.get("page_line"))
            return out
        for key, value in node.items():
            if key != "_meta":
                _figures(value, out, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _figures(value, out, f"{path}[{index}]")
    return out


def _failing(record) -> list[str]:
    report = fiscalrules.load_ruleset(record["_meta"]["template"]).evaluate(record)
    return sorted(f.rule + (f"[{f.item}]" if f.item else "") for f in report.findings if f.status == "fail")


def test_a_narrative_and_its_tables_in_two_files_read_as_the_whole(tmp_path):
    tables, narrative = _halves(tmp_path)
    together, whole = read_together([tables, narrative]), read_document(EXAMPLE)
    assert together["_meta"]["id"] == "预算表+预算说明"
    # (each file by its path: the files of a disclosure may stand in several folders)
    assert together["_meta"]["documents"] == [str(tables), str(narrative)]
    assert together["_meta"]["coverage"]["figures"] == {"read": 198, "printed": 198}
    assert _failing(together) == _failing(whole) and len(_failing(whole)) == 7
    # every figure the same, each from the file it is printed in, numbered as that file alone numbers it
    from_narrative = _figures(read_document(narrative))
    from_tables = _figures(read_document(tables))
    got = _figures(together)
    assert {path: fig[0] for path, fig in got.items()} == {path: fig[0] for path, fig in _figures(whole).items()}
    compared = 0
    for path, fig in got.items():
        assert fig[1] in (str(tables), str(narrative)), (path, fig)
        alone = (from_narrative if fig[1] == str(narrative) else from_tables).get(path)
        # (the years mentioned are a list in the order read: alone, a year is another item)
        if alone is not None and alone[0] == fig[0] and not path.startswith(".doc.years"):
            assert (alone[1], *alone[2:]) == (narrative.name if fig[1] == str(narrative) else tables.name, *fig[2:])
            compared += 1
    assert compared > 150 and {fig[1] for fig in got.values()} == {str(tables), str(narrative)}
    # an unread part names its file and its lines there
    listed = together["_meta"]["unread"]
    assert listed and all(part["document"] == str(tables) for part in listed)
    assert [part["lines"] for part in listed] == [part["lines"] for part in read_document(tables)["_meta"]["unread"]
                                                  if part["section"] == listed[0]["section"]]


def test_alone_each_half_misses_what_only_the_two_together_check(tmp_path):
    tables, narrative = _halves(tmp_path)
    together = _failing(read_together([tables, narrative]))
    alone = set(_failing(read_document(tables))) | set(_failing(read_document(narrative)))
    # (TPF-003: the 三公 narrative against its table; TBL-031: a table's total against the narrative)
    assert {"TPF-003", "TBL-031[213]"} <= set(together) and not {"TPF-003", "TBL-031[213]"} & alone
    assert "QUA-010[9]" in alone   # (the tables alone: "the narrative part is missing")


def _pdf_pages(numbers) -> bytes:
    """Pages *numbers* (from 0) of the example budget PDF as a PDF of their own."""
    pdfium = pytest.importorskip("pypdfium2")
    source = pdfium.PdfDocument(str(EXAMPLE_PDF))
    part = pdfium.PdfDocument.new()
    part.import_pages(source, numbers)
    out = io.BytesIO()
    part.save(out)
    return out.getvalue()


# the example budget PDF's pages 1-4 (the cover, contents, functions and the 编制说明) and 5-19
# (the tables and the notes after them)
NARRATIVE_PAGES, TABLE_PAGES = list(range(4)), list(range(4, 19))


def test_a_budget_pdf_in_two_files_reads_as_the_whole_with_each_files_pages():
    together = read_together([_pdf_pages(NARRATIVE_PAGES), _pdf_pages(TABLE_PAGES)], names=["说明.pdf", "表格.pdf"])
    whole = read_document(EXAMPLE_PDF)
    assert _failing(together) == _failing(whole)
    got, expected = _figures(together), _figures(whole)
    assert set(got) == set(expected) and len(got) > 200
    for path, (value, document, page, line, page_line) in got.items():
        w_value, _, w_page, _, w_page_line = expected[path]
        assert (value, page_line) == (w_value, w_page_line)
        assert (document, page) == (("说明.pdf", w_page) if w_page <= 4 else ("表格.pdf", w_page - 4)), path


def test_audit_together_reads_each_folder_as_one_disclosure(tmp_path, capsys):
    """Each folder given holds one disclosure's files (a department's attachments), named by the
    folder; the files given directly are another, named by their stems."""
    for department in ("青山县自然资源局", "青山县林业局"):
        (tmp_path / department).mkdir()
        _halves(tmp_path / department)
    assert main(["audit", "--no-progress", "--together", str(tmp_path / "青山县自然资源局"),
                 str(tmp_path / "青山县林业局")]) == 1
    out = capsys.readouterr().out
    assert out.count("不一致 7") == 2 and "== 青山县自然资源局 (" in out and "== 青山县林业局 (" in out
    folder = tmp_path / "青山县林业局"
    assert main(["audit", "--no-progress", "--together", str(folder / "预算表.txt"), str(folder / "预算说明.docx"),
                 str(tmp_path / "青山县自然资源局")]) == 1
    out = capsys.readouterr().out
    assert out.count("不一致 7") == 2 and "== 预算表+预算说明 (" in out and "== 青山县自然资源局 (" in out


def test_audit_together_reads_a_folder_as_one_disclosure(tmp_path, capsys):
    _halves(tmp_path)
    assert main(["audit", "--no-progress", "--together", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"== {tmp_path.name} (" in out and "不一致 7" in out and out.count("\n== ") + out.startswith("== ") == 1
    # the same two files given apart: two records, and fewer findings between them
    assert main(["audit", "--no-progress", str(tmp_path / "预算表.txt"), str(tmp_path / "预算说明.docx")]) == 1
    out = capsys.readouterr().out
    assert out.count("\n== ") + out.startswith("== ") == 2 and "不一致 7" not in out
    # the folder without --together: its two files are the parts of one disclosure, joined by
    # themselves (tests/test_archive_parts_joined.py)
    assert main(["audit", "--no-progress", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "== 预算表+预算说明 (" in out and out.count("\n== ") + out.startswith("== ") == 1


def test_extract_together_writes_the_one_record_check_reads(tmp_path, capsys):
    tables, narrative = _halves(tmp_path)
    out = tmp_path / "record.json"
    assert main(["extract", "--together", str(tables), str(narrative), "-o", str(out)]) == 0
    assert main(["check", "budget_disclosure", "-r", str(out)]) == 1
    assert "预算表+预算说明" in (text := capsys.readouterr().out) and "不一致 7" in text
    assert main(["extract", str(tables), str(narrative)]) == 2   # (several files, not said to be one)
    assert "--together" in capsys.readouterr().err


def _two_budgets(tmp_path):
    path = tmp_path / "汇编.txt"
    text = EXAMPLE.read_text(encoding="utf-8")
    path.write_text(text + "\n" + text, encoding="utf-8")
    return path


def test_a_narrative_as_text_and_the_tables_as_a_pdf_read_as_the_whole():
    """A portal's page of narrative (text) and its tables attached as a PDF: each table read as
    what it was printed in -- the PDF's by position."""
    from fiscalrules.inputs import open_document
    narrative = "\n".join(line.original for line in open_document(_pdf_pages(NARRATIVE_PAGES), "说明.pdf").lines)
    together = read_together([narrative, _pdf_pages(TABLE_PAGES)], names=["说明.txt", "表格.pdf"])
    whole = read_document(EXAMPLE_PDF)
    assert together["_meta"]["coverage"]["figures"] == whole["_meta"]["coverage"]["figures"] == {"read": 233, "printed": 233}
    assert _failing(together) == _failing(whole)
    got, expected = _figures(together), _figures(whole)
    assert {path: fig[0] for path, fig in got.items()} == {path: fig[0] for path, fig in expected.items()}
    for path, (_, document, page, _, _) in got.items():
        w_page = expected[path][2]
        assert (document, page) == (("说明.txt", None) if w_page <= 4 else ("表格.pdf", w_page - 4)), path


@pytest.mark.parametrize("make, says, in_chinese", [
    (lambda tmp_path: [EXAMPLE, _two_budgets(tmp_path)], "holds 2 disclosures itself: it cannot be one part of a disclosure",
     "本身包含 2 份公开文件"),
    (lambda tmp_path: [EXAMPLE, EXAMPLE.parent / "qingshi_culture_2024_final_accounts.pdf"],
     "final_accounts.pdf is a final-accounts disclosure (决算) and ", "bureau_2025.txt 是预算"),
], ids=["a_file_of_several_disclosures", "a_final_accounts_and_a_budget"])
def test_files_that_cannot_be_one_disclosure_are_refused_naming_the_file(tmp_path, capsys, make, says, in_chinese):
    paths = make(tmp_path)
    with pytest.raises(ReaderError, match=re.escape(says)):
        read_together(paths)
    assert main(["audit", "--no-progress", "--together", *map(str, paths)]) == 2
    err = capsys.readouterr().err
    assert in_chinese in err and "Traceback" not in err
    assert main(["audit", "--no-progress", "--lang", "en", "--together", *map(str, paths)]) == 2
    assert says in capsys.readouterr().err


def test_more_files_than_one_disclosure_is_read_from_are_refused(monkeypatch):
    monkeypatch.setattr(joined, "MAX_FILES", 1)
    with pytest.raises(ReaderError, match="2 files given as one disclosure, more than the 1 one is read from"):
        read_together([EXAMPLE, EXAMPLE])

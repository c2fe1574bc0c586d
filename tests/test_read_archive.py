"""A folder or zip archive read by the library as ``audit`` reads it (fiscalrules/readers/each.py).

Before, ``fiscalrules.readers.read_document`` (and every reading entry point of the library) refused
a zip archive ("a zip archive of other files, not a document") and a folder: only the command
line's ``audit`` listed an archive's documents and joined the two halves of one disclosure, so a
program importing fiscalrules had to redo both.  And ``audit`` read each half twice: once alone,
to tell that the two were halves, then again, opened and parsed anew, to read them as one.
Every document here is fictional (the example, cut in two).
"""

from __future__ import annotations

import zipfile

import pytest
from published_forms import word_document
from record_figures import EXAMPLE
from test_archive_parts_joined import _halves
from test_input_archive import _zip

import fiscalrules
from fiscalrules.cli import main
from fiscalrules.errors import ReaderError
from fiscalrules.inputs import archive
from fiscalrules.readers import DisclosureRead, read_all, read_document


def _read(*sources) -> list[DisclosureRead]:
    return list(read_all(*sources))


def test_an_archive_of_a_narrative_and_its_tables_reads_as_one_record_with_its_unreadable_member_named(tmp_path):
    tables, narrative = _halves()
    bundle = tmp_path / "download.zip"
    bundle.write_bytes(_zip({"公开/预算表.txt": tables.encode("utf-8"), "公开/预算说明.docx": narrative,
                             "公开/损坏.docx": b"PK\x03\x04cut short", "整份.txt": EXAMPLE.read_bytes()}))
    read = _read(bundle)
    assert [r.ok for r in read] == [False, True, True]
    broken, whole, joined = read
    # the damaged member: its error, naming it in the archive; the others still read
    assert broken.files == (f"{bundle}/公开/损坏.docx",) and broken.data is None
    assert "损坏.docx" in str(broken.error) and broken.error.code == "E400"
    assert whole.files == (f"{bundle}/整份.txt",) and whole.data["_meta"]["id"] == "整份"
    # the two halves: one record, read from both, each figure's source naming its own file
    assert joined.files == (f"{bundle}/公开/预算表.txt", f"{bundle}/公开/预算说明.docx")
    assert joined.data["_meta"]["id"] == "预算表+预算说明"
    assert joined.data["_meta"]["documents"] == [str(name) for name in joined.files]
    assert joined.record.id == "预算表+预算说明"
    failing = {f.rule for f in fiscalrules.load_ruleset("budget_disclosure").evaluate(joined.record).findings
               if f.status == "fail"}
    alone = read_document(EXAMPLE.read_text(encoding="utf-8"), name="bureau.txt")
    assert failing == {f.rule for f in fiscalrules.load_ruleset("budget_disclosure").evaluate(alone).findings
                       if f.status == "fail"}


def test_a_folder_reads_each_department_s_halves_as_one_and_each_disclosure_of_a_file_apart(tmp_path):
    for name, stem in (("青山县自然资源局", "一"), ("青山县林业局", "二")):
        tables, narrative = _halves(name)
        (tmp_path / "下载" / stem).mkdir(parents=True)
        (tmp_path / "下载" / stem / "表.txt").write_text(tables, encoding="utf-8")
        (tmp_path / "下载" / stem / "说明.docx").write_bytes(narrative)
    text = EXAMPLE.read_text(encoding="utf-8")
    (tmp_path / "下载" / "汇编.txt").write_text(text + "\n\n" + text.replace("青山县自然资源局", "青山县水利局"),
                                               encoding="utf-8")
    read = _read(tmp_path / "下载")
    assert all(r.ok for r in read)
    assert [(r.data["_meta"]["id"], r.part) for r in read] == [
        ("汇编#1", (1, 2)), ("汇编#2", (2, 2)), ("表+说明", None), ("表+说明", None)]
    assert [len(r.files) for r in read] == [1, 1, 2, 2]
    assert read[2].files[0].endswith("一/表.txt") and read[3].files[1].endswith("二/说明.docx")
    # (the halves held until the folder's other files are read: yielded after them)
    assert [r.positions for r in read] == [(4,), (4,), (0, 1), (2, 3)]


def test_files_given_directly_are_read_apart_and_a_missing_one_is_its_error(tmp_path):
    tables, narrative = _halves()
    (tmp_path / "表.txt").write_text(tables, encoding="utf-8")
    (tmp_path / "说明.docx").write_bytes(narrative)
    read = _read(tmp_path / "表.txt", str(tmp_path / "说明.docx"), tmp_path / "无.txt")
    assert [r.data["_meta"]["id"] for r in read[:2]] == ["表", "说明"]   # (parts only where a folder holds them)
    assert [r.positions for r in read] == [(0,), (1,), (2,)]
    assert not read[2].ok and "无.txt" in str(read[2].error)
    # the join asked off: a folder's halves read apart too
    assert [r.data["_meta"]["id"] for r in read_all(tmp_path, join_parts=False)] == ["表", "说明"]


def test_the_archive_bounds_hold_for_the_library_as_for_audit(tmp_path, monkeypatch):
    inner = _zip({"表.txt": EXAMPLE.read_bytes()})
    bundle = tmp_path / "nested.zip"
    bundle.write_bytes(_zip({"a.txt": EXAMPLE.read_bytes(), "inner.zip": inner}))
    ok, nested = _read(bundle)
    assert ok.ok and not nested.ok and "inner.zip" in str(nested.error)   # (an archive in an archive: not opened)
    empty = tmp_path / "empty"
    empty.mkdir()
    (refused,) = _read(empty)
    assert refused.error.code == "E500" and refused.files == (str(empty),)
    monkeypatch.setattr(archive, "MAX_MEMBERS", 1)
    (refused,) = _read(bundle)
    assert "more than 1 documents" in str(refused.error)
    monkeypatch.setattr(archive, "MAX_MEMBERS", 10_000)
    big = tmp_path / "big.zip"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as written:
        written.writestr("huge.txt", b"0" * 2_000_000)
    monkeypatch.setattr("fiscalrules.inputs.MAX_DOCUMENT_BYTES", 1_000_000)
    monkeypatch.setattr("fiscalrules.inputs.MAX_PDF_BYTES", 1_000_000)
    (refused,) = _read(big)
    assert "unpacks to 2,000,000 bytes" in str(refused.error)


def test_a_document_reader_given_an_archive_says_what_reads_it(tmp_path):
    bundle = tmp_path / "b.zip"
    bundle.write_bytes(_zip({"a.txt": EXAMPLE.read_bytes()}))
    with pytest.raises(ReaderError, match="read_all"):
        read_document(bundle)


def test_audit_opens_and_parses_each_half_once(tmp_path, capsys, monkeypatch):
    """The halves read alone (to tell they are halves) are read as one from the documents opened
    then: a .docx narrative and an .xlsx of the tables each parsed once, the report unchanged."""
    openpyxl = pytest.importorskip("openpyxl")
    from fiscalrules.inputs import docx, xlsx
    tables, narrative = _halves()
    book = openpyxl.Workbook()
    for row, line in enumerate(tables.split("\n"), 1):
        for column, cell in enumerate(line.split("\t"), 1):
            if cell:
                book.active.cell(row, column, cell)
    book.save(tmp_path / "预算表.xlsx")
    (tmp_path / "预算说明.docx").write_bytes(narrative)
    parsed = []
    for module, name in ((docx, "docx_text"), (xlsx, "xlsx_text")):
        def counted(*args, _parse=getattr(module, name), _name=name, **kwargs):
            parsed.append(_name)
            return _parse(*args, **kwargs)
        monkeypatch.setattr(module, name, counted)
    assert main(["audit", "--no-progress", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "== 预算表+预算说明 (" in out and out.count("不一致 7") == 1
    assert sorted(parsed) == ["docx_text", "xlsx_text"]


def test_a_word_narrative_alone_in_an_archive_reads_alone(tmp_path):
    _, narrative = _halves()
    bundle = tmp_path / "b.zip"
    bundle.write_bytes(_zip({"说明.docx": narrative, "其他.docx": word_document("说明")}))
    read = _read(bundle)
    assert sorted(r.files[0].rsplit("/", 1)[1] for r in read) == ["其他.docx", "说明.docx"]
    assert all(len(r.files) == 1 for r in read)


def test_extract_reads_an_archive_as_the_library_does_its_halves_joined(tmp_path, capsys):
    import json
    tables, narrative = _halves()
    bundle = tmp_path / "download.zip"
    bundle.write_bytes(_zip({"预算表.txt": tables.encode("utf-8"), "预算说明.docx": narrative,
                             "损坏.docx": b"PK\x03\x04cut short"}))
    out = tmp_path / "out.json"
    assert main(["extract", str(bundle), "-o", str(out)]) == 2   # (the damaged member said, the others written)
    assert "损坏.docx" in capsys.readouterr().err
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["_meta"]["id"] == "预算表+预算说明" and len(record["_meta"]["documents"]) == 2

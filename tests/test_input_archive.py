"""Zip archives of disclosure documents (fiscalrules/inputs/archive.py): an archive given to
``audit`` (or found in a folder given) stands for the documents in it, as a folder does.

Before, a zip was "a binary file, not text": a department's disclosure downloaded as a bundle --
its narrative and its tables apart, or a county's every department -- could not be audited
without unpacking it by hand.  The fictional example in a zip, its names written as Chinese
Windows writes them (GBK, no UTF-8 flag), must audit as the example does; hostile archives are
refused member by member, the other documents still run.
"""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from published_forms import word_document
from record_figures import EXAMPLE

from fiscalrules.cli import main
from fiscalrules.errors import ReaderError
from fiscalrules.inputs import open_document
from fiscalrules.inputs.archive import archive_members
from fiscalrules.readers import read_document


def _zip(members: dict, gbk_names: bool = True) -> bytes:
    """An archive of *members* (name → bytes); with *gbk_names*, each name written in GBK without
    the UTF-8 flag, as Windows' own zip tool writes a Chinese name."""
    out = io.BytesIO()
    placeholders = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, (name, data) in enumerate(members.items()):
            stored = name
            if gbk_names and not name.isascii():
                encoded = name.encode("gb18030")
                stored = f"@{number}@".ljust(len(encoded), "~")   # (as long as the GBK name: patched below)
                placeholders[stored.encode()] = encoded
            archive.writestr(stored, data)
    data = out.getvalue()
    for stored, encoded in placeholders.items():
        data = data.replace(stored, encoded)
    return data


def _halves() -> dict:
    text = EXAMPLE.read_text(encoding="utf-8")
    cut = text.index("第三部分")
    return {"预算公开/预算表.txt": text[:cut].encode("utf-8"), "预算公开/预算说明.docx": word_document(text[cut:])}


def test_a_bundle_of_departments_audits_each_document_in_it(tmp_path, capsys):
    text = EXAMPLE.read_text(encoding="utf-8")
    bundle = tmp_path / "部门预算.zip"
    bundle.write_bytes(_zip({"青山县/自然资源局.txt": text.encode("utf-8"), "青山县/林业局.docx": word_document(text),
                             "青山县/说明.png": b"\x89PNG", "__MACOSX/青山县/._林业局.docx": b"x"}))
    names = [member.name for member in archive_members(str(bundle), (".txt", ".docx"))]
    assert names == ["青山县/林业局.docx", "青山县/自然资源局.txt"]   # (GBK names read as written)
    assert main(["audit", "--no-progress", str(bundle)]) == 1
    out = capsys.readouterr().out
    assert out.count("不一致 7") == 2
    assert f"== 林业局 ({bundle}/青山县/林业局.docx)" in out and f"== 自然资源局 ({bundle}/青山县/自然资源局.txt)" in out


def test_a_disclosure_in_an_archive_is_read_together_as_one(tmp_path, capsys):
    bundle = tmp_path / "青山县自然资源局.zip"
    bundle.write_bytes(_zip(_halves()))
    assert main(["audit", "--no-progress", "--together", str(bundle)]) == 1
    out = capsys.readouterr().out
    assert out.count("不一致 7") == 1 and "== 青山县自然资源局 (" in out
    assert main(["extract", "--together", str(bundle), "-o", str(tmp_path / "r.json")]) == 0
    record = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert record["_meta"]["coverage"]["figures"] == {"read": 198, "printed": 198}
    assert record["_meta"]["documents"] == [f"{bundle}/预算公开/预算表.txt", f"{bundle}/预算公开/预算说明.docx"]


def test_an_archive_in_a_folder_is_read_as_its_documents(tmp_path, capsys):
    (tmp_path / "a.zip").write_bytes(_zip({"x/甲.txt": EXAMPLE.read_bytes()}))
    (tmp_path / "乙.txt").write_bytes(EXAMPLE.read_bytes())
    assert main(["audit", "--no-progress", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.count("不一致 7") == 2 and "== 甲 (" in out and "== 乙 (" in out


def _encrypted(data: bytes) -> bytes:
    """*data*'s members marked encrypted (bit 0 of each header's flags), as a password-protected
    archive's are."""
    out = bytearray(data)
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(signature)
        while at >= 0:
            out[at + flags_at] |= 1
            at = out.find(signature, at + 4)
    return bytes(out)


def _declaring(data: bytes, name: str, size: int) -> bytes:
    """*data* with its member *name* declared *size* bytes unpacked in the archive's directory
    (a lying header: the zip bomb's way)."""
    out, encoded = bytearray(data), name.encode("gb18030")
    at = out.find(b"PK\x01\x02")
    while at >= 0:
        if out[at + 46:at + 46 + len(encoded)] == encoded:
            out[at + 24:at + 28] = size.to_bytes(4, "little")
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def test_hostile_members_are_refused_naming_them_and_the_others_run(tmp_path, capsys):
    bundle = tmp_path / "b.zip"
    bundle.write_bytes(_declaring(_zip({"甲.txt": EXAMPLE.read_bytes(), "乙.txt": b"x" * 5000,
                                        "丙.zip": _zip({"a.txt": b"1"}), "丁.pdf": b"%PDF-1.4 damaged"}),
                                  "乙.txt", 4_000_000_000))
    locked = tmp_path / "locked.zip"
    locked.write_bytes(_encrypted(_zip({"a.txt": EXAMPLE.read_bytes()})))
    empty = tmp_path / "empty.zip"
    empty.write_bytes(_zip({"a.png": b"\x89PNG"}))
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    code = main(["audit", "--no-progress", "--lang", "en", str(bundle), str(locked), str(empty), str(damaged)])
    captured = capsys.readouterr()
    assert code == 2 and "Traceback" not in captured.err
    assert "fail 7" in captured.out   # (甲.txt: read and audited all the same)
    err = captured.err
    assert f"{bundle}/乙.txt" in err and "unpacks to 4,000,000,000 bytes" in err
    assert f"{bundle}/丙.zip" in err and "zip archive" in err
    assert f"{bundle}/丁.pdf" in err
    assert f"{locked}/a.txt" in err and "is encrypted" in err
    assert "no " in err and f"files in the archive {empty}" in err
    assert "damaged.zip" in err and "is a damaged zip file" in err


def test_the_library_reads_a_member_and_refuses_an_archive_as_a_document(tmp_path):
    bundle = tmp_path / "b.zip"
    bundle.write_bytes(_zip({"甲.txt": EXAMPLE.read_bytes()}))
    (member,) = archive_members(str(bundle), (".txt",))
    assert member == f"{bundle}/甲.txt" and open_document(member).name == member   # (named by its place)
    with pytest.raises(ReaderError, match="is a zip archive of other files"):
        read_document(bundle)


def test_extract_of_a_bundle_writes_each_documents_record_and_says_which_could_not_be_read(tmp_path, capsys):
    text = EXAMPLE.read_text(encoding="utf-8")
    bundle = tmp_path / "部门预算.zip"
    bundle.write_bytes(_zip({"青山县/自然资源局.txt": text.encode("utf-8"), "青山县/林业局.docx": word_document(text),
                             "青山县/坏.pdf": b"%PDF-1.4 damaged"}))
    out = tmp_path / "records.json"
    assert main(["extract", "--lang", "en", str(bundle), "-o", str(out)]) == 2
    records = json.loads(out.read_text(encoding="utf-8"))
    assert [record["_meta"]["id"] for record in records] == ["林业局", "自然资源局"]
    assert all(record["_meta"]["coverage"]["figures"] == {"read": 198, "printed": 198} for record in records)
    assert f"{bundle}/青山县/坏.pdf" in capsys.readouterr().err

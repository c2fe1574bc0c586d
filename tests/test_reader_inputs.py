"""Bad inputs raise ReaderError naming the file; variants of a real document read their changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from fiscalrules.errors import ReaderError
from fiscalrules.readers import read_disclosure

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "disclosures"


def shared_text(name: str) -> str:
    path = SHARED / name
    if not path.is_file():
        pytest.skip(f"shared disclosures not available ({path})")
    return path.read_text(encoding="utf-8")


# -- refusals ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"   \n\n\t \n", "is empty"),
    (b"\x00\x01\x02binary\x00data" * 10, "binary"),
    # a PDF is read as a PDF (whatever the file is called); a damaged one is refused as such
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not a readable PDF"),
    ("收入预算总额".encode("utf-8") + b"\xc3\x28\xff\xfe" + "万元".encode("utf-8"), "not valid UTF-8"),
    ("床前明月光，疑是地上霜。举头望明月，低头思故乡。\n".encode("utf-8"), "does not look like a budget disclosure"),
    (b"# README\n\nThis project reads budgets.\n", "does not look like a budget disclosure"),
    ("测试局2024年度部门决算\n\n第三部分 2024年度部门决算情况说明\n\n一、收入支出决算总体情况说明\n\n"
     "2024年度收入总计 100 万元，支出总计 100 万元，其中财政拨款 90 万元，三公经费 1 万元；年初预算 95 万元。"
     "决算数大于年初预算数。\n".encode("utf-8"), "final-accounts disclosure"),
])
def test_bad_files_raise_reader_error_naming_the_file(tmp_path, content, message):
    path = tmp_path / "bad input.txt"
    path.write_bytes(content)
    with pytest.raises(ReaderError) as caught:
        read_disclosure(path)
    error = caught.value
    assert message in error.message
    assert error.location.file == str(path)
    assert str(path) in str(error)


@pytest.mark.parametrize("content, byte", [
    (b"abc\n\xff\xff", 4),
    # a byte-order mark is part of the file: the offset counts it
    (b"\xef\xbb\xbfab\n\xff", 6),
])
def test_bad_utf8_names_the_byte_and_line_in_the_file(tmp_path, content, byte):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ReaderError) as caught:
        read_disclosure(path)
    assert f"(byte {byte}:" in caught.value.message
    assert caught.value.location.line == 2


def test_missing_file(tmp_path):
    path = tmp_path / "nowhere" / "missing.txt"
    with pytest.raises(ReaderError) as caught:
        read_disclosure(str(path))
    assert caught.value.location.file == str(path)
    assert "does not exist" in caught.value.message


def test_directory_is_not_a_document(tmp_path):
    with pytest.raises(ReaderError) as caught:
        read_disclosure(tmp_path)
    assert "directory" in caught.value.message


def test_text_given_directly_is_named_by_name():
    with pytest.raises(ReaderError) as caught:
        read_disclosure("这不是预算文件。\n只是一段普通文字。\n", name="notes.txt")
    assert caught.value.location.file == "notes.txt"


def test_gb18030_budget_text_is_accepted(tmp_path):
    text = ("第三部分 测试局 2025 年部门预算情况说明\n\n（一）收入预算情况\n\n"
            "收入预算总额为 10 万元，其中：财政拨款收入 10 万元。\n")
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.encode("gb18030"))
    assert read_disclosure(path)["income"]["total"]["value"] == "10"


def test_path_text_and_bytes_give_the_same_record(tmp_path):
    text = shared_text("000_1f48ee58997ddf2f.txt")
    by_path = read_disclosure(SHARED / "000_1f48ee58997ddf2f.txt")
    by_text = read_disclosure(text, name="000_1f48ee58997ddf2f.txt")
    by_bytes = read_disclosure(text.encode("utf-8"), name="000_1f48ee58997ddf2f.txt")
    assert by_path == by_text == by_bytes


# -- variants of a real document --------------------------------------------------------------------

def test_changed_figure_is_read_from_a_variant():
    text = shared_text("000_1f48ee58997ddf2f.txt")
    assert "卫生健康支出 326.34万元" in text
    variant = text.replace("卫生健康支出 326.34万元", "卫生健康支出 316.34万元", 1)
    rec = read_disclosure(variant, name="variant.txt")
    row = next(r for r in rec["expenditure"]["function"] if r["code"] == "210")
    assert row["amount"]["value"] == "316.34"
    assert row["amount"]["source"] == {"document": "variant.txt", "section": "(二)支出预算情况",
                                       "line": 142, "text": "卫生健康支出 316.34万元，较上年预算安排增加 61.31万元",
                                       "change_line": 144}    # (the sentence wraps before its change)


def test_changed_table_cell_and_change_word_are_read_from_a_variant():
    text = shared_text("003_5a2dd30d76d26ec5.txt")
    variant = text.replace("15\t医疗保障管理事务\t194.28\t127.28\t67.00",
                           "15\t医疗保障管理事务\t199.28\t127.28\t72.00")
    variant = variant.replace("比上年减少0.03万元", "比上年增加0.13万元")
    rec = read_disclosure(variant, name="variant.txt")
    row = next(r for r in rec["tables"]["general_budget"]["rows"] if r["code"] == "21015")
    assert (row["total"]["value"], row["project"]["value"]) == ("199.28", "72.00")
    assert rec["three_public"]["reception"]["change"] == "0.13"


def test_lines_shift_with_inserted_text():
    text = shared_text("002_bc5043a6c84644f3.txt")
    shifted = "\n\n\n" + text
    original = read_disclosure(text, name="a.txt")
    moved = read_disclosure(shifted, name="a.txt")
    assert moved["income"]["total"]["source"]["line"] == original["income"]["total"]["source"]["line"] + 3
    assert moved["income"]["total"]["value"] == original["income"]["total"]["value"]


def test_renamed_department_is_read_without_special_cases():
    text = shared_text("000_1f48ee58997ddf2f.txt").replace("景德镇市医疗保障局", "青山市医疗保障局")
    text = text.replace("指市级财政", "指县级财政")
    rec = read_disclosure(text, name="renamed.txt")
    assert rec["doc"]["publisher"]["value"] == "青山市医疗保障局"
    # "青山市" with no province named may be a county-level city: its glossary's 县级 is not
    # compared with a level guessed from the name (review 20 C D11)
    assert "glossary_level" not in rec["doc"]
    assert rec["income"]["total"]["value"] == "329.94"


def test_detailed_elsewhere_tables_are_listed_unread():
    text = shared_text("000_1f48ee58997ddf2f.txt").replace(
        " 第三部分  景德镇市医疗保障局 2025 年单位预算情况说明 ",
        "第二部分 预算表\n\n部门预算表详见附表。\n\n第三部分  景德镇市医疗保障局 2025 年单位预算情况说明")
    rec = read_disclosure(text, name="v.txt")
    reasons = [u["reason"] for u in rec["_meta"]["unread"]]
    assert any(r.startswith("table given only as a reference: 部门预算表详见附表") for r in reasons)
    assert rec["income"]["total"]["value"] == "329.94"

"""A disclosure saved as a web archive (fiscalrules/inputs/mht.py): the web page it holds, read
as any page is.

Word's "单个文件网页" and a browser's "save as a single file" write the page as one MIME message,
quoted-printable or base64 in its character set.  Before, such a file was read as text: the
encoded page gave no figures ("does not look like a budget disclosure").  The fictional example as
Word's web archive (GB2312, quoted-printable, a picture beside it) must read the same figures and
fail the same rules as its text.
"""

from __future__ import annotations

import base64

import pytest
from published_forms import web_archive, web_page
from record_figures import EXAMPLE, assert_reads_as_the_example

from fiscalrules.cli import main
from fiscalrules.errors import ReaderError
from fiscalrules.inputs import open_document
from fiscalrules.inputs.mht import archived_page, is_web_archive


@pytest.mark.parametrize("name", ["bureau_2025.mht", "bureau_2025.doc"])   # (Word's web archive saved as .doc)
def test_the_example_as_a_web_archive_reads_as_its_text(tmp_path, capsys, name):
    path = tmp_path / name
    path.write_bytes(web_archive(EXAMPLE.read_text(encoding="utf-8")))
    assert_reads_as_the_example(path, capsys, skip=("source", "_meta", "quality"))


def test_a_browsers_archive_in_base64_and_utf8_is_read():
    page = web_page("部门预算\n收入预算总额 1,234.56 万元。\n合计\t1.00").encode("utf-8")
    data = (b"From: <Saved by Blink>\r\nSnapshot-Content-Location: https://example.gov.cn/a.html\r\n"
            b"Subject: =?utf-8?Q?x?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n"
            b"\tboundary=\"----MultipartBoundary--x\"\r\n\r\n------MultipartBoundary--x\r\nContent-Type: text/html\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(page) + b"\r\n------MultipartBoundary--x--\r\n")
    assert is_web_archive(data)
    lines = [line.original for line in open_document(data, "a.mhtml").lines if line.original]
    assert "收入预算总额 1,234.56 万元。" in lines and "合计\t1.00" in lines


@pytest.mark.parametrize("head, archive", [
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n", True),
    (b"\xef\xbb\xbfmime-version: 1.0\ncontent-type: Multipart/Related;\n boundary=b\n\n", True),
    (b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nmultipart/related", False),   # (in the body, not a header)
    (b"Subject: 2025 budget\n\ncontent-type: multipart/related", False),
    ("部门预算\nContent-Type: multipart/related".encode(), False),
])
def test_a_web_archive_is_told_by_its_headers(head, archive):
    assert is_web_archive(head) is archive


def test_an_archive_holding_no_page_is_refused_naming_the_file(tmp_path, capsys):
    data = (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: image/png\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n!!!not base64\r\n--b--\r\n")
    with pytest.raises(ReaderError, match="a.mht is a web archive holding no web page"):
        archived_page(data, "a.mht")
    path = tmp_path / "a.mht"
    path.write_bytes(data)
    assert main(["audit", "--no-progress", str(path)]) == 2
    assert "是不含网页的网页存档" in capsys.readouterr().err   # (in Chinese, the default)


@pytest.mark.parametrize("data", [
    web_archive("部门预算\n收入 1.00 万元")[:300],                                     # cut inside the page
    web_archive("部门预算").replace(b"quoted-printable", b"base64"),                  # not base64 at all
    web_archive("部门预算").replace(b'charset="gb2312"', b'charset="x-no-such"'),      # an unknown character set
    b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n" + b"--b\r\n" * 20000,
])
def test_a_damaged_archive_is_read_or_refused_as_ours(data):
    try:
        open_document(data, "a.mht")
    except ReaderError:
        pass

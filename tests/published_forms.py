"""The fictional example (examples/bureau_2025.txt) in the forms a department publishes it in
besides a PDF -- a web page, a Word document -- for tests reading each against the text.

:func:`blocks` turns the text into what such a form holds: its paragraphs (the example wraps its
lines as a PDF's text does; a form holds a paragraph whole: joined here, a heading a paragraph of
its own, outside the narrative each line a block) and its tables (the tab-separated lines)."""

from __future__ import annotations

import html
import re
import zipfile
from io import BytesIO
from xml.sax.saxutils import escape

_HEADING = re.compile(r"^(第.部分|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def blocks(text: str):
    """("p", paragraph) and ("table", rows) of *text*, in order."""
    rows: list[list[str]] = []
    paragraph: list[str] = []
    narrative = False
    for line in text.split("\n"):
        if "\t" in line:
            if paragraph:
                yield "p", "".join(paragraph)
                paragraph = []
            rows.append(line.split("\t"))
            continue
        if rows:
            yield "table", rows
            rows = []
        raw, line = line.rstrip(), line.strip()
        if not line:
            continue
        narrative = narrative or line.startswith("第三部分")
        if not narrative:   # (a line a block, as printed: a space-aligned table's leading blanks kept)
            line = raw
        marker = _HEADING.match(line)
        heading = marker and len(line) <= 30 and not any(mark in line[marker.end():] for mark in "：。，、")
        if paragraph and (not narrative or heading or paragraph[-1].endswith(("。", "："))
                          or re.match(r"^\d[)）]", line)):
            yield "p", "".join(paragraph)
            paragraph = []
        paragraph.append(line)
        if heading:
            yield "p", "".join(paragraph)
            paragraph = []
    if paragraph:
        yield "p", "".join(paragraph)
    if rows:
        yield "table", rows


def rendered(text: str, paragraph, table) -> list[str]:
    """The blocks of *text*, each written by *paragraph* (its text) or *table* (its rows)."""
    return [paragraph(content) if kind == "p" else table(content) for kind, content in blocks(text)]


def web_page(text: str, charset: str = "utf-8") -> str:
    """*text* as a portal prints it: a ``<p>`` a paragraph, ``<table>`` tables (blank cells
    ``&nbsp;``), a script and a style in the head."""
    out = [f"<!DOCTYPE html><html><head><meta charset='{charset}'><title>青山县自然资源局 2025 年部门预算公开</title>"
           "<script>var note = '<p>9,999.00 万元</p>';</script><style>td { border: 1px }</style></head><body>"]
    out += rendered(text, lambda content: f"<p>{html.escape(content)}</p>",
                    lambda rows: "<table>" + "".join("<tr>" + "".join(f"<td>{html.escape(c) or '&nbsp;'}</td>" for c in row)
                                                     + "</tr>" for row in rows) + "</table>")
    out.append("</body></html>")
    return "\n".join(out)


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _runs(text: str) -> str:
    # (a paragraph's text in runs of a few characters, as Word splits it: "1,150.00" across runs)
    return "".join(f'<w:r><w:t xml:space="preserve">{escape(text[i:i + 5])}</w:t></w:r>' for i in range(0, len(text), 5))


def word_document(text: str) -> bytes:
    """*text* as a .docx: a ``w:p`` a paragraph (its text in runs of five characters), ``w:tbl``
    tables -- only the parts the reader needs (no styles)."""
    return docx_of("".join(rendered(
        text, lambda content: f"<w:p>{_runs(content)}</w:p>",
        lambda rows: "<w:tbl>" + "".join("<w:tr>" + "".join(f"<w:tc><w:p>{_runs(c)}</w:p></w:tc>" for c in row)
                                         + "</w:tr>" for row in rows) + "</w:tbl>")))


def docx_of(body: str) -> bytes:
    """A .docx whose body is the WordprocessingML *body*."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>{body}'
                         "<w:sectPr/></w:body></w:document>")
    return out.getvalue()

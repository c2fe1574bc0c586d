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


def word_document_with_workbooks(text: str, workbook, suffix: str = ".xlsx") -> bytes:
    """*text* as :func:`word_document` writes it, but each table a workbook embedded as an object
    (as a table pasted from Excel as "Microsoft Excel 工作表 对象" is): *workbook* makes each
    table's bytes from its tab-separated text, stored as ``word/embeddings/tableN`` + *suffix*."""
    parts, links = {}, []

    def embedded(rows) -> str:
        number = len(links) + 1
        parts[f"word/embeddings/table{number}{suffix}"] = workbook("\n".join("\t".join(row) for row in rows))
        links.append(f'<Relationship Id="rIdObj{number}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                     f'relationships/package" Target="embeddings/table{number}{suffix}"/>')
        return ('<w:p><w:r><w:object xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:r="http://schemas.'
                'openxmlformats.org/officeDocument/2006/relationships"><o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" '
                f'r:id="rIdObj{number}"/></w:object></w:r></w:p>')

    body = "".join(rendered(text, lambda content: f"<w:p>{_runs(content)}</w:p>", embedded))
    parts["word/_rels/document.xml.rels"] = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.'
                                             'org/package/2006/relationships">' + "".join(links) + "</Relationships>")
    return docx_of(body, parts)


_NUMBERED = re.compile(r"^(?:(?P<item>[一二三四五六七八九十]+)、|（(?P<sub>[一二三四五六七八九十]+)）)")
_LIST_LEVELS = ('<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
                '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>')


def numbered_blocks(text: str):
    """*text*'s blocks (:func:`blocks`), each paragraph numbered "一、" / "（一）" without that
    number and with the (list, level) Word's automatic numbering would draw it by -- a new list
    at each "一、" (restarting the count) -- else None: ``(kind, content, listed)``."""
    lists = 0
    for kind, content in blocks(text):
        found = _NUMBERED.match(content) if kind == "p" else None
        if found is None:
            yield kind, content, None
            continue
        if found.group("item") == "一":
            lists += 1
        yield kind, content[found.end():], (lists, 0 if found.group("item") else 1)


def numbered_word_document(text: str) -> bytes:
    """*text* as :func:`word_document` writes it, but each "一、" / "（一）" its paragraph's number
    as Word's automatic numbering draws it (not in the text): one abstract list, a new list
    restarting it (``startOverride``) at each "一、"."""
    paragraphs, lists = [], 0
    for kind, content, listed in numbered_blocks(text):
        if kind == "table":
            paragraphs.append("<w:tbl>" + "".join("<w:tr>" + "".join(f"<w:tc><w:p>{_runs(c)}</w:p></w:tc>" for c in row)
                                                  + "</w:tr>" for row in content) + "</w:tbl>")
        elif listed is None:
            paragraphs.append(f"<w:p>{_runs(content)}</w:p>")
        else:
            lists = listed[0]
            paragraphs.append(f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{listed[1]}"/><w:numId w:val="{listed[0]}"/>'
                              f"</w:numPr></w:pPr>{_runs(content)}</w:p>")
    numbering = (f"<w:numbering {_W}><w:abstractNum w:abstractNumId=\"7\">{_LIST_LEVELS}</w:abstractNum>"
                 + "".join(f'<w:num w:numId="{n}"><w:abstractNumId w:val="7"/><w:lvlOverride w:ilvl="0">'
                           f'<w:startOverride w:val="1"/></w:lvlOverride></w:num>' for n in range(1, lists + 1))
                 + "</w:numbering>")
    return docx_of("".join(paragraphs), {"word/numbering.xml": numbering})


def docx_of(body: str, parts: dict[str, str] | None = None) -> bytes:
    """A .docx whose body is the WordprocessingML *body* (and *parts*: other parts by name)."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, xml in (parts or {}).items():
            archive.writestr(part, xml)
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>{body}'
                         "<w:sectPr/></w:body></w:document>")
    return out.getvalue()


def rtf_characters(text: str) -> str:
    """*text* as Chinese Word writes it in RTF (``\\ansicpg936``): ASCII as it is (``\\``, ``{``,
    ``}`` escaped), other characters in turn as their GBK bytes (``\\'d4\\'a4``) and as Unicode with
    that fallback (``\\u39044\\'d4\\'a4``, under ``\\uc2``), every few characters a group of their
    own (a run's formatting: ``{\\b ...}``)."""
    out, other = [], 0
    for i, character in enumerate(text):
        if i and i % 7 == 0:
            out.append("}{\\b0 ")
        if character.isascii():
            out.append("\\" + character if character in "\\{}" else "\\tab " if character == "\t" else character)
            continue
        fallback = "".join(f"\\'{byte:02x}" for byte in character.encode("gb18030"))
        out.append(fallback if other % 2 == 0 else f"\\uc{len(fallback) // 4}\\u{ord(character) - 65536 * (ord(character) > 32767)}{fallback}")
        other += 1
    return "{" + "".join(out) + "}"


def rtf_document(text: str) -> bytes:
    """*text* as a Word RTF file: a paragraph a ``\\pard ... \\par``, a table's rows ``\\trowd``
    with their cells' right edges (``\\cellx``) and ``\\intbl`` paragraphs ended by ``\\cell`` and
    ``\\row``; a font table naming 宋体 (``\\fcharset134``), a style sheet, a header and a picture
    the reader must not read."""
    body = []
    for kind, content in blocks(text):
        if kind == "p":
            body.append(f"\\pard\\plain\\f1 {rtf_characters(content)}\\par\n")
            continue
        for row in content:
            edges = "".join(f"\\clbrdrt\\brdrs\\cellx{1200 * (i + 1)}" for i in range(len(row)))
            cells = "".join(f"{rtf_characters(cell)}\\cell " for cell in row)
            body.append(f"\\trowd\\trgaph108{edges}\\pard\\plain\\intbl\\f1 {cells}\\row\n")
        body.append("\\pard\n")
    head = ("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\froman\\fcharset0 Times New Roman;}{\\f1\\fnil\\fcharset134 "
            + rtf_characters("宋体") + ";}}{\\colortbl;\\red0\\green0\\blue0;}{\\stylesheet{\\s0 Normal;}}"
            "{\\header \\pard " + rtf_characters("页眉 9,999.00 万元") + "\\par}{\\*\\generator fiscalrules tests;}"
            "{\\pict\\pngblip 89504e470d0a1a0a}\n")
    return (head + "".join(body) + "}").encode("ascii")


def web_archive(text: str) -> bytes:
    """*text* as Word's "单个文件网页" (a web archive, .mht): a MIME ``multipart/related`` message,
    the page (:func:`web_page`) its first part, quoted-printable in GB2312 (as Word writes it), a
    picture its second, base64."""
    import quopri
    page = quopri.encodestring(web_page(text, charset="gb2312").encode("gb18030")).decode("ascii")
    boundary = "----=_NextPart_01DB0000.12345678"
    return ("MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\n"
            f"Content-Type: multipart/related; boundary=\"{boundary}\"\r\n\r\n"
            "This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n"
            f"--{boundary}\r\nContent-Location: file:///C:/D/bureau.htm\r\nContent-Transfer-Encoding: quoted-printable\r\n"
            f"Content-Type: text/html; charset=\"gb2312\"\r\n\r\n{page}\r\n\r\n"
            f"--{boundary}\r\nContent-Location: file:///C:/D/bureau.files/image001.png\r\n"
            "Content-Transfer-Encoding: base64\r\nContent-Type: image/png\r\n\r\niVBORw0KGgo=\r\n\r\n"
            f"--{boundary}--\r\n").encode("ascii")


_WORD_2003 = ('xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml" '
              'xmlns:wx="http://schemas.microsoft.com/office/word/2003/auxHint"')


def word_2003_xml(text: str) -> bytes:
    """*text* as Word 2003's XML document (WordprocessingML 2003, as budget systems generate
    their ".doc" exports from templates): a ``w:p`` a paragraph in runs, ``w:tbl`` tables, the
    body in a ``wx:sect``; each "一、" / "（一）" the number Word writes in the paragraph's list
    properties (``wx:t``), not in its text."""
    body = []
    for kind, content in blocks(text):
        if kind == "table":
            body.append("<w:tbl>" + "".join("<w:tr>" + "".join(f"<w:tc><w:p>{_runs(c)}</w:p></w:tc>" for c in row)
                                            + "</w:tr>" for row in content) + "</w:tbl>")
            continue
        found = _NUMBERED.match(content)
        if found is None:
            body.append(f"<w:p>{_runs(content)}</w:p>")
        else:
            body.append(f'<w:p><w:pPr><w:listPr><w:ilvl w:val="0"/><w:ilfo w:val="1"/><wx:t wx:val="{found.group(0)}"/>'
                        f"</w:listPr></w:pPr>{_runs(content[found.end():])}</w:p>")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<?mso-application progid="Word.Document"?>\n'
            f'<w:wordDocument {_WORD_2003}><w:body><wx:sect>{"".join(body)}<w:sectPr/></wx:sect></w:body>'
            "</w:wordDocument>").encode("utf-8")


def flat_word_xml(docx: bytes) -> bytes:
    """The Word document *docx* as Word's "Word XML 文档" (Flat OPC): its parts inline, an XML
    part's content in ``pkg:xmlData``, another's bytes in base64 in ``pkg:binaryData``."""
    import base64
    parts = []
    with zipfile.ZipFile(BytesIO(docx)) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name.endswith((".xml", ".rels")):
                xml = re.sub(rb"^<\?xml[^>]*\?>", b"", data).decode("utf-8")
                parts.append(f'<pkg:part pkg:name="/{name}"><pkg:xmlData>{xml}</pkg:xmlData></pkg:part>')
            else:
                parts.append(f'<pkg:part pkg:name="/{name}"><pkg:binaryData>{base64.b64encode(data).decode()}'
                             "</pkg:binaryData></pkg:part>")
    return ('<?xml version="1.0" standalone="yes"?>\n<?mso-application progid="Word.Document"?>\n'
            '<pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">' + "".join(parts)
            + "</pkg:package>").encode("utf-8")


def xml_spreadsheet(text: str) -> bytes:
    """*text* as Excel 2003's XML spreadsheet (as finance systems generate their ".xls" exports):
    one sheet, a line a row, a tab-separated cell a cell, a decimal number a Number cell whose
    style's format has as many decimals."""
    styles, rows = {}, []
    for line in text.split("\n"):
        cells = []
        for cell in line.split("\t"):
            if re.fullmatch(r"-?\d+\.\d+", cell):
                places = len(cell.split(".")[1])
                style = styles.setdefault(places, f"n{places}")
                cells.append(f'<Cell ss:StyleID="{style}"><Data ss:Type="Number">{cell}</Data></Cell>')
            elif cell:
                cells.append(f'<Cell><Data ss:Type="String">{escape(cell)}</Data></Cell>')
            else:
                cells.append("<Cell/>")
        rows.append("<Row>" + "".join(cells) + "</Row>")
    style_xml = "".join(f'<Style ss:ID="{identity}"><NumberFormat ss:Format="#,##0.{"0" * places}"/></Style>'
                        for places, identity in styles.items())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:'
            f'spreadsheet"><Styles>{style_xml}</Styles><Worksheet ss:Name="部门预算"><Table>{"".join(rows)}</Table>'
            "</Worksheet></Workbook>").encode("utf-8")

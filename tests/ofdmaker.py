"""Small OFD documents (GB/T 33190-2016) for tests, written here as the standard lays them out.

``ofd_package(pages)`` writes the zip: OFD.xml → Doc_0/Document.xml → each page's Content.xml
(template pages, a page's own box, signatures, absolute part paths as options); ``text_object`` /
``path_object`` / ``page_block`` write a page's objects (text placed by its Boundary in
millimetres, its characters by DeltaX in the compact "g N V" form, a CTM where asked).
``text_to_ofd(text)`` lays a plain-text document out line by line -- display columns become x
positions, tab cells go into a ruled grid with their figures right-aligned -- so that the OFD
path can be compared with the text path. Every document here is fictional.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from xml.sax.saxutils import escape

from textruns import paged, runs_of

NS = "http://www.ofdspec.org/2016"


def _width(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5


def compact_deltas(advances: list[float]) -> str:
    """DeltaX as converters write it: runs of one advance as "g N V", others one by one."""
    out, index = [], 0
    while index < len(advances):
        run = index
        while run < len(advances) and advances[run] == advances[index]:
            run += 1
        out.append(f"g {run - index} {advances[index]:g}" if run - index > 1 else f"{advances[index]:g}")
        index = run
    return " ".join(out)


def text_object(x: float, top: float, text: str, size: float = 3.5, *, spacing: float = 0.0,
                scale: float = 1.0, per_character: bool = False, glyphs_only: bool = False) -> str:
    """Text whose line top is at *top* mm and first character at *x* mm; *spacing*: mm added after
    each character; *scale*: the object drawn in units *scale* times smaller than a millimetre,
    through its CTM (Size and positions in those units, the Boundary in mm); *per_character*: one
    TextObject for each character, as some converters write."""
    advances = [size * _width(ch) + spacing for ch in text]
    if per_character:
        out, at = [], x
        for ch, advance in zip(text, advances):
            if not ch.isspace():
                out.append(text_object(at, top, ch, size, scale=scale))
            at += advance
        return "".join(out)
    boundary = f"{x:g} {top:g} {sum(advances) + size:g} {size * 1.4:g}"
    units = 1 / scale
    ctm = f' CTM="{scale:g} 0 0 {scale:g} 0 0"' if scale != 1.0 else ""
    deltas = compact_deltas([a * units for a in advances[:-1]])
    code = "" if glyphs_only else escape(text)
    transform = (f'<ofd:CGTransform CodePosition="0" CodeCount="{len(text)}" GlyphCount="{len(text)}">'
                 f'<ofd:Glyphs>{" ".join(str(10 + i) for i in range(len(text)))}</ofd:Glyphs></ofd:CGTransform>'
                 if glyphs_only else "")
    delta = f' DeltaX="{deltas}"' if deltas else ""
    return (f'<ofd:TextObject ID="1" Boundary="{boundary}" Font="3" Size="{size * units:g}"{ctm}>'
            f'<ofd:FillColor Value="0 0 0"/>{transform}'
            f'<ofd:TextCode X="0" Y="{size * units:g}"{delta}>{code}</ofd:TextCode></ofd:TextObject>')


def path_object(boundary: tuple[float, float, float, float], data: str, *, fill: bool = False,
                stroke: bool = True, width: float = 0.25) -> str:
    """A path: *data* in the abbreviated form, relative to the *boundary*'s origin (mm)."""
    return (f'<ofd:PathObject ID="2" Boundary="{" ".join(f"{v:g}" for v in boundary)}" LineWidth="{width:g}"'
            f'{"" if stroke else " Stroke=" + chr(34) + "false" + chr(34)}{" Fill=" + chr(34) + "true" + chr(34) if fill else ""}>'
            f'<ofd:AbbreviatedData>{data}</ofd:AbbreviatedData></ofd:PathObject>')


def line(x0: float, y0: float, x1: float, y1: float) -> str:
    """A stroked line on the page, from (x0, y0) to (x1, y1) mm."""
    left, top = min(x0, x1), min(y0, y1)
    return path_object((left, top, abs(x1 - x0) + 0.5, abs(y1 - y0) + 0.5),
                       f"M {x0 - left:g} {y0 - top:g} L {x1 - left:g} {y1 - top:g}")


def page_block(*objects: str) -> str:
    return f'<ofd:PageBlock ID="5">{"".join(objects)}</ofd:PageBlock>'


def _content(objects: list[str], *, template: str | None = None, box: tuple | None = None) -> str:
    area = f'<ofd:Area><ofd:PhysicalBox>{" ".join(f"{v:g}" for v in box)}</ofd:PhysicalBox></ofd:Area>' if box else ""
    uses = f'<ofd:Template TemplateID="{template}" ZOrder="Background"/>' if template else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}">{uses}{area}'
            f'<ofd:Content><ofd:Layer ID="4" Type="Body">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>')


def ofd_package(pages: list[list[str]], *, box=(0, 0, 210, 297), page_boxes: dict | None = None,
                template: list[str] | None = None, signed: bool = False, absolute: bool = False,
                leave_out: tuple[str, ...] = ()) -> bytes:
    """The OFD package of *pages* (each a list of objects); *template*: objects of a template
    page every page uses; *page_boxes*: page index → its own box; *absolute*: parts named from
    the package's root ("/Doc_0/Pages/…"); *leave_out*: parts not written (a damaged package)."""
    parts: dict[str, str] = {}
    prefix = "/Doc_0/" if absolute else ""
    signatures = "<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>" if signed else ""
    parts["OFD.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.1" DocType="OFD">'
                        f'<ofd:DocBody><ofd:DocInfo><ofd:DocID>0</ofd:DocID></ofd:DocInfo>'
                        f'<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>{signatures}</ofd:DocBody></ofd:OFD>')
    templates = (f'<ofd:TemplatePage ID="9" BaseLoc="{prefix}Tpls/Tpl_0/Content.xml"/>' if template is not None else "")
    pages_xml = "".join(f'<ofd:Page ID="{10 + i}" BaseLoc="{prefix}Pages/Page_{i}/Content.xml"/>'
                        for i in range(len(pages)))
    parts["Doc_0/Document.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}"><ofd:CommonData>'
        f'<ofd:MaxUnitID>99</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>{" ".join(f"{v:g}" for v in box)}'
        f'</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>{templates}'
        f'</ofd:CommonData><ofd:Pages>{pages_xml}</ofd:Pages></ofd:Document>')
    parts["Doc_0/PublicRes.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
                                    f'<ofd:Fonts><ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
    if template is not None:
        parts["Doc_0/Tpls/Tpl_0/Content.xml"] = _content(template)
    for index, objects in enumerate(pages):
        parts[f"Doc_0/Pages/Page_{index}/Content.xml"] = _content(
            objects, template="9" if template is not None else None, box=(page_boxes or {}).get(index))
    if signed:
        parts["Doc_0/Signs/Signatures.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Signatures xmlns:ofd="{NS}">'
                                               f'<ofd:Signature ID="1" BaseLoc="Sign_0/Signature.xml"/></ofd:Signatures>')
        parts["Doc_0/Signs/Sign_0/SignedValue.dat"] = "\x00\x01binary"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            if name not in leave_out:
                archive.writestr(name, body)
    return out.getvalue()


def text_to_ofd(text: str, *, size: float = 3.2, lines_per_page: int = 34, tab_stop: float = 55.0,
                per_character: bool = False, cell_boxes: bool = False) -> bytes:
    """A plain-text document laid out as an OFD, line by line (blank lines take no place): each
    run of characters apart by two spaces or more at its display column; the tab-separated rows
    of a table in a ruled grid, a cell of figures right-aligned, any other left-aligned.
    *cell_boxes*: the grid drawn as a closed rectangle a cell (neighbours' sides drawn twice), as
    converters from Word write it, not as lines across the table."""
    step, left = size * 1.7, 12.0
    pages = []
    for page in paged(text, lines_per_page):
        pages.append(objects := [])
        for place, (_, _, row) in enumerate(page):
            _lay_out(objects, row, 20.0 + place * step, place == 0 or "\t" not in page[place - 1][2],
                     size=size, step=step, left=left, tab_stop=tab_stop, per_character=per_character,
                     cell_boxes=cell_boxes)
    return ofd_package(pages, box=(0, 0, left * 2 + 5 * tab_stop, 297))


def _lay_out(objects: list[str], row: str, top: float, table_starts: bool, *, size: float, step: float,
             left: float, tab_stop: float, per_character: bool, cell_boxes: bool) -> None:
    """The objects drawing the text line *row* at *top* (:func:`text_to_ofd`); *table_starts*: a
    tab-separated row with no row of its table above it on the page (ruled above too)."""
    if "\t" in row:
        cells = row.split("\t")
        edges = [left + n * tab_stop for n in range(len(cells) + 1)]
        for number, cell in enumerate(cells):
            cell = cell.strip()
            if not cell:
                continue
            width = sum(size * _width(ch) for ch in cell)
            figure = cell.replace(",", "").replace(".", "").replace("-", "").isdigit() and "." in cell
            x = edges[number + 1] - 1.5 - width if figure else edges[number] + 1.5
            objects.append(text_object(x, top, cell, size, per_character=per_character))
        upper, lower = top - 0.6, top + step - 0.6
        if cell_boxes:
            objects.extend(path_object((x0, upper, x1 - x0, step), f"M 0 0 L {x1 - x0:g} 0 L {x1 - x0:g} {step:g} L 0 {step:g} C")
                           for x0, x1 in zip(edges, edges[1:]))
            return
        objects.extend(line(x, upper, x, lower) for x in edges)
        objects.append(line(edges[0], lower, edges[-1], lower))
        if table_starts:
            objects.append(line(edges[0], upper, edges[-1], upper))
    else:
        for column, run in runs_of(row):
            objects.append(text_object(left + column * size / 2, top, run, size, per_character=per_character))

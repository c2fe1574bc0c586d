"""A fallback font for pdfium, so that reading a PDF does not depend on the system's fonts.

Disclosures often use CJK fonts they do not embed (STSong, SimSun). pdfium then asks the system
for a substitute; on a server or container without a CJK font it finds none and uses a Latin
font without CJK glyphs. The glyph boxes of CJK characters are then empty, a text object holding
one such character has a zero-width box, and pdfium's text page silently leaves it out: a header
cell '类' or the last character of a wrapped cell vanishes from the text.

This module owns the remedy: a tiny TrueType font made in code (no file, no download) whose
glyphs are boxes -- a full-width box for CJK and full-width forms, a half-width one for
everything else -- and a pdfium system-font handler that wraps pdfium's own. The wrapper hands
out the box font for every CJK font the PDF does not embed (a CJK charset or a CJK font name),
whether or not the system has CJK fonts, and leaves every other font to pdfium's handler: a
substitute's glyph boxes differ from machine to machine (with Noto CJK installed, pdfium's boxes
of STSong-Light text moved enough to lose narrative figures of two-column layouts), and the same
PDF must read the same on an auditor's desktop and on a server. Only the glyph boxes come from the box font:
characters, their codes and their advances come from the PDF itself.

The handler is process-global pdfium state (``FPDF_SetSystemFontInfo``); it is installed once,
on the first PDF read (:func:`install`), and replaces whatever handler was installed before --
an application that installs its own pdfium font handler after that takes the fallback out again
(reading then depends on its handler, as pdfium's own reading does). An application that wants
pdfium's own handler alone sets ``FISCALRULES_PDF_FONT_FALLBACK=off`` before the first PDF read:
nothing is installed then. There is no uninstall: pdfium may still hold fonts the handler gave
out and hand them back to it to delete, so it has to stay in effect for the process's life.

What is lost all the same is not lost silently: :func:`lost_objects` counts the text objects in
fonts the PDF does not embed that pdfium's text page left out, and the reader lists them as
unread -- unless :func:`cjk_drawn` shows that pdfium draws such fonts' characters as things
stand, so that what it left out holds no character (an empty string, a lone space). This module is the one place of the package that uses ctypes: pdfium takes the font
handler as a struct of C callbacks, and its handles are compared by address.
"""

from __future__ import annotations

import ctypes
import os
import re
import struct
import sys
from array import array
import threading

__all__ = ["box_font", "char_objects", "cjk_drawn", "install", "lost_objects"]

_UNITS = 1000
_ASCENT, _DESCENT = 880, -120
# Code points drawn full width (East Asian Wide / Fullwidth blocks); the rest is half width.
_FULL_WIDTH = ((0x1100, 0x115F), (0x2E80, 0x303E), (0x3041, 0xA4CF), (0xA960, 0xA97F),
               (0xAC00, 0xD7A3), (0xF900, 0xFAFF), (0xFE10, 0xFE19), (0xFE30, 0xFE6F),
               (0xFF00, 0xFF60), (0xFFE0, 0xFFE6), (0x20000, 0x2FFFD), (0x30000, 0x3FFFD))
# pdfium's charset numbers (FXFONT_*_CHARSET) of the CJK scripts
_CJK_CHARSETS = frozenset({128, 129, 134, 136})   # Shift-JIS, Hangul, GB2312, Big5
_FACE_NAME = b"FiscalrulesBoxFallback"
# Names of CJK fonts, as PDFs name the fonts they do not embed (after a subset tag "ABCDEF+");
# a name in bytes past ASCII (宋体 in GBK) is taken as CJK too. A font of such a name may be
# asked for with a Latin charset (Word's Identity-H SimSun is asked for as "symbol").
_CJK_NAME = re.compile(
    rb"(?i)sim(sun|hei|kai|fang|li|you)|fangsong|kaiti|heiti|songti|yahei|dengxian|mingliu|"
    rb"dfkai|kaiu|\bst(song|heiti|kaiti|fangsong|zhongsong|xihei|xingkai|lishu|xinwei)|"
    rb"gb2312|gbk|gb18030|big5|ms ?p?(mincho|gothic)|meiryo|batang|gulim|dotum|gungsuh|"
    rb"malgun|hiragino|source ?han|noto ?(sans|serif) ?cjk|adobe ?(song|heiti|kaiti|ming)")


def _checksum(data: bytes) -> int:
    """The table checksum: the sum of its big-endian 32-bit words."""
    words = array("I", data + b"\0" * (-len(data) % 4))
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def _box(x0: int, x1: int) -> bytes:
    """A glyph: one closed rectangle from *x0* to *x1*, descent to ascent."""
    y0, y1 = _DESCENT, _ASCENT
    return (struct.pack(">hhhhh", 1, x0, y0, x1, y1) + struct.pack(">HH", 3, 0)
            + bytes((1, 1, 1, 1))
            + struct.pack(">hhhh", x0, 0, x1 - x0, 0)
            + struct.pack(">hhhh", y0, y1 - y0, 0, y0 - y1))


# Code points drawn as nothing (an empty glyph, as every font draws them): the spaces.
_SPACES = (0x20, 0xA0, 0x1680, *range(0x2000, 0x200C), 0x202F, 0x205F, 0x3000)
# Glyphs: 0 .notdef, 1 half-width box, 2 space, 3 full-width box, and 4 up to _GLYPHS - 1 full-width
# boxes too: a CID font the PDF does not embed may address glyphs by number (Identity-H, as Word
# writes SimSun), and a box must answer whichever number it asks for.
_HALF, _SPACE, _FULL = 1, 2, 3
_GLYPHS = 0xFFFF


def _glyph(code: int) -> int:
    if code in _SPACES:
        return _SPACE
    if code < 0x20 or 0xD800 <= code < 0xE000:      # controls and surrogates: no glyph
        return 0
    return _FULL if any(first <= code <= last for first, last in _FULL_WIDTH) else _HALF


def _groups() -> list[tuple[int, int, int]]:
    """cmap format 13 groups (first, last, glyph): the full-width ranges to the full-width box,
    the spaces to the empty glyph, every other code point but controls and surrogates to the
    half-width box."""
    edges = {0, 0x110000, 0xD800, 0xE000, *_SPACES, *(code + 1 for code in _SPACES),
             *(first for first, _ in _FULL_WIDTH), *(last + 1 for _, last in _FULL_WIDTH)}
    points = sorted(edges)
    groups: list[tuple[int, int, int]] = []
    for first, end in zip(points, points[1:]):       # one glyph over each interval
        glyph = _glyph(first)
        if not glyph:
            continue
        if groups and groups[-1][2] == glyph and groups[-1][1] == first - 1:
            groups[-1] = (groups[-1][0], end - 1, glyph)
        else:
            groups.append((first, end - 1, glyph))
    return groups


_font: list[bytes] = []


def box_font() -> bytes:
    """The fallback font: a valid TrueType file (about 1.4 MB, made once) whose glyphs are boxes
    -- a half-width box, an empty space, and a full-width box for every other glyph number --
    with a Unicode cmap (format 13) that maps every code point."""
    if _font:
        return _font[0]
    full = _box(50, 950)
    simple = [b"", _box(40, 460), b"", full]
    # every further glyph: a composite of the full-width box (16 bytes, not the box's 34)
    composite = struct.pack(">hhhhhHHbb", -1, 50, _DESCENT, 950, _ASCENT, 0x0002, _FULL, 0, 0)
    offsets, position = [], 0
    for glyph in simple:
        offsets.append(position)
        position += len(glyph)
    count = _GLYPHS - len(simple)
    offsets.extend(range(position, position + 16 * count + 1, 16))
    glyf = b"".join(simple) + composite * count
    advances = [(_UNITS, 0), (_UNITS // 2, 40), (_UNITS // 2, 0), (_UNITS, 50)]
    # glyphs past the last metric take its advance (full width); only their bearings are listed
    hmtx = b"".join(struct.pack(">Hh", *a) for a in advances) + struct.pack(">h", 50) * count
    groups = _groups()
    cmap_sub = struct.pack(">HHIII", 13, 0, 16 + 12 * len(groups), 0, len(groups)) + b"".join(
        struct.pack(">III", *group) for group in groups)
    # (3, 10) Windows UCS-4 and (0, 4) Unicode full repertoire share the one subtable
    cmap = struct.pack(">HH", 0, 2) + struct.pack(">HHI", 0, 4, 20) + struct.pack(
        ">HHI", 3, 10, 20) + cmap_sub
    name_text = _FACE_NAME.decode().encode("utf-16-be")
    subfamily = "Regular".encode("utf-16-be")
    records = [(3, 1, 0x409, 1, len(name_text), 0), (3, 1, 0x409, 2, len(subfamily), len(name_text)),
               (3, 1, 0x409, 4, len(name_text), 0), (3, 1, 0x409, 6, len(name_text), 0)]
    name = struct.pack(">HHH", 0, len(records), 6 + 12 * len(records)) + b"".join(
        struct.pack(">HHHHHH", *r) for r in records) + name_text + subfamily
    tables = {
        b"OS/2": struct.pack(">HhHHH11h10s4I4s3H3h2H2I", 1, 750, 400, 5, 0,
                             650, 700, 0, 140, 650, 700, 0, 480, 50, 250, 0,
                             b"\0" * 10, 0, 0, 0, 0, b"    ", 0x40, 0x20, 0xFFFF,
                             _ASCENT, _DESCENT, 0, _ASCENT, -_DESCENT, 0x001E0001, 0),
        b"cmap": cmap,
        b"glyf": glyf,
        b"head": struct.pack(">IIIIHHqqhhhhHHhhh", 0x00010000, 0x00010000, 0, 0x5F0F3CF5, 0x000B,
                             _UNITS, 0, 0, 0, _DESCENT, 950, _ASCENT, 0, 8, 2, 1, 0),
        b"hhea": struct.pack(">IhhhH11hH", 0x00010000, _ASCENT, _DESCENT, 0, _UNITS, 0, 40, 950,
                             1, 0, 0, 0, 0, 0, 0, 0, len(advances)),
        b"hmtx": hmtx,
        b"loca": struct.pack(f">{len(offsets)}I", *offsets),
        b"maxp": struct.pack(">IHHHHHHHHHHHHHH", 0x00010000, _GLYPHS, 4, 1, 4, 1, 2,
                             0, 0, 0, 0, 0, 0, 1, 1),
        b"name": name,
        b"post": struct.pack(">IIhhIIIII", 0x00030000, 0, -100, 50, 0, 0, 0, 0, 0),
    }
    count = len(tables)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, count, power * 16, power.bit_length() - 1,
                         count * 16 - power * 16)
    offset = len(header) + 16 * count
    directory, body = [], []
    for tag in sorted(tables):
        data = tables[tag]
        directory.append(struct.pack(">4sIII", tag, _checksum(data), offset, len(data)))
        body.append(data + b"\0" * (-len(data) % 4))
        offset += len(body[-1])
    _font.append(header + b"".join(directory) + b"".join(body))
    return _font[0]


_lock = threading.Lock()
_installed: list = []     # [handler struct, callbacks...] kept alive while pdfium may call them
_OFF = {"off", "0", "no", "false"}


def install(raw, default=None) -> None:
    """Install the fallback handler into pdfium (module *raw* of pypdfium2), once per process,
    wrapping *default* (a pointer to an ``FPDF_SYSFONTINFO``; pdfium's own handler if None).
    On a platform where pdfium has no handler of its own nothing is installed."""
    if _installed:
        return
    with _lock:
        if _installed:
            return
        if os.environ.get("FISCALRULES_PDF_FONT_FALLBACK", "").strip().lower() in _OFF:
            _installed.append(None)
            return
        default_ptr = raw.FPDF_GetDefaultSystemFontInfo() if default is None else default
        if not default_ptr:
            _installed.append(None)
            return
        _installed.append(_make_handler(raw, default_ptr))
        raw.FPDF_SetSystemFontInfo(_installed[0][0])


def _cjk_name(face) -> bool:
    """Whether a font name (a C string pdfium hands over) names a CJK font."""
    return _is_cjk_name(ctypes.cast(face, ctypes.c_char_p).value or b"")


def _is_cjk_name(name: bytes) -> bool:
    return bool(_CJK_NAME.search(name)) or any(byte > 0x7F for byte in name)


def _make_handler(raw, default_ptr):
    default = default_ptr.contents
    # the box font's handle: the address of a byte of ours, so no handle of pdfium's handler
    # can be the same
    token = ctypes.create_string_buffer(1)
    our_address = ctypes.addressof(token)
    info = raw.FPDF_SYSFONTINFO()
    info.version = default.version
    fields = {name: kind for name, kind in type(info)._fields_}

    def is_ours(handle) -> bool:
        return handle is not None and ctypes.cast(handle, ctypes.c_void_p).value == our_address

    def release(_this):
        default.Release(default_ptr)

    def enum_fonts(_this, mapper):
        default.EnumFonts(default_ptr, mapper)

    def map_font(_this, weight, italic, charset, pitch_family, face, exact):
        # A CJK font the PDF does not embed gets the box font even where the system has CJK
        # fonts: a substitute's glyph boxes (Noto CJK's, say) differ from machine to machine,
        # and the same PDF read differently on an auditor's desktop and on a server.
        if charset in _CJK_CHARSETS or _cjk_name(face):
            return our_address
        handle = default.MapFont(default_ptr, weight, italic, charset, pitch_family, face, exact)
        return ctypes.cast(handle, ctypes.c_void_p).value if handle else None

    def get_font(_this, face):
        handle = default.GetFont(default_ptr, face)
        return ctypes.cast(handle, ctypes.c_void_p).value if handle else None

    def get_font_data(_this, handle, table, buffer, size):
        if not is_ours(handle):
            return default.GetFontData(default_ptr, handle, table, buffer, size)
        if table != 0:                  # a table of its own (e.g. 'ttcf'): the font is one file
            return 0
        font = box_font()               # made when first needed, not when installed
        if buffer and size >= len(font):
            ctypes.memmove(buffer, font, len(font))
        return len(font)

    def get_face_name(_this, handle, buffer, size):
        if not is_ours(handle):
            return default.GetFaceName(default_ptr, handle, buffer, size)
        if buffer and size > len(_FACE_NAME):
            ctypes.memmove(buffer, _FACE_NAME + b"\0", len(_FACE_NAME) + 1)
        return len(_FACE_NAME) + 1

    def get_font_charset(_this, handle):
        if not is_ours(handle):
            return default.GetFontCharset(default_ptr, handle)
        return 134

    def delete_font(_this, handle):
        if not is_ours(handle):
            default.DeleteFont(default_ptr, handle)

    callbacks = {"Release": release, "EnumFonts": enum_fonts, "MapFont": map_font,
                 "GetFont": get_font, "GetFontData": get_font_data, "GetFaceName": get_face_name,
                 "GetFontCharset": get_font_charset, "DeleteFont": delete_font}
    keep = [info, token]
    for name, function in callbacks.items():
        wrapped = fields[name](function)
        setattr(info, name, wrapped)
        keep.append(wrapped)
    keep.append(default_ptr)
    return keep


def char_objects(raw, textpage, count: int) -> list[int] | None:
    """The address of the text object each of the text page's *count* characters comes from
    (0 for characters pdfium made up); None where pdfium is too old to say."""
    get_object = getattr(raw, "FPDFText_GetTextObject", None)
    if get_object is None or count <= 0:
        return None
    # a prototype answering plain addresses: no pointer object per character
    object_of = ctypes.cast(get_object, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p,
                                                         ctypes.c_int))
    handle = ctypes.cast(textpage.raw, ctypes.c_void_p)
    return [object_of(handle, i) or 0 for i in range(count)]


def not_embedded(raw, texts: list) -> tuple[list, list]:
    """Of the page's text objects *texts*: those drawn in a font the PDF does not embed (their
    characters' boxes come from a substitute font), and of those, the ones in a font named as a
    CJK one -- the only ones whose text pdfium can lose (:func:`lost_objects`). For a Latin font
    pdfium always has a substitute with glyphs, so what it leaves out there is a space: counting
    those would report text lost where nothing was. Each font is asked once."""
    get_font, embedded = raw.FPDFTextObj_GetFont, raw.FPDFFont_GetIsEmbedded
    name_of = getattr(raw, "FPDFFont_GetBaseFontName", None) or raw.FPDFFont_GetFontName
    kinds: dict[int, int] = {}   # font address -> 0 embedded, 1 not embedded, 2 not embedded and CJK
    loose, cjk = [], []
    for obj in texts:
        font = get_font(obj)
        kind = kinds.get(address(font))
        if kind is None:
            kind = 0
            if embedded(font) == 0:
                name = ctypes.create_string_buffer(256)
                name_of(font, name, 256)
                kind = 2 if _is_cjk_name(name.value) else 1
            kinds[address(font)] = kind
        if kind:
            loose.append(obj)
            if kind == 2:
                cjk.append(obj)
    return loose, cjk


def lost_objects(raw, textpage, texts: list, objects: list[int] | None) -> int:
    """How many of the text objects *texts* (in CJK fonts the PDF does not embed:
    :func:`not_embedded`) pdfium's *textpage* left out (*objects*: :func:`char_objects` of the
    text page).

    pdfium leaves out a text object whose box has no width: one character whose glyph has an
    empty outline -- a space, or a CJK character of a font the PDF does not embed when pdfium
    finds no font on the system to draw it with. The fallback (:func:`install`) normally gives
    pdfium one; where it is not in effect (another pdfium font handler installed after it), what
    is lost is counted here so that the reader can say so. A lone space in such a font counts
    too: pdfium gives no way to read the text of an object it left out (the reader then asks
    :func:`cjk_drawn` whether any of them can have been a character)."""
    if not texts:
        return 0
    if objects is None and getattr(raw, "FPDFText_GetTextObject", None) is None:
        # an older pdfium (pypdfium2 4) cannot map characters to objects: ask each object for its
        # text instead (2 bytes: the final 0 alone, nothing read)
        get_text = raw.FPDFTextObj_GetText
        return sum(1 for obj in texts if get_text(obj, textpage.raw, None, 0) <= 2)
    seen = set(objects or ())
    return sum(1 for obj in texts if address(obj) not in seen)


def address(pointer, _read=ctypes.c_void_p.from_buffer) -> int:
    """The address a pdfium handle holds (read from the handle's own memory: a ctypes.cast
    per object costs four times as much, and a page may hold thousands of text objects)."""
    return _read(pointer).value or 0


def _probe_pdf() -> bytes:
    """A one-page PDF as Word writes one with SimSun not embedded (Type0, Identity-H, no font
    file): one text object, the character 类 by glyph number 20000 and a ToUnicode map."""
    to_unicode = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
                  "1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfchar "
                  "<4E20> <7C7B> endbfchar endcmap CMapName currentdict /CMap defineresource pop "
                  "end end")
    content = "BT /F1 9 Tf 50 50 Td <4E20> Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Resources << /Font << /F1 5 0 R "
        ">> >> /Contents 4 0 R >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        "/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
        "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry "
        "(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 >>",
        f"<< /Length {len(to_unicode)} >>\nstream\n{to_unicode}\nendstream",
        "<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 996 855] "
        "/ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 859 /StemV 80 >>",
    ]
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("ascii")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("ascii")
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return out


def cjk_drawn(pdfium) -> bool:
    """Whether pdfium, with the font handler in effect now, draws the characters of a CJK font a
    PDF does not embed: read from a PDF of one such character (:func:`_probe_pdf`).

    Where it does -- the fallback in effect, or a CJK font on the system -- a text object of such
    a font that pdfium's text page left out holds no character to lose: an empty string (report
    writers draw empty table cells as ``() Tj``) or a lone space. Where it does not (the fallback
    turned off or replaced by another handler, and no CJK font), those objects may be characters,
    and :func:`lost_objects` counts them. Asked afresh each time (a handler may be installed
    after ours), and only for a document in which text objects were left out."""
    document = pdfium.PdfDocument(_probe_pdf())
    try:
        page = document[0]
        try:
            textpage = page.get_textpage()
            try:
                return textpage.count_chars() > 0
            finally:
                textpage.close()
        finally:
            page.close()
    finally:
        document.close()

"""Reading a PDF does not depend on the fonts installed on the machine (fiscalrules.inputs.pdffonts).

The test PDFs use reportlab's STSong-Light, a CJK font they do not embed. On a machine without a
CJK font pdfium used to drop every text object holding a single CJK character ('类' in a header
cell, the last character of a wrapped cell). These tests do not depend on the machine's fonts
either: in a subprocess (pdfium's font handler is process-global) they put a handler in front
of pdfium that knows no font at all -- a container without fonts -- and read with and without
the fallback font over it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pypdfium2")
pytest.importorskip("reportlab")

from fiscalrules.inputs import pdffonts  # noqa: E402
from fiscalrules.inputs.pdffonts import box_font  # noqa: E402

from fiscalrules.inputs.pdf import read_pdf  # noqa: E402
from pdfmaker import identity_pdf, pdf_bytes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# Runs in a subprocess: argv = mode ("fallback" or "bare"), PDF path[, "audit"]; prints what was
# read (or audits the PDF).
READ_WITHOUT_FONTS = r"""
import ctypes, json, sys
import pypdfium2.raw as raw
from fiscalrules.inputs import pdffonts
from fiscalrules.inputs.pdf import read_pdf

info = raw.FPDF_SYSFONTINFO()
info.version = 1
fields = dict(type(info)._fields_)
callbacks = dict(Release=lambda this: None, EnumFonts=lambda this, mapper: None,
                 MapFont=lambda *args: None, GetFont=lambda this, face: None,
                 GetFontData=lambda *args: 0, GetFaceName=lambda *args: 0,
                 GetFontCharset=lambda this, handle: 0, DeleteFont=lambda this, handle: None)
keep = []
for name, function in callbacks.items():
    keep.append(fields[name](function))
    setattr(info, name, keep[-1])
nothing = ctypes.pointer(info)
if sys.argv[1] == "fallback":
    pdffonts.install(raw, nothing)
elif sys.argv[1] == "opted-out":        # FISCALRULES_PDF_FONT_FALLBACK=off: read_pdf installs nothing
    raw.FPDF_SetSystemFontInfo(nothing)
else:
    raw.FPDF_SetSystemFontInfo(nothing)
    pdffonts._installed.append(None)       # read_pdf must not install the fallback
if sys.argv[3:] == ["audit"]:
    from fiscalrules.cli import main
    sys.exit(main(["audit", sys.argv[2]]))
from fiscalrules.errors import ReaderError
with open(sys.argv[2], "rb") as file:
    try:
        document = read_pdf(file.read(), "test")
    except ReaderError as error:
        print(json.dumps({"refused": str(error)}))
        sys.exit(0)
print(json.dumps({"lines": [line.text for line in document.lines],
                  "boxes": [list(line.boxes) for line in document.lines],
                  "unread": [list(u) for u in document.unread_text]}))
"""

ITEMS = [("text", 50, 50, "类", 9), ("text", 80, 50, "款", 9), ("text", 110, 50, "项", 9),
         ("text", 150, 50, "满意度指", 9), ("text", 150, 62, "标", 9),
         ("text", 250, 50, "合计 1234.56 万元", 9)]


WORD_RUNS = [(50, 50, "类"), (80, 50, "款"), (110, 50, "项"), (150, 50, "合计")]


def _read_without_fonts(tmp_path, mode: str, data: bytes | None = None, env=None) -> dict:
    path = tmp_path / "cjk.pdf"
    path.write_bytes(pdf_bytes([ITEMS]) if data is None else data)
    done = subprocess.run([sys.executable, "-c", READ_WITHOUT_FONTS, mode, str(path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env=None if env is None else {**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_fallback_font_is_a_truetype_font_pdfium_loads():
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    data = box_font()
    assert data[:4] == b"\0\1\0\0" and box_font() is data      # made once
    document = pdfium.PdfDocument.new()
    try:
        buffer = (raw.c_uint8 * len(data)).from_buffer_copy(data)
        font = raw.FPDFText_LoadFont(document.raw, buffer, len(data), raw.FPDF_FONT_TRUETYPE, True)
        assert font
        raw.FPDFFont_Close(font)
    finally:
        document.close()


def test_single_cjk_characters_are_read_on_a_machine_without_fonts(tmp_path):
    read = _read_without_fonts(tmp_path, "fallback")
    assert read["lines"] == ["类 款 项 满意度指 合计 1234.56 万元", "标"]
    assert read["unread"] == []
    # the boxes are the PDF's advances: a full-width character is 9 pt wide at 9 pt
    first = read["boxes"][0]
    assert round(first[2] - first[0], 2) == 9.0


def test_without_the_fallback_pdfium_drops_them_and_the_document_says_so(tmp_path):
    """The defect the fallback mends, pinned so that the test above can fail: pdfium alone
    loses the one-character objects, and the reader counts what it lost."""
    read = _read_without_fonts(tmp_path, "bare")
    assert read["lines"] == ["满意度指 合计 1234.56 万元"]
    assert read["unread"] == [[1, 4]]


@pytest.mark.parametrize("setting, installed", [("off", False), ("OFF ", False), ("0", False),
                                                ("on", True), ("", True)])
def test_the_fallback_can_be_turned_off_before_the_first_read(tmp_path, setting, installed):
    """FISCALRULES_PDF_FONT_FALLBACK=off leaves pdfium's own handler alone (here one knowing no
    font, so the one-character objects are lost and counted); any other value installs it."""
    read = _read_without_fonts(tmp_path, "opted-out", env={"FISCALRULES_PDF_FONT_FALLBACK": setting})
    if installed:
        assert read["lines"] == ["类 款 项 满意度指 合计 1234.56 万元", "标"] and read["unread"] == []
    else:
        assert read["lines"] == ["满意度指 合计 1234.56 万元"] and read["unread"] == [[1, 4]]


def test_audit_lists_the_text_it_could_not_read():
    example = ROOT / "examples" / "qingshi_culture_2025.pdf"
    done = subprocess.run([sys.executable, "-c", READ_WITHOUT_FONTS, "bare", str(example), "audit"],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 1, done.stderr
    # the Chinese report gives the reason in Chinese (the English with --lang en)
    assert "第 6 页：3 处文字未能读出：PDF 未嵌入该字体，本系统也没有该字体" in done.stdout


def test_a_word_pdf_with_simsun_not_embedded_is_read_on_a_machine_without_fonts(tmp_path):
    """Word writes SimSun it does not embed as Identity-H: characters by glyph number. pdfium
    asks for SimSun with a Latin charset; the fallback answers to the name, with a box for any
    glyph number (before, pdfium's built-in Latin font had no glyph 20000: 类, 款, 项 lost)."""
    read = _read_without_fonts(tmp_path, "fallback", identity_pdf(WORD_RUNS))
    assert read["lines"] == ["类 款 项 合计"] and read["unread"] == []
    read = _read_without_fonts(tmp_path, "bare", identity_pdf(WORD_RUNS))
    assert read["lines"] == ["合计"] and read["unread"] == [[1, 3]]


def test_a_word_pdf_with_simsun_not_embedded_is_read_on_this_machine():
    document = read_pdf(identity_pdf(WORD_RUNS, font="ABCDEF+SimSun"), "word")
    assert [line.text for line in document.lines] == ["类 款 项 合计"]
    assert document.unread_text == []


def test_character_boxes_end_where_the_next_character_of_the_run_starts():
    """A box's width comes from the font pdfium draws with (a system substitute for a font the
    PDF does not embed); within a run the PDF's own advance bounds it, whatever the machine has."""
    document = read_pdf(pdf_bytes([[("text", 50, 50, "合计 1234.56 万元 ABC abc", 9)]]), "boxes")
    line = document.lines[0]
    for word in line.words:
        starts = [line.boxes[4 * i] for i in range(word.start, word.end)]
        ends = [line.boxes[4 * i + 2] for i in range(word.start, word.end)]
        assert all(end <= start + 1e-3 for end, start in zip(ends, starts[1:])), word.text
        assert all(end > start for end, start in zip(ends, starts)), word.text


def test_a_pdf_whose_text_is_all_lost_is_refused_saying_why(tmp_path):
    data = pdf_bytes([[("text", 50, 50, "类", 9), ("text", 80, 50, "款", 9)]])
    read = _read_without_fonts(tmp_path, "bare", data)
    assert "font the PDF does not embed" in read["refused"] and "no text layer" not in read["refused"]
    assert _read_without_fonts(tmp_path, "fallback", data)["lines"] == ["类 款"]


def test_the_handler_gives_the_box_font_for_every_cjk_font_even_where_the_system_has_one():
    """The wrapper answers a CJK charset or a CJK font name with the box font without asking
    pdfium's handler, so that a PDF not embedding its CJK fonts reads the same on a machine with
    CJK fonts (Noto CJK installed: ten layouts read differently, narrative figures lost) as on
    one without; everything else is pdfium's handler's answer."""
    import ctypes

    import pypdfium2.raw as raw

    system_font, calls = 0x5EED, []
    default = raw.FPDF_SYSFONTINFO()
    default.version = 1
    fields = dict(type(default)._fields_)

    def face_is(face, name):
        return ctypes.cast(face, ctypes.c_char_p).value == name

    def map_font(this, weight, italic, charset, pitch, face, exact):
        calls.append((charset, ctypes.cast(face, ctypes.c_char_p).value))
        return system_font if charset == 128 or face_is(face, b"Wingdings") else None

    callbacks = dict(Release=lambda this: None, EnumFonts=lambda this, mapper: None, MapFont=map_font,
                     GetFont=lambda this, face: None, GetFontData=lambda this, h, table, buf, size: 77,
                     GetFaceName=lambda *args: 0, GetFontCharset=lambda this, handle: 128,
                     DeleteFont=lambda this, handle: None)
    keep = [fields[name](function) for name, function in callbacks.items()]
    for name, wrapped in zip(callbacks, keep):
        setattr(default, name, wrapped)
    kept = pdffonts._make_handler(raw, ctypes.pointer(default))
    handler = kept[0]
    this = ctypes.pointer(handler)

    def mapped(charset, face):
        return handler.MapFont(this, 400, 0, charset, 0, face, None)

    ours = mapped(134, b"STSong-Light")                    # GB2312
    assert ours and ours != system_font
    assert mapped(128, b"MS Mincho") == ours               # the system has one: ours all the same
    assert mapped(0, b"Helvetica") is None                 # pdfium's built-in Latin fonts
    assert mapped(0, b"Wingdings") == system_font          # not CJK: the system's answer
    assert mapped(2, b"ABCDEF+SimSun") == ours             # Word's Identity-H SimSun
    assert mapped(0, "宋体".encode("gbk")) == ours
    assert calls == [(0, b"Helvetica"), (0, b"Wingdings")]  # never asked for a CJK font
    size = handler.GetFontData(this, ours, 0, None, 0)
    assert size == len(box_font())
    assert handler.GetFontData(this, system_font, 0, None, 0) == 77


def test_the_box_font_is_made_only_when_pdfium_needs_it():
    """Installing the handler (every first PDF read) does not make the 1.4 MB font."""
    script = ("import pypdfium2.raw as raw\nfrom fiscalrules.inputs import pdffonts\n"
              "pdffonts.install(raw)\nassert pdffonts._installed and not pdffonts._font\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0, done.stderr


def test_spaces_in_latin_fonts_left_out_by_pdfium_are_not_reported_as_lost(tmp_path):
    # pdfium's text page leaves out every one-space object; in a Helvetica (a font not embedded,
    # with a substitute always at hand) that is all it can leave out: no "text could not be read"
    from reportlab.pdfgen import canvas

    from fiscalrules.inputs.pdf import read_pdf

    path = tmp_path / "spaces.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("Helvetica", 12)
    page.drawString(100, 600, "abc 123")
    page.drawString(160, 600, " ")
    page.drawString(100, 560, " ")
    page.save()
    document = read_pdf(path.read_bytes(), "spaces.pdf")
    assert [line.text for line in document.lines] == ["abc 123"]
    assert not document.unread_text



def test_a_lone_full_width_space_is_not_reported_as_lost(tmp_path):
    """Names indented by level with full-width spaces, each drawn as an object of its own (as
    report writers do in a code column): a space has no outline, so pdfium's text page leaves
    the object out. Where pdfium draws the font's characters (here the fallback over a handler
    knowing no font) nothing was lost and nothing is said -- before, every such space was told
    as "text could not be read"; where it does not (the bare handler), a left-out space cannot be
    told from a lost character and is still counted."""
    items = ITEMS + [("text", 50, 80, "\u3000", 9), ("text", 59, 80, "\u3000", 9),
                     ("text", 68, 80, "其他支出", 9)]
    data = pdf_bytes([items])
    read = _read_without_fonts(tmp_path, "fallback", data)
    assert read["lines"][-1] == "其他支出" and read["unread"] == []
    bare = _read_without_fonts(tmp_path, "bare", data)
    assert bare["unread"] == [[1, 6]]

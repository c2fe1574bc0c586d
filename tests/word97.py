"""Old binary Word documents (.doc, Word 97-2003) made for the tests of fiscalrules/inputs/doc.py.

No library writes the format, so the few parts a reader needs are written here as [MS-DOC] lays
them out: an OLE2 compound document holding a ``WordDocument`` stream (the file information
block, the text, the paragraph-property pages) and a ``1Table`` stream (the piece table and the
index of those pages).  The text is cut into pieces stored out of order, 8-bit where cp1252 holds
them and UTF-16 elsewhere, as a document edited and saved quickly is; each table row's end
carries its cell edges and merge flags.

A document is a list of blocks: ``("p", text)`` a paragraph (``\\x0b`` a line break, fields as
``\\x13 instruction \\x14 result \\x15``), ``("table", rows)`` a table whose rows are lists of
cells -- a cell a text, or ``(text, width, flags)`` with its width in twips (default 1000) and
its TC80 flags (``0x20``: merged with the cell above; ``0x2``: with the cell before).  A
paragraph ``("p", text, {"list": (ilfo, level), "style": istd})`` names a list (one-based; 0:
none) and level, or a paragraph style, as Word's automatic numbering does (*lists* of
:func:`word97`, written by :func:`list_tables`); a cell ``(text, width, flags, {...})`` too.
``("object", (storage, stream, data))`` a paragraph holding an embedded object: its ``EMBED``
field, its character (fOle2, sprmCPicLocation *storage*) and ``ObjectPool/_storage/stream``; a
cell ``(text, width, flags, {"object": (storage, stream, data)})`` holds one after its text.
"""

from __future__ import annotations

import re
import struct

_SECTOR = 512
_END, _FREE, _FAT_SECTOR = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
_PIECE = 37   # characters a piece, at most


def word97(blocks, *, flags: int = 0x0200, n_fib: int = 0xC1, pieces_reversed: bool = True,
           with_properties: bool = True, huge_rows: bool = False, lists: tuple | None = None) -> bytes:
    """The .doc of *blocks* (see the module's docstring).  *huge_rows*: each row end's properties
    in the ``Data`` stream, its page pointing there (as Word stores a wide row's).  *lists*: the
    document's (PlfLst, PlfLfo, STSH), as :func:`list_tables` writes them."""
    text, marks, dropped, pool = _text(blocks)
    data = bytearray()
    if huge_rows:
        for n, (position, grpprl) in enumerate(marks):
            if struct.pack("<H", 0xD608) in grpprl:
                marks[n] = (position, grpprl[:2] + _sprm(0x6646, struct.pack("<I", len(data))))
                data += struct.pack("<H", len(grpprl) - 2) + grpprl[2:]
    # the text's pieces: (first character, characters, 8-bit)
    pieces, position = [], 0
    while position < len(text):
        chunk = text[position:position + _PIECE]
        try:
            chunk.encode("cp1252")
            eight_bit = True
        except UnicodeEncodeError:
            eight_bit = False
        pieces.append((position, chunk, eight_bit))
        position += len(chunk)
    word = bytearray(0x400)
    stored = {}
    for first, chunk, eight_bit in (reversed(pieces) if pieces_reversed else pieces):
        if len(word) % 2:
            word.append(0)
        stored[first] = len(word)
        word += chunk.encode("cp1252") if eight_bit else chunk.encode("utf-16-le", "surrogatepass")
    piece_table = struct.pack(f"<{len(pieces) + 1}I", *(first for first, _, _ in pieces), len(text))
    for first, _, eight_bit in pieces:
        fc = stored[first] * 2 | 0x40000000 if eight_bit else stored[first]
        piece_table += struct.pack("<HIH", 0, fc, 0)
    clx = b"\x01" + struct.pack("<h", 3) + b"\x00\x00\x00" + b"\x02" + struct.pack("<I", len(piece_table)) + piece_table

    def fc_of(position: int) -> tuple[int, int]:
        for first, chunk, eight_bit in pieces:
            if first <= position < first + len(chunk):
                size = 1 if eight_bit else 2
                return stored[first] + (position - first) * size, size
        raise AssertionError(position)

    # paragraph runs: each paragraph mark's own (fc, fc + its size), its properties
    runs = sorted((*fc_of(position), grpprl) for position, grpprl in marks) if with_properties else []
    pages, index = [], []
    while runs:
        page, taken = _page(runs)
        index.append((runs[0][0], len(word) // _SECTOR + len(pages)))
        pages.append(page)
        runs = runs[taken:]
    end_fc = len(word)
    word += bytes(-len(word) % _SECTOR)
    first_page = len(word) // _SECTOR
    index = [(fc, first_page + n) for n, (fc, _) in enumerate(index)]
    for page in pages:
        word += page
    # character runs: each character not shown its own run, the gaps between them runs without properties
    characters = sorted((*fc_of(position), grpprl) for start, stop, grpprl in dropped for position in range(start, stop))
    chpx_runs, previous = [], None
    for fc, size, grpprl in characters:
        if previous is not None and fc > previous:
            chpx_runs.append((previous, fc, None))
        chpx_runs.append((fc, fc + size, grpprl))
        previous = fc + size
    chpx_index = []
    while chpx_runs:
        taken = min(len(chpx_runs), 20)
        chpx_index.append((chpx_runs[0][0], len(word) // _SECTOR))
        word += _character_page(chpx_runs[:taken])
        chpx_runs = chpx_runs[taken:]
    table = bytearray(clx)
    clx_at, clx_size = 0, len(clx)
    list_places = []
    for part in lists or ():   # (PlfLst, PlfLfo, STSH: each where it lands)
        list_places.append((len(table), len(part)))
        table += part
    bte_at = len(table)
    if index:
        table += struct.pack(f"<{len(index) + 1}I", *(fc for fc, _ in index), end_fc)
        table += struct.pack(f"<{len(index)}I", *(page for _, page in index))
    bte_size = len(table) - bte_at
    chpx_at = len(table)
    if chpx_index:
        table += struct.pack(f"<{len(chpx_index) + 1}I", *(fc for fc, _ in chpx_index), end_fc)
        table += struct.pack(f"<{len(chpx_index)}I", *(page for _, page in chpx_index))
    chpx_size = len(table) - chpx_at
    fib = bytearray(struct.pack("<HH", 0xA5EC, n_fib) + bytes(6) + struct.pack("<H", flags) + bytes(20))
    fib += struct.pack("<H", 14) + bytes(28)
    longs = [0] * 22
    longs[3] = len(text)
    fib += struct.pack("<H", 22) + struct.pack("<22i", *longs)
    pairs = [(0, 0)] * 93
    pairs[33] = (clx_at, clx_size)
    pairs[13] = (bte_at, bte_size)
    pairs[12] = (chpx_at, chpx_size)
    if list_places:
        pairs[73], pairs[74], pairs[1] = list_places
    fib += struct.pack("<H", 93) + b"".join(struct.pack("<II", *pair) for pair in pairs)
    word[:len(fib)] = fib
    return compound({"WordDocument": bytes(word), "1Table": bytes(table), **({"Data": bytes(data)} if data else {}),
                     **pool})


# Marks in a block's text around characters Word does not show: deleted with changes tracked, hidden.
DELETED, HIDDEN = ("\ue000", "\ue001"), ("\ue002", "\ue003")
_DROPPED_SPRM = {DELETED[0]: 0x0800, HIDDEN[0]: 0x083C}


def _text(blocks) -> tuple[str, list[tuple[int, bytes]], list[tuple[int, int, bytes]]]:
    """The document's characters, its paragraph marks' (position, properties) and the runs of
    characters not shown (first position, end, their character properties)."""
    out, marks, dropped, pool = [], [], [], {}
    opened: list = []

    def units(text: str) -> str:   # a character beyond 16 bits as its two surrogates: a position each
        position, written = sum(map(len, out)), []
        for part in re.split("([\ue000-\ue003])", text):
            if part in _DROPPED_SPRM:
                opened.append((position, _sprm(_DROPPED_SPRM[part], b"\x01")))
            elif part in (DELETED[1], HIDDEN[1]):
                start, grpprl = opened.pop()
                dropped.append((start, position, grpprl))
            elif part:
                encoded = part.encode("utf-16-le")
                written.append("".join(map(chr, struct.unpack(f"<{len(encoded) // 2}H", encoded))))
                position += len(written[-1])
        return "".join(written)

    def mark(char: str, grpprl: bytes, numbered: dict | None = None) -> None:
        """A paragraph mark with its properties: its style, its list, then *grpprl*."""
        numbered = numbered or {}
        listed = numbered.get("list")
        if listed is not None:
            grpprl = _sprm(0x460B, struct.pack("<h", listed[0])) + _sprm(0x260A, bytes([listed[1]])) + grpprl
        marks.append((sum(map(len, out)), struct.pack("<H", numbered.get("style", 0)) + grpprl))
        out.append(char)

    def embed(location: int, stream: str, data: bytes) -> None:
        """An embedded object: its field, its character (fOle2, its storage), its storage."""
        out.append("\x13 EMBED Excel.Sheet.8 \x14")
        at = sum(map(len, out))
        out.append("\x01\x15")
        dropped.append((at, at + 1, _sprm(0x080A, b"\x01") + _sprm(0x6A03, struct.pack("<I", location))))
        pool[f"ObjectPool/_{location}/{stream}"] = data

    for kind, content, *numbered in blocks:
        if kind == "object":
            embed(*content)
            mark("\r", b"")
            continue
        if kind == "p":
            for paragraph in content.split("\r"):
                out.append(units(paragraph))
                mark("\r", b"", *numbered)
            continue
        for row in content:
            cells = [cell if isinstance(cell, tuple) else (cell, 1000, 0) for cell in row]
            for text, _, _, *in_cell in cells:
                for paragraph in text.split("\r")[:-1]:   # (a cell of several paragraphs)
                    out.append(units(paragraph))
                    mark("\r", _sprm(0x2416, b"\x01"), *in_cell)
                out.append(units(text.split("\r")[-1]))
                if in_cell and "object" in in_cell[0]:   # (an object in the cell, after its text)
                    embed(*in_cell[0]["object"])
                mark("\x07", _sprm(0x2416, b"\x01"), *in_cell)
            edges = [0]
            for _, width, *_ in cells:
                edges.append(edges[-1] + width)
            definition = bytes([len(cells)]) + struct.pack(f"<{len(edges)}h", *edges)
            definition += b"".join(struct.pack("<H", flag) + bytes(18) for _, _, flag, *_ in cells)
            mark("\x07", _sprm(0x2416, b"\x01") + _sprm(0x2417, b"\x01")
                 + struct.pack("<HH", 0xD608, len(definition) + 1) + definition + _sprm(0x6649, struct.pack("<i", 1)))
    return "".join(out), marks, dropped, pool


def list_tables(lists, overrides, styles=()) -> tuple[bytes, bytes, bytes]:
    """A document's list tables as [MS-DOC] lays them out: (PlfLst and its levels, PlfLfo, STSH).

    *lists*: ``(lsid, levels)``, each level ``(start, nfc, text, legal)`` -- the text with
    characters 0-8 standing for levels 1-9's numbers (``"\\x00、"``); one level makes a simple
    list.  *overrides*: the lists paragraphs name, in order (ilfo 1, 2, ...): ``(lsid, {level:
    start})``, each start a restart (fStartAt).  *styles*: ``(istd, base or None, (ilfo, level)
    or None)``, paragraph styles.
    """
    heads, levels_out = b"", b""
    for lsid, levels in lists:
        heads += struct.pack("<iI18sBB", lsid, 0, bytes(18), 1 if len(levels) == 1 else 0, 0)
        for start, nfc, text, legal in levels + [(1, 0, "", False)] * (0 if len(levels) == 1 else 9 - len(levels)):
            places = bytes(n + 1 for n, char in enumerate(text) if ord(char) < 9)[:9].ljust(9, b"\x00")
            levels_out += struct.pack("<iBB9sBiiBBBB", start, nfc, 0x04 if legal else 0, places, 0, 0, 0, 0, 2, 0, 0)
            levels_out += b"\x00\x00"   # (grpprlPapx: two bytes of nothing, as cbGrpprlPapx says)
            levels_out += struct.pack("<H", len(text)) + text.encode("utf-16-le")
    plf_lst = struct.pack("<h", len(lists)) + heads + levels_out
    lfo, data = struct.pack("<I", len(overrides)), b""
    for lsid, starts in overrides:
        lfo += struct.pack("<i8xBBBx", lsid, len(starts), 0, 0)
        data += b"\x00" * 4 + b"".join(struct.pack("<iB3x", start, level | 0x10) for level, start in starts.items())
    count = max((style[0] for style in styles), default=-1) + 1
    sheet = b""
    for istd in range(count):
        found = [style for style in styles if style[0] == istd]
        if not found:
            sheet += struct.pack("<H", 0)
            continue
        _, base, listed = found[0]
        grpprl = b"" if listed is None else (_sprm(0x460B, struct.pack("<h", listed[0]))
                                            + _sprm(0x260A, bytes([listed[1]])))
        name = f"Style{istd}"
        std = struct.pack("<HHHHH", istd, 1 | (0x0FFF if base is None else base) << 4, 0, 0, 0) + bytes(8)
        std += struct.pack("<H", len(name)) + name.encode("utf-16-le") + b"\x00\x00"
        std += struct.pack("<HH", 2 + len(grpprl), istd) + grpprl
        std += b"\x00" * (len(std) % 2) + struct.pack("<H", 0)   # (then an empty character UPX)
        sheet += struct.pack("<H", len(std)) + std
    stshi = struct.pack("<HHHHHHHHH", count, 0x12, 1, 0, 15, 0, 0, 0, 0)
    return plf_lst, lfo + data, struct.pack("<H", len(stshi)) + stshi + sheet


def _character_page(runs) -> bytes:
    """A 512-byte character page (CHPX FKP) of *runs*: (fc, end, modifiers or None)."""
    page = bytearray(_SECTOR)
    struct.pack_into(f"<{len(runs) + 1}I", page, 0, *(fc for fc, _, _ in runs), runs[-1][1])
    free = _SECTOR - 1
    for n, (_, _, grpprl) in enumerate(runs):
        if grpprl is None:
            continue
        chpx = bytes([len(grpprl)]) + grpprl
        free = (free - len(chpx)) & ~1
        page[free:free + len(chpx)] = chpx
        page[4 * (len(runs) + 1) + n] = free // 2
    page[_SECTOR - 1] = len(runs)
    return bytes(page)


def _sprm(sprm: int, operand: bytes) -> bytes:
    return struct.pack("<H", sprm) + operand


def _page(runs) -> tuple[bytes, int]:
    """A 512-byte paragraph page of the first runs that fit: (page, runs taken)."""
    taken = 0
    while taken < min(len(runs), 100):
        size = 4 * (taken + 2) + 13 * (taken + 1) + sum(2 + len(r[2]) + 3 for r in runs[:taken + 1])
        if size > _SECTOR - 1:
            break
        taken += 1
    assert taken, "a paragraph's properties too long for a page"
    page = bytearray(_SECTOR)
    bounds = [runs[0][0]] + [fc + size for fc, size, _ in runs[:taken]]
    struct.pack_into(f"<{taken + 1}I", page, 0, *bounds)
    free = _SECTOR - 1
    for n, (_, _, grpprl) in enumerate(runs[:taken]):
        body = grpprl                         # the style index, then the modifiers
        if len(body) % 2:                     # (counted in words)
            body += b"\x00"
        papx = bytes([0, len(body) // 2]) + body   # (cb 0: the next byte counts the words)
        free = (free - len(papx)) & ~1
        page[free:free + len(papx)] = papx
        page[4 * (taken + 1) + 13 * n] = free // 2
    page[_SECTOR - 1] = taken
    return bytes(page), taken


def compound(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound document (version 3, 512-byte sectors) of *streams* -- a name a stream of
    the root storage, ``"ObjectPool/_123/Workbook"`` one inside storages --; each stream padded to
    4096 bytes at least, so that none is in the mini stream."""
    sectors, chains, starts = [], [], {}
    for name, data in streams.items():
        data = data + bytes(max(4096 - len(data), -len(data) % _SECTOR))
        starts[name] = (len(sectors), len(data))
        count = len(data) // _SECTOR
        chains += [len(sectors) + n + 1 for n in range(count - 1)] + [_END]
        sectors += [data[n * _SECTOR:(n + 1) * _SECTOR] for n in range(count)]
    directory_at = len(sectors)
    children: dict[str, list[str]] = {"": []}   # storage path → the paths in it
    for path in streams:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            parent, here = "/".join(parts[:depth - 1]), "/".join(parts[:depth])
            if here not in children.get(parent, []):
                children.setdefault(parent, []).append(here)
            if depth < len(parts):
                children.setdefault(here, [])
    # each storage's entries in the order compound documents compare names: shorter first
    children = {storage: sorted(paths, key=lambda path: (len(path.split("/")[-1]), path.upper()))
                for storage, paths in children.items()}
    order, index = [""], {"": 0}
    for storage in order:   # (breadth first: each storage's entries numbered together)
        for path in children.get(storage, []):
            index[path] = len(order)
            order.append(path)
    entries = [_entry("Root Entry", 5, _END, 0, child=index[children[""][0]] if children[""] else _FREE)]
    for path in order[1:]:
        siblings = children["/".join(path.split("/")[:-1])]
        at = siblings.index(path)
        right = index[siblings[at + 1]] if at + 1 < len(siblings) else _FREE   # (a right-leaning chain: a valid black tree)
        name = path.split("/")[-1]
        if path in children:   # a storage
            entries.append(_entry(name, 1, 0, 0, child=index[children[path][0]] if children[path] else _FREE,
                                  right=right))
        else:
            entries.append(_entry(name, 2, *starts[path], right=right))
    directory = b"".join(entries)
    directory += bytes(-len(directory) % _SECTOR)
    for n in range(len(directory) // _SECTOR):
        sectors.append(directory[n * _SECTOR:(n + 1) * _SECTOR])
        chains.append(len(sectors) if n + 1 < len(directory) // _SECTOR else _END)
    fat_count = 1
    while 128 * fat_count < len(sectors) + fat_count:
        fat_count += 1
    fat_at = len(sectors)
    chains += [_FAT_SECTOR] * fat_count
    fat = struct.pack(f"<{len(chains)}I", *chains) + b"\xff" * (4 * (128 * fat_count - len(chains)))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<IIIIIIIII", 0, fat_count, directory_at, 0, 4096, _END, 0, _END, 0))
    difat = [fat_at + n for n in range(fat_count)] + [_FREE] * (109 - fat_count)
    header += struct.pack("<109I", *difat)
    return header + b"".join(sectors) + fat


def _entry(name: str, kind: int, start: int, size: int, *, child: int = _FREE, right: int = _FREE) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1, _FREE, right, child)
            + bytes(16) + bytes(4) + bytes(16) + struct.pack("<IIi", start, size, 0))

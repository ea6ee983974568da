"""Hostile workbooks for the reader's tests and ``bench/bench_import_hostile.py`` (no Django).

- :func:`far_cell_workbook`: a few KB; its sheet declares ``<dimension ref="A1:XFD1048576"/>``
  and holds a cell at XFD1048576, so a naive reader reserves 17 billion cells.
- :func:`zip_bomb_workbook`: a valid-looking XLSX whose sheet XML is ``unpacked_bytes`` of
  one repeated run deflated ~1000× (2 MB on disk for 2 GB unpacked).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _package(sheet_writer: object) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as stream:
            sheet_writer(stream)  # type: ignore[operator]
    return buffer.getvalue()


def far_cell_workbook() -> bytes:
    def write(stream: io.RawIOBase) -> None:
        stream.write(
            (
                _SHEET_HEAD + '<dimension ref="A1:XFD1048576"/><sheetData>'
                '<row r="1"><c r="A1" t="inlineStr"><is><t>NIP</t></is></c></row>'
                '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                "</sheetData></worksheet>"
            ).encode()
        )

    return _package(write)


def _deflate_piece(data: bytes, final: bool) -> bytes:
    """Raw deflate blocks of ``data``, byte-aligned and independent (a full flush), so that
    pieces can be concatenated; only the last piece is ``final``."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH
    )


def zip_bomb_workbook(unpacked_bytes: int = 2 * 1024**3) -> bytes:
    """An XLSX whose sheet1.xml is one inline string of ``unpacked_bytes`` 'A's (< 4 GiB),
    written as one deflated 1 MiB piece repeated: ~2 MB on disk, built in seconds."""
    block = b"A" * 1_048_576
    repeats = max(1, unpacked_bytes // len(block))
    head = (_SHEET_HEAD + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>').encode()
    tail = b"</t></is></c></row></sheetData></worksheet>"
    piece = _deflate_piece(block, final=False)
    compressed = _deflate_piece(head, False) + piece * repeats + _deflate_piece(tail, True)
    size = len(head) + len(block) * repeats + len(tail)
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    small = [
        ("[Content_Types].xml", _CONTENT_TYPES.encode()),
        ("_rels/.rels", _RELS.encode()),
        ("xl/workbook.xml", _WORKBOOK.encode()),
        ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.encode()),
    ]
    members = [
        (name, _deflate_piece(data, True), zlib.crc32(data), len(data)) for name, data in small
    ]
    members.append(("xl/worksheets/sheet1.xml", compressed, crc, size))
    return _raw_zip(members)


def _raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of already-deflated members (method 8), sizes below 4 GiB (no zip64)."""
    out = io.BytesIO()
    central = []
    for name, data, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0
        )
        out.write(header + encoded + data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded),
                0, 0, 0, 0, 0, offset,
            )
            + encoded
        )  # fmt: skip
    start = out.tell()
    for entry in central:
        out.write(entry)
    length = out.tell() - start
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), length, start, 0)
    )
    return out.getvalue()

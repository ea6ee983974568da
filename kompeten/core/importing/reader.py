"""Reading an uploaded spreadsheet into rows of cells, with bounded memory and time.

No Django import at load (a refusal imports it only to be shown): :func:`read_file` checks the
file in the calling process (size, zip members' unpacked size and ratio, every sheet's
``<dimension ref=…>``), then runs the parse in a child process that executes this very file as a
script, under ``RLIMIT_AS`` and a time limit. A hostile workbook (a 1.7 KB file whose used range
reaches XFD1048576, a zip bomb) is refused with :class:`ReadError`; the calling process never
holds the unpacked data.

A refusal keeps its Indonesian text as a message id (marked for makemessages) and its figures and
names as parameters; it is rendered in the reader's language only when shown (``str(exc)``,
``exc.message``), its figures through :mod:`kompeten.core.formatting`. The child sends the id and
the parameters, and the parent rebuilds the :class:`ReadError`.

The child writes its rows as JSON on stdout (datetimes tagged), never pickle: the parent trusts
nothing the child sends beyond plain values. It writes them in lines of a few thousand rows, so
that the parent decodes one line while the child encodes the next.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import gc
import html.parser
import io
import json
import logging
import os
import posixpath
import re
import subprocess
import sys
import threading
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

# Defaults; the Django settings KOMPETEN_IMPORT_* override them through read_file's arguments.
MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_RATIO = 150
MAX_CELLS = 6_000_000
CHILD_MEMORY_BYTES = 1024 * 1024 * 1024
CHILD_SECONDS = 60.0
SPREADSHEET_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_EXTENSIONS = (".csv", ".txt", ".tsv")
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\""
)


def gettext_noop(message: str) -> str:
    """Mark ``message`` for makemessages (which looks for this name) and return it unchanged,
    as Django's own does: importing django.utils.translation would triple the child's start-up
    (0,05 → 0,17 s)."""
    return message


Param = str | int | float


class ReadError(ValueError):
    """A file that cannot be read: ``msgid``, the Indonesian text marked for translation with
    ``{name}`` placeholders, and ``params``, their values.

    ``str(exc)`` and ``exc.message`` give it in the active language: an int is shown whole, a
    float with one decimal, in the reader's format (1.048.576 and 5,3 in Indonesian; 1,048,576
    and 5.3 in English). Without Django settings (a script such as bench/), Indonesian."""

    def __init__(self, msgid: str, /, **params: Param) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def __str__(self) -> str:
        from django.conf import settings

        if not settings.configured:
            return self.msgid.format(**{k: _indonesian(v) for k, v in self.params.items()})
        from django.utils.translation import gettext

        from kompeten.core import formatting

        shown = {
            k: v if isinstance(v, str) else formatting.number(v, _decimals(v))
            for k, v in self.params.items()
        }
        return gettext(self.msgid).format(**shown)

    @property
    def message(self) -> str:
        """The refusal for the user, in the active language."""
        return str(self)


def _decimals(value: int | float) -> int:
    return 1 if isinstance(value, float) else 0


def _indonesian(value: Param) -> str:
    if isinstance(value, str):
        return value
    return f"{value:,.{_decimals(value)}f}".translate(str.maketrans(",.", ".,"))


@dataclass
class RawTable:
    """Every row of one sheet as cells (str, float, int, bool, datetime, date, None)."""

    rows: list[list[Any]]
    sheet: str
    sheet_names: list[str] = field(default_factory=list)
    # the workbook's other sheets holding a table with the same column headers, with their
    # number of data rows (a year split into "Semester I" and "Semester II"): not read
    alike: list[tuple[str, int]] = field(default_factory=list)
    # the sheets hidden in the workbook (Excel's "Hide", or hidden from its menu too): a person
    # opening the file does not see them, so an older draft kept there is never taken unnamed
    hidden_sheets: list[str] = field(default_factory=list)
    # the hidden sheets among those with the same column headers: not read, nor offered
    hidden_alike: list[tuple[str, int]] = field(default_factory=list)
    # the cells merged down over several rows, as (first row, column, last row), 0-based: a
    # workbook holds the value in the first row alone
    merged_down: list[tuple[int, int, int]] = field(default_factory=list)
    # the rows hidden in the sheet (by hand, by a filter or a collapsed outline), 0-based: a
    # person opening the file does not see them, yet they are in it (XLSX and ODS)
    hidden_rows: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = MAX_FILE_BYTES
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES
    max_ratio: int = MAX_RATIO
    max_cells: int = MAX_CELLS
    child_memory_bytes: int = CHILD_MEMORY_BYTES
    child_seconds: float = CHILD_SECONDS


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused (as a ``with`` block or a decorator).

    Reading and checking a large file builds millions of cells, rows and dicts, none of them in
    reference cycles: reference counting frees them, while the collector would walk the whole
    growing heap again and again (a quarter of a 100,000-row import's time). Restored on exit,
    unless it was already off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _mb(n: float) -> float:
    """Bytes as megabytes (a float: shown with one decimal)."""
    return n / 1_048_576


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


# --- checks in the calling process --------------------------------------------------------


def check_file(data: bytes, filename: str, limits: Limits) -> str:
    """The lower-case extension, or ReadError for a file we will not read."""
    ext = os.path.splitext(filename.lower())[1]
    if not ext:
        raise ReadError(
            gettext_noop(
                "Jenis berkas (tanpa ekstensi) tidak didukung: unggah XLSX, XLS, ODS atau CSV."
            )
        )
    if ext not in SPREADSHEET_EXTENSIONS + TEXT_EXTENSIONS:
        raise ReadError(
            gettext_noop("Jenis berkas {ext} tidak didukung: unggah XLSX, XLS, ODS atau CSV."),
            ext=ext,
        )
    if len(data) > limits.max_file_bytes:
        raise ReadError(
            gettext_noop("Berkas terlalu besar ({size} MB); batasnya {limit} MB."),
            size=_mb(len(data)),
            limit=_mb(limits.max_file_bytes),
        )
    if not data.strip():
        raise ReadError(gettext_noop("Berkas kosong: tidak ada baris data."))
    if ext in (".xlsx", ".xlsm", ".ods"):
        if data.startswith(OLE_SIGNATURE):
            raise ReadError(
                gettext_noop(
                    "Berkas dilindungi kata sandi. Buka di Excel, hapus kata sandinya, simpan, "
                    "lalu unggah lagi."
                )
            )
        if not data.startswith(ZIP_SIGNATURE):
            raise ReadError(
                gettext_noop(
                    "Isi berkas bukan lembar kerja yang sah (mungkin rusak atau salah ekstensi)."
                )
            )
        _check_zip(data, limits)
    elif ext == ".xls" and data.startswith(ZIP_SIGNATURE):
        _check_zip(data, limits)  # an XLSX named .xls: read as what it is
    elif ext == ".xls" and not data.startswith(OLE_SIGNATURE):
        if web_format(data) is None:
            raise ReadError(
                gettext_noop("Isi berkas bukan XLS yang sah (mungkin rusak atau salah ekstensi).")
            )
        _check_web_export(data, limits)
    elif ext in TEXT_EXTENSIONS and data.startswith((ZIP_SIGNATURE, OLE_SIGNATURE)):
        raise ReadError(gettext_noop("Isi berkas bukan CSV teks; unggah berkas CSV atau XLSX."))
    return ext


# the parts by which an Office Open XML or OpenDocument archive says what it holds
_OTHER_DOCUMENTS = (
    (
        "word/",
        gettext_noop(
            "Berkas ini dokumen Word, bukan lembar kerja. Salin tabelnya ke Excel atau "
            "LibreOffice Calc, simpan sebagai XLSX atau CSV, lalu unggah lagi."
        ),
    ),
    (
        "ppt/",
        gettext_noop(
            "Berkas ini presentasi PowerPoint, bukan lembar kerja. Salin tabelnya ke Excel atau "
            "LibreOffice Calc, simpan sebagai XLSX atau CSV, lalu unggah lagi."
        ),
    ),
)
_ODF_SPREADSHEET = b"application/vnd.oasis.opendocument.spreadsheet"


def _refuse_other_documents(archive: zipfile.ZipFile, names: set[str]) -> None:
    """A Word or PowerPoint file renamed .xlsx (or any zip that is not a workbook) is named as
    what it is, before the spreadsheet reader fails on it in its own words."""
    if any(n.startswith("xl/") for n in names):
        return
    if "mimetype" in names:
        try:
            kind = archive.read("mimetype")[:100]
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
            kind = b""
        if kind.startswith(_ODF_SPREADSHEET):
            return
    for prefix, refusal in _OTHER_DOCUMENTS:
        if any(n.startswith(prefix) for n in names):
            raise ReadError(refusal)
    raise ReadError(
        gettext_noop(
            "Berkas ini arsip ZIP yang tidak berisi lembar kerja XLSX atau ODS (mungkin salah "
            "ekstensi)."
        )
    )


def _check_zip(data: bytes, limits: Limits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ReadError(
            gettext_noop("Berkas rusak: arsip lembar kerja tidak dapat dibuka.")
        ) from None
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_048_576 and ratio > limits.max_ratio:
            raise ReadError(
                gettext_noop(
                    "Berkas ditolak: bagian {part} membengkak {ratio}× saat dibuka ({size} MB), "
                    "tanda berkas bom zip. Simpan ulang berkas dari Excel lalu unggah lagi."
                ),
                part=info.filename,
                ratio=round(ratio),
                size=_mb(info.file_size),
            )
    if total > limits.max_unpacked_bytes:
        raise ReadError(
            gettext_noop(
                "Berkas ditolak: isinya {size} MB setelah dibuka, batasnya {limit} MB. Pecah "
                "berkas menjadi beberapa bagian."
            ),
            size=_mb(total),
            limit=_mb(limits.max_unpacked_bytes),
        )
    _refuse_other_documents(archive, {info.filename for info in members})
    for info in members:
        name = info.filename
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        try:
            with archive.open(info) as stream:
                head = stream.read(4096)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
            raise ReadError(
                gettext_noop(
                    "Berkas rusak: bagian {part} tidak dapat dibuka (ukuran atau isinya tidak "
                    "sesuai keterangannya)."
                ),
                part=name,
            ) from None
        match = _DIMENSION.search(head)
        if match is None or match.group(3) is None:
            continue
        last_row = int(match.group(4))
        last_col = _column_number(match.group(3).decode("ascii"))
        rows = last_row - int(match.group(2) or 1) + 1
        cols = last_col - _column_number((match.group(1) or b"A").decode("ascii")) + 1
        # calamine reserves the range from A1, whatever the first cell
        cells = last_row * last_col
        if cells > limits.max_cells:
            ref = match.group(0).decode("ascii", "replace").split('"')[1]
            raise ReadError(
                gettext_noop(
                    "Berkas ditolak: lembar kerja {sheet} menyatakan rentang {ref} ({rows} baris "
                    "× {columns} kolom), melebihi batas {limit} sel. Hapus sel kosong yang jauh "
                    "di bawah atau di kanan data (Ctrl+End menunjukkannya), simpan, lalu unggah "
                    "lagi."
                ),
                sheet=name.rsplit("/", 1)[-1],
                ref=ref,
                rows=rows,
                columns=cols,
                limit=limits.max_cells,
            )


# Web applications (SIMPEG, e-SKM, SP4N-LAPOR! recaps) export "Excel" as an HTML table or as
# Excel 2003's XML Spreadsheet, named .xls: Excel opens both, and so does the reader.
_XML_SPREADSHEET = b"urn:schemas-microsoft-com:office:spreadsheet"
_HTML_TABLE = re.compile(rb"<table[\s>]", re.IGNORECASE)
_WEB_CELL = re.compile(rb"<(?:td|th|(?:ss:)?cell)[\s>/]", re.IGNORECASE)


def web_format(data: bytes) -> str | None:
    """ "xml" for an XML Spreadsheet 2003, "html" for an HTML table, else None (by the file's
    first 64 KB, after a byte order mark and white space)."""
    head = data[:65536]
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or b"\x00<" in head[:8]:
        text = _decode(head).encode("utf-8", "replace").lstrip()
    if not text.startswith(b"<"):
        return None
    if _XML_SPREADSHEET in text:
        return "xml"
    if _HTML_TABLE.search(text):
        return "html"
    return None


def _refuse_declarations(data: bytes) -> None:
    """An XML file declaring a DOCTYPE or entities is refused: an XML Spreadsheet needs none,
    and they are the way to a billion-laughs bomb or to reading another file."""
    if re.search(rb"<!(?:DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise ReadError(
            gettext_noop(
                "Berkas ditolak: XML Spreadsheet ini memuat deklarasi DOCTYPE atau ENTITY. "
                "Buka di Excel, simpan sebagai XLSX, lalu unggah lagi."
            )
        )


def _check_web_export(data: bytes, limits: Limits) -> None:
    """An HTML or XML export's cells, counted before it is read; an XML one declaring entities
    (the way to a billion-laughs bomb or an outside file) is refused."""
    if web_format(data) == "xml":
        _refuse_declarations(data)
    cells = sum(1 for _ in _WEB_CELL.finditer(data))
    if cells > limits.max_cells:
        raise ReadError(
            gettext_noop("Berkas ditolak: {cells} sel, melebihi batas {limit} sel."),
            cells=cells,
            limit=limits.max_cells,
        )


# --- the parse (runs in the child) ---------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 4:
        # UTF-16 without a BOM: the zero bytes sit on the odd (LE) or even (BE) positions
        le = head[1::2].count(0) > head[0::2].count(0)
        return data.decode("utf-16-le" if le else "utf-16-be", errors="replace")
    return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    best, best_score = ",", -1.0
    for cand in (",", ";", "\t", "|"):
        counts = [ln.count(cand) for ln in lines]
        if not counts or max(counts) == 0:
            continue
        # the delimiter appears often and the same number of times on most lines
        common = max(set(counts), key=counts.count)
        score = counts.count(common) * 10 + common if common else 0
        if score > best_score:
            best, best_score = cand, score
    return best


def _parse_csv(data: bytes) -> RawTable:
    text = _decode(data)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as exc:
        raise ReadError(gettext_noop("Berkas CSV rusak ({error})."), error=str(exc)) from None
    cells = [[(c if c.strip() else None) for c in row] for row in rows]
    return RawTable(rows=cells, sheet="", sheet_names=[])


def _open_workbook(data: bytes, sheet: str | None) -> tuple[list[list[Any]], RawTable]:
    """The sheet's cells as calamine gives them (every row from A1, "" for an empty cell), and
    a table without rows naming the sheet, the workbook's sheets, its hidden ones and the cells
    merged down over several rows."""
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        raise ReadError(gettext_noop("Berkas dilindungi kata sandi.")) from None
    except Exception as exc:  # noqa: BLE001 - calamine raises several types for a bad file
        # its own message is English and names its internals: the user reads ours, and the
        # calling process logs calamine's (``detail``, a parameter the message does not show)
        raise ReadError(
            gettext_noop(
                "Berkas tidak dapat dibaca sebagai lembar kerja XLSX, XLS atau ODS (mungkin "
                "rusak atau salah ekstensi)."
            ),
            detail=str(exc),
        ) from None
    names = list(book.sheet_names)
    if not names:
        raise ReadError(gettext_noop("Berkas tidak berisi lembar kerja."))
    if sheet and sheet not in names:
        raise ReadError(
            gettext_noop("Lembar kerja '{sheet}' tidak ada (yang ada: {names})."),
            sheet=sheet,
            names=", ".join(names),
        )
    hidden = [m.name for m in book.sheets_metadata if m.visible != pc.SheetVisibleEnum.Visible]
    if not sheet:
        visible = [
            m.name
            for m in book.sheets_metadata
            if m.visible == pc.SheetVisibleEnum.Visible and m.typ == pc.SheetTypeEnum.WorkSheet
        ]
        sheet = (visible or names)[0]
    try:
        found = book.get_sheet_by_name(sheet)
        raw = found.to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001
        raise ReadError(
            gettext_noop("Lembar kerja '{sheet}' tidak dapat dibaca ({error})."),
            sheet=sheet,
            error=str(exc),
        ) from None
    return raw, RawTable(
        rows=[],
        sheet=sheet,
        sheet_names=names,
        merged_down=_merged_down(found),
        hidden_sheets=hidden,
        hidden_rows=_hidden_rows(data, sheet, len(raw)),
    )


_XLSX_SHEET = re.compile(r"<(?:\w+:)?sheet\b([^>]*)>")
_XLSX_RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\b([^>]*)>")
_XML_ATTRIBUTE = re.compile(r"([\w:]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
# a start tag is matched within _ROW_TAG_MOST characters and never across another "<", so that
# a comment full of "<row " cannot make each match scan the rest of the chunk
_XLSX_ROW = re.compile(rb"<(?:\w+:)?row\b[^<>]{0,4096}>")
_XLSX_ROW_NUMBER = re.compile(rb"\sr\s*=\s*[\"'](\d+)[\"']")
_XLSX_ROW_HIDDEN = re.compile(rb"\shidden\s*=\s*[\"'](?:1|true)[\"']")
_ROW_TAG_MOST = 4096  # a row's start tag is a few attributes long


def _attributes(tag: str) -> dict[str, str]:
    """A start tag's attributes by their local name (``r:id`` is ``id``), entities read."""
    return {
        name.rsplit(":", 1)[-1]: html.unescape(a or b) for name, a, b in _XML_ATTRIBUTE.findall(tag)
    }


def _xlsx_sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The archive member holding the named sheet (workbook.xml names it, its relationships
    say where it is)."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    ids = {
        attrs.get("name"): attrs.get("id")
        for attrs in map(_attributes, _XLSX_SHEET.findall(workbook))
    }
    rel = ids.get(sheet)
    relationships = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    for attrs in map(_attributes, _XLSX_RELATIONSHIP.findall(relationships)):
        if attrs.get("Id") == rel and attrs.get("Target"):
            target = attrs["Target"]
            # "/xl/worksheets/sheet1.xml", "worksheets/sheet1.xml", "./worksheets/…", "../xl/…"
            path = target if target.startswith("/") else f"xl/{target}"
            return posixpath.normpath(path).lstrip("/")
    return None


def _hidden_rows(data: bytes, sheet: str, height: int) -> list[int]:
    """The 0-based rows of the sheet marked hidden (by hand, by an AutoFilter or a collapsed
    outline), below ``height``. calamine does not say; the sheet's XML is scanned tag by tag,
    a chunk at a time: XLSX's ``<row r="12" hidden="1">``, ODS's ``<table:table-row
    table:visibility="collapse">`` (or ``filter``). XLS keeps it in binary records: none are
    known there, nor in a workbook whose parts cannot be found."""
    if not data.startswith(ZIP_SIGNATURE):
        return []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "xl/workbook.xml" in names:
            part = _xlsx_sheet_part(archive, sheet)
            hidden = _xlsx_hidden(archive, part, height) if part else []
        elif "content.xml" in names:
            hidden = _ods_hidden(archive, sheet, height)
        else:
            hidden = []
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
        return []  # parts calamine read by other names: nothing more is known
    return sorted(set(hidden))


def _tags(archive: zipfile.ZipFile, part: str, pattern: re.Pattern[bytes]) -> Iterator[bytes]:
    """The tags of a member matching ``pattern``, read a chunk at a time (a tag cut by a
    chunk's end is read whole with the next)."""
    with archive.open(part) as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            text = tail + chunk
            end = 0
            for match in pattern.finditer(text):
                end = match.end()
                yield match.group(0)
            start = text.rfind(b"<", end)
            tail = text[start:][-_ROW_TAG_MOST:] if start >= 0 else b""


def _xlsx_hidden(archive: zipfile.ZipFile, part: str, height: int) -> list[int]:
    hidden = []
    for tag in _tags(archive, part, _XLSX_ROW):
        number = _XLSX_ROW_NUMBER.search(tag)
        if number and _XLSX_ROW_HIDDEN.search(tag) and int(number.group(1)) <= height:
            hidden.append(int(number.group(1)) - 1)
    return hidden


_ODS_TAG = re.compile(rb"<table:table(?:-row)?(?=[\s/>])[^<>]{0,4096}>|</table:table>")
_ODS_REPEATED = re.compile(rb"table:number-rows-repeated\s*=\s*[\"'](\d+)[\"']")
_ODS_HIDDEN = re.compile(rb"table:visibility\s*=\s*[\"'](?:collapse|filter)[\"']")
_ODS_NAME = re.compile(rb"table:name\s*=\s*\"([^\"]*)\"|table:name\s*=\s*'([^']*)'")


def _ods_hidden(archive: zipfile.ZipFile, sheet: str, height: int) -> list[int]:
    """The named table's hidden rows in content.xml, counting each row tag as many rows as it
    repeats (a sheet often ends with one tag repeating a million empty rows)."""
    hidden: list[int] = []
    row = -1  # not in the sheet yet
    for tag in _tags(archive, "content.xml", _ODS_TAG):
        if tag.startswith(b"<table:table-row"):
            if row < 0:
                continue
            repeated = _ODS_REPEATED.search(tag)
            count = int(repeated.group(1)) if repeated else 1
            if _ODS_HIDDEN.search(tag):
                hidden.extend(range(row, min(row + count, height)))
            row += count
        elif tag == b"</table:table>":
            if row >= 0:
                break
        else:
            name = _ODS_NAME.search(tag)
            found = (name.group(1) or name.group(2) or b"") if name else b""
            if html.unescape(found.decode("utf-8", "replace")) == sheet:
                row = 0
    return hidden


def _merged_down(sheet: Any) -> list[tuple[int, int, int]]:
    """(first row, column, last row) of each merged range over several rows, by its first
    column (a range over several columns too holds one value, not one a column). calamine
    keeps them for XLSX and XLS, and gives None for ODS."""
    ranges = sheet.merged_cell_ranges or []
    return sorted((start[0], start[1], end[0]) for start, end in ranges if end[0] > start[0])


def _workbook_rows(raw: list[list[Any]]) -> Iterator[list[Any]]:
    """The rows with None for an empty cell, without the empty rows at the end; each raw row is
    let go once given (``raw`` is emptied)."""
    raw.reverse()
    held: list[list[Any]] = []  # empty rows, given only if a row with data follows
    while raw:
        row = [None if c == "" else c for c in raw.pop()]
        if row.count(None) == len(row):
            held.append(row)
            continue
        if held:
            yield from held
            held = []
        yield row


def _parse_workbook(data: bytes, sheet: str | None) -> RawTable:
    raw, table = _open_workbook(data, sheet)
    table.rows = list(_workbook_rows(raw))
    return table


class _HtmlTables(html.parser.HTMLParser):
    """The tables of an HTML export as rows of cell texts: a cell spanning columns or rows
    leaves None where it spreads, as a merged cell does in a workbook (the cells spanning rows
    are named, as a workbook's merged down are); a table inside a cell is read as its own
    table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_OpenTable] = []
        self._open: list[_OpenTable] = []  # the tables being read, innermost last

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._open.append(_OpenTable())
        elif not self._open:
            return
        elif tag == "tr":
            self._open[-1].start_row()
        elif tag in ("td", "th"):
            spans = dict(attrs)
            self._open[-1].start_cell(_span(spans.get("colspan")), _span(spans.get("rowspan")))
        elif tag in ("br", "p", "div") and self._open[-1].cell is not None:
            self._open[-1].cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if not self._open:
            return
        if tag == "table":
            table = self._open.pop()
            table.end_row()
            if table.rows:
                self.tables.append(table)
        elif tag == "tr":
            self._open[-1].end_row()
        elif tag in ("td", "th"):
            self._open[-1].end_cell()

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1].cell is not None:
            self._open[-1].cell.append(data)


def _span(value: str | None) -> int:
    """A colspan or rowspan as written (1 when absent or not a number; at most 1000)."""
    digits = re.match(r"\s*(\d+)", value or "")
    return min(max(int(digits[1]), 1), 1000) if digits else 1


class _OpenTable:
    """One HTML table as it is read: its rows, the row and cell being read, the columns that
    cells of rows above still span (column → rows left), and the cells with text spanning rows
    (first row, column, last row)."""

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []
        self.merged_down: list[tuple[int, int, int]] = []
        self.row: list[Any] | None = None
        self.cell: list[str] | None = None
        self.spans = (1, 1)
        self.below: dict[int, int] = {}

    def start_row(self) -> None:
        self.end_row()
        self.row = []

    def _skip_spanned(self) -> None:
        assert self.row is not None
        while self.below.get(len(self.row), 0) > 0:
            self.below[len(self.row)] -= 1
            self.row.append(None)

    def start_cell(self, colspan: int, rowspan: int) -> None:
        self.end_cell()
        if self.row is None:
            self.row = []
        self._skip_spanned()
        self.cell, self.spans = [], (colspan, rowspan)

    def end_cell(self) -> None:
        if self.cell is None or self.row is None:
            return
        text = " ".join("".join(self.cell).split())
        colspan, rowspan = self.spans
        if rowspan > 1 and text:
            first = len(self.rows)
            self.merged_down.append((first, len(self.row), first + rowspan - 1))
        for k in range(colspan):
            self.row.append((text or None) if k == 0 else None)
            if rowspan > 1:
                self.below[len(self.row) - 1] = rowspan - 1
        self.cell = None

    def end_row(self) -> None:
        self.end_cell()
        if self.row is None:
            return
        self._skip_spanned()
        # columns still spanned beyond this row's last cell
        for column in sorted(c for c, left in self.below.items() if left and c >= len(self.row)):
            self.row.extend([None] * (column - len(self.row) + 1))
            self.below[column] -= 1
        self.rows.append(self.row)
        self.row = None


_HTML_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w-]+)", re.IGNORECASE)


def _html_text(data: bytes) -> str:
    """The HTML's text in the charset its <meta> names, else as a CSV is decoded."""
    declared = _HTML_CHARSET.search(data[:8192])
    if declared and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode(declared[1].decode("ascii"), errors="replace").lstrip("\ufeff")
        except LookupError:
            pass
    return _decode(data)


def _sheet_choice(names: list[str], sheet: str | None) -> str:
    if sheet and sheet not in names:
        raise ReadError(
            gettext_noop("Lembar kerja '{sheet}' tidak ada (yang ada: {names})."),
            sheet=sheet,
            names=", ".join(names),
        )
    return sheet or names[0]


def _parse_html(data: bytes, sheet: str | None) -> RawTable:
    """An HTML export: one table is the file's only sheet (named as none, as a CSV); several
    are sheets "Tabel 1", "Tabel 2" … in the order they close."""
    reader = _HtmlTables()
    reader.feed(_html_text(data))
    reader.close()
    tables = [t for t in reader.tables if any(c is not None for row in t.rows for c in row)]
    if not tables:
        raise ReadError(gettext_noop("Berkas kosong: tidak ada baris data."))
    if len(tables) == 1 and not sheet:
        return RawTable(rows=tables[0].rows, sheet="", merged_down=tables[0].merged_down)
    names = [f"Tabel {n}" for n in range(1, len(tables) + 1)]
    chosen = tables[names.index(_sheet_choice(names, sheet))]
    return RawTable(
        rows=chosen.rows,
        sheet=names[tables.index(chosen)],
        sheet_names=names,
        merged_down=chosen.merged_down,
    )


_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def _xml_value(data: Any) -> Any:
    """A <Data> element's value by its ss:Type: Number, DateTime, Boolean, else its text."""
    text = "".join(data.itertext()) if data is not None else ""
    kind = data.get(f"{_SS}Type", "String") if data is not None else "String"
    if not text.strip():
        return None
    try:
        if kind == "Number":
            number = float(text)
            return int(number) if number.is_integer() and "." not in text else number
        if kind == "DateTime":
            return dt.datetime.fromisoformat(text.rstrip("Z")[:19])
        if kind == "Boolean":
            return text.strip() == "1"
    except ValueError:
        pass
    return text


@dataclass
class _XmlSheet:
    """A <Worksheet>'s cells, the cells merged down as (first row, column, last row), and its
    hidden rows (0-based)."""

    rows: list[list[Any]] = field(default_factory=list)
    merged: list[tuple[int, int, int]] = field(default_factory=list)
    hidden: list[int] = field(default_factory=list)


def _xml_rows(worksheet: Any) -> _XmlSheet:
    """A <Worksheet>'s cells, placed by ss:Index; a merged cell leaves None where it spreads;
    the cells merged down (ss:MergeDown); the rows marked ss:Hidden."""
    sheet = _XmlSheet()
    rows, merged = sheet.rows, sheet.merged
    table = worksheet.find(f"{_SS}Table")
    for row in table.iter(f"{_SS}Row") if table is not None else ():
        index = row.get(f"{_SS}Index")
        while index and index.isdigit() and len(rows) < int(index) - 1:
            rows.append([])
        if (row.get(f"{_SS}Hidden") or "").strip().lower() in ("1", "true"):
            sheet.hidden.append(len(rows))
        cells: list[Any] = []
        for cell in row.iter(f"{_SS}Cell"):
            at = cell.get(f"{_SS}Index")
            if at and at.isdigit():
                cells.extend([None] * (int(at) - 1 - len(cells)))
            cells.append(_xml_value(cell.find(f"{_SS}Data")))
            down = cell.get(f"{_SS}MergeDown") or ""
            if down.strip() not in ("", "0") and cells[-1] is not None:
                merged.append((len(rows), len(cells) - 1, len(rows) + _span(down)))
            across = cell.get(f"{_SS}MergeAcross") or ""
            cells.extend([None] * (_span(across) if across.strip() not in ("", "0") else 0))
        rows.append(cells)
    return sheet


# Excel's own namespace in an XML Spreadsheet: <WorksheetOptions><Visible>SheetHidden</Visible>
_X = "{urn:schemas-microsoft-com:office:excel}"


def _xml_hidden(worksheet: Any) -> bool:
    """Whether a <Worksheet> is hidden (Excel's Hide, or hidden from its menu too)."""
    visible = worksheet.find(f"{_X}WorksheetOptions/{_X}Visible")
    return visible is not None and (visible.text or "").strip() in (
        "SheetHidden",
        "SheetVeryHidden",
    )


def _parse_xml_spreadsheet(data: bytes, sheet: str | None) -> RawTable:
    """An XML Spreadsheet 2003 (Excel's "XML Spreadsheet" and many web exports): each
    <Worksheet ss:Name> a sheet."""
    from xml.etree import ElementTree

    _refuse_declarations(data)
    try:
        # no DOCTYPE and no entity (refused above), in the child's memory and time limits
        root = ElementTree.fromstring(data)  # noqa: S314
    except ElementTree.ParseError as exc:
        raise ReadError(
            gettext_noop("Berkas XML Spreadsheet rusak ({error})."), error=str(exc)
        ) from None
    worksheets = root.findall(f"{_SS}Worksheet")
    if not worksheets:
        raise ReadError(gettext_noop("Berkas tidak berisi lembar kerja."))
    names = [w.get(f"{_SS}Name") or f"Sheet{n}" for n, w in enumerate(worksheets, start=1)]
    hidden = [name for name, w in zip(names, worksheets, strict=True) if _xml_hidden(w)]
    shown = [name for name in names if name not in hidden]
    chosen = _sheet_choice(names, sheet) if sheet else (shown or names)[0]
    read = _xml_rows(worksheets[names.index(chosen)])
    width = max((len(r) for r in read.rows), default=0)
    padded = [r + [None] * (width - len(r)) for r in read.rows]
    while padded and all(c is None for c in padded[-1]):
        padded.pop()
    return RawTable(
        rows=padded,
        sheet=chosen,
        sheet_names=names,
        merged_down=read.merged,
        hidden_sheets=hidden,
        hidden_rows=[r for r in read.hidden if r < len(padded)],
    )


def _parse_web_export(data: bytes, sheet: str | None) -> RawTable:
    if web_format(data) == "xml":
        return _parse_xml_spreadsheet(data, sheet)
    return _parse_html(data, sheet)


def parse(data: bytes, filename: str, sheet: str | None = None) -> RawTable:
    """Parse in this process (the child calls it; tests may too). No limits checked here."""
    ext = os.path.splitext(filename.lower())[1]
    if ext in TEXT_EXTENSIONS:
        return _parse_csv(data)
    if ext == ".xls" and not data.startswith((OLE_SIGNATURE, ZIP_SIGNATURE)):
        return _parse_web_export(data, sheet)
    return _parse_workbook(data, sheet)


def _parse_stream(
    data: bytes, filename: str, sheet: str | None
) -> tuple[Iterable[list[Any]], RawTable]:
    """:func:`parse`'s rows as they are made, and its table without them (the child's way)."""
    ext = os.path.splitext(filename.lower())[1]
    if ext in TEXT_EXTENSIONS or (
        ext == ".xls" and not data.startswith((OLE_SIGNATURE, ZIP_SIGNATURE))
    ):
        table = parse(data, filename, sheet)
        rows, table.rows = table.rows, []
        return rows, table
    raw, table = _open_workbook(data, sheet)
    return _workbook_rows(raw), table


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"t": "dt", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {"t": "d", "v": value.isoformat()}
    if isinstance(value, dt.time):
        return {"t": "tm", "v": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"t": "td", "v": value.total_seconds()}
    raise TypeError(type(value).__name__)


def _decode_value(obj: dict[str, Any]) -> Any:
    kind = obj.get("t")
    if kind == "dt":
        return dt.datetime.fromisoformat(obj["v"])
    if kind == "d":
        return dt.date.fromisoformat(obj["v"])
    if kind == "tm":
        return dt.time.fromisoformat(obj["v"])
    if kind == "td":
        return dt.timedelta(seconds=obj["v"])
    return obj


# Rows per line of the child's output: the parent decodes a line while the child writes the next.
CHUNK_ROWS = 2000


def _child_main() -> None:
    """Read the file from stdin and write its rows on stdout as lines of JSON: lists of up to
    CHUNK_ROWS rows, then one object: ``{"sheet", "sheet_names", "merged_down",
    "hidden_sheets", "hidden_rows"}``, ``{"error", "params"}`` (a refusal's message id and parameters) or
    ``{"error": "memory"}``."""
    import resource

    memory = int(sys.argv[1])
    seconds = int(float(sys.argv[2]))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    filename, sheet = sys.argv[3], sys.argv[4] or None
    gc.disable()  # a short-lived process that builds millions of cells (see gc_paused)
    data = sys.stdin.buffer.read()
    out = sys.stdout.buffer
    end: dict[str, Any]
    try:
        rows, table = _parse_stream(data, filename, sheet)
        del data
        chunk: list[list[Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK_ROWS:
                out.write(_dump(chunk))
                chunk = []
        if chunk:
            out.write(_dump(chunk))
        end = {
            "sheet": table.sheet,
            "sheet_names": table.sheet_names,
            "merged_down": table.merged_down,
            "hidden_sheets": table.hidden_sheets,
            "hidden_rows": table.hidden_rows,
        }
    except ReadError as exc:
        end = {"error": exc.msgid, "params": exc.params}
    except MemoryError:
        end = {"error": "memory"}
    out.write(json.dumps(end, ensure_ascii=False).encode("utf-8"))
    out.flush()


def _dump(rows: list[list[Any]]) -> bytes:
    text = json.dumps(rows, default=_encode, ensure_ascii=False, allow_nan=True)
    return text.encode("utf-8") + b"\n"  # JSON escapes a newline inside a string


def _run_child(data: bytes, filename: str, sheet: str | None, limits: Limits) -> RawTable:
    cmd = [
        sys.executable,
        "-I",
        os.path.abspath(__file__),
        str(limits.child_memory_bytes),
        str(limits.child_seconds),
        filename,
        sheet or "",
    ]
    child = subprocess.Popen(  # noqa: S603 - our own interpreter running this file
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        child.kill()

    timer = threading.Timer(limits.child_seconds, stop)
    timer.start()
    got = _Received()
    try:
        assert child.stdin is not None and child.stdout is not None
        try:
            child.stdin.write(data)
            child.stdin.close()
        except BrokenPipeError:
            pass  # the child has died: its exit status says why
        _receive(child.stdout, got)
    finally:
        timer.cancel()
        if child.poll() is None and (got.broken or timed_out.is_set()):
            child.kill()
        if child.stdout is not None:
            child.stdout.close()
        returncode = child.wait()
    return _child_table(got, returncode, timed_out=timed_out.is_set(), limits=limits)


@dataclass
class _Received:
    """What the parent took from the child's output: the rows, the closing object, whether
    any line came and whether the output broke the protocol."""

    rows: list[list[Any]] = field(default_factory=list)
    end: Any = None
    received: bool = False
    broken: bool = False


def _receive(lines: Iterable[bytes], got: _Received) -> None:
    """Decode the child's output into ``got``: lists of rows, then one object; anything else
    (or a line that is not JSON) marks it broken and stops."""
    with gc_paused():
        # each line is decoded while the child writes the next
        for line in lines:
            got.received = True
            try:
                part = json.loads(line, object_hook=_decode_value)
            except ValueError:
                got.broken = True
                break
            if isinstance(part, list) and got.end is None:
                got.rows.extend(part)
            elif isinstance(part, dict) and got.end is None:
                got.end = part
            else:
                got.broken = True
                break


def _child_table(got: _Received, returncode: int, *, timed_out: bool, limits: Limits) -> RawTable:
    """The table the child read, or ReadError saying why it gave none."""
    too_big = ReadError(
        gettext_noop(
            "Berkas ditolak: membacanya memerlukan memori melebihi batas {limit} MB. Periksa sel "
            "kosong yang jauh di bawah atau di kanan data, atau pecah berkas."
        ),
        limit=_mb(limits.child_memory_bytes),
    )
    if timed_out:
        raise ReadError(
            gettext_noop("Berkas ditolak: membacanya melebihi batas waktu {seconds} detik."),
            seconds=round(limits.child_seconds),
        )
    if returncode != 0 or not got.received:
        raise too_big
    end = got.end
    if got.broken or end is None or not _plain_refusal(end):
        raise ReadError(gettext_noop("Berkas tidak dapat dibaca (hasil pembacaan rusak)."))
    if "error" in end:
        if end["error"] == "memory":
            raise too_big
        if "detail" in end["params"]:
            logger.info("the spreadsheet reader refused a file: %s", end["params"]["detail"])
        raise ReadError(end["error"], **end["params"])
    return RawTable(
        rows=got.rows,
        sheet=end["sheet"],
        sheet_names=end["sheet_names"],
        merged_down=_merged_sent(end.get("merged_down"), len(got.rows)),
        hidden_sheets=_hidden_sent(end.get("hidden_sheets"), end["sheet_names"]),
        hidden_rows=_rows_sent(end.get("hidden_rows"), len(got.rows)),
    )


def _merged_sent(sent: Any, rows: int) -> list[tuple[int, int, int]]:
    """The child's merged ranges, each three whole numbers within the rows it sent (the child
    read a file nobody vouches for: anything else is a broken reading)."""
    if sent is None:
        return []
    if not isinstance(sent, list):
        raise ReadError(gettext_noop("Berkas tidak dapat dibaca (hasil pembacaan rusak)."))
    out: list[tuple[int, int, int]] = []
    for item in sent:
        if not (
            isinstance(item, list)
            and len(item) == 3
            and all(type(v) is int and v >= 0 for v in item)
            and item[0] < item[2]
        ):
            raise ReadError(gettext_noop("Berkas tidak dapat dibaca (hasil pembacaan rusak)."))
        if item[0] < rows:
            out.append((item[0], item[1], min(item[2], rows - 1)))
    return out


def _rows_sent(sent: Any, rows: int) -> list[int]:
    """The child's hidden rows, each a whole number (a row beyond those sent is dropped)."""
    if sent is None:
        return []
    if not (isinstance(sent, list) and all(type(v) is int and v >= 0 for v in sent)):
        raise ReadError(gettext_noop("Berkas tidak dapat dibaca (hasil pembacaan rusak)."))
    return [v for v in sent if v < rows]


def _hidden_sent(sent: Any, names: Any) -> list[str]:
    """The child's hidden sheets, each one of the sheet names it sent (anything else is a
    broken reading: which sheets are hidden decides which one is read)."""
    if sent is None:
        return []
    if not (
        isinstance(sent, list)
        and isinstance(names, list)
        and all(isinstance(name, str) and name in names for name in sent)
    ):
        raise ReadError(gettext_noop("Berkas tidak dapat dibaca (hasil pembacaan rusak)."))
    return list(sent)


def _plain_refusal(end: dict[str, Any]) -> bool:
    """Whether the child's closing object, if a refusal, is a message id with plain text
    parameters (what the child sends), so that the parent rebuilds nothing else."""
    if "error" not in end or end["error"] == "memory":
        return True
    params = end.get("params")
    return (
        isinstance(end["error"], str)
        and isinstance(params, dict)
        and all(isinstance(v, str) for v in params.values())
    )


def read_file(
    data: bytes, filename: str, sheet: str | None = None, limits: Limits | None = None
) -> RawTable:
    """Every row of the sheet (``sheet`` or the first visible one) of an XLSX/XLSM/XLS/ODS, or
    of a CSV (encoding and delimiter detected). Raises :class:`ReadError` for any file it will
    not read, before reading it where the file says it is hostile."""
    limits = limits or Limits()
    check_file(data, filename, limits)
    table = _run_child(data, filename, sheet, limits)
    if not any(any(c is not None for c in row) for row in table.rows):
        raise ReadError(gettext_noop("Berkas kosong: tidak ada baris data."))
    return table


if __name__ == "__main__":
    _child_main()

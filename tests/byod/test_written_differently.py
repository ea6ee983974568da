"""The seven sample exports as another office, another locale or another export setting writes
them, from an empty install to the report: the figures are still those of `expected.md`.

Each file is changed the way a BKPSDM's own copy differs from ours: columns in another order or
under other names, title rows added or dropped, Excel's `;` CSV instead of a workbook (and the
other way round), dates as real date cells or in the Indonesian locale's order, numbers as text
with a decimal comma, NIPs printed with spaces, marks and labels spelt otherwise.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests import samples
from tests.byod.expected import assert_the_expected_figures, first_report
from tests.samples import SampleFiles

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("byod")]

Row = list[Any]


def test_the_seven_files_written_differently_give_the_same_figures(
    tmp_path: Path, settings
) -> None:
    settings.VAR_DIR = tmp_path
    files = written_differently(tmp_path / "exports")
    assert_the_expected_figures(first_report(tmp_path, files), tmp_path)


def written_differently(folder: Path) -> SampleFiles:
    folder.mkdir()
    return SampleFiles(
        siasn=siasn_as_excel_csv(folder),
        attendance=attendance_with_other_marks(folder),
        scores=scores_as_typed_by_hand(folder),
        reaction=reaction_downloaded_from_sheets(folder),
        skm_gforms=skm_in_the_indonesian_locale(folder),
        skm_eskm=eskm_with_date_cells(folder),
        lapor=lapor_reordered_with_a_title(folder),
    )


# --- the seven files --------------------------------------------------------------------------


def siasn_as_excel_csv(folder: Path) -> Path:
    """Saved by Excel in the Indonesian locale as "CSV UTF-8": `;`, a BOM, no title rows, the
    NIP column called NIP and the birth date TGL LAHIR."""
    rows = _rows(samples.SIASN)
    header = _header_index(rows)
    rows = [_renamed(rows[header], {"NIP BARU": "NIP", "TANGGAL LAHIR": "TGL LAHIR"})]
    rows += _rows(samples.SIASN)[header + 1 :]
    return _write_csv(folder / "pegawai.csv", rows, delimiter=";", bom=True)


def attendance_with_other_marks(folder: Path) -> Path:
    """The panitia's list with H for present and the days headed by their dates: in words, and
    the last one as a date cell."""
    book = openpyxl.load_workbook(samples.ATTENDANCE)
    sheet = book.worksheets[0]
    days: dict[str, object] = {"24-06-2025": "Selasa, 24 Juni 2025"}
    days |= {"25-06-2025": "Rabu, 25 Juni 2025", "26-06-2025": datetime(2025, 6, 26)}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "√":
                cell.value = "H"
            elif isinstance(cell.value, str) and cell.value.startswith("HARI"):
                cell.value = days[cell.value.split()[-1]]
    target = folder / "daftar-hadir.xlsx"
    book.save(target)
    return target


def scores_as_typed_by_hand(folder: Path) -> Path:
    """Scores first, under other names, as text with a decimal comma; NIPs printed with spaces."""
    rows = _rows(samples.SCORES)
    header = _header_index(rows)
    names = _renamed(rows[header], {"PRE TEST": "Nilai Awal", "POST TEST": "Nilai Akhir"})
    order = [names.index("Nilai Awal"), names.index("Nilai Akhir")]
    order += [k for k in range(len(names)) if k not in order]
    out = [*rows[:header], [names[k] for k in order]]
    for row in rows[header + 1 :]:
        cells = dict(zip(names, row, strict=False))
        cells["NIP"] = _spaced_nip(cells["NIP"])
        for name in ("Nilai Awal", "Nilai Akhir"):
            if isinstance(cells[name], int | float):
                cells[name] = f"{cells[name]:.1f}".replace(".", ",")
        out.append([cells[names[k]] for k in order])
    return _write_xlsx(folder / "nilai.xlsx", out)


def reaction_downloaded_from_sheets(folder: Path) -> Path:
    """The form's sheet downloaded as .xlsx, columns right to left, times in the Indonesian
    locale's day/month/year."""
    rows = _rows(samples.REACTION)
    rows = [rows[0], *(_with_indonesian_time(row) for row in rows[1:])]
    return _write_xlsx(folder / "reaksi.xlsx", [row[::-1] for row in rows])


def skm_in_the_indonesian_locale(folder: Path) -> Path:
    """A sheet set to Indonesia exports its times day first; the header typed in capitals."""
    rows = _rows(samples.SKM_GFORMS)
    header = [str(name).upper() for name in rows[0]]
    rows = [header, *(_with_indonesian_time(row) for row in rows[1:])]
    return _write_csv(folder / "skm-disdukcapil.csv", rows)


def eskm_with_date_cells(folder: Path) -> Path:
    """Survey times as date cells, sex spelt out, answers as text, two columns named otherwise,
    and the title rows (which name the unit) dropped: the unit is given on the command line."""
    rows = _rows(samples.SKM_ESKM)
    header = _header_index(rows)
    names = _renamed(
        rows[header], {"Tanggal Survei": "Waktu Pengisian", "Jenis Layanan": "Layanan"}
    )
    out = [names]
    for row in rows[header + 1 :]:
        cells = dict(zip(names, row, strict=False))
        when = cells["Waktu Pengisian"]
        if isinstance(when, str) and re.fullmatch(r"\d\d-\d\d-\d{4} \d\d:\d\d", when):
            cells["Waktu Pengisian"] = datetime.strptime(when, "%d-%m-%Y %H:%M")
        cells["Jenis Kelamin"] = {"L": "Laki-laki", "P": "Perempuan"}.get(
            cells["Jenis Kelamin"], cells["Jenis Kelamin"]
        )
        for name in names:
            if re.fullmatch(r"U\d", str(name)) and isinstance(cells[name], int):
                cells[name] = str(cells[name])
        out.append([cells[name] for name in names])
    return _write_xlsx(folder / "eskm-dpmptsp.xlsx", out)


def lapor_reordered_with_a_title(folder: Path) -> Path:
    """Opened and saved again in Excel: dates became date cells, a title row was typed above,
    the columns run right to left and the status is in lower case."""
    rows = _rows(samples.LAPOR)
    names = rows[0]
    out: list[Row] = [["Rekap Laporan SP4N-LAPOR! Pemkot Sawahlunto 2025"], [], names[::-1]]
    for row in rows[1:]:
        cells = dict(zip(names, row, strict=False))
        for name in ("Tanggal Laporan", "Tanggal Selesai"):
            text = cells[name]
            if isinstance(text, str) and re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", text.strip()):
                cells[name] = datetime.strptime(text.strip(), "%d/%m/%Y %H:%M")
        if isinstance(cells["Status"], str):
            cells["Status"] = cells["Status"].lower()
        out.append([cells[name] for name in names[::-1]])
    return _write_xlsx(folder / "lapor.xlsx", out)


# --- helpers ----------------------------------------------------------------------------------


def _rows(path: Path) -> list[Row]:
    if path.suffix == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as fh:
            return [list(row) for row in csv.reader(fh)]
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _header_index(rows: list[Row]) -> int:
    """The first row with most of its cells filled (the rows above it are titles)."""
    return next(
        k for k, row in enumerate(rows) if sum(c not in (None, "") for c in row) > len(row) // 2
    )


def _renamed(header: Row, names: dict[str, str]) -> Row:
    assert set(names) <= set(header), set(names) - set(header)
    return [names.get(name, name) for name in header]


def _spaced_nip(nip: object) -> object:
    text = str(nip)
    if not re.fullmatch(r"\d{18}", text):
        return nip
    return f"{text[:8]} {text[8:14]} {text[14]} {text[15:]}"


def _with_indonesian_time(row: Row) -> Row:
    """Google Forms' "2025/06/26 2:33:00 PM GMT+7" as an Indonesian-locale sheet writes it."""
    match = re.fullmatch(r"(\d{4})/(\d\d)/(\d\d) (\d+):(\d\d):(\d\d) (AM|PM) GMT\+7", row[0])
    assert match, row[0]
    year, month, day, hour, minute, second, half = match.groups()
    hour24 = int(hour) % 12 + (12 if half == "PM" else 0)
    return [f"{day}/{month}/{year} {hour24:02d}:{minute}:{second}", *row[1:]]


def _write_csv(path: Path, rows: list[Row], delimiter: str = ",", bom: bool = False) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(_blank_none(rows))
    return path


def _blank_none(rows: list[Row]) -> Iterator[Row]:
    for row in rows:
        yield ["" if value is None else value for value in row]


def _write_xlsx(path: Path, rows: list[Row]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path

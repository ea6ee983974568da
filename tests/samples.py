"""The seven sample exports of tests/fixtures/bkpsdm-2025/ and their import through the CLI.

The files are written the way SIASN, the panitia, Google Forms, e-SKM and SP4N-LAPOR! write them;
`expected.md` beside them holds figures computed from them independently (not by Kompeten).
Nothing edits a file: each goes in as the source wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl
from django.core.management import call_command

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "bkpsdm-2025"
SIASN = SAMPLES / "Data_PNS_Kota_Sawahlunto_SIASN_02122026.xlsx"
ATTENDANCE = SAMPLES / "Daftar Hadir Pelatihan Pelayanan Prima 2025.xlsx"
SCORES = SAMPLES / "Nilai Pre Post Test Pelayanan Prima.xlsx"
REACTION = SAMPLES / "Evaluasi Penyelenggaraan Pelatihan Pelayanan Prima (Responses).csv"
SKM_GFORMS = SAMPLES / "SKM Disdukcapil Kota Sawahlunto 2025 (Responses).csv"
SKM_ESKM = SAMPLES / "Export_eSKM_DPMPTSP_2025.xlsx"
LAPOR = SAMPLES / "Export_Laporan_SP4N-LAPOR_Pemkot_Sawahlunto_2025.xlsx"


def nominatif_rows() -> list[list[object]]:
    """The SIASN sample's rows cut down to a daftar nominatif's six columns (NIP, Nama, Jabatan,
    Pangkat/Gol, Unit Kerja, SKPD), the cells as SIASN wrote them (the NIPs Excel damaged stay
    numbers); SKPD is the OPD (the unit itself at the top)."""
    rows = list(openpyxl.load_workbook(SIASN, read_only=True).active.iter_rows(values_only=True))
    at = {name: i for i, name in enumerate(rows[3])}
    cut = []
    for row in rows[4:]:
        unit, parent = row[at["UNOR NAMA"]], row[at["UNOR INDUK NAMA"]]
        skpd = unit if parent.upper().startswith("PEMERINTAH") else parent
        cells = ("NIP BARU", "NAMA", "JABATAN NAMA", "GOL AKHIR NAMA")
        cut.append([*(row[at[name]] for name in cells), unit, skpd])
    return cut


@dataclass(frozen=True)
class SampleFiles:
    """Where each of the seven exports is: the samples themselves unless told otherwise."""

    siasn: Path = SIASN
    attendance: Path = ATTENDANCE
    scores: Path = SCORES
    reaction: Path = REACTION
    skm_gforms: Path = SKM_GFORMS
    skm_eskm: Path = SKM_ESKM
    lapor: Path = LAPOR


def import_the_seven_files(tmp_path: Path, files: SampleFiles | None = None) -> None:
    """From an empty install: `setup` (instansi, admin, password from a file in ``tmp_path``),
    then the seven files through their import commands, partial where a source has bad rows.
    ``files`` names another set of the seven (the samples as another office wrote them)."""
    files = files or SampleFiles()
    password = tmp_path / "pw"
    password.write_text("Rahasia-Sawahlunto-2025\n")
    call_command(
        "setup", "--instansi", "Pemerintah Kota Sawahlunto", "--code", "sawahlunto",
        "--kind", "kota", "--admin", "admin.bkpsdm", "--password-file", str(password),
        "--no-input",
    )  # fmt: skip
    call_command("import_employees", str(files.siasn), "--create-units", "--partial")
    call_command(
        "import_training", str(files.attendance), "--programme", "PP-2025",
        "--title", "Pelatihan Pelayanan Prima dan Etika Kerja ASN",
        "--start", "2025-06-24", "--end", "2025-06-26", "--jp", "24", "--partial",
    )  # fmt: skip
    call_command("import_scores", str(files.scores), "--programme", "PP-2025", "--partial")
    call_command("import_reaction", str(files.reaction), "--programme", "PP-2025", "--partial")
    call_command("import_skm", str(files.skm_gforms), "--unit", "Disdukcapil")
    call_command("import_skm", str(files.skm_eskm), "--unit", "DPMPTSP")
    call_command("import_complaints", str(files.lapor), "--partial")

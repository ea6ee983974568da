"""Write a 100,000-row employee workbook (once) for the import and list benchmarks.

    .venv/bin/python bench/gen_employees.py [ROWS] [--siasn]

Two shapes. The Kompeten template (bench/out/employees-<ROWS>.xlsx): one header row with the
employee list's own export headers, supervisors in `NIP ATASAN`. The SIASN export
(bench/out/employees-siasn-<ROWS>.xlsx, ``--siasn``): title rows above the header as SIASN's
"Layanan Data" writes them, SIASN's own headers and values (`NIP BARU` as text, `JENIS KELAMIN`
M/F, `TANGGAL LAHIR` dd-mm-yyyy text, `STATUS CPNS PNS` P/C, `GOL AKHIR NAMA`, `JENIS JABATAN
NAMA` "Jabatan Struktural"…, `TINGKAT PENDIDIKAN NAMA` "S-1/Sarjana", `KEDUDUKAN HUKUM NAMA`,
`UNOR ID`/`UNOR NAMA`/`UNOR INDUK NAMA`) and columns the import ignores (PNS ID, NIP LAMA, NIK…).

Units come from :func:`unit_specs`, a generated tree (1 root, 40 OPD, 6 bidang each, 4 seksi under
each bidang) that the benchmarks create in their database before importing (the SIASN file's
UNOR ID is the unit code). Every unit has a head; staff report to their unit's head; a head
reports to the head of the parent unit. NIPs are valid (kompeten.demo.nips.NipFactory).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
HEADERS = [
    "NIP",
    "NAMA",
    "GELAR DEPAN",
    "GELAR BELAKANG",
    "JENIS KELAMIN",
    "TANGGAL LAHIR",
    "STATUS",
    "GOLONGAN",
    "GOLONGAN PPPK",
    "JENIS JABATAN",
    "NAMA JABATAN",
    "PENDIDIKAN",
    "KODE UNIT",
    "UNIT KERJA",
    "NIP ATASAN",
    "AKTIF",
]
SIASN_HEADERS = [
    "PNS ID",
    "NIP BARU",
    "NIP LAMA",
    "NAMA",
    "GELAR DEPAN",
    "GELAR BELAKANG",
    "TEMPAT LAHIR NAMA",
    "TANGGAL LAHIR",
    "JENIS KELAMIN",
    "AGAMA NAMA",
    "NIK",
    "NOMOR HP",
    "EMAIL",
    "JENIS PEGAWAI NAMA",
    "KEDUDUKAN HUKUM NAMA",
    "STATUS CPNS PNS",
    "GOL AKHIR NAMA",
    "TMT GOLONGAN",
    "JENIS JABATAN NAMA",
    "JABATAN NAMA",
    "TMT JABATAN",
    "TINGKAT PENDIDIKAN NAMA",
    "PENDIDIKAN NAMA",
    "UNOR ID",
    "UNOR NAMA",
    "UNOR INDUK NAMA",
    "INSTANSI KERJA NAMA",
]
SIASN_TITLE = [
    "DATA PEGAWAI ASN PEMERINTAH KOTA BENCH",
    "Sumber: SIASN BKN - Layanan Data, diunduh 02-12-2026 09:14",
    "",
]
SIASN_KIND = {
    "JPT": "Jabatan Struktural",
    "Administrator": "Jabatan Struktural",
    "Pengawas": "Jabatan Struktural",
    "Fungsional": "Jabatan Fungsional Tertentu",
    "Pelaksana": "Jabatan Fungsional Umum",
}
SIASN_POST = {0: "Kepala Dinas", 1: "Kepala Bidang", 2: "Kepala Seksi"}
SIASN_EDUCATION = {"S1": "S-1/Sarjana", "S-1": "S-1/Sarjana", "D3": "D-III", "SMA": "SLTA"}
FIRST = ["Andi", "Budi", "Dewi", "Fitri", "Hendra", "Indah", "Joni", "Rahmi", "Sari", "Yusuf"]
LAST = ["Putra", "Saputra", "Hidayat", "Lestari", "Wulandari", "Rahman", "Siregar", "Nasution"]


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    parent: str | None
    kind: str


def unit_specs() -> list[UnitSpec]:
    specs = [UnitSpec("PEMKOT", "Pemerintah Kota Bench", None, "lainnya")]
    for o in range(1, 41):
        opd = f"OPD{o:02d}"
        specs.append(UnitSpec(opd, f"Dinas Bench {o:02d}", "PEMKOT", "dinas"))
        for b in range(1, 7):
            bid = f"{opd}-B{b}"
            specs.append(UnitSpec(bid, f"Bidang {b} Dinas Bench {o:02d}", opd, "bagian"))
            for s in range(1, 5):
                specs.append(
                    UnitSpec(f"{bid}-S{s}", f"Seksi {s} Bidang {b} Dinas {o:02d}", bid, "bagian")
                )
    return specs


def create_units(instansi):  # type: ignore[no-untyped-def]
    """The unit tree of :func:`unit_specs` in the database, by code (needs Django set up)."""
    from kompeten.people.actions import compute_path
    from kompeten.people.models import Unit

    made: dict[str, Unit] = {}
    for spec in unit_specs():
        parent = made.get(spec.parent or "")
        unit_path, depth = compute_path(parent, spec.code)
        made[spec.code] = Unit.objects.create(
            instansi=instansi,
            parent=parent,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            path=unit_path,
            depth=depth,
        )
    return made


def rows(n: int, seed: int = 7) -> Iterator[list[object]]:
    """Rows in supervisor order: every head precedes the people who report to them."""
    from kompeten.demo.nips import NipFactory

    rng = random.Random(seed)
    nips = NipFactory(seed=seed)
    specs = unit_specs()
    depth = {s.code: s.code.count("-") + (0 if s.parent else -1) for s in specs}
    kinds = {0: "JPT", 1: "Administrator", 2: "Pengawas"}
    heads: dict[str, str] = {}

    def person(unit: UnitSpec, supervisor: str, head_level: int | None) -> list[object]:
        sex = rng.choice("LP")
        birth = date(rng.randint(1966, 2000), rng.randint(1, 12), rng.randint(1, 28))
        pppk = head_level is None and rng.random() < 0.2
        if pppk:
            nip = nips.pppk(birth, rng.randint(max(2019, birth.year + 19), 2025), sex)
        else:
            nip = nips.pns(birth, rng.randint(birth.year + 19, 2024), rng.randint(1, 12), sex)
        kind = kinds.get(head_level or 0, "Pengawas") if head_level is not None else None
        if kind is None:
            kind = rng.choice(["Fungsional", "Pelaksana", "Pelaksana"])
        return [
            nip,
            f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "",
            rng.choice(["S.E.", "S.Kom.", "", "M.Si."]),
            sex,
            datetime(birth.year, birth.month, birth.day),
            "PPPK" if pppk else rng.choice(["PNS", "PNS", "CPNS"]),
            "" if pppk else rng.choice(["II/c", "III/a", "III/B", "3c", "IV/a"]),
            str(rng.randint(5, 11)) if pppk else "",
            kind,
            "Kepala" if head_level is not None else "Pengadministrasi Umum",
            rng.choice(["S1", "S-1", "D3", "SMA", "S2"]),
            unit.code,
            unit.name,
            supervisor,
            "Ya",
        ]

    written = 0
    for spec in specs:  # heads first, parents before children (specs are in tree order)
        if written >= n:
            return
        level = max(0, depth[spec.code])
        row = person(spec, heads.get(spec.parent or "", ""), level)
        heads[spec.code] = str(row[0])
        written += 1
        yield row
    leaves = [s for s in specs if s.parent is not None]
    while written < n:
        unit = leaves[written % len(leaves)]
        yield person(unit, heads[unit.code], None)
        written += 1


def siasn_rows(n: int, seed: int = 7) -> Iterator[list[object]]:
    """The same people as :func:`rows`, written as a SIASN export writes them."""
    specs = {s.code: s for s in unit_specs()}
    index = {h: i for i, h in enumerate(HEADERS)}
    for number, row in enumerate(rows(n, seed), start=1):
        value = dict(zip(HEADERS, row, strict=True))
        unit = specs[str(value["KODE UNIT"])]
        parent = specs.get(unit.parent or "")
        birth = row[index["TANGGAL LAHIR"]]
        assert isinstance(birth, datetime)
        pppk = value["STATUS"] == "PPPK"
        kind = str(value["JENIS JABATAN"])
        head = value["NAMA JABATAN"] == "Kepala"
        post = (
            ("Sekretaris Daerah" if parent is None else SIASN_POST[unit.code.count("-")])
            if head
            else str(value["NAMA JABATAN"])
        )
        education = str(value["PENDIDIKAN"])
        yield [
            f"A8ACA7{number:026X}",
            value["NIP"],
            "",
            str(value["NAMA"]).upper(),
            "",
            value["GELAR BELAKANG"],
            "SAWAHLUNTO",
            birth.strftime("%d-%m-%Y"),
            "M" if value["JENIS KELAMIN"] == "L" else "F",
            "Islam",
            f"1373{number:012d}",
            f"08{number:010d}",
            "",
            "PPPK" if pppk else "PNS Daerah Otonom",
            "Aktif",
            "" if pppk else ("C" if value["STATUS"] == "CPNS" else "P"),
            {"5": "V", "6": "VI", "7": "VII", "8": "VIII", "9": "IX", "10": "X", "11": "XI"}[
                str(value["GOLONGAN PPPK"])
            ]
            if pppk
            else value["GOLONGAN"],
            "01-04-2024",
            SIASN_KIND[kind],
            post,
            "02-01-2024",
            SIASN_EDUCATION.get(education, education),
            f"{education} ADMINISTRASI NEGARA",
            unit.code,
            unit.name.upper(),
            parent.name.upper() if parent else "PEMERINTAH KOTA BENCH",
            "Pemerintah Kota Bench",
        ]


def write(n: int = 100_000, path: Path | None = None, *, siasn: bool = False) -> Path:
    import xlsxwriter

    path = path or OUT / f"employees-{'siasn-' if siasn else ''}{n}.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Sheet1" if siasn else "Data Pegawai")
    date_format = workbook.add_format({"num_format": "dd-mm-yyyy"})
    first = 0
    if siasn:
        for r, title in enumerate(SIASN_TITLE):
            if title:
                sheet.write_string(r, 0, title)
        first = len(SIASN_TITLE)
    sheet.write_row(first, 0, SIASN_HEADERS if siasn else HEADERS)
    for r, row in enumerate(siasn_rows(n) if siasn else rows(n), start=first + 1):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, date_format)
            elif value != "":
                sheet.write_string(r, c, str(value))
    workbook.close()
    return path


def ensure(n: int = 100_000, *, siasn: bool = False) -> Path:
    """The workbook for `n` rows, written the first time it is asked for."""
    path = OUT / f"employees-{'siasn-' if siasn else ''}{n}.xlsx"
    if not path.exists():
        write(n, path, siasn=siasn)
    return path


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 100_000
    started = time.perf_counter()
    target = write(count, siasn="--siasn" in sys.argv)
    print(f"{count:,} rows → {target} ({time.perf_counter() - started:.1f} s)")

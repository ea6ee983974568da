"""The employee import's reading of the sources' spellings (SIASN, the Kompeten template, others)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kompeten.people.imports import (
    parse_active,
    parse_education,
    parse_golongan,
    parse_jabatan_kind,
    structural_level,
)


def _spellings(parse: Callable[[str], object], *cases: tuple[str, object]) -> list[Any]:
    """One case per (spelling, value read) of ``parse``, named after the field and the spelling."""
    field = parse.__name__.removeprefix("parse_")
    return [pytest.param(parse, raw, expected, id=f"{field}:{raw}") for raw, expected in cases]


@pytest.mark.parametrize(
    ("parse", "raw", "expected"),
    [
        *_spellings(
            parse_golongan,
            ("III/a", "III/a"),
            ("III/A", "III/a"),
            ("3A", "III/a"),
            ("4/e", "IV/e"),
            ("Penata Muda (III/a)", "III/a"),
            ("V/a", "V/a"),
            ("Penata Muda / III/a", "III/a"),  # SIMPEG's "Pangkat/Gol"
            ("Pembina Utama Muda - IV/c", "IV/c"),
            ("Pembina Tk.I, IV/b", "IV/b"),
            ("Juru Muda I/a", "I/a"),  # after the pangkat and a space
            ("III/b - Penata Muda Tk.I", "III/b"),  # the golongan first
            ("II/c Pengatur", "II/c"),
            # the pangkat alone (PP 99/2000 jo. PP 12/2002, Lampiran I)
            ("Penata Muda Tk. I", "III/b"),
            ("PEMBINA UTAMA MUDA", "IV/c"),
            ("Pengatur Tingkat I", "II/d"),
            ("Penata Muda Tingkat II", "Penata Muda Tingkat II"),  # no such pangkat: validation
            ("Golongan III", "Golongan III"),
            ("Gol. III/a", "III/a"),  # the word before it
            ("Golongan IV/b", "IV/b"),
            ("Gol/Ruang: II/c", "II/c"),
        ),
        *_spellings(
            parse_education,
            ("S1", "S-1"),
            ("S-1", "S-1"),
            ("D3", "D-III"),
            ("D-III", "D-III"),
            ("SMA", "SLTA"),
            ("SMK", "SLTA"),
            ("D IV", "D-IV"),
            # SIASN's TINGKAT PENDIDIKAN
            ("S-1/Sarjana", "S-1"),
            ("S-2", "S-2"),
            ("SLTA", "SLTA"),
            ("D-IV/Sarjana Terapan", "D-IV"),
            ("Diploma III/Sarjana Muda", "D-III"),
            ("PASCA SARJANA", "S-2"),
            ("Strata I", "S-1"),
            ("Strata II", "S-2"),
        ),
        *_spellings(
            parse_jabatan_kind,
            ("JPT Pratama", ("jpt", None)),
            ("Struktural eselon III", ("administrator", None)),
            ("Struktural Pengawas", ("pengawas", None)),
            ("Fungsional Tertentu", ("fungsional", None)),
            ("Fungsional Umum", ("pelaksana", None)),
            ("pelaksana", ("pelaksana", None)),
            # SIMPEG's Eselon column
            ("II.b", ("jpt", None)),
            ("III.a", ("administrator", None)),
            ("IV/a", ("pengawas", None)),
            ("Eselon III.b", ("administrator", None)),
        ),
    ],
)
def test_a_source_s_spelling_reads_as_kompeten_s_value(parse, raw, expected) -> None:
    assert parse(raw) == expected


@pytest.mark.parametrize(
    ("post", "expected"),
    [
        ("Kepala Dinas", "jpt"),
        ("Kepala Badan", "jpt"),
        ("Kepala Satuan", "jpt"),
        ("Direktur Rumah Sakit Umum Daerah", "jpt"),
        ("Sekretaris", "administrator"),
        ("Camat", "administrator"),
        ("Sekretaris Camat", "administrator"),
        ("Kepala Bidang Pelayanan Pendaftaran Penduduk", "administrator"),
        ("Kepala Bagian Umum dan Keuangan", "administrator"),
        ("Kepala Seksi Pemerintahan", "pengawas"),
        ("Kepala Sub Bagian Umum", "pengawas"),
        ("Kepala Uptd Puskesmas Talawi", "pengawas"),
        ("Lurah Durian Ii", "pengawas"),
        ("Pengadministrasi Umum", None),
    ],
)
def test_a_structural_post_says_its_level_by_its_name(post, expected) -> None:
    assert structural_level(post) == expected


def test_siasn_jenis_jabatan_is_read_with_the_post_name() -> None:
    assert parse_jabatan_kind("Jabatan Struktural", "Kepala Seksi Pelayanan Umum") == (
        "pengawas",
        None,
    )
    assert parse_jabatan_kind("Jabatan Fungsional Tertentu") == ("fungsional", None)
    assert parse_jabatan_kind("Jabatan Fungsional Umum") == ("pelaksana", None)
    _kind, problem = parse_jabatan_kind("Jabatan Struktural", "Penata Kelola")
    assert problem is not None and "Struktural" in problem


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Aktif", True),
        ("Tugas Belajar", True),
        ("Pensiun", False),
        ("Meninggal Dunia", False),
        ("Pemberhentian dengan Hormat tidak atas Permintaan Sendiri", False),
        ("Pensiun Janda/Duda", False),
        ("", True),
        ("Tidak jelas", None),
    ],
)
def test_siasn_kedudukan_hukum(raw, expected) -> None:
    assert parse_active(raw) is expected


def test_an_ended_kedudukan_says_why() -> None:
    from kompeten.people.imports.values import end_reason

    assert [end_reason(v) for v in ("Pensiun", "Meninggal Dunia", "Mutasi Keluar",
            "Pemberhentian dengan Hormat", "Tidak", "Aktif", "CLTN")] == [
        "pensiun", "meninggal", "mutasi", "berhenti", "", "", ""]  # fmt: skip


def test_non_eselon_is_read_with_the_post_name() -> None:
    assert parse_jabatan_kind("Non Eselon", "Analis Kebijakan Ahli Muda") == ("fungsional", None)
    assert parse_jabatan_kind("Non Eselon", "Guru Kelas") == ("fungsional", None)
    assert parse_jabatan_kind("Non Eselon", "Pengadministrasi Umum") == ("pelaksana", None)

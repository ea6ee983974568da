"""The employee import's reading of the sources' spellings (SIASN, the Kompeten template, others)."""

from __future__ import annotations

import pytest

from kompeten.people.imports import (
    parse_active,
    parse_education,
    parse_jabatan_kind,
    structural_level,
)


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
        ("S-1/Sarjana", "S-1"),
        ("S-2", "S-2"),
        ("D-III", "D-III"),
        ("SLTA", "SLTA"),
        ("D-IV/Sarjana Terapan", "D-IV"),
    ],
)
def test_siasn_tingkat_pendidikan(raw, expected) -> None:
    assert parse_education(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Aktif", True),
        ("Tugas Belajar", True),
        ("Pensiun", False),
        ("Meninggal Dunia", False),
        ("", True),
        ("Tidak jelas", None),
    ],
)
def test_siasn_kedudukan_hukum(raw, expected) -> None:
    assert parse_active(raw) is expected

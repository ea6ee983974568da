"""A minimal SIMPEG list (NIP, name, post, unit, golongan, education) without the columns its NIP
and its post's name already say: birth date and sex from the NIP (Peraturan Kepala BKN 22/2007:
digits 1–8 the birth date, digit 15 the sex), the jenis jabatan from the post's name."""

from __future__ import annotations

from datetime import date

import pytest

from kompeten.core import importing as imp
from kompeten.people.imports import import_employees
from kompeten.people.imports.values import kind_of_post
from kompeten.people.models import Employee
from tests.people.importing import person, xlsx_bytes

MINIMAL = ["NIP", "NAMA", "NAMA JABATAN", "GOLONGAN", "PENDIDIKAN", "KODE UNIT"]
WITHOUT_EDUCATION = [h for h in MINIMAL if h != "PENDIDIKAN"]


def _minimal(world, rows: list[dict[str, object]], headers=MINIMAL):
    return import_employees(
        xlsx_bytes(rows, headers), "simpeg.xlsx", instansi=world.instansi, user=world.alice
    )


def test_birth_date_and_sex_come_from_the_nip_when_the_file_has_no_such_columns(world) -> None:
    """NIP 19750312 200003 2 004 says born 12 March 1975, perempuan."""
    woman = person("ALFA-LAY", "Sari Minimal", sex="P", birth=date(1975, 3, 12))
    man = person("BETA", "Budi Minimal", birth=date(1978, 11, 30))
    plan, outcome = _minimal(world, [woman, man])
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    assert str(woman["NIP"])[:8] == "19750312" and str(woman["NIP"])[14] == "2"
    stored = {e.nip: (e.birth_date, e.sex) for e in Employee.objects.filter(name__endswith="imal")}
    assert stored == {
        woman["NIP"]: (date(1975, 3, 12), "P"),
        man["NIP"]: (date(1978, 11, 30), "L"),
    }


def test_a_blank_birth_date_or_sex_cell_is_read_from_the_nip_and_a_written_one_still_checked(
    world,
) -> None:
    blank = person("ALFA-LAY", "Rina Kosong", sex="P", birth=date(1976, 5, 6))
    blank["JENIS KELAMIN"], blank["TANGGAL LAHIR"] = "", ""
    wrong = person("BETA", "Tono Salah", birth=date(1977, 7, 8))
    wrong["TANGGAL LAHIR"] = date(1977, 7, 9)  # not the NIP's: still refused
    plan, outcome = import_employees(
        xlsx_bytes([blank, wrong]), "pegawai.xlsx", instansi=world.instansi, user=world.alice
    )
    assert outcome is None
    problems = [(p.row, p.field, p.message) for p in plan.problems]
    assert [(row, field) for row, field, _message in problems] == [(3, "nip")]
    assert "tanggal lahir" in problems[0][2].lower()
    plan, outcome = import_employees(
        xlsx_bytes([blank]), "pegawai.xlsx", instansi=world.instansi, user=world.alice
    )
    assert outcome is not None
    stored = Employee.objects.get(nip=blank["NIP"])
    assert (stored.birth_date, stored.sex) == (date(1976, 5, 6), "P")


def test_the_jenis_jabatan_comes_from_the_posts_name_and_an_unclear_post_is_named(world) -> None:
    posts = {
        "Kepala Seksi Pelayanan": "pengawas",
        "Kepala Bidang Layanan": "administrator",
        "Pranata Komputer Ahli Pertama": "fungsional",
        "Guru Kelas": "fungsional",
        "Pengadministrasi Perkantoran": "pelaksana",
    }
    rows = []
    for post in posts:
        row = person("ALFA-LAY", f"Pegawai {post}")
        row["NAMA JABATAN"] = post
        rows.append(row)
    unclear = person("BETA", "Pegawai Tak Jelas")
    unclear["NAMA JABATAN"] = "Koordinator Wilayah"
    plan, outcome = _minimal(world, [*rows, unclear])
    assert outcome is None
    problems = [(p.row, p.field, p.message) for p in plan.problems]
    assert problems == [
        (
            len(rows) + 2,
            "jabatan_kind",
            "Jenis jabatan kosong dan nama jabatan 'Koordinator Wilayah' tidak menunjukkannya: "
            "isi JPT, Administrator, Pengawas, Fungsional atau Pelaksana.",
        )
    ]
    plan, outcome = _minimal(world, rows)
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    stored = dict(
        Employee.objects.filter(nip__in=[r["NIP"] for r in rows]).values_list(
            "jabatan_name", "jabatan_kind"
        )
    )
    assert stored == posts


def test_a_written_jenis_jabatan_wins_over_the_posts_name(world) -> None:
    row = person("ALFA-LAY", "Ani Fungsional", sex="P")
    row["NAMA JABATAN"], row["JENIS JABATAN"] = "Pengelola Data", "Fungsional"
    plan, outcome = import_employees(
        xlsx_bytes([row]), "pegawai.xlsx", instansi=world.instansi, user=world.alice
    )
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    assert Employee.objects.get(nip=row["NIP"]).jabatan_kind == "fungsional"


@pytest.mark.parametrize(
    ("post", "kind"),
    [
        ("Kepala Dinas Kesehatan", "jpt"),
        ("Sekretaris Camat", "administrator"),
        ("Lurah Kubang Tangah", "pengawas"),
        ("Kepala Sekolah SD Negeri 01", "fungsional"),
        ("Perawat Terampil", "fungsional"),
        ("Polisi Pamong Praja Pemula", "fungsional"),
        ("Penata Layanan Operasional", "pelaksana"),
        ("Operator Layanan Operasional", "pelaksana"),
        ("Analis Kebijakan Ahli Muda", "fungsional"),
        ("Penyidik Pegawai Negeri Sipil", "fungsional"),
        ("Penelaah Teknis Kebijakan", "pelaksana"),
        ("Koordinator Wilayah", None),
        ("", None),
    ],
)
def test_kind_of_post(post: str, kind: str | None) -> None:
    assert kind_of_post(post) == kind


def test_a_row_whose_nip_is_not_one_is_refused_for_its_nip_alone(world) -> None:
    """Its blank sex, birth date and status would come from the NIP: the NIP's problem is the
    row's one reason, not four."""
    row = person("ALFA-LAY", "Nip Rusak")
    row["NIP"] = str(row["NIP"])[:8] + "200013" + "1001"  # month 13: not a NIP
    plan, outcome = _minimal(world, [row])
    assert outcome is None
    assert [(p.field, p.message) for p in plan.problems] == [
        ("nip", "TMT CPNS pada NIP (digit 9–14) bukan bulan yang sah")
    ]


def test_a_list_without_education_is_imported_and_a_later_one_with_it_fills_it(
    client, world
) -> None:
    """Education cannot be read from anything else: it stays unknown, the employee's page says
    so, a later list with the column fills it, and a list without the column keeps it."""
    row = person("ALFA-LAY", "Tanpa Pendidikan")
    plan, outcome = _minimal(world, [row], WITHOUT_EDUCATION)
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    stored = Employee.objects.get(nip=row["NIP"])
    assert stored.education == ""
    client.force_login(world.alice)
    page = client.get(f"/pegawai/{stored.pk}/").content.decode()
    assert "<dt>Pendidikan</dt><dd>belum tercatat</dd>" in page
    _minimal(world, [row])
    assert Employee.objects.get(nip=row["NIP"]).education == "S-1"
    plan, outcome = _minimal(world, [row], WITHOUT_EDUCATION)
    assert outcome is not None and outcome.written["tetap"] == 1
    assert Employee.objects.get(nip=row["NIP"]).education == "S-1"


def test_a_written_education_that_is_not_one_is_still_refused(world) -> None:
    row = person("ALFA-LAY", "Salah Pendidikan")
    row["PENDIDIKAN"] = "Kursus"
    plan, outcome = _minimal(world, [row])
    assert outcome is None
    assert [p.field for p in plan.problems] == ["education"]


def test_a_pangkat_column_alone_gives_the_golongan_and_a_golongan_column_wins(world) -> None:
    """SIMPEG lists writing only the pangkat's name: its golongan is PP 99/2000's (Lampiran I:
    Penata Muda Tingkat I is III/b). Beside a Golongan column the golongan written is kept, and
    a pangkat that says another one is named on the preview."""
    headers = ["NIP", "NAMA", "NAMA JABATAN", "PANGKAT", "KODE UNIT"]
    ranks = {"Penata Muda Tk. I": "III/b", "Pembina Utama Muda": "IV/c", "Pengatur": "II/c"}
    # first, as no mapping is remembered yet (a confirmed mapping is kept for the next file)
    both = person("ALFA-LAY", "Pegawai Dua Kolom")
    both["PANGKAT"], both["GOLONGAN"] = "Penata", "III/d"
    plan, outcome = _minimal(world, [both], [*headers, "GOLONGAN"])
    assert outcome is not None
    assert (plan.mapping["PANGKAT"], plan.mapping["GOLONGAN"]) == ("pangkat", "golongan")
    assert Employee.objects.get(nip=both["NIP"]).golongan == "III/d"
    assert plan.warnings == [
        (
            2,
            "Pangkat 'Penata' adalah golongan III/c, tidak sesuai dengan golongan III/d di "
            "barisnya; yang disimpan golongan III/d.",
        )
    ]

    rows = []
    for n, (pangkat, _golongan) in enumerate(ranks.items()):
        row = person("ALFA-LAY", f"Pegawai Pangkat {n}")
        row["PANGKAT"] = pangkat
        rows.append(row)
    plan, outcome = _minimal(world, rows, headers)
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    stored = dict(
        Employee.objects.filter(name__startswith="Pegawai Pangkat").values_list("nip", "golongan")
    )
    assert stored == {
        row["NIP"]: golongan for row, golongan in zip(rows, ranks.values(), strict=True)
    }

    unknown = person("ALFA-LAY", "Pegawai Tak Dikenal")
    unknown["PANGKAT"] = "Penata Muda Tingkat II"
    plan, outcome = _minimal(world, [unknown], headers)
    assert outcome is None
    # the problem is the Pangkat column's, the one the file wrote
    assert [(p.row, p.field) for p in plan.problems] == [(2, "pangkat")]


def test_a_pangkat_beside_a_golongan_is_checked_row_by_row(world) -> None:
    """Each row's pangkat against its own golongan (PP 99/2000, Lampiran I): a match says
    nothing, an unknown pangkat is named, a row whose golongan cell is blank takes its
    pangkat's, and a PPPK (no pangkat) is never compared."""
    headers = ["NIP", "NAMA", "NAMA JABATAN", "PANGKAT", "GOL", "KODE UNIT"]
    rows = [person("ALFA-LAY", f"Pegawai Cek {n}") for n in range(4)]
    rows[0]["PANGKAT"], rows[0]["GOL"] = "Penata Muda Tk. I", "III/b"
    rows[1]["PANGKAT"], rows[1]["GOL"] = "Penata Madya", "III/b"
    rows[2]["PANGKAT"], rows[2]["GOL"] = "Pembina Tk. I", ""
    rows[3]["PANGKAT"], rows[3]["GOL"] = "Penata Muda Tk.I", "3b"
    rows.append(person("ALFA-LAY", "Pegawai Cek 4", status="PPPK"))
    rows[4]["PANGKAT"], rows[4]["GOL"] = "-", "IX"
    plan, outcome = _minimal(world, rows, headers)
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    stored = {
        name: (golongan, grade)
        for name, golongan, grade in Employee.objects.filter(
            name__startswith="Pegawai Cek"
        ).values_list("name", "golongan", "pppk_grade")
    }
    assert stored == {
        "Pegawai Cek 0": ("III/b", ""),
        "Pegawai Cek 1": ("III/b", ""),
        "Pegawai Cek 2": ("IV/b", ""),
        "Pegawai Cek 3": ("III/b", ""),
        "Pegawai Cek 4": ("", "9"),
    }
    assert plan.warnings == [
        (3, "Pangkat 'Penata Madya' tidak dikenal (PP 99/2000); yang disimpan golongan III/b.")
    ]


def test_a_pangkat_in_the_golongan_cell_is_checked_as_one_beside_it(world) -> None:
    """A SIMPEG list writing "Pangkat/Gol" in one cell: the pangkat named there is checked
    against the golongan beside it (PP 99/2000, Lampiran I: Penata is III/c, Penata Muda Tk. I
    III/b), as a Pangkat column is; the golongan written is the one kept."""
    headers = ["NIP", "NAMA", "NAMA JABATAN", "PANGKAT/GOL", "KODE UNIT"]
    cells = [
        "Penata (III/d)",
        "Penata Muda Tk. I (III/b)",
        "III/b - Penata Muda Tk.I",
        "IV/a - Penata",
        "Gol. III/a",
        "Penata Muda / III/a",
        "Gol. III/b - Penata Muda",
    ]
    rows = [person("ALFA-LAY", f"Pegawai Sel {n}") for n in range(len(cells))]
    for row, cell in zip(rows, cells, strict=True):
        row["PANGKAT/GOL"] = cell
    plan, outcome = _minimal(world, rows, headers)
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    stored = dict(
        Employee.objects.filter(name__startswith="Pegawai Sel").values_list("name", "golongan")
    )
    assert stored == {
        "Pegawai Sel 0": "III/d",
        "Pegawai Sel 1": "III/b",
        "Pegawai Sel 2": "III/b",
        "Pegawai Sel 3": "IV/a",
        "Pegawai Sel 4": "III/a",
        "Pegawai Sel 5": "III/a",
        "Pegawai Sel 6": "III/b",
    }
    assert plan.warnings == [
        (
            2,
            "Pangkat 'Penata' adalah golongan III/c, tidak sesuai dengan golongan III/d di "
            "barisnya; yang disimpan golongan III/d.",
        ),
        (
            5,
            "Pangkat 'Penata' adalah golongan III/c, tidak sesuai dengan golongan IV/a di "
            "barisnya; yang disimpan golongan IV/a.",
        ),
        (
            8,
            "Pangkat 'Penata Muda' adalah golongan III/a, tidak sesuai dengan golongan III/b di "
            "barisnya; yang disimpan golongan III/b.",
        ),
    ]

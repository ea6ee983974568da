"""SKP ratings and discipline records: actions, all-or-nothing imports, the upload page."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from kompeten.core import importing as imp
from kompeten.records.actions import do_add_discipline_record, do_set_skp_rating
from kompeten.records.models import DisciplineRecord, SkpRating
from tests.workbooks import xlsx_rows


def test_the_predikat_is_derived_from_the_two_ratings(world) -> None:  # type: ignore[no-untyped-def]
    r = do_set_skp_rating(
        actor=world.alice,
        employee=world.dave_emp,
        year=2025,
        hasil_kerja="Di Atas Ekspektasi",
        perilaku="sesuai",
    )
    assert (r.hasil_kerja, r.perilaku, r.predikat) == ("di_atas", "sesuai", "baik")
    again = do_set_skp_rating(actor=world.alice, employee=world.dave_emp, year=2025, score=85)
    assert again.pk == r.pk and again.predikat == "" and float(again.score) == 85.0


def test_it_refuses_both_or_neither_kind_of_skp(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="salah satu"):
        do_set_skp_rating(
            actor=None,
            employee=world.dave_emp,
            year=2025,
            hasil_kerja="sesuai",
            perilaku="sesuai",
            score=80,
        )
    with pytest.raises(ValidationError, match="Isi hasil kerja dan perilaku, atau predikat"):
        do_set_skp_rating(actor=None, employee=world.dave_emp, year=2025)
    with pytest.raises(ValidationError, match="0–100"):
        do_set_skp_rating(actor=None, employee=world.dave_emp, year=2025, score=150)


def test_a_discipline_record_needs_a_known_level(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="ringan, sedang atau berat"):
        do_add_discipline_record(
            actor=None, employee=world.dave_emp, day=date(2025, 1, 2), level="parah"
        )
    rec = do_add_discipline_record(
        actor=None, employee=world.dave_emp, day=date(2025, 1, 2), level="Sedang"
    )
    assert rec.level == "sedang"


@pytest.mark.parametrize("typed", ["kemarin", "31-02-2025", "01-01-0001"])
def test_an_unreadable_discipline_date_on_the_page_is_a_message(world, client, typed) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.alice)
    url = reverse("records:employee", kwargs={"pk": world.dave_emp.pk})
    response = client.post(url, {"date": typed, "level": "ringan"}, follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [f"Tanggal {typed!r} tidak dapat dibaca (dd-mm-yyyy)."]
    assert not DisciplineRecord.objects.exists()


def run(kind: str, world, data: bytes, name: str = "f.xlsx", *, instansi=None, partial=False):  # type: ignore[no-untyped-def]
    plan = imp.plan(
        kind, data, name, instansi=instansi or world.instansi, user=world.alice, options={}
    )
    if plan.file_problems or not (partial or plan.is_clean):
        return plan, None
    return plan, imp.commit(plan, partial=partial)


def test_a_good_skp_file_imports_and_a_second_run_changes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx_rows(
        [
            ["REKAP SKP 2025"],
            [],
            ["NIP", "Tahun", "Hasil Kerja", "Perilaku", "Nilai SKP"],
            [world.dave_emp.nip, 2025, "Sesuai Ekspektasi", "Di Atas Ekspektasi", ""],
            [world.erin_emp.nip, 2024, "", "", 88],
        ]
    )
    plan, outcome = run("skp", world, data)
    assert plan.header_row == 3
    assert outcome is not None and outcome.written == {"baru": 2, "berubah": 0}
    assert SkpRating.objects.get(employee=world.dave_emp).predikat == "baik"
    _plan, again = run("skp", world, data)
    assert again is not None and again.written == {"baru": 0, "berubah": 0}


@pytest.mark.parametrize(
    ("written", "year"),
    [
        (2025, 2025),
        (2025.0, 2025),
        ("2025", 2025),
        ("Tahunan 2025", 2025),
        ("Januari - Desember 2025", 2025),
        ("01-01-2025 s.d. 31-12-2025", 2025),
    ],
)
def test_the_year_is_read_from_a_period_as_e_kinerja_writes_it(world, written, year) -> None:  # type: ignore[no-untyped-def]
    rating = do_set_skp_rating(
        actor=None, employee=world.dave_emp, year=written, hasil_kerja="Sesuai", perilaku="Sesuai"
    )
    assert rating.year == year


@pytest.mark.parametrize("written", ["Juli 2024 - Juni 2025", "2024/2025", "", "tahun ini", 12025])
def test_a_period_of_two_years_or_none_is_refused(world, written) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        do_set_skp_rating(
            actor=None,
            employee=world.dave_emp,
            year=written,
            hasil_kerja="Sesuai",
            perilaku="Sesuai",
        )
    assert exc.value.message_dict["year"] == ["Tahun harus bilangan 2000–2100."]


def test_a_bad_skp_file_saves_nothing_and_names_row_column_and_problem(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx_rows(
        [
            ["NIP", "Tahun", "Hasil Kerja", "Perilaku"],
            [world.dave_emp.nip, 2025, "Sesuai", "Sesuai"],
            ["199999999999999999", 2025, "Sesuai", "Sesuai"],
            [world.erin_emp.nip, 2025, "Luar biasa", "Sesuai"],
            [world.dave_emp.nip, 2025, "Sesuai", "Sesuai"],
        ]
    )
    plan, outcome = run("skp", world, data)
    assert outcome is None
    assert [(p.row, p.column) for p in plan.problems] == [(4, "Hasil Kerja"), (5, "Tahun")]
    [unknown] = plan.pending_rows[:1]
    assert unknown.number == 3 and unknown.pending_reason == "person_unknown"
    assert SkpRating.objects.count() == 0


def test_an_skp_row_for_an_unknown_nip_completes_once_the_employee_exists(world) -> None:  # type: ignore[no-untyped-def]
    from tests import factories

    newcomer_nip = "199001012020121001"
    data = xlsx_rows([["NIP", "Tahun", "Nilai SKP"], [newcomer_nip, 2025, 80]])
    _plan, outcome = run("skp", world, data, partial=True)
    assert outcome is not None and outcome.pending == 1
    newcomer = factories.make_employee(
        world.alfa, "Pendatang Baru", nip=newcomer_nip, birth_date=date(1990, 1, 1), sex="L"
    )
    assert imp.retry_pending(world.instansi, world.alice) == 1
    assert SkpRating.objects.get(employee=newcomer).score == 80


def test_an_skp_file_of_another_instansi_finds_no_one(world) -> None:  # type: ignore[no-untyped-def]
    from kompeten.core.models import Instansi

    other = Instansi.objects.get(code="kab-lain")
    data = xlsx_rows([["NIP", "Tahun", "Nilai SKP"], [world.dave_emp.nip, 2025, 80]])
    plan, outcome = run("skp", world, data, instansi=other)
    assert outcome is None and plan.pending_rows and SkpRating.objects.count() == 0


def test_a_file_without_required_columns_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    plan, outcome = run(
        "discipline", world, xlsx_rows([["NIP", "Tingkat"], [world.dave_emp.nip, "ringan"]])
    )
    assert outcome is None and any("Tanggal" in p.message for p in plan.file_problems)
    with pytest.raises(imp.ReadError):
        run("skp", world, b"hello", "skp.pdf")


def test_discipline_csv_imports_all_or_nothing(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "disiplin.csv"
    good.write_text(
        f"NIP;Tanggal;Tingkat;Keterangan\n{world.dave_emp.nip};03-02-2025;ringan;Terlambat\n"
    )
    call_command("import_discipline", str(good), "--instansi", "kota-uji")
    assert DisciplineRecord.objects.filter(employee=world.dave_emp, level="ringan").count() == 1
    bad = tmp_path / "buruk.csv"
    bad.write_text(
        f"NIP;Tanggal;Tingkat\n{world.erin_emp.nip};31-02-2025;berat\n{world.erin_emp.nip};01-02-2025;parah\n"
    )
    with pytest.raises(CommandError, match="Tidak ada yang disimpan") as caught:
        call_command("import_discipline", str(bad), "--instansi", "kota-uji")
    assert "Baris 3, kolom Tingkat" in str(caught.value) and "Ringan" in str(caught.value)
    assert not DisciplineRecord.objects.filter(employee=world.erin_emp).exists()


def test_a_register_that_names_the_sanction_gets_its_level(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx_rows(
        [
            ["DAFTAR PNS YANG DIJATUHI HUKUMAN DISIPLIN"],
            [],
            ["NIP", "TANGGAL SK", "JENIS HUKUMAN", "KETERANGAN"],
            [world.dave_emp.nip, "03-02-2025", "Teguran Tertulis", "Terlambat"],
            [world.dave_emp.nip, "10-06-2025", "Pemotongan Tukin 25% selama 6 bulan", ""],
            [world.erin_emp.nip, "01-07-2024", "Penurunan jabatan setingkat lebih rendah", ""],
        ]
    )
    _plan, outcome = run("discipline", world, data)
    assert outcome is not None and outcome.written == {"baru": 3}
    levels = DisciplineRecord.objects.order_by("date").values_list("level", flat=True)
    assert list(levels) == ["berat", "ringan", "sedang"]
    # a sanction named without what sets its level apart is the row's problem, with examples
    unclear = xlsx_rows(
        [
            ["NIP", "Tanggal", "Jenis Hukuman"],
            [world.erin_emp.nip, "01-08-2025", "Penurunan pangkat"],
        ]
    )
    plan, outcome = run("discipline", world, unclear)
    assert outcome is None
    [problem] = plan.problems
    assert (problem.row, problem.column) == (2, "Jenis Hukuman")
    assert "'Penurunan pangkat' tidak dikenali" in problem.message
    assert "penurunan pangkat 1 atau 3 tahun" in problem.accepted


def test_the_old_upload_page_leads_to_the_engine_for_the_admin_only(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.bob)
    assert client.get("/catatan/impor/").status_code == 403
    client.force_login(world.alice)
    assert client.get("/catatan/impor/")["Location"].startswith("/impor/skp/")
    assert client.get("/catatan/impor/?kind=disiplin")["Location"].startswith("/impor/discipline/")


def test_an_outsider_cannot_see_an_employees_records(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.erin)
    assert client.get(f"/catatan/pegawai/{world.dave_emp.pk}/").status_code == 404
    client.force_login(world.mallory)
    assert client.get(f"/catatan/pegawai/{world.dave_emp.pk}/").status_code == 404


@pytest.mark.parametrize("period", ["Periode", "Periode Penilaian"])
def test_a_recap_of_predikat_alone_imports_as_e_kinerja_writes_it(world, period) -> None:  # type: ignore[no-untyped-def]
    data = xlsx_rows(
        [
            ["REKAP PREDIKAT KINERJA PEGAWAI TAHUN 2025"],
            [],
            ["No", "NIP", "Nama", period, "Predikat Kinerja"],
            [1, world.dave_emp.nip, "Dave", "Tahunan 2025", "SANGAT BAIK"],
            [2, world.erin_emp.nip, "Erin", "Tahunan 2025", "Kurang/Misconduct"],
            [3, world.dave_emp.nip, "Dave", "Tahunan 2024", "butuh perbaikan"],
        ]
    )
    plan, outcome = run("skp", world, data)
    assert plan.header_row == 3
    assert outcome is not None and outcome.written == {"baru": 3, "berubah": 0}
    stored = {
        (r.employee_id, r.year): (r.hasil_kerja, r.perilaku, r.predikat, r.score)
        for r in SkpRating.objects.all()
    }
    assert stored == {
        (world.dave_emp.pk, 2025): ("", "", "sangat_baik", None),
        (world.erin_emp.pk, 2025): ("", "", "kurang", None),
        (world.dave_emp.pk, 2024): ("", "", "butuh_perbaikan", None),
    }


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Sangat Baik", "sangat_baik"),
        ("  baik ", "baik"),
        ("BUTUH PERBAIKAN", "butuh_perbaikan"),
        ("Kurang", "kurang"),
        ("Misconduct", "kurang"),
        ("kurang / misconduct", "kurang"),
        ("sangat_kurang", "sangat_kurang"),
    ],
)
def test_a_predikat_is_read_in_any_spelling(world, written, stored) -> None:  # type: ignore[no-untyped-def]
    rating = do_set_skp_rating(
        actor=None, employee=world.dave_emp, year=2025, predikat_written=written
    )
    assert (rating.hasil_kerja, rating.perilaku, rating.predikat) == ("", "", stored)


def test_a_predikat_beside_the_ratings_must_agree_with_the_matrix(world) -> None:  # type: ignore[no-untyped-def]
    agreed = do_set_skp_rating(
        actor=None,
        employee=world.dave_emp,
        year=2025,
        hasil_kerja="Di Atas Ekspektasi",
        perilaku="Di Atas Ekspektasi",
        predikat_written="Sangat Baik",
    )
    assert agreed.predikat == "sangat_baik"
    with pytest.raises(ValidationError) as exc:
        do_set_skp_rating(
            actor=None,
            employee=world.dave_emp,
            year=2025,
            hasil_kerja="Sesuai",
            perilaku="Sesuai",
            predikat_written="Sangat Baik",
        )
    assert exc.value.message_dict["predikat"] == [
        "Predikat 'Sangat Baik' tidak sesuai dengan hasil kerja dan perilaku yang tertulis: "
        "menurut matriks PermenPANRB 6/2022 predikatnya Baik. Perbaiki salah satunya."
    ]
    assert SkpRating.objects.get(employee=world.dave_emp).predikat == "sangat_baik"


def test_a_bad_predikat_file_saves_nothing_and_names_row_and_problem(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx_rows(
        [
            ["NIP", "Tahun", "Predikat", "Nilai SKP"],
            [world.dave_emp.nip, 2025, "Baik", ""],
            [world.erin_emp.nip, 2025, "Istimewa", ""],
            [world.erin_emp.nip, 2024, "Baik", 88],
        ]
    )
    plan, outcome = run("skp", world, data)
    assert outcome is None
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (
            3,
            "Predikat",
            "Predikat 'Istimewa' tidak dikenal: pilih Sangat Baik, Baik, Butuh Perbaikan, "
            "Kurang/Misconduct, Sangat Kurang.",
        ),
        (4, "Nilai SKP", "Isi salah satu: predikat SKP baru atau nilai SKP lama, bukan keduanya."),
    ]
    assert SkpRating.objects.count() == 0


def test_the_admin_sets_a_predikat_alone_on_the_employee_page(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.alice)
    url = reverse("records:employee", kwargs={"pk": world.dave_emp.pk})
    page = client.get(url).content.decode()
    assert '<option value="butuh_perbaikan">Butuh Perbaikan</option>' in page
    response = client.post(url, {"form": "skp", "year": "2025", "predikat": "butuh_perbaikan"})
    assert response.status_code == 302
    assert SkpRating.objects.get(employee=world.dave_emp, year=2025).predikat == "butuh_perbaikan"


def _old_scores(world, data: bytes) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Import an old SKP recap cleanly; the scores stored, by NIP."""
    plan, outcome = run("skp", world, data)
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    stored = SkpRating.objects.values_list("employee__nip", "score")
    return {nip: float(score) for nip, score in stored}


def test_an_old_skp_recap_with_decimal_commas_and_sebutan_imports(world) -> None:  # type: ignore[no-untyped-def]
    """PP 46/2011 recaps print the nilai capaian with its sebutan (88,25 Baik): the sebutan is
    checked against the score (Pasal 17 ayat (2)) and the score is kept."""
    data = xlsx_rows(
        [
            ["NIP", "Tahun", "Nilai SKP", "Predikat"],
            [world.dave_emp.nip, 2020, "91,5", "Sangat Baik"],
            [world.erin_emp.nip, 2020, "88,25", "BAIK"],
        ]
    )
    assert _old_scores(world, data) == {
        world.dave_emp.nip: 91.5,
        world.erin_emp.nip: 88.25,
    }
    assert set(SkpRating.objects.values_list("predikat", flat=True)) == {""}


@pytest.mark.parametrize(
    ("score", "sebutan", "right"),
    [
        ("88,25", "Sangat Baik", "Baik"),
        # between the whole bounds 90 and 91 a recap may say either band, and neither is Cukup
        ("90,86", "Cukup", "Baik atau Sangat Baik (dibulatkan)"),
    ],
)
def test_a_sebutan_that_is_not_the_scores_is_refused_naming_the_right_one(  # type: ignore[no-untyped-def]
    world, score, sebutan, right
) -> None:
    data = xlsx_rows(
        [["NIP", "Tahun", "Nilai SKP", "Predikat"], [world.dave_emp.nip, 2020, score, sebutan]]
    )
    plan, outcome = run("skp", world, data)
    assert outcome is None
    assert [p.message for p in plan.problems] == [
        f"Sebutan '{sebutan}' tidak sesuai nilai SKP lama {score}: menurut PP 46/2011 Pasal 17 "
        f"sebutannya {right}."
    ]


def test_a_score_between_whole_bounds_takes_the_sebutan_of_either_reading(world) -> None:  # type: ignore[no-untyped-def]
    """PP 46/2011 Pasal 17 writes its bands on whole numbers (76–90 Baik, 91 ke atas Sangat
    Baik): 90,86 is Baik read as it stands, Sangat Baik rounded first. Recaps print both."""
    data = xlsx_rows(
        [
            ["NIP", "Tahun", "Nilai SKP", "Predikat"],
            [world.dave_emp.nip, 2020, "90,86", "Sangat Baik"],
            [world.erin_emp.nip, 2020, "90,86", "Baik"],
        ]
    )
    assert _old_scores(world, data) == {world.dave_emp.nip: 90.86, world.erin_emp.nip: 90.86}


def test_a_score_and_its_sebutan_in_one_cell_import(world) -> None:  # type: ignore[no-untyped-def]
    data = xlsx_rows(
        [
            ["NIP", "Tahun", "Nilai SKP"],
            [world.dave_emp.nip, 2020, "88,25 (Baik)"],
            [world.erin_emp.nip, 2020, "91,50 Sangat Baik"],
        ]
    )
    assert _old_scores(world, data) == {
        world.dave_emp.nip: 88.25,
        world.erin_emp.nip: 91.5,
    }


@pytest.mark.parametrize(
    ("cell", "predikat", "message"),
    [
        (
            "88,25 (Sangat Baik)",
            "",
            "Sebutan 'Sangat Baik' tidak sesuai nilai SKP lama 88,25: menurut PP 46/2011 "
            "Pasal 17 sebutannya Baik.",
        ),
        (
            "88,25 (Baik)",
            "Sangat Baik",
            "Nilai SKP '88,25 (Baik)' menyebut Baik, tetapi predikatnya Sangat Baik.",
        ),
        ("88,25 (Bagus)", "", "Nilai SKP lama harus angka 0–100."),
    ],
)
def test_a_sebutan_in_the_score_cell_is_checked(world, cell, predikat, message) -> None:  # type: ignore[no-untyped-def]
    data = xlsx_rows(
        [["NIP", "Tahun", "Nilai SKP", "Predikat"], [world.dave_emp.nip, 2020, cell, predikat]]
    )
    plan, outcome = run("skp", world, data)
    assert outcome is None
    assert [p.message for p in plan.problems] == [message]


@pytest.mark.parametrize("written", ["Hukdis Sedang", "HD Sedang", "Tingkat Sedang", "sedang"])
def test_a_level_as_registers_shorten_it(world, written) -> None:  # type: ignore[no-untyped-def]
    data = xlsx_rows([["NIP", "Tanggal", "Tingkat"], [world.dave_emp.nip, "14-05-2025", written]])
    plan, outcome = run("discipline", world, data)
    assert outcome is not None, plan.problems
    assert DisciplineRecord.objects.get().level == "sedang"

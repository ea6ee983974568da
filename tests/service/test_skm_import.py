"""SKM answers through the import engine, from the files the survey tools write: a Google Forms
export and an e-SKM export give the figures of expected.md (computed independently); an OPD
without a service unit gets one; bad rows are listed, nothing half-written."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from kompeten.core import importing as imp
from kompeten.core.models import ImportRun
from kompeten.service.models import Service, ServiceUnit, SkmProfileRollup, SkmResponse
from kompeten.service.queries import ikm_rows
from kompeten.standards.ikm import SKM_2017, UnsurStats, compute_ikm
from tests import factories
from tests.service.helpers import make_service_unit

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "bkpsdm-2025"
GOOGLE_FORMS = SAMPLES / "SKM Disdukcapil Kota Sawahlunto 2025 (Responses).csv"
ESKM = SAMPLES / "Export_eSKM_DPMPTSP_2025.xlsx"
BEFORE = (date(2025, 1, 1), date(2025, 6, 26))
AFTER = (date(2025, 6, 27), date(2025, 12, 31))


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _window(su: ServiceUnit, start: date, end: date) -> tuple[int, list[float], float]:
    """n, NRR U1..U9 (regulation order) and IKM (exact 1/9) of the answers dated in the window."""
    rows = [
        r.scores
        for r in SkmResponse.objects.filter(service_unit=su).only("submitted", "scores")
        if start <= r.submitted.date() <= end
    ]
    stats = {
        u.slug: UnsurStats.from_scores([s[u.slug] for s in rows if u.slug in s])
        for u in SKM_2017.unsur
    }
    result = compute_ikm(stats, SKM_2017)
    return len(rows), [result.nrr[u.slug] for u in SKM_2017.unsur], result.ikm_unit


def assert_window(
    su: ServiceUnit, window: tuple[date, date], n: int, ikm: float, nrr: list[float]
) -> None:
    """The answers dated in ``window`` number ``n`` and give ``ikm`` and the NRR U1..U9 ``nrr``,
    to two decimals."""
    got_n, got_nrr, got_ikm = _window(su, *window)
    assert got_n == n and round(got_ikm, 2) == ikm
    assert [round(x, 2) for x in got_nrr] == nrr


def assert_dpmptsp_as_expected(su: ServiceUnit) -> None:
    """The e-SKM sample's figures in expected.md: n, IKM and NRR U1..U9 before and after, and
    every answer counted once in the rollups."""
    assert_window(su, BEFORE, 386, 78.74, [3.16, 3.02, 2.95, 3.88, 3.12, 3.09, 3.04, 3.01, 3.08])
    assert_window(su, AFTER, 421, 86.30, [3.35, 3.27, 3.29, 3.95, 3.38, 3.57, 3.75, 3.29, 3.22])
    total = SkmProfileRollup.objects.filter(service_unit=su, dimension="total")
    assert sum(total.values_list("count", flat=True)) == 807


@pytest.fixture
def sawahlunto(world):
    disdukcapil = factories.make_unit(
        world.instansi, "Dinas Kependudukan dan Pencatatan Sipil", code="DUKCAPIL"
    )
    dpmptsp = factories.make_unit(
        world.instansi,
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        code="DPMPTSP-01",
    )
    return disdukcapil, dpmptsp


def test_a_google_forms_export_gives_the_expected_ikm_and_creates_the_service_unit(
    world, sawahlunto
) -> None:
    disdukcapil, _ = sawahlunto
    out = _run(
        "import_skm", "--instansi", world.instansi.code, str(GOOGLE_FORMS), "--unit", "Disdukcapil"
    )
    assert "belum punya unit layanan: unit layanan dibuat" in out
    assert "810 baris diimpor" in out
    su = ServiceUnit.objects.get(unit=disdukcapil)
    assert_window(su, BEFORE, 412, 76.44, [3.07, 2.92, 2.80, 3.95, 3.03, 2.98, 2.96, 2.86, 2.95])
    assert_window(su, AFTER, 398, 80.81, [3.20, 3.06, 3.00, 3.97, 3.20, 3.29, 3.38, 3.00, 3.00])
    # the rollups count every answer, as the bulk path does; the year's IKM read from them
    year = ikm_rows([su.pk], date(2025, 1, 1), date(2025, 12, 1))[0]
    assert year.n_responses == 810
    assert year.result is not None
    n_all, _nrr, ikm_all = _window(su, date(2025, 1, 1), date(2025, 12, 31))
    assert n_all == 810 and year.result.ikm_unit == pytest.approx(ikm_all)
    # jenis layanan created from the file's own names; profile and suggestions kept
    assert Service.objects.filter(service_unit=su, name="Kartu Keluarga (KK)").exists()
    first = SkmResponse.objects.filter(service_unit=su).order_by("submitted").first()
    assert first is not None
    assert (first.sex, first.age_group, first.education, first.occupation) == (
        "L",
        "50+",
        "D1-D3",
        "swasta",
    )
    assert first.service is not None and first.service.name == "Akta Kelahiran"
    assert not SkmResponse.objects.filter(suggestion="-").exists()


def test_an_eskm_export_finds_its_unit_in_the_title_and_gives_the_expected_ikm(
    world, sawahlunto
) -> None:
    _, dpmptsp = sawahlunto
    out = _run("import_skm", "--instansi", world.instansi.code, str(ESKM))
    assert "807 baris diimpor" in out
    assert_dpmptsp_as_expected(ServiceUnit.objects.get(unit=dpmptsp))


def test_a_second_import_into_an_existing_service_unit_reuses_it_and_its_services(
    world, sawahlunto
) -> None:
    _, dpmptsp = sawahlunto
    _run("import_skm", "--instansi", world.instansi.code, str(ESKM), "--unit", "DPMPTSP")
    services = Service.objects.count()
    out = _run("import_skm", "--instansi", world.instansi.code, str(ESKM), "--unit", "DPMPTSP")
    assert "belum punya unit layanan" not in out
    assert ServiceUnit.objects.filter(unit=dpmptsp).count() == 1
    assert Service.objects.count() == services
    # the same answers again are skipped, never counted twice
    assert "jawaban yang sudah tersimpan (dilewati): 807" in out
    assert SkmResponse.objects.count() == 807


def _eskm_until(day: date, path: Path) -> Path:
    """The e-SKM sample cut after ``day``, as an export taken that day would be."""
    book = openpyxl.load_workbook(ESKM)
    sheet = book.active
    assert sheet is not None
    last = max(
        row[0].row
        for row in sheet.iter_rows(min_row=6)
        if isinstance(row[0].value, int)
        and datetime.strptime(row[1].value, "%d-%m-%Y %H:%M").date() <= day
    )
    sheet.delete_rows(last + 1, sheet.max_row - last)
    book.save(path)
    return path


def test_an_export_overlapping_an_earlier_one_adds_only_the_new_answers(
    world, sawahlunto, tmp_path: Path
) -> None:
    """January–June imported in July, then the whole year's export in January: the first
    half is found stored and skipped, so the before/after figures stay those of expected.md."""
    _, dpmptsp = sawahlunto
    half = _eskm_until(BEFORE[1], tmp_path / "eskm-juni.xlsx")
    _run("import_skm", "--instansi", world.instansi.code, str(half))
    assert SkmResponse.objects.count() == 386
    checked = _run("import_skm", "--instansi", world.instansi.code, str(ESKM), "--dry-run")
    assert "421 baris siap diimpor, 386 baris sudah tersimpan dan akan dilewati." in checked
    out = _run("import_skm", "--instansi", world.instansi.code, str(ESKM))
    assert "jawaban SKM: 421" in out and "jawaban yang sudah tersimpan (dilewati): 386" in out
    assert_dpmptsp_as_expected(ServiceUnit.objects.get(unit=dpmptsp))


def test_alike_answers_of_one_moment_are_each_kept_and_each_matched_once(
    world, sawahlunto, tmp_path: Path
) -> None:
    """Two respondents may give the same answers at the same minute: both are imported, and a
    file holding three such rows after two are stored adds exactly one."""
    header = "Timestamp,U1,U2,U3,U4,U5,U6,U7,U8,U9\n"
    row = "2025/03/03 9:15:00 AM GMT+7,3,3,3,3,3,3,3,3,3\n"
    code = world.instansi.code

    def run(rows: int, name: str) -> str:
        path = tmp_path / name
        path.write_text(header + row * rows, encoding="utf-8")
        return _run("import_skm", "--instansi", code, str(path), "--unit", "DPMPTSP")

    assert "jawaban SKM: 2" in run(2, "dua.csv")
    out = run(3, "tiga.csv")
    assert "jawaban SKM: 1" in out and "jawaban yang sudah tersimpan (dilewati): 2" in out
    assert SkmResponse.objects.count() == 3


def test_the_plan_names_the_source_and_maps_every_column(world, sawahlunto) -> None:
    disdukcapil, _ = sawahlunto
    su = make_service_unit(disdukcapil, code="dukcapil")
    the_plan = imp.plan(
        "skm",
        GOOGLE_FORMS.read_bytes(),
        GOOGLE_FORMS.name,
        instansi=world.instansi,
        user=world.alice,
        options={"service_unit": su.pk},
    )
    assert the_plan.source is not None and the_plan.source.key == "google_forms"
    assert the_plan.is_clean and the_plan.ignored_columns == []
    mapped = {field for field in the_plan.mapping.values() if field}
    assert {u.slug for u in SKM_2017.unsur} <= mapped
    assert not SkmResponse.objects.exists()


def _csv_file(tmp_path: Path, *lines: str) -> Path:
    """``lines`` written as tmp_path/skm.csv."""
    path = tmp_path / "skm.csv"
    path.write_bytes("\n".join(lines).encode())
    return path


HEADER = "Tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9,Jenis Kelamin,Pendidikan,Kolom Tambahan"


def test_every_bad_value_is_listed_with_the_accepted_values_and_nothing_is_written(
    world, tmp_path: Path
) -> None:
    su = make_service_unit(world.alfa)
    path = _csv_file(
        tmp_path,
        HEADER,
        "02-01-2025 08:01,3,3,3,3,3,3,3,3,3,L,S1,x",
        "02-01-2025 09:01,e. Hebat,3,3,3,3,3,3,3,5,X,SMA,x",
        "2099-01-01,3,3,3,3,3,3,3,3,3,P,Pesantren,x",
    )
    with pytest.raises(CommandError) as exc:
        _run("import_skm", "--instansi", world.instansi.code, str(path), "--unit", su.code)
    text = str(exc.value)
    assert "Baris 3, kolom U1" in text and "3 / c. Sesuai" in text
    assert "Baris 3, kolom U9" in text
    assert "Baris 3, kolom Jenis Kelamin" in text and "Laki-laki" in text
    assert "Baris 4, kolom Tanggal" in text and "masa depan" in text
    assert "Baris 4, kolom Pendidikan" in text and "D1-D3-D4" in text
    assert not SkmResponse.objects.exists()


def test_partial_imports_the_clean_rows_and_keeps_the_others_pending(world, tmp_path: Path) -> None:
    from kompeten.core.models import PendingRow

    su = make_service_unit(world.alfa)
    path = _csv_file(
        tmp_path,
        HEADER,
        "02-01-2025 08:01,3,3,3,3,3,3,3,3,3,L,S1,x",
        "02-01-2025 09:01,9,3,3,3,3,3,3,3,3,P,SMA,x",
    )
    out = _run(
        "import_skm", "--instansi", world.instansi.code, str(path), "--unit", su.code, "--partial"
    )
    assert "1 baris diimpor" in out and "1 baris tertunda" in out
    assert SkmResponse.objects.count() == 1
    assert PendingRow.objects.get().row_number == 3


def test_an_unknown_unit_is_named(world, tmp_path: Path) -> None:
    path = _csv_file(tmp_path, HEADER, "02-01-2025 08:01,3,3,3,3,3,3,3,3,3,L,S1,x")
    with pytest.raises(CommandError, match="Unit 'Dinas Gamma' tidak dikenal"):
        _run("import_skm", "--instansi", world.instansi.code, str(path), "--unit", "Dinas Gamma")
    with pytest.raises(CommandError, match="Sebutkan unitnya"):
        _run("import_skm", "--instansi", world.instansi.code, str(path))


def test_a_legend_below_the_table_decides_what_the_codes_mean(world, tmp_path: Path) -> None:
    su = make_service_unit(world.alfa)
    path = _csv_file(
        tmp_path,
        "Tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9",
        "02-01-2025 08:01,3,3,3,3,3,3,3,4,1",
        "",
        "Keterangan: U1 Persyaratan; U2 Prosedur; U3 Waktu Penyelesaian; U4 Biaya; "
        "U5 Produk; U6 Kompetensi Pelaksana; U7 Perilaku Pelaksana; U8 Sarana dan "
        "Prasarana; U9 Penanganan Pengaduan",
    )
    _run("import_skm", "--instansi", world.instansi.code, str(path), "--unit", su.code)
    scores = SkmResponse.objects.get().scores
    assert scores["sarana_prasarana"] == 4 and scores["penanganan_pengaduan"] == 1


def test_a_pengelola_may_import_only_into_units_of_their_subtree(world) -> None:
    from kompeten.service.forms import SkmImportOptionsForm

    alfa = make_service_unit(world.alfa)
    beta = make_service_unit(world.beta, code="layanan-beta")
    form = SkmImportOptionsForm(
        data={"target": f"su:{beta.pk}"}, instansi=world.instansi, user=world.bob
    )
    assert not form.is_valid()
    form = SkmImportOptionsForm(
        data={"target": f"su:{alfa.pk}"}, instansi=world.instansi, user=world.bob
    )
    assert form.is_valid() and form.cleaned_data["service_unit"] == alfa.pk
    form = SkmImportOptionsForm(
        data={"target": f"unit:{world.layanan.pk}"}, instansi=world.instansi, user=world.bob
    )
    assert not form.is_valid() and "create_service_unit" in form.errors
    assert imp.get("skm").permission(world.bob) and not imp.get("skm").permission(world.carol)


def test_in_the_browser_an_opd_gets_its_service_unit_on_the_first_import(
    world, sawahlunto, django_assert_max_num_queries
) -> None:

    disdukcapil, _ = sawahlunto
    client = Client()
    client.force_login(world.alice)
    page = client.get("/impor/skm/").content.decode()
    assert "Buat unit layanan untuk OPD ini" in page and disdukcapil.name in page
    with GOOGLE_FORMS.open("rb") as f:
        response = client.post("/impor/skm/", {"file": f, "opt-target": f"unit:{disdukcapil.pk}"})
    assert response.status_code == 400  # the box is not ticked: asked, nothing stored
    assert "centang" in response.content.decode()
    with GOOGLE_FORMS.open("rb") as f:
        response = client.post(
            "/impor/skm/",
            {
                "file": f,
                "opt-target": f"unit:{disdukcapil.pk}",
                "opt-create_service_unit": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    mapping_url = response["Location"]
    page = client.get(mapping_url).content.decode()
    assert "Google Forms" in page
    preview_url = mapping_url.removesuffix("kolom/")
    with django_assert_max_num_queries(20):
        page = client.get(preview_url).content.decode()
    assert 'data-testid="import-all"' in page
    assert not ServiceUnit.objects.exists()
    response = client.post(preview_url + "simpan/")
    assert response.status_code == 302
    su = ServiceUnit.objects.get(unit=disdukcapil)
    assert SkmResponse.objects.filter(service_unit=su).count() == 810


def test_a_pengelola_cannot_aim_the_browser_import_outside_their_subtree(world) -> None:

    beta = make_service_unit(world.beta, code="layanan-beta")
    client = Client()
    client.force_login(world.bob)
    page = client.get("/impor/skm/").content.decode()
    assert "layanan-beta" not in page and beta.name not in page
    with GOOGLE_FORMS.open("rb") as f:
        response = client.post("/impor/skm/", {"file": f, "opt-target": f"su:{beta.pk}"})
    assert response.status_code == 400 and not SkmResponse.objects.exists()


def test_the_unit_is_found_as_people_write_it(world) -> None:
    from kompeten.service.imports_skm import find_import_target

    opd = factories.make_unit(
        world.instansi, "DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU", code="D-01"
    )
    factories.make_unit(world.instansi, "BIDANG PENANAMAN MODAL", parent=opd, code="D-02")
    for query in (
        "DPMPTSP",
        "dpmptsp",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Uji",
        "D-01",
    ):
        assert find_import_target(world.instansi, query) == (None, opd), query
    su = make_service_unit(opd, code="dpmptsp")
    assert find_import_target(world.instansi, "DPMPTSP") == (su, opd)
    assert find_import_target(world.instansi, "Dinas Omega") == (None, None)


def test_the_unit_choices_tell_units_of_the_same_name_apart(world) -> None:
    from kompeten.service.forms import SkmImportOptionsForm

    factories.make_unit(world.instansi, "Sekretariat", parent=world.alfa, code="ALFA-SEK")
    factories.make_unit(world.instansi, "Sekretariat", parent=world.beta, code="BETA-SEK")
    form = SkmImportOptionsForm(instansi=world.instansi, user=world.alice)
    groups = dict(form.fields["target"].choices[1:])  # type: ignore[attr-defined]
    [labels] = [[label for _value, label in options] for options in groups.values()]
    # tree order (each OPD followed by its sub-units); a shared name carries its parent's
    assert labels.index(world.alfa.name) < labels.index(world.layanan.name), labels
    assert f"Sekretariat — {world.alfa.name}" in labels
    assert f"Sekretariat — {world.beta.name}" in labels
    assert labels.index(world.beta.name) < labels.index(f"Sekretariat — {world.beta.name}")


def test_a_dry_run_checks_and_counts_without_writing(world, sawahlunto, tmp_path: Path) -> None:
    """``--dry-run``: how many rows would go in and which would be refused, nothing written."""
    code = world.instansi.code
    out = _run("import_skm", "--instansi", code, str(ESKM), "--dry-run")
    assert "Pemeriksaan saja, tidak ada yang disimpan: 807 baris siap diimpor." in out
    assert not SkmResponse.objects.exists()
    bad = _csv_file(
        tmp_path,
        "Tanggal,U1,U2,U3,U4,U5,U6,U7,U8,U9",
        "02-01-2025,3,3,3,3,3,3,3,3,3",
        "03-01-2025,3,3,3,3,3,3,3,3,9",
    )
    with pytest.raises(CommandError, match="Baris 3, kolom U9"):
        _run("import_skm", "--instansi", code, str(bad), "--unit", "DPMPTSP", "--dry-run")
    out = _run(
        "import_skm", "--instansi", code, str(bad), "--unit", "DPMPTSP", "--dry-run", "--partial"
    )
    assert "1 baris siap diimpor, 1 baris akan tertunda." in out
    assert not SkmResponse.objects.exists() and not ServiceUnit.objects.exists()


def test_the_unit_is_read_from_the_data_sheets_title_behind_a_rekap_sheet(
    world, sawahlunto, tmp_path: Path
) -> None:
    """e-SKM workbooks often put a "Rekap IKM" sheet first: the unit is named on the data
    sheet the import reads, and found there without --unit."""
    _, dpmptsp = sawahlunto
    book = openpyxl.load_workbook(ESKM)
    rekap = book.create_sheet("Rekap IKM", 0)
    rekap.append(["REKAP IKM PER UNSUR"])
    rekap.append(["Unsur", "NRR"])
    rekap.append(["U1", 3.16])
    path = tmp_path / "eskm-rekap.xlsx"
    book.save(path)
    out = _run("import_skm", "--instansi", world.instansi.code, str(path))
    assert "Lembar kerja dibaca: Data Responden" in out and "807 baris diimpor" in out
    assert_dpmptsp_as_expected(ServiceUnit.objects.get(unit=dpmptsp))


def _uploaded(world: Any, path: Path, su: ServiceUnit) -> tuple[Client, str]:
    """An admin's client that uploaded ``path`` into ``su`` in the wizard, and its preview."""
    client = Client()
    client.force_login(world.alice)
    with path.open("rb") as f:
        response = client.post("/impor/skm/", {"file": f, "opt-target": f"su:{su.pk}"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return client, response["Location"].removesuffix("kolom/")


def test_the_preview_says_once_which_rows_are_already_stored(
    world, sawahlunto, django_assert_max_num_queries
) -> None:
    """Importing the same export again in the browser: the preview names the skipped rows in
    one line ("dan N baris lain"), not one line per row, and saving adds nothing."""
    _, dpmptsp = sawahlunto
    _run("import_skm", "--instansi", world.instansi.code, str(ESKM))
    su = ServiceUnit.objects.get(unit=dpmptsp)
    client, preview_url = _uploaded(world, ESKM, su)
    with django_assert_max_num_queries(20):
        page = client.get(preview_url).content.decode()
    assert page.count("sudah tersimpan (waktu pengisian") == 1
    assert "dan 787 baris lain" in page
    # counted apart: none to write, 807 already stored
    assert 'data-testid="count-clean">0<' in page
    assert 'data-testid="count-skipped">807<' in page
    committed = client.post(preview_url + "simpan/")
    assert committed.status_code == 302
    assert SkmResponse.objects.count() == 807
    result = client.get(committed["Location"]).content.decode()
    assert 'data-testid="result-imported">0<' in result
    assert 'data-testid="result-skipped">807<' in result


def _eskm_with_rows_pasted_twice(path: Path, first: int, count: int) -> Path:
    """The e-SKM sample with ``count`` of its answers (from sheet row ``first``) pasted again
    after the last answer, before the footer, as a recap merged by hand might hold them."""
    book = openpyxl.load_workbook(ESKM)
    sheet = book.active
    assert sheet is not None
    last = max(row[0].row for row in sheet.iter_rows(min_row=6) if isinstance(row[0].value, int))
    copied = [[c.value for c in sheet[n]] for n in range(first, first + count)]
    sheet.insert_rows(last + 1, count)
    for offset, values in enumerate(copied, start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(last + offset, column, value)
    book.save(path)
    return path


def test_answers_pasted_twice_in_one_export_are_counted_once(
    world, sawahlunto, tmp_path: Path
) -> None:
    """Ten answers pasted again, their running number (No) and every cell the same: the copies
    are skipped and counted apart, before a first import and after one, so the figures stay
    those of expected.md."""
    _, dpmptsp = sawahlunto
    doubled = _eskm_with_rows_pasted_twice(tmp_path / "eskm-dobel.xlsx", 9, 10)
    code = world.instansi.code
    checked = _run("import_skm", "--instansi", code, str(doubled), "--dry-run")
    assert (
        "807 baris siap diimpor, 10 baris salinan baris lain di berkas ini akan dilewati."
        in checked
    )
    out = _run("import_skm", "--instansi", code, str(doubled))
    assert "807 baris diimpor" in out
    assert "salinan baris lain di berkas ini (dilewati): 10" in out
    assert "sudah tersimpan" not in out.split("diimpor", 1)[1]
    assert_dpmptsp_as_expected(ServiceUnit.objects.get(unit=dpmptsp))
    assert ImportRun.objects.latest("pk").counts["copies"] == 10

    again = _run("import_skm", "--instansi", code, str(doubled))
    assert "jawaban yang sudah tersimpan (dilewati): 807" in again
    assert "salinan baris lain di berkas ini (dilewati): 10" in again
    assert SkmResponse.objects.count() == 807


def test_alike_answers_under_other_running_numbers_are_kept_and_named(
    world, sawahlunto, tmp_path: Path
) -> None:
    """The same moment, answers and profile under two running numbers may be two respondents:
    both are kept, and the preview asks the user to check the second."""
    path = _csv_file(
        tmp_path,
        "No,Timestamp,U1,U2,U3,U4,U5,U6,U7,U8,U9",
        "1,2025/03/03 9:15:00 AM GMT+7,3,3,3,3,3,3,3,3,3",
        "2,2025/03/03 9:15:00 AM GMT+7,3,3,3,3,3,3,3,3,3",
        "2,2025/03/03 9:15:00 AM GMT+7,3,3,3,3,3,3,3,3,3",
    )
    _, dpmptsp = sawahlunto
    su = make_service_unit(dpmptsp)
    plan = imp.plan(
        "skm", path.read_bytes(), path.name, instansi=world.instansi, user=None,
        options={"service_unit": su.pk},
    )  # fmt: skip
    assert plan.counts["clean"] == 2 and plan.counts["copies"] == 1
    assert plan.warnings == [
        (
            3,
            "Sama persis dengan baris 2 (waktu pengisian, jawaban, profil dan saran), dengan "
            "nomor urut lain: dihitung sebagai responden kedua; periksa bahwa baris ini tidak "
            "tersalin dua kali.",
        ),
        (
            4,
            "Salinan baris lain di atasnya (nomor urut dan seluruh jawabannya sama persis): "
            "dilewati, tidak dihitung dua kali.",
        ),
    ]
    assert [(r.number, r.copy_of) for r in plan.rows if r.skipped] == [(4, 3)]


def _with_profile(
    world: Any, sawahlunto: Any, tmp_path: Path, column: str, values: list[str]
) -> tuple[str, list[SkmResponse]]:
    """A Google Forms export of one answer a value of ``column`` (a profile question), five
    minutes apart, imported through the CLI: its output and the stored answers in order."""
    lines = [f"Timestamp,{column},U1,U2,U3,U4,U5,U6,U7,U8,U9"] + [
        f"2025/03/03 9:{15 + 5 * n}:00 AM GMT+7,{value},3,3,3,3,3,3,3,3,3"
        for n, value in enumerate(values)
    ]
    su = make_service_unit(sawahlunto[1])
    path = _csv_file(tmp_path, *lines)
    out = _run("import_skm", "--instansi", world.instansi.code, str(path), "--unit", su.code)
    return out, list(SkmResponse.objects.filter(service_unit=su).order_by("submitted"))


def test_age_bands_across_the_profiles_groups_leave_the_age_unknown_and_are_named(
    world, sawahlunto, tmp_path: Path
) -> None:
    """A form asking Kemenkes' bands (26-35, 46-55): those respondents' age is not guessed
    from the band's middle, their answers still count, and the file's note names the bands."""
    out, stored = _with_profile(world, sawahlunto, tmp_path, "Umur", ["26-35", "46-55", "30 - 39"])
    assert (
        "Catatan: Kolom usia memakai kelompok yang melintasi kelompok usia profil SKM (<20, "
        "20-29, 30-39, 40-49, 50+): 26-35, 46-55. Usia responden dengan jawaban itu tidak "
        "diketahui dan tidak dihitung dalam profil usia; jawaban unsurnya tetap dihitung."
    ) in out
    assert [r.age_group for r in stored] == ["", "", "30-39"]


def test_a_two_row_header_with_the_unsur_codes_under_a_merged_cell_is_read_whole(
    world, sawahlunto, tmp_path: Path
) -> None:
    """A printed recap's header: No … Pekerjaan and Saran merged down over two rows, "NILAI
    UNSUR PELAYANAN" merged across U1 … U9 below it. The lower row names more columns, yet the
    upper row's date, service and profile columns are read, and the figures are expected.md's."""
    _, dpmptsp = sawahlunto
    book = openpyxl.load_workbook(ESKM)
    sheet = book.active
    assert sheet is not None and sheet["H5"].value == "U1"
    sheet.insert_rows(6)
    for column in "HIJKLMNOP":
        sheet[f"{column}6"], sheet[f"{column}5"] = sheet[f"{column}5"].value, None
    sheet["H5"] = "NILAI UNSUR PELAYANAN"
    sheet.merge_cells("H5:P5")
    for column in "ABCDEFGQ":
        sheet.merge_cells(f"{column}5:{column}6")
    path = tmp_path / "eskm-dua-baris.xlsx"
    book.save(path)
    out = _run("import_skm", "--instansi", world.instansi.code, str(path), "--unit", "DPMPTSP")
    assert "807 baris diimpor" in out
    assert_dpmptsp_as_expected(ServiceUnit.objects.get(unit=dpmptsp))


def test_the_preview_and_the_result_count_the_copies_apart(
    world, sawahlunto, tmp_path: Path, django_assert_max_num_queries
) -> None:
    _, dpmptsp = sawahlunto
    su = make_service_unit(dpmptsp, code="dpmptsp")
    doubled = _eskm_with_rows_pasted_twice(tmp_path / "eskm-dobel.xlsx", 9, 10)
    client, preview_url = _uploaded(world, doubled, su)
    with django_assert_max_num_queries(20):
        page = client.get(preview_url).content.decode()
    assert 'data-testid="count-clean">807<' in page
    assert 'data-testid="count-copies">10<' in page
    assert 'data-testid="count-skipped"' not in page
    assert "salinan baris lain di berkas ini, dilewati" in page
    assert page.count("Salinan baris lain di atasnya") == 1
    committed = client.post(preview_url + "simpan/")
    result = client.get(committed["Location"]).content.decode()
    assert 'data-testid="result-imported">807<' in result
    assert 'data-testid="result-copies">10<' in result
    assert SkmResponse.objects.filter(service_unit=su).count() == 807


def test_occupations_the_form_does_not_list_count_as_lainnya_and_are_named(
    world, sawahlunto, tmp_path: Path
) -> None:
    values = ["Petani", "Buruh", "PNS", "Lainnya"]
    out, stored = _with_profile(world, sawahlunto, tmp_path, "Pekerjaan", values)
    assert (
        "Catatan: Pekerjaan yang tidak ada di kuesioner (PNS/TNI/POLRI, swasta, wirausaha, "
        "pelajar/mahasiswa) dihitung sebagai Lainnya: Buruh, Petani."
    ) in out
    assert [r.occupation for r in stored] == ["lainnya", "lainnya", "asn", "lainnya"]

"""A workbook with the same table on several sheets (one OPD, one semester a sheet): once a sheet
is committed, the result page offers the next one without another upload; its options are
shown again (kept, or changed), its preview and commit are its own, and a sheet can be skipped."""

from __future__ import annotations

import io
from typing import Any

import pytest

from kompeten.core.models import ImportRun, Role
from kompeten.people.models import Employee
from kompeten.service.models import Complaint
from tests import factories
from tests.core.importing.hidden import xlsx_hidden
from tests.core.importing.lapor import HEADER, lapor_line, signed_in
from tests.participation.builders import make_programme
from tests.people.importing import HEADERS, person
from tests.workbooks import xlsx_sheets

pytestmark = pytest.mark.django_db

LAPOR_MAPPING = {"col_0": "tracking_number", "col_1": "received_at", "col_2": "unit",
                 "col_3": "status", "col_4": "closed_at"}  # fmt: skip


def _semesters(*sheets: tuple[str, list[int]]) -> io.BytesIO:
    header = HEADER.split(";")
    book = [
        (name, [header, *(lapor_line(n).split(";") for n in numbers)]) for name, numbers in sheets
    ]
    f = io.BytesIO(xlsx_sheets(book))
    f.name = "lapor-2025.xlsx"
    return f


def _first_sheet_committed(client: Any, f: io.BytesIO) -> str:
    """Upload, mapping, commit of the first sheet; the result page's address."""
    mapping_url = client.post("/impor/complaints/", {"file": f})["Location"]
    preview_url = client.post(mapping_url, LAPOR_MAPPING)["Location"]
    response = client.post(preview_url + "simpan/")
    assert response.status_code == 302
    return response["Location"]


def test_each_sheet_with_the_same_table_is_offered_after_the_one_before(
    world, django_assert_max_num_queries
) -> None:
    client = signed_in(world.alice)
    f = _semesters(("Triwulan I", [1, 2]), ("Triwulan II", [3, 4, 5]), ("Triwulan III", [6]))
    result_url = _first_sheet_committed(client, f)
    assert sorted(Complaint.objects.values_list("tracking_number", flat=True)) == ["#1", "#2"]
    with django_assert_max_num_queries(8):
        page = client.get(result_url).content.decode()
    assert "Lembar kerja <strong>Triwulan II</strong> di berkas yang sama" in page
    assert "(3 baris); sesudahnya 1 lembar lagi." in page
    next_url = page.split('data-testid="next-sheet-link"')[0].rsplit('href="', 1)[1].split('"')[0]

    with django_assert_max_num_queries(6):
        page = client.get(next_url).content.decode()
    assert "lembar kerja <strong>Triwulan II</strong> (3 baris)" in page
    assert "Sesudah lembar ini masih ada 1 lembar dengan tabel yang sama." in page
    preview_url = client.post(next_url)["Location"]
    preview = client.get(preview_url).content.decode()
    assert "Lembar kerja: Triwulan II." in preview
    # the last sheet is still said, the first (committed) no longer
    assert "&#x27;Triwulan III&#x27; memuat tabel dengan judul kolom yang sama (1 baris)" in preview
    assert "Triwulan I&#x27;" not in preview
    assert not Complaint.objects.filter(tracking_number="#3").exists()  # nothing before commit
    second_result = client.post(preview_url + "simpan/")["Location"]
    assert Complaint.objects.count() == 5
    runs = list(ImportRun.objects.order_by("pk").values_list("filename", "counts"))
    assert [(name, counts["imported"]) for name, counts in runs] == [
        ("lapor-2025.xlsx", 2),
        ("lapor-2025.xlsx", 3),
    ]

    # the third sheet skipped: back to the result of the one before, nothing written
    page = client.get(second_result).content.decode()
    assert "Lembar kerja <strong>Triwulan III</strong>" in page and "sesudahnya" not in page
    last_url = page.split('data-testid="next-sheet-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    response = client.post(last_url, {"skip": "1"})
    assert response["Location"] == second_result.split("?")[0]
    assert Complaint.objects.count() == 5
    assert client.get(last_url).status_code == 404  # gone once skipped
    assert 'data-testid="next-sheet"' not in client.get(second_result).content.decode()


def test_skipping_a_sheet_offers_the_one_after_it(world) -> None:
    client = signed_in(world.alice)
    f = _semesters(("Jan", [1]), ("Feb", [2]), ("Mar", [3]))
    page = client.get(_first_sheet_committed(client, f)).content.decode()
    feb = page.split('data-testid="next-sheet-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    march = client.post(feb, {"skip": "1"})["Location"]
    assert "lembar kerja <strong>Mar</strong> (1 baris)" in client.get(march).content.decode()
    client.post(client.post(march)["Location"] + "simpan/")
    assert sorted(Complaint.objects.values_list("tracking_number", flat=True)) == ["#1", "#3"]


def test_the_next_sheet_shows_the_options_again_and_takes_changed_ones(world) -> None:
    """One OPD a sheet: the second's options are the first's (units created from the file),
    and unticking the option there leaves that sheet's unknown unit pending."""
    alfa = person("ALFA-LAY", "Pegawai Lembar Satu")
    new_unit = person("", "Pegawai Lembar Dua")
    new_unit["UNIT KERJA"], new_unit["UNIT INDUK"] = "Bidang Baru", "Dinas Alfa"
    headers = [*HEADERS, "UNIT KERJA", "UNIT INDUK"]
    book = [(name, [headers, [row.get(h, "") for h in headers]])
            for name, row in (("Dinas Alfa", alfa), ("Dinas Alfa 2", new_unit))]  # fmt: skip
    f = io.BytesIO(xlsx_sheets(book))
    f.name = "nominatif.xlsx"
    client = signed_in(world.alice)
    upload = client.post("/impor/employees/", {"file": f, "opt-create_units": "on"})
    # the columns as recognised (the preview reads them so when the mapping is not changed)
    preview_url = upload["Location"].replace("kolom/", "")
    result_url = client.post(preview_url + "simpan/")["Location"]
    assert Employee.objects.filter(name="Pegawai Lembar Satu").exists()

    page = client.get(result_url).content.decode()
    next_url = page.split('data-testid="next-sheet-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    page = client.get(next_url).content.decode()
    checkbox = page.split('name="opt-create_units"', 1)[1].split(">", 1)[0]
    assert " checked" in checkbox  # the first sheet's option, kept
    preview_url = client.post(next_url, {})["Location"]  # the option unticked
    preview = client.get(preview_url).content.decode()
    assert "Bidang Baru" in preview and "belum ada di pohon OPD" in preview
    client.post(preview_url + "simpan/", {"partial": "1"})
    assert not Employee.objects.filter(name="Pegawai Lembar Dua").exists()
    assert ImportRun.objects.latest("pk").counts["pending"] == 1


def test_a_next_sheet_is_the_uploaders_alone_and_only_after_a_commit(world) -> None:
    client = signed_in(world.alice)
    f = _semesters(("Satu", [1]), ("Dua", [2]))
    mapping_url = client.post("/impor/complaints/", {"file": f})["Location"]
    first_token = mapping_url.rstrip("/").split("/")[-2]
    # a first upload's token is not a next sheet
    assert client.get(f"/impor/complaints/{first_token}/lembar/").status_code == 404
    preview_url = client.post(mapping_url, LAPOR_MAPPING)["Location"]
    result_url = client.post(preview_url + "simpan/")["Location"]
    page = client.get(result_url).content.decode()
    next_url = page.split('data-testid="next-sheet-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    # another admin of the instansi cannot open or skip it (the upload is the uploader's),
    # nor is it offered on the result page to them; a pengelola may not run this import
    other_admin = signed_in(factories.make_user(world.instansi, "alice2", Role.ADMIN))
    assert other_admin.get(next_url).status_code == 404
    assert other_admin.post(next_url, {"skip": "1"}).status_code == 404
    assert 'data-testid="next-sheet"' not in other_admin.get(result_url).content.decode()
    pengelola = signed_in(world.bob)
    assert pengelola.get(next_url).status_code == 403
    assert client.get(next_url).status_code == 200  # still waiting for its uploader
    # a token in the result's address that is not this run's next sheet is not offered
    other_run = result_url.split("?")[0] + f"?lembar={first_token}"
    assert 'data-testid="next-sheet"' not in client.get(other_run).content.decode()


def test_changed_options_that_do_not_hold_are_refused_and_the_sheet_keeps_its_own(world) -> None:
    """The scores of a second batch on the next sheet, with a programme code mistyped."""
    from kompeten.core.importing import uploads

    make_programme(world.instansi, "Pelayanan Prima", code="PP-2025")
    kept = {"opt-programme": "PP-2025"}
    token = uploads.store(
        b"not read on this page",
        {"user_id": world.alice.pk, "key": "scores", "filename": "nilai.xlsx",
         "sheet": "Angkatan II", "sheet_rows": 30, "alike": [], "options": kept,
         "mapping": {}, "after_run": 1},
    )  # fmt: skip
    client = signed_in(world.alice)
    page = client.get(f"/impor/scores/{token}/lembar/").content.decode()
    assert 'value="PP-2025"' in page and "errorlist" not in page
    response = client.post(f"/impor/scores/{token}/lembar/", {"opt-programme": "PP-2052"})
    assert response.status_code == 400
    assert "Program dengan kode PP-2052 tidak ada." in response.content.decode()
    assert uploads.load(token, world.alice.pk, "scores")[1]["options"] == kept


def test_a_hidden_sheet_with_the_same_table_is_named_and_never_offered(world) -> None:
    """A hidden older copy of the quarter: the preview says it is hidden and not imported, and
    the result page offers only the visible sheet after it."""
    header = HEADER.split(";")
    book = [(name, [header, *(lapor_line(n).split(";") for n in numbers)])
            for name, numbers in (("Lama", [7, 8]), ("Triwulan I", [1]), ("Triwulan II", [2]))]  # fmt: skip
    f = io.BytesIO(xlsx_hidden(book, hidden={"Lama"}))
    f.name = "lapor-2025.xlsx"
    client = signed_in(world.alice)
    mapping_url = client.post("/impor/complaints/", {"file": f})["Location"]
    preview_url = client.post(mapping_url, LAPOR_MAPPING)["Location"]
    preview = client.get(preview_url).content.decode()
    assert "Lembar kerja: Triwulan I." in preview
    assert "&#x27;Lama&#x27; tersembunyi (tidak tampak saat berkas dibuka di Excel)" in preview
    assert "&#x27;Triwulan II&#x27; memuat tabel dengan judul kolom yang sama" in preview
    page = client.get(client.post(preview_url + "simpan/")["Location"]).content.decode()
    assert sorted(Complaint.objects.values_list("tracking_number", flat=True)) == ["#1"]
    assert "Lembar kerja <strong>Triwulan II</strong> di berkas yang sama" in page
    assert "sesudahnya" not in page
    next_url = page.split('data-testid="next-sheet-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    preview = client.get(client.post(next_url)["Location"]).content.decode()
    assert "&#x27;Lama&#x27;" not in preview  # said once, on the first sheet's preview

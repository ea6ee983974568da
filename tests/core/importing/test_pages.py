"""The generic import pages under /impor/, walked with the complaints declaration: upload →
mapping → preview (every problem, paginated) → commit (all, or clean rows + pending) → result,
and the pending rows completed from their page once the unit exists."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from kompeten.core.models import ImportRun, PendingRow
from kompeten.service.models import Complaint
from tests import factories
from tests.core.importing.lapor import HEADER, lapor_csv, lapor_line, signed_in
from tests.workbooks import xlsx_sheets

pytestmark = pytest.mark.django_db


def _upload(client: Client, f: io.BytesIO) -> str:
    response = client.post("/impor/complaints/", {"file": f})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_the_index_lists_the_imports_the_user_may_run(world, django_assert_max_num_queries):
    client = signed_in(world.alice)
    with django_assert_max_num_queries(8):
        response = client.get("/impor/")
    assert response.status_code == 200
    assert "Pengaduan (SP4N-LAPOR!)" in response.content.decode()
    # a pengelola sees the page but not the admin-only complaints import
    page = signed_in(world.bob).get("/impor/").content.decode()
    assert "Pengaduan (SP4N-LAPOR!)" not in page
    assert signed_in(world.bob).get("/impor/complaints/").status_code == 403
    assert signed_in(world.dave).get("/impor/").status_code == 403


def test_a_clean_file_goes_through_mapping_and_preview_to_the_result(
    world, django_assert_max_num_queries
):
    client = signed_in(world.alice)
    mapping_url = _upload(client, lapor_csv(lapor_line(1), lapor_line(2, status="Proses")))
    page = client.get(mapping_url).content.decode()
    assert "SP4N-LAPOR!" in page and "Sumber" in page  # recognised source, ignored column
    response = client.post(mapping_url, {"col_0": "tracking_number", "col_1": "received_at",
                                         "col_2": "unit", "col_3": "status", "col_4": "closed_at"})  # fmt: skip
    preview_url = response["Location"]
    with django_assert_max_num_queries(12):
        page = client.get(preview_url).content.decode()
    assert 'data-testid="import-all"' in page and "Impor semua" in page
    assert not Complaint.objects.exists()
    response = client.post(preview_url + "simpan/")
    assert response.status_code == 302 and "/impor/hasil/" in response["Location"]
    assert Complaint.objects.count() == 2
    with django_assert_max_num_queries(8):
        result = client.get(response["Location"])
    assert result.status_code == 200
    # the token is gone once committed
    assert client.get(preview_url).status_code == 404


def test_problems_are_listed_fifty_a_page_with_the_workbook(world) -> None:
    client = signed_in(world.alice)
    lines = [lapor_line(n, status="Entah") for n in range(1, 121)]
    preview_url = _upload(client, lapor_csv(*lines)).replace("kolom/", "")
    page = client.get(preview_url).content.decode()
    assert "120 masalah" in page and "Halaman 1 dari 3" in page
    assert "Belum Ditindaklanjuti" in page  # the accepted values
    assert 'data-testid="import-all"' not in page and 'data-testid="import-partial"' in page
    workbook = client.get(preview_url + "masalah.xlsx")
    assert workbook.status_code == 200 and workbook.content.startswith(b"PK")
    assert "Halaman 3 dari 3" in client.get(preview_url + "?page=3").content.decode()


def test_partial_keeps_the_rest_pending_and_the_pending_page_completes_them(
    world, django_assert_max_num_queries
):
    client = signed_in(world.alice)
    preview_url = _upload(
        client, lapor_csv(lapor_line(1), lapor_line(2, unit="Dinas Gamma"))
    ).replace("kolom/", "")
    assert client.post(preview_url + "simpan/").status_code == 302  # refused: not clean
    assert not Complaint.objects.exists()
    client.post(preview_url + "simpan/", {"partial": "1"})
    assert Complaint.objects.count() == 1
    pending = PendingRow.objects.get()
    assert pending.reason == "unit_unknown" and ImportRun.objects.get().status == "partial"
    with django_assert_max_num_queries(10):
        page = client.get("/impor/tertunda/").content.decode()
    assert "Dinas Gamma" in page
    # edit the row to name an existing unit: it is written and resolved
    edit = client.get(f"/impor/tertunda/{pending.pk}/").content.decode()
    assert "Unit kerja tidak dikenal" in edit
    # the cells in the file's column order (a JSON object keeps none on PostgreSQL)
    assert pending.run.headers == HEADER.split(";")
    mapped = [h for h in pending.run.headers if pending.run.mapping.get(h)]
    assert (
        edit.index("Tanggal Laporan")
        < edit.index("Instansi Terdisposisi")
        < edit.index("Tanggal Selesai")
    )
    values = {f"cell_{i}": pending.values[h] for i, h in enumerate(mapped)}
    values[f"cell_{mapped.index('Instansi Terdisposisi')}"] = "Dinas Beta"
    response = client.post(f"/impor/tertunda/{pending.pk}/", values)
    assert response.status_code == 302
    assert Complaint.objects.get(tracking_number="#2").unit == world.beta
    pending.refresh_from_db()
    assert pending.resolved_at is not None and pending.resolved_by == world.alice


def test_the_pending_page_groups_the_reasons_and_a_unit_made_from_it_completes_its_rows(
    world, django_assert_max_num_queries
) -> None:
    client = signed_in(world.alice)
    lines = [lapor_line(n, unit="Dinas Gamma") for n in (1, 2, 3)] + [
        lapor_line(4, unit="Dinas Delta")
    ]
    preview_url = _upload(client, lapor_csv(*lines)).replace("kolom/", "")
    client.post(preview_url + "simpan/", {"partial": "1"})
    assert PendingRow.objects.count() == 4
    with django_assert_max_num_queries(12):
        page = client.get("/impor/tertunda/").content.decode()
    reasons = page.split('data-testid="pending-reasons"', 1)[1].split("</section>", 1)[0]
    # most waited-for first, with how many rows and a link that names the unit
    assert reasons.index("Dinas Gamma") < reasons.index("Dinas Delta")
    assert '<td class="num">3</td>' in reasons and '<td class="num">1</td>' in reasons
    link = "/opd/baru/?nama=Dinas%20Gamma&amp;dari=tertunda"
    assert link in reasons
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'value="Dinas Gamma"' in form
    # its code and kind offered from the name (no LAPOR! export has a unit code)
    assert 'value="DINAS-GAMMA"' in form
    assert '<option value="dinas" selected>' in form
    response = client.post(
        link.replace("&amp;", "&"),
        {"parent": world.alfa.parent_id, "name": "Dinas Gamma", "code": "GAMMA", "kind": "dinas"},
    )
    assert response.status_code == 302 and response["Location"] == "/impor/tertunda/"
    assert Complaint.objects.filter(unit__code="GAMMA").count() == 3
    assert list(
        PendingRow.objects.filter(resolved_at__isnull=True).values_list("row_number", flat=True)
    ) == [5]
    done = client.get("/impor/tertunda/").content.decode()
    assert "3 baris tertunda selesai dengan unit baru ini." in done
    assert 'data-testid="pending-reasons"' not in done  # one row left says it all


def test_retry_in_bulk_once_the_unit_exists(world) -> None:
    client = signed_in(world.alice)
    preview_url = _upload(client, lapor_csv(lapor_line(1, unit="Dinas Gamma"))).replace(
        "kolom/", ""
    )
    client.post(preview_url + "simpan/", {"partial": "1"})
    factories.make_unit(world.instansi, "Dinas Gamma", code="GAMMA")
    client.post("/impor/tertunda/coba-lagi/")
    assert Complaint.objects.get().unit.code == "GAMMA"


def test_an_unreadable_or_hostile_file_is_refused_on_the_upload_page(world) -> None:
    from kompeten.core.importing import hostile

    client = signed_in(world.alice)
    f = io.BytesIO(hostile.far_cell_workbook())
    f.name = "x.xlsx"
    response = client.post("/impor/complaints/", {"file": f})
    assert response.status_code == 400 and "XFD1048576" in response.content.decode()


def test_another_users_token_is_not_found(world) -> None:
    preview_url = _upload(signed_in(world.alice), lapor_csv(lapor_line(1))).replace("kolom/", "")
    other = factories.make_user(world.instansi, "alice2", "admin")
    assert signed_in(other).get(preview_url).status_code == 404


def test_the_index_shows_the_suggested_order_and_what_is_done_or_pending(
    world, django_assert_max_num_queries
):
    client = signed_in(world.alice)
    preview_url = _upload(
        client,
        lapor_csv(
            lapor_line(1), lapor_line(2, unit="Dinas Gamma"), lapor_line(3, unit="Dinas Gamma")
        ),
    ).replace("kolom/", "")
    client.post(preview_url + "simpan/", {"partial": "1"})
    with django_assert_max_num_queries(8):
        page = client.get("/impor/").content.decode()
    # employees first, complaints sixth, the imports outside the walk after them
    assert page.index("Pegawai (SIASN)") < page.index("Daftar hadir pelatihan")
    assert page.index("Daftar hadir pelatihan") < page.index("Pengaduan (SP4N-LAPOR!)")
    assert page.index("Pengaduan (SP4N-LAPOR!)") < page.index("Penilaian SKP")
    status = page.split('data-testid="import-status-complaints"')[1].split("</td>")[0]
    assert "lapor.csv" in status and "1 baris diimpor" in status and "2 tertunda" in status
    assert "?key=complaints" in status
    assert "belum" in page.split('data-testid="import-status-employees"')[1].split("</td>")[0]


def test_the_preview_says_a_reason_shared_by_many_rows_once(world) -> None:
    client = signed_in(world.alice)
    lines = [lapor_line(n, unit="Dinas Gamma") for n in range(1, 4)] + [
        lapor_line(4, unit="Dinas Delta")
    ]
    page = client.get(_upload(client, lapor_csv(*lines)).replace("kolom/", "")).content.decode()
    reasons = page.split('data-testid="pending-reasons"')[1].split("</table>")[0]
    assert reasons.count("<tr>") == 3  # header + Gamma (3 rows) + Delta (1 row)
    assert "Dinas Gamma" in reasons and ">3<" in reasons


def test_the_result_offers_the_next_import_with_the_programme_carried(world) -> None:
    run = ImportRun.objects.create(
        instansi=world.instansi,
        user=world.alice,
        declaration="training",
        filename="hadir.xlsx",
        options={"programme": "PRIMA-2025", "title": "Pelatihan"},
        counts={"rows": 2, "imported": 2, "pending": 0},
    )
    page = signed_in(world.alice).get(f"/impor/hasil/{run.pk}/").content.decode()
    assert 'href="/impor/scores/?programme=PRIMA-2025"' in page
    assert "untuk program PRIMA-2025" in page
    assert 'data-testid="report-link"' not in page  # no L1/L2 yet
    run.declaration = "scores"
    run.save(update_fields=["declaration"])
    page = signed_in(world.alice).get(f"/impor/hasil/{run.pk}/").content.decode()
    assert 'href="/impor/reaction/?programme=PRIMA-2025"' in page
    assert 'data-testid="report-link"' in page


def test_the_upload_page_takes_the_carried_programme_and_offers_a_calendar(world) -> None:
    client = signed_in(world.alice)
    page = client.get("/impor/scores/?programme=PRIMA-2025&max_score=7").content.decode()
    assert 'name="opt-programme"' in page and 'value="PRIMA-2025"' in page
    assert 'value="7"' not in page  # only the programme is carried
    page = client.get("/impor/training/").content.decode()
    assert 'type="date" name="opt-start"' in page


def test_a_number_excel_made_of_a_nip_is_edited_as_digits() -> None:
    from kompeten.core.importing.forms import cell_text

    assert cell_text(1.98109172013011e17) == "198109172013011000"
    assert cell_text(60.0) == "60"
    assert cell_text(7.5) == "7.5"
    assert cell_text(None) == ""
    assert cell_text("Dinas Beta") == "Dinas Beta"


def test_the_result_counts_the_rows_still_pending_not_those_completed_since(
    world, django_assert_max_num_queries
) -> None:
    client = signed_in(world.alice)
    preview_url = _upload(
        client, lapor_csv(lapor_line(1), lapor_line(2, unit="Dinas Gamma"))
    ).replace("kolom/", "")
    result_url = client.post(preview_url + "simpan/", {"partial": "1"})["Location"]
    page = client.get(result_url).content.decode()
    assert 'data-testid="result-pending">1<' in page and "result-completed" not in page
    factories.make_unit(world.instansi, "Dinas Gamma", code="GAMMA")
    client.post("/impor/tertunda/coba-lagi/")
    with django_assert_max_num_queries(9):
        page = client.get(result_url).content.decode()
    assert 'data-testid="result-pending">0<' in page
    assert "1 baris yang tertunda saat impor sudah dilengkapi dan tersimpan." in page
    assert "result-pending-link" not in page


def test_the_index_says_how_many_files_an_import_has_taken(world) -> None:
    client = signed_in(world.alice)
    for n in (1, 2):
        preview_url = _upload(client, lapor_csv(lapor_line(n))).replace("kolom/", "")
        client.post(preview_url + "simpan/")
    page = client.get("/impor/").content.decode()
    status = page.split('data-testid="import-status-complaints"')[1].split("</td>")[0]
    assert "(berkas terakhir dari 2)" in status and "tertunda" not in status


def test_an_upload_refused_for_its_options_asks_for_the_file_again(world) -> None:
    client = signed_in(world.alice)
    f = io.BytesIO(b"NIP;Nama;Hadir\n")
    f.name = "hadir.csv"
    response = client.post("/impor/training/", {"file": f, "opt-programme": "BARU-1"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Program BARU-1 belum ada" in page and 'data-testid="choose-again"' in page
    assert 'data-testid="choose-again"' not in client.get("/impor/training/").content.decode()


def _two_sheets(*data_lines: str) -> io.BytesIO:
    """A LAPOR! workbook as a unit keeps it: a summary sheet, then the data sheet."""
    summary: list[list[object]] = [
        ["REKAP PENGADUAN 2025"],
        [],
        ["Status", "Jumlah"],
        ["Selesai", 2],
        ["Proses", 0],
    ]
    data: list[list[Any]] = [HEADER.split(";"), *(line.split(";") for line in data_lines)]
    sheets: list[tuple[str | None, list[list[Any]]]] = [
        ("Rekap", summary),
        ("Data Laporan", data),
    ]
    f = io.BytesIO(xlsx_sheets(sheets))
    f.name = "lapor.xlsx"
    return f


def test_the_sheet_holding_the_table_is_read_when_a_summary_comes_first(
    world, django_assert_max_num_queries
) -> None:
    client = signed_in(world.alice)
    mapping_url = _upload(client, _two_sheets(lapor_line(1), lapor_line(2)))
    with django_assert_max_num_queries(12):
        page = client.get(mapping_url).content.decode()
    assert 'data-testid="import-sheet"' in page
    assert "<strong>Data Laporan</strong>, satu dari 2 lembar" in page
    assert "SP4N-LAPOR!" in page  # the data sheet's header, recognised
    response = client.post(mapping_url, {"col_0": "tracking_number", "col_1": "received_at",
                                         "col_2": "unit", "col_3": "status", "col_4": "closed_at"})  # fmt: skip
    preview = client.get(response["Location"]).content.decode()
    assert "Lembar kerja: Data Laporan." in preview
    client.post(response["Location"] + "simpan/")
    assert sorted(Complaint.objects.values_list("tracking_number", flat=True)) == ["#1", "#2"]


def test_the_wizard_says_which_sheets_with_the_same_table_it_does_not_read(world) -> None:
    """A year exported as "Semester I" and "Semester II": the preview names the second with
    its rows (the wizard reads the chosen sheet again at each step, and still says it)."""
    from tests.workbooks import xlsx_sheets

    header = HEADER.split(";")
    first = [header, lapor_line(1).split(";")]
    second = [header, lapor_line(2).split(";"), lapor_line(3).split(";")]
    client = signed_in(world.alice)
    f = io.BytesIO(xlsx_sheets([("Semester I", first), ("Semester II", second)]))
    f.name = "lapor.xlsx"
    mapping_url = _upload(client, f)
    response = client.post(mapping_url, {"col_0": "tracking_number", "col_1": "received_at",
                                         "col_2": "unit", "col_3": "status", "col_4": "closed_at"})  # fmt: skip
    preview = client.get(response["Location"]).content.decode()
    assert (
        "Lembar kerja &#x27;Semester II&#x27; memuat tabel dengan judul kolom yang sama (2 baris)"
        in preview
    )
    assert "setelah impor ini disimpan, lembar itu ditawarkan tanpa mengunggah lagi" in preview


def test_a_sheet_named_on_upload_is_read_even_without_the_table(world) -> None:
    client = signed_in(world.alice)
    f = _two_sheets(lapor_line(1))
    response = client.post("/impor/complaints/", {"file": f, "sheet": "Rekap"})
    page = client.get(response["Location"]).content.decode()
    assert "<strong>Rekap</strong>, satu dari 2 lembar" in page
    assert "Sumber tidak dikenali" in page  # the summary's columns are not a LAPOR! export


def test_rows_waiting_for_people_are_counted_together_under_one_description(world) -> None:
    from kompeten.core import importing as imp
    from tests.workbooks import xlsx_rows

    nips = ["199001012015011001", "199002022015012002", "199003032015011003"]
    data = xlsx_rows([["NIP", "Tahun", "Nilai SKP"], *[[nip, 2025, 80] for nip in nips]])
    plan = imp.plan("skp", data, "skp.xlsx", instansi=world.instansi, user=world.alice, options={})
    imp.commit(plan, partial=True)
    assert PendingRow.objects.filter(reason="person_unknown").count() == 3
    page = signed_in(world.alice).get("/impor/tertunda/").content.decode()
    reasons = page.split('data-testid="pending-reasons"', 1)[1].split("</section>", 1)[0]
    assert '<td class="num">3</td><td>Pegawai tidak ditemukan menurut NIP atau namanya' in reasons
    assert nips[0] not in reasons  # one description, not three messages of one row each


def test_rows_refused_for_different_values_are_not_described_by_one_of_them(world) -> None:
    """Two rows kept for a bad value each (a date here, a status there): the group reads as
    refused values, not as the first row's message over both rows."""
    from kompeten.core import importing as imp
    from tests.workbooks import xlsx_rows

    header = HEADER.split(";")
    bad_date, bad_status = lapor_line(1).split(";"), lapor_line(2).split(";")
    bad_date[1], bad_status[3] = "kemarin", "Entah"
    data = xlsx_rows([header, bad_date, bad_status])
    plan = imp.plan("complaints", data, "l.xlsx", instansi=world.instansi, user=world.alice)
    imp.commit(plan, partial=True)
    assert PendingRow.objects.filter(reason="problem").count() == 2
    page = signed_in(world.alice).get("/impor/tertunda/").content.decode()
    reasons = page.split('data-testid="pending-reasons"', 1)[1].split("</section>", 1)[0]
    assert '<td class="num">2</td><td>Isi baris ditolak (nilai yang tidak dapat dibaca' in reasons
    assert "kemarin" not in reasons and "Entah" not in reasons


def test_an_edit_that_still_fails_says_the_new_reason_and_offers_no_stale_unit(world) -> None:
    client = signed_in(world.alice)
    preview_url = _upload(client, lapor_csv(lapor_line(2, unit="Dinas Gamma"))).replace(
        "kolom/", ""
    )
    client.post(preview_url + "simpan/", {"partial": "1"})
    pending = PendingRow.objects.get()
    mapped = [h for h in pending.run.headers if pending.run.mapping.get(h)]
    values = {f"cell_{i}": pending.values[h] for i, h in enumerate(mapped)}
    values[f"cell_{mapped.index('Instansi Terdisposisi')}"] = "Dinas Beta"
    values[f"cell_{mapped.index('Tanggal Laporan')}"] = "kemarin"
    response = client.post(f"/impor/tertunda/{pending.pk}/", values)
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.reason == "problem" and pending.message.startswith("Tanggal Laporan:")
    page = client.get("/impor/tertunda/").content.decode()
    assert "/opd/baru/?nama=" not in page and "Dinas Gamma" not in page


def test_a_file_with_a_problem_of_its_own_shows_no_clean_rows(world) -> None:
    """A required column missing: the rows are not checked, so no card claims them clean."""
    client = signed_in(world.alice)
    f = io.BytesIO(
        b"Nomor;Tanggal Laporan;Instansi Terdisposisi;Status\n#1;02/03/2025 09:00;Dinas Beta;"
         b"Proses\n"
    )  # fmt: skip
    f.name = "lapor.csv"
    page = client.get(_upload(client, f).replace("kolom/", "")).content.decode()
    assert "Kolom wajib Nomor pelacakan tidak ditemukan" in page
    assert 'data-testid="count-clean"' not in page
    assert 'data-testid="count-file-problems">1<' in page
    assert 'data-testid="rows-unchecked"' in page


def test_back_to_a_committed_preview_says_the_file_no_longer_waits(world) -> None:
    client = signed_in(world.alice)
    preview_url = _upload(client, lapor_csv(lapor_line(1))).replace("kolom/", "")
    assert client.post(preview_url + "simpan/").status_code == 302
    for url in (preview_url, preview_url + "kolom/"):
        response = client.get(url)
        assert response.status_code == 404
        page = response.content.decode()
        assert "Berkas impor ini tidak lagi menunggu" in page and 'href="/impor/"' in page
    # a second commit of the same preview (a double click) gets the same page, writes nothing
    again = client.post(preview_url + "simpan/")
    assert again.status_code == 404 and Complaint.objects.count() == 1


def test_the_upload_page_lists_the_columns_it_reads(world, django_assert_max_num_queries) -> None:
    """Before choosing a file: each column, whether it is required, how headers spell it and
    what may be left out (the employee import reads sex and birth date from the NIP)."""
    client = signed_in(world.alice)
    with django_assert_max_num_queries(8):
        page = client.get("/impor/employees/").content.decode()
    columns = page.split('data-testid="import-columns"', 1)[1].split("</details>", 1)[0]
    nip, name, _front, _back, sex = columns.split("<tr>")[2:7]
    assert (
        "<td>NIP</td><td>ya</td><td><code>NIP</code>, <code>NIP BARU</code>, <code>NIP 18</code>"
        in nip
    )
    assert "<td>Nama</td><td>ya</td>" in name
    assert "<td>Jenis kelamin</td><td>—</td>" in sex
    assert "dibaca dari NIP (digit 1–8 tanggal lahir, digit 15 jenis kelamin)" in sex
    assert "<td>Pendidikan</td><td>—</td>" in columns

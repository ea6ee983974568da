"""The SP4N-LAPOR! import on the import engine: the admin export's own headers and statuses,
unit names as people write them, rows for units not in the tree kept pending and completed once
the unit exists, every problem in one pass, and the CLI (`kompeten import complaints FILE`)."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from kompeten.core import importing as imp
from kompeten.core.models import ImportMapping, ImportRun, PendingRow
from kompeten.service.actions.complaints import do_import_complaints
from kompeten.service.models import Complaint
from tests import factories
from tests.workbooks import xlsx_rows, xlsx_sheets

pytestmark = pytest.mark.django_db

SAMPLE = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "bkpsdm-2025"
    / "Export_Laporan_SP4N-LAPOR_Pemkot_Sawahlunto_2025.xlsx"
)
HEADERS = [
    "No",
    "ID Tracking",
    "Tanggal Laporan",
    "Judul Laporan",
    "Isi Laporan",
    "Klasifikasi",
    "Kategori",
    "Sumber",
    "Instansi Terdisposisi",
    "Status",
    "Tanggal Selesai",
]
DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil Kota Sawahlunto"
PTSP = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Sawahlunto"


def _xlsx(rows: list[list[object]], title: bool = False) -> bytes:
    """HEADERS and ``rows`` on the sheet "Laporan", from A1 or under the export's title."""
    above = [["DAFTAR LAPORAN SP4N-LAPOR! PEMERINTAH KOTA SAWAHLUNTO"], []] if title else []
    return xlsx_rows([*above, HEADERS, *rows], sheet="Laporan")


def _row(n: int, unit: str = DUKCAPIL, status: str = "Selesai", done: str | None = None) -> list:
    finished = done if done is not None else ("10/03/2025 15:00" if status == "Selesai" else "")
    return [
        n,
        f"#{5000000 + n}",
        "02/03/2025 09:00",
        "Antrian KTP",
        "Antrian KTP lama. Mohon ditindaklanjuti.",
        "Pengaduan",
        "Administrasi Kependudukan",
        "Website",
        unit,
        status,
        finished or None,
    ]


@pytest.fixture
def sawahlunto(db):
    instansi = factories.make_instansi("Pemerintah Kota Sawahlunto", "sawahlunto")
    root = factories.make_unit(instansi, "Pemerintah Kota Sawahlunto", code="KOTA")
    dukcapil = factories.make_unit(
        instansi, "Dinas Kependudukan dan Pencatatan Sipil", parent=root, code="DISDUKCAPIL"
    )
    return instansi, root, dukcapil


def test_the_admin_export_headers_and_every_lapor_status_are_understood(sawahlunto) -> None:
    instansi, _root, dukcapil = sawahlunto
    rows = [
        _row(1, status="Selesai"),
        _row(2, status="Proses"),
        _row(3, status="Sedang Diproses"),
        _row(4, status="Belum Ditindaklanjuti"),
        _row(5, status="Diarsipkan"),  # no finish date: LAPOR! archives without one
        _row(6, unit="DISDUKCAPIL", status="Belum Diverifikasi"),
        _row(7, unit="Disdukcapil Kota Sawahlunto", status="Terverifikasi"),
        # as a recap spells statuses out, and a dash where an open complaint has no finish
        _row(8, status="Telah Selesai", done="10/03/2025 15:00"),
        _row(9, status="Dalam Proses", done="-"),
        _row(10, status="Masih Diproses", done="–"),
        _row(11, status="Sudah Didisposisi"),
    ]
    plan = imp.plan(
        "complaints", _xlsx(rows, title=True), "lapor.xlsx", instansi=instansi, user=None
    )
    assert plan.source is not None and plan.source.key == "lapor"
    assert plan.header_row == 3
    assert {"No", "Isi Laporan", "Sumber"} <= set(plan.ignored_columns)
    assert plan.problems == [] and plan.is_clean
    outcome = imp.commit(plan, partial=False)
    assert outcome.imported == 11
    status = dict(Complaint.objects.values_list("tracking_number", "status"))
    assert status == {
        "#5000008": "selesai",
        "#5000009": "ditindaklanjuti",
        "#5000010": "ditindaklanjuti",
        "#5000011": "didisposisi",
        "#5000001": "selesai",
        "#5000002": "ditindaklanjuti",
        "#5000003": "ditindaklanjuti",
        "#5000004": "didisposisi",
        "#5000005": "diarsipkan",
        "#5000006": "diterima",
        "#5000007": "diverifikasi",
    }
    assert set(Complaint.objects.values_list("unit_id", flat=True)) == {dukcapil.pk}
    done = Complaint.objects.get(tracking_number="#5000001")
    assert done.topic == "Administrasi Kependudukan" and done.category == (
        "tanpa_pemeriksaan_lapangan"
    )
    assert Complaint.objects.get(tracking_number="#5000005").closed_at is None
    # the mapping is remembered for this instansi and source, and the run recorded
    assert (
        ImportMapping.objects.get(instansi=instansi, declaration="complaints").mapping[
            "ID Tracking"
        ]
        == "tracking_number"
    )
    assert ImportRun.objects.get().status == "done"


def test_every_problem_is_reported_in_one_pass_with_accepted_values(sawahlunto) -> None:
    instansi, _root, _d = sawahlunto
    rows = [_row(n) for n in range(1, 301)]
    rows[10][9] = "Entahlah"  # unknown status
    rows[20][2] = "kemarin"  # unreadable date
    rows[30][1] = rows[31][1]  # duplicate tracking number
    rows[250][10] = None  # Selesai without finish date
    plan = imp.plan("complaints", _xlsx(rows), "lapor.xlsx", instansi=instansi, user=None)
    by_row = {p.row: p for p in plan.problems}
    assert set(by_row) == {12, 22, 33, 252}  # Excel rows (header is row 1)
    assert by_row[12].column == "Status" and "Belum Ditindaklanjuti" in by_row[12].accepted
    assert by_row[22].column == "Tanggal Laporan" and by_row[22].value == "kemarin"
    assert "baris 32" in by_row[33].message
    with pytest.raises(imp.PlanNotClean):
        imp.commit(plan, partial=False)
    assert not Complaint.objects.exists()
    book = imp.problem_workbook(plan)
    assert book.startswith(b"PK")


def test_rows_for_units_not_in_the_tree_are_kept_pending_and_complete_later(sawahlunto) -> None:
    instansi, root, _d = sawahlunto
    data = _xlsx([_row(1), _row(2, unit=PTSP), _row(3, unit=PTSP, status="Proses")])
    plan = imp.plan("complaints", data, "lapor.xlsx", instansi=instansi, user=None)
    assert plan.counts["clean"] == 1 and plan.counts["pending"] == 2
    with pytest.raises(imp.PlanNotClean):
        imp.commit(plan, partial=False)
    outcome = imp.commit(plan, partial=True)
    assert outcome.imported == 1 and outcome.pending == 2
    pending = list(PendingRow.objects.order_by("row_number"))
    assert [(p.row_number, p.reason) for p in pending] == [(3, "unit_unknown"), (4, "unit_unknown")]
    assert pending[0].values["Instansi Terdisposisi"] == PTSP
    assert ImportRun.objects.get().status == "partial"
    # the unit arrives: the pending rows complete
    factories.make_unit(instansi, "DPMPTSP", parent=root, code="DPMPTSP")
    assert imp.retry_pending(instansi, None, key="complaints") == 2
    assert Complaint.objects.count() == 3
    assert not PendingRow.objects.filter(resolved_at__isnull=True).exists()


def test_a_later_export_updates_the_status_of_complaints_already_imported(sawahlunto) -> None:
    instansi, _root, _d = sawahlunto
    do_import_complaints(instansi, _xlsx([_row(1, status="Proses")]), "lapor.xlsx")
    do_import_complaints(instansi, _xlsx([_row(1, status="Selesai"), _row(2)]), "lapor.xlsx")
    assert dict(Complaint.objects.values_list("tracking_number", "status")) == {
        "#5000001": "selesai",
        "#5000002": "selesai",
    }


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("Selesai Ditindaklanjuti", "selesai"),
        ("Tindak Lanjut Selesai", "selesai"),
        ("Laporan Selesai", "selesai"),
        ("Selesai (Ditutup)", "selesai"),
        ("Proses Tindak Lanjut", "ditindaklanjuti"),
        ("Dalam Proses Tindak Lanjut", "ditindaklanjuti"),
        ("Menunggu Tanggapan", "didisposisi"),
    ],
)
def test_statuses_as_other_recaps_write_them(sawahlunto, written: str, status: str) -> None:
    instansi, _root, _d = sawahlunto
    plan = imp.plan(
        "complaints",
        _xlsx([_row(1, status=written, done="10/03/2025 15:00" if status == "selesai" else "")]),
        "lapor.xlsx",
        instansi=instansi,
        user=None,
    )
    assert plan.is_clean, plan.problems
    assert plan.rows[0].values["status"] == status


def test_a_recap_headed_waktu_lapor_is_read(sawahlunto) -> None:
    instansi, _root, _d = sawahlunto
    headers = ["Nomor Laporan", "Waktu Lapor", "Instansi Tujuan", "Status", "Waktu Selesai"]
    data = xlsx_rows([headers, ["5000001", "02/03/2025 09:00", DUKCAPIL, "Selesai", "10/03/2025"]])
    plan = imp.plan("complaints", data, "rekap.xlsx", instansi=instansi, user=None)
    assert plan.is_clean, plan.problems
    assert plan.mapping["Waktu Lapor"] == "received_at"


def test_a_us_written_recap_reads_its_closing_dates_as_its_report_dates(sawahlunto) -> None:
    """A recap re-saved under US settings: the report dates show they are month first (1/15),
    and the closing dates, all on days up to 12, are read the same way, not months late."""
    instansi, _root, _d = sawahlunto
    rows = [_row(1, done="1/10/2025 3:00 PM"), _row(2, done="6/12/2025 9:30 AM")]
    rows[0][2], rows[1][2] = "1/7/2025 8:00 AM", "6/11/2025 10:00 AM"
    rows.append(_row(3, done="2/3/2025 1:00 PM"))
    rows[2][2] = "1/15/2025 9:00 AM"
    do_import_complaints(instansi, _xlsx(rows), "lapor.xlsx")
    stored = {
        c.tracking_number: (c.received_at.date(), c.closed_at.date())
        for c in Complaint.objects.all()
    }
    assert stored == {
        "#5000001": (date(2025, 1, 7), date(2025, 1, 10)),
        "#5000002": (date(2025, 6, 11), date(2025, 6, 12)),
        "#5000003": (date(2025, 1, 15), date(2025, 2, 3)),
    }


def test_a_recap_writing_the_tracking_number_without_its_hash_updates_the_same_complaints(
    sawahlunto,
) -> None:
    """LAPOR! writes #5000001; a recap or a re-saved sheet writes 5000001 (a number cell, or
    with a space): the same complaint, updated, never a second one."""
    instansi, _root, _d = sawahlunto
    imp.commit(imp.plan("complaints", _xlsx([_row(1, status="Proses"), _row(2)]), "a.xlsx",
                        instansi=instansi, user=None))  # fmt: skip
    recap = [_row(1), _row(2)]
    recap[0][1] = 5000001.0  # a number cell
    recap[1][1] = "# 5000002"
    outcome = imp.commit(
        imp.plan("complaints", _xlsx(recap), "rekap.xlsx", instansi=instansi, user=None)
    )
    assert outcome.written["pengaduan baru"] == 0
    assert dict(Complaint.objects.values_list("tracking_number", "status")) == {
        "#5000001": "selesai",
        "#5000002": "selesai",
    }


@pytest.mark.parametrize(
    ("written", "stored"),
    [("#5886753", "#5886753"), ("5886753", "#5886753"), (" # 5886753 ", "#5886753"),
     ("LAP-2025-001", "LAP-2025-001"), ("ADU  12", "ADU 12")],
)  # fmt: skip
def test_a_tracking_number_is_stored_as_lapor_writes_it(written: str, stored: str) -> None:
    assert Complaint.canonical_number(written) == stored


def test_the_migration_rewrites_stored_numbers_unless_both_spellings_are_stored(
    sawahlunto,
) -> None:
    import importlib

    from django.apps import apps

    instansi, _root, dukcapil = sawahlunto
    for number in ("5000001", "5000002", "#5000002", "LAP-7"):
        Complaint.objects.create(
            instansi=instansi,
            unit=dukcapil,
            tracking_number=number,
            category="informasi",
            received_at="2025-03-02T09:00:00+07:00",
        )
    migration = importlib.import_module(
        "kompeten.service.migrations.0006_canonical_tracking_numbers"
    )
    migration.canonicalise(apps, None)
    assert sorted(Complaint.objects.values_list("tracking_number", flat=True)) == [
        "#5000001",
        "#5000002",
        "5000002",  # both spellings were stored: left for a person to merge
        "LAP-7",
    ]


def test_the_old_action_refuses_a_bad_file_with_every_row_named(sawahlunto) -> None:
    instansi, _root, _d = sawahlunto
    data = _xlsx([_row(1, status="??"), _row(2, unit="Dinas Antah Berantah")])
    with pytest.raises(ValidationError) as exc:
        do_import_complaints(instansi, data, "lapor.xlsx")
    text = "\n".join(exc.value.messages)
    assert "Baris 2, kolom Status" in text and "Baris 3" in text and "tidak dikenal" in text
    assert not Complaint.objects.exists()


def _sample_instansi():
    instansi = factories.make_instansi("Pemerintah Kota Sawahlunto", "sawahlunto")
    root = factories.make_unit(instansi, "Pemerintah Kota Sawahlunto", code="KOTA")
    return instansi, root


def test_the_sample_export_imports_with_the_expected_figures(db) -> None:
    """expected.md: received and Selesai per unit and period, mean calendar days to Selesai."""
    instansi, root = _sample_instansi()
    out = io.StringIO()
    call_command("import_complaints", str(SAMPLE), "--partial", stdout=out)
    assert Complaint.objects.count() == 0
    assert PendingRow.objects.filter(resolved_at__isnull=True).count() == 393
    assert "393 baris tertunda" in out.getvalue()
    # the units arrive (by their short names), the pending rows complete by themselves
    dukcapil = factories.make_unit(instansi, "Disdukcapil", parent=root, code="DUKCAPIL")
    ptsp = factories.make_unit(instansi, "DPMPTSP", parent=root, code="PTSP")
    assert imp.retry_pending(instansi, None) == 184
    assert PendingRow.objects.filter(resolved_at__isnull=True).count() == 393 - 184
    expected = {
        (ptsp.pk, "after"): (33, 33, 10.61),
        (ptsp.pk, "before"): (41, 35, 15.74),
        (dukcapil.pk, "after"): (48, 47, 10.83),
        (dukcapil.pk, "before"): (62, 53, 15.30),
    }
    received: Counter = Counter()
    done: Counter = Counter()
    days: dict = {}
    for c in Complaint.objects.all():
        day = c.received_at.date()
        period = "before" if day <= date(2025, 6, 26) else "after"
        received[c.unit_id, period] += 1
        if c.status == "selesai":
            done[c.unit_id, period] += 1
            span = c.closed_at - c.received_at
            days.setdefault((c.unit_id, period), []).append(span.total_seconds() / 86400)
    for key, (n, selesai, mean_days) in expected.items():
        assert received[key] == n and done[key] == selesai
        assert round(sum(days[key]) / len(days[key]), 2) == pytest.approx(mean_days, abs=0.6)


def test_the_cli_lists_every_problem_writes_the_workbook_and_nothing_else(
    sawahlunto, tmp_path: Path
) -> None:
    _instansi, _root, _d = sawahlunto
    path = tmp_path / "lapor.xlsx"
    path.write_bytes(_xlsx([_row(1, status="??"), _row(2, unit=PTSP)]))
    problems = tmp_path / "masalah.xlsx"
    with pytest.raises(CommandError) as exc:
        call_command(
            "import_complaints", str(path), "--instansi", "sawahlunto", "--problems", str(problems)
        )
    assert "Baris 2, kolom Status" in str(exc.value) and "Baris 3: tertunda" in str(exc.value)
    assert problems.read_bytes().startswith(b"PK")
    assert not Complaint.objects.exists() and not ImportRun.objects.exists()
    out = io.StringIO()
    path.write_bytes(_xlsx([_row(1), _row(2, unit=PTSP)]))
    call_command("import_complaints", str(path), "--partial", stdout=out)
    assert "1 baris diimpor" in out.getvalue() and "1 baris tertunda" in out.getvalue()
    assert Complaint.objects.count() == 1 and PendingRow.objects.count() == 1


def test_the_cli_takes_a_column_mapping(sawahlunto, tmp_path: Path) -> None:
    _instansi, _root, _d = sawahlunto
    header = ";".join(HEADERS).replace("ID Tracking", "Kode Aduan")
    line = ";".join("" if v is None else str(v) for v in _row(1))
    path = tmp_path / "lapor.csv"
    path.write_text(header + "\n" + line + "\n", encoding="cp1252")
    with pytest.raises(CommandError, match="Nomor pelacakan"):
        call_command("import_complaints", str(path))
    call_command("import_complaints", str(path), "--map", "Kode Aduan=tracking_number")
    assert Complaint.objects.get().tracking_number == "#5000001"


def test_the_cli_says_a_recap_replaced_the_rows_waiting_for_the_same_complaints(
    sawahlunto, tmp_path: Path
) -> None:
    lapor, recap = tmp_path / "lapor.xlsx", tmp_path / "rekap.xlsx"
    lapor.write_bytes(_xlsx([_row(2, unit=PTSP), _row(3, unit=PTSP)]))
    rows = [_row(2, unit=PTSP), _row(3, unit=PTSP)]
    rows[0][1], rows[1][1] = "5000002", 5000003.0
    recap.write_bytes(_xlsx(rows))
    call_command("import_complaints", str(lapor), "--partial", stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_complaints", str(recap), "--partial", stdout=out)
    assert (
        "2 baris tertunda (lihat /impor/tertunda/); 2 baris tertunda dari impor sebelumnya "
        "diganti oleh baris berkas ini untuk data yang sama."
    ) in out.getvalue()
    assert PendingRow.objects.filter(resolved_at__isnull=True).count() == 2


def test_the_cli_reads_the_data_sheet_after_a_summary_and_says_which(
    sawahlunto, tmp_path: Path
) -> None:
    summary: list[list[object]] = [["REKAP LAPORAN"], [], ["Status", "Jumlah"], ["Selesai", 1]]
    path = tmp_path / "lapor.xlsx"
    path.write_bytes(xlsx_sheets([("Rekap", summary), ("Laporan", [HEADERS, _row(1)])]))
    out = io.StringIO()
    call_command("import_complaints", str(path), stdout=out)
    assert "Lembar kerja dibaca: Laporan (satu dari 2 lembar" in out.getvalue()
    assert Complaint.objects.get().tracking_number == "#5000001"


def test_a_recap_with_its_own_headers_is_mapped_to_the_most_specific_unit_column(
    sawahlunto,
) -> None:
    """A hand-made recap: 'Instansi' names the Pemda and 'Unit Kerja' the OPD; its finish date
    is 'Tanggal Penyelesaian' and its number 'Nomor Tiket'."""
    instansi, _root, dukcapil = sawahlunto
    headers = ["No", "Nomor Tiket", "Tanggal Pengaduan", "Instansi", "Unit Kerja", "Status",
               "Tanggal Penyelesaian"]  # fmt: skip
    rows = [[1, "#5000001", "02/03/2025 09:00", "Pemerintah Kota Sawahlunto", DUKCAPIL,
             "Selesai", "10/03/2025 15:00"]]  # fmt: skip
    plan = imp.plan(
        "complaints", xlsx_rows([headers, *rows]), "rekap.xlsx", instansi=instansi, user=None
    )
    assert plan.mapping["Unit Kerja"] == "unit" and plan.mapping["Instansi"] == ""
    assert plan.mapping["Tanggal Penyelesaian"] == "closed_at"
    imp.commit(plan)
    assert Complaint.objects.get().unit == dukcapil


def test_a_finished_complaint_without_a_finish_date_column_says_which_column_is_missing(
    sawahlunto,
) -> None:
    instansi, _root, _d = sawahlunto
    headers = ["ID Tracking", "Tanggal Laporan", "Instansi Terdisposisi", "Status", "Tgl Beres"]
    rows = [["#5000001", "02/03/2025 09:00", DUKCAPIL, "Selesai", "10/03/2025 15:00"]]
    plan = imp.plan(
        "complaints", xlsx_rows([headers, *rows]), "rekap.xlsx", instansi=instansi, user=None
    )
    (problem,) = plan.problems
    assert problem.message == (
        "Pengaduan berstatus selesai perlu tanggal selesai, tetapi kolom tanggal selesai tidak "
        "ditemukan di berkas; pilih kolomnya di langkah pemetaan."
    )


def test_the_same_file_again_does_not_keep_its_pending_rows_twice(sawahlunto, client) -> None:
    instansi, root, _d = sawahlunto
    data = _xlsx([_row(1), _row(2, unit=PTSP), _row(3, unit=PTSP, status="Proses")])

    def commit() -> imp.Outcome:
        the_plan = imp.plan("complaints", data, "lapor.xlsx", instansi=instansi, user=None)
        return imp.commit(the_plan, partial=True)

    first = commit()
    assert first.pending == 2 and not first.already_pending
    again = commit()
    assert again.pending == 2 and again.already_pending == {3, 4}
    assert PendingRow.objects.filter(resolved_at__isnull=True).count() == 2
    assert again.run.counts["pending"] == 0 and again.run.counts["already_pending"] == 2
    from kompeten.core.models import Role

    client.force_login(factories.make_user(instansi, "admin.bkpsdm", Role.ADMIN))
    page = client.get(f"/impor/hasil/{again.run.pk}/").content.decode()
    assert (
        "2 baris sudah tertunda dari impor sebelumnya dengan isi yang sama; tidak disimpan dua "
        "kali." in page
    )
    assert 'data-testid="result-completed"' not in page  # nothing was completed
    # the same complaint as a later export writes it waits once, with the later cells
    data = _xlsx([_row(2, unit=PTSP, status="Proses")])
    changed = commit()
    assert changed.already_pending == frozenset() and changed.replaced_pending == 1
    assert PendingRow.objects.filter(resolved_at__isnull=True).count() == 2
    # the unit arrives: every waiting row completes once, the complaint as the later file says
    factories.make_unit(instansi, "DPMPTSP", parent=root, code="DPMPTSP")
    imp.retry_pending(instansi, None, key="complaints")
    assert dict(Complaint.objects.values_list("tracking_number", "status")) == {
        "#5000001": "selesai",
        "#5000002": "ditindaklanjuti",  # "Proses", as the later file says, not "Selesai"
        "#5000003": "ditindaklanjuti",
    }


def test_a_complaint_exported_with_and_without_its_hash_waits_once(sawahlunto, client) -> None:
    """LAPOR!'s export writes #5000002, a recap 5000002: one complaint waiting for its unit,
    not two, and both result pages say what happened to the earlier row."""
    from kompeten.core.models import Role

    instansi, _root, _d = sawahlunto
    lapor = imp.commit(
        imp.plan("complaints", _xlsx([_row(2, unit=PTSP)]), "lapor.xlsx", instansi=instansi,
                 user=None),
        partial=True,
    )  # fmt: skip
    recap_row = _row(2, unit=PTSP)
    recap_row[1] = "5000002"
    recap = imp.commit(
        imp.plan("complaints", _xlsx([recap_row]), "rekap.xlsx", instansi=instansi, user=None),
        partial=True,
    )
    assert lapor.pending == 1 and recap.pending == 1 and recap.replaced_pending == 1
    assert list(
        PendingRow.objects.filter(resolved_at__isnull=True).values_list("run_id", "key")
    ) == [(recap.run.pk, "#5000002")]
    replaced = PendingRow.objects.get(run=lapor.run)
    assert replaced.reason == "replaced" and replaced.resolved_at is not None
    assert recap.run.counts["replaced_pending"] == 1
    client.force_login(factories.make_user(instansi, "admin.bkpsdm", Role.ADMIN))
    page = client.get(f"/impor/hasil/{recap.run.pk}/").content.decode()
    assert (
        "1 baris tertunda dari impor sebelumnya diganti oleh baris berkas ini untuk data yang "
        "sama (misalnya nomor pelacakan yang sama)." in page
    )
    earlier = client.get(f"/impor/hasil/{lapor.run.pk}/").content.decode()
    assert (
        "1 baris tertunda impor ini kemudian diganti oleh baris impor berikutnya untuk data "
        "yang sama." in earlier
    )
    assert 'data-testid="result-completed"' not in earlier  # replaced is not completed
    assert 'data-testid="result-pending">0<' in earlier


def test_the_complaints_page_says_how_many_imported_rows_it_does_not_count_yet(
    sawahlunto, client
) -> None:  # type: ignore[no-untyped-def]
    from kompeten.core.models import Role

    instansi, root, _d = sawahlunto
    last_year, undated = _row(4, unit=PTSP), _row(5, unit=PTSP)
    last_year[2], undated[2] = "02/03/2024 09:00", "kemarin sore"
    data = _xlsx([_row(1), _row(2, unit=PTSP), _row(3, unit=PTSP, status="Proses"), last_year])
    imp.commit(
        imp.plan("complaints", data, "lapor.xlsx", instansi=instansi, user=None), partial=True
    )
    admin = factories.make_user(instansi, "admin.bkpsdm", Role.ADMIN)
    client.force_login(admin)
    html = client.get("/layanan/pengaduan/?year=2025").content.decode()
    assert (
        "2 baris pengaduan dari berkas yang diimpor belum dihitung di sini: unit kerjanya belum "
        "ada di pohon OPD."
    ) in html
    # a year's page counts the year's rows; a row whose date does not read may be any year's
    assert (
        "1 baris pengaduan dari berkas"
        in client.get("/layanan/pengaduan/?year=2024").content.decode()
    )
    imp.commit(
        imp.plan("complaints", _xlsx([undated]), "b.xlsx", instansi=instansi, user=None),
        partial=True,
    )
    assert (
        "2 baris pengaduan dari berkas"
        in client.get("/layanan/pengaduan/?year=2024").content.decode()
    )
    assert (
        "3 baris pengaduan dari berkas"
        in client.get("/layanan/pengaduan/?year=2025").content.decode()
    )
    PendingRow.objects.filter(run__filename="b.xlsx").delete()
    assert 'href="/impor/tertunda/?key=complaints"' in html
    from kompeten.reports.tasks import refresh_dashboard_now

    refresh_dashboard_now(instansi, 2025)  # the leadership dashboard's totals say it too
    leaders = client.get("/laporan/dasbor/?year=2025").content.decode()
    assert 'data-testid="complaints-waiting"' in leaders and "2 baris pengaduan" in leaders
    # the unit arrives and its rows are counted: nothing left to say
    factories.make_unit(instansi, "DPMPTSP", parent=root, code="DPMPTSP")
    imp.retry_pending(instansi, None, key="complaints")
    html = client.get("/layanan/pengaduan/?year=2025").content.decode()
    assert 'data-testid="complaints-waiting"' not in html


def test_a_later_export_written_at_once_replaces_the_older_row_still_waiting(sawahlunto) -> None:
    """File A: #5000002 "Proses" waits for its unit. The unit is made; file B writes it
    "Selesai" at once. A's older row must not then be retried over B's (the retry runs after
    every commit)."""
    instansi, root, _d = sawahlunto
    older = imp.commit(
        imp.plan("complaints", _xlsx([_row(2, unit=PTSP, status="Proses")]), "a.xlsx",
                 instansi=instansi, user=None),
        partial=True,
    )  # fmt: skip
    assert older.pending == 1
    factories.make_unit(instansi, "DPMPTSP", parent=root, code="DPMPTSP")
    newer = imp.commit(
        imp.plan("complaints", _xlsx([_row(2, unit=PTSP)]), "b.xlsx", instansi=instansi,
                 user=None),
        partial=True,
    )  # fmt: skip
    assert newer.replaced_pending == 1 and newer.resolved == 0
    assert Complaint.objects.get().status == "selesai"
    assert PendingRow.objects.get().reason == "replaced"


def test_a_dry_run_with_partial_lists_the_rows_it_would_keep_pending(
    sawahlunto, tmp_path: Path
) -> None:
    path = tmp_path / "lapor.xlsx"
    path.write_bytes(_xlsx([_row(1), _row(2, unit=PTSP)]))
    out = io.StringIO()
    call_command("import_complaints", str(path), "--partial", "--dry-run", stdout=out)
    assert "Tertunda baris 3: Unit kerja tidak dikenal: " in out.getvalue()
    assert "1 baris akan tertunda" in out.getvalue()
    assert not Complaint.objects.exists() and not PendingRow.objects.exists()

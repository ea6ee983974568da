"""Duty calendars and staffing rules: editing within one's subtree; the calendar import on the
engine (every problem in one pass, pending rows, all or nothing unless partial)."""

from __future__ import annotations

import io
from datetime import date, datetime, time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from kompeten.core import importing as imp
from kompeten.scheduling.actions.duties import DutyInput, do_create_duty
from kompeten.scheduling.models import DutyEntry, PeakPeriod, StaffingRule
from tests import factories
from tests.participation.builders import JKT
from tests.workbooks import xlsx_rows


def _xlsx(rows: list[list[object]]) -> io.BytesIO:
    buffer = io.BytesIO(xlsx_rows(rows))
    buffer.name = "tugas.xlsx"
    return buffer


HEADER = ["nip", "jenis", "mulai", "selesai", "berulang_sampai", "keterangan"]


def _plan(world, user, upload: io.BytesIO) -> imp.Plan:  # type: ignore[no-untyped-def]
    return imp.plan(
        "duties", upload.getvalue(), "tugas.xlsx", instansi=world.instansi, user=user, options={}
    )


def _imported(world, rows: list[list[object]]) -> list[tuple[str, datetime, datetime]]:  # type: ignore[no-untyped-def]
    """Import ``rows`` as alice, cleanly; the entries stored (kind, start, end), in order."""
    the_plan = _plan(world, world.alice, _xlsx(rows))
    assert the_plan.is_clean, [p.message for p in the_plan.problems]
    imp.commit(the_plan)
    return [
        (d.kind, d.start.astimezone(JKT), d.end.astimezone(JKT))
        for d in DutyEntry.objects.order_by("start")
    ]


def _web_import(client, upload: io.BytesIO, *, partial: bool = False):  # type: ignore[no-untyped-def]
    """Upload → mapping → preview → commit through the engine's pages; the commit response."""
    response = client.post(reverse("imports:upload", args=["duties"]), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    preview_url = response["Location"].replace("kolom/", "")
    assert client.get(preview_url).status_code == 200
    token = preview_url.rstrip("/").rsplit("/", 1)[1]
    return client.post(
        reverse("imports:commit", args=["duties", token]), {"partial": "1" if partial else "0"}
    )


def test_the_pengelola_imports_duties_for_their_subtree(client, world):
    client.force_login(world.bob)
    upload = _xlsx(
        [
            HEADER,
            [
                world.dave_emp.nip,
                "shift",
                "2030-03-11 08:00",
                "2030-03-11 12:00",
                "2030-06-30",
                "loket",
            ],
            [world.carol_emp.nip, "cuti", "2030-03-12 00:00", "2030-03-14 00:00", "", ""],
        ]
    )
    response = _web_import(client, upload)
    assert response.status_code == 302 and "/impor/hasil/" in response["Location"]
    assert DutyEntry.objects.count() == 2
    shift = DutyEntry.objects.get(employee=world.dave_emp)
    assert shift.repeat_until.isoformat() == "2030-06-30"
    assert shift.start == datetime(2030, 3, 11, 8, tzinfo=JKT)
    assert shift.created_by == world.bob and shift.note == "loket"


def test_a_bad_row_rejects_the_whole_file_with_every_problem_by_row_and_column(world):
    upload = _xlsx(
        [
            HEADER,
            [world.dave_emp.nip, "shift", "2030-03-11 08:00", "2030-03-11 12:00", "", ""],
            [world.erin_emp.nip, "cuti", "2030-03-12 00:00", "2030-03-14 00:00", "", ""],
            [world.dave_emp.nip, "liburan", "2030-03-12 10:00", "2030-03-12 09:00", "", ""],
            [world.dave_emp.nip, "cuti", "2030-03-12 10:00", "2030-03-12 09:00", "", ""],
            [world.dave_emp.nip, "shift", "kemarin", "2030-03-12 09:00", "30/02/2030", ""],
        ]
    )
    the_plan = _plan(world, world.bob, upload)
    found = {(p.row, p.column, p.message) for p in the_plan.problems}
    rows_fields = {(p.row, p.field) for p in the_plan.problems}
    assert rows_fields == {(4, "kind"), (5, "end"), (6, "start"), (6, "repeat_until")}
    assert any(c == "selesai" and "setelah waktu mulai" in m for _r, c, m in found)
    # erin is in Dinas Beta: to bob she is as unknown as a NIP nobody has (no oracle of where a
    # NIP belongs), kept pending until she is in his OPD
    erin = next(r for r in the_plan.pending_rows if r.number == 3)
    assert not erin.problems and "tidak dikenal di OPD Anda" in erin.pending_message
    assert "Beta" not in erin.pending_message
    kind = next(p for p in the_plan.problems if p.field == "kind")
    assert kind.column == "jenis" and "cuti" in kind.accepted
    with pytest.raises(imp.PlanNotClean):
        imp.commit(the_plan)
    assert not DutyEntry.objects.exists()


def test_an_unknown_nip_is_kept_pending_and_completes_once_the_employee_exists(world):
    upload = _xlsx(
        [
            HEADER,
            [world.dave_emp.nip, "dinas luar", "11/03/2030", "13/03/2030", "", "Padang"],
            ["199001012020011001", "cuti", "2030-03-12", "2030-03-14", "", ""],
        ]
    )
    the_plan = _plan(world, world.alice, upload)
    assert [(r.number, r.pending_reason) for r in the_plan.pending_rows] == [(3, "person_unknown")]
    outcome = imp.commit(the_plan, partial=True)
    assert (outcome.imported, outcome.pending) == (1, 1)
    travel = DutyEntry.objects.get()
    assert travel.kind == "dinas_luar" and travel.start == datetime(2030, 3, 11, tzinfo=JKT)
    factories.make_employee(
        world.beta, "Fajar Baru", nip="199001012020011001", birth_date=date(1990, 1, 1)
    )
    assert imp.retry_pending(world.instansi, world.alice, key="duties") == 1
    assert DutyEntry.objects.filter(employee__nip="199001012020011001", kind="cuti").exists()


SHIFT = DutyInput(
    kind="shift",
    start=datetime(2030, 3, 11, 8, tzinfo=JKT),
    end=datetime(2030, 3, 11, 12, tzinfo=JKT),
    repeat_until=date(2030, 6, 30),
    note="loket",
)
LEAVE = DutyInput(
    kind="cuti",
    start=datetime(2030, 3, 2, tzinfo=JKT),
    end=datetime(2030, 3, 7, tzinfo=JKT),
    repeat_until=None,
    note="",
)


@pytest.mark.parametrize(
    ("entry", "written"),
    [
        (SHIFT, (datetime(2030, 3, 11, 8), datetime(2030, 3, 11, 12))),
        # whole days as a leave list writes them, its last day inclusive
        (LEAVE, (date(2030, 3, 2), date(2030, 3, 6))),
    ],
)
def test_the_export_reimports_and_the_same_calendar_twice_adds_nothing(
    client, world, entry: DutyInput, written: tuple[object, object]
):
    client.force_login(world.alice)
    do_create_duty(employee=world.dave_emp, data=entry, actor=world.alice)
    exported = client.get(reverse("scheduling:duty_export")).content
    the_plan = imp.plan(
        "duties", exported, "ekspor.xlsx", instansi=world.instansi, user=world.alice
    )
    assert the_plan.is_clean, [p.message for p in the_plan.problems]
    (row,) = the_plan.rows
    assert (row.cells["Mulai"], row.cells["Selesai"]) == written
    outcome = imp.commit(the_plan)
    assert outcome.written == {"entri baru": 0, "entri sudah ada": 1}
    assert DutyEntry.objects.count() == 1


def test_a_leave_list_written_in_dates_covers_its_last_day(client, world):
    """A REKAP CUTI writes whole days, the last one inclusive: 02/03 to 06/03 is five days,
    a one-day Dinas Luar starts and ends on the same date; a date beside a time is a moment."""
    nip = world.dave_emp.nip
    rows = [
        ["NIP", "Jenis", "Tanggal Mulai", "Tanggal Selesai", "Keterangan"],
        [nip, "Cuti Tahunan", "02/03/2026", "06/03/2026", "5 hari kerja"],
        [nip, "Dinas Luar", "10/03/2026", "10/03/2026", ""],
        [nip, "Cuti Sakit", date(2026, 3, 16), date(2026, 3, 17), ""],
        [nip, "Jaga", "20/03/2026", "20/03/2026 12:00", "setengah hari"],
    ]
    assert _imported(world, rows) == [
        ("cuti", datetime(2026, 3, 2, tzinfo=JKT), datetime(2026, 3, 7, tzinfo=JKT)),
        ("dinas_luar", datetime(2026, 3, 10, tzinfo=JKT), datetime(2026, 3, 11, tzinfo=JKT)),
        ("cuti", datetime(2026, 3, 16, tzinfo=JKT), datetime(2026, 3, 18, tzinfo=JKT)),
        ("shift", datetime(2026, 3, 20, tzinfo=JKT), datetime(2026, 3, 20, 12, tzinfo=JKT)),
    ]
    # the list says whole days as the leave list wrote them, the others as moments
    client.force_login(world.alice)
    page = client.get(reverse("scheduling:duty_list")).content.decode()
    assert "<td>Sen, 2 Mar 2026</td><td>Jum, 6 Mar 2026</td>" in page
    assert "<td>Jum, 20 Mar 2026 00:00</td><td>Jum, 20 Mar 2026 12:00</td>" in page


def test_a_roster_of_a_date_and_its_hours_is_read_shift_by_shift(world):
    """A jadwal jaga writes Tanggal, Shift, Jam Mulai, Jam Selesai: each shift is on its
    date, a night shift ends the next morning; Excel time cells and 07.30 WIB alike."""
    nip = world.dave_emp.nip
    rows = [
        ["NIP", "Tanggal", "Shift", "Jam Mulai", "Jam Selesai"],
        [nip, "02/03/2026", "Pagi", "07:30", "14.00 WIB"],
        [nip, date(2026, 3, 3), "Malam", time(22, 0), time(6, 0)],
        [nip, "04/03/2026", "Shift Siang", "13.00", "21:00"],
    ]
    assert _imported(world, rows) == [
        ("shift", datetime(2026, 3, 2, 7, 30, tzinfo=JKT), datetime(2026, 3, 2, 14, tzinfo=JKT)),
        ("shift", datetime(2026, 3, 3, 22, tzinfo=JKT), datetime(2026, 3, 4, 6, tzinfo=JKT)),
        ("shift", datetime(2026, 3, 4, 13, tzinfo=JKT), datetime(2026, 3, 4, 21, tzinfo=JKT)),
    ]


def test_hours_without_a_date_are_refused_naming_the_column(world):
    rows = [
        ["NIP", "Jenis", "Jam Mulai", "Jam Selesai"],
        [world.dave_emp.nip, "Jaga", "07:30", "14:00"],
    ]
    the_plan = _plan(world, world.alice, _xlsx(rows))
    assert [(p.column, p.message) for p in the_plan.problems] == [
        (
            "Jam Mulai",
            "Jam 07:30 tanpa tanggal: isi kolom Tanggal, atau tulis tanggal dan jamnya.",
        ),
        (
            "Jam Selesai",
            "Jam 14:00 tanpa tanggal: isi kolom Tanggal, atau tulis tanggal dan jamnya.",
        ),
    ]


def test_a_malformed_workbook_is_a_clear_refusal_not_a_server_error(client, world):
    client.force_login(world.alice)
    bad = io.BytesIO(b"PK\x03\x04 this is no workbook at all")
    bad.name = "tugas.xlsx"
    response = client.post(reverse("imports:upload", args=["duties"]), {"file": bad})
    assert response.status_code == 400
    assert "Berkas rusak" in response.content.decode()
    assert not DutyEntry.objects.exists()


def test_the_old_page_leads_to_the_engine_and_the_cli_imports(client, world, tmp_path):
    client.force_login(world.bob)
    response = client.get(reverse("scheduling:duty_import"))
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:upload", args=["duties"])
    assert "/impor/duties/" in client.get(reverse("imports:index")).content.decode()
    client.force_login(world.dave)
    assert client.get(reverse("scheduling:duty_import")).status_code == 403
    assert client.get(reverse("imports:upload", args=["duties"])).status_code == 403
    path = tmp_path / "tugas.xlsx"
    path.write_bytes(
        _xlsx([HEADER, [world.erin_emp.nip, "cuti", "2030-03-12", "2030-03-14", "", ""]]).getvalue()
    )
    out = io.StringIO()
    call_command("import_duties", str(path), instansi=world.instansi.code, stdout=out)
    assert "1 baris diimpor" in out.getvalue()
    with pytest.raises(CommandError, match="tidak dikenal di OPD Anda"):
        call_command("import_duties", str(path), user="bob")


def test_pegawai_cannot_edit_duties_or_rules_and_pengelola_only_their_subtree(client, world):
    client.force_login(world.dave)
    assert client.get(reverse("scheduling:duty_create")).status_code == 403
    assert client.post(reverse("scheduling:rule_list"), {"form": "rule"}).status_code == 403
    entry = do_create_duty(
        employee=world.erin_emp,
        data=DutyInput(
            kind="cuti",
            start=datetime(2030, 3, 1, tzinfo=JKT),
            end=datetime(2030, 3, 2, tzinfo=JKT),
        ),
        actor=world.alice,
    )
    client.force_login(world.bob)
    assert client.post(reverse("scheduling:duty_delete", args=[entry.pk])).status_code == 404
    assert DutyEntry.objects.filter(pk=entry.pk).exists()
    response = client.post(
        reverse("scheduling:duty_create"),
        {
            "employee": world.erin_emp.pk,
            "kind": "cuti",
            "start": "2030-03-01T08:00",
            "end": "2030-03-01T12:00",
        },
    )
    assert response.status_code == 200 and DutyEntry.objects.count() == 1


def test_the_rule_form_explains_a_rule_that_cannot_hold(client, world):
    client.force_login(world.bob)

    def post_rule(min_present: int):  # type: ignore[no-untyped-def]
        """Loket of Bidang Layanan, Monday and Tuesday 08:00-12:00, ``min_present`` people."""
        form = {
            "form": "rule",
            "rule-unit": world.layanan.pk,
            "rule-label": "Loket",
            "rule-weekdays": ["0", "1"],
            "rule-start_time": "08:00",
            "rule-end_time": "12:00",
            "rule-min_present": min_present,
        }
        return client.post(reverse("scheduling:rule_list"), form)

    response = post_rule(5)
    assert response.status_code == 400
    assert "tidak mungkin dipenuhi" in response.content.decode()
    assert not StaffingRule.objects.exists()
    post_rule(1)
    rule = StaffingRule.objects.get()
    assert rule.weekdays == "01" and rule.start_time == time(8)
    client.force_login(world.erin)
    assert client.post(reverse("scheduling:rule_deactivate", args=[rule.pk])).status_code == 404


def test_a_nip_excel_damaged_matches_the_one_employee_it_can_be(world):
    fajar = factories.make_employee(
        world.layanan, "Fajar Baru", nip="199001012020011001", birth_date=date(1990, 1, 1)
    )
    # Excel keeps 15 significant digits; dave's 15 digits are shared with another NIP
    upload = _xlsx(
        [
            HEADER,
            [float("199001012020011000"), "cuti", "2030-03-12", "2030-03-14", "", ""],
            [float(world.dave_emp.nip[:15] + "000"), "cuti", "2030-03-12", "2030-03-14", "", ""],
        ]
    )
    the_plan = _plan(world, world.bob, upload)
    assert [(r.number, r.pending_reason) for r in the_plan.pending_rows] == [(3, "nip_damaged")]
    assert any(fajar.nip in w for _n, w in the_plan.warnings)
    imp.commit(the_plan, partial=True)
    assert DutyEntry.objects.get().employee == fajar


def test_a_pengelolas_pending_row_stays_in_its_subtree_when_the_admin_imports_later(world):
    upload = _xlsx([HEADER, [world.erin_emp.nip, "cuti", "2030-03-12", "2030-03-14", "", ""]])
    outcome = imp.commit(_plan(world, world.bob, upload), partial=True)
    assert outcome.pending == 1
    later = _xlsx([HEADER, [world.dave_emp.nip, "cuti", "2030-04-01", "2030-04-02", "", ""]])
    assert imp.commit(_plan(world, world.alice, later)).resolved == 0
    assert not DutyEntry.objects.filter(employee=world.erin_emp).exists()


def test_a_pengelola_sets_peak_periods_for_a_unit_only(client, world):
    client.force_login(world.bob)
    peak = {
        "form": "peak",
        "peak-label": "Musim mudik",
        "peak-start_date": "2030-04-01",
        "peak-end_date": "2030-04-10",
        "peak-penalty": 10,
    }
    response = client.post(reverse("scheduling:rule_list"), peak)
    assert response.status_code == 400
    assert "hanya dapat menetapkan masa sibuk untuk unitnya" in response.content.decode()
    assert not PeakPeriod.objects.exists()
    response = client.post(reverse("scheduling:rule_list"), {**peak, "peak-unit": world.layanan.pk})
    assert response.status_code == 302
    assert PeakPeriod.objects.get().unit == world.layanan

"""Duty calendars and staffing rules: editing within one's subtree, XLSX import all or nothing."""

from __future__ import annotations

import io
from datetime import datetime, time

import xlsxwriter
from django.urls import reverse

from kompeten.scheduling.actions.duties import DutyInput, do_create_duty
from kompeten.scheduling.models import DutyEntry, StaffingRule
from tests.participation.builders import JKT


def _xlsx(rows: list[list[object]]) -> io.BytesIO:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    buffer.seek(0)
    buffer.name = "tugas.xlsx"
    return buffer


HEADER = ["nip", "jenis", "mulai", "selesai", "berulang_sampai", "keterangan"]


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
    response = client.post(reverse("scheduling:duty_import"), {"file": upload})
    assert response.status_code == 302
    assert DutyEntry.objects.count() == 2
    shift = DutyEntry.objects.get(employee=world.dave_emp)
    assert shift.repeat_until.isoformat() == "2030-06-30"
    assert shift.start == datetime(2030, 3, 11, 8, tzinfo=JKT)


def test_a_bad_row_rejects_the_whole_file_with_row_and_column(client, world):
    client.force_login(world.bob)
    upload = _xlsx(
        [
            HEADER,
            [world.dave_emp.nip, "shift", "2030-03-11 08:00", "2030-03-11 12:00", "", ""],
            [world.erin_emp.nip, "cuti", "2030-03-12 00:00", "2030-03-14 00:00", "", ""],
            [world.dave_emp.nip, "liburan", "2030-03-12 10:00", "2030-03-12 09:00", "", ""],
        ]
    )
    response = client.post(reverse("scheduling:duty_import"), {"file": upload})
    text = response.content.decode()
    assert response.status_code == 400
    assert "di luar OPD Anda" in text  # erin is in Dinas Beta
    assert "tidak dikenal" in text and "setelah waktu mulai" in text
    assert not DutyEntry.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused(client, world):
    client.force_login(world.alice)
    bad = io.BytesIO(b"nip;jenis\n1;cuti\n")
    bad.name = "tugas.xlsx"
    response = client.post(reverse("scheduling:duty_import"), {"file": bad})
    assert response.status_code == 400 and "bukan XLSX" in response.content.decode()


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
    response = client.post(
        reverse("scheduling:rule_list"),
        {
            "form": "rule",
            "rule-unit": world.layanan.pk,
            "rule-label": "Loket",
            "rule-weekdays": ["0", "1"],
            "rule-start_time": "08:00",
            "rule-end_time": "12:00",
            "rule-min_present": 5,
        },
    )
    assert response.status_code == 400
    assert "tidak mungkin dipenuhi" in response.content.decode()
    assert not StaffingRule.objects.exists()
    client.post(
        reverse("scheduling:rule_list"),
        {
            "form": "rule",
            "rule-unit": world.layanan.pk,
            "rule-label": "Loket",
            "rule-weekdays": ["0", "1"],
            "rule-start_time": "08:00",
            "rule-end_time": "12:00",
            "rule-min_present": 1,
        },
    )
    rule = StaffingRule.objects.get()
    assert rule.weekdays == "01" and rule.start_time == time(8)
    client.force_login(world.erin)
    assert client.post(reverse("scheduling:rule_deactivate", args=[rule.pk])).status_code == 404

"""Every list and dashboard page: permissions and a query count that does not grow with rows."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from kompeten.participation.actions.attendance import do_mark_attendance, do_record_posttest_done
from kompeten.participation.actions.enrolment import do_accept, do_decline, do_invite
from kompeten.participation.actions.incentives import do_award_badges
from kompeten.participation.models import JpEntry
from tests import factories
from tests.participation.builders import at, make_batch, make_programme, make_trainer

DAY = date(2026, 3, 3)


def _populate(world, n: int) -> None:
    staff = [factories.make_employee(world.layanan, f"Peserta {k}") for k in range(n)]
    programme = make_programme(world.instansi, "Pelayanan Prima", jp="24")
    trainer = make_trainer(world.instansi, world.carol_emp)
    days = [(DAY + timedelta(days=k), 8, 12) for k in range(max(1, n // 3))]
    batch = make_batch(programme, days, capacity=n + 5, trainers=[trainer])
    session = batch.sessions.order_by("start").first()
    with time_machine.travel(at(date(2026, 2, 1), 9), tick=False):
        enrolments = [
            do_invite(batch=batch, employee=e, actor=world.alice, notify=False) for e in staff
        ]
        accepted = [do_accept(enrolment=e, actor=None) for e in enrolments[1:]]
        do_decline(enrolment=enrolments[0], reason="beban_kerja", actor=None, notify=False)
    with time_machine.travel(at(DAY, 13), tick=False):
        for e in accepted:
            do_mark_attendance(session=session, enrolment=e, present=True, actor=world.alice)
            do_record_posttest_done(enrolment=e)
    for k, e in enumerate(staff):
        JpEntry.objects.create(
            instansi=world.instansi,
            employee=e,
            year=2026,
            date=date(2026, 4, 1),
            minutes=Decimal(45 * k),
            group="nonklasikal",
            form="e_learning",
            title="E-learning",
            source="sertifikat_eksternal",
        )
    do_award_badges(instansi=world.instansi, year=2026, actor=world.alice)


PAGES = [
    ("cycle_pelaksanaan", {}),
    ("participation:enrolment_list", {"year": "2026"}),
    ("participation:jp_dashboard", {"year": "2026"}),
    ("participation:incentives", {"year": "2026"}),
    ("participation:review_list", {}),
    ("participation:notifications", {}),
    ("participation:invitations", {}),
    ("participation:session_list", {}),
    ("scheduling:analytics", {"year": "2026"}),
    ("cycle_jadwal", {}),
    ("scheduling:duty_list", {}),
    ("scheduling:rule_list", {}),
    ("scheduling:my_schedule", {}),
]


@pytest.mark.parametrize("n", [3, 12])
def test_list_and_dashboard_pages_use_a_constant_number_of_queries(
    client, world, n, django_assert_max_num_queries
):
    """The same ceiling for 3 and 12 participants: a page that queried per row would blow it."""
    _populate(world, n)
    client.force_login(world.alice)
    for name, params in PAGES:
        with django_assert_max_num_queries(22, info=name):
            response = client.get(reverse(name), params)
        assert response.status_code == 200, name


def test_exports_give_exactly_the_filtered_rows(client, world):
    _populate(world, 4)
    import io

    from openpyxl import load_workbook

    client.force_login(world.bob)
    response = client.get(reverse("participation:enrolment_export"), {"status": "ditolak"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][6] == "Ditolak" and rows[0][8] == "Beban kerja"
    jp = load_workbook(
        io.BytesIO(
            client.get(reverse("participation:jp_export"), {"year": "2026", "below": "on"}).content
        )
    ).active
    assert all(row[9] == "Tidak" for row in jp.iter_rows(min_row=2, values_only=True))
    rec = client.get(reverse("participation:recognition_export"), {"year": "2026"})
    assert rec["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_dashboards_are_denied_to_pegawai_and_scoped_for_the_pengelola(client, world):
    _populate(world, 2)
    client.force_login(world.erin)
    for name in (
        "participation:enrolment_list",
        "participation:jp_dashboard",
        "participation:review_list",
        "scheduling:analytics",
        "participation:recognition_export",
    ):
        assert client.get(reverse(name)).status_code == 403, name
    client.force_login(world.bob)
    page = client.get(reverse("participation:jp_dashboard"), {"year": "2026"})
    assert page.status_code == 200
    assert world.erin_emp.name not in page.content.decode()
    client.force_login(world.mallory)
    assert "Peserta 0" not in client.get(reverse("participation:enrolment_list")).content.decode()

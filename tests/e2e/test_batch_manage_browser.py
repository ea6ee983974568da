"""Running a batch in the browser: the admin invites a named employee found by name from the
batch page, then watches the QR screen's attendance counter go up without reloading."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from kompeten.learning.actions.batches import (
    BatchInput,
    SessionInput,
    do_add_sessions,
    do_create_batch,
)
from kompeten.learning.models import Batch, Session
from kompeten.participation import qr
from kompeten.participation.actions.attendance import do_check_in
from kompeten.participation.actions.enrolment import do_accept, do_invite
from kompeten.participation.models import Enrolment, EnrolmentStatus
from tests.e2e.console import ConsoleWatch
from tests.e2e.test_login_scope import login
from tests.participation.builders import make_programme


def _batch(programme, code: str, start, end) -> Batch:  # type: ignore[no-untyped-def]
    return do_create_batch(
        programme,
        data=BatchInput(
            code=code,
            name=f"Angkatan {code}",
            capacity=10,
            start_date=timezone.localdate(start),
            end_date=timezone.localdate(end),
            location="Aula BKPSDM",
        ),
    )


@pytest.fixture
def batches(world) -> Iterator[tuple[Batch, Session]]:  # type: ignore[no-untyped-def]
    """A batch next month, and one whose session runs now with Dave enrolled.

    The clock (the test's, the live server's thread's) runs from 10:00 in Jakarta today: a
    session may not cross midnight, and one made at 23:59 would already be over."""
    ten = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    with time_machine.travel(ten, tick=True):
        yield _batches(world)


def _batches(world) -> tuple[Batch, Session]:  # type: ignore[no-untyped-def]
    programme = make_programme(world.instansi, "Pelayanan Prima")
    # 09:00 local a month ahead: a session at "now + 30 days" run late in the evening (from
    # 22:00 in Jakarta) would end after midnight, outside its one-day batch
    later = timezone.localtime() + timedelta(days=30)
    later = later.replace(hour=9, minute=0, second=0, microsecond=0)
    ahead = _batch(programme, "Depan", later, later)
    do_add_sessions(ahead, sessions=[SessionInput(start=later, end=later + timedelta(hours=2))])
    now = timezone.now().replace(second=0, microsecond=0)
    local = timezone.localtime(now)
    start = max(now - timedelta(minutes=10), local.replace(hour=0, minute=0))
    end = min(now + timedelta(minutes=50), local.replace(hour=23, minute=59))
    other = make_programme(world.instansi, "Penanganan Pengaduan")
    running = _batch(other, "Kini", start, end)
    do_add_sessions(running, sessions=[SessionInput(start=start, end=end)])
    earlier = now - timedelta(days=7)
    enrolment = do_invite(
        batch=running, employee=world.dave_emp, actor=world.alice, notify=False, now=earlier
    )
    do_accept(enrolment=enrolment, actor=world.dave, now=earlier)
    return ahead, running.sessions.get()


@pytest.mark.django_db(transaction=True)
def test_the_admin_invites_a_named_employee_and_the_counter_updates_live(
    live_server, page: Page, world, batches
) -> None:
    ahead, session = batches
    base = live_server.url
    watch = ConsoleWatch()
    watch.attach(page)
    login(page, base, "alice")

    page.goto(f"{base}{ahead.get_absolute_url()}")
    expect(page.get_by_test_id("participant-summary")).to_contain_text("0 peserta")
    page.get_by_test_id("participants-link").click()
    page.get_by_label("Cari nama atau NIP").press_sequentially("Erin", delay=50)
    row = page.locator("#participant-results tr", has_text="Erin Lestari")
    expect(row).to_be_visible()
    row.get_by_role("button", name="Tambah").click()
    expect(page.get_by_text("Erin Lestari ditambahkan sebagai peserta.")).to_be_visible()
    expect(page.get_by_test_id("participants")).to_contain_text("Erin Lestari")
    enrolment = Enrolment.objects.get(batch=ahead, employee=world.erin_emp)
    assert enrolment.status == EnrolmentStatus.INVITED

    page.goto(f"{base}/pelaksanaan/sesi/{session.pk}/qr/")
    counter = page.get_by_test_id("live-count")
    expect(counter).to_have_text("0 dari 1 peserta sudah hadir.")
    marker = page.evaluate("() => { window.__notReloaded = true; return true; }")
    assert marker
    do_check_in(
        user=world.dave,
        session=Session.objects.get(pk=session.pk),
        code=qr.token(session.pk, timezone.now()),
    )
    expect(counter).to_have_text("1 dari 1 peserta sudah hadir.", timeout=15_000)
    assert page.evaluate("() => window.__notReloaded === true")  # updated in place
    assert watch.csp_violations() == []

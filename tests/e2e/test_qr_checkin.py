"""QR check-in: the trainer's screen shows the code, a participant's phone checks in with it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from kompeten.core.models import Role
from kompeten.learning.actions.batches import (
    BatchInput,
    SessionInput,
    do_add_sessions,
    do_create_batch,
)
from kompeten.learning.models import Session
from kompeten.participation import qr
from kompeten.participation.actions.enrolment import do_accept, do_invite
from kompeten.participation.models import Attendance
from tests import factories
from tests.e2e.console import ConsoleWatch
from tests.e2e.test_login_scope import login
from tests.participation.builders import make_programme, make_trainer


@pytest.fixture
def running_session(world) -> Iterator[Session]:  # type: ignore[no-untyped-def]
    """A session that is running now, taught by fasilitator "tono", with Dave enrolled.

    The clock (the test's, the live server's thread's) runs from 10:00 in Jakarta today: a
    session may not cross midnight, and one made at 23:59 would already be over when the
    participant checks in."""
    ten = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    with time_machine.travel(ten, tick=True):
        yield _running_session(world)


def _running_session(world) -> Session:  # type: ignore[no-untyped-def]
    trainer_emp = factories.make_employee(world.beta, "Tono Pelatih")
    factories.make_user(world.instansi, "tono", Role.FASILITATOR, employee=trainer_emp)
    trainer = make_trainer(world.instansi, trainer_emp)
    now = timezone.now().replace(second=0, microsecond=0)
    start, end = now - timedelta(minutes=10), now + timedelta(minutes=50)
    programme = make_programme(world.instansi, "Pelayanan Prima")
    batch = do_create_batch(
        programme,
        data=BatchInput(
            code="QR1",
            name="Angkatan QR",
            capacity=10,
            start_date=timezone.localdate(start),
            end_date=timezone.localdate(end),
            location="Aula BKPSDM",
            trainers=[trainer],
        ),
    )
    do_add_sessions(batch, sessions=[SessionInput(start=start, end=end)])
    earlier = now - timedelta(days=7)
    enrolment = do_invite(
        batch=batch, employee=world.dave_emp, actor=world.alice, notify=False, now=earlier
    )
    do_accept(enrolment=enrolment, actor=world.dave, now=earlier)
    return batch.sessions.get()


@pytest.fixture
def phone(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True}
    )
    yield context
    context.close()


def shown_code(svg: str, base: str, session: Session) -> str:
    """The code the trainer's QR image encodes: the page's SVG is the one segno draws for the
    check-in URL of the current (or, across a window turn, the previous) code."""
    now = timezone.now()
    for moment in (now, now - timedelta(seconds=qr.WINDOW_SECONDS)):
        code = qr.token(session.pk, moment)
        url = f"{base}/pelaksanaan/sesi/{session.pk}/hadir/?kode={code}"
        if qr.svg(url) == svg:
            return code
    raise AssertionError("the QR on the trainer's screen encodes no current check-in URL")


@pytest.mark.django_db(transaction=True)
def test_a_participant_checks_in_with_the_code_on_the_trainers_screen(
    live_server, page: Page, phone: BrowserContext, world, running_session
) -> None:
    session = running_session
    base = live_server.url
    watch = ConsoleWatch()
    trainer = watch.attach(page)
    login(trainer, base, "tono")
    with trainer.expect_response(re.compile(rf"/sesi/{session.pk}/qr\.svg")) as served:
        trainer.goto(f"{base}/pelaksanaan/sesi/{session.pk}/qr/")
    expect(trainer.get_by_role("heading", name="Pelayanan Prima")).to_be_visible()
    qr_img = trainer.get_by_test_id("qr")
    expect(qr_img).to_have_attribute("src", re.compile(r"^data:image/svg\+xml"))
    expect(trainer.get_by_text("0 dari 1 peserta sudah hadir.")).to_be_visible()
    code = shown_code(served.value.text(), base, session)

    participant = watch.attach(phone.new_page())
    login(participant, base, world.dave.username)

    # a code shown two windows ago is refused, and nothing is recorded
    stale = qr.token(session.pk, timezone.now() - timedelta(seconds=3 * qr.WINDOW_SECONDS))
    participant.goto(f"{base}/pelaksanaan/sesi/{session.pk}/hadir/?kode={stale}")
    expect(participant.get_by_test_id("checkin-error")).to_contain_text("kedaluwarsa")
    assert not Attendance.objects.exists()

    checkin_url = f"{base}/pelaksanaan/sesi/{session.pk}/hadir/?kode={code}"
    participant.goto(checkin_url)
    expect(participant.get_by_test_id("checkin-ok")).to_contain_text("Kehadiran Anda tercatat")
    record = Attendance.objects.get(session=session)
    assert record.present and record.enrolment.employee_id == world.dave_emp.pk

    participant.goto(checkin_url)
    expect(participant.get_by_test_id("checkin-error")).to_contain_text(
        "sudah tercatat hadir di sesi ini"
    )
    assert Attendance.objects.filter(session=session).count() == 1

    trainer.reload()
    expect(trainer.get_by_text("1 dari 1 peserta sudah hadir.")).to_be_visible()
    assert watch.csp_violations() == []


@pytest.mark.django_db(transaction=True)
def test_the_qr_image_on_the_trainers_screen_is_drawn(
    live_server, page: Page, world, running_session
) -> None:
    login(page, live_server.url, "tono")
    page.goto(f"{live_server.url}/pelaksanaan/sesi/{running_session.pk}/qr/")
    expect(page.get_by_test_id("qr")).to_have_attribute("src", re.compile(r"^data:image/svg"))
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=qr]');"
        " return i.complete && i.naturalWidth > 0; }",
        timeout=3_000,
    )

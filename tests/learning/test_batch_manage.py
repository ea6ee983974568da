"""Managing a batch: capacity and dates edited with the consequences shown before saving,
sessions on days off accepted with a warning, the participants panel for every batch;
permissions (only the organiser's admin) and query counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompeten.core.models import AuditLog
from kompeten.learning.actions.batches import (
    SessionInput,
    day_off_reason,
    do_add_sessions,
    session_day_warnings,
)
from kompeten.learning.models import Batch, BatchStatus
from kompeten.participation.actions.batch_edit import (
    BatchChange,
    batch_edit_consequences,
    do_edit_batch,
)
from kompeten.participation.actions.enrolment import do_accept, do_invite
from kompeten.participation.models import Enrolment, EnrolmentStatus, Notification
from tests import factories
from tests.participation.builders import at, make_batch, make_programme

# a week in the future: Monday 9 – Wednesday 11 March 2099 (no holiday there)
MON = date(2099, 3, 9)
SUNDAY = date(2099, 3, 8)
INDEPENDENCE = date(2099, 8, 17)


def _batch(world, capacity: int = 5) -> Batch:  # type: ignore[no-untyped-def]
    programme = make_programme(world.instansi, "Pelayanan Prima")
    return make_batch(
        programme,
        [(MON, 8, 12), (MON + timedelta(days=1), 8, 12)],
        capacity=capacity,
        name="Angkatan I",
    )


def _people(world, n: int):  # type: ignore[no-untyped-def]
    return [
        factories.make_employee(world.layanan, f"Peserta {k:02d}", birth_date=date(1980, 1, 1 + k))
        for k in range(n)
    ]


def _invite(world, batch, people, accept: int = 0):  # type: ignore[no-untyped-def]
    out = []
    for k, person in enumerate(people):
        enrolment = do_invite(
            batch=batch, employee=person, actor=world.alice, now=at(date(2099, 1, 1), 8 + k)
        )
        if k < accept:
            enrolment = do_accept(enrolment=enrolment, actor=None, now=at(date(2099, 1, 2), 8))
        out.append(enrolment)
    return out


# --- the consequences -------------------------------------------------------------------------


def test_lowering_capacity_sends_the_latest_unanswered_invitations_to_the_waitlist(world):
    batch = _batch(world, capacity=5)
    people = _people(world, 5)
    for person in people:
        factories.make_user(world.instansi, f"u{person.pk}", "pegawai", employee=person)
    _invite(world, batch, people, accept=2)
    change = BatchChange(capacity=2, start_date=batch.start_date, end_date=batch.end_date)
    preview = batch_edit_consequences(batch, change)
    assert not preview.problems
    assert [e.employee.name for e in preview.to_waitlist] == [
        "Peserta 04",
        "Peserta 03",
        "Peserta 02",
    ]
    assert preview.sentences[0].startswith("3 peserta akan masuk daftar tunggu")
    assert Enrolment.objects.filter(status=EnrolmentStatus.WAITLISTED).count() == 0  # a preview

    do_edit_batch(batch, change=change, actor=world.alice)
    batch.refresh_from_db()
    assert batch.capacity == 2
    waiting = Enrolment.objects.filter(batch=batch, status=EnrolmentStatus.WAITLISTED)
    assert {e.employee.name for e in waiting} == {"Peserta 02", "Peserta 03", "Peserta 04"}
    log = AuditLog.objects.get(action="batch.edit")
    assert log.before["capacity"] == 5 and log.after["capacity"] == 2
    assert log.after["waitlisted"] == 3
    told = Notification.objects.filter(title__startswith="Kursi berkurang")
    assert sorted(n.user.employee.name for n in told) == ["Peserta 02", "Peserta 03", "Peserta 04"]


def test_capacity_below_those_who_accepted_is_refused_and_nothing_changes(world):
    batch = _batch(world, capacity=5)
    _invite(world, batch, _people(world, 3), accept=3)
    change = BatchChange(capacity=2, start_date=batch.start_date, end_date=batch.end_date)
    with pytest.raises(ValidationError) as error:
        do_edit_batch(batch, change=change, actor=world.alice)
    assert "Kapasitas 2 lebih kecil dari 3 peserta yang sudah menerima" in error.value.messages[0]
    batch.refresh_from_db()
    assert batch.capacity == 5
    assert not AuditLog.objects.filter(action="batch.edit").exists()


def test_raising_capacity_invites_the_waitlist_first_come_first_served(world):
    batch = _batch(world, capacity=2)
    enrolments = _invite(world, batch, _people(world, 5))
    assert [e.status for e in enrolments].count(EnrolmentStatus.WAITLISTED) == 3
    change = BatchChange(capacity=4, start_date=batch.start_date, end_date=batch.end_date)
    preview = batch_edit_consequences(batch, change)
    assert [e.employee.name for e in preview.promoted] == ["Peserta 02", "Peserta 03"]
    assert "2 pegawai dari daftar tunggu akan diundang" in preview.sentences[0]
    do_edit_batch(batch, change=change, actor=world.alice)
    statuses = dict(Enrolment.objects.filter(batch=batch).values_list("employee__name", "status"))
    assert statuses["Peserta 02"] == statuses["Peserta 03"] == EnrolmentStatus.INVITED
    assert statuses["Peserta 04"] == EnrolmentStatus.WAITLISTED


def test_new_dates_with_sessions_outside_are_refused_naming_each_session(world):
    batch = _batch(world)
    change = BatchChange(
        capacity=5, start_date=MON + timedelta(days=7), end_date=MON + timedelta(days=8)
    )
    preview = batch_edit_consequences(batch, change)
    assert len(preview.problems) == 2
    assert "Sesi 9 Maret 2099 08:00 berada di luar rentang tanggal baru" in preview.problems[0]
    with pytest.raises(ValidationError):
        do_edit_batch(batch, change=change, actor=world.alice)
    batch.refresh_from_db()
    assert batch.start_date == MON


def test_moving_the_dates_with_the_sessions_tells_every_invitee_the_new_dates(world):
    batch = _batch(world)
    _invite(world, batch, _people(world, 3), accept=1)
    for person in Enrolment.objects.filter(batch=batch).select_related("employee"):
        factories.make_user(
            world.instansi, f"u{person.employee.pk}", "pegawai", employee=person.employee
        )
    week = timedelta(days=7)
    change = BatchChange(
        capacity=5,
        start_date=MON + week,
        end_date=MON + week + timedelta(days=1),
        shift_sessions=True,
    )
    preview = batch_edit_consequences(batch, change)
    assert not preview.problems
    assert preview.sentences == [
        "2 sesi dimundurkan 7 hari mengikuti tanggal baru.",
        "3 undangan akan dikirim ulang dengan tanggal baru.",
    ]
    do_edit_batch(batch, change=change, actor=world.alice)
    starts = sorted(batch.sessions.values_list("start", flat=True))
    assert starts == [at(MON + week, 8), at(MON + week + timedelta(days=1), 8)]
    notices = Notification.objects.filter(title__startswith="Jadwal pelatihan berubah")
    assert notices.count() == 3
    assert "16 Maret 2099 – 17 Maret 2099" in notices.first().body


def test_a_session_with_attendance_never_moves(world):
    from kompeten.participation.actions.held import do_enrol_held, do_record_day_attendance

    programme = make_programme(world.instansi, "Sudah Terlaksana")
    held = make_batch(programme, [(date(2025, 6, 24), 8, 12)], name="Angkatan Lalu")
    person = _people(world, 1)
    do_enrol_held(held, person, world.alice)
    do_record_day_attendance(held, {person[0]: {date(2025, 6, 24): "hadir"}}, world.alice)
    change = BatchChange(
        capacity=10, start_date=date(2025, 6, 25), end_date=date(2025, 6, 25), shift_sessions=True
    )
    problems = batch_edit_consequences(held, change).problems
    assert problems == [
        "Sesi 24 Juni 2025 08:00 sudah memiliki presensi dan tidak dapat digeser; ubah tanggal "
        "tanpa menggeser sesi."
    ]


def test_a_cancelled_batch_and_reversed_dates_are_refused(world):
    batch = _batch(world)
    reversed_dates = BatchChange(capacity=5, start_date=MON, end_date=MON - timedelta(days=1))
    assert batch_edit_consequences(batch, reversed_dates).problems == [
        "Tanggal selesai tidak boleh sebelum tanggal mulai."
    ]
    assert batch_edit_consequences(
        batch, BatchChange(capacity=0, start_date=MON, end_date=MON)
    ).problems == ["Kapasitas minimal 1 orang."]
    batch.status = BatchStatus.CANCELLED
    batch.save(update_fields=["status"])
    assert batch_edit_consequences(
        batch, BatchChange(capacity=5, start_date=MON, end_date=MON)
    ).problems == ["Angkatan yang dibatalkan tidak dapat diubah."]


# --- days off -----------------------------------------------------------------------------------


def test_days_off_are_named_from_the_workday_calendar():
    assert day_off_reason(MON) == ""
    assert day_off_reason(SUNDAY) == "hari Minggu"
    assert day_off_reason(SUNDAY - timedelta(days=1)) == "hari Sabtu"
    assert day_off_reason(date(2026, 8, 17)) == "hari libur nasional"
    assert day_off_reason(date(2026, 3, 18)) == "cuti bersama"  # before Nyepi 2026 (SKB 2025)


def test_a_sunday_session_is_accepted_with_a_warning(client, world):
    batch = _batch(world)
    batch.start_date = SUNDAY
    batch.save(update_fields=["start_date"])
    warnings = session_day_warnings([(at(SUNDAY, 8), at(SUNDAY, 12))])
    assert warnings == [
        "Sesi Minggu, 8 Maret 2099 08:00 jatuh pada hari Minggu; pastikan peserta dan pengajar "
        "memang bersedia hadir pada hari libur."
    ]
    do_add_sessions(batch, sessions=[SessionInput(start=at(SUNDAY, 13), end=at(SUNDAY, 15))])
    client.force_login(world.alice)
    response = client.post(
        batch.get_absolute_url(),
        {"date": SUNDAY.isoformat(), "start": "08:00", "end": "10:00", "location": "Aula"},
        follow=True,
    )
    html = response.content.decode()
    assert batch.sessions.count() == 4  # accepted
    assert "jatuh pada hari Minggu" in html
    assert html.count('data-testid="day-off"') == 2


# --- the pages ----------------------------------------------------------------------------------


def test_the_edit_page_shows_the_consequences_before_saving(
    client, world, django_assert_max_num_queries
):
    batch = _batch(world, capacity=5)
    _invite(world, batch, _people(world, 4), accept=1)
    client.force_login(world.alice)
    url = reverse("participation:batch_edit", args=[batch.pk])
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    form = {
        "capacity": 2,
        "start_date": MON.isoformat(),
        "end_date": (MON + timedelta(days=1)).isoformat(),
    }
    with django_assert_max_num_queries(14):
        page = client.post(url, form)
    html = page.content.decode()
    assert 'data-testid="consequences"' in html
    assert "2 peserta akan masuk daftar tunggu" in html
    batch.refresh_from_db()
    assert batch.capacity == 5  # not yet
    done = client.post(url, {**form, "confirm": "1"})
    assert done.status_code == 302 and done["Location"] == batch.get_absolute_url()
    batch.refresh_from_db()
    assert batch.capacity == 2


def test_the_edit_page_keeps_what_was_typed_and_names_the_problem(client, world):
    batch = _batch(world)
    client.force_login(world.alice)
    url = reverse("participation:batch_edit", args=[batch.pk])
    bad = {"capacity": 5, "start_date": MON.isoformat(), "end_date": "2099-03-01"}
    page = client.post(url, {**bad, "confirm": "1"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in html
    assert 'value="2099-03-01"' in html
    outside = {"capacity": 5, "start_date": "2099-04-01", "end_date": "2099-04-02"}
    page = client.post(url, {**outside, "confirm": "1"})
    assert page.status_code == 400
    assert "berada di luar rentang tanggal baru" in page.content.decode()
    batch.refresh_from_db()
    assert batch.start_date == MON
    assert (
        client.post(url, {"capacity": "banyak", "start_date": "x", "end_date": ""}).status_code
        == 400
    )


def test_only_the_organisers_admin_manages_a_batch(client, world):
    batch = _batch(world)
    url = reverse("participation:batch_edit", args=[batch.pk])
    form = {
        "capacity": 9,
        "start_date": MON.isoformat(),
        "end_date": MON.isoformat(),
        "confirm": "1",
    }
    for user in (world.bob, world.carol, world.pia):  # pengelola OPD, pegawai, pimpinan
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, form).status_code == 403
    client.force_login(world.mallory)  # the admin of another instansi
    assert client.get(url).status_code == 404
    batch.refresh_from_db()
    assert batch.capacity == 5


def test_the_batch_page_shows_participants_for_a_batch_ahead_too(
    client, world, django_assert_max_num_queries
):
    batch = _batch(world)
    _invite(world, batch, _people(world, 3), accept=1)
    client.force_login(world.alice)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert reverse("participation:batch_edit", args=[batch.pk]) in page
    panel = reverse("participation:batch_participants", args=[batch.pk])
    assert panel in page
    with django_assert_max_num_queries(12):
        partial = client.get(panel, HTTP_HX_REQUEST="true").content.decode()
    assert partial.count("<tr><td>") == 3
    assert "Diundang" in partial and "Diterima" in partial


def test_inviting_a_named_employee_from_the_search(client, world):
    batch = _batch(world)
    client.force_login(world.alice)
    found = client.get(
        reverse("participation:participant_search", args=[batch.pk]),
        {"q": "Erin"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Erin Lestari" in found
    client.post(
        reverse("participation:participant_add", args=[batch.pk]), {"employee": world.erin_emp.pk}
    )
    enrolment = Enrolment.objects.get(batch=batch, employee=world.erin_emp)
    assert enrolment.status == EnrolmentStatus.INVITED


def test_sessions_brought_forward_onto_a_sunday_are_moved_with_a_warning(world):
    batch = _batch(world)
    change = BatchChange(
        capacity=5, start_date=SUNDAY, end_date=MON, shift_sessions=True
    )  # one day earlier: Monday's session lands on Sunday
    preview = batch_edit_consequences(batch, change)
    assert not preview.problems
    assert preview.sentences == ["2 sesi dimajukan 1 hari mengikuti tanggal baru."]
    assert preview.warnings == [
        "Sesi Minggu, 8 Maret 2099 08:00 jatuh pada hari Minggu; pastikan peserta dan pengajar "
        "memang bersedia hadir pada hari libur."
    ]
    result = do_edit_batch(batch, change=change, actor=world.alice)
    assert result.warnings == preview.warnings
    assert sorted(batch.sessions.values_list("start", flat=True))[0] == at(SUNDAY, 8)


def test_sessions_are_not_moved_onto_a_time_their_trainer_is_away(world):
    from kompeten.learning.actions.batches import do_set_trainer_availability
    from tests.participation.builders import make_trainer

    trainer = make_trainer(world.instansi, world.carol_emp)
    programme = make_programme(world.instansi, "Dengan Pengajar")
    batch = make_batch(programme, [(MON, 8, 12)], name="Angkatan P")
    batch.sessions.update(trainer=trainer)
    week = timedelta(days=7)
    do_set_trainer_availability(
        trainer, start=at(MON + week, 0), end=at(MON + week, 23), available=False
    )
    change = BatchChange(
        capacity=10, start_date=MON + week, end_date=MON + week, shift_sessions=True
    )
    assert batch_edit_consequences(batch, change).problems == [
        "Sesi 16 Maret 2099 08:00: Carolina Putri tidak tersedia atau sudah mengajar pada "
        "waktu barunya."
    ]
    two_weeks = BatchChange(
        capacity=10, start_date=MON + 2 * week, end_date=MON + 2 * week, shift_sessions=True
    )
    assert batch_edit_consequences(batch, two_weeks).problems == []

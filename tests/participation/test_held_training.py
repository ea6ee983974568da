"""A training that has already happened: a batch with past dates, participants enrolled without
invitations, the panitia's per-day marks, completion with the programme's own rule."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kompeten.core.models import AuditLog
from kompeten.learning.actions.batches import BatchInput, do_create_batch, do_create_held_batch
from kompeten.learning.models import BatchStatus
from kompeten.participation.actions.enrolment import do_invite
from kompeten.participation.actions.held import (
    do_enrol_held,
    do_record_day_attendance,
    lookup_nips,
)
from kompeten.participation.models import (
    Attendance,
    CompletionRule,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    JpEntry,
    Notification,
)
from tests import factories
from tests.participation.builders import batch_ahead, make_programme, make_trainer

D1, D2, D3 = date(2025, 6, 24), date(2025, 6, 25), date(2025, 6, 26)


def held_batch(world, jp: str = "24", trainers=()):  # type: ignore[no-untyped-def]
    programme = make_programme(world.instansi, "Pelayanan Prima", jp=jp)
    return do_create_held_batch(
        programme,
        data=BatchInput(
            code="PP-1",
            name="Angkatan I",
            capacity=5,
            start_date=D1,
            end_date=D3,
            location="Aula",
            trainers=list(trainers),
        ),
        actor=world.alice,
    )


def staff(world, n: int):  # type: ignore[no-untyped-def]
    return [factories.make_employee(world.layanan, f"Peserta {k}") for k in range(n)]


def test_a_held_batch_has_past_dates_a_session_per_day_and_is_finished(world):
    batch = held_batch(world)
    assert batch.status == BatchStatus.DONE
    sessions = list(batch.sessions.order_by("start"))
    assert [timezone.localtime(s.start).date() for s in sessions] == [D1, D2, D3]
    # 24 JP over 3 days: 8 JP of 45 minutes a day, from 08:00
    assert [timezone.localtime(s.start).strftime("%H:%M") for s in sessions] == ["08:00"] * 3
    assert {(s.end - s.start).total_seconds() / 60 for s in sessions} == {360}


def test_a_held_batch_cannot_end_in_the_future(world):
    programme = make_programme(world.instansi)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        do_create_held_batch(
            programme,
            data=BatchInput(
                code="X", name="X", capacity=5, start_date=D1, end_date=tomorrow, location="Aula"
            ),
        )
    assert "masa depan" in str(exc.value)
    assert not programme.batches.exists()


def test_participants_are_enrolled_without_invitations_and_twice_changes_nothing(world):
    batch = held_batch(world)
    people = staff(world, 3)
    enrolments = do_enrol_held(batch, people, world.alice)
    assert [e.employee_id for e in enrolments] == [p.pk for p in people]
    assert {(e.status, e.source) for e in enrolments} == {
        (EnrolmentStatus.ACCEPTED, EnrolmentSource.HELD)
    }
    assert not Notification.objects.exists()
    assert AuditLog.objects.filter(action="enrolment.held").count() == 1
    do_enrol_held(batch, people, world.alice)
    assert Enrolment.objects.filter(batch=batch).count() == 3
    assert AuditLog.objects.filter(action="enrolment.held").count() == 1


def test_an_earlier_refusal_in_the_batch_becomes_participation(world):
    programme = make_programme(world.instansi)
    batch = do_create_batch(
        programme,
        data=BatchInput(
            code="B", name="B", capacity=5, start_date=D1, end_date=D2, location="Aula"
        ),
    )
    [person] = staff(world, 1)
    Enrolment.objects.create(
        instansi=world.instansi,
        employee=person,
        batch=batch,
        status=EnrolmentStatus.DECLINED,
        invited_at=timezone.now(),
        decline_reason="beban_kerja",
    )
    [enrolment] = do_enrol_held(batch, [person], world.alice)
    assert enrolment.status == EnrolmentStatus.ACCEPTED
    assert enrolment.decline_reason == ""


def test_a_batch_that_has_not_started_gets_invitations_not_held_participants(world):
    batch = batch_ahead(world.instansi, 10)
    with pytest.raises(ValidationError) as exc:
        do_enrol_held(batch, staff(world, 1), world.alice)
    assert "belum dimulai" in str(exc.value)
    assert not Enrolment.objects.exists()


def test_a_facilitator_cannot_be_enrolled_in_a_batch_they_teach(world):
    trainer = make_trainer(world.instansi, world.carol_emp)
    batch = held_batch(world, trainers=[trainer])
    people = staff(world, 2)
    with pytest.raises(ValidationError) as exc:
        do_enrol_held(batch, [*people, world.carol_emp], world.alice)
    assert "Carolina Putri adalah pengajar (fasilitator) di angkatan ini" in str(exc.value)
    assert not Enrolment.objects.exists()  # all or nothing


def test_a_facilitator_cannot_be_invited_to_a_batch_they_teach(world):
    trainer = make_trainer(world.instansi, world.carol_emp)
    batch = batch_ahead(world.instansi, 10, trainers=[trainer])
    with pytest.raises(ValidationError) as exc:
        do_invite(batch=batch, employee=world.carol_emp, actor=world.alice)
    assert "pengajar (fasilitator)" in str(exc.value)
    do_invite(batch=batch, employee=world.dave_emp, actor=world.alice, notify=False)


def test_every_refused_employee_is_named_and_nothing_is_written(world):
    batch = held_batch(world)
    other_unit = factories.make_unit(world.mallory.instansi, "Dinas Lain")
    outsider = factories.make_employee(other_unit, "Orang Luar")
    with pytest.raises(ValidationError) as exc:
        do_enrol_held(batch, [*staff(world, 2), outsider], world.alice)
    assert (
        f"Orang Luar ({outsider.nip}): bukan pegawai instansi penyelenggara." in exc.value.messages
    )
    assert not Enrolment.objects.exists()


def test_day_marks_are_recorded_on_each_days_sessions_and_completion_follows_the_rule(world):
    batch = held_batch(world)
    CompletionRule.objects.create(
        programme=batch.programme, min_attendance_pct=Decimal("80"), requires_posttest=False
    )
    a, b, c = staff(world, 3)
    do_enrol_held(batch, [a, b, c], world.alice)
    result = do_record_day_attendance(
        batch,
        {
            a: {D1: "hadir", D2: "hadir", D3: "hadir"},
            b: {D1: "hadir", D2: "sakit", D3: "hadir"},
            c: {D1: "izin", D2: "hadir", D3: "alpa"},
        },
        world.alice,
    )
    assert result.present_by_day == {D1: 2, D2: 2, D3: 2}
    assert result.completed == 1
    assert Attendance.objects.filter(session__batch=batch).count() == 9
    assert set(Attendance.objects.filter(enrolment__employee=b).values_list("mark", flat=True)) == {
        "hadir",
        "sakit",
    }
    by_person = {e.employee_id: e for e in Enrolment.objects.filter(batch=batch)}
    assert by_person[a.pk].completed_at is not None
    assert by_person[b.pk].completed_at is None  # 2 of 3 days: 66,7 % < 80 %
    assert by_person[b.pk].attendance_pct == pytest.approx(Decimal(200) / 3)
    assert JpEntry.objects.filter(employee=a).count() == 1
    assert batch.sessions.count() == 3  # no session added: each day already had one


def test_with_the_default_rule_completion_waits_for_the_post_test(world):
    from kompeten.participation.actions.attendance import do_record_posttest_done

    batch = held_batch(world)
    [a] = staff(world, 1)
    [enrolment] = do_enrol_held(batch, [a], world.alice)
    result = do_record_day_attendance(
        batch, {a: {D1: "hadir", D2: "hadir", D3: "hadir"}}, world.alice
    )
    assert result.completed == 0
    enrolment = do_record_posttest_done(enrolment=enrolment, when=timezone.now())
    assert enrolment.completed_at is not None


def test_a_correction_changes_the_mark_and_presence(world):
    batch = held_batch(world)
    [a] = staff(world, 1)
    do_enrol_held(batch, [a], world.alice)
    do_record_day_attendance(batch, {a: {D1: "alpa"}}, world.alice)
    result = do_record_day_attendance(batch, {a: {D1: "hadir"}}, world.alice)
    assert result.written == 1
    record = Attendance.objects.get(enrolment__employee=a)
    assert (record.present, record.mark) == (True, "hadir")


def test_a_day_without_a_session_gets_one_and_days_outside_the_batch_are_refused(world):
    programme = make_programme(world.instansi, jp="16")
    batch = do_create_batch(
        programme,
        data=BatchInput(
            code="B", name="B", capacity=5, start_date=D1, end_date=D2, location="Aula"
        ),
    )
    [a] = staff(world, 1)
    do_enrol_held(batch, [a], world.alice)
    do_record_day_attendance(batch, {a: {D1: "hadir", D2: "hadir"}}, world.alice)
    assert batch.sessions.count() == 2
    with pytest.raises(ValidationError) as exc:
        do_record_day_attendance(batch, {a: {D3: "hadir"}}, world.alice)
    assert "di luar tanggal angkatan" in str(exc.value)


def test_bad_marks_and_strangers_are_all_reported_and_nothing_is_written(world):
    batch = held_batch(world)
    a, stranger = staff(world, 2)
    do_enrol_held(batch, [a], world.alice)
    with pytest.raises(ValidationError) as exc:
        do_record_day_attendance(batch, {a: {D1: "telat"}, stranger: {D1: "hadir"}}, world.alice)
    messages = exc.value.messages
    assert any("keterangan 'telat' tidak dikenal" in m for m in messages)
    assert any("Peserta 1" in m and "bukan peserta angkatan ini" in m for m in messages)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("n", [5, 25])
def test_enrolling_and_recording_take_a_constant_number_of_queries(
    world, n, django_assert_max_num_queries
):
    """Set-based: the same ceiling for 5 and 25 participants (completion none here: the
    default rule waits for the post-test)."""
    batch = held_batch(world)
    people = staff(world, n)
    with django_assert_max_num_queries(12):
        do_enrol_held(batch, people, world.alice)
    marks = {p: {D1: "hadir", D2: "hadir", D3: "sakit"} for p in people}
    with django_assert_max_num_queries(14):
        do_record_day_attendance(batch, marks, world.alice)


def test_a_pasted_nip_list_finds_people_and_names_every_line_it_cannot_use(world):
    a = factories.make_employee(world.layanan, "Anisa", birth_date=date(1990, 5, 17))
    b = factories.make_employee(world.layanan, "Budi", birth_date=date(1991, 7, 2))
    spaced = f"{a.nip[:8]} {a.nip[8:14]} {a.nip[14]} {a.nip[15:]}"
    text = "\n".join(
        [
            spaced,
            "",
            f"'{b.nip}",
            b.nip,  # twice: counted once
            "199001012015031999",
            "bukan nip",
            a.nip[:15],  # 15 digits kept by Excel: one match
        ]
    )
    found = lookup_nips(world.instansi.pk, text)
    assert [e.pk for e in found.found] == [a.pk, b.pk]
    assert found.problems == [
        "Baris 5: NIP 199001012015031999 tidak ditemukan.",
        "Baris 6: 'bukan nip' bukan NIP (18 angka).",
    ]


def test_a_damaged_nip_that_matches_several_people_is_ambiguous(world):
    born = date(1985, 1, 1)
    a = factories.make_employee(
        world.layanan, "Kembar Satu", nip="198501012010011001", birth_date=born
    )
    factories.make_employee(world.layanan, "Kembar Dua", nip="198501012010011002", birth_date=born)
    found = lookup_nips(world.instansi.pk, a.nip[:15])
    assert found.found == []
    assert found.problems and "cocok dengan 2 pegawai" in found.problems[0]


def test_a_roll_call_after_the_import_keeps_the_mark_consistent(world):
    from kompeten.participation.actions.attendance import do_mark_attendance

    batch = held_batch(world)
    a, b = staff(world, 2)
    do_enrol_held(batch, [a, b], world.alice)
    do_record_day_attendance(batch, {a: {D1: "sakit"}, b: {D1: "sakit"}}, world.alice)
    session = batch.sessions.order_by("start").first()
    ea, eb = (Enrolment.objects.get(batch=batch, employee=p) for p in (a, b))
    do_mark_attendance(session=session, enrolment=ea, present=True, actor=world.alice)
    do_mark_attendance(session=session, enrolment=eb, present=False, actor=world.alice)
    marks = dict(
        Attendance.objects.filter(session=session).values_list("enrolment__employee", "mark")
    )
    assert marks == {a.pk: "hadir", b.pk: "sakit"}  # an excuse stays when still absent

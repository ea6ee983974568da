"""Completion rule, the JP ledger against the standards table, external certificates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kompeten.participation.actions.attendance import do_mark_attendance, do_record_posttest_done
from kompeten.participation.actions.enrolment import do_accept, do_invite
from kompeten.participation.actions.jp import (
    ExternalInput,
    do_review_external_certificate,
    do_submit_external_certificate,
)
from kompeten.participation.models import (
    Certificate,
    ExternalCertificate,
    JpEntry,
    PointAward,
    PointKind,
    ReviewStatus,
)
from kompeten.participation.queries import jp_rows
from kompeten.people.models import Employee
from kompeten.standards import jp as jp_std
from tests.participation.builders import at, make_batch, make_programme

D1, D2 = date(2026, 3, 3), date(2026, 3, 4)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def enrolled(world):
    programme = make_programme(world.instansi, jp="8")
    batch = make_batch(programme, [(D1, 8, 12), (D2, 8, 12)])
    with time_machine.travel(at(date(2026, 2, 1), 9), tick=False):
        enrolment = do_invite(batch=batch, employee=world.dave_emp, actor=world.alice)
        enrolment = do_accept(enrolment=enrolment, actor=world.dave)
    return enrolment


def _attend(world, enrolment, late=(0, 0)):
    sessions = list(enrolment.batch.sessions.order_by("start"))
    with time_machine.travel(at(D2, 13), tick=False):
        for session, minutes in zip(sessions, late, strict=True):
            do_mark_attendance(
                session=session,
                enrolment=enrolment,
                present=True,
                late_minutes=minutes,
                actor=world.alice,
            )


def test_completion_credits_the_programme_jp_points_and_a_certificate(world, enrolled):
    _attend(world, enrolled)
    with time_machine.travel(at(D2, 14), tick=False):
        do_record_posttest_done(enrolment=enrolled)
    enrolled.refresh_from_db()
    assert enrolled.completed_at is not None and enrolled.attendance_pct == 100
    entry = JpEntry.objects.get(enrolment=enrolled)
    assert entry.minutes == Decimal(8 * 45) and entry.group == "klasikal"
    kinds = set(PointAward.objects.filter(employee=world.dave_emp).values_list("kind", flat=True))
    assert kinds == {PointKind.COMPLETION, PointKind.FULL_ATTENDANCE, PointKind.JP}
    cert = Certificate.objects.get(enrolment=enrolled)
    assert cert.number.startswith("KOTA-U-2026-P-")


def test_it_does_not_complete_below_80_percent_or_without_the_post_test(world, enrolled):
    _attend(world, enrolled, late=(0, 120))  # 240 + 120 of 480 minutes = 75 %
    with time_machine.travel(at(D2, 14), tick=False):
        do_record_posttest_done(enrolment=enrolled)
    enrolled.refresh_from_db()
    assert enrolled.completed_at is None and enrolled.attendance_pct == 75
    assert not JpEntry.objects.exists()


def test_it_waits_for_the_post_test(world, enrolled):
    _attend(world, enrolled)
    enrolled.refresh_from_db()
    assert enrolled.completed_at is None and enrolled.attendance_pct == 100
    assert not JpEntry.objects.exists()


def test_roll_call_refuses_lateness_longer_than_the_session(world, enrolled):
    session = enrolled.batch.sessions.first()
    with pytest.raises(ValidationError, match="tandai tidak hadir"):
        do_mark_attendance(
            session=session, enrolment=enrolled, present=True, late_minutes=240, actor=world.alice
        )


def test_the_ledger_sums_minutes_exactly_against_the_20_jp_minimum(world):
    # 60 entries of 15 minutes = 900 minutes = exactly 20 JP: summing rounded JP would miss it.
    for k in range(60):
        JpEntry.objects.create(
            instansi=world.instansi,
            employee=world.dave_emp,
            year=2026,
            date=date(2026, 1, 1) + timedelta(days=k),
            minutes=Decimal(15),
            group="nonklasikal",
            form="e_learning",
            title=f"Modul {k}",
            source="sertifikat_eksternal",
        )
    row = jp_rows(Employee.objects.filter(pk=world.dave_emp.pk), 2026)[0]
    assert row.total_jp == Fraction(20) == jp_std.JP_TARGETS.targets["PNS"].minimum
    assert row.met and row.deficit == 0
    erin = jp_rows(Employee.objects.filter(pk=world.erin_emp.pk), 2026)[0]
    assert erin.deficit == 20 and not erin.met


def _upload(world, content, name="sertifikat.pdf", **overrides):
    data = ExternalInput(
        title="Seminar Nasional Pelayanan Publik",
        organiser="LAN RI",
        form="seminar",
        start_date=date(2026, 2, 10),
        end_date=date(2026, 2, 11),
        amount=Decimal(2),
        unit="day",
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    with time_machine.travel(at(date(2026, 3, 1), 9), tick=False):
        return do_submit_external_certificate(
            employee=world.dave_emp,
            data=data,
            file=SimpleUploadedFile(name, content),
            actor=world.dave,
        )


def test_an_external_seminar_is_converted_by_the_table_and_counts_once_approved(
    world, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    cert = _upload(world, PDF)
    assert cert.content_type == "application/pdf"
    assert cert.minutes == Decimal(2 * 4 * 45)  # seminar: 4 JP a day (standards.jp.JP_CREDIT)
    assert not JpEntry.objects.exists()
    do_review_external_certificate(certificate=cert, approve=True, actor=world.bob)
    entry = JpEntry.objects.get(external=cert)
    assert entry.year == 2026 and entry.group == "klasikal"
    with pytest.raises(ValidationError, match="sudah"):
        do_review_external_certificate(certificate=cert, approve=True, actor=world.bob)


def test_an_upload_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_written(
    world, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError, match="PDF atau gambar"):
        _upload(world, b"MZ\x90\x00 this is an exe", name="sertifikat.pdf")
    with pytest.raises(ValidationError, match="per hari"):
        _upload(world, PNG, name="foto.png", unit="hour")
    with pytest.raises(ValidationError, match=r"terlalu besar \(5,0 MB\); maksimal 5 MB"):
        _upload(world, PDF + b"0" * (5 * 1024 * 1024), name="besar.pdf")
    assert not ExternalCertificate.objects.exists()
    assert not any(tmp_path.rglob("*"))
    assert _upload(world, PNG, name="foto.png").content_type == "image/png"


def test_the_upload_page_shows_the_problem_and_the_pengelola_reviews_only_their_subtree(
    client, world, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.dave)
    bad = client.post(
        reverse("participation:upload_external"),
        {
            "title": "X",
            "organiser": "Y",
            "form": "seminar",
            "start_date": "2026-02-10",
            "end_date": "2026-02-10",
            "amount": "1",
            "unit": "day",
            "file": SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>"),
        },
    )
    assert bad.status_code == 400 and "PDF atau gambar" in bad.content.decode()
    cert = _upload(world, PDF)
    client.force_login(world.erin)
    assert (
        client.post(
            reverse("participation:review", args=[cert.pk]), {"decision": "approve"}
        ).status_code
        == 403
    )
    client.force_login(world.bob)
    client.post(reverse("participation:review", args=[cert.pk]), {"decision": "reject", "note": ""})
    cert.refresh_from_db()
    assert cert.status == ReviewStatus.SUBMITTED
    client.post(reverse("participation:review", args=[cert.pk]), {"decision": "approve"})
    cert.refresh_from_db()
    assert cert.status == ReviewStatus.APPROVED
    assert (
        client.get(reverse("participation:external_file", args=[cert.pk]))["Content-Type"]
        == "application/pdf"
    )


def test_the_roll_call_page_saves_all_rows_or_none(client, world, enrolled):
    from tests.participation.builders import make_trainer

    trainer = make_trainer(world.instansi, world.carol_emp)
    enrolled.batch.trainers.add(trainer)
    session = enrolled.batch.sessions.order_by("start").first()
    url = reverse("participation:roll_call", args=[session.pk])
    client.force_login(world.carol)
    key = enrolled.pk
    bad = client.post(url, {f"present-{key}": "on", f"late-{key}": "300", f"early-{key}": "0"})
    assert bad.status_code == 200 and "tandai tidak hadir" in bad.content.decode()
    assert not session.attendance.exists()
    # Absent, with minutes no session has: refused by name before the action (a number that
    # large used to reach the small-integer column).
    for typed in ("99999999999999999999", "-5", "1,5"):
        bad = client.post(url, {f"late-{key}": typed, f"early-{key}": "0"})
        assert bad.status_code == 200
        assert "menit harus bilangan bulat dari 0 sampai 1440" in bad.content.decode()
        assert not session.attendance.exists()
    client.post(url, {f"present-{key}": "on", f"late-{key}": "15", f"early-{key}": "0"})
    record = session.attendance.get()
    assert record.present and record.late_minutes == 15 and record.method == "manual"
    client.force_login(world.dave)
    assert client.post(url, {f"present-{key}": "on"}).status_code == 404

"""Certificates of earlier years recorded approved in bulk (the demo's history): each gets what
the submit and review actions give one certificate, and a bad row refuses the whole batch."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from kompeten.core.models import AuditLog
from kompeten.participation.actions.incentives import jp_points, policy_for
from kompeten.participation.actions.jp import ExternalInput, do_record_approved_history
from kompeten.participation.models import ExternalCertificate, JpEntry, PointAward, ReviewStatus
from tests.participation.builders import at

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SEMINAR = ExternalInput(
    title="Seminar Nasional Pelayanan Publik",
    organiser="LAN RI",
    form="seminar",
    start_date=date(2025, 2, 10),
    end_date=date(2025, 2, 11),
    amount=Decimal(2),
    unit="day",
)


def _record(world, history):
    with time_machine.travel(at(date(2026, 3, 1), 9), tick=False):
        return do_record_approved_history(
            instansi=world.instansi,
            history=history,
            scan=PDF,
            scan_name="sertifikat-eksternal/riwayat/pindaian.pdf",
            actor=world.alice,
        )


def test_each_certificate_gets_its_credit_ledger_line_and_points(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    course = replace(SEMINAR, title="Pelatihan Kepemimpinan Pengawas", form="pkp", unit="jp")
    course = replace(course, amount=Decimal(250))
    n = _record(world, [(world.dave_emp, SEMINAR), (world.carol_emp, course)])
    assert n == 2
    seminar = ExternalCertificate.objects.get(employee=world.dave_emp)
    assert seminar.status == ReviewStatus.APPROVED and seminar.reviewed_by == world.alice
    assert seminar.minutes == Decimal(2 * 4 * 45)  # seminar: 4 JP a day, as one upload gets
    entry = JpEntry.objects.get(external=seminar)
    assert (entry.year, entry.date, entry.minutes) == (2025, date(2025, 2, 11), seminar.minutes)
    award = PointAward.objects.get(reference=f"jp-{entry.pk}")
    assert award.points == jp_points(policy_for(world.instansi.pk), entry.minutes) > 0
    # one scan stored for all, one audit row for the batch
    files = {c.file.name for c in ExternalCertificate.objects.all()}
    assert len(files) == 1 and len(list(tmp_path.rglob("*.pdf"))) == 1
    assert AuditLog.objects.filter(action="external_certificate.approve").count() == 1


def test_a_row_that_breaks_a_rule_refuses_the_batch_and_writes_nothing(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    future = replace(SEMINAR, start_date=date(2026, 4, 1), end_date=date(2026, 4, 2))
    with pytest.raises(ValidationError, match=r"Baris 2 \(NIP .*\): Tanggal selesai belum lewat"):
        _record(world, [(world.dave_emp, SEMINAR), (world.carol_emp, future)])
    assert not ExternalCertificate.objects.exists() and not JpEntry.objects.exists()
    assert not PointAward.objects.exists() and not any(tmp_path.rglob("*"))


def test_the_batch_costs_the_same_queries_however_many_certificates(world, tmp_path, settings):
    # one lookup of the ledger group per form and bulk writes: not one query per certificate
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MEDIA_ROOT = tmp_path
    counts = []
    for n in (1, 2, 8):  # the first batch also creates the instansi's point policy
        history = [(world.dave_emp, replace(SEMINAR, title=f"Seminar {i}")) for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            assert _record(world, history) == n
        counts.append(len(queries))
    assert counts[1] == counts[2]
    assert JpEntry.objects.count() == 11 and PointAward.objects.count() == 11

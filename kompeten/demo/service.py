"""Demo step: service units, twelve months of SKM responses and complaints.

DEMO DATA, generated: nothing here is a real survey answer or a real complaint. The generator
builds in an effect on purpose, so that the evaluation pages have something to find: the units
in :data:`TRAINED_UNITS` improve after their training month (higher SKM scores, faster and more
substantive complaint handling); the other units stay flat. Responses go in through
``do_bulk_add_skm_responses`` (which keeps the rollups correct), complaints through
``do_bulk_add_complaints`` and published summaries through ``do_import_skm_summary``: the same
actions the imports use.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from kompeten.core import formatting
from kompeten.participation.models import Enrolment, EnrolmentStatus
from kompeten.people.models import Employee, Unit
from kompeten.service.actions import (
    do_bulk_add_complaints,
    do_bulk_add_skm_responses,
    do_create_service,
    do_create_service_unit,
    do_import_skm_summary,
)
from kompeten.service.actions.complaints import ComplaintInput
from kompeten.service.actions.skm import SkmRecord
from kompeten.service.models import (
    AgeGroup,
    ComplaintCategory,
    ComplaintStatus,
    Occupation,
    RespondentEducation,
    Source,
)
from kompeten.service.versions import engine_version
from kompeten.standards.local_time import JAKARTA
from kompeten.standards.workdays import WorkCalendar, default_calendar

if TYPE_CHECKING:
    from kompeten.demo.build import DemoContext

# unit code -> month of 2026 in which its front-line staff were trained (demo effect)
# (Puskesmas Talawi's staff took the April–June batches too; RSUD and Kelurahan Saringan wait for
# the next cycle: the comparison units)
TRAINED_UNITS: dict[str, int] = {"DUKCAPIL": 5, "PKM-BRG": 6, "PKM-TLW": 6, "MPP": 7}

# (OPD unit code, survey code, name, yearly users, base quality, services)
SERVICE_UNITS = [
    (
        "DUKCAPIL",
        "disdukcapil",
        "Layanan Administrasi Kependudukan Disdukcapil",
        24000,
        3.0,
        [("ktp-el", "KTP-el"), ("kk", "Kartu Keluarga"), ("akta-lahir", "Akta Kelahiran")],
    ),
    (
        "MPP",
        "mpp",
        "Mal Pelayanan Publik (perizinan DPMPTSP)",
        9000,
        3.05,
        [("perizinan", "Perizinan berusaha"), ("pbg", "Persetujuan Bangunan Gedung")],
    ),
    (
        "PKM-BRG",
        "pkm-barangin",
        "Puskesmas Barangin",
        15000,
        2.95,
        [("rawat-jalan", "Rawat jalan")],
    ),
    ("PKM-TLW", "pkm-talawi", "Puskesmas Talawi", 12000, 2.95, [("rawat-jalan", "Rawat jalan")]),
    (
        "KEL-SARINGAN",
        "kel-saringan",
        "Kelurahan Saringan",
        2500,
        3.1,
        [("surat-keterangan", "Surat keterangan")],
    ),
    (
        "RSUD",
        "rsud",
        "RSUD Sawahlunto",
        40000,
        2.85,
        [("rawat-jalan", "Rawat jalan"), ("rawat-inap", "Rawat inap")],
    ),
]
RESPONSES_PER_UNIT_MONTH = 415
COMPLAINT_UNITS = {
    "DUKCAPIL": 70,
    "MPP": 40,
    "PKM-BRG": 25,
    "PKM-TLW": 25,
    "KEL-SARINGAN": 10,
    "RSUD": 80,
}

AGE = [a.value for a in AgeGroup]
EDU = [e.value for e in RespondentEducation]
OCC = [o.value for o in Occupation]


def _months(today: date) -> list[date]:
    """The twelve months ending with the current one."""
    out = []
    y, m = today.year, today.month
    for _ in range(12):
        out.append(date(y, m, 1))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    return out[::-1]


def _trained_after(code: str, month: date) -> bool:
    t = TRAINED_UNITS.get(code)
    return t is not None and month > date(2026, t, 1)


def step_service(ctx: DemoContext) -> None:
    rng = np.random.default_rng(20260514)
    now = timezone.now()
    today = timezone.localdate()
    months = _months(today)
    version = engine_version("SKM_2017")
    slugs = [u.slug for u in version.unsur]
    unsur_offset = np.array([0.1, 0.0, -0.25, 0.45, 0.05, 0.05, 0.15, -0.3, -0.1])
    admin = ctx.users.get("admin")
    total = 0
    for opd, code, name, population, base, services in SERVICE_UNITS:
        su = do_create_service_unit(
            unit=ctx.unit(opd), code=code, name=name, population=population, actor=admin
        )
        svc = [do_create_service(service_unit=su, code=c, name=n, actor=admin) for c, n in services]
        records: list[SkmRecord] = []
        for month in months:
            n = int(RESPONSES_PER_UNIT_MONTH * rng.uniform(0.8, 1.2))
            effect = 0.4 if _trained_after(opd, month) else 0.0
            person = rng.normal(0, 0.45, n)
            latent = (
                base
                + effect
                + person[:, None]
                + unsur_offset[None, :]
                + rng.normal(0, 0.45, (n, 9))
            )
            scores = np.clip(np.rint(latent), 1, 4).astype(int)
            last_day = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(
                days=1
            )
            days = rng.integers(0, last_day.day, n)
            seconds = rng.integers(8 * 3600, 15 * 3600, n)
            for i in range(n):
                moment = datetime.combine(
                    month + timedelta(days=int(days[i])), time(), tzinfo=JAKARTA
                ) + timedelta(seconds=int(seconds[i]))
                if moment > now:
                    continue
                records.append(
                    SkmRecord(
                        submitted=moment,
                        scores=dict(zip(slugs, scores[i].tolist(), strict=True)),
                        service_id=svc[int(rng.integers(0, len(svc)))].pk,
                        profile={
                            "sex": "L" if rng.random() < 0.48 else "P",
                            "age_group": AGE[int(rng.choice(5, p=[0.08, 0.3, 0.28, 0.2, 0.14]))],
                            "education": EDU[
                                int(rng.choice(6, p=[0.08, 0.12, 0.4, 0.12, 0.24, 0.04]))
                            ],
                            "occupation": OCC[int(rng.choice(5, p=[0.15, 0.25, 0.25, 0.15, 0.2]))],
                        },
                    )
                )
        total += do_bulk_add_skm_responses(su, records, source=Source.DEMO)
    with ctx.in_reader_language():
        ctx.say(
            gettext("unit layanan: {units}, jawaban SKM: {answers} (data demo)").format(
                units=formatting.number(len(SERVICE_UNITS), 0), answers=formatting.number(total, 0)
            )
        )
    _published(ctx, admin)
    complaints = _complaints(ctx, rng, months, now)
    with ctx.in_reader_language():
        ctx.say(
            ngettext("{n} pengaduan (data demo)", "{n} pengaduan (data demo)", complaints).format(
                n=formatting.number(complaints, 0)
            )
        )


def _published(ctx: DemoContext, admin: object) -> None:
    version = engine_version("SKM_2017")
    old = engine_version("SKM_2004")
    lines = ["unit,tahun,regulasi,unsur,nrr,n"]
    for year, shift in ((2024, -0.1), (2025, 0.0)):
        for code, base in (("disdukcapil", 3.0), ("rsud", 2.85)):
            for i, u in enumerate(version.unsur):
                nrr = min(4.0, base + shift + 0.05 * ((i % 3) - 1))
                lines.append(f'{code},{year},2017,"{u.name}",{nrr:.2f},{300 + 10 * i}')
    for i, u in enumerate(old.unsur):
        lines.append(f'disdukcapil,2016,2004,"{u.name}",{2.7 + 0.02 * i:.2f},150')
    do_import_skm_summary(ctx.instansi, "\n".join(lines).encode(), "ringkasan.csv", actor=admin)  # type: ignore[arg-type]


def _complaints(
    ctx: DemoContext, rng: np.random.Generator, months: list[date], now: datetime
) -> int:
    cal = default_calendar()
    start = months[0]
    span = (timezone.localdate() - start).days
    items: list[ComplaintInput] = []
    seq = 0
    for code, per_month in COMPLAINT_UNITS.items():
        unit = ctx.unit(code)
        nips = _complaint_officers(unit)
        for _ in range(per_month * 12):
            seq += 1
            day = start + timedelta(days=int(rng.integers(0, span + 1)))
            received = datetime.combine(day, time(8), tzinfo=JAKARTA) + timedelta(
                minutes=int(rng.integers(0, 480))
            )
            if received > now:
                continue
            trained = _trained_after(code, date(day.year, day.month, 1))
            items.append(_complaint(seq, unit, received, nips, trained, rng, cal, now))
    return do_bulk_add_complaints(
        ctx.instansi, items, source=Source.DEMO, actor=ctx.users.get("admin")
    )


def _complaint_officers(unit: Unit) -> list[str]:
    """The NIPs of up to six of the unit's employees who handle its complaints."""
    # participants of the complaint-handling course handle complaints first (L3 reads them)
    course_nips = set(
        Enrolment.objects.filter(
            batch__programme__code="PP-01",
            status=EnrolmentStatus.ACCEPTED,
            employee__unit=unit,
        ).values_list("employee__nip", flat=True)
    )
    return sorted(
        Employee.objects.filter(unit=unit, is_active=True).values_list("nip", flat=True),
        key=lambda n: (n not in course_nips, n),
    )[:6]


COMPLAINT_LIMITS = {
    ComplaintCategory.INFORMASI: 5,
    ComplaintCategory.TANPA: 14,
    ComplaintCategory.DENGAN: 60,
}


def _complaint(
    seq: int,
    unit: Unit,
    received: datetime,
    nips: list[str],
    trained: bool,
    rng: np.random.Generator,
    cal: WorkCalendar,
    now: datetime,
) -> ComplaintInput:
    """One complaint received at ``received``, taken as far as ``now`` allows through the
    SP4N-LAPOR! steps; a trained unit answers faster and better."""
    # The order of the draws is the demo's data: a reordering changes every complaint.
    cats = [ComplaintCategory.INFORMASI, ComplaintCategory.TANPA, ComplaintCategory.DENGAN]
    cat = cats[int(rng.choice(3, p=[0.45, 0.45, 0.1]))]
    speed = 0.55 if trained else 1.0
    resp_days = int(rng.poisson(2.2 * speed))
    reso_days = resp_days + int(rng.gamma(2.0, COMPLAINT_LIMITS[cat] * 0.45 * speed))

    def at(n: int) -> datetime:
        d = cal.add_working_days(received.astimezone(JAKARTA).date(), n)
        moment = datetime.combine(d, time(10), tzinfo=JAKARTA)
        return max(moment, received) + timedelta(minutes=int(rng.integers(10, 300)))

    verified = at(min(resp_days, 1))
    forwarded = at(min(resp_days, 2))
    first = at(resp_days)
    closed = at(reso_days)
    item = ComplaintInput(
        tracking_number=f"LAPOR-{2026}{seq:06d}",
        unit_id=unit.pk,
        category=cat,
        received_at=received,
        subject="Pengaduan demo",
        officer_nip=nips[int(rng.integers(0, len(nips)))] if nips else "",
    )
    if verified <= now:
        item.verified_at = verified
        item.status = ComplaintStatus.DIVERIFIKASI
    if item.verified_at and forwarded <= now:
        item.forwarded_at = max(forwarded, verified)
        item.status = ComplaintStatus.DIDISPOSISI
    if item.forwarded_at and first <= now:
        item.first_response_at = max(first, item.forwarded_at)
        item.status = ComplaintStatus.DITINDAKLANJUTI
    if item.first_response_at and closed <= now:
        item.closed_at = max(closed, item.first_response_at)
        archived = rng.random() < 0.04
        item.status = ComplaintStatus.DIARSIPKAN if archived else ComplaintStatus.SELESAI
        item.substantive = not archived and rng.random() > (0.04 if trained else 0.12)
        if rng.random() < 0.6:
            item.citizen_rating = int(np.clip(rng.normal(4.2 if trained else 3.5, 0.8), 1, 5))
        item.reopened_count = int(rng.random() < (0.03 if trained else 0.08))
    item.escalated = bool(rng.random() < (0.02 if trained else 0.05))
    return item

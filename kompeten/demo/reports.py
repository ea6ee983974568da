"""Demo step (last): SKP ratings and discipline records for the demo ASN (2025 and 2026), the
city-wide evaluation cycles of the demo year and the leadership dashboard's snapshot.

Programme reports are assembled on request (their data is ready); PDFs render on first download.
"""

from __future__ import annotations

import random
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core import formatting
from kompeten.people.models import Employee
from kompeten.records.models import DisciplineRecord, SkpRating
from kompeten.reports.actions import do_generate_cycle
from kompeten.reports.tasks import refresh_dashboard_now
from kompeten.standards.skp import predikat

RATINGS = ("di_atas", "sesuai", "di_bawah")


def step_reports(ctx) -> None:
    rng = random.Random(1373)
    instansi = ctx.instansi
    today = timezone.localdate()
    year = today.year
    employees = list(Employee.objects.filter(instansi=instansi, is_active=True).order_by("nip"))
    skp, discipline = [], []
    # the evaluation step already rated its participants before and after their training
    rated = set(SkpRating.objects.filter(instansi=instansi).values_list("employee_id", "year"))
    for e in employees:
        for y in (year - 1, year):
            # most ASN are rated as expected; a poor behaviour rating (predikat Kurang) is rare
            h = rng.choices(RATINGS, weights=(20, 74, 6))[0]
            p = rng.choices(RATINGS, weights=(20, 78, 2))[0]
            if (e.pk, y) in rated:
                continue
            skp.append(
                SkpRating(
                    instansi=instansi,
                    employee=e,
                    year=y,
                    hasil_kerja=h,
                    perilaku=p,
                    predikat=predikat(h, p).value,
                )
            )
        if rng.random() < 0.03:
            level = rng.choices(("ringan", "sedang", "berat"), weights=(7, 2, 1))[0]
            discipline.append(
                DisciplineRecord(
                    instansi=instansi,
                    employee=e,
                    level=level,
                    date=date(
                        year - 1 - rng.randrange(3), rng.randrange(1, 13), rng.randrange(1, 28)
                    ),
                    note="Data demo sintetis",
                )
            )
    SkpRating.objects.bulk_create(skp, batch_size=2000)
    DisciplineRecord.objects.bulk_create(discipline, batch_size=2000)
    with ctx.in_reader_language():
        ctx.say(
            gettext("penilaian SKP: {skp}, hukuman disiplin: {discipline}").format(
                skp=formatting.number(len(skp), 0), discipline=formatting.number(len(discipline), 0)
            )
        )
    codes = [f"{year}-S1"] if today.month <= 6 else [f"{year}-S1", f"{year}-S2"]
    for code in [str(year - 1), f"{year - 1}-S2", *codes, str(year)]:
        do_generate_cycle(instansi=instansi, code=code, actor=ctx.users.get("admin"))
        with ctx.in_reader_language():
            ctx.say(gettext("laporan siklus {code}").format(code=code))
    refresh_dashboard_now(instansi, year)
    with ctx.in_reader_language():
        ctx.say(gettext("dasbor pimpinan dihitung"))

"""Background work: the city-wide cycle reports on schedule and the dashboard snapshot.

The report machinery (scipy, matplotlib) is imported inside the jobs: this module is imported
when Django starts (to register the periodic jobs), and every `kompeten` command pays for what it
imports — 2 s of the 3,5 s start-up before this was lazy.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django_tasks import task

from kompeten.core.models import Instansi
from kompeten.core.periodic import register
from kompeten.reports.models import CycleKind, DashboardSnapshot, ReportCycle, ReportSettings


def due_cycle_codes(today: date, kinds: list[str]) -> list[str]:
    """The cycles whose period has ended by ``today``: the last finished of each kind."""
    codes = []
    y, m = today.year, today.month
    if CycleKind.QUARTERLY in kinds:
        q = (m - 1) // 3  # the finished quarter (0 → last year's Q4)
        codes.append(f"{y - 1}-Q4" if q == 0 else f"{y}-Q{q}")
    if CycleKind.SEMESTER in kinds:
        codes.append(f"{y - 1}-S2" if m <= 6 else f"{y}-S1")
    if CycleKind.YEARLY in kinds:
        codes.append(str(y - 1))
    return codes


def refresh_dashboard_now(instansi: Instansi, year: int) -> None:
    from kompeten.reports.actions import do_store_dashboard
    from kompeten.reports.dashboard import compute_dashboard
    from kompeten.reports.model import data_version

    version = data_version()  # first the version, then the data: never older than its mark
    data = compute_dashboard(instansi, year)
    data["data_version"] = version
    do_store_dashboard(instansi=instansi, year=year, data=data)


def dashboard_is_current(snap: DashboardSnapshot | None, version: str, today: date) -> bool:
    """Whether a snapshot still holds: computed today (windows and due follow-ups move with the
    day) from the data as it is now."""
    return (
        snap is not None
        and snap.data.get("data_version") == version
        and timezone.localdate(snap.computed_at) == today
    )


@register("reports.cycles", every=timedelta(hours=6))
@task()
def generate_due_cycles() -> dict[str, Any]:
    """Generate each instansi's finished cycles that have no report yet, or whose report was
    computed from data that has changed since (a cycle generated before the imports)."""
    from kompeten.reports.actions import do_generate_cycle, is_stale

    today = timezone.localdate()
    made: list[str] = []
    for instansi in Instansi.objects.all():
        row = ReportSettings.objects.filter(instansi=instansi).first()
        kinds = [str(k) for k in (row.kinds if row else [CycleKind.SEMESTER, CycleKind.YEARLY])]
        codes = due_cycle_codes(today, kinds)
        done = {
            cycle.code: cycle
            for cycle in ReportCycle.objects.filter(instansi=instansi, code__in=codes).only(
                "code", "instansi_id", "period_start", "period_end", "data"
            )
        }
        for code in codes:
            if code not in done or is_stale(done[code]):
                do_generate_cycle(instansi=instansi, code=code)
                made.append(f"{instansi.code}:{code}")
    return {"generated": made}


@register("reports.dashboard", every=timedelta(minutes=30))
@task()
def refresh_dashboards() -> dict[str, Any]:
    """This year's dashboard every run; last year's too (a year's training is reviewed after it
    ends, and its follow-ups land in the next), but only when the training data or the day moved
    since its snapshot."""
    from kompeten.reports.model import data_version

    today = timezone.localdate()
    version = data_version()
    refreshed = []
    for instansi in Instansi.objects.all():
        refresh_dashboard_now(instansi, today.year)
        refreshed.append(f"{instansi.code}:{today.year}")
        last = DashboardSnapshot.objects.filter(instansi=instansi, year=today.year - 1).first()
        if not dashboard_is_current(last, version, today):
            refresh_dashboard_now(instansi, today.year - 1)
            refreshed.append(f"{instansi.code}:{today.year - 1}")
    return {"refreshed": refreshed}

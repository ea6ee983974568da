"""The fast complaint paths give the same figures as the per-complaint Python code they replaced.

The reference functions below are the previous implementations, kept verbatim in spirit: one
row per complaint, each timestamp converted to its Asia/Jakarta date in Python, per-complaint
loops. The dataset is realistic: statuses in every stage, moments around Jakarta midnight,
missing first responses, a closed time on a complaint that was reopened (not closed), an
instansi's own SLA and cuti bersama.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from kompeten.evaluation.queries import complaint_observations
from kompeten.reports import collect
from kompeten.service.models import (
    CLOSED_STATUSES,
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    CutiBersama,
    ServiceUnit,
    SlaSetting,
)
from kompeten.service.queries import (
    ComplaintDurations,
    calendar_for,
    complaint_durations,
    complaint_resolution_groups,
    sla_table_for,
    summarise,
)
from kompeten.standards import sla as sla_std
from tests import factories
from tests.service.helpers import jkt

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 20)


def reference_durations(complaints: Any, as_of: date, instansi_id: int) -> ComplaintDurations:
    """The previous ``complaint_durations``: timestamps fetched, converted one by one."""

    def days(values: list[Any]) -> np.ndarray:
        out = np.empty(len(values), dtype="datetime64[D]")
        for i, v in enumerate(values):
            out[i] = (
                np.datetime64("NaT") if v is None else np.datetime64(sla_std.jakarta_date(v), "D")
            )
        return out

    cal = calendar_for(instansi_id)
    table = sla_table_for(instansi_id)
    rows = list(
        complaints.values_list(
            "id",
            "unit_id",
            "officer_id",
            "category",
            "received_at",
            "first_response_at",
            "closed_at",
            "status",
            "citizen_rating",
            "reopened_count",
            "escalated",
            "substantive",
        ).order_by("id")
    )
    received = days([r[4] for r in rows])
    closed_raw = [r[6] if r[7] in CLOSED_STATUSES else None for r in rows]
    first = days([r[5] if r[5] is not None else c for r, c in zip(rows, closed_raw, strict=True)])
    closed = days(closed_raw)
    archived = np.array([r[7] == ComplaintStatus.DIARSIPKAN for r in rows], dtype=bool)
    resolved = days([None if a else c for a, c in zip(archived, closed_raw, strict=True)])
    verification = table.get(sla_std.VERIFICATION).working_days
    limits = np.array([table.get(r[3]).working_days for r in rows], dtype=np.int64)
    resp = sla_std.sla_states_many(received, first, verification, as_of, cal)
    reso = sla_std.sla_states_many(received, resolved, limits, as_of, cal)
    # archived (closed without resolution): censored at its archive day, never met, breached
    # once past due (by as_of, as an open one, or by its archive day)
    resolution_days, breached = reso.elapsed_working_days.copy(), reso.breached.copy()
    for i in np.flatnonzero(archived & ~np.isnat(closed)).tolist():
        resolution_days[i] = cal.working_days_between(received[i].item(), closed[i].item())
        breached[i] |= bool(resolution_days[i] > limits[i])
    return ComplaintDurations(
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        unit_ids=np.array([r[1] for r in rows], dtype=np.int64),
        officer_ids=np.array([r[2] or 0 for r in rows], dtype=np.int64),
        received=received,
        response_days=resp.elapsed_working_days,
        response_event=~np.isnat(first),
        response_recorded=np.array([r[5] is not None for r in rows], dtype=bool),
        resolution_days=resolution_days,
        resolution_event=~np.isnat(resolved),
        archived=archived,
        response_met=resp.met,
        response_breached=resp.breached,
        resolution_met=reso.met,
        resolution_breached=breached,
        rating=np.array([np.nan if r[8] is None else r[8] for r in rows], dtype=float),
        reopened=np.array([r[9] > 0 for r in rows], dtype=bool),
        escalated=np.array([bool(r[10]) for r in rows], dtype=bool),
        not_substantive=np.array([r[11] is False for r in rows], dtype=bool),
        as_of=as_of,
    )


def reference_observations(
    d: ComplaintDurations, service_units: list[tuple[int, str]], start: date, before: date
) -> list[tuple[int, date, float]]:
    """The previous per-complaint loop of the L4 complaint outcome."""
    from kompeten.people.models import Unit

    su_paths = sorted(((p, i) for i, p in service_units), key=lambda x: -len(x[0]))
    unit_paths = dict(
        Unit.objects.filter(pk__in=set(d.unit_ids.tolist())).values_list("id", "path")
    )
    unit_to_su: dict[int, int] = {}
    for uid, path in unit_paths.items():
        for p, su_id in su_paths:
            if path.startswith(p):
                unit_to_su[uid] = su_id
                break
    met: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    window = (d.received >= np.datetime64(start, "D")) & (d.received < np.datetime64(before, "D"))
    for uid, day, ok, bad in zip(
        d.unit_ids[window].tolist(),
        d.received[window].tolist(),
        d.resolution_met[window].tolist(),
        d.resolution_breached[window].tolist(),
        strict=True,
    ):
        su = unit_to_su.get(uid)
        if su is None or not (ok or bad):
            continue
        cell = met[(su, date(day.year, day.month, 1))]
        cell[0] += int(ok)
        cell[1] += 1
    return [(su, mon, c[0] / c[1] * 100) for (su, mon), c in met.items() if c[1]]


def reference_figures(instansi_id: int, start: date, end: date) -> collect.ComplaintFigures:
    """The previous ``collect.complaint_figures`` over per-complaint durations."""
    qs = Complaint.objects.filter(
        instansi_id=instansi_id,
        received_at__gte=collect.aware(start),
        received_at__lte=collect.aware(end, True),
    )
    d = reference_durations(qs, min(end, timezone.localdate()), instansi_id)
    s = summarise(d)
    met = int(d.resolution_met.sum())
    by_unit: dict[int, float] = {}
    for unit_id in {int(u) for u in d.unit_ids}:
        mask = d.unit_ids == unit_id
        if int(mask.sum()) >= 3:
            sub = summarise(d.subset(mask))
            if sub.median_resolution is not None and math.isfinite(sub.median_resolution):
                by_unit[unit_id] = float(sub.median_resolution)
    med = s.median_resolution
    return collect.ComplaintFigures(
        met + int(d.resolution_breached.sum()),
        met,
        len(d),
        None if med is None or not math.isfinite(med) else float(med),
        by_unit,
    )


@pytest.fixture
def complaints(world):  # type: ignore[no-untyped-def]
    """1,200 complaints over 18 months in four units, every status, edge moments included."""
    rng = random.Random(11)
    gamma = factories.make_unit(world.instansi, "Dinas Gamma", parent=world.beta.parent, code="G")
    units = [world.alfa, world.layanan, world.beta, gamma]
    officers = [None, world.dave_emp, world.erin_emp, world.bob_emp]
    CutiBersama.objects.create(instansi=world.instansi, date=date(2026, 5, 15), name="Cuti")
    SlaSetting.objects.create(
        instansi=world.instansi, category=ComplaintCategory.INFORMASI, working_days=3
    )
    statuses = list(ComplaintStatus)
    # closed: mostly resolved, some archived (censored, not resolved: every unit keeps a median)
    closed_statuses = [ComplaintStatus.SELESAI] * 3 + [ComplaintStatus.DIARSIPKAN]
    rows = []
    for k in range(1200):
        day = date(2025, 6, 1) + timedelta(days=rng.randrange(540))
        # around Jakarta midnight (the UTC date differs) as well as office hours
        hour, minute = rng.choice([(0, 5), (6, 59), (7, 0), (9, 30), (16, 59), (23, 55)])
        received = jkt(day.year, day.month, day.day, hour, minute)
        status = rng.choice(statuses) if rng.random() < 0.4 else rng.choice(closed_statuses)
        first = None if rng.random() < 0.3 else received + timedelta(hours=rng.randrange(1, 200))
        closed: datetime | None = received + timedelta(hours=rng.randrange(2, 900))
        if status not in CLOSED_STATUSES and rng.random() < 0.6:
            closed = None  # else: reopened, an old closing time left on an open complaint
        rows.append(
            Complaint(
                instansi=world.instansi,
                unit=units[k % 4],
                tracking_number=f"R{k}",
                category=rng.choice(list(ComplaintCategory)),
                status=status,
                officer=officers[k % 4],
                received_at=received,
                first_response_at=first,
                closed_at=closed,
                citizen_rating=rng.choice([None, 1, 2, 3, 4, 5]),
                reopened_count=rng.choice([0, 0, 1, 2]),
                escalated=rng.random() < 0.2,
                substantive=rng.choice([None, True, False]),
            )
        )
    Complaint.objects.bulk_create(rows)
    return world


def assert_same(a: ComplaintDurations, b: ComplaintDurations) -> None:
    for name in a.__dataclass_fields__:
        if name in ("as_of", "labels"):
            continue
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype, name
        assert np.array_equal(x, y, equal_nan=name == "rating"), name


def test_complaint_durations_equal_the_per_row_reference(complaints) -> None:  # type: ignore[no-untyped-def]
    qs = Complaint.objects.filter(instansi=complaints.instansi)
    fast = complaint_durations(qs, AS_OF, complaints.instansi.pk)
    assert len(fast) == 1200
    assert_same(fast, reference_durations(qs, AS_OF, complaints.instansi.pk))
    # a filtered, differently ordered queryset (the service views pass those)
    sub = qs.filter(unit=complaints.alfa).order_by("-received_at")
    assert_same(
        complaint_durations(sub, date(2026, 1, 10), complaints.instansi.pk),
        reference_durations(sub, date(2026, 1, 10), complaints.instansi.pk),
    )
    empty = complaint_durations(qs.none(), AS_OF, complaints.instansi.pk)
    assert len(empty) == 0 and empty.received.dtype == np.dtype("datetime64[D]")


def test_resolution_groups_equal_the_per_complaint_durations(complaints) -> None:  # type: ignore[no-untyped-def]
    qs = Complaint.objects.filter(instansi=complaints.instansi)
    d = reference_durations(qs, AS_OF, complaints.instansi.pk)
    g = complaint_resolution_groups(
        qs,
        AS_OF,
        complaints.instansi.pk,
        received_from=date(2025, 9, 1),
        received_before=date(2026, 9, 1),
    )
    assert len(g) < 1200 and g.count.size < len(g) + 1
    window = (d.received >= np.datetime64("2025-09-01")) & (
        d.received < np.datetime64("2026-09-01")
    )
    assert len(g) == int(window.sum())
    for unit in {int(u) for u in d.unit_ids}:
        m, gm = window & (d.unit_ids == unit), g.unit_ids == unit
        assert int(d.resolution_met[m].sum()) == int(g.count[gm & g.met].sum())
        assert int(d.resolution_breached[m].sum()) == int(g.count[gm & g.breached].sum())
        days, events = g.expand(gm)
        assert sorted(zip(days.tolist(), events.tolist(), strict=True)) == sorted(
            zip(d.resolution_days[m].tolist(), d.resolution_event[m].tolist(), strict=True)
        )


def test_l4_complaint_observations_equal_the_per_complaint_loop(complaints) -> None:  # type: ignore[no-untyped-def]
    w = complaints
    sus = [
        ServiceUnit.objects.create(instansi=w.instansi, unit=u, code=f"su-{u.code}", name=u.name)
        for u in (w.alfa, w.beta)
    ]
    pairs = [(s.pk, s.unit.path) for s in sus]
    qs = Complaint.objects.filter(instansi=w.instansi)
    start, before = date(2025, 12, 1), date(2026, 12, 1)
    expected = reference_observations(
        reference_durations(qs, AS_OF, w.instansi.pk), pairs, start, before
    )
    got = complaint_observations(
        complaint_resolution_groups(qs, AS_OF, w.instansi.pk, start, before), pairs, start, before
    )
    assert len(expected) == 24  # two service units × 12 months (layanan counted under alfa)
    assert got == expected  # same cells, same values, same order


def test_report_complaint_figures_equal_the_per_complaint_summary(complaints) -> None:  # type: ignore[no-untyped-def]
    for start, end in (
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2025, 7, 1), date(2025, 9, 30)),
    ):
        got = collect.complaint_figures(complaints.instansi.pk, start, end)
        ref = reference_figures(complaints.instansi.pk, start, end)
        assert (got.decided, got.met, got.volume) == (ref.decided, ref.met, ref.volume)
        assert got.median_resolution == ref.median_resolution
        assert got.by_unit_median == ref.by_unit_median and len(got.by_unit_median) == 4


def test_dashboard_complaint_medians_equal_the_per_complaint_summary(complaints) -> None:  # type: ignore[no-untyped-def]
    from kompeten.participation.models import Enrolment
    from kompeten.reports.dashboard import compute_dashboard

    w = complaints
    data = compute_dashboard(w.instansi, 2026)
    table = data["tables"]["pengaduan"]
    card = next(c for c in data["cards"] if c["slug"] == "pengaduan")
    # the reference: per-complaint durations of the year, split by month and trained OPD
    tree = collect.unit_tree(w.instansi.pk)
    trained = collect.trained_units(Enrolment.objects.filter(instansi=w.instansi), tree)
    qs = Complaint.objects.filter(
        instansi=w.instansi,
        received_at__gte=collect.aware(date(2026, 1, 1)),
        received_at__lte=collect.aware(date(2026, 12, 31), True),
    )
    d = reference_durations(qs, min(date(2026, 12, 31), date.today()), w.instansi.pk)
    month_of = d.received.astype("datetime64[M]").astype(int) % 12 + 1
    is_trained = np.array([tree.opd_of(int(u)).pk in trained for u in d.unit_ids], dtype=bool)
    expected = []
    for m in range(1, 13):
        row: list[Any] = [
            ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")[
                m - 1
            ]
        ]
        for grp in (True, False):
            mask = (month_of == m) & (is_trained == grp)
            row.append(
                summarise(d.subset(mask)).median_resolution if int(mask.sum()) >= 3 else None
            )
        expected.append(row)
    assert table["rows"] == expected
    assert any(r[2] is not None for r in expected)
    assert card["value"] == summarise(d).median_resolution

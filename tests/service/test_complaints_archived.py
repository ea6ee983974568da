"""An archived complaint (Diarsipkan: closed without resolution) is not resolved.

On every resolution figure of the service queries it is censored at its archive day (its
working days up to then are follow-up time, not a resolution), as the programme report's impact
section censors it; it never meets the resolution SLA and breaches it once its due date has
passed, as an open complaint does (docs/complaints.md); it is not counted as still open. The
Kaplan–Meier medians are checked against the product-limit formula written out here.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.test import Client

from kompeten.reports import collect
from kompeten.service.actions.complaints import ComplaintInput, do_bulk_add_complaints
from kompeten.service.models import Complaint
from kompeten.service.queries import (
    complaint_durations,
    complaint_resolution_groups,
    summarise,
)
from kompeten.stats.survival import kaplan_meier
from tests.service.helpers import jkt, km_median_by_hand

pytestmark = pytest.mark.django_db

# Received Monday 5 October 2026 (no national holiday or cuti bersama in October 2026): Tue 6 =
# 1 working day, Wed 7 = 2, Thu 8 = 3, Fri 9 = 4, Mon 12 = 5, Tue 13 = 6, Thu 15 = 8, Mon 19 =
# 10, Fri 23 = 14.
RECEIVED = (2026, 10, 5, 9)
TODAY = date(2026, 10, 23)
NOW = "2026-10-23 10:00 +0700"
INFORMASI = "informasi"  # SLA limit 5 working days (LAPOR_SLA)
TANPA = "tanpa_pemeriksaan_lapangan"  # 14 working days

# (tracking number, status, closing day in October, category, working days, resolved)
CASES = [
    ("R-2", "selesai", 7, INFORMASI, 2, True),
    ("R-4", "selesai", 9, INFORMASI, 4, True),
    ("R-6", "selesai", 13, INFORMASI, 6, True),
    ("R-8", "selesai", 15, INFORMASI, 8, True),
    ("R-10", "selesai", 19, INFORMASI, 10, True),
    ("A-3", "diarsipkan", 8, INFORMASI, 3, False),  # archived before its due date (Mon 12)
    ("A-5", "diarsipkan", 12, INFORMASI, 5, False),  # archived on its due date
    ("O", "ditindaklanjuti", None, INFORMASI, 14, False),  # open: censored at today
]


def _add(world, cases) -> None:  # type: ignore[no-untyped-def]
    do_bulk_add_complaints(
        world.instansi,
        [
            ComplaintInput(
                tracking_number=number,
                unit_id=world.alfa.pk,
                category=category,
                received_at=jkt(*RECEIVED),
                status=status,
                closed_at=None if day is None else jkt(2026, 10, day, 15),
            )
            for number, status, day, category, *_rest in cases
        ],
        source="import",
    )


@pytest.fixture
def archived_world(world):  # type: ignore[no-untyped-def]
    with time_machine.travel(NOW, tick=False):
        _add(world, CASES)
        yield world


def _by_number(world):  # type: ignore[no-untyped-def]
    d = complaint_durations(Complaint.objects.all(), TODAY, world.instansi.pk)
    numbers = dict(Complaint.objects.values_list("id", "tracking_number"))
    return d, {numbers[int(i)]: k for k, i in enumerate(d.ids.tolist())}


def test_an_archived_complaint_is_censored_at_its_archive_day(archived_world) -> None:  # type: ignore[no-untyped-def]
    d, at = _by_number(archived_world)
    for number, status, _day, _cat, days, resolved in CASES:
        k = at[number]
        assert int(d.resolution_days[k]) == days, number
        assert bool(d.resolution_event[k]) is resolved, number
        assert bool(d.archived[k]) is (status == "diarsipkan"), number
    observations = [(float(days), resolved) for *_x, days, resolved in CASES]
    # by hand: 2 (7/8), 4 (7/8 · 5/6), 6 (· 3/4 = 0,547), 8 (· 2/3 = 0,365): the median is 8
    assert km_median_by_hand(observations) == 8
    summary = summarise(d)
    assert summary.median_resolution == 8
    # counted as resolutions, the two archived complaints would pull the median down to 5,5
    as_resolved = [(float(days), resolved or n[0] == "A") for n, *_x, days, resolved in CASES]
    assert km_median_by_hand(as_resolved) == 5.5
    # still open: only the complaint under follow-up, not the archived ones
    assert summary.open == 1


def test_the_grouped_path_censors_archived_complaints_too(archived_world) -> None:  # type: ignore[no-untyped-def]
    world = archived_world
    g = complaint_resolution_groups(Complaint.objects.all(), TODAY, world.instansi.pk)
    days, events = g.expand()
    assert sorted(zip(days.tolist(), events.tolist(), strict=True)) == sorted(
        (days, resolved) for *_x, days, resolved in CASES
    )
    assert int(g.count[g.archived].sum()) == 2
    assert kaplan_meier(days.astype(float), events.astype(int)).median == 8
    assert (int(g.count[g.met].sum()), int(g.count[g.breached].sum())) == (2, 6)
    # the programme reports' complaint figures read the same groups
    with time_machine.travel(NOW, tick=False):
        figures = collect.complaint_figures(world.instansi.pk, date(2026, 1, 1), date(2026, 12, 31))
    assert (figures.met, figures.decided, figures.volume) == (2, 8, 8)
    assert figures.median_resolution == 8 and figures.by_unit_median == {world.alfa.pk: 8.0}


def test_an_archived_complaint_never_meets_the_sla_and_breaches_once_past_due(
    archived_world,
) -> None:  # type: ignore[no-untyped-def]
    d, at = _by_number(archived_world)
    met = {n for n, k in at.items() if d.resolution_met[k]}
    breached = {n for n, k in at.items() if d.resolution_breached[k]}
    # resolved within 5 working days; the archived ones are past due by today
    assert met == {"R-2", "R-4"}
    assert breached == {"R-6", "R-8", "R-10", "A-3", "A-5", "O"}
    assert summarise(d).resolution_compliance == 2 / 8


def test_an_archived_complaint_before_its_due_date_is_not_yet_decided(world) -> None:  # type: ignore[no-untyped-def]
    """Archived on day 2 of 5: on day 3 it is neither met nor breached (as an open complaint
    not yet due); on day 14 it is breached. Archived on day 3 of a 14-day limit and read on day
    14: not yet past due. Archived on day 8 of 5: breached even read on day 3 (its archive day
    is past due), as a resolution on day 8 would be."""
    cases = [
        ("A-2", "diarsipkan", 7, INFORMASI, 2, False),
        ("A-3", "diarsipkan", 8, TANPA, 3, False),
        ("A-8", "diarsipkan", 15, INFORMASI, 8, False),
    ]
    with time_machine.travel(NOW, tick=False):
        _add(world, cases)
    qs = Complaint.objects.order_by("id")
    early = complaint_durations(qs, date(2026, 10, 8), world.instansi.pk)
    assert early.resolution_days.tolist() == [2, 3, 8]
    assert not early.resolution_met.any() and not early.resolution_event.any()
    assert early.resolution_breached.tolist() == [False, False, True]
    late = complaint_durations(qs, TODAY, world.instansi.pk)
    assert late.resolution_breached.tolist() == [True, False, True]
    assert summarise(late).open == 0


def test_an_archived_complaint_without_an_archive_date(world) -> None:  # type: ignore[no-untyped-def]
    """Imported as Diarsipkan with no date: censored at today (the report does the same), not
    resolved, not open, breached once past due."""
    with time_machine.travel(NOW, tick=False):
        _add(world, [("A-x", "diarsipkan", None, INFORMASI, 14, False)])
    d = complaint_durations(Complaint.objects.all(), TODAY, world.instansi.pk)
    assert int(d.resolution_days[0]) == 14 and not d.resolution_event[0] and d.archived[0]
    assert bool(d.resolution_breached[0]) and not d.resolution_met[0]
    assert summarise(d).open == 0
    g = complaint_resolution_groups(Complaint.objects.all(), TODAY, world.instansi.pk)
    assert [x.tolist() for x in g.expand()] == [[14], [False]]
    assert g.breached.tolist() == [True] and g.archived.tolist() == [True]


@time_machine.travel(NOW, tick=False)
def test_the_complaints_page_prints_the_censored_figures(archived_world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(archived_world.alice)
    html = client.get("/layanan/pengaduan/?year=2026").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "8 pengaduan (1 masih terbuka)" in text
    assert "8,0 median hari kerja ke selesai" in text
    assert "25% selesai dalam batas SLA" in text
    archived = Complaint.objects.get(tracking_number="A-3")
    detail = client.get(f"/layanan/pengaduan/{archived.pk}/").content.decode()
    assert "3 hari kerja" in detail and "belum, berjalan" not in detail
    assert "<dt>Diarsipkan (tanpa penyelesaian)</dt>" in detail
    assert "Diarsipkan" in detail

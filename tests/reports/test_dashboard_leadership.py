"""The leadership dashboard: the headline figures first (public service of trained units before
and after, the 20-JP right, L3 follow-up, open recommendations), each equal to what the
programme report's own figures say; Indonesian numbers; no English or internal codes; one
snapshot row read per page."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kompeten.evaluation.models import FollowUp
from kompeten.reports import collect as c
from kompeten.reports.actions import do_store_dashboard, do_update_recommendation
from kompeten.reports.dashboard import compute_dashboard
from kompeten.reports.impact import default_windows, programme_impact
from kompeten.reports.models import Recommendation
from kompeten.service.actions.complaints import ComplaintInput, do_bulk_add_complaints
from kompeten.service.actions.skm import (
    SkmRecord,
    do_bulk_add_skm_responses,
    do_create_service_unit,
)
from kompeten.standards.ikm import SKM_2017
from tests.participation.builders import make_batch, make_programme
from tests.reports.builders import held_june_2025

JKT = ZoneInfo("Asia/Jakarta")
SLUGS = [u.slug for u in SKM_2017.unsur]
TODAY = date(2026, 1, 15)


def jkt(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime.combine(date(y, m, d), time(h), tzinfo=JKT)


def same(score: int) -> dict[str, int]:
    return dict.fromkeys(SLUGS, score)


def _complaint(number, unit, received, status="diterima", closed=None):  # type: ignore[no-untyped-def]
    return ComplaintInput(
        tracking_number=number,
        unit_id=unit.pk,
        category="informasi",  # SLA limit: 5 working days
        received_at=received,
        status=status,
        first_response_at=closed,
        closed_at=closed,
    )


@pytest.fixture
def city(world):  # type: ignore[no-untyped-def]
    """A training held 24–26 June 2025 with staff of Bidang Layanan (Dinas Alfa); Layanan Alfa
    is the trained unit, Layanan Beta the comparison; SKM answers and complaints on both sides
    of the training."""
    with time_machine.travel(jkt(2026, 1, 15), tick=False):
        programme = held_june_2025(world)
        alfa = do_create_service_unit(unit=world.alfa, code="alfa", name="Layanan Alfa")
        beta = do_create_service_unit(unit=world.beta, code="beta", name="Layanan Beta")
        do_bulk_add_skm_responses(
            alfa,
            [
                SkmRecord(submitted=jkt(2025, 3, 10), scores=same(3)),
                SkmRecord(submitted=jkt(2025, 8, 10), scores=same(4)),
            ],
        )
        do_bulk_add_skm_responses(
            beta,
            [
                SkmRecord(submitted=jkt(2025, 3, 11), scores=same(2)),
                SkmRecord(submitted=jkt(2025, 8, 11), scores=same(3)),
            ],
        )
        do_bulk_add_complaints(
            world.instansi,
            [
                _complaint("B1", world.alfa, jkt(2025, 2, 3), "selesai", jkt(2025, 2, 7, 15)),
                _complaint("B2", world.layanan, jkt(2025, 2, 10), "selesai", jkt(2025, 2, 24)),
                _complaint("A1", world.alfa, jkt(2025, 7, 1), "selesai", jkt(2025, 7, 3)),
                _complaint("X1", world.beta, jkt(2025, 3, 3), "selesai", jkt(2025, 3, 4)),
            ],
            source="import",
        )
        yield programme


def test_the_headline_equals_the_programme_reports_own_before_and_after(world, city) -> None:  # type: ignore[no-untyped-def]
    data = compute_dashboard(world.instansi, 2025, today=TODAY)
    service = data["numbers"]["service"]
    impact = programme_impact(
        city,
        default_windows(date(2025, 6, 24), date(2025, 6, 26), TODAY),
        c.unit_tree(world.instansi.pk),
        TODAY,
    )
    [trained] = impact.units
    [other] = impact.comparison
    assert (service["programmes"], service["trained_units"]) == (1, 1)
    assert (service["trained"]["units"], service["others"]["units"]) == (1, 1)
    assert service["trained"]["ikm_before"] == trained.ikm_before.ikm == 75.0
    assert service["trained"]["ikm_after"] == trained.ikm_after.ikm == 100.0
    assert service["others"]["ikm_before"] == other.ikm_before.ikm == 50.0
    assert service["others"]["ikm_after"] == other.ikm_after.ikm == 75.0
    # complaints pooled over the trained unit's subtree: B1 in 4 working days (≤ 5), B2 in 10;
    # after, A1 in 2; the comparison's X1 in 1
    assert service["trained"]["sla_before"] == impact.pooled_complaints_before.share_within_sla
    assert (service["trained"]["sla_before"], service["trained"]["sla_after"]) == (0.5, 1.0)
    assert service["trained"]["days_before"] == pytest.approx(7.0)
    assert (service["others"]["sla_before"], service["others"]["sla_after"]) == (1.0, None)
    assert [f["slug"] for f in data["figures"]].count("layanan") == 2
    table = data["tables"]["layanan"]
    assert [r[:4] for r in table["rows"]] == [
        ["Unit terlatih", 1, 75.0, 100.0],
        ["Unit lain", 1, 50.0, 75.0],
    ]


def test_a_programme_not_yet_held_adds_nothing_before_and_after(world, city) -> None:  # type: ignore[no-untyped-def]
    later = make_programme(world.instansi, "Orientasi", code="OR-25")
    make_batch(later, [(date(2026, 3, 2), 8, 12)], capacity=5)
    data = compute_dashboard(world.instansi, 2026, today=TODAY)
    assert data["numbers"]["service"]["programmes"] == 0
    assert data["numbers"]["service"]["trained"]["ikm_before"] is None
    # no empty before/after frame that would read as zero
    assert "layanan" not in [f["slug"] for f in data["figures"]]


def test_followups_and_recommendations_are_counted_by_state(world) -> None:  # type: ignore[no-untyped-def]
    from tests.evaluation import builders

    s = builders.build(world, n=4, start=date(2025, 3, 3))
    l3 = FollowUp.objects.filter(  # the card counts the atasan's ratings, not self-ratings
        batch__programme=s.programme,
        instrument__kind="perilaku",
        instrument__phase__in=("3bulan", "6bulan"),
        rater_role="atasan",
    )
    assert FollowUp.objects.filter(batch__programme=s.programme, rater_role="peserta").exists()
    first = l3.order_by("due_at").first()
    assert first is not None
    as_of = first.due_at + timedelta(days=1)
    l3.filter(pk=first.pk).update(escalated_at=as_of)
    rec = Recommendation.objects.create(
        instansi=world.instansi, rule_id="workload_declines", text="Atur ulang jadwal."
    )
    do_update_recommendation(
        actor=world.alice, recommendation=rec, status="in_progress", due_date=date(2025, 5, 1)
    )
    Recommendation.objects.create(
        instansi=world.instansi, rule_id="low_relevance", text="Tinjau materi."
    )
    done = Recommendation.objects.create(instansi=world.instansi, rule_id="x", text="Selesai.")
    do_update_recommendation(actor=world.alice, recommendation=done, status="done")
    with time_machine.travel(as_of, tick=False):
        data = compute_dashboard(world.instansi, 2025, today=as_of.date())
    fu = data["numbers"]["followups"]
    due = l3.filter(due_at__year=2025, due_at__lte=as_of)
    assert fu["due"] == due.count() >= 1
    assert fu["escalated"] == 1 and fu["answered"] == 0
    assert fu["waiting"] == due.count() - 1
    assert fu["upcoming"] == l3.filter(due_at__year=2025, due_at__gt=as_of).count()
    r = data["numbers"]["recommendations"]
    assert (r["open"], r["in_progress"], r["done"], r["overdue"]) == (1, 1, 1, 1)
    # the most urgent first: the overdue one, then the one without a deadline
    assert [u["text"] for u in r["urgent"]] == ["Atur ulang jadwal.", "Tinjau materi."]
    assert r["urgent"][0]["overdue"] is True


ENGLISH_OR_CODES = re.compile(
    r"\b(gain|None|LOW|MED|HIGH|medium|confidence|OPTIMAL|true|false)\b|\b[a-z]+_[a-z_]+\b"
)


def _visible_text(html: str) -> str:
    body = html.split("<main>", 1)[1].split("</main>", 1)[0]
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", body)


def test_the_page_puts_the_headline_first_in_indonesian_with_one_snapshot_read(
    client, world, city
) -> None:  # type: ignore[no-untyped-def]
    do_store_dashboard(
        instansi=world.instansi, year=2025, data=compute_dashboard(world.instansi, 2025, TODAY)
    )
    client.force_login(world.pia)
    # user, the user's instansi (header and footer), snapshot, the years with figures: the
    # figures never touch raw rows on the request path (the session's own reads and writes are
    # the middleware's)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/laporan/dasbor/?year=2025")
    page_queries = [
        q["sql"]
        for q in ctx.captured_queries
        if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
    assert len(page_queries) <= 4, page_queries
    assert page.status_code == 200
    html = page.content.decode()
    text = _visible_text(html)
    # the headline comes before the other figures and the charts
    assert text.index("Angka utama") < text.index("Angka lain") < text.index("Grafik")
    assert "IKM 75,0 → 100,0" in text
    assert "Unit lain pada waktu yang sama: 50,0 → 75,0." in text
    assert "Pengaduan selesai tepat waktu: 50,0% → 100,0%." in text
    assert "sudah memenuhi hak 20 JP" in text
    assert "Rekomendasi yang belum selesai" in text
    assert not ENGLISH_OR_CODES.search(text), ENGLISH_OR_CODES.search(text)
    # every chart is an image scaled to its card, each card links to the rows behind it
    assert html.count('class="card dash-chart"') == len(
        compute_dashboard(world.instansi, 2025, TODAY)["figures"]
    )
    assert "kompeten/css/dashboard.css" in html
    evidence = client.get("/laporan/dasbor/bukti/layanan/?year=2025").content.decode()
    assert "Unit terlatih" in evidence and "75,00" in evidence
    # the links go to ?year= as on every other page; a link written before with ?tahun= still
    # opens the year it names
    assert "?year=2025" in html and "?tahun=" not in html
    older = _visible_text(client.get("/laporan/dasbor/?tahun=2025").content.decode())
    assert "IKM 75,0 → 100,0" in older and "ditampilkan tahun" not in older


def test_without_a_comparison_unit_the_headline_says_so(client, world, city) -> None:  # type: ignore[no-untyped-def]
    from kompeten.service.models import ServiceUnit

    ServiceUnit.objects.filter(code="beta").update(is_active=False)
    do_store_dashboard(
        instansi=world.instansi, year=2025, data=compute_dashboard(world.instansi, 2025, TODAY)
    )
    client.force_login(world.alice)
    text = _visible_text(client.get("/laporan/dasbor/?year=2025").content.decode())
    assert "Tanpa unit pembanding: perubahan belum tentu karena pelatihan." in text


def test_an_english_reader_gets_the_snapshots_english_labels(client, world, city) -> None:  # type: ignore[no-untyped-def]
    data = compute_dashboard(world.instansi, 2025, TODAY)
    assert set(data["languages"]) == {"en"}
    english = data["languages"]["en"]
    assert [f["slug"] for f in english["figures"]] == [f["slug"] for f in data["figures"]]
    english["cards"][0]["label"] = "JP label in English"
    do_store_dashboard(instansi=world.instansi, year=2025, data=data)
    client.force_login(world.pia)
    client.cookies["django_language"] = "en"
    assert "JP label in English" in client.get("/laporan/dasbor/?year=2025").content.decode()
    client.cookies["django_language"] = "id"
    assert "JP label in English" not in client.get("/laporan/dasbor/?year=2025").content.decode()


def test_a_snapshot_from_before_the_headline_asks_for_a_refresh(client, world) -> None:  # type: ignore[no-untyped-def]
    do_store_dashboard(
        instansi=world.instansi,
        year=2025,
        data={"year": 2025, "cards": [], "figures": [], "tables": {}},
    )
    client.force_login(world.pia)
    html = client.get("/laporan/dasbor/?year=2025").content.decode()
    assert "perlu dihitung ulang" in html


def test_chart_numbers_follow_the_readers_language() -> None:
    from django.utils import translation

    from kompeten.core import charts

    def texts(svg: str) -> list[str]:
        return re.findall(r">([^<>]{1,12})</text>", svg)

    with translation.override("id"):
        ticks = texts(charts.bars(["Dinas A", "Dinas B"], [0.35, 1234.5], decimals=1))
        assert "1.234,5" in ticks and "0,3" not in ticks and "0,4" in ticks  # half up
        # no English decimal point ("0.5"); "1.000" is a thousand
        assert not [t for t in ticks if re.fullmatch(r"\d+\.\d{1,2}", t)], ticks
        line = texts(charts.lines(["Jan", "Feb"], {"x": [0.1, 0.5]}))
        assert "0,2" in line and "0.2" not in line
    with translation.override("en"):
        assert "1,234.5" in texts(charts.bars(["Dinas A"], [1234.5], decimals=1))


def test_a_snapshot_stored_by_an_earlier_version_is_shown_as_to_be_recomputed(world, client):
    from kompeten.reports.actions import do_store_dashboard

    # the shape an earlier version stored: cards without the fields the page now reads
    old = {
        "year": 2026,
        "numbers": {"trained_units": 3},
        "cards": [{"slug": "ikm", "label": "IKM", "value": 80, "kind": "num"}],
        "headline": [{"slug": "ikm", "units": ""}],
        "figures": [],
        "tables": {},
    }
    do_store_dashboard(instansi=world.instansi, year=2026, data=old)
    client.force_login(world.alice)
    response = client.get("/laporan/dasbor/?year=2026")
    assert response.status_code == 200
    assert "perlu dihitung ulang" in response.content.decode()


def test_the_urgent_recommendations_read_in_the_readers_language(world, client):
    from kompeten.reports.actions import do_store_dashboard
    from kompeten.reports.dashboard import compute_dashboard

    Recommendation.objects.create(
        instansi=world.instansi,
        rule_id="workload_declines",
        text="Jadwalkan lebih lentur (teks lama).",
        evidence={"workload_declines": 3, "invited": 7, "share": 3 / 7},
    )
    do_store_dashboard(
        instansi=world.instansi, year=2026, data=compute_dashboard(world.instansi, 2026)
    )
    client.force_login(world.alice)
    indonesian = client.get("/laporan/dasbor/?year=2026").content.decode()
    assert "Jadwalkan lebih lentur (perencana jadwal" in indonesian  # from its evidence
    client.cookies["django_language"] = "en"
    english = client.get("/laporan/dasbor/?year=2026").content.decode()
    assert "Schedule more flexibly" in english and "Jadwalkan" not in english


def test_the_worker_keeps_last_years_dashboard_and_recomputes_it_only_when_data_or_day_moved(
    world, city
) -> None:  # type: ignore[no-untyped-def]
    from kompeten.reports.models import DashboardSnapshot
    from kompeten.reports.tasks import refresh_dashboards

    code = world.instansi.code

    def ours() -> list[str]:
        return [x for x in refresh_dashboards.call()["refreshed"] if x.startswith(code + ":")]

    with time_machine.travel(jkt(2026, 1, 15), tick=False):
        assert ours() == [f"{code}:2026", f"{code}:2025"]
        last = DashboardSnapshot.objects.get(instansi=world.instansi, year=2025)
        assert last.data["numbers"]["service"]["trained"]["ikm_before"] == pytest.approx(75.0)
        # nothing changed: this year's again, last year's kept
        assert ours() == [f"{code}:2026"]
        # a new SKM answer moves the data version: last year's is recomputed
        do_bulk_add_skm_responses(
            city_unit(world), [SkmRecord(submitted=jkt(2025, 9, 1), scores=same(4))]
        )
        assert ours() == [f"{code}:2026", f"{code}:2025"]
    with time_machine.travel(jkt(2026, 1, 16), tick=False):  # a new day
        assert ours() == [f"{code}:2026", f"{code}:2025"]


def city_unit(world):  # type: ignore[no-untyped-def]
    from kompeten.service.models import ServiceUnit

    return ServiceUnit.objects.get(unit=world.alfa)


def test_a_reader_finds_the_other_years_with_figures(client, world, city) -> None:  # type: ignore[no-untyped-def]
    for year in (2024, 2025):
        do_store_dashboard(
            instansi=world.instansi, year=year, data=compute_dashboard(world.instansi, year, TODAY)
        )
    client.force_login(world.pia)
    with time_machine.travel(jkt(2026, 1, 15), tick=False):
        # nothing yet in 2026: the page opens on 2025, the latest year with data, and says so
        page = client.get("/laporan/dasbor/").content.decode()
        assert (
            "Belum ada data tahun 2026; ditampilkan tahun 2025, tahun terakhir yang memiliki "
            "data." in page
        )
        assert 'Tahun lain: <a href="?year=2024">2024</a></p>' in page
        page = client.get("/laporan/dasbor/?year=2026").content.decode()
        assert 'Tahun lain: <a href="?year=2025">2025</a> · <a href="?year=2024">2024</a>' in page
        assert "Angka dasbor tahun 2026 belum dihitung; proses latar menghitung" in page
        assert 'data-testid="year-note"' not in page  # the year asked for is shown as it is
        old = client.get("/laporan/dasbor/?year=2023").content.decode()
        assert "Proses latar hanya menghitung dasbor tahun ini dan tahun lalu" in old
        shown = client.get("/laporan/dasbor/?year=2025").content.decode()
        assert 'Tahun lain: <a href="?year=2024">2024</a></p>' in shown

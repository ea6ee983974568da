"""Report pages: who may read them, cycles with recommendations carried over, the dashboard's
constant query count, narratives, the logo."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from kompeten.reports.actions import do_generate_cycle
from kompeten.reports.models import Recommendation, ReportNarrative, ReportSettings
from kompeten.reports.tasks import refresh_dashboard_now
from tests.reports.builders import trained_programme


@pytest.fixture
def trained(world):  # type: ignore[no-untyped-def]
    return trained_programme(world)


def test_pimpinan_and_admin_read_reports_others_do_not(client, world, trained) -> None:  # type: ignore[no-untyped-def]
    url = f"/laporan/program/{trained.programme.pk}/"
    for user in (world.pia, world.alice):
        client.force_login(user)
        assert client.get(url).status_code == 200
    for user in (world.bob, world.dave, world.erin):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.get("/laporan/dasbor/").status_code == 403
        assert client.get("/laporan/siklus/").status_code == 403
    client.force_login(world.mallory)
    assert client.get(url).status_code == 404


def test_the_landing_sends_each_role_to_their_page(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.pia)
    assert "Dasbor pimpinan" in client.get("/laporan/").content.decode()
    client.force_login(world.bob)
    assert client.get("/laporan/")["Location"] == f"/laporan/ip-asn/opd/{world.alfa.pk}/"
    client.force_login(world.dave)
    assert client.get("/laporan/")["Location"] == "/laporan/ip-asn/saya/"


def test_a_figure_links_to_its_evidence(client, world, trained) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.pia)
    page = client.get(f"/laporan/program/{trained.programme.pk}/").content.decode()
    evidence = f"/laporan/program/{trained.programme.pk}/bukti/corong_partisipasi/"
    assert evidence in page
    # the rows behind the funnel: the participants themselves, not the funnel again
    assert "Peserta Alfa 0" in client.get(evidence).content.decode()
    assert (
        client.get(f"/laporan/program/{trained.programme.pk}/bukti/tidak-ada/").status_code == 404
    )


def test_the_next_cycle_shows_the_status_of_the_previous_recommendations(
    client, world, trained
) -> None:  # type: ignore[no-untyped-def]
    first = do_generate_cycle(instansi=world.instansi, code="2026-Q1", actor=world.alice)
    rec = Recommendation.objects.get(cycle=first, rule_id="workload_declines")
    assert "3 dari 7 undangan" in rec.text and rec.evidence["workload_declines"] == 3
    client.force_login(world.alice)
    response = client.post(
        f"/laporan/rekomendasi/{rec.pk}/",
        {
            "status": "done",
            "owner_unit": world.alfa.pk,
            "due_date": "2026-06-30",
            "note": "Jadwal dibuat lentur",
        },
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "done" and rec.owner_unit == world.alfa and rec.history.count() == 2
    second = do_generate_cycle(instansi=world.instansi, code="2026-Q2", actor=world.alice)
    carried = next(
        t
        for s in second.data["sections"]
        for t in s["tables"]
        if t["slug"] == "tindak_lanjut_rekomendasi"
    )
    assert carried["rows"][0][2:4] == ["Dinas Alfa", "Selesai"]
    assert second.data["comparison"], "the second cycle is compared with the first"
    page = client.get("/laporan/siklus/2026-Q2/").content.decode()
    assert "Status rekomendasi siklus sebelumnya" in page


def test_only_the_admin_changes_a_recommendation(client, world, trained) -> None:  # type: ignore[no-untyped-def]
    cycle = do_generate_cycle(instansi=world.instansi, code="2026-Q1")
    rec = cycle.recommendations.first()
    client.force_login(world.pia)
    assert client.get(f"/laporan/rekomendasi/{rec.pk}/").status_code == 200
    assert client.post(f"/laporan/rekomendasi/{rec.pk}/", {"status": "dropped"}).status_code == 403
    rec.refresh_from_db()
    assert rec.status == "open"


def test_a_narrative_is_added_as_a_new_version_and_shown(client, world, trained) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.alice)
    scope = f"programme:{trained.programme.pk}"
    for text in ("Versi pertama.", "Versi kedua dari admin."):
        client.post("/laporan/narasi/", {"scope": scope, "section": "kesimpulan", "text": text})
    assert list(ReportNarrative.objects.values_list("version", flat=True).order_by("version")) == [
        1,
        2,
    ]
    page = client.get(f"/laporan/program/{trained.programme.pk}/").content.decode()
    assert "Versi kedua dari admin." in page and "Versi pertama." not in page
    client.force_login(world.pia)
    assert (
        client.post(
            "/laporan/narasi/", {"scope": scope, "section": "kesimpulan", "text": "x"}
        ).status_code
        == 403
    )


def test_the_dashboard_reads_a_constant_number_of_queries(
    client, world, trained, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    refresh_dashboard_now(world.instansi, 2026)
    client.force_login(world.pia)
    # session, user, snapshot, the other years with figures: the figures never touch raw rows
    # on the request path
    with django_assert_max_num_queries(5):
        page = client.get("/laporan/dasbor/?year=2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Pemenuhan 20 JP" in html and "/laporan/dasbor/bukti/ip_asn/?year=2026" in html
    evidence = client.get("/laporan/dasbor/bukti/corong/?year=2026").content.decode()
    assert "Diundang" in evidence


def test_the_logo_upload_refuses_scripts_and_accepts_svg(client, world) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.alice)
    bad = SimpleUploadedFile(
        "logo.svg", b"<svg><script>alert(1)</script></svg>", content_type="image/svg+xml"
    )
    assert (
        "berisi skrip"
        in client.post("/laporan/pengaturan/", {"logo": bad}, follow=True).content.decode()
    )
    good = SimpleUploadedFile(
        "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'
    )
    client.post("/laporan/pengaturan/", {"logo": good})
    assert ReportSettings.objects.get(instansi=world.instansi).logo.name.endswith(".svg")


def test_a_recommendations_evidence_reads_as_labelled_figures(client, world, trained) -> None:  # type: ignore[no-untyped-def]
    cycle = do_generate_cycle(instansi=world.instansi, code="2026-Q1")
    rec = Recommendation.objects.get(cycle=cycle, rule_id="workload_declines")
    client.force_login(world.alice)
    html = client.get(f"/laporan/rekomendasi/{rec.pk}/").content.decode()
    evidence = html.split("Bukti", 1)[1].split("</dd>", 1)[0]
    # 3 of 7 invitations declined for workload: labelled, the share as a percentage
    assert "menolak karena beban kerja: 3" in evidence
    assert "diundang: 7" in evidence
    assert "proporsi: 42,9 %" in evidence
    assert "workload_declines" not in evidence and " = " not in evidence


def test_a_recommendation_is_due_90_days_after_the_period_or_after_a_late_report(
    world, trained
) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-03-31 16:00 +0700", tick=False):  # on the quarter's last day
        cycle = do_generate_cycle(instansi=world.instansi, code="2026-Q1")
    assert {r.due_date for r in cycle.recommendations.all()} == {date(2026, 6, 29)}
    Recommendation.objects.all().delete()
    with time_machine.travel("2026-12-07 09:00 +0700", tick=False):  # reported months later
        cycle = do_generate_cycle(instansi=world.instansi, code="2026-Q1")
    assert {r.due_date for r in cycle.recommendations.all()} == {date(2027, 3, 7)}

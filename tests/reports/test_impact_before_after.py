"""Public-service before/after for the units whose staff took part: IKM over day windows (whole
months from the rollups, cut months from the answers), complaint handling in working days with
Kaplan–Meier, the default windows, and the report page that shows it."""

from __future__ import annotations

import random
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kompeten.reports import collect as c
from kompeten.reports.assemble import assemble_programme
from kompeten.reports.impact import (
    Window,
    Windows,
    default_windows,
    parse_window,
    programme_impact,
    window_ikm,
)
from kompeten.service.actions.complaints import ComplaintInput, do_bulk_add_complaints
from kompeten.service.actions.skm import (
    SkmRecord,
    do_bulk_add_skm_responses,
    do_create_service_unit,
)
from kompeten.service.versions import engine_version
from kompeten.stats import kaplan_meier
from tests.reports.builders import held_june_2025
from tests.service.helpers import SLUGS, ikm_by_hand

JKT = ZoneInfo("Asia/Jakarta")
BEFORE = Window(date(2025, 1, 1), date(2025, 6, 26))
AFTER = Window(date(2025, 6, 27), date(2025, 12, 31))


def jkt(y: int, m: int, d: int, h: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(date(y, m, d), time(h, minute), tzinfo=JKT)


def same(score: int, **overrides: int) -> dict[str, int]:
    return {**dict.fromkeys(SLUGS, score), **overrides}


@pytest.fixture
def held(world, frozen):  # type: ignore[no-untyped-def]
    """A training held 24–26 June 2025 with staff of Bidang Layanan (in Dinas Alfa)."""
    return held_june_2025(world)


def test_default_windows_split_the_training_year_at_the_training() -> None:
    today = date(2026, 1, 15)
    w = default_windows(date(2025, 6, 24), date(2025, 6, 26), today)
    assert (w.before, w.after) == (BEFORE, AFTER) and w.is_default
    # early in the year: the 180 days before instead of a few weeks
    early = default_windows(date(2025, 2, 10), date(2025, 2, 12), today)
    assert early.before == Window(date(2024, 8, 14), date(2025, 2, 12))
    # late in the year: 180 days after; never past today
    late = default_windows(date(2025, 11, 3), date(2025, 11, 5), date(2026, 1, 15))
    assert late.after == Window(date(2025, 11, 6), date(2026, 1, 15))


def test_a_window_is_read_from_text_with_an_indonesian_refusal() -> None:
    assert parse_window("2025-01-01:2025-06-26", "sebelum") == BEFORE
    with pytest.raises(ValueError, match="DARI:SAMPAI"):
        parse_window("2025-01-01", "sebelum")
    with pytest.raises(ValueError, match="tidak sah"):
        parse_window("2025-13-01:2025-06-26", "sebelum")
    with pytest.raises(ValueError, match="sebelum awalnya"):
        parse_window("2025-06-26:2025-01-01", "sebelum")


def test_window_ikm_equals_the_regulation_formula_over_the_answers_dated_in_the_window(
    world, frozen
) -> None:  # type: ignore[no-untyped-def]
    """Random answers over 2024-12 … 2026-01, some at the Jakarta midnight edges: the IKM of a
    day window (rollups for whole months + answers for the cut months) equals compute_ikm over
    exactly the answers whose Jakarta day lies in the window."""
    su = do_create_service_unit(unit=world.alfa, code="alfa", name="Layanan Alfa", population=500)
    rng = random.Random(13)
    records = []
    for _ in range(400):
        day = date(2024, 12, 1).toordinal() + rng.randrange(0, 400)
        moment = datetime.combine(
            date.fromordinal(day), time(rng.randrange(0, 24), rng.randrange(0, 60)), tzinfo=JKT
        )
        scores = {k: rng.choice([1, 2, 3, 3, 4, 4]) for k in SLUGS if rng.random() > 0.03}
        records.append(SkmRecord(submitted=moment, scores=scores))
    # the edges: the last minute of 26 June and the first of 27 June (Jakarta) — 17:00 UTC
    records.append(SkmRecord(submitted=jkt(2025, 6, 26, 23, 59), scores=same(1)))
    records.append(SkmRecord(submitted=jkt(2025, 6, 27, 0, 0), scores=same(4)))
    do_bulk_add_skm_responses(su, records)
    for window in (
        BEFORE,
        AFTER,
        Window(date(2025, 3, 1), date(2025, 3, 31)),
        Window(date(2025, 6, 3), date(2025, 6, 20)),
    ):
        chosen = [
            r for r in records if window.start <= r.submitted.astimezone(JKT).date() <= window.end
        ]
        expected = ikm_by_hand(chosen)
        got = window_ikm([su], window)[su.pk]
        assert got.n == len(chosen)
        assert got.ikm == pytest.approx(expected.ikm_unit, abs=1e-9)
        assert (got.mutu, got.kinerja) == (expected.mutu, expected.kinerja)
        assert {u.slug: u.nrr for u in got.nrr} == pytest.approx(dict(expected.nrr))
        assert got.sample is not None and got.sample.required == 217  # Krejcie–Morgan, N = 500


def test_ikm_uses_the_exact_ninth_weights_and_names_the_mutu(world, frozen) -> None:  # type: ignore[no-untyped-def]
    su = do_create_service_unit(unit=world.alfa, code="alfa", name="Layanan Alfa")
    # before: 3 × all-3 in March, 1 × all-4 on 20 June, 1 × all-2 at 23:30 on 26 June → NRR 3
    # after: 1 × all-4 at 00:30 on 27 June, 3 × all-4 in August, 1 × all-3 → NRR 3,8
    records = [SkmRecord(submitted=jkt(2025, 3, 10), scores=same(3)) for _ in range(3)]
    records += [
        SkmRecord(submitted=jkt(2025, 6, 20), scores=same(4)),
        SkmRecord(submitted=jkt(2025, 6, 26, 23, 30), scores=same(2)),
        SkmRecord(submitted=jkt(2025, 6, 27, 0, 30), scores=same(4)),
        SkmRecord(submitted=jkt(2025, 12, 31, 22), scores=same(3)),
        SkmRecord(submitted=jkt(2024, 12, 31, 22), scores=same(1)),  # outside both
        SkmRecord(submitted=jkt(2026, 1, 2), scores=same(1)),  # outside both
    ]
    records += [SkmRecord(submitted=jkt(2025, 8, 5), scores=same(4)) for _ in range(3)]
    do_bulk_add_skm_responses(su, records)
    before = window_ikm([su], BEFORE)[su.pk]
    after = window_ikm([su], AFTER)[su.pk]
    assert (before.n, before.ikm, before.mutu, before.kinerja) == (5, 75.0, "C", "Kurang Baik")
    assert (after.n, after.mutu, after.kinerja) == (5, "A", "Sangat Baik")
    assert after.ikm == pytest.approx(95.0)  # 3,8 × 25: with 0,111 weights it would be 94,90


def _complaint(number: str, unit, received, status="diterima", closed=None, category="informasi"):  # type: ignore[no-untyped-def]
    return ComplaintInput(
        tracking_number=number,
        unit_id=unit.pk,
        category=category,
        received_at=received,
        status=status,
        first_response_at=closed,
        closed_at=closed,
    )


def test_complaints_count_resolved_working_days_and_censor_the_open_ones(world, held) -> None:  # type: ignore[no-untyped-def]
    do_create_service_unit(unit=world.alfa, code="alfa", name="Layanan Alfa")
    items = [
        # before (Dinas Alfa and its Bidang Layanan)
        _complaint("B1", world.alfa, jkt(2025, 2, 3), "selesai", jkt(2025, 2, 7, 15)),  # 4 wd
        _complaint("B2", world.layanan, jkt(2025, 2, 10), "selesai", jkt(2025, 2, 24, 9)),  # 10
        _complaint("B3", world.alfa, jkt(2025, 2, 12), "diarsipkan", jkt(2025, 2, 14)),  # 2, cens.
        _complaint("B4", world.alfa, jkt(2025, 6, 2), "ditindaklanjuti"),  # open: 16 wd to 26 June
        # received Friday 20 June, finished Monday 30 June: 27 June (1 Muharram) is a holiday
        _complaint(
            "B5",
            world.alfa,
            jkt(2025, 6, 20),
            "selesai",
            jkt(2025, 6, 30),
            "tanpa_pemeriksaan_lapangan",
        ),
        _complaint("X1", world.beta, jkt(2025, 3, 3), "selesai", jkt(2025, 3, 4)),  # other OPD
        # after
        _complaint("A1", world.alfa, jkt(2025, 6, 27, 0, 15), "selesai", jkt(2025, 7, 1)),  # 2
        _complaint("A2", world.layanan, jkt(2025, 7, 7), "selesai", jkt(2025, 7, 9)),  # 2
        _complaint(
            "A3", world.alfa, jkt(2025, 6, 26, 23, 45), "selesai", jkt(2025, 6, 30)
        ),  # before: 1
    ]
    do_bulk_add_complaints(world.instansi, items, source="import")
    impact = programme_impact(
        held, Windows(BEFORE, AFTER, True), c.unit_tree(world.instansi.pk), date(2026, 1, 15)
    )
    [unit] = impact.units
    b, a = unit.complaints_before, unit.complaints_after
    assert (b.received, b.resolved) == (6, 4)
    assert b.median_working_days == 4.5  # 1, 4, 5, 10
    assert b.mean_working_days == pytest.approx(5.0)
    # within the SLA: B1 (4 ≤ 5), B5 (5 ≤ 14), A3 (1 ≤ 5); B2 took 10 > 5
    assert b.within_sla == 3 and b.share_within_sla == pytest.approx(0.5)
    # Kaplan–Meier: events 1, 4, 5, 10; the archived one censored at 2, the open one at 16
    reference = kaplan_meier([1, 4, 5, 10, 2, 16], [1, 1, 1, 1, 0, 0]).median
    assert b.km_median_working_days == reference
    assert b.censored_on == date(2025, 6, 26)
    assert (a.received, a.resolved, a.median_working_days) == (2, 2, 2.0)
    assert a.km_median_working_days == 2.0


def test_a_service_unit_takes_part_through_its_subtree_or_the_participants_opd(world, held) -> None:  # type: ignore[no-untyped-def]
    # participants work in Bidang Layanan (under Dinas Alfa)
    alfa = do_create_service_unit(unit=world.alfa, code="alfa", name="Layanan Alfa")
    bidang = do_create_service_unit(unit=world.layanan, code="bidang", name="Loket Bidang")
    beta = do_create_service_unit(unit=world.beta, code="beta", name="Layanan Beta")
    impact = programme_impact(
        held, Windows(BEFORE, AFTER, True), c.unit_tree(world.instansi.pk), date(2026, 1, 15)
    )
    assert {u.service_unit_id for u in impact.units} == {alfa.pk, bidang.pk}
    assert [u.service_unit_id for u in impact.comparison] == [beta.pk]
    assert impact.has_comparison


def _layanan_alfa_answered(world, later: datetime, score: int) -> None:  # type: ignore[no-untyped-def]
    """Layanan Alfa, the trained unit, with one all-3 answer on 10 March 2025 and one all-``score``
    answer at ``later``."""
    su = do_create_service_unit(unit=world.alfa, code="alfa", name="Layanan Alfa")
    do_bulk_add_skm_responses(
        su,
        [
            SkmRecord(submitted=jkt(2025, 3, 10), scores=same(3)),
            SkmRecord(submitted=later, scores=same(score)),
        ],
    )


def test_the_report_shows_before_and_after_and_says_there_is_no_comparison(
    client, world, held, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _layanan_alfa_answered(world, jkt(2025, 8, 10), 4)
    client.force_login(world.pia)
    # the whole report, L1–L5 included; the before/after section adds a fixed 13 queries
    # (service units, participants' units, 2 × rollups, 2 × cut-month answers, complaints,
    # calendar, SLA table), whatever the number of units, answers and complaints
    with django_assert_max_num_queries(72):
        page = client.get(f"/laporan/program/{held.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "sebelum–sesudah tanpa pembanding: perubahan belum tentu karena pelatihan" in html
    assert "Layanan Alfa: IKM 75,00 (C, Kurang Baik; 1 responden) sebelum" in html
    assert "100,00 (A, Sangat Baik; 1 responden) sesudah" in html
    assert 'name="sebelum_dari" value="2025-01-01"' in html
    assert 'name="sesudah_sampai" value="2025-12-31"' in html
    # comparison units remove the warning and cost no query per unit
    for i, unit in enumerate((world.beta, world.beta, world.layanan)):
        other = do_create_service_unit(unit=unit, code=f"u{i}", name=f"Layanan {i} Beta")
        do_bulk_add_skm_responses(other, [SkmRecord(submitted=jkt(2025, 6, 3), scores=same(2))])
    with django_assert_max_num_queries(72):
        html = client.get(f"/laporan/program/{held.pk}/").content.decode()
    assert "tanpa pembanding" not in html and "Layanan 0 Beta" in html


def test_the_report_page_takes_its_windows_from_the_query_and_refuses_bad_dates(
    client, world, held
) -> None:  # type: ignore[no-untyped-def]
    _layanan_alfa_answered(world, jkt(2025, 5, 10), 2)
    client.force_login(world.pia)
    url = f"/laporan/program/{held.pk}/"
    html = client.get(url, {"sebelum_dari": "2025-05-01"}).content.decode()
    assert "IKM 50,00 (D, Tidak Baik; 1 responden) sebelum" in html
    assert "unduh.pdf?sebelum_dari=2025-05-01" in html
    assert "bukti/dampak_ikm/?sebelum_dari=2025-05-01" in html
    evidence = client.get(
        f"{url}bukti/dampak_ikm/", {"sebelum_dari": "2025-05-01"}
    ).content.decode()
    # the questionnaires behind the figure, in the chosen window only (not the IKM again)
    assert "10 Mei 2025" in evidence and "10 Maret 2025" not in evidence
    data = assemble_programme(held, None, date(2026, 1, 15))
    assert data["figures"]["impact"][0]["ikm"]["before"]["n"] == 2
    html = client.get(url, {"sebelum_dari": "2025-02-30"}).content.decode()
    assert "tidak sah" in html and "IKM 62,50" in html  # the defaults: (3 + 2) / 2 × 25
    html = client.get(url, {"sesudah_dari": "2026-01-01", "sesudah_sampai": "2025-07-01"})
    assert "sebelum awalnya" in html.content.decode()


def test_a_programme_without_participating_service_units_says_so(client, world, held) -> None:  # type: ignore[no-untyped-def]
    do_create_service_unit(unit=world.beta, code="beta", name="Layanan Beta")
    data = assemble_programme(held, None, date(2026, 1, 15))
    hasil = next(s for s in data["sections"] if s["key"] == "hasil")
    assert "Belum ada unit layanan yang pegawainya mengikuti program ini." in hasil["gaps"]
    assert data["figures"]["impact"] == []
    assert [u["unit"] for u in data["figures"]["impact_comparison"]] == ["Layanan Beta"]


def test_versions_are_not_mixed(world, frozen) -> None:  # type: ignore[no-untyped-def]
    su = do_create_service_unit(unit=world.alfa, code="alfa", name="Layanan Alfa")
    old = [u.slug for u in engine_version("SKM_2004").unsur]
    do_bulk_add_skm_responses(
        su,
        [SkmRecord(submitted=jkt(2025, 3, 10), scores=dict.fromkeys(old, 1))],
        version_id="SKM_2004",
    )
    do_bulk_add_skm_responses(su, [SkmRecord(submitted=jkt(2025, 6, 3), scores=same(4))])
    got = window_ikm([su], BEFORE)[su.pk]
    assert (got.version, got.n, got.ikm) == ("SKM_2017", 1, 100.0)


def test_a_unit_is_trained_by_who_came_not_by_who_accepted(world, held) -> None:  # type: ignore[no-untyped-def]
    """Erin (Dinas Beta) accepted and was absent from every session: Layanan Beta did not take
    part. Until the batch takes attendance, nothing tells who came, and acceptance counts."""
    from kompeten.participation.actions.attendance import do_mark_attendance
    from kompeten.participation.actions.enrolment import do_accept, do_invite
    from kompeten.participation.models import Enrolment
    from kompeten.reports.impact import participating_service_units

    alfa = do_create_service_unit(unit=world.layanan, code="alfa", name="Layanan Alfa")
    beta = do_create_service_unit(unit=world.beta, code="beta", name="Layanan Beta")
    batch = held.batches.get()
    early = jkt(2025, 6, 2, 9)
    erin = do_invite(
        batch=batch,
        employee=world.erin_emp,
        actor=world.alice,
        notify=False,
        check_clash=False,
        now=early,
    )
    do_accept(enrolment=erin, actor=None, now=early)
    tree = c.unit_tree(world.instansi.pk)

    def names() -> tuple[list[str], list[str]]:
        took_part, others = participating_service_units(held, [alfa, beta], tree)
        return [u.name for u in took_part], [u.name for u in others]

    assert names() == (["Layanan Alfa", "Layanan Beta"], [])  # no attendance taken yet
    for session in batch.sessions.all():
        for enrolment in Enrolment.objects.filter(batch=batch):
            do_mark_attendance(
                session=session,
                enrolment=enrolment,
                present=enrolment.pk != erin.pk,
                actor=world.alice,
            )
    assert names() == (["Layanan Alfa"], ["Layanan Beta"])


def test_the_sla_share_sentence_names_its_figures_and_an_interval_wider_than_possible() -> None:
    """The sample's complaints within the SLA: pooled figures in percent beside the estimate
    from monthly unit means (the two differ: +15,9 pooled, +24,2 estimated), and an interval
    past ±100 points (two units, no comparison) said to be too wide to tell a direction."""
    from kompeten.reports.impact import Estimate
    from kompeten.reports.impact_section import estimate_sentence

    row = {
        "design": "its",
        "estimate": 24.2,
        "ci_low": -82.0,
        "ci_high": 145.2,
        "pvalue": 0.553,
        "n_treated": 2,
        "n_comparison": 0,
    }
    sla = Estimate(
        "pengaduan", "Pengaduan selesai dalam batas SLA", "poin persen", row, 63.1, 79.0, 88, 80
    )
    assert estimate_sentence(sla, with_design=False) == (
        "Pengaduan selesai dalam batas SLA unit terlatih: 63,1% sebelum, 79,0% sesudah (seluruh "
        "jendela); estimasi dampak dari rata-rata bulanan per unit +24,2 poin persen (SK 95% "
        "-82,0 s.d. 145,2; p = 0,553), tidak bermakna. Selang ini lebih lebar dari perubahan "
        "terbesar yang mungkin (±100 poin persen): datanya terlalu sedikit untuk menyimpulkan "
        "arah perubahan."
    )
    ikm = Estimate(
        "ikm",
        "IKM",
        "poin",
        {**row, "estimate": 5.8, "ci_low": 4.69, "ci_high": 7.18, "pvalue": 0.01},
        77.55,
        83.63,
        798,
        819,
    )
    assert "77,55 sebelum, 83,63 sesudah (seluruh jendela)" in estimate_sentence(ikm)
    assert "lebih lebar dari perubahan terbesar" not in estimate_sentence(ikm)

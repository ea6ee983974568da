"""L5 (Phillips): each benefit isolated by its own method — comparison group (the L4 impact
estimator's difference-in-differences), trend line (its level change above the pre-training
trend) or participant estimates (value × attribution × confidence) — first-year benefits only,
BCR and ROI %, intangibles unconverted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from python_calamine import CalamineWorkbook

from kompeten.evaluation.levels import l5
from kompeten.evaluation.levels.l4 import impact_of
from kompeten.evaluation.levels.results import BenefitLine, CostLine, DidOutcome, L4Result
from tests.evaluation import builders

MONTHS = tuple(date(2026, m, 1) for m in range(1, 13))
JULY = date(2026, 7, 1)


def _did_outcome(comparison_after: tuple[float, float] = (73.0, 76.0)) -> DidOutcome:
    """Trained units 69 → 79 and 71 → 82 (+10,5), comparison units 69 → 73 and 71 → 76 (+4,5):
    difference-in-differences on unit changes = +6."""
    before, after = MONTHS[5], MONTHS[6]
    values = {1: (69, 79), 2: (71, 82), 3: (69, comparison_after[0]), 4: (71, comparison_after[1])}
    obs = [(u, m, float(v)) for u, (b, a) in values.items() for m, v in ((before, b), (after, a))]
    return DidOutcome(
        key="ikm",
        label="IKM",
        n_treated_units=2,
        n_comparison_units=2,
        months=MONTHS,
        treated_series=tuple(70.0 if m < JULY else 80.0 for m in MONTHS),
        comparison_series=tuple(70.0 if m < JULY else 74.0 for m in MONTHS),
        intervention=JULY,
        impact=impact_of(observations=obs, treated_from={1: after, 2: after}, comparison=[3, 4]),
        sentence="",
    )


def _trend_outcome() -> DidOutcome:
    """y = 50 + t before July, 54 + t from July (a level jump of 4 on a rising trend) plus
    noise; no comparison unit, so the estimator fits the interrupted time series; observed
    change mean after − mean before = 62,5 − 52,5 = 10."""
    noise = [1, -1, 0, 0, -1, 1]
    y = [50 + t + noise[t] for t in range(6)] + [54 + t + noise[t - 6] for t in range(6, 12)]
    obs = [(1, m, float(v)) for m, v in zip(MONTHS, y, strict=True)]
    return DidOutcome(
        key="pengaduan",
        label="Ketepatan waktu penyelesaian pengaduan",
        n_treated_units=1,
        n_comparison_units=0,
        months=MONTHS,
        treated_series=tuple(float(v) for v in y),
        comparison_series=(None,) * 12,
        intervention=JULY,
        impact=impact_of(observations=obs, treated_from={1: JULY}, comparison=[]),
        sentence="",
    )


# --- the Phillips arithmetic -----------------------------------------------------------------


def test_a_participant_estimate_is_discounted_by_attribution_and_confidence():
    # Phillips' participant-estimate adjustment (J. J. Phillips, "Return on Investment in
    # Training and Performance Improvement Programs", on isolating the effects of training;
    # the ROI Methodology): adjusted value = estimated value × % attributed to the program ×
    # % confidence in the estimate. Our own figures: 60 % attributed, 80 % confident → a
    # factor of 0,48; on an estimated 10.000 improvement, 4.800 counts as the program's.
    assert l5.phillips_adjusted(10_000, 60, 80) == pytest.approx(4_800)
    assert l5.estimate_share([(60, 80)]) == pytest.approx(0.48)


def test_the_training_factor_is_averaged_over_participants_after_adjustment():
    # mean of each respondent's attribution × confidence, not the product of the means:
    # (0,6·0,8 + 0,5·1,0 + 0,9·0,5) / 3 = (0,48 + 0,50 + 0,45) / 3 = 0,47666…
    assert l5.estimate_share([(60, 80), (50, 100), (90, 50)]) == pytest.approx(1.43 / 3)
    assert l5.estimate_share([]) is None


def _roi(costs: list[CostLine], benefits: list[BenefitLine], intangibles=()):  # type: ignore[no-untyped-def]
    """L5 of these costs and benefits, with no participant estimate."""
    return l5.compute_l5(
        costs=costs,
        benefits=benefits,
        intangibles=list(intangibles),
        estimate_n=0,
        estimate_attribution=None,
        estimate_confidence=None,
        estimate_share=None,
        hourly_table="",
        hourly_confidence="",
    )


def test_bcr_and_roi_follow_phillips_formulas():
    # BCR = benefits / costs; ROI % = (benefits − costs) / costs × 100 (Phillips):
    # benefits 750.000, costs 300.000 → BCR 2,5 and ROI 150 %.
    line = BenefitLine(1, "b", 750_000.0, "x", 1.0, 750_000.0, "")
    r = _roi([CostLine("pengajar", "Pengajar", 300_000.0)], [line], ["Warga puas"])
    assert r.bcr == pytest.approx(2.5)
    assert r.roi_pct == pytest.approx(150.0)
    assert r.intangibles == ("Warga puas",)
    assert "BCR 2,50, ROI 150 %" in r.sentence


def test_costs_without_any_benefit_line_leave_the_roi_unknown_not_minus_100():
    cost = CostLine("pengajar", "Pengajar", 300_000.0)
    r = _roi([cost], [])
    assert (r.total_cost, r.bcr, r.roi_pct) == (300_000.0, None, None)
    assert r.sentence == (
        "ROI belum dapat dihitung: belum ada manfaat yang dirupiahkan; biaya Rp300.000."
    )
    # a benefit measured as worth nothing is a result: BCR 0, ROI -100 %
    r = _roi([cost], [BenefitLine(1, "b", 0.0, "x", 1.0, 0.0, "")])
    assert (r.bcr, r.roi_pct) == (0.0, -100.0)


# --- the isolation methods from L4 ------------------------------------------------------------


def test_the_comparison_group_share_is_did_over_the_trained_units_change():
    o = _did_outcome()
    assert o.impact is not None and o.impact.design == "did"
    assert o.impact.estimate == pytest.approx(6.0)
    iso = l5.share_from_comparison(o)
    assert iso.share == pytest.approx(0.6)
    assert "bagian = estimasi / perubahan = 0,60" in iso.inputs


def test_the_trend_line_share_is_the_level_change_above_the_trend():
    o = _trend_outcome()
    assert o.impact is not None and o.impact.design == "its"
    assert o.impact.estimate == pytest.approx(4.0, abs=0.05)
    iso = l5.share_from_trend(o)
    assert iso.share == pytest.approx(o.impact.estimate / 10.0)
    assert "perubahan unit dilatih 10,00" in iso.inputs


def test_no_improvement_isolates_nothing_and_missing_l4_says_so():
    o = _did_outcome()
    flat = DidOutcome(**{**o.__dict__, "treated_series": (70.0,) * 12})
    assert l5.share_from_comparison(flat).share == 0.0
    assert l5.share_from_comparison(None).share is None
    assert l5.share_from_trend(o).share is None  # the estimator used comparison units here
    assert l5.share_from_comparison(_trend_outcome()).share is None


def test_an_estimate_whose_interval_holds_zero_is_said_to_be_uncertain():
    # comparison changes +9 and +2 against +10 and +11: DiD +5, pooled t on 2 df not significant
    o = _did_outcome(comparison_after=(78.0, 73.0))
    assert o.impact is not None and o.impact.estimate == pytest.approx(5.0)
    assert o.impact.ci_low is not None and o.impact.ci_low < 0
    iso = l5.share_from_comparison(o)
    assert iso.share == pytest.approx(0.5)
    assert iso.inputs.endswith(
        "bagian = estimasi / perubahan = 0,50; estimasi ini belum bermakna secara statistik, "
        "jadi manfaat yang diakui belum pasti."
    )
    # a significant estimate carries no such words
    assert "belum bermakna" not in l5.share_from_comparison(_did_outcome()).inputs


def test_a_comparison_group_that_improved_more_isolates_nothing():
    o = _did_outcome(comparison_after=(83.0, 86.0))  # comparison +14,5 against trained +10,5
    assert o.impact is not None and o.impact.estimate == pytest.approx(-4.0)
    iso = l5.share_from_comparison(o)
    assert iso.share == 0.0
    assert "tidak ada perbaikan karena pelatihan yang diakui" in iso.inputs


# --- through the actions and the engine -------------------------------------------------------


@pytest.fixture
def s(world):
    from kompeten.learning.models import CostItem
    from tests.evaluation.roi_setup import set_hourly_costs

    s = builders.build(world, n=3)
    CostItem.objects.create(programme=s.programme, category="pengajar", amount=Decimal("5000000"))
    set_hourly_costs(world, name="t")
    return s


def _benefit(s, world, **kw):  # type: ignore[no-untyped-def]
    from kompeten.evaluation.actions.roi import BenefitInput, do_add_benefit

    return do_add_benefit(
        s.programme,
        data=BenefitInput(kind="moneter", name=kw.pop("name", "B"), **kw),
        actor=world.alice,
    )


def test_each_benefit_is_isolated_by_its_own_method(world, s):
    from kompeten.evaluation.actions.roi import do_add_participant_estimate
    from kompeten.evaluation.benefits import level5

    est = _benefit(s, world, name="Estimasi", isolation="estimasi")
    do_add_participant_estimate(
        est,
        employee=s.participants[0],
        annual_value="10000000",
        attribution="60",
        confidence="80",
        actor=world.alice,
    )
    do_add_participant_estimate(
        est,
        employee=s.participants[1],
        annual_value="5000000",
        attribution="50",
        confidence="100",
        basis="Lembur berkurang",
        actor=world.alice,
    )
    _benefit(
        s,
        world,
        name="DiD",
        hours_per_year="100",
        golongan_group="III",
        isolation="pembanding",
        isolation_outcome="ikm",
    )
    _benefit(
        s,
        world,
        name="Tren",
        amount_per_year="2000000",
        isolation="tren",
        isolation_outcome="pengaduan",
    )
    trend = _trend_outcome()
    assert trend.impact is not None and trend.impact.estimate is not None
    trend_share = trend.impact.estimate / 10.0  # the level change over the observed change 10
    l4 = L4Result(
        outcomes=(_did_outcome(), trend),
        treated_units=(),
        comparison_units=(),
        sentence="",
    )
    r = level5(s.programme, Q(response__programme=s.programme), date(2026, 11, 28), l4)
    lines = {b.name: b for b in r.benefits}
    # 10.000.000 × 60 % × 80 % + 5.000.000 × 50 % × 100 % = 4.800.000 + 2.500.000
    assert lines["Estimasi"].annual_value == pytest.approx(15_000_000)
    assert lines["Estimasi"].isolated_value == pytest.approx(7_300_000)
    assert lines["Estimasi"].n_estimates == 2
    assert "2 estimasi peserta" in lines["Estimasi"].inputs
    # 100 h × Rp50.000 × 0,6 (DiD 6 of a 10-point change)
    assert lines["DiD"].isolated_value == pytest.approx(100 * 50_000 * 0.6)
    assert lines["DiD"].method == "pembanding"
    assert lines["Tren"].isolated_value == pytest.approx(2_000_000 * trend_share)
    total = 7_300_000 + 3_000_000 + 2_000_000 * trend_share
    assert r.total_benefit == pytest.approx(total)
    assert r.bcr == pytest.approx(total / 5_000_000)
    assert r.roi_pct == pytest.approx((total - 5_000_000) / 5_000_000 * 100)


def test_an_estimate_benefit_without_estimates_uses_the_questionnaire_share(world, s):
    from kompeten.evaluation.benefits import level5

    _benefit(s, world, name="Jam", hours_per_year="10", golongan_group="III", isolation="estimasi")
    r = level5(s.programme, Q(response__programme=s.programme), date(2026, 11, 28), None)
    line = r.benefits[0]
    assert line.share is None and line.isolated_value == 0.0
    assert "Belum ada estimasi peserta" in line.inputs


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"isolation": "pembanding", "amount_per_year": "1"}, "isolation_outcome"),
        (
            {
                "isolation": "tren",
                "amount_per_year": "1",
                "isolation_outcome": "ikm",
                "isolation_share": "0.5",
            },
            "isolation_share",
        ),
        (
            {"isolation": "tren", "amount_per_year": "1", "isolation_outcome": "x"},
            "isolation_outcome",
        ),
        ({"isolation": "pembanding", "isolation_outcome": "ikm"}, "hours_per_year"),
    ],
)
def test_a_bad_benefit_is_rejected_and_nothing_is_written(world, s, kw, field):
    from kompeten.evaluation.models import Benefit

    with pytest.raises(ValidationError) as exc:
        _benefit(s, world, **kw)
    assert field in exc.value.message_dict
    assert not Benefit.objects.exists()


def test_bad_participant_estimates_are_rejected_and_nothing_is_written(world, s):
    from kompeten.evaluation.actions.roi import do_add_participant_estimate
    from kompeten.evaluation.models import ParticipantEstimate

    est = _benefit(s, world, name="E", isolation="estimasi")
    other = _benefit(
        s, world, name="D", amount_per_year="1", isolation="pembanding", isolation_outcome="ikm"
    )
    cases = [
        (est, world.erin_emp, "100", "50", "50", "employee"),
        (est, s.participants[0], "100", "150", "50", "attribution"),
        (est, s.participants[0], "100", "50", "", "confidence"),
        (est, s.participants[0], "-5", "50", "50", "annual_value"),
        (other, s.participants[0], "100", "50", "50", "benefit"),
    ]
    for benefit, emp, value, a, c, field in cases:
        with pytest.raises(ValidationError) as exc:
            do_add_participant_estimate(
                benefit,
                employee=emp,
                annual_value=value,
                attribution=a,
                confidence=c,
                actor=world.alice,
            )
        assert field in exc.value.message_dict
    assert not ParticipantEstimate.objects.exists()


def test_the_admin_enters_an_estimate_on_the_l5_tab(
    world, client, s, django_assert_max_num_queries
):
    from kompeten.evaluation.models import ParticipantEstimate

    est = _benefit(s, world, name="Lembur berkurang", isolation="estimasi")
    client.force_login(world.alice)
    with django_assert_max_num_queries(45):
        r = client.get(f"/evaluasi/program/{s.programme.pk}/?tab=l5")
    assert "Estimasi peserta (Phillips)" in r.content.decode()
    url = f"/evaluasi/program/{s.programme.pk}/estimasi/"
    nip = s.participants[0].nip
    r = client.post(
        url,
        {
            "benefit": est.pk,
            "nip": nip,
            "annual_value": "10000000",
            "attribution": "60",
            "confidence": "80",
        },
    )
    assert r.status_code == 302
    e = ParticipantEstimate.objects.get()
    assert (e.annual_value, e.attribution, e.confidence) == (10_000_000, 60, 80)
    r = client.get(f"/evaluasi/program/{s.programme.pk}/?tab=l5")
    assert "1 estimasi peserta" in r.content.decode()
    r = client.get(f"/evaluasi/program/{s.programme.pk}/?export=xlsx")
    wb = CalamineWorkbook.from_filelike(BytesIO(r.content))
    rows = wb.get_sheet_by_name("L5 manfaat").to_python()
    assert rows[1][0] == "Lembur berkurang" and rows[1][6] == pytest.approx(4_800_000)
    roi = {row[0]: row[1] for row in wb.get_sheet_by_name("L5 ROI").to_python()[1:]}
    assert roi["total manfaat tahun pertama terisolasi (Rp)"] == pytest.approx(4_800_000)


def test_only_the_admin_enters_estimates(world, client, s):
    est = _benefit(s, world, name="E", isolation="estimasi")
    client.force_login(world.bob)
    r = client.post(
        f"/evaluasi/program/{s.programme.pk}/estimasi/",
        {
            "benefit": est.pk,
            "nip": s.participants[0].nip,
            "annual_value": "1",
            "attribution": "1",
            "confidence": "1",
        },
    )
    assert r.status_code in (403, 404)


def test_the_workbook_leaves_an_unrecorded_benefit_empty_not_zero(world, client, s):
    client.force_login(world.alice)
    r = client.get(f"/evaluasi/program/{s.programme.pk}/?export=xlsx")
    wb = CalamineWorkbook.from_filelike(BytesIO(r.content))
    roi = {row[0]: row[1] for row in wb.get_sheet_by_name("L5 ROI").to_python()[1:]}
    assert roi["total manfaat tahun pertama terisolasi (Rp)"] == ""
    assert (
        roi["BCR = manfaat / biaya"] == "" and roi["ROI % = (manfaat − biaya) / biaya × 100"] == ""
    )

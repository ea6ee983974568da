from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompeten.standards.ip_asn import (
    IP_ASN_2019,
    EducationLevel,
    IpAsnInput,
    IpAsnTable,
    JabatanGroup,
    KompetensiRule,
    Sanction,
    TrainingKind,
    TrainingRecord,
    compute_ip_asn,
    ip_category,
    kinerja_points,
    unit_ip,
    what_would_raise_kompetensi,
)
from kompeten.standards.skp import Predikat

AS_OF = date(2025, 6, 30)


def employee(**changes: object) -> IpAsnInput:
    base = IpAsnInput(
        education=EducationLevel.S1,
        jabatan_group=JabatanGroup.PELAKSANA,
        trainings=(),
        as_of=AS_OF,
        skp_score=85,
        worst_sanction=Sanction.NONE,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def training(
    kind: TrainingKind, jp: float, day: date, matches_post: bool = False
) -> TrainingRecord:
    return TrainingRecord(kind=kind, jp=jp, date=day, matches_post=matches_post)


def test_the_worked_example_of_a_pelaksana_scores_85_tinggi() -> None:
    # DOMAIN.md (PermenPANRB 38/2018, Peraturan BKN 8/2019): a pelaksana with S-1 (15), a 24-JP
    # technical course last year (22,5), a workshop last year (17,5), SKP 85 (25) and no
    # sanctions (5) scores 85,0: Tinggi.
    result = compute_ip_asn(
        employee(
            trainings=(
                training(TrainingKind.TEKNIS, 24, date(2024, 9, 10)),
                training(TrainingKind.WORKSHOP, 8, date(2024, 11, 5)),
            )
        )
    )
    assert (result.kualifikasi, result.kompetensi, result.kinerja, result.disiplin) == (
        15,
        40,
        25,
        5,
    )
    assert [i.points for i in result.kompetensi_items] == [22.5, 17.5]
    assert result.total == 85.0
    assert result.category == "Tinggi"
    assert result.kinerja_source == "skp_numeric"


@pytest.mark.parametrize(
    ("level", "points"),
    [
        (EducationLevel.S3, 25),
        (EducationLevel.S2, 20),
        (EducationLevel.S1, 15),
        (EducationLevel.D4, 15),
        (EducationLevel.D3, 10),
        (EducationLevel.D2, 5),
        (EducationLevel.D1, 5),
        (EducationLevel.SLTA, 1),
        (EducationLevel.SD, 1),
    ],
)
def test_kualifikasi_points_by_education(level: EducationLevel, points: int) -> None:
    assert compute_ip_asn(employee(education=level)).kualifikasi == points


def test_a_technical_course_older_than_a_year_does_not_count_for_a_pelaksana() -> None:
    old = training(TrainingKind.TEKNIS, 24, date(2024, 6, 29))
    on_the_edge = training(TrainingKind.TEKNIS, 24, date(2024, 6, 30))
    assert compute_ip_asn(employee(trainings=(old,))).kompetensi == 0
    assert compute_ip_asn(employee(trainings=(on_the_edge,))).kompetensi == 22.5


def test_a_technical_course_under_20_jp_does_not_count() -> None:
    short = training(TrainingKind.TEKNIS, 19.5, date(2025, 1, 10))
    assert compute_ip_asn(employee(trainings=(short,))).kompetensi == 0


def test_training_after_the_as_of_date_does_not_count() -> None:
    future = training(TrainingKind.TEKNIS, 30, date(2025, 7, 1))
    assert compute_ip_asn(employee(trainings=(future,))).kompetensi == 0


def test_seminar_workshop_magang_and_kursus_all_count_within_two_years() -> None:
    for kind in (
        TrainingKind.SEMINAR,
        TrainingKind.WORKSHOP,
        TrainingKind.MAGANG,
        TrainingKind.KURSUS,
    ):
        recent = training(kind, 4, date(2023, 7, 1))
        assert compute_ip_asn(employee(trainings=(recent,))).kompetensi == 17.5
    too_old = training(TrainingKind.SEMINAR, 4, date(2023, 6, 29))
    assert compute_ip_asn(employee(trainings=(too_old,))).kompetensi == 0


def test_an_administrator_can_reach_40_with_leadership_technical_and_seminar() -> None:
    result = compute_ip_asn(
        employee(
            jabatan_group=JabatanGroup.ADMINISTRATOR,
            trainings=(
                training(TrainingKind.KEPEMIMPINAN, 200, date(2019, 5, 1), matches_post=True),
                training(TrainingKind.TEKNIS, 32, date(2021, 3, 1)),
                training(TrainingKind.SEMINAR, 4, date(2025, 2, 1)),
            ),
        )
    )
    assert [i.rule_id for i in result.kompetensi_items] == ["kepemimpinan", "teknis", "seminar"]
    assert result.kompetensi == 40


def test_leadership_training_must_match_the_post() -> None:
    mismatched = training(TrainingKind.KEPEMIMPINAN, 200, date(2019, 5, 1), matches_post=False)
    result = compute_ip_asn(employee(jabatan_group=JabatanGroup.PENGAWAS, trainings=(mismatched,)))
    assert result.kompetensi == 0


def test_a_fungsional_gets_points_for_functional_training_not_leadership() -> None:
    result = compute_ip_asn(
        employee(
            jabatan_group=JabatanGroup.FUNGSIONAL,
            trainings=(
                training(TrainingKind.FUNGSIONAL, 60, date(2020, 1, 1), matches_post=True),
                training(TrainingKind.KEPEMIMPINAN, 200, date(2019, 1, 1), matches_post=True),
            ),
        )
    )
    assert result.kompetensi == 15
    assert [i.rule_id for i in result.kompetensi_items] == ["fungsional"]


def test_every_jabatan_group_can_reach_40() -> None:
    # DOMAIN.md: "Every group can reach 40".
    for group in JabatanGroup:
        rules = [r for r in IP_ASN_2019.kompetensi_rules if group in r.groups]
        assert sum(r.points for r in rules) == 40, group


def test_kompetensi_is_capped_at_40() -> None:
    generous = replace(
        IP_ASN_2019,
        kompetensi_rules=(
            *IP_ASN_2019.kompetensi_rules,
            KompetensiRule(
                id="bonus",
                groups=frozenset({JabatanGroup.PELAKSANA}),
                kinds=frozenset({TrainingKind.KURSUS}),
                points=10,
            ),
        ),
    )
    result = compute_ip_asn(
        employee(
            trainings=(
                training(TrainingKind.TEKNIS, 24, date(2025, 1, 10)),
                training(TrainingKind.KURSUS, 10, date(2025, 2, 10)),
            )
        ),
        generous,
    )
    assert result.kompetensi_uncapped == 50
    assert result.kompetensi == 40


def test_cumulative_jp_mode_sums_the_window() -> None:
    two_short = (
        training(TrainingKind.TEKNIS, 12, date(2024, 10, 1)),
        training(TrainingKind.TEKNIS, 10, date(2025, 3, 1)),
    )
    assert compute_ip_asn(employee(trainings=two_short)).kompetensi == 0
    cumulative_rules = tuple(
        replace(r, jp_mode="cumulative") if r.id == "pelaksana_teknis" else r
        for r in IP_ASN_2019.kompetensi_rules
    )
    table = replace(IP_ASN_2019, kompetensi_rules=cumulative_rules)
    assert compute_ip_asn(employee(trainings=two_short), table).kompetensi == 22.5


@pytest.mark.parametrize(
    ("score", "points"),
    [
        (100, 30),
        (91, 30),
        (90.5, 30),
        (90, 25),
        (76, 25),
        (75, 15),
        (61, 15),
        (60, 5),
        (51, 5),
        (50, 1),
        (0, 1),
    ],
)
def test_kinerja_from_the_old_numeric_skp(score: float, points: int) -> None:
    # 91–100 → 30; 76–90 → 25; 61–75 → 15; 51–60 → 5; ≤ 50 → 1 (read as upper bounds).
    assert kinerja_points(score, None) == points


def test_no_skp_scores_zero_kinerja() -> None:
    assert compute_ip_asn(employee(skp_score=None)).kinerja == 0
    assert compute_ip_asn(employee(skp_score=None)).kinerja_source == "none"


def test_the_new_predikat_mapping_is_flagged_low() -> None:
    result = compute_ip_asn(employee(skp_score=None, skp_predikat=Predikat.BAIK))
    assert result.kinerja == 25
    assert result.kinerja_source == "skp_predikat"
    assert result.kinerja_confidence == "LOW"
    assert {p: kinerja_points(None, p) for p in Predikat} == {
        Predikat.SANGAT_BAIK: 30,
        Predikat.BAIK: 25,
        Predikat.BUTUH_PERBAIKAN: 15,
        Predikat.KURANG: 5,
        Predikat.SANGAT_KURANG: 1,
    }


def test_old_and_new_skp_together_are_refused() -> None:
    with pytest.raises(ValueError, match="not both"):
        employee(skp_score=85, skp_predikat=Predikat.BAIK)


@pytest.mark.parametrize(
    ("sanction", "points"),
    [(Sanction.NONE, 5), (Sanction.RINGAN, 3), (Sanction.SEDANG, 2), (Sanction.BERAT, 1)],
)
def test_disiplin_by_the_worst_sanction_in_five_years(sanction: Sanction, points: int) -> None:
    assert compute_ip_asn(employee(worst_sanction=sanction)).disiplin == points


@pytest.mark.parametrize(
    ("score", "category"),
    [
        (100, "Sangat Tinggi"),
        (90.01, "Sangat Tinggi"),
        (90, "Tinggi"),
        (80.01, "Tinggi"),
        (80, "Sedang"),
        (70.01, "Sedang"),
        (70, "Rendah"),
        (60.01, "Rendah"),
        (60, "Sangat Rendah"),
        (0, "Sangat Rendah"),
    ],
)
def test_categories_for_fractional_scores(score: float, category: str) -> None:
    # PermenPANRB 38/2018: ≤ 60, 60,01–70, 70,01–80, 80,01–90, 90,01–100.
    assert ip_category(score) == category


def test_what_would_raise_kompetensi_lists_the_missing_trainings() -> None:
    only_workshop = employee(trainings=(training(TrainingKind.WORKSHOP, 8, date(2025, 1, 5)),))
    suggestions = what_would_raise_kompetensi(only_workshop)
    assert len(suggestions) == 1
    assert suggestions[0].rule_id == "pelaksana_teknis"
    assert suggestions[0].gain == 22.5
    assert suggestions[0].kinds == (TrainingKind.TEKNIS,)
    assert suggestions[0].label == "Diklat teknis ≥ 20 JP dalam 1 tahun terakhir"


def test_what_would_raise_kompetensi_for_a_pengawas_with_nothing() -> None:
    suggestions = what_would_raise_kompetensi(employee(jabatan_group=JabatanGroup.PENGAWAS))
    assert [(s.rule_id, s.gain) for s in suggestions] == [
        ("kepemimpinan", 15),
        ("teknis", 15),
        ("seminar", 10),
    ]
    assert suggestions[0].requires_match
    assert suggestions[2].label == "Seminar/workshop/magang/kursus dalam 2 tahun terakhir"


def test_nothing_would_raise_a_full_kompetensi() -> None:
    full = employee(
        trainings=(
            training(TrainingKind.TEKNIS, 24, date(2025, 1, 10)),
            training(TrainingKind.SEMINAR, 4, date(2025, 2, 10)),
        )
    )
    assert what_would_raise_kompetensi(full) == ()


def test_unit_ip_is_the_mean_of_its_members() -> None:
    assert unit_ip([85.0, 70.0, 91.5]) == pytest.approx(82.1666667)
    with pytest.raises(ValueError):
        unit_ip([])


def test_the_table_round_trips_through_json() -> None:
    data = json.loads(json.dumps(IP_ASN_2019.to_dict()))
    assert IpAsnTable.from_dict(data) == IP_ASN_2019


def test_an_edited_table_changes_the_score() -> None:
    data = IP_ASN_2019.to_dict()
    data["kualifikasi"]["SLTA"] = 5  # the other implementation DOMAIN.md mentions
    table = IpAsnTable.from_dict(data)
    assert compute_ip_asn(employee(education=EducationLevel.SLTA), table).kualifikasi == 5


def test_a_table_with_a_value_above_the_dimension_maximum_is_refused() -> None:
    data = IP_ASN_2019.to_dict()
    data["kualifikasi"]["S3"] = 30
    with pytest.raises(ValueError, match="outside"):
        IpAsnTable.from_dict(data)


@given(
    education=st.sampled_from(EducationLevel),
    group=st.sampled_from(JabatanGroup),
    kinds=st.lists(
        st.tuples(
            st.sampled_from(TrainingKind),
            st.floats(min_value=0, max_value=300),
            st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 31)),
            st.booleans(),
        ),
        max_size=6,
    ),
    skp=st.one_of(st.none(), st.floats(min_value=0, max_value=120)),
    sanction=st.sampled_from(Sanction),
)
def test_the_score_stays_within_0_and_100(
    education: EducationLevel,
    group: JabatanGroup,
    kinds: list[tuple[TrainingKind, float, date, bool]],
    skp: float | None,
    sanction: Sanction,
) -> None:
    inp = IpAsnInput(
        education=education,
        jabatan_group=group,
        trainings=tuple(TrainingRecord(k, jp, d, m) for k, jp, d, m in kinds),
        as_of=AS_OF,
        skp_score=skp,
        worst_sanction=sanction,
    )
    result = compute_ip_asn(inp)
    assert 0 <= result.kompetensi <= 40
    assert 0 < result.total <= 100
    gains = sum(s.gain for s in what_would_raise_kompetensi(inp))
    assert result.kompetensi + gains <= 40

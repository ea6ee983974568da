"""Each recommendation rule fires on data that should trigger it and stays silent otherwise."""

from __future__ import annotations

from kompeten.reports.evidence import (
    Evidence,
    OpdParticipation,
    SkmSample,
    TrainerScore,
    relevance_measure,
)
from kompeten.reports.rules import RULES, recommend


def ids(e: Evidence) -> list[str]:
    return [h.rule_id for h in recommend(e)]


def test_every_rule_is_listed_once() -> None:
    assert len({r.id for r in RULES}) == len(RULES) == 12


def test_low_relevance_fires_and_cites_the_index() -> None:
    hits = recommend(Evidence("x", relevance_index=62.5, relevance_n=20))
    assert [h.rule_id for h in hits] == ["low_relevance"]
    assert "62,50" in hits[0].text and "20 tanggapan" in hits[0].text


def test_low_relevance_names_the_section_its_index_is_of() -> None:
    own = recommend(
        Evidence("x", relevance_index=62.5, relevance_n=20, relevance_aspect="relevansi")
    )
    assert "indeks relevansi dengan pekerjaan 62,50" in own[0].text
    materi = recommend(
        Evidence("x", relevance_index=62.5, relevance_n=20, relevance_aspect="materi")
    )
    assert "indeks aspek Materi 62,50" in materi[0].text
    assert "tanpa bagian relevansi dengan pekerjaan" in materi[0].text


def test_the_relevance_section_is_read_before_the_materi_section_in_any_order() -> None:
    # the sample's questionnaire: Materi 78,49 and Relevansi dengan pekerjaan 81,25 (52 each)
    sections = [("sarana", 82.69, 52), ("materi", 78.49, 52), ("relevansi", 81.25, 52)]
    assert relevance_measure(sections) == ("relevansi", 81.25, 52)
    assert relevance_measure(reversed(sections)) == ("relevansi", 81.25, 52)
    assert relevance_measure([("materi", 78.49, 52), ("relevansi", None, 0)]) == (
        "materi", 78.49, 52,
    )  # fmt: skip
    assert relevance_measure([("sarana", 82.69, 52)]) is None


def test_low_relevance_is_silent_for_good_scores_or_few_answers() -> None:
    assert ids(Evidence("x", relevance_index=85.0, relevance_n=20)) == []
    assert ids(Evidence("x", relevance_index=50.0, relevance_n=3)) == []


def test_workload_declines_fire_above_ten_percent() -> None:
    e = Evidence(
        "x", invited=40, declined=8, declines_by_reason={"beban_kerja": 5, "bentrok_tugas": 2}
    )
    hits = recommend(e)
    assert [h.rule_id for h in hits] == ["workload_declines"]
    assert "7 dari 40" in hits[0].text and "nonklasikal" in hits[0].text


def test_workload_declines_are_silent_when_rare() -> None:
    assert ids(Evidence("x", invited=100, declines_by_reason={"beban_kerja": 4})) == []
    assert ids(Evidence("x", invited=10, declines_by_reason={"pribadi": 5})) == []


def test_low_opd_participation_names_the_opd_and_owner() -> None:
    e = Evidence(
        "x",
        opd=(
            OpdParticipation(7, "Dinas Alfa", 10, 4, 5),
            OpdParticipation(8, "Dinas Beta", 10, 9, 0),
        ),
    )
    hits = recommend(e)
    assert [(h.rule_id, h.owner_unit_id) for h in hits] == [("low_opd_participation", 7)]
    assert "4 dari 10" in hits[0].text and "insentif" in hits[0].text


def test_low_opd_participation_ignores_small_opds() -> None:
    assert ids(Evidence("x", opd=(OpdParticipation(7, "Kecil", 4, 0, 4),))) == []


def test_missing_followups_fire_below_seventy_percent() -> None:
    hits = recommend(Evidence("x", followups_due=20, followups_answered=9))
    assert [h.rule_id for h in hits] == ["missing_followups"]
    assert "9 dari 20" in hits[0].text and "berkala" in hits[0].text
    assert ids(Evidence("x", followups_due=20, followups_answered=15)) == []
    assert ids(Evidence("x", followups_due=4, followups_answered=0)) == []


def test_small_skm_sample_fires_per_unit_below_krejcie_morgan() -> None:
    e = Evidence(
        "x",
        skm_samples=(
            SkmSample(1, 3, "MPP", 40, 80),
            SkmSample(2, 4, "Dukcapil", 90, 80),
            SkmSample(3, 5, "Tanpa populasi", 1, None),
        ),
    )
    hits = recommend(e)
    assert [(h.rule_id, h.subject) for h in hits] == [("small_skm_sample", "MPP")]
    assert "40 responden" in hits[0].text and "80" in hits[0].text


def test_low_trainer_fires_for_kurang_memuaskan() -> None:
    e = Evidence(
        "x",
        trainers=(
            TrainerScore(1, "Budi", 65.0, 12, "Kurang Memuaskan"),
            TrainerScore(2, "Sari", 88.0, 12, "Memuaskan"),
        ),
    )
    hits = recommend(e)
    assert [(h.rule_id, h.subject) for h in hits] == [("low_trainer", "Budi")]
    assert "coaching" in hits[0].text
    assert ids(Evidence("x", trainers=(TrainerScore(1, "Budi", 40.0, 2, "Tidak Memuaskan"),))) == []


def test_low_gain_fires_below_point_three() -> None:
    assert ids(Evidence("x", class_gain=0.21, gain_n=30)) == ["low_gain"]
    assert ids(Evidence("x", class_gain=0.45, gain_n=30)) == []
    assert ids(Evidence("x", class_gain=0.1, gain_n=2)) == []


def test_jp_compliance_fires_below_eighty_percent() -> None:
    hits = recommend(Evidence("x", jp_with_target=100, jp_met=61))
    assert [h.rule_id for h in hits] == ["jp_compliance"]
    assert "61 dari 100" in hits[0].text
    assert ids(Evidence("x", jp_with_target=100, jp_met=90)) == []


def test_complaint_sla_fires_below_eighty_percent() -> None:
    assert ids(Evidence("x", complaints_decided=50, complaints_met=30)) == ["complaint_sla"]
    assert ids(Evidence("x", complaints_decided=50, complaints_met=45)) == []
    assert ids(Evidence("x", complaints_decided=5, complaints_met=0)) == []


def test_recommendations_carry_the_numbers_that_triggered_them() -> None:
    hit = recommend(Evidence("x", followups_due=10, followups_answered=2))[0]
    assert hit.evidence == {"due": 10, "answered": 2, "rate": 0.2}

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompeten.standards.jp import (
    JP_CREDIT,
    JP_FORMS,
    JP_TARGETS,
    JP_UNIT,
    CreditRule,
    JpCreditTable,
    JpFormTable,
    JpTargetTable,
    JpUnitTable,
    classify,
    credit_jp,
    jp_for_display,
    jp_status,
    jp_to_minutes,
    minutes_to_jp,
)


def test_one_jp_is_45_minutes() -> None:
    assert JP_UNIT.minutes_per_jp == 45
    assert JP_UNIT.confidence == "MED"
    assert minutes_to_jp(45) == 1
    assert minutes_to_jp(90) == 2


def test_minutes_are_credited_unrounded() -> None:
    assert minutes_to_jp(100) == Fraction(20, 9)
    assert minutes_to_jp(15) == Fraction(1, 3)


def test_sixty_sessions_of_15_minutes_make_exactly_20_jp() -> None:
    # Summing rounded or float JP would fall short of 20 by a rounding error.
    total = sum((minutes_to_jp(15) for _ in range(60)), Fraction(0))
    assert total == 20
    assert jp_status(total, "PNS").met
    assert sum(1 / 3 for _ in range(60)) < 20  # the float trap the exact sum avoids


def test_display_rounds_half_up_only_for_display() -> None:
    assert jp_for_display(minutes_to_jp(100)) == Decimal("2.2")
    assert jp_for_display(Fraction(9, 4)) == Decimal("2.3")  # 2,25 → 2,3
    assert jp_for_display(Fraction(9, 4), places=2) == Decimal("2.25")


def test_jp_back_to_minutes() -> None:
    assert jp_to_minutes(Fraction(20, 9)) == 100


def test_a_different_jp_length_can_be_configured() -> None:
    sixty = JpUnitTable.from_dict({**JP_UNIT.to_dict(), "minutes_per_jp": 60})
    assert minutes_to_jp(90, sixty) == Fraction(3, 2)
    assert JpUnitTable.from_dict(JP_UNIT.to_dict()) == JP_UNIT


def test_negative_minutes_are_refused() -> None:
    with pytest.raises(ValueError):
        minutes_to_jp(-1)


def test_a_pns_needs_at_least_20_jp() -> None:
    # PP 11/2017 as amended by PP 17/2020, Pasal 203(4): at least 20 JP a year (HIGH).
    short = jp_status(Fraction(35, 2), "PNS")
    assert (short.target, short.deficit, short.met) == (20, Fraction(5, 2), False)
    assert short.confidence == "HIGH"
    done = jp_status(20, "PNS")
    assert (done.deficit, done.met) == (0, True)
    assert jp_status(31, "PNS").within_limit


def test_pppk_has_a_ceiling_of_24_jp_and_no_minimum() -> None:
    # DOMAIN.md: PPPK at most 24 JP a year (MED).
    status = jp_status(30, "PPPK")
    assert status.target is None
    assert status.met
    assert status.limit == 24
    assert status.excess == 6
    assert not status.within_limit
    assert status.confidence == "MED"
    assert jp_status(24, "PPPK").within_limit


def test_an_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError):
        jp_status(20, "honorer")


def test_targets_are_an_editable_table() -> None:
    data = json.loads(json.dumps(JP_TARGETS.to_dict()))
    assert JpTargetTable.from_dict(data) == JP_TARGETS
    data["targets"]["PPPK"]["minimum"] = "20"  # a Pemda applying 20 JP to PPPK as well
    table = JpTargetTable.from_dict(data)
    assert not jp_status(10, "PPPK", table).met
    assert jp_status(10, "PPPK", table).deficit == 10


@pytest.mark.parametrize(
    "kind", ["pelatihan", "seminar", "workshop", "kursus", "bimbingan_teknis", "sosialisasi"]
)
def test_classroom_forms_are_klasikal(kind: str) -> None:
    # Peraturan LAN 10/2018: klasikal forms.
    assert classify(kind) == "klasikal"


@pytest.mark.parametrize(
    "kind",
    [
        "coaching",
        "mentoring",
        "e_learning",
        "distance_learning",
        "detasering",
        "benchmarking",
        "magang",
        "belajar_mandiri",
        "komunitas_belajar",
    ],
)
def test_workplace_and_online_forms_are_nonklasikal(kind: str) -> None:
    assert classify(kind) == "nonklasikal"


def test_the_classification_is_configurable() -> None:
    edited = JP_FORMS.with_group("magang", "klasikal").with_group("sosialisasi", "nonklasikal")
    assert classify("magang", edited) == "klasikal"
    assert classify("sosialisasi", edited) == "nonklasikal"
    assert classify("magang") == "nonklasikal"  # the default is untouched
    assert JpFormTable.from_dict(json.loads(json.dumps(edited.to_dict()))) == edited


def test_an_unknown_form_is_refused() -> None:
    with pytest.raises(ValueError, match="tidak dikenal"):
        classify("tamasya")
    with pytest.raises(ValueError):
        JP_FORMS.with_group("tamasya", "klasikal")


def test_seminars_and_workshops_are_credited_per_day() -> None:
    # LOW: LAN's conversion guide (seminar 1 hari = 4 JP, workshop 1 hari = 5 JP, national).
    assert JP_CREDIT.confidence == "LOW"
    assert credit_jp("seminar", 2, "day") == 8
    assert credit_jp("workshop", Fraction(1, 2), "day") == Fraction(5, 2)


def test_a_form_with_a_rule_refuses_another_unit() -> None:
    with pytest.raises(ValueError, match="per hari, bukan per menit"):
        credit_jp("seminar", 240, "minute")


def test_a_form_without_a_rule_is_credited_by_the_clock() -> None:
    assert credit_jp("pelatihan", 900, "minute") == 20
    assert credit_jp("coaching", Fraction(3, 2), "hour") == 2
    with pytest.raises(ValueError, match="catat menitnya"):
        credit_jp("coaching", 3, "session")


def test_the_admin_can_add_a_per_session_rule() -> None:
    data = JP_CREDIT.to_dict()
    data["rules"].append({"kind": "coaching", "unit": "session", "jp_per_unit": "2"})
    table = JpCreditTable.from_dict(json.loads(json.dumps(data)))
    assert credit_jp("coaching", 3, "session", credit_table=table) == 6
    assert JpCreditTable.from_dict(JP_CREDIT.to_dict()) == JP_CREDIT


def test_a_credit_rule_needs_a_known_unit_and_positive_jp() -> None:
    with pytest.raises(ValueError):
        CreditRule("seminar", "week", Fraction(4))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        CreditRule("seminar", "day", Fraction(0))


@given(st.lists(st.integers(min_value=0, max_value=600), max_size=50))
def test_summing_jp_equals_converting_the_summed_minutes(minutes: list[int]) -> None:
    summed = sum((minutes_to_jp(m) for m in minutes), Fraction(0))
    assert summed == minutes_to_jp(sum(minutes))

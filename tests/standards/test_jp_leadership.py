"""Diklat kepemimpinan (PKN I/II, PKA, PKP) and diklat fungsional in the JP tables."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from kompeten.standards.jp import (
    JP_CREDIT,
    JP_FORMS,
    LEADERSHIP_POSTS,
    JpCreditTable,
    classify,
    credit_jp,
)

LEADERSHIP = ("pkn_1", "pkn_2", "pka", "pkp")


@pytest.mark.parametrize("kind", [*LEADERSHIP, "pelatihan_fungsional"])
def test_leadership_and_functional_training_are_klasikal_forms(kind) -> None:
    # Peraturan LAN 10/2018: pelatihan struktural kepemimpinan and pelatihan fungsional are
    # forms of klasikal development.
    assert classify(kind) == "klasikal"
    assert kind in JP_FORMS.forms


@pytest.mark.parametrize("kind", [*LEADERSHIP, "pelatihan_fungsional"])
def test_they_are_credited_with_the_jp_on_the_certificate(kind) -> None:
    rule = JP_CREDIT.rules[kind]
    assert rule.unit == "jp" and rule.jp_per_unit == 1
    assert rule.regulation and rule.confidence in ("MED", "LOW")
    assert credit_jp(kind, 761, "jp") == 761
    assert credit_jp(kind, Fraction(45, 2), "jp") == Fraction(45, 2)


def test_a_leadership_training_refuses_days_or_minutes() -> None:
    with pytest.raises(ValueError, match="per JP \\(sesuai sertifikat\\), bukan per hari"):
        credit_jp("pkp", 20, "day")
    with pytest.raises(ValueError, match="bukan per menit"):
        credit_jp("pka", 900, "minute")


def test_the_pkp_rule_cites_perlan_15_2019_and_the_unverified_ones_say_so() -> None:
    assert "Nomor 15 Tahun 2019" in JP_CREDIT.rules["pkp"].regulation
    assert JP_CREDIT.rules["pkp"].confidence == "MED"
    for kind in ("pkn_1", "pkn_2", "pka"):
        assert JP_CREDIT.rules[kind].confidence == "LOW"
        assert "not verified" in JP_CREDIT.rules[kind].regulation


def test_a_form_without_the_jp_unit_rule_cannot_use_it() -> None:
    with pytest.raises(ValueError, match="catat menitnya"):
        credit_jp("pelatihan", 20, "jp")


def test_each_leadership_training_prepares_for_one_level_of_post() -> None:
    assert LEADERSHIP_POSTS["pkp"] == ("pengawas",)
    assert LEADERSHIP_POSTS["pka"] == ("administrator",)
    assert LEADERSHIP_POSTS["pkn_2"] == ("jpt",) == LEADERSHIP_POSTS["pkn_1"]


def test_the_credit_table_round_trips_with_each_rules_citation() -> None:
    data = json.loads(json.dumps(JP_CREDIT.to_dict()))
    assert JpCreditTable.from_dict(data) == JP_CREDIT
    pkp = next(r for r in data["rules"] if r["kind"] == "pkp")
    assert pkp["unit"] == "jp" and pkp["confidence"] == "MED"
    data["rules"][-1]["confidence"] = "SURE"
    with pytest.raises(ValueError):
        JpCreditTable.from_dict(data)

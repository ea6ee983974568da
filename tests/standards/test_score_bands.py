from __future__ import annotations

import json

import pytest

from kompeten.standards._tables import BandTable
from kompeten.standards.score_bands import LAN_SCORE_BANDS, likert_index, score_band


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (100, "Sangat Memuaskan"),
        (90.01, "Sangat Memuaskan"),
        (90, "Memuaskan"),
        (80.01, "Memuaskan"),
        (80, "Cukup Memuaskan"),
        (70.01, "Cukup Memuaskan"),
        (70, "Kurang Memuaskan"),
        (60.01, "Kurang Memuaskan"),
        (60, "Tidak Memuaskan"),
        (0, "Tidak Memuaskan"),
    ],
)
def test_the_lan_bands(score: float, label: str) -> None:
    # LAN practice (DOMAIN.md, LOW): ≥ 90,01 Sangat Memuaskan; 80,01–90 Memuaskan;
    # 70,01–80 Cukup Memuaskan; 60,01–70 Kurang Memuaskan; ≤ 60 Tidak Memuaskan.
    assert score_band(score).label == label


def test_a_score_between_90_and_90_01_is_read_as_displayed() -> None:
    assert score_band(90.004).label == "Memuaskan"  # shown as 90,00
    assert score_band(90.005).label == "Sangat Memuaskan"  # shown as 90,01


def test_the_bands_are_low_confidence_and_editable() -> None:
    assert LAN_SCORE_BANDS.confidence == "LOW"
    data = json.loads(json.dumps(LAN_SCORE_BANDS.to_dict()))
    assert BandTable.from_dict(data) == LAN_SCORE_BANDS
    data["bands"][-1]["label"] = "Istimewa"
    assert score_band(95, BandTable.from_dict(data)).label == "Istimewa"


def test_scores_outside_0_to_100_are_refused() -> None:
    with pytest.raises(ValueError):
        score_band(100.01)
    with pytest.raises(ValueError):
        score_band(-1)


def test_likert_linear_maps_the_scale_onto_0_to_100() -> None:
    assert likert_index(1, 1, 5) == 0
    assert likert_index(5, 1, 5) == 100
    assert likert_index(4.5, 1, 5) == 87.5
    assert likert_index(3, 1, 4) == pytest.approx(200 / 3)


def test_likert_percent_of_max_is_the_ikm_convention() -> None:
    assert likert_index(4.5, 1, 5, "percent_of_max") == 90
    assert likert_index(1, 1, 4, "percent_of_max") == 25


def test_likert_refuses_a_mean_outside_the_scale() -> None:
    with pytest.raises(ValueError):
        likert_index(5.5, 1, 5)
    with pytest.raises(ValueError):
        likert_index(3, 5, 1)
    with pytest.raises(ValueError):
        likert_index(3, 1, 5, "z")  # type: ignore[arg-type]

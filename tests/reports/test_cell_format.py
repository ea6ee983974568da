"""Report cells round half up for display; Django's number_format alone cuts digits off."""

from __future__ import annotations

from django.utils import translation

from kompeten.reports.templatetags.reports_tags import cell, percent


def test_a_mean_is_rounded_not_cut() -> None:
    with translation.override("id"):
        # 3045/52 pairs: the expected L2 pre-test mean of the bkpsdm-2025 sample
        assert cell(3045 / 52) == "58,56"
        assert cell(940 / 52) == "18,08"
        assert cell(76.0) == "76,00"
        assert cell(1234.5) == "1.234,50"


def test_a_share_below_one_keeps_three_decimals_rounded() -> None:
    with translation.override("id"):
        assert cell(0.4355) == "0,436"
        assert cell(-0.0166) == "-0,017"


def test_a_percentage_is_rounded_to_one_decimal() -> None:
    with translation.override("id"):
        assert percent(37 / 48) == "77,1%"
        assert percent(None) == "–"

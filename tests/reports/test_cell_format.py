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


def test_a_value_that_is_not_zero_never_reads_as_zero() -> None:
    """A p-value of 2e-5 (a paired t-test on 52 pairs) would print "0,000"; 0.0005 and above
    round to "0,001" as before."""
    with translation.override("id"):
        assert cell(2e-05) == "< 0,001"
        assert cell(-0.0004) == "> -0,001"
        assert cell(0.0005) == "0,001"
        assert cell(0.0) == "0,00"
    with translation.override("en"):
        assert cell(1e-12) == "< 0.001"


def test_the_ikm_comparison_sentence_says_a_tiny_p_value_as_below_a_thousandth() -> None:
    from kompeten.reports import collect as c
    from kompeten.reports.assemble import Section, _ikm_compare_figure

    cmp = c.GroupCompare(
        "IKM", "terlatih", "pembanding", [90.0, 91.0], [70.0, 71.0], 2e-05, 20.0, (19.0, 21.0)
    )
    s = Section("hasil", "Hasil")
    with translation.override("id"):
        _ikm_compare_figure(s, cmp)
    assert s.paragraphs[-1].endswith("perbedaan ini bermakna secara statistik (p < 0,001).")

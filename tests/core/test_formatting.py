"""kompeten.core.formatting: one rounding rule (half up on the shortest decimal repr) and the
reader's separators, dates and months in both languages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import translation

from kompeten.core import formatting


def test_separators_and_grouping_follow_the_language() -> None:
    with translation.override("id"):
        assert formatting.number(1234567.891, 2) == "1.234.567,89"
        assert formatting.number(1234, 0) == "1.234"
        assert formatting.rupiah(1250000) == "Rp1.250.000"
    with translation.override("en"):
        assert formatting.number(1234567.891, 2) == "1,234,567.89"
        assert formatting.number(1234, 0) == "1,234"
        assert formatting.rupiah(1250000) == "Rp1,250,000"


def test_half_up_at_a_trailing_five() -> None:
    with translation.override("id"):
        # half to even on the binary float (round(), f"{x:.1f}") would give 12,2 and 0,12
        assert formatting.number(12.25, 1) == "12,3"
        assert formatting.number(0.125, 2) == "0,13"
        assert formatting.number(2.5, 0) == "3"
        # rounded, not cut off as Django's number_format alone does (58,55)
        assert formatting.number(3045 / 52, 2) == "58,56"
        assert formatting.number(Decimal("1.005"), 2) == "1,01"


def test_negative_numbers_round_half_away_from_zero() -> None:
    with translation.override("id"):
        assert formatting.number(-12.25, 1) == "-12,3"
        assert formatting.number(-1234.5, 1) == "-1.234,5"
        assert formatting.number(-0.0166, 3) == "-0,017"


def test_none_is_a_dash() -> None:
    assert formatting.number(None) == "–"
    assert formatting.percent(None) == "–"
    assert formatting.day(None) == "–"
    assert formatting.month(None) == "–"


def test_a_decimal_with_its_own_digits() -> None:
    with translation.override("id"):
        assert formatting.number(Decimal("12.50"), None) == "12,5"
        assert formatting.number(Decimal("40.0"), None) == "40"
    with translation.override("en"):
        assert formatting.number(Decimal("12.50"), None) == "12.5"


def test_percent_of_a_share() -> None:
    with translation.override("id"):
        assert formatting.percent(0.8123) == "81,2%"
        assert formatting.percent(37 / 48) == "77,1%"
        assert formatting.percent(0.12345, 2) == "12,35%"
        assert formatting.percent(1) == "100,0%"
    with translation.override("en"):
        assert formatting.percent(0.8123) == "81.2%"


def test_plain_figure_for_a_sentence() -> None:
    with translation.override("id"):
        assert formatting.plain(20.0) == "20"
        assert formatting.plain(0.3) == "0,30"
        assert formatting.plain(23.45) == "23,5"


def test_days_and_months_in_both_languages() -> None:
    with translation.override("id"):
        assert formatting.day(date(2026, 1, 5)) == "5 Januari 2026"
        assert formatting.month(date(2025, 6, 1)) == "Juni 2025"
        assert formatting.month(date(2026, 8, 17)) == "Agustus 2026"
    with translation.override("en"):
        assert formatting.day(date(2026, 1, 5)) == "5 January 2026"
        assert formatting.month(date(2025, 6, 1)) == "June 2025"


def test_short_month_names_follow_the_language() -> None:
    from kompeten.reports.dashboard import month_labels

    with translation.override("id"):
        assert month_labels()[4:8] == ["Mei", "Jun", "Jul", "Agu"]
        assert formatting.short_month(12) == "Des"
    with translation.override("en"):
        assert month_labels()[4:8] == ["May", "Jun", "Jul", "Aug"]
        assert formatting.short_month(10) == "Oct"


def test_short_dates_put_the_day_first_in_both_languages() -> None:
    from django.template import Context, Template

    template = Template("{{ d|date:'SHORT_DATE_FORMAT' }}")
    with translation.override("id"):
        assert template.render(Context({"d": date(2026, 12, 7)})) == "07-12-2026"
    with translation.override("en"):
        assert template.render(Context({"d": date(2026, 12, 7)})) == "7 Dec 2026"


def test_the_report_pdf_footer_follows_the_language() -> None:
    from django.template.loader import render_to_string

    report = {"title": "Laporan", "sections": []}
    with translation.override("en"):
        html = render_to_string("reports/report_print.html", {"report": report})
    assert 'content: "Page " counter(page) " of " counter(pages)' in html
    assert '<html lang="en">' in html
    with translation.override("id"):
        html = render_to_string("reports/report_print.html", {"report": report})
    assert 'content: "Halaman " counter(page) " dari " counter(pages)' in html

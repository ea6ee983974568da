"""The chart module: bands from the regulation's own table, numbers and months per language."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from django.utils import translation

from kompeten.core import charts, formatting
from kompeten.standards.ikm import IKM_2004_INTERVALS, IKM_2017_INTERVALS


def test_the_trend_background_follows_the_units_own_interval_table() -> None:
    # PermenPANRB 14/2017: B is 76,61–88,30; Kepmenpan 25/2004: B is 62,51–81,25
    assert charts.band_spans(IKM_2017_INTERVALS)[2][:2] == (76.61, 88.30)
    assert charts.band_spans(IKM_2004_INTERVALS)[2][:2] == (62.51, 81.25)
    assert [c for _lo, _hi, c in charts.band_spans(IKM_2004_INTERVALS)] == [
        charts.MUTU_COLOURS[code] for code in "DCBA"
    ]


def test_numbers_and_months_follow_the_language() -> None:
    with translation.override("id"):
        assert formatting.number(72.5, 2) == "72,50"
        assert charts.month_label(date(2026, 8, 1)) == "Agu 26"
    with translation.override("en"):
        assert formatting.number(72.5, 2) == "72.50"
        assert charts.month_label(date(2026, 8, 1)) == "Aug 26"


def test_a_trend_chart_is_an_svg_data_uri() -> None:
    uri = charts.trend_chart(
        [(date(2026, 1, 1), 80.0), (date(2026, 2, 1), None)], IKM_2017_INTERVALS
    )
    assert uri.startswith("data:image/svg+xml;base64,")


def test_no_module_draws_through_pyplot() -> None:
    # pyplot keeps a global registry of figures: not in web processes
    root = Path(charts.__file__).resolve().parents[1]
    users = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if re.search(
            r"import matplotlib\.pyplot|from matplotlib import pyplot", p.read_text("utf-8")
        )
    ]
    assert users == []


def test_category_names_wrap_on_words_so_units_that_begin_alike_are_told_apart() -> None:
    # two units of the sample: cut at 18 characters they read "DINAS KEPENDUDUKAN" and
    # "DINAS PENANAMAN MO"
    assert charts.category_label("DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL") == (
        "DINAS KEPENDUDUKAN\nDAN PENCATATAN\nSIPIL"
    )
    assert charts.category_label("DINAS PENANAMAN MODAL DAN PELAYANAN TERPADU SATU PINTU") == (
        "DINAS PENANAMAN\nMODAL DAN\nPELAYANAN TERPADU…"
    )
    assert charts.category_label("Rata-rata") == "Rata-rata"
    svg = charts.grouped(
        ["DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL", "Rata-rata"], {"Sebelum": [76.44, 50.0]}
    )
    assert "PENCATATAN" in svg and "SIPIL" in svg

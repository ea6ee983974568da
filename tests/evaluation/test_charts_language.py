"""The evaluation charts speak the reader's language: their axis titles and legends go through
gettext like the page around them (the SVG keeps its text as text, svg.fonttype = none)."""

import base64
from datetime import date
from types import SimpleNamespace

from django.utils import translation

from kompeten.evaluation import charts


def _svg(uri: str | None) -> str:
    assert uri is not None and uri.startswith("data:image/svg+xml;base64,")
    return base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")


def test_prepost_distribution_labels_follow_the_language():
    with translation.override("id"):
        indonesian = _svg(charts.prepost_distribution([40.0, 55.0], [70.0, 85.0]))
    with translation.override("en"):
        english = _svg(charts.prepost_distribution([40.0, 55.0], [70.0, 85.0]))
    assert "Peserta" in indonesian and "Peserta" not in english
    assert "Participants" in english


def test_behaviour_and_roi_charts_follow_the_language():
    rows = [SimpleNamespace(label="Pelayanan", mean_before=2.5, mean_after=3.5)]
    l5 = SimpleNamespace(
        benefits=[SimpleNamespace(name="Waktu layanan", isolated_value=5e6)],
        total_cost=3e6,
        total_benefit=5e6,
    )
    with translation.override("en"):
        behaviour = _svg(charts.behaviour_before_after(rows))
        roi = _svg(charts.roi_waterfall(l5))
    assert "Before" in behaviour and "After" in behaviour
    assert "Sebelum" not in behaviour
    assert "Costs" in roi and "Biaya" not in roi


def test_did_trends_names_both_lines_in_the_language():
    outcome = SimpleNamespace(
        months=[date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)],
        treated_series=[70.0, None, 80.0],
        comparison_series=[71.0, 72.0, 72.5],
        intervention=date(2026, 2, 1),
        label="IKM",
    )
    with translation.override("id"):
        indonesian = _svg(charts.did_trends(outcome))
    with translation.override("en"):
        english = _svg(charts.did_trends(outcome))
    assert "Unit dilatih" in indonesian and "Unit pembanding" in indonesian
    assert "Trained units" in english and "Comparison units" in english

"""IP ASN competency rules read in the reader's language on the employee page."""

from __future__ import annotations

from django.utils import translation

from kompeten.reports.ipasn import rule_label
from kompeten.standards.ip_asn import IP_ASN_2019


def test_in_indonesian_each_rule_reads_as_the_table_writes_it() -> None:
    with translation.override("id"):
        assert [rule_label(r) for r in IP_ASN_2019.kompetensi_rules] == [
            r.label for r in IP_ASN_2019.kompetensi_rules
        ]


def test_in_english_the_window_and_the_match_are_english() -> None:
    windowed = next(r for r in IP_ASN_2019.kompetensi_rules if r.window_years)
    with translation.override("en"):
        label = rule_label(windowed)
    assert "tahun terakhir" not in label
    assert f"in the last {windowed.window_years}" in label

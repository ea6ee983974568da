"""Hasil dan Dampak carries the engine's L3 SKP comparison and the L5 detail behind the ROI."""

from __future__ import annotations

from types import SimpleNamespace

from kompeten.evaluation.levels.results import BenefitLine, CostLine, SkpChange, SkpCount
from kompeten.reports.assemble import Section, _roi_detail, _skp_tables


def _skp(label: str, improved: int, pvalue: float | None) -> SkpChange:
    return SkpChange(
        key=label,
        label=label,
        n_people=12,
        n_pairs=10,
        before_years=(2025,),
        after_years=(2026,),
        counts=(
            SkpCount("baik", "Baik", 7, 3),
            SkpCount("sangat_baik", "Sangat Baik", 1, 6),
        ),
        improved=improved,
        unchanged=10 - improved,
        worse=0,
        wilcoxon=None if pvalue is None else SimpleNamespace(pvalue=pvalue),  # type: ignore[arg-type]
        sentence=f"{label}: {improved} dari 10 membaik.",
        n_not_due=2,
    )


def test_the_skp_tables_list_each_group_and_the_predikat_distribution() -> None:
    s = Section("hasil", "Hasil dan Dampak")
    l3 = SimpleNamespace(
        skp=_skp("Peserta", 6, 0.041),
        skp_comparison=_skp("Pembanding", 1, None),
        skp_groups=(),
        skp_sentence="Predikat SKP membaik pada 6 dari 10 peserta.",
    )
    _skp_tables(s, l3)
    assert s.paragraphs == ["Predikat SKP membaik pada 6 dari 10 peserta."]
    summary, spread = s.tables
    assert summary["slug"] == "skp"
    assert summary["rows"] == [
        ["Peserta", 12, 10, "2025", "2026", 6, 4, 0, 2, 0.041],
        ["Pembanding", 12, 10, "2025", "2026", 1, 9, 0, 2, None],
    ]
    assert spread["rows"][:2] == [["Peserta", "Baik", 7, 3], ["Peserta", "Sangat Baik", 1, 6]]


def test_without_skp_data_only_the_engine_sentence_is_shown() -> None:
    s = Section("hasil", "Hasil dan Dampak")
    _skp_tables(
        s, SimpleNamespace(skp=None, skp_comparison=None, skp_groups=(), skp_sentence="Belum ada.")
    )
    assert s.paragraphs == ["Belum ada."] and s.tables == []


def test_the_roi_detail_lists_costs_benefits_with_isolation_and_intangibles() -> None:
    s = Section("hasil", "Hasil dan Dampak")
    l5 = SimpleNamespace(
        costs=(CostLine("penyelenggaraan", "Konsumsi", 2_500_000.0),),
        benefits=(
            BenefitLine(
                benefit_id=1,
                name="Jam kerja hemat",
                annual_value=10_000_000.0,
                isolation="Estimasi peserta",
                share=0.36,
                isolated_value=3_600_000.0,
                note="",
                method="estimate",
                inputs="4 estimasi peserta",
                n_estimates=4,
            ),
        ),
        intangibles=("kepercayaan warga", "kerja tim"),
    )
    _roi_detail(s, l5)
    costs, benefits = s.tables
    assert costs["rows"] == [["penyelenggaraan", "Konsumsi", 2_500_000.0]]
    assert benefits["rows"] == [
        [
            "Jam kerja hemat",
            10_000_000.0,
            "Estimasi peserta",
            "4 estimasi peserta",
            4,
            0.36,
            3_600_000.0,
        ]
    ]
    assert s.paragraphs == [
        "Manfaat tak berwujud (tidak dirupiahkan): kepercayaan warga; kerja tim."
    ]

"""The report's impact figures are the calibrated estimator's: a programme report built from
monthly SKM answers and complaints in the database prints, for IKM and for complaints resolved
within the SLA, exactly what `kompeten impact --format json` prints for the same unit-months
exported to its CSV format (estimate, interval, p-value, method, design), names the design and
what it cannot show, and the conclusion, objectives and rules use the same figures."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from kompeten.learning.actions.objectives import ObjectiveInput
from kompeten.reports import collect as c
from kompeten.reports.assemble import assemble_programme
from kompeten.reports.impact import (
    Window,
    Windows,
    method_text,
    panel_months,
    programme_impact,
)
from kompeten.reports.impact_section import NO_COMPARISON
from kompeten.service.actions.complaints import ComplaintInput, do_bulk_add_complaints
from kompeten.service.actions.skm import (
    SkmRecord,
    do_bulk_add_skm_responses,
    do_create_service_unit,
)
from tests import factories
from tests.reports.builders import IMPACT_TODAY, held_june_2025, set_measured_objectives
from tests.service.helpers import SLUGS, ikm_by_hand

JKT = ZoneInfo("Asia/Jakarta")
TODAY = IMPACT_TODAY.date()
WINDOWS = Windows(
    Window(date(2025, 1, 1), date(2025, 6, 26)), Window(date(2025, 6, 27), date(2025, 12, 31)), True
)
KEYS = ("estimate", "ci_low", "ci_high", "pvalue", "method", "design")


def _programme(world: Any) -> Any:
    """A training held 24–26 June 2025 with staff of Bidang Layanan (in Dinas Alfa), its two
    objectives measured by the IKM change and the complaints resolved within the SLA."""
    programme = held_june_2025(world)
    set_measured_objectives(
        world,
        programme,
        [
            ObjectiveInput("IKM unit layanan meningkat", "ikm_change", "increase", "0"),
            ObjectiveInput("Pengaduan tepat waktu naik", "complaint_sla", "increase", "0"),
        ],
    )
    return programme


def _fill(
    world: Any, su: Any, rng: random.Random, lift: int, jitter: float = 0.08, answers: int = 6
) -> list[SkmRecord]:
    """12 months of SKM answers and complaints; from July, ``lift`` raises the scores' chance of
    a 4 and shortens the complaints of a trained unit."""
    records, complaints = [], []
    for month in range(1, 13):
        good = 0.35 + (0.1 * lift if month >= 7 else 0.0) + rng.uniform(-jitter, jitter)
        for k in range(rng.randrange(answers, answers + 5)):
            moment = datetime(2025, month, 1 + k % 28, 9 + k % 8, tzinfo=JKT)
            scores = {s: 4 if rng.random() < good else rng.choice([2, 3, 3]) for s in SLUGS}
            records.append(SkmRecord(submitted=moment, scores=scores))
        for k in range(rng.randrange(3, 7)):
            received = datetime(2025, month, 2 + k * 3, 10, tzinfo=JKT)
            days = rng.choice([2, 4, 6, 9, 15]) - (2 * lift if month >= 7 else 0)
            closed = received + timedelta(days=max(days, 1))
            complaints.append(
                ComplaintInput(
                    tracking_number=f"{su.code}-{month}-{k}",
                    unit_id=su.unit_id,
                    category="informasi",
                    received_at=received,
                    status="selesai",
                    first_response_at=closed,
                    closed_at=closed,
                )
            )
    do_bulk_add_skm_responses(su, records)
    do_bulk_add_complaints(world.instansi, complaints, source="uji")
    return records


@pytest.fixture
def city(world, frozen):  # type: ignore[no-untyped-def]
    """Two trained service units (Dinas Alfa and its Bidang Layanan), and with ``comparison``
    three units of other OPDs whose staff were not trained."""
    rng = random.Random(14)
    programme = _programme(world)
    trained = [
        do_create_service_unit(unit=world.alfa, code="alfa", name="Layanan Alfa"),
        do_create_service_unit(unit=world.layanan, code="loket", name="Loket Bidang"),
    ]
    records = {su.name: _fill(world, su, rng, lift=1) for su in trained}
    return programme, trained, records, rng


def _comparison(world: Any, rng: random.Random) -> None:
    for i, name in enumerate(("Gamma", "Delta", "Epsilon")):
        unit = factories.make_unit(world.instansi, f"Dinas {name}", parent=world.beta.parent)
        su = do_create_service_unit(unit=unit, code=f"c{i}", name=f"Layanan {name}")
        _fill(world, su, rng, lift=0)


def _cli(panel_csv: str, tmp_path: Path) -> dict[str, dict[str, Any]]:
    path = tmp_path / "panel.csv"
    path.write_text(panel_csv, encoding="utf-8")
    out = StringIO()
    call_command("impact", str(path), "--format", "json", stdout=out)
    return {row["dataset"]: row for row in json.loads(out.getvalue())}


def _report_rows(data: dict[str, Any]) -> dict[str, list[Any]]:
    tables = [t for s in data["sections"] for t in s["tables"] if t["slug"] == "dampak_estimasi"]
    assert len(tables) == 1
    labels = {"IKM": "ikm", "Pengaduan selesai dalam batas SLA": "pengaduan"}
    return {labels[r[0]]: r for r in tables[0]["rows"]}


def _paragraphs(data: dict[str, Any], key: str) -> list[str]:
    return next(s for s in data["sections"] if s["key"] == key)["paragraphs"]


@pytest.mark.parametrize("with_comparison", [False, True])
def test_the_report_prints_what_kompeten_impact_prints_for_the_same_unit_months(
    world,
    city,
    tmp_path,
    with_comparison,
    django_assert_max_num_queries,
) -> None:  # type: ignore[no-untyped-def]
    programme, _trained, records, rng = city
    if with_comparison:
        _comparison(world, rng)
    with django_assert_max_num_queries(14):
        impact = programme_impact(programme, WINDOWS, c.unit_tree(world.instansi.pk), TODAY)
    data = assemble_programme(programme, WINDOWS)

    # the panel holds each unit's monthly IKM over the whole months of each window: January–May
    # before (June holds the training) and July–December after, from the answers themselves
    before, after = panel_months(WINDOWS, TODAY)
    assert before == [date(2025, m, 1) for m in range(1, 6)]
    assert after == [date(2025, m, 1) for m in range(7, 13)]
    march = [r for r in records["Loket Bidang"] if r.submitted.month == 3]
    expected = ikm_by_hand(march).ikm_unit
    cell = next(
        r
        for r in impact.panel
        if (r.dataset, r.unit, r.month) == ("ikm", "Loket Bidang", date(2025, 3, 1))
    )
    assert cell.value == pytest.approx(expected, abs=1e-9)
    assert cell.treated_from == date(2025, 7, 1)
    assert not any(r.month == date(2025, 6, 1) for r in impact.panel)

    # the report's table is the command's output on the exported panel, figure for figure
    cli = _cli(impact.panel_csv(), tmp_path)
    rows = _report_rows(data)
    assert set(cli) == set(rows) == {"ikm", "pengaduan"}
    for key, row in rows.items():
        got = dict(zip(("estimate", "ci_low", "ci_high", "pvalue"), row[5:9], strict=True))
        want = cli[key]
        assert want["estimate"] is not None, want
        assert got == pytest.approx({k: want[k] for k in got}, rel=1e-12, abs=1e-12)
        # the method column reads the design and counts in the interface language (the
        # command's English method text stays in the JSON, as the command prints it)
        assert row[9] == method_text(want)
        # several months a side: each unit's change with its own variance
        assert ("Prais–Winsten" if want["design"] == "its" else "ragam tiap unit") in row[9]
        assert (row[2], row[3]) == (want["n_treated"], want["n_comparison"])
        assert impact.estimate(key).row == want  # type: ignore[union-attr]
    design = "did" if with_comparison else "its"
    assert {r["design"] for r in cli.values()} == {design}
    assert cli["ikm"]["n_treated"] == 2 and cli["ikm"]["n_comparison"] == (
        3 if design == "did" else 0
    )

    # the section names the design and its limits; the conclusion and the objectives use the
    # same estimate
    hasil = " ".join(_paragraphs(data, "hasil"))
    ikm = cli["ikm"]
    if with_comparison:
        assert NO_COMPARISON not in hasil
        assert "selisih-dalam-selisih: 2 unit terlatih dibanding 3 unit pembanding" in hasil
    else:
        assert hasil.count(NO_COMPARISON) == 1
    conclusion = " ".join(_paragraphs(data, "kesimpulan"))
    assert "IKM gabungan Layanan Alfa, Loket Bidang" in conclusion
    assert f"desain: {impact.estimate('ikm').design_short()}" in conclusion  # type: ignore[union-attr]
    objectives = {o["text"]: o for o in data["figures"]["objectives"]}
    for text, key in (
        ("IKM unit layanan meningkat", "ikm"),
        ("Pengaduan tepat waktu naik", "pengaduan"),
    ):
        o = objectives[text]
        assert (o["value"], o["ci_low"], o["ci_high"]) == pytest.approx(
            (cli[key]["estimate"], cli[key]["ci_low"], cli[key]["ci_high"])
        )
    assert ikm["estimate"] > 0


def test_a_significant_estimated_fall_fires_the_rule_with_the_design(world, frozen) -> None:  # type: ignore[no-untyped-def]
    """Trained units whose IKM falls after training (no comparison unit): the rule fires on the
    estimator's interval and names the design; the conclusion says the fall plainly."""
    rng = random.Random(5)
    programme = _programme(world)
    for code, name, unit in (
        ("alfa", "Layanan Alfa", world.alfa),
        ("loket", "Loket", world.layanan),
    ):
        su = do_create_service_unit(unit=unit, code=code, name=name)
        _fill(world, su, rng, lift=-3, jitter=0.0, answers=30)
    data = assemble_programme(programme, WINDOWS)
    rows = _report_rows(data)
    assert rows["ikm"][1] == "sebelum–sesudah (deret waktu)"
    assert rows["ikm"][7] < 0, rows  # the interval's upper end
    recs = [r for r in data["recommendations"] if r["rule_id"] == "ikm_drop"]
    assert len(recs) == 1
    assert "desain: sebelum–sesudah tanpa pembanding, jadi belum tentu karena" in recs[0]["text"]
    conclusion = " ".join(_paragraphs(data, "kesimpulan"))
    assert "IKM gabungan Layanan Alfa, Loket turun bermakna: estimasi dampak -" in conclusion

"""`kompeten report CODE --format json`: the report's figures as JSON. The public-service
before/after is checked against the independently computed figures of the bkpsdm-2025 sample
(tests/fixtures/bkpsdm-2025/expected.md), with the sample's SKM answers and complaints entered
through the service actions (the file imports are tested elsewhere)."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation
from python_calamine import CalamineWorkbook

from kompeten.evaluation.actions.responses import ResponseInput, do_submit_responses
from kompeten.evaluation.models import ItemKind
from kompeten.evaluation.queries import evaluate_programme
from kompeten.participation.actions.enrolment import do_accept, do_invite
from kompeten.service.actions.complaints import ComplaintInput, do_bulk_add_complaints
from kompeten.service.actions.skm import (
    SkmRecord,
    do_bulk_add_skm_responses,
    do_create_service_unit,
)
from kompeten.standards.ikm import SKM_2017
from tests import factories
from tests.evaluation import builders
from tests.participation.builders import at, make_batch, make_programme

JKT = ZoneInfo("Asia/Jakarta")
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "bkpsdm-2025"
# U1..U9 as both forms number them: Sarana U8, Penanganan Pengaduan U9
SLUGS = [
    "persyaratan",
    "sistem_mekanisme_prosedur",
    "waktu_penyelesaian",
    "biaya_tarif",
    "produk_spesifikasi_jenis_pelayanan",
    "kompetensi_pelaksana",
    "perilaku_pelaksana",
    "sarana_prasarana",
    "penanganan_pengaduan",
]
TODAY = datetime(2026, 3, 2, 10, tzinfo=JKT)


def google_forms_skm() -> list[SkmRecord]:
    with open(SAMPLES / "SKM Disdukcapil Kota Sawahlunto 2025 (Responses).csv", newline="") as fh:
        rows = list(csv.reader(fh))
    out = []
    for row in rows[1:]:
        moment = datetime.strptime(row[0].replace(" GMT+7", ""), "%Y/%m/%d %I:%M:%S %p")
        answers = row[6:15]
        scores = {
            slug: "abcd".index(a.strip()[0]) + 1
            for slug, a in zip(SLUGS, answers, strict=True)
            if a.strip()
        }
        out.append(SkmRecord(submitted=moment.replace(tzinfo=JKT), scores=scores))
    return out


def eskm() -> list[SkmRecord]:
    rows: list[list[Any]] = (
        CalamineWorkbook.from_path(SAMPLES / "Export_eSKM_DPMPTSP_2025.xlsx")
        .get_sheet_by_index(0)
        .to_python()
    )
    header = next(i for i, r in enumerate(rows) if r[:2] == ["No", "Tanggal Survei"])
    out = []
    for row in rows[header + 1 :]:
        if not isinstance(row[0], float):
            continue
        moment = datetime.strptime(row[1], "%d-%m-%Y %H:%M").replace(tzinfo=JKT)
        scores = {slug: int(v) for slug, v in zip(SLUGS, row[7:16], strict=True) if v != ""}
        out.append(SkmRecord(submitted=moment, scores=scores))
    return out


def lapor(units: dict[str, int], other: int) -> list[ComplaintInput]:
    rows: list[list[Any]] = (
        CalamineWorkbook.from_path(
            SAMPLES / "Export_Laporan_SP4N-LAPOR_Pemkot_Sawahlunto_2025.xlsx"
        )
        .get_sheet_by_index(0)
        .to_python()
    )
    status_of = {
        "Selesai": "selesai",
        "Proses": "ditindaklanjuti",
        "Belum Ditindaklanjuti": "diterima",
        "Diarsipkan": "diarsipkan",
    }
    out = []
    for row in rows[1:]:
        received = datetime.strptime(row[2], "%d/%m/%Y %H:%M").replace(tzinfo=JKT)
        finished = (
            datetime.strptime(row[10], "%d/%m/%Y %H:%M").replace(tzinfo=JKT) if row[10] else None
        )
        status = status_of[row[9]]
        if status == "diarsipkan" and finished is None:
            finished = received
        out.append(
            ComplaintInput(
                tracking_number=row[1],
                unit_id=next((pk for name, pk in units.items() if name in row[8]), other),
                category="informasi",
                received_at=received,
                status=status,
                closed_at=finished,
            )
        )
    return out


@pytest.fixture
def sample_city(world):  # type: ignore[no-untyped-def]
    """Disdukcapil and DPMPTSP with the sample's SKM answers and complaints, and the sample's
    training (24–26 June 2025) attended by staff of both."""
    with time_machine.travel(TODAY, tick=False):
        root = world.alfa.parent
        dukcapil = factories.make_unit(world.instansi, "Dinas Kependudukan", parent=root)
        dpmptsp = factories.make_unit(world.instansi, "Dinas Penanaman Modal", parent=root)
        seksi = factories.make_unit(world.instansi, "Seksi Perizinan", parent=dpmptsp)
        su_dukcapil = do_create_service_unit(unit=dukcapil, code="dukcapil", name="Disdukcapil")
        su_dpmptsp = do_create_service_unit(unit=dpmptsp, code="dpmptsp", name="DPMPTSP")
        do_bulk_add_skm_responses(su_dukcapil, google_forms_skm())
        do_bulk_add_skm_responses(su_dpmptsp, eskm())
        do_bulk_add_complaints(
            world.instansi,
            lapor({"Kependudukan": dukcapil.pk, "Penanaman Modal": dpmptsp.pk}, world.beta.pk),
            source="import",
        )
        programme = make_programme(world.instansi, "Pelayanan Prima dan Etika", code="PP-25")
        batch = make_batch(
            programme,
            [(date(2025, 6, d), 8, 16) for d in (24, 25, 26)],
            capacity=10,
        )
        early = at(date(2025, 6, 2), 9)
        for unit in (dukcapil, seksi):
            e = factories.make_employee(unit, f"Peserta {unit.name}")
            enrolment = do_invite(
                batch=batch,
                employee=e,
                actor=world.alice,
                notify=False,
                check_clash=False,
                now=early,
            )
            do_accept(enrolment=enrolment, actor=None, now=early)
        yield programme


def run_report(tmp_path: Path, *args: str) -> dict:  # type: ignore[type-arg]
    out = tmp_path / "laporan.json"
    with time_machine.travel(TODAY, tick=False):
        call_command("report", "PP-25", "--format", "json", "-o", str(out), *args)
    return json.loads(out.read_text())  # type: ignore[no-any-return]


EXPECTED_IKM = {  # expected.md: n, IKM (1/9), mutu
    ("Disdukcapil", "before"): (412, 76.44, "C", "Kurang Baik"),
    ("Disdukcapil", "after"): (398, 80.81, "B", "Baik"),
    ("DPMPTSP", "before"): (386, 78.74, "B", "Baik"),
    ("DPMPTSP", "after"): (421, 86.30, "B", "Baik"),
}
# in the regulation's order (U8 Penanganan Pengaduan, U9 Sarana), as expected.md lists them
EXPECTED_NRR_DISDUKCAPIL_BEFORE = [3.07, 2.92, 2.80, 3.95, 3.03, 2.98, 2.96, 2.86, 2.95]
EXPECTED_COMPLAINTS = {  # expected.md: received, Selesai, median working days
    ("DPMPTSP", "after"): (33, 33, 5),
    ("DPMPTSP", "before"): (41, 35, 9),
    ("Disdukcapil", "after"): (48, 47, 5),
    ("Disdukcapil", "before"): (62, 53, 7),
}


def test_the_json_figures_equal_the_samples_expected_before_and_after(
    sample_city, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    data = run_report(tmp_path)
    assert data["impact_windows"] == {
        "before": {"from": "2025-01-01", "to": "2025-06-26"},
        "after": {"from": "2025-06-27", "to": "2025-12-31"},
        "default": True,
    }
    units = {u["unit"]: u for u in data["impact"]}
    assert sorted(units) == ["DPMPTSP", "Disdukcapil"]
    assert data["impact_comparison"] == []
    for (name, window), (n, ikm, mutu, label) in EXPECTED_IKM.items():
        got = units[name]["ikm"][window]
        assert (got["n"], round(got["ikm"], 2), got["mutu"], got["mutu_label"]) == (
            n,
            ikm,
            mutu,
            label,
        ), (name, window)
    nrr = units["Disdukcapil"]["ikm"]["before"]["nrr"]
    assert [round(nrr[u.slug], 2) for u in SKM_2017.unsur] == EXPECTED_NRR_DISDUKCAPIL_BEFORE
    assert [u.slug for u in SKM_2017.unsur] == [
        *SLUGS[:7],
        "penanganan_pengaduan",
        "sarana_prasarana",
    ], "the regulation lists Pengaduan before Sarana; the forms number them the other way"
    for (name, window), (received, resolved, median) in EXPECTED_COMPLAINTS.items():
        got = units[name]["complaints"][window]
        assert (got["received"], got["resolved"], got["median_working_days"]) == (
            received,
            resolved,
            median,
        ), (name, window)
        assert got["km_median_working_days"] >= got["median_working_days"]
    # explicit windows equal to the defaults give the same figures
    again = run_report(
        tmp_path, "--before", "2025-01-01:2025-06-26", "--after", "2025-06-27:2025-12-31"
    )
    assert again["impact"] == data["impact"]
    assert again["participants"] == 2 and again["completed"] == 0


def test_the_windows_change_the_figures(sample_city, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = run_report(tmp_path, "--before", "2025-06-01:2025-06-26")
    units = {u["unit"]: u for u in data["impact"]}
    assert data["impact_windows"]["default"] is False
    assert units["Disdukcapil"]["ikm"]["before"]["n"] < 412
    assert units["Disdukcapil"]["ikm"]["after"]["n"] == 398


def test_a_bad_window_is_refused_in_indonesian_and_nothing_is_written(
    sample_city, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "laporan.json"
    with pytest.raises(CommandError, match="DARI:SAMPAI"):
        call_command("report", "PP-25", "--format", "json", "-o", str(out), "--before", "2025")
    with pytest.raises(CommandError, match="sebelum awalnya"):
        call_command(
            "report",
            "PP-25",
            "--format",
            "json",
            "-o",
            str(out),
            "--after",
            "2025-12-31:2025-07-01",
        )
    assert not out.exists()


def test_participants_l1_items_and_l2_pairs(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = builders.build(world, n=4)
    r = s.instruments["reaksi"]
    levels = [5, 4, 4, 3]
    do_submit_responses(
        r,
        entries=[
            ResponseInput(e.pk, e.pk, builders.likert_answers(r, v, [s.trainer.pk]))
            for e, v in zip(s.participants, levels, strict=True)
        ],
    )
    pre, post = s.instruments["pretest"], s.instruments["posttest"]
    do_submit_responses(
        pre,
        entries=[
            ResponseInput(e.pk, e.pk, builders.test_answers(pre, k))
            for e, k in zip(s.participants, [1, 2, 2, 3], strict=True)
        ],
    )
    do_submit_responses(
        post,
        entries=[
            ResponseInput(e.pk, e.pk, builders.test_answers(post, k))
            for e, k in zip(s.participants[:3], [3, 4, 3], strict=True)
        ],
    )
    out = tmp_path / "r.json"
    call_command("report", s.programme.code, "--format", "json", "-o", str(out))
    data = json.loads(out.read_text())
    assert data["programme"]["code"] == s.programme.code
    assert (data["participants"], data["completed"]) == (4, 0)
    likert = list(r.items.filter(kind=ItemKind.LIKERT).order_by("order"))
    assert data["l1"]["n"] == 4
    assert [i["text"] for i in data["l1"]["items"]] == [i.text for i in likert]
    assert [i["mean"] for i in data["l1"]["items"]] == pytest.approx(
        [np.mean(levels)] * len(likert)
    )
    assert {i["scale_max"] for i in data["l1"]["items"]} == {r.scale_max}
    ev = evaluate_programme(s.programme)
    assert data["l2"]["n_pairs"] == ev.l2.n_pairs
    assert data["l2"]["pre_mean"] == pytest.approx(ev.l2.mean_pre)
    assert data["l2"]["post_mean"] == pytest.approx(ev.l2.mean_post)
    assert [o["text"] for o in data["objectives"]] == [
        o for o in s.programme.objectives.splitlines() if o.strip()
    ]


def test_the_json_is_the_same_whatever_language_the_command_line_speaks(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The JSON is read by programs: an English command line writes the same bytes (its title
    included), while the PDF, HTML and XLSX follow the language."""
    s = builders.build(world, n=4)
    written = {}
    for language in ("id", "en"):
        out = tmp_path / f"{language}.json"
        with time_machine.travel(TODAY, tick=False), translation.override(language):
            call_command("report", s.programme.code, "--format", "json", "-o", str(out))
        written[language] = out.read_bytes()
    assert written["en"] == written["id"]
    assert json.loads(written["id"])["title"].startswith("Laporan Evaluasi ")

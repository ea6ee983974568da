"""The report's figures for the seven sample exports, as `expected.md` computes them independently
(not by Kompeten): one check for every way the files reach the report."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.samples import SampleFiles, import_the_seven_files

LIKERT_MEANS = (
    ("materi pelatihan sesuai", 4.13),
    ("materi pelatihan disusun", 4.08),
    ("metode pembelajaran", 4.13),
    ("waktu pelaksanaan", 4.21),
    ("sarana dan prasarana", 4.31),
    ("panitia penyelenggara", 4.12),
    ("saya dapat menerapkan", 4.25),
    ("secara keseluruhan", 4.10),
)


def first_report(tmp_path: Path, files: SampleFiles | None = None) -> dict:
    """The report JSON after the seven files went in from an empty install."""
    import_the_seven_files(tmp_path, files)
    out = tmp_path / "report.json"
    call_command(
        "report", "PP-2025", "--format", "json", "-o", str(out),
        "--before", "2025-01-01:2025-06-26", "--after", "2025-06-27:2025-12-31",
    )  # fmt: skip
    return json.loads(out.read_text())


def assert_the_expected_figures(report: dict, tmp_path: Path) -> None:
    """Every figure of expected.md, and the impact estimates as `kompeten impact` computes them."""
    # Attendance: 60 on the list, each enrolled (one NIP with a slip of the pen is matched by name)
    assert report["participants"] == 60

    # L2 (expected.md): pairs 52, means over the pairs
    assert report["l2"]["n_pairs"] == 52
    assert report["l2"]["pre_mean"] == pytest.approx(58.56, abs=0.005)
    assert report["l2"]["post_mean"] == pytest.approx(76.63, abs=0.005)

    # L1 (expected.md): 52 respondents, the eight Likert items' means on their own 1-5 scale, each
    # found by its statement's opening words (whatever the order or the case of the file's columns)
    assert report["l1"]["n"] == 52
    for opening, mean in LIKERT_MEANS:
        found = [
            item["mean"]
            for item in report["l1"]["items"]
            if " ".join(item["text"].split()).casefold().startswith(opening)
        ]
        assert found == [pytest.approx(mean, abs=0.005)], opening

    by_short = _units_by_short_name(report)
    _assert_ikm_and_complaints(by_short)
    assert "objectives" in report
    _assert_impact_estimates_match_the_cli(report, tmp_path)


def _units_by_short_name(report: dict) -> dict[str, dict]:
    """The report's two trained units keyed Disdukcapil and DPMPTSP, whatever their full names."""
    impact = {entry["unit"]: entry for entry in report["impact"]}
    assert len(impact) == 2, sorted(impact)
    by_short = {}
    for name, entry in impact.items():
        folded = name.casefold()
        key = "DPMPTSP" if "penanaman modal" in folded or "dpmptsp" in folded else "Disdukcapil"
        by_short[key] = entry
    assert set(by_short) == {"Disdukcapil", "DPMPTSP"}
    return by_short


def _assert_ikm_and_complaints(by_short: dict[str, dict]) -> None:
    # IKM (expected.md, PermenPANRB 14/2017 with weights 1/9)
    expected_ikm = {
        ("Disdukcapil", "before"): (412, 76.44, "C"),
        ("Disdukcapil", "after"): (398, 80.81, "B"),
        ("DPMPTSP", "before"): (386, 78.74, "B"),
        ("DPMPTSP", "after"): (421, 86.30, "B"),
    }
    for (unit, period), (n, ikm, mutu) in expected_ikm.items():
        got = by_short[unit]["ikm"][period]
        assert got["n"] == n, (unit, period)
        assert got["ikm"] == pytest.approx(ikm, abs=0.005), (unit, period)
        assert str(got["mutu"]).startswith(mutu), (unit, period)

    # Complaint handling (expected.md): received, resolved (Selesai), median working days
    expected_complaints = {
        ("DPMPTSP", "after"): (33, 33, 5),
        ("DPMPTSP", "before"): (41, 35, 9),
        ("Disdukcapil", "after"): (48, 47, 5),
        ("Disdukcapil", "before"): (62, 53, 7),
    }
    for (unit, period), (received, resolved, median) in expected_complaints.items():
        got = by_short[unit]["complaints"][period]
        assert (got["received"], got["resolved"]) == (received, resolved), (unit, period)
        assert got["median_working_days"] == median, (unit, period)


def _assert_impact_estimates_match_the_cli(report: dict, tmp_path: Path) -> None:
    # Impact (no comparison unit: the trained units' before/after time series). The report prints
    # for IKM and for complaints within the SLA exactly what `kompeten impact` prints for the
    # monthly panel it exports beside them; the panel's months are the whole months of each
    # window (January–May before, July–December after: June holds the training).
    estimates = {e["outcome"]: e for e in report["impact_estimates"]}
    assert set(estimates) == {"ikm", "pengaduan"}
    panel_csv = tmp_path / "panel.csv"
    with panel_csv.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["dataset", "unit", "month", "value", "treated_from"])
        writer.writerows(report["impact_panel"])
    out = StringIO()
    call_command("impact", str(panel_csv), "--format", "json", stdout=out)
    cli = {row["dataset"]: row for row in json.loads(out.getvalue())}
    for key, row in cli.items():
        assert {k: estimates[key][k] for k in row} == row, key
        assert row["design"] == "its" and row["n_treated"] == 2 and row["n_comparison"] == 0
        assert row["n_months"] == 11
        assert "sebelum–sesudah tanpa pembanding" in estimates[key]["design_text"]
    months = sorted({r[2] for r in report["impact_panel"]})
    assert months == [f"2025-{m:02d}" for m in (1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12)]
    assert {r[4] for r in report["impact_panel"]} == {"2025-07"}
    # beside the estimate, the pooled before/after a reader checks against expected.md:
    # IKM weighted by respondents, complaints within the SLA over both units' received ones
    ikm = estimates["ikm"]
    assert ikm["before"] == pytest.approx((412 * 76.44 + 386 * 78.74) / 798, abs=0.01)
    assert ikm["after"] == pytest.approx((398 * 80.81 + 421 * 86.30) / 819, abs=0.01)
    assert (ikm["n_before"], ikm["n_after"]) == (798, 819)
    assert (estimates["pengaduan"]["n_before"], estimates["pengaduan"]["n_after"]) == (103, 81)
    # the IKM rose in both units by 4 to 8 points: the estimate says so, within its interval
    assert ikm["ci_low"] < ikm["estimate"] < ikm["ci_high"]
    assert 2.0 < ikm["estimate"] < 10.0


def assert_one_reaction_index(report: dict) -> None:
    """The reaction index is one figure in the programme report, the cycle report and the
    leadership dashboard: the organiser sections as one scale; the cycle names what it does not
    count. On the sample the six items on
    the organiser (materi, metode, waktu, sarana, panitia) have expected.md's means 4.13, 4.08,
    4.13, 4.21, 4.31, 4.12, every one answered by the 52: (their mean − 1) / 4 × 100 = 79.08
    from the rounded means. Trainer, relevance and overall-satisfaction items are apart."""
    from kompeten.core.models import Instansi
    from kompeten.reports.assemble import assemble_cycle
    from kompeten.reports.dashboard import compute_dashboard

    organiser = [mean for _opening, mean in LIKERT_MEANS[:6]]
    index = report["l1"]["index"]
    assert index == pytest.approx((sum(organiser) / 6 - 1) / 4 * 100, abs=0.02)
    instansi = Instansi.objects.get()
    cycle = assemble_cycle(instansi.pk, "2025")
    [table] = [t for sec in cycle["sections"] for t in sec["tables"] if t["slug"] == "program"]
    assert table["headers"][-1] == "Indeks reaksi (penyelenggaraan)"
    assert [row[-1] for row in table["rows"]] == [pytest.approx(index, abs=0.005)]
    shown = f"{index:.2f}".replace(".", ",")
    text = " ".join(p for sec in cycle["sections"] for p in sec["paragraphs"])
    assert f"indeks reaksi atas penyelenggaraan {shown} dari 100 (1 program)" in text
    assert f"Reaksi peserta atas penyelenggaraan: indeks rata-rata {shown} dari 100." in text
    # one programme: its completion, not "tertinggi … terendah" naming it twice
    assert (
        "Tingkat penyelesaian program Pelatihan Pelayanan Prima dan Etika Kerja ASN: 73,3%." in text
    )
    assert "terendah" not in text
    # no SKP was imported: the IP ASN's kinerja is the table's "tanpa SKP" value, and it says so
    assert "291 dari 291 pegawai tidak punya SKP tahun 2025; dimensi kinerjanya" in text
    # the LAPOR! rows of DLH, PUPR and Dishub (not in the SIASN tree) wait: the cycle says so
    gaps = [g for sec in cycle["sections"] for g in sec["gaps"]]
    assert (
        "129 baris pengaduan dari berkas yang diimpor belum dihitung dalam laporan ini: unit "
        "kerjanya belum ada di pohon OPD (lihat Impor › Baris tertunda)."
    ) in gaps
    # the three facilitator items name no trainer: no trainer per name, and no false "no items"
    assert (
        "Penilaian pengajar per nama belum ada: tidak ada jawaban kuesioner reaksi yang "
        "menyebut nama pengajar modul. Butir tentang narasumber tanpa nama dinilai di laporan "
        "tiap program."
    ) in gaps
    numbers = compute_dashboard(instansi, 2025)["numbers"]
    assert numbers["reaction"] == pytest.approx(index, abs=1e-9)


def assert_cycles_compare_units_trained_before_them() -> None:
    """A cycle compares the units of OPDs trained before it began with those never trained:
    the training of 24-26 June makes Disdukcapil and DPMPTSP trained for 2025-S2 (their IKM
    after, expected.md: 80.81 and 86.30) and trained part-way through 2025-S1 and 2025, where
    they are in neither group and the sentence says so (before, the S1 report called them
    "unit terlatih" over months before their training)."""
    from kompeten.core.models import Instansi
    from kompeten.reports.assemble import assemble_cycle

    instansi = Instansi.objects.get()

    def service(code: str) -> tuple[dict[str, list], str]:
        hasil = next(
            s for s in assemble_cycle(instansi.pk, code)["sections"] if s["key"] == "hasil"
        )
        [table] = [t for t in hasil["tables"] if t["slug"] == "layanan_terlatih"]
        return {row[0]: row for row in table["rows"]}, " ".join(hasil["paragraphs"])

    rows, text = service("2025-S2")
    assert rows["IKM"][1] == 2 and rows["IKM"][2] == pytest.approx((80.81 + 86.30) / 2, abs=0.01)
    assert "sudah menyelesaikan pelatihan sebelum periode ini dimulai" in text
    assert "dilatih di tengah periode ini" not in text
    for code in ("2025-S1", "2025"):
        rows, text = service(code)
        assert rows["IKM"][1] == 0 and rows["Median hari kerja penyelesaian pengaduan"][1] == 0
        assert "OPD yang pegawainya dilatih di tengah periode ini tidak dimasukkan" in text
        assert "bukan estimasi dampak pelatihan" in text

"""`kompeten impact FILE --format json`: one estimate per dataset, bad rows named in Indonesian."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from kompeten.stats import impact_panel

HEADER = "dataset,unit,month,value,treated_from\n"


def _run(tmp_path: Path, text: str, *extra: str) -> str:
    path = tmp_path / "panels.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("impact", str(path), *extra, stdout=out)
    return out.getvalue()


def _panel_csv(name: str, units: int, trained: int, seed: int) -> tuple[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = 80 + rng.normal(0, 1, (units, 12)) + rng.normal(0, 2, (units, 1))
    lines = []
    for u in range(units):
        for m in range(12):
            tf = "2025-07" if u < trained else ""
            lines.append(f"{name},Unit {u},2025-{m + 1:02d},{float(y[u, m])!r},{tf}\n")
    return "".join(lines), y


def test_it_prints_one_object_per_dataset_as_the_estimator_gives(tmp_path: Path) -> None:
    a, ya = _panel_csv("kota-a", 6, 2, 1)
    b, yb = _panel_csv("kota-b", 1, 1, 2)
    rows = json.loads(_run(tmp_path, HEADER + a + b, "--format", "json"))
    assert [r["dataset"] for r in rows] == ["kota-a", "kota-b"]
    assert [r["design"] for r in rows] == ["did", "its"]
    assert set(rows[0]) >= {
        "dataset",
        "estimate",
        "ci_low",
        "ci_high",
        "pvalue",
        "method",
        "design",
    }
    for row, y, trained in ((rows[0], ya, 2), (rows[1], yb, 1)):
        units = y.shape[0]
        ref = impact_panel(
            np.repeat(np.arange(units), 12),
            np.tile(np.arange(12), units),
            y.ravel(),
            [6 if u < trained else None for u in np.repeat(np.arange(units), 12)],
        )
        assert (row["estimate"], row["ci_low"], row["ci_high"], row["pvalue"]) == pytest.approx(
            (ref.estimate, ref.ci_low, ref.ci_high, ref.pvalue), rel=1e-12
        )
        assert row["method"] == ref.method


def test_a_dataset_without_an_estimate_says_why_in_indonesian(tmp_path: Path) -> None:
    text = HEADER + "x,u1,2025-01,3,\nx,u1,2025-02,4,\n"
    rows = json.loads(_run(tmp_path, text))
    assert rows[0]["estimate"] is None and rows[0]["design"] == "none"
    assert rows[0]["note"] == "tidak ada unit yang dilatih (treated_from kosong semua)"


def test_semicolons_and_decimal_commas_are_read(tmp_path: Path) -> None:
    a, _y = _panel_csv("k", 4, 1, 3)
    text = (HEADER + a).replace(",", ";").replace(".", ",")
    rows = json.loads(_run(tmp_path, text))
    plain = json.loads(_run(tmp_path, HEADER + a))
    assert rows[0]["design"] == "did"
    assert rows[0]["estimate"] == pytest.approx(plain[0]["estimate"], rel=1e-12)
    csv_out = _run(tmp_path, HEADER + a, "--format", "csv")
    assert csv_out.splitlines()[0].startswith("dataset,design,estimate,ci_low,ci_high,pvalue")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("a,u1,2025-13,3,\n", "Baris 2, kolom month: '2025-13' bukan bulan berbentuk YYYY-MM."),
        ("a,u1,2025-01,tinggi,\n", "Baris 2, kolom value: 'tinggi' bukan angka."),
        ("a,u1,2025-01,3,Juli\n", "Baris 2, kolom treated_from: 'Juli' bukan bulan"),
        ("a,,2025-01,3,\n", "Baris 2, kolom unit: kosong."),
        ("a,u1,2025-01,3,\na,u1,2025-01,4,\n", "Baris 3, kolom month: unit dan bulan ini sudah"),
        (
            "a,u1,2025-01,3,2025-03\na,u1,2025-02,4,2025-04\n",
            "Baris 3, kolom treated_from: berbeda dari baris 2",
        ),
        ("a,u1,2025-01\n", "Baris 2: hanya 3 kolom, diperlukan 5."),
    ],
)
def test_bad_rows_are_named_and_the_command_fails(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(".", r"\.")):
        _run(tmp_path, HEADER + body)


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Baris 1: kolom treated_from tidak ada"):
        _run(tmp_path, "dataset,unit,month,value\na,u1,2025-01,3\n")


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        call_command("impact", str(tmp_path / "nope.csv"), stdout=StringIO())

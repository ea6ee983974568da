"""`kompeten ikm FILE`: the same engine from a responses file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kompeten.standards.ikm import SKM_2004, SKM_2017


def _write(tmp_path: Path, header: list[str], rows: list[list[object]]) -> str:
    path = tmp_path / "jawaban.csv"
    path.write_text(
        "\n".join([",".join(header)] + [",".join(map(str, r)) for r in rows]), encoding="utf-8"
    )
    return str(path)


def _run(*args: str) -> str:
    import io

    out = io.StringIO()
    call_command("ikm", *args, stdout=out)
    return out.getvalue()


NAMES = [u.name.replace(",", "") for u in SKM_2017.unsur][::-1]  # reversed order, no commas


def test_the_json_shape_and_the_worked_example(tmp_path: Path) -> None:
    path = _write(tmp_path, ["Unit", *NAMES], [["A", *[4] * 9], ["B", *[4] * 9], ["B", *[3] * 9]])
    data = json.loads(_run(path, "--by", "Unit", "--format", "json"))
    assert [set(g) for g in data] == [
        {"Unit", "n", "nrr", "ikm", "ikm_unit", "mutu", "kinerja"}
    ] * 2
    a, b = data
    assert a["Unit"] == "A" and a["n"] == 1 and a["ikm"] == 4.0 and a["ikm_unit"] == 100.0
    assert a["mutu"] == "A" and a["kinerja"] == "Sangat Baik"
    assert set(a["nrr"]) == {u.name for u in SKM_2017.unsur}
    assert b["n"] == 2 and b["ikm_unit"] == 87.5 and b["mutu"] == "B"
    printed = json.loads(_run(path, "--by", "Unit", "--weight", "0.111", "--format", "json"))
    assert printed[0]["ikm_unit"] == pytest.approx(99.9)


def test_table_and_csv_formats(tmp_path: Path) -> None:
    path = _write(tmp_path, NAMES, [[4] * 9])
    assert "100,00" in _run(path)
    assert _run(path, "--format", "csv").splitlines()[0].startswith("n,NRR ")


def test_the_2004_regulation_uses_its_table(tmp_path: Path) -> None:
    names = [u.name for u in SKM_2004.unsur]
    path = _write(tmp_path, names, [[3] * 13 + [4], [3] * 14])
    data = json.loads(_run(path, "--regulation", "2004", "--format", "json"))
    assert data[0]["ikm_unit"] == pytest.approx(25 * (3 + 0.5 / 14))
    assert data[0]["mutu"] == "B" and len(data[0]["nrr"]) == 14


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        (NAMES, [4] * 8 + [5], "di luar 1–4"),
        ([*NAMES[:-1], "Keramahan Satpam"], [4] * 9, "bukan unsur"),
        (NAMES[:-1], [4] * 8, "Kolom unsur tidak ada"),
    ],
)
def test_bad_files_fail_with_a_clear_message(tmp_path: Path, header, row, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _run(_write(tmp_path, header, [row]))


def test_the_table_rounds_half_up_like_every_other_figure(tmp_path: Path) -> None:
    # one respondent answers 4 to every unsur and seven answer 3: IKM 225/72 = 3,125 exactly,
    # 78,125 on the 25-100 scale. Python's "%.2f" would print 78,12 (half to even); the report,
    # the pages and this table all print 78,13 (core.formatting, half up).
    path = _write(tmp_path, NAMES, [[4] * 9] + [[3] * 9] * 7)
    data = json.loads(_run(path, "--format", "json"))
    assert data[0]["ikm_unit"] == 78.125
    table = _run(path).splitlines()[1].split("\t")
    assert table[1:3] == ["3,1250", "78,13"]

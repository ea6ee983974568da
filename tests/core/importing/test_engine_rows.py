"""The engine's row handling on a small declaration: summary rows, every refused or blank cell
a problem on its own row (repeated values are parsed once per column, never shared when
mutable), and a row's cells read like a dict."""

from __future__ import annotations

from typing import Any

import pytest

from kompeten.core import importing as imp
from kompeten.core.importing import engine
from kompeten.core.importing.declare import Cells
from kompeten.core.importing.reader import RawTable

CALLS: list[str] = []


def _code(value: Any, ctx: Any) -> str:
    CALLS.append(value)
    if value == "X":
        raise imp.FieldError("Kode X tidak dikenal.", accepted=("A", "B"))
    return value.lower()


class Sample(imp.Declaration):
    key = "test-engine-rows"
    label = "Uji"
    fields = (
        imp.Field("name", "Nama", ("NAMA",), required=True),
        imp.Field("code", "Kode", ("KODE",), parse=_code),
        imp.Field("tags", "Label", ("LABEL",), parse=lambda value, ctx: value.split("/")),
    )

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        return {}


def _plan(world, rows: list[list[Any]]) -> engine.Plan:
    CALLS.clear()
    table = RawTable(rows=[["NAMA", "KODE", "LABEL"], *rows], sheet="", sheet_names=[])
    return engine.plan(Sample(), b"", "uji.xlsx", instansi=world.instansi, user=None, table=table)


def test_summary_rows_are_skipped_by_their_leading_words(world) -> None:
    plan = _plan(
        world,
        [
            ["Andi", "A", None],
            ["Jumlahan Nama", "B", None],
            ["JUMLAH", None, 2],
            ["Rata-rata", "A", None],
            ["Total pegawai: 2", "B", None],
            ["Rata2", None, 3],
        ],
    )
    assert [r.number for r in plan.rows] == [2, 3]
    assert [n for n, _why in plan.skipped_rows] == [4, 5, 6, 7]


def test_an_eskm_footer_and_a_score_lists_extremes_are_summaries_not_data(world) -> None:
    """e-SKM writes NRR, weighted NRR and IKM rows right under its table; score lists their
    highest and lowest marks: none is a respondent or a participant."""
    plan = _plan(
        world,
        [
            ["Andi", "A", None],
            ["NRR/Unsur", "3.16", "3.2"],
            ["NRR Tertimbang/Unsur", "0.35", None],
            ["IKM Unit Pelayanan", "86.30", None],
            ["Mutu Pelayanan", "B", None],
            ["NILAI TERTINGGI", "A", None],
            ["Nilai terendah", "B", None],
            ["Ikmal Hakim", "B", None],
            ["Nrrita", "A", None],
        ],
    )
    assert [r.number for r in plan.rows] == [2, 9, 10]
    assert [n for n, _why in plan.skipped_rows] == [3, 4, 5, 6, 7, 8]


def test_a_recaps_statistics_under_its_table_are_summaries_not_data(world) -> None:
    """What a hand-made recap adds under its answers or scores (a mode, a weighted score, a
    standard deviation, the mean of an unsur written in a later column): none is a row of
    data, and none refuses the file; a person named so is still one."""
    plan = _plan(
        world,
        [
            ["Andi", "A", None],
            ["Modus", "3", "4"],
            ["Skor Tertimbang", "0.35", None],
            [None, "Nilai Rata2", "3.26"],
            [None, None, "Nilai Rata-rata Unsur"],
            ["Standar Deviasi", "0.5", None],
            ["Std. Dev.", "0.5", None],
            ["Median", "3", None],
            ["Nilai Maksimum", "4", None],
            ["Modesta", "B", None],
            ["Maksum Hadi", "A", None],
        ],
    )
    assert [r.number for r in plan.rows] == [2, 11, 12]
    assert [n for n, _why in plan.skipped_rows] == [3, 4, 5, 6, 7, 8, 9, 10]


def test_a_repeated_refused_value_is_a_problem_on_every_row_and_parsed_once(world) -> None:
    plan = _plan(world, [["Andi", "X", None], ["Budi", "A", None], ["Cici", "X", None]])
    assert [(p.row, p.column, p.value, p.accepted) for p in plan.problems] == [
        (2, "KODE", "X", ("A", "B")),
        (4, "KODE", "X", ("A", "B")),
    ]
    assert [r.values["code"] for r in plan.rows] == [None, "a", None]
    assert CALLS == ["X", "A"]


def test_blank_required_cells_are_problems_and_blank_optional_ones_none(world) -> None:
    plan = _plan(world, [["   ", "A", None], [None, "  ", "x"], ["Cici", None, "p"]])
    assert [(p.row, p.field, p.message) for p in plan.problems] == [
        (2, "name", "Wajib diisi."),
        (3, "name", "Wajib diisi."),
    ]
    assert plan.rows[1].values == {"name": None, "code": None, "tags": ["x"]}
    assert plan.rows[2].values == {"name": "Cici", "code": None, "tags": ["p"]}
    assert plan.rows[2].columns == {"name": "NAMA", "code": "KODE", "tags": "LABEL"}


def test_a_mutable_parsed_value_is_never_shared_between_rows(world) -> None:
    plan = _plan(world, [["Andi", "A", "p/q"], ["Budi", "A", "p/q"]])
    first, second = (r.values["tags"] for r in plan.rows)
    assert first == second == ["p", "q"]
    first.append("r")
    assert second == ["p", "q"]


def test_a_rows_cells_read_like_a_dict() -> None:
    cells = Cells({"NIP": 0, "Nama": 1}, ["1980", None])
    as_dict = {"NIP": "1980", "Nama": None}
    assert (
        cells == as_dict
        and dict(cells) == as_dict
        and list(cells.items())
        == [
            ("NIP", "1980"),
            ("Nama", None),
        ]
    )
    assert cells["NIP"] == "1980" and cells.get("Unit", "-") == "-" and "Nama" in cells
    assert len(cells) == 2 and repr(cells) == repr(as_dict)
    with pytest.raises(KeyError):
        cells["Unit"]


def test_a_header_written_letter_by_letter_is_read_as_its_word(world) -> None:
    """Official tables space short headers out ("N A M A", "K.O.D.E"): each is its word, and
    a header of words or a one-letter header is left as it is."""
    table = RawTable(
        rows=[
            ["DAFTAR PESERTA"],
            ["N A M A", "K.O.D.E.", "L"],
            ["Andi", "A", "x"],
        ],
        sheet="",
        sheet_names=[],
    )
    plan = engine.plan(Sample(), b"", "uji.xlsx", instansi=world.instansi, user=None, table=table)
    assert plan.headers == ["NAMA", "KODE", "L"]
    assert plan.mapping == {"NAMA": "name", "KODE": "code", "L": ""}
    assert plan.rows[0].values["name"] == "Andi" and plan.rows[0].values["code"] == "a"
    assert engine._unspaced("Jenis Kelamin") == "Jenis Kelamin"
    assert engine._unspaced("No.") == "No."
    # only headers: a cell's value is said as written in problems and the problem list
    assert engine._cell_text("L  P") == "L P" and engine._header_text("L  P") == "LP"


def test_a_cell_merged_down_over_data_rows_is_every_rows_value(world) -> None:
    """An OPD's name merged down its employees: each row has it, as the sheet shows it; a
    merge from the header gives nothing, and the note names the columns filled."""
    CALLS.clear()
    rows = [
        ["NAMA", "KODE", "LABEL"],
        ["Andi", "A", None],
        [None, "B", "x"],
        [None, "B", None],
        ["Budi", None, "y"],
    ]
    table = RawTable(
        rows=rows,
        sheet="",
        sheet_names=[],
        merged_down=[(0, 2, 1), (1, 0, 3), (1, 1, 2)],
    )
    plan = engine.plan(Sample(), b"", "uji.xlsx", instansi=world.instansi, user=None, table=table)
    assert [(r.values["name"], r.values["code"]) for r in plan.rows] == [
        ("Andi", "a"),
        ("Andi", "b"),  # its own B kept, not the A above
        ("Andi", "b"),
        ("Budi", None),
    ]
    assert [r.values["tags"] for r in plan.rows][:2] == [None, ["x"]]  # LABEL's header merge
    assert (
        "Sel yang digabung ke bawah dibaca sebagai nilai setiap baris yang digabungnya: kolom NAMA."
    ) in plan.ctx.notes
    assert table.rows[2] == [None, "B", "x"]  # the rows read are left as read

"""The competency dictionary and required levels per jabatan (edit, import on the engine, export)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from kompeten.core import importing as imp
from kompeten.learning.actions import competencies as actions
from kompeten.learning.models import Competency, RequiredLevel
from tests.conftest import World
from tests.learning.conftest import make_competencies
from tests.workbooks import xlsx_rows


def xlsx(rows: list[list[object]]) -> bytes:
    return xlsx_rows([actions.REQUIRED_LEVEL_HEADER, *rows])


def test_a_competency_code_is_unique_per_instansi(world: World) -> None:
    make_competencies(world)
    with pytest.raises(ValidationError, match="sudah dipakai"):
        actions.do_create_competency(
            instansi=world.instansi, code="INT", name="Lagi", group="manajerial"
        )
    with pytest.raises(ValidationError, match="Level harus"):
        actions.do_create_competency(
            instansi=world.instansi,
            code="X",
            name="X",
            group="teknis",
            levels=[actions.LevelInput(level=6)],
        )
    assert not Competency.objects.filter(code="X").exists()


def plan(world: World, data: bytes, name: str = "standar.xlsx") -> imp.Plan:
    return imp.plan(
        "required_levels", data, name, instansi=world.instansi, user=world.alice, options={}
    )


def test_required_levels_import_lists_every_problem_and_is_all_or_nothing(world: World) -> None:
    make_competencies(world)
    before = RequiredLevel.objects.count()
    bad = xlsx(
        [
            ["pelaksana", "Operator", "INT", 3],
            ["kepala", "", "PP", 2],
            ["pengawas", "", "INT", 7],
            ["Pelaksana", "Operator", "INT", 4],
            ["pengawas", "", "NOPE", 2],
        ]
    )
    the_plan = plan(world, bad)
    problems = {(p.row, p.field) for p in the_plan.problems}
    # every problem of the file in one pass: row as Excel shows it, the field
    assert problems == {(3, "jabatan_kind"), (4, "level"), (5, "competency")}
    kind_problem = next(p for p in the_plan.problems if p.row == 3)
    assert "pelaksana / Pelaksana" in kind_problem.accepted
    pending = [(r.number, r.pending_reason) for r in the_plan.pending_rows if not r.problems]
    assert pending == [(6, "competency_unknown")]
    with pytest.raises(imp.PlanNotClean):
        imp.commit(the_plan)
    assert RequiredLevel.objects.count() == before


def test_required_levels_import_writes_and_updates(world: World) -> None:
    make_competencies(world)
    good = xlsx([["Pelaksana", "Operator", "INT", 3], ["Jabatan Pengawas", "", "pp", "Level 5"]])
    outcome = imp.commit(plan(world, good))
    assert outcome.imported == 2
    assert RequiredLevel.objects.get(jabatan_name="Operator").level == 3
    assert RequiredLevel.objects.get(jabatan_kind="pengawas", competency__code="PP").level == 5


@pytest.mark.parametrize(
    ("written", "level"),
    [("III", 3), ("Level IV", 4), ("level v", 5), ("3 (Tiga)", 3), ("2.0", 2), ("Level 1", 1)],
)
def test_a_level_as_a_standar_kompetensi_jabatan_writes_it(
    world: World, written: str, level: int
) -> None:
    make_competencies(world)
    the_plan = plan(world, xlsx([["Pelaksana", "Operator", "INT", written]]))
    assert the_plan.is_clean, the_plan.problems
    assert the_plan.rows[0].values["level"] == level


def test_a_jpt_spelled_out_is_read(world: World) -> None:
    make_competencies(world)
    the_plan = plan(world, xlsx([["Jabatan Pimpinan Tinggi Pratama", "", "INT", 4]]))
    assert the_plan.is_clean and the_plan.rows[0].values["jabatan_kind"] == "jpt"


def test_a_level_past_five_is_refused_as_written(world: World) -> None:
    make_competencies(world)
    the_plan = plan(world, xlsx([["Pelaksana", "Operator", "INT", "Level VI"]]))
    assert [p.message for p in the_plan.problems] == [
        "Level harus bilangan bulat 1–5, bukan 'Level VI'."
    ]


def test_a_row_for_a_competency_not_yet_in_the_dictionary_waits_for_it(world: World) -> None:
    make_competencies(world)
    data = xlsx([["pelaksana", "", "INT", 4], ["pelaksana", "Analis", "ETIKA", 3]])
    outcome = imp.commit(plan(world, data), partial=True)
    assert (outcome.imported, outcome.pending) == (1, 1)
    assert not RequiredLevel.objects.filter(jabatan_name="Analis").exists()
    actions.do_create_competency(
        instansi=world.instansi, code="ETIKA", name="Etika Publik", group="sosial_kultural"
    )
    assert imp.retry_pending(world.instansi, world.alice, key="required_levels") == 1
    assert RequiredLevel.objects.get(jabatan_name="Analis").level == 3


def test_an_unreadable_file_is_refused_clearly(world: World) -> None:
    with pytest.raises(imp.ReadError):
        plan(world, b"bukan xlsx sama sekali \x00\x01", "standar.xlsx")


def test_the_old_page_and_command_lead_to_the_engine(world: World, client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    make_competencies(world)
    client.force_login(world.alice)
    response = client.get(reverse("learning:required_levels_import"))
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:upload", args=["required_levels"])
    path = tmp_path / "standar.xlsx"
    path.write_bytes(xlsx([["pelaksana", "Operator", "INT", 4], ["pengawas", "", "NOPE", 9]]))
    with pytest.raises(CommandError) as refused:
        call_command("import_required_levels", world.instansi.code, str(path))
    assert "Baris 3, kolom Level" in str(refused.value) and "bukan '9'" in str(refused.value)
    assert not RequiredLevel.objects.filter(jabatan_name="Operator").exists()
    path.write_bytes(xlsx([["pelaksana", "Operator", "INT", 4]]))
    out = io.StringIO()
    call_command("import_required_levels", str(path), instansi=world.instansi.code, stdout=out)
    assert "1 baris diimpor" in out.getvalue()
    assert RequiredLevel.objects.get(jabatan_name="Operator").level == 4


def test_the_export_round_trips_through_the_import(world: World, client) -> None:  # type: ignore[no-untyped-def]
    make_competencies(world)
    client.force_login(world.alice)
    exported = client.get(reverse("learning:required_levels_export")).content
    the_plan = plan(world, exported)
    assert the_plan.is_clean and len(the_plan.rows) == RequiredLevel.objects.count()
    outcome = imp.commit(the_plan)
    assert outcome.written == {"level baru": 0, "level diubah": 0}


def test_the_pages_use_constant_queries_and_only_the_admin_edits(
    world: World,
    client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    integ, _pp, _adu = make_competencies(world)
    client.force_login(world.dave)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("learning:required_levels")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("learning:competency_list")).status_code == 200
    url = reverse("learning:competency_detail", args=[integ.pk])
    assert client.post(url, {"level": 2, "description": "x"}).status_code == 403
    assert client.post(reverse("learning:required_levels"), {}).status_code == 403
    assert client.get(reverse("learning:required_levels_import")).status_code == 403
    assert client.get(reverse("imports:upload", args=["required_levels"])).status_code == 403
    client.force_login(world.alice)
    response = client.post(url, {"level": 2, "description": "Mandiri", "indicators": "A\nB"})
    assert response.status_code == 302
    assert integ.levels.get(level=2).indicator_list == ["A", "B"]
    client.force_login(world.mallory)
    assert client.get(url).status_code == 404

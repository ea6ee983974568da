"""The competency dictionary and required levels per jabatan (edit, XLSX import/export)."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompeten.learning.actions import competencies as actions
from kompeten.learning.models import Competency, RequiredLevel
from tests.conftest import World
from tests.learning.conftest import make_competencies


def xlsx(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([actions.REQUIRED_LEVEL_HEADER, *rows]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


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


def test_required_levels_import_is_all_or_nothing(world: World, client) -> None:  # type: ignore[no-untyped-def]
    make_competencies(world)
    before = RequiredLevel.objects.count()
    client.force_login(world.alice)
    url = reverse("learning:required_levels_import")
    bad = xlsx(
        [["pelaksana", "Operator", "INT", 3], ["kepala", "", "PP", 2], ["pengawas", "", "NOPE", 7]]
    )
    response = client.post(url, {"file": io.BytesIO(bad)})
    body = response.content.decode()
    assert "Baris 3, kolom Jenis jabatan" in body and "Baris 4, kolom Kode kompetensi" in body
    assert RequiredLevel.objects.count() == before
    good = xlsx([["Pelaksana", "Operator", "INT", 3], ["pengawas", "", "PP", 5]])
    assert client.post(url, {"file": io.BytesIO(good)}).status_code == 302
    assert RequiredLevel.objects.get(jabatan_name="Operator").level == 3
    assert RequiredLevel.objects.get(jabatan_kind="pengawas", competency__code="PP").level == 5


def test_an_unreadable_file_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="XLSX"):
        actions.read_xlsx_rows(b"bukan xlsx")


def test_the_export_round_trips_through_the_import(world: World, client) -> None:  # type: ignore[no-untyped-def]
    make_competencies(world)
    client.force_login(world.alice)
    exported = client.get(reverse("learning:required_levels_export")).content
    rows = actions.read_xlsx_rows(exported)
    assert len(rows) == RequiredLevel.objects.count()
    assert actions.do_import_required_levels(instansi=world.instansi, rows=rows) == len(rows)


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
    client.force_login(world.alice)
    response = client.post(url, {"level": 2, "description": "Mandiri", "indicators": "A\nB"})
    assert response.status_code == 302
    assert integ.levels.get(level=2).indicator_list == ["A", "B"]
    client.force_login(world.mallory)
    assert client.get(url).status_code == 404

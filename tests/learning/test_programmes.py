"""Programmes: modules and JP, scenarios and rubrics, costs, status, catalogue and dossier."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from kompeten.learning.actions import programmes as actions
from kompeten.learning.models import (
    CostCategory,
    LearningType,
    Module,
    Programme,
    ProgrammeStatus,
    Rubric,
    RubricCriterion,
)
from kompeten.standards.jp import JP_FORMS
from tests.conftest import World

MODULES = [
    actions.ModuleInput(title="Standar pelayanan", kind="teori", jp="4"),
    actions.ModuleInput(title="Praktik pengaduan", kind="praktik", jp="3,5"),
    actions.ModuleInput(title="Simulasi warga marah", kind="simulasi", jp="4.5"),
]
CRITERIA = [
    actions.CriterionInput(
        name="Empati", weight="40", levels=[(1, "Kurang", "Memotong"), (4, "Baik", "Mendengar")]
    ),
    actions.CriterionInput(
        name="Solusi",
        weight="60",
        levels=[(1, "Kurang", "Tanpa solusi"), (4, "Baik", "Sesuai SOP")],
    ),
]

_counter = iter(range(1, 10_000))


def make_programme(
    world: World,
    *,
    competencies: list = (),  # type: ignore[assignment,type-arg]
    status: str = "draft",
    total_jp: str = "12",
    modules: list[actions.ModuleInput] = MODULES,
) -> Programme:
    programme = actions.do_create_programme(
        instansi=world.instansi,
        data=actions.ProgrammeInput(
            code=f"P-{next(_counter)}",
            title="Pelayanan Prima dan Penanganan Pengaduan",
            learning_type=LearningType.PELATIHAN,
            total_jp=total_jp,
            objectives="Peserta mencapai level 3 pelayanan publik.",
        ),
        modules=modules,
        competencies=competencies,
        actor=world.alice,
    )
    sim = programme.modules.get(kind="simulasi")
    scenario = actions.do_set_scenario(
        sim,
        title="KTP-el tertunda tiga minggu",
        situation="Warga marah datang ke loket.",
        roles=[actions.RoleInput("Petugas", "Meredakan"), actions.RoleInput("Warga", "Marah")],
    )
    actions.do_set_rubric(scenario, name="Rubrik", criteria=CRITERIA)
    if status != "draft":
        actions.do_set_programme_status(programme, status=status)
    return programme


def test_learning_types_are_the_standard_jp_forms() -> None:
    assert set(LearningType.values) == set(JP_FORMS.forms)


def test_a_programme_with_modules_and_a_scored_simulation(world: World) -> None:
    programme = make_programme(world)
    assert programme.total_jp == Decimal("12")
    assert list(programme.modules.values_list("kind", flat=True)) == [
        "teori",
        "praktik",
        "simulasi",
    ]
    rubric = Rubric.objects.get(scenario__module__programme=programme)
    assert [c.weight for c in rubric.criteria.all()] == [Decimal("40"), Decimal("60")]
    assert actions.readiness_problems(programme) == []


def test_it_refuses_modules_whose_jp_do_not_add_up_and_writes_nothing(world: World) -> None:
    with pytest.raises(
        ValidationError, match=r"Jumlah JP modul \(12\) tidak sama dengan total JP program \(10\)"
    ):
        make_programme(world, total_jp="10")
    assert not Programme.objects.exists() and not Module.objects.exists()


def test_adding_a_module_may_not_exceed_the_total(world: World) -> None:
    programme = make_programme(world)
    with pytest.raises(ValidationError, match="melebihi total JP"):
        actions.do_add_module(
            programme, data=actions.ModuleInput(title="Ekstra", kind="teori", jp="1")
        )
    assert programme.modules.count() == 3


@pytest.mark.parametrize("weights", [("40", "50"), ("50", "60"), ("100", "0")])
def test_it_refuses_a_rubric_whose_weights_do_not_sum_to_100(
    world: World, weights: tuple[str, str]
) -> None:
    programme = make_programme(world)
    scenario = programme.modules.get(kind="simulasi").scenario
    before = list(RubricCriterion.objects.values_list("pk", flat=True))
    criteria = [
        actions.CriterionInput(name=c.name, weight=w, levels=c.levels)
        for c, w in zip(CRITERIA, weights, strict=True)
    ]
    with pytest.raises(ValidationError, match="bobot"):
        actions.do_set_rubric(scenario, name="Baru", criteria=criteria)
    assert list(RubricCriterion.objects.values_list("pk", flat=True)) == before


def test_a_scenario_belongs_only_to_a_simulation_module(world: World) -> None:
    programme = make_programme(world)
    with pytest.raises(ValidationError, match="simulasi"):
        actions.do_set_scenario(
            programme.modules.get(kind="teori"),
            title="x",
            situation="y",
            roles=[actions.RoleInput("a", ""), actions.RoleInput("b", "")],
        )


def test_a_programme_cannot_become_final_before_it_is_ready(world: World) -> None:
    programme = actions.do_create_programme(
        instansi=world.instansi,
        data=actions.ProgrammeInput(code="X", title="X", learning_type="pelatihan", total_jp="8"),
        modules=[actions.ModuleInput(title="Simulasi", kind="simulasi", jp="8")],
    )
    with pytest.raises(ValidationError) as caught:
        actions.do_set_programme_status(programme, status=ProgrammeStatus.FINAL)
    assert any("skenario" in m for m in caught.value.messages)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.DRAFT


def test_cost_items_are_kept_in_rupiah(world: World) -> None:
    programme = make_programme(world)
    actions.do_add_cost_item(programme, category=CostCategory.VENUE, amount="3500000")
    with pytest.raises(ValidationError):
        actions.do_add_cost_item(programme, category=CostCategory.VENUE, amount="-1")
    with pytest.raises(ValidationError):
        actions.do_add_cost_item(programme, category="sewa", amount="1")
    assert programme.cost_items.get().amount == Decimal("3500000")


def test_the_catalogue_filters_and_uses_constant_queries(
    world: World,
    client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    make_programme(world, status="final")
    client.force_login(world.dave)
    url = reverse("cycle_program")
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    for _ in range(6):
        make_programme(world, status="final")
    make_programme(world)  # a draft: not in a pegawai's catalogue
    with django_assert_max_num_queries(10):
        response = client.get(url, {"module_kind": "simulasi"})
    assert response.content.decode().count("Pelayanan Prima") == 7
    assert (
        client.get(url, {"learning_type": "coaching"}).content.decode().count("Pelayanan Prima")
        == 0
    )


def test_the_catalogue_export_holds_the_filtered_programmes(world: World, client) -> None:  # type: ignore[no-untyped-def]
    make_programme(world, status="final")
    client.force_login(world.alice)
    response = client.get(reverse("learning:catalogue_export"), {"status": "final"})
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert len(rows) == 2
    assert rows[1][1] == "Pelayanan Prima dan Penanganan Pengaduan"
    assert rows[1][6:9] == [4.0, 3.5, 4.5]


def test_the_dossier_shows_modules_rubric_and_costs_with_constant_queries(
    world: World,
    client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    programme = make_programme(world, status="final")
    actions.do_add_cost_item(programme, category=CostCategory.TRAINER, amount="900000")
    client.force_login(world.alice)
    url = reverse("learning:programme_detail", args=[programme.pk])
    with django_assert_max_num_queries(30):
        response = client.get(url)
    body = response.content.decode()
    assert "KTP-el tertunda tiga minggu" in body and "Empati" in body and "900.000" in body


def test_a_pegawai_cannot_see_a_draft_nor_edit(world: World, client) -> None:  # type: ignore[no-untyped-def]
    draft = make_programme(world)
    client.force_login(world.dave)
    assert client.get(reverse("learning:programme_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("learning:programme_create")).status_code == 403
    client.force_login(world.mallory)
    assert client.get(reverse("learning:programme_detail", args=[draft.pk])).status_code == 404


def test_the_admin_creates_a_programme_and_adds_a_module_through_the_pages(
    world: World, client
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world.alice)
    response = client.post(
        reverse("learning:programme_create"),
        {
            "code": "ETK",
            "title": "Etika dan Integritas ASN",
            "learning_type": "pelatihan",
            "total_jp": "8",
        },
    )
    programme = Programme.objects.get(code="ETK")
    assert response.status_code == 302
    client.post(
        reverse("learning:module_add", args=[programme.pk]),
        {"title": "Kode etik", "kind": "teori", "jp": "9"},
    )
    assert not programme.modules.exists()
    client.post(
        reverse("learning:module_add", args=[programme.pk]),
        {"title": "Kode etik", "kind": "teori", "jp": "8"},
    )
    assert programme.modules.get().jp == Decimal("8")


def test_the_rubric_page_parses_criteria_and_refuses_bad_weights(world: World, client) -> None:  # type: ignore[no-untyped-def]
    programme = make_programme(world)
    sim = programme.modules.get(kind="simulasi")
    client.force_login(world.alice)
    url = reverse("learning:rubric_edit", args=[sim.pk])
    text = "# Empati | 30\n1 | Kurang | Memotong\n4 | Baik | Mendengar\n# Solusi | 60\n1 | K | x\n4 | B | y"
    response = client.post(url, {"name": "R", "criteria": text})
    assert response.status_code == 200 and "harus 100 %" in response.content.decode()
    response = client.post(url, {"name": "R", "criteria": text.replace("30", "40")})
    assert response.status_code == 302
    assert Rubric.objects.get(scenario__module=sim).name == "R"


def test_publishing_asks_only_that_the_jp_add_up_in_either_language(world: World) -> None:
    """Published: the modules' JP make the total (objectives and scenarios may follow before
    final); the refusal reads in the reader's language."""
    from django.utils import translation

    programme = actions.do_create_programme(
        instansi=world.instansi,
        data=actions.ProgrammeInput(code="PUB", title="P", learning_type="pelatihan", total_jp="8"),
        modules=[actions.ModuleInput(title="Simulasi", kind="simulasi", jp="8")],
    )
    Programme.objects.filter(pk=programme.pk).update(total_jp=Decimal("10"))
    programme.refresh_from_db()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        actions.do_set_programme_status(programme, status=ProgrammeStatus.PUBLISHED)
    assert caught.value.messages == [
        "The modules' JP (8) do not add up to the programme's total JP (10)."
    ]
    Programme.objects.filter(pk=programme.pk).update(total_jp=Decimal("8"))
    programme.refresh_from_db()
    actions.do_set_programme_status(programme, status=ProgrammeStatus.PUBLISHED)
    assert programme.status == ProgrammeStatus.PUBLISHED  # no scenario, no objective yet

"""One authorization rule per object: for every role, the page and the API agree on the same
objects (an employee, a unit, the IKM of a service unit, an L3 rating, a test score, a
programme's evaluation). A role that the page refuses gets nothing from the API, and back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kompeten.evaluation.actions.responses import ResponseInput, do_submit_responses
from kompeten.evaluation.models import FollowUp, Response
from kompeten.service.actions import do_rebuild_rollups, do_submit_skm_response
from tests.evaluation import builders
from tests.service.helpers import all_scores, make_service_unit


@dataclass(frozen=True)
class Pair:
    """How the page and the API each say "allowed" for one object."""

    name: str
    page: Callable[[Client], bool]
    api: Callable[[Client], bool]


def _ok(response: Any) -> bool:
    return response.status_code == 200


@pytest.fixture
def objects(world):
    s = builders.build(world, n=2)
    # dave's atasan carol rates him before training (L3), dave takes the pre-test (L2).
    before = FollowUp.objects.get(
        subject=world.dave_emp, rater_role="atasan", instrument__phase="sebelum"
    )
    do_submit_responses(
        before.instrument,
        entries=[
            ResponseInput(
                world.dave_emp.pk,
                world.carol_emp.pk,
                builders.likert_answers(before.instrument, 3),
            )
        ],
    )
    pre = s.instruments["pretest"]
    do_submit_responses(
        pre,
        entries=[
            ResponseInput(world.dave_emp.pk, world.dave_emp.pk, builders.test_answers(pre, 5))
        ],
    )
    # a service unit in dave's own unit, with an answer in March 2026
    su = make_service_unit(world.layanan, code="loket-layanan")
    from datetime import datetime
    from zoneinfo import ZoneInfo

    do_submit_skm_response(
        service_unit=su,
        scores=all_scores(4),
        submitted=datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Jakarta")),
    )
    do_rebuild_rollups()
    rating = Response.objects.get(subject=world.dave_emp, rater_role="atasan")
    score = Response.objects.get(subject=world.dave_emp, kind="pretest")
    return s, su, rating, score


def _pairs(world, s, su, rating, score) -> list[Pair]:
    def in_landing(c: Client, pk: int) -> bool:
        r = c.get(reverse("cycle_evaluasi"))
        return r.status_code == 200 and pk in {x.pk for x in r.context["scores"]}

    def api_ikm_has(c: Client) -> bool:
        r = c.get("/api/ikm", {"year": 2026, "service_unit": su.pk})
        return r.status_code == 200 and [i["service_unit_id"] for i in r.json()["items"]] == [su.pk]

    programme_page = reverse("evaluation:programme", args=[s.programme.pk])
    pairs = [
        Pair(
            "IKM of a service unit",
            lambda c: _ok(c.get(reverse("service:ikm_unit", args=[su.pk]))),
            api_ikm_has,
        ),
        Pair(
            "an L3 rating by the atasan",
            lambda c: _ok(c.get(programme_page)),
            lambda c: _ok(c.get(f"/api/responses/{rating.pk}")),
        ),
        Pair(
            "a pre-test score",
            lambda c: _ok(c.get(programme_page)) or in_landing(c, score.pk),
            lambda c: _ok(c.get(f"/api/responses/{score.pk}")),
        ),
        Pair(
            "a programme's evaluation",
            lambda c: _ok(c.get(programme_page)),
            lambda c: _ok(c.get(f"/api/evaluations/{s.programme.pk}")),
        ),
    ]
    for emp in (world.dave_emp, world.carol_emp, world.erin_emp):
        pairs.append(
            Pair(
                f"employee {emp.name}",
                lambda c, e=emp: _ok(c.get(reverse("people:employee_detail", args=[e.pk]))),
                lambda c, e=emp: _ok(c.get(f"/api/employees/{e.pk}")),
            )
        )
    for unit in (world.layanan, world.beta):
        pairs.append(
            Pair(
                f"unit {unit.name}",
                lambda c, u=unit: _ok(c.get(reverse("people:unit_detail", args=[u.pk]))),
                lambda c, u=unit: _ok(c.get(f"/api/units/{u.pk}")),
            )
        )
    return pairs


def test_pages_and_api_agree_for_every_role_on_the_same_objects(world, objects):
    s, su, rating, score = objects
    users = {
        "admin": world.alice,
        "pengelola": world.bob,
        "fasilitator": s.trainer_user,
        "pimpinan": world.pia,
        "atasan": world.carol,
        "pegawai": world.dave,
        "pegawai of another unit": world.erin,
        "admin of another instansi": world.mallory,
    }
    disagreements = []
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        for pair in _pairs(world, s, su, rating, score):
            page, api = pair.page(client), pair.api(client)
            if page != api:
                disagreements.append(f"{role} / {pair.name}: page {page}, API {api}")
    assert not disagreements, "Page and API disagree:\n" + "\n".join(disagreements)


def test_the_comparison_sees_both_sides_allowed_somewhere(world, objects):
    """Guard: each object is readable by the admin on both sides (the test could not pass by
    refusing everything)."""
    s, su, rating, score = objects
    client = Client()
    client.force_login(world.alice)
    for pair in _pairs(world, s, su, rating, score):
        assert pair.page(client) and pair.api(client), pair.name

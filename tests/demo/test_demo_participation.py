"""The participation demo step enrols nobody twice in the same programme.

Builds the real demo up to the participation step (organisation, people, accounts, needs and
programmes, then duty calendars, the manual half-year, the planner's half-year, attendance and
JP), through the same actions users call.
"""

from __future__ import annotations

import io

import pytest
from django.db.models import Count

from kompeten.demo import build
from kompeten.participation.models import Enrolment, EnrolmentSource, EnrolmentStatus


@pytest.fixture
def demo(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    steps = [step for step in build.STEPS if step[1].__name__ in _UP_TO_PARTICIPATION]
    assert len(steps) == len(_UP_TO_PARTICIPATION)
    monkeypatch.setattr(build, "STEPS", steps)
    out = io.StringIO()
    ctx = build.build_demo(out)
    return ctx, out.getvalue()


_UP_TO_PARTICIPATION = {"step_accounts", "step_learning", "step_participation"}


@pytest.mark.django_db(transaction=False)
def test_nobody_is_enrolled_twice_in_one_programme(demo) -> None:
    ctx, output = demo
    enrolments = Enrolment.objects.filter(instansi=ctx.instansi)
    assert enrolments.filter(source=EnrolmentSource.PLAN).exists()
    assert enrolments.filter(source=EnrolmentSource.MANUAL).exists()
    twice = (
        enrolments.exclude(status=EnrolmentStatus.CANCELLED)
        .values("employee_id", "batch__programme_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert list(twice) == []
    live = (
        enrolments.filter(status__in=[EnrolmentStatus.INVITED, EnrolmentStatus.ACCEPTED])
        .values("employee_id", "batch__programme_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert list(live) == []
    assert "undangan dari perencana" in output
    # the per-step timing line is printed after each step
    assert output.count("CPU") == 1 + len(build.STEPS)
    assert [t.name for t in ctx.timings][1:] == [name for name, _step in build.STEPS]


@pytest.mark.django_db(transaction=False)
def test_every_demo_objective_is_judged_by_its_own_indicator(demo) -> None:
    from kompeten.learning.models import Programme, ProgrammeObjective

    ctx, _output = demo
    programmes = list(Programme.objects.filter(instansi=ctx.instansi))
    assert programmes
    for programme in programmes:
        measured = {
            o.text: o.indicator
            for o in ProgrammeObjective.objects.filter(programme=programme).exclude(indicator="")
        }
        assert set(measured) == set(programme.objective_list), programme.code
    indicators = set(ProgrammeObjective.objects.values_list("indicator", flat=True))
    # supervisor-rated competency levels, the simulation rubric's levels ("≥ 3,0 pada rubrik
    # (skala 1–4)") and the test gain; a competency named after complaint handling is still
    # rated by the supervisor
    assert indicators == {"behaviour", "simulation_level", "gain"}, indicators

"""The planner from the database: build, solve, apply as invitations, re-plan, self-pick."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kompeten.learning.actions.batches import SessionInput, do_add_sessions
from kompeten.participation.models import Enrolment, EnrolmentStatus
from kompeten.scheduling.actions.duties import DutyInput, do_create_duty
from kompeten.scheduling.actions.planning import (
    batch_alternatives,
    do_apply_plan,
    do_pick_batch,
    do_start_plan_run,
)
from kompeten.scheduling.actions.rules import RuleInput, do_create_staffing_rule
from kompeten.scheduling.instance import build_instance
from kompeten.scheduling.models import PlanRun, PlanStatus
from kompeten.scheduling.planner import check_plan, load_instance, plan_from_json
from tests.participation.builders import at, make_batch
from tests.scheduling.conftest import TUESDAY


def _run(world, counter, **kwargs):
    return do_start_plan_run(
        instansi_id=world.instansi.pk,
        batch_ids=[counter.morning.pk, counter.afternoon.pk],
        actor=world.alice,
        time_limit=5,
        **kwargs,
    )


def test_the_instance_expands_the_rule_only_where_sessions_overlap_and_includes_leave(
    world, counter
):
    do_create_duty(
        employee=counter.staff[0],
        data=DutyInput(kind="cuti", start=at(TUESDAY, 0), end=at(TUESDAY + timedelta(days=1), 0)),
        actor=world.bob,
    )
    built = build_instance(
        instansi_id=world.instansi.pk, batches=[counter.morning, counter.afternoon], year=2030
    )
    data = built.data
    assert [w["start"] for w in data["staffing"]] == ["2030-03-12T08:00"]
    assert data["staffing"][0]["unit"] == "LOKET" and data["staffing"][0]["min_present"] == 3
    by_nip = {e["nip"]: e for e in data["employees"]}
    # the whole day's leave, kept because it overlaps the day's sessions
    assert by_nip[counter.staff[0].nip]["unavailable"] == [
        {"start": "2030-03-12T00:00", "end": "2030-03-13T00:00"}
    ]
    assert built.clashes_avoided == 2  # the employee on leave cannot take either batch
    load_instance(data)


def test_a_plan_never_leaves_the_counter_short_and_explains_the_unassigned(world, counter):
    run = _run(world, counter)
    assert run.status == PlanStatus.DONE
    plan = run.plan
    morning = [a for a in plan["assignments"] if a["batch"] == str(counter.morning.pk)]
    assert len(morning) <= 1  # 4 staff, at least 3 at the counter 08–12
    assert len(plan["assignments"]) == 3 and len(plan["unassigned"]) == 1
    assert plan["unassigned"][0]["message"]
    assert run.objective == run.bound == 3 * 5  # priority 1 + ⌈20 JP deficit / 5⌉ each
    assert check_plan(load_instance(run.instance), plan_from_json(plan)).ok


def test_applying_a_plan_sends_invitations_and_replanning_after_a_leave_moves_few(world, counter):
    run = _run(world, counter)
    counts = do_apply_plan(run=run, actor=world.alice)
    assert counts["invited"] == 3
    assert Enrolment.objects.filter(status=EnrolmentStatus.INVITED, plan_ref=run.pk).count() == 3
    afternoon = list(Enrolment.objects.filter(batch=counter.afternoon).select_related("employee"))
    moved_out = afternoon[0].employee
    do_create_duty(
        employee=moved_out,
        data=DutyInput(kind="dinas_luar", start=at(TUESDAY, 12), end=at(TUESDAY, 18)),
        actor=world.alice,
    )
    again = _run(world, counter, base_run=run)
    assert again.status == PlanStatus.DONE
    before = {(a["nip"], a["batch"]) for a in run.plan["assignments"]}
    after = {(a["nip"], a["batch"]) for a in again.plan["assignments"]}
    assert len(before - after) <= 2  # the traveller leaves; at most one other seat changes
    assert not any(nip == moved_out.nip and b == str(counter.afternoon.pk) for nip, b in after)
    do_apply_plan(run=again, actor=world.alice)
    assert not Enrolment.objects.filter(
        employee=moved_out, batch=counter.afternoon, status__in=["diundang", "diterima"]
    ).exists()


def test_a_rule_that_cannot_hold_is_refused_with_the_reason(world, counter):
    with pytest.raises(ValidationError, match="tidak mungkin dipenuhi"):
        do_create_staffing_rule(
            unit=counter.loket,
            data=RuleInput(
                label="Mustahil", weekdays="0", start_time=time(8), end_time=time(12), min_present=9
            ),
            actor=world.alice,
        )


def test_rules_that_fail_through_leave_are_explained(world, counter):
    for employee in counter.staff[:2]:
        do_create_duty(
            employee=employee,
            data=DutyInput(
                kind="cuti", start=at(TUESDAY, 0), end=at(TUESDAY + timedelta(days=1), 0)
            ),
            actor=world.alice,
        )
    run = _run(world, counter)
    assert run.plan["infeasible_rules"]
    rule = run.plan["infeasible_rules"][0]
    assert rule["unit"] == "LOKET" and rule["available"] == 2 and rule["message"]


def test_overlapping_sessions_and_holidays_are_bad_input_and_nothing_is_written(world, counter):
    do_add_sessions(
        counter.morning, sessions=[SessionInput(start=at(TUESDAY, 10), end=at(TUESDAY, 11))]
    )
    with pytest.raises(ValidationError, match="tumpang tindih"):
        _run(world, counter)
    assert not PlanRun.objects.exists()
    holiday = make_batch(counter.programme, [(date(2030, 12, 25), 8, 12)], name="Angkatan Natal")
    built = build_instance(
        instansi_id=world.instansi.pk, batches=[holiday, counter.afternoon], year=2030
    )
    assert [s["batch"] for s in built.skipped] == ["Angkatan Natal"]
    assert "libur" in built.skipped[0]["reason"]


def test_a_pegawai_picks_among_feasible_batches_only(world, counter):
    run = _run(world, counter)
    do_apply_plan(run=run, actor=world.alice)
    afternoon = (
        Enrolment.objects.filter(batch=counter.afternoon)
        .select_related("batch__programme", "employee")
        .first()
    )
    options = batch_alternatives(afternoon)
    assert counter.afternoon in options
    assert counter.morning not in options  # a second person from the counter would break the rule
    with pytest.raises(ValidationError, match="tidak dapat dipilih"):
        do_pick_batch(enrolment=afternoon, batch_id=counter.morning.pk, actor=None)
    third = make_batch(
        counter.programme, [(TUESDAY + timedelta(days=7), 13, 16)], capacity=3, name="Angkatan 3"
    )
    moved = do_pick_batch(enrolment=afternoon, batch_id=third.pk, actor=None)
    assert moved.batch == third and moved.source == "pilihan_sendiri"


def test_the_planner_pages_show_the_result_and_are_for_admin_and_pimpinan(
    client, world, counter, django_assert_max_num_queries
):
    run = _run(world, counter)
    client.force_login(world.alice)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("scheduling:plan_detail", args=[run.pk]))
    assert page.status_code == 200 and b'data-testid="objective"' in page.content
    with django_assert_max_num_queries(10):
        assert client.get(reverse("scheduling:plan_list")).status_code == 200
    client.force_login(world.pia)
    assert client.get(reverse("scheduling:plan_detail", args=[run.pk])).status_code == 200
    assert client.post(reverse("scheduling:plan_apply", args=[run.pk])).status_code == 403
    for user in (world.bob, world.dave):
        client.force_login(user)
        assert client.get(reverse("scheduling:plan_detail", args=[run.pk])).status_code == 403
    client.force_login(world.mallory)
    assert client.get(reverse("scheduling:plan_detail", args=[run.pk])).status_code == 404


def test_the_new_plan_form_runs_the_planner(client, world, counter):
    client.force_login(world.alice)
    response = client.post(
        reverse("scheduling:plan_new"),
        {"batches": [counter.morning.pk, counter.afternoon.pk], "time_limit": 5, "title": "Uji"},
    )
    run = PlanRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.status == PlanStatus.DONE


def test_staff_on_a_counter_shift_count_towards_the_minimum_and_cannot_be_booked(world, counter):
    shift_taker = counter.staff[3]
    do_create_duty(
        employee=shift_taker,
        data=DutyInput(
            kind="shift",
            start=at(TUESDAY - timedelta(days=7), 7, 30),
            end=at(TUESDAY - timedelta(days=7), 12, 30),
            repeat_until=date(2030, 12, 31),
        ),
        actor=world.alice,
    )
    built = build_instance(
        instansi_id=world.instansi.pk, batches=[counter.morning, counter.afternoon], year=2030
    )
    assert built.data["staffing"][0]["min_present"] == 2  # 3 minus the one surely at the counter
    nips = {e["nip"]: e for e in built.data["employees"]}
    assert nips[shift_taker.nip]["unavailable"]  # the weekly shift reaches the training Tuesday


def test_a_facilitator_is_never_planned_into_the_batch_they_teach(world, counter):
    from kompeten.learning.actions.batches import do_create_trainer

    teacher = counter.staff[1]
    trainer = do_create_trainer(
        instansi=world.instansi, kind="fasilitator", employee=teacher, actor=world.alice
    )
    counter.morning.trainers.add(trainer)
    built = build_instance(
        instansi_id=world.instansi.pk, batches=[counter.morning, counter.afternoon], year=2030
    )
    nips = {e["nip"]: e for e in built.data["employees"]}
    assert {"start": "2030-03-12T08:00", "end": "2030-03-12T12:00"} in nips[teacher.nip][
        "unavailable"
    ]
    run = _run(world, counter, run_now=True)
    do_apply_plan(run=run, actor=world.alice, notify=False)
    assert not Enrolment.objects.filter(employee=teacher, batch=counter.morning).exists()

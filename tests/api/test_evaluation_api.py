"""Instrument responses and evaluation summaries: submitted through `do_submit_response` (its
checks answer 422 in the one format), read through the scoping helper (a pegawai never reads
another's scores; a pengelola only their OPD's), scopes, expiry, audit, query budgets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine

from kompeten.core.models import AuditLog
from kompeten.evaluation.actions.responses import do_submit_response
from kompeten.evaluation.models import Answer, Response
from tests.api.helpers import RATE_COUNTER_QUERIES, api_get, api_send, assert_error, make_token
from tests.evaluation import builders
from tests.participation.builders import at


@pytest.fixture
def s(world):
    return builders.build(world, n=3)


@pytest.fixture
def secret(world):
    return make_token(world.instansi, actor=world.alice, name="Aplikasi CBT")[1]


def submit(client, body, secret):
    return api_send(client, "/api/responses", body, secret)


def reaction_body(world, s, employee=None):
    r = s.instruments["reaksi"]
    employee = employee or world.dave_emp
    return {
        "instrument_id": r.pk,
        "subject_id": employee.pk,
        "rater_id": employee.pk,
        "answers": builders.likert_answers(r, 4, [s.trainer.pk]),
    }


def pretests(world, s):
    pre = s.instruments["pretest"]
    for e, right in ((world.dave_emp, 3), (s.participants[1], 6)):
        do_submit_response(pre, subject=e, rater=e, answers=builders.test_answers(pre, right))


def test_a_token_submits_a_response_through_the_action(world, client, s, secret):
    response = submit(client, reaction_body(world, s), secret)
    assert response.status_code == 201, response.content
    out = response.json()
    stored = Response.objects.get(pk=out["id"])
    assert (stored.subject_id, stored.rater_role, out["kind"]) == (
        world.dave_emp.pk,
        "peserta",
        "reaksi",
    )
    assert len(out["answers"]) == Answer.objects.filter(response=stored).count() > 0
    entry = AuditLog.objects.get(action="api.write")
    assert entry.actor == world.alice and "Aplikasi CBT" in entry.summary


def test_the_actions_checks_come_back_in_the_error_format(world, client, s, secret):
    body = reaction_body(world, s)
    assert submit(client, body, secret).status_code == 201
    error = assert_error(submit(client, body, secret), 422, "validation_error")  # twice
    assert error["details"][0]["message"]["id"]
    post = s.instruments["posttest"]
    error = assert_error(
        submit(
            client,
            {
                "instrument_id": post.pk,
                "subject_id": world.dave_emp.pk,
                "rater_id": world.dave_emp.pk,
                "answers": builders.test_answers(post, 2),
            },
            secret,
        ),
        422,
        "validation_error",
    )
    assert "belum mengerjakan pre-test" in error["details"][0]["message"]["id"]
    # erin is no participant; a Likert answer out of range
    assert_error(
        submit(client, reaction_body(world, s, world.erin_emp), secret), 422, "validation_error"
    )
    bad = reaction_body(world, s, s.participants[1])
    first = next(k for k in bad["answers"] if ":" not in k)
    bad["answers"][first] = 9
    assert_error(submit(client, bad, secret), 422, "validation_error")
    assert Response.objects.count() == 1
    assert AuditLog.objects.filter(action="api.write").count() == 1


def test_bad_ids_and_other_instansis_people_are_named(world, client, s, secret):
    stranger = builders.factories.make_employee(
        builders.factories.make_unit(world.mallory.instansi, "Dinas Lain", code="LAIN"),
        "Orang Lain",
    )
    body = reaction_body(world, s)
    error = assert_error(
        submit(client, {**body, "subject_id": stranger.pk}, secret), 422, "validation_error"
    )
    assert error["details"][0]["field"] == "subject_id"
    error = assert_error(
        submit(client, {**body, "instrument_id": 10**15}, secret), 422, "validation_error"
    )
    assert error["details"][0]["field"] == "instrument_id"
    error = assert_error(submit(client, {**body, "answers": "x"}, secret), 422, "validation_error")
    assert error["details"][0]["field"] == "answers"
    _t, foreign = make_token(world.mallory.instansi)
    error = assert_error(submit(client, body, foreign), 422, "validation_error")
    assert error["details"][0]["field"] == "instrument_id"
    assert not Response.objects.exists()


def test_a_pegawai_reads_only_their_own_scores(world, client, s):
    pretests(world, s)
    other = Response.objects.exclude(subject=world.dave_emp).get()
    client.force_login(world.dave)
    body = client.get("/api/responses").json()
    assert [r["subject_id"] for r in body["items"]] == [world.dave_emp.pk]
    assert body["items"][0]["score"] is not None
    assert_error(client.get(f"/api/responses/{other.pk}"), 404, "not_found")
    assert client.get("/api/responses", {"subject": other.subject_id}).json()["count"] == 0
    client.force_login(world.erin)
    assert client.get("/api/responses").json()["count"] == 0


def test_the_atasan_and_the_pengelola_read_their_scope(world, client, s):
    pretests(world, s)
    # dave's and the participants' atasan: their test scores are not hers to read (no page
    # shows them to her either).
    client.force_login(world.carol)
    assert client.get("/api/responses").json()["count"] == 0
    client.force_login(world.dave)  # his own score only
    assert [r["subject_id"] for r in client.get("/api/responses").json()["items"]] == [
        world.dave_emp.pk
    ]
    client.force_login(world.bob)  # pengelola of Dinas Alfa, where they work
    assert client.get("/api/responses", {"kind": "pretest"}).json()["count"] == 2
    assert client.get("/api/responses", {"kind": "posttest"}).json()["count"] == 0


def test_a_response_detail_has_its_answers(world, client, s, secret):
    pretests(world, s)
    mine = Response.objects.get(subject=world.dave_emp)
    body = api_get(client, f"/api/responses/{mine.pk}", secret).json()
    assert body["score"] == mine.score
    assert {a["item_id"] for a in body["answers"]} == set(
        Answer.objects.filter(response=mine).values_list("item_id", flat=True)
    )


def test_the_evaluation_summary(world, client, s, secret):
    submit(client, reaction_body(world, s), secret)
    body = api_get(client, f"/api/evaluations/{s.programme.pk}", secret).json()
    assert body["programme_id"] == s.programme.pk
    assert body["n_participants"] == 3
    assert body["l1"]["n_responses"] == 1
    assert body["l1"]["overall"]["mean"] == pytest.approx(4.0)
    assert body["l2"]["n_pre"] == 0
    by_batch = api_get(client, f"/api/evaluations/{s.programme.pk}", secret, batch=s.batch.pk)
    assert by_batch.json()["n_participants"] == 3
    error = assert_error(
        api_get(client, f"/api/evaluations/{s.programme.pk}", secret, batch=10**9),
        422,
        "validation_error",
    )
    assert error["details"][0]["field"] == "batch"


def test_the_evaluation_summary_is_scoped(world, client, s):
    client.force_login(world.dave)  # a pegawai has no programme evaluation
    assert_error(client.get(f"/api/evaluations/{s.programme.pk}"), 404, "not_found")
    client.force_login(world.bob)
    body = client.get(f"/api/evaluations/{s.programme.pk}", {"unit": world.beta.pk})
    assert_error(body, 422, "validation_error")  # Dinas Beta is outside bob's scope
    body = client.get(f"/api/evaluations/{s.programme.pk}").json()
    assert body["unit"] == world.alfa.pk  # forced to his OPD
    _t, foreign = make_token(world.mallory.instansi)
    assert_error(api_get(client, f"/api/evaluations/{s.programme.pk}", foreign), 404, "not_found")


def test_scopes_and_expiry(world, client, s):
    _t, reader = make_token(world.instansi, ["responses:read"])
    error = assert_error(submit(client, reaction_body(world, s), reader), 403, "insufficient_scope")
    assert "responses:write" in error["message"]["en"]
    assert_error(
        api_get(client, f"/api/evaluations/{s.programme.pk}", reader), 403, "insufficient_scope"
    )
    assert api_get(client, "/api/responses", reader).status_code == 200
    with time_machine.travel(at(date.today() + timedelta(days=40), 9)):
        assert_error(api_get(client, "/api/responses", reader), 401, "token_expired")


def test_list_query_budget(world, client, s, secret, django_assert_max_num_queries):
    pretests(world, s)
    api_get(client, "/api/responses", secret)
    with django_assert_max_num_queries(3 + RATE_COUNTER_QUERIES):  # token, count, page
        body = api_get(client, "/api/responses", secret).json()
    assert body["count"] == 2

"""Programmes, batches and sessions endpoints: the catalogue's filters and scope, writes through
the learning actions, scopes, expiry, the audit record of token writes, query budgets."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from kompeten.core.models import AuditLog
from kompeten.learning.actions.programmes import do_set_programme_status
from kompeten.learning.models import Batch, BatchStatus, Programme, ProgrammeStatus, Session
from kompeten.people.apiutil import ALL_SCOPES
from tests.api.helpers import RATE_COUNTER_QUERIES, api_get, api_send, assert_error, make_token
from tests.participation.builders import at, make_batch, make_programme

DAY = date(2026, 3, 2)


@pytest.fixture
def learning(world):
    published = make_programme(world.instansi, "Pelayanan Prima", code="PP")
    draft = make_programme(world.instansi, "Etika Pemerintahan", code="EP", learning_type="seminar")
    do_set_programme_status(published, status=ProgrammeStatus.PUBLISHED)
    batch = make_batch(published, [(DAY, 8, 12), (DAY + timedelta(days=1), 8, 12)])
    other = make_programme(world.mallory.instansi, "Milik Kabupaten Lain", code="KL")
    return {"published": published, "draft": draft, "batch": batch, "other": other}


@pytest.fixture
def secret(world):
    return make_token(world.instansi, actor=world.alice)[1]


def test_a_token_lists_every_programme_of_its_instansi_only(world, client, learning, secret):
    body = api_get(client, "/api/programmes", secret).json()
    assert [p["code"] for p in body["items"]] == ["EP", "PP"]
    assert body["count"] == 2
    pp = body["items"][1]
    assert pp["title"] == "Pelayanan Prima"
    assert pp["total_jp"] == 8.0
    assert (pp["n_batches"], pp["status"]) == (1, "published")
    assert_error(
        api_get(client, f"/api/programmes/{learning['other'].pk}", secret), 404, "not_found"
    )


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "prima"}, {"status": "draft"}, {"learning_type": "seminar"}, {"year": 2026}],
)
def test_programme_filters_give_the_same_rows_as_the_catalogue(world, client, learning, params):
    client.force_login(world.alice)
    page = client.get(reverse("cycle_program"), params)
    page_ids = [p.pk for p in page.context["page"]]
    api_ids = [p["id"] for p in client.get("/api/programmes", params).json()["items"]]
    assert api_ids == page_ids


def test_a_pegawai_session_sees_only_published_programmes(world, client, learning):
    client.force_login(world.dave)
    body = client.get("/api/programmes").json()
    assert [p["code"] for p in body["items"]] == ["PP"]
    assert_error(client.get(f"/api/programmes/{learning['draft'].pk}"), 404, "not_found")


def test_a_bad_filter_is_refused_in_both_languages(world, client, learning, secret):
    error = assert_error(
        api_get(client, "/api/programmes", secret, learning_type="bogus"), 422, "validation_error"
    )
    assert error["details"][0]["field"] == "learning_type"
    assert error["details"][0]["message"]["id"] != error["details"][0]["message"]["en"]
    assert_error(api_get(client, "/api/programmes", secret, status="x"), 422, "validation_error")
    assert_error(
        api_get(client, "/api/batches", secret, starts_from="2026-13-01"), 422, "validation_error"
    )


def test_batches_and_sessions_read_with_filters(world, client, learning, secret):
    batch = learning["batch"]
    body = api_get(client, "/api/batches", secret, programme=learning["published"].pk).json()
    assert [b["id"] for b in body["items"]] == [batch.pk]
    assert body["items"][0]["programme_code"] == "PP"
    assert api_get(client, "/api/batches", secret, status="done").json()["count"] == 0
    sessions = api_get(client, "/api/sessions", secret, batch=batch.pk).json()
    assert sessions["count"] == 2
    assert sessions["items"][0]["start"] < sessions["items"][1]["start"]
    one = api_get(client, f"/api/sessions/{sessions['items'][0]['id']}", secret).json()
    assert one["batch_id"] == batch.pk
    later = api_get(client, "/api/sessions", secret, starts_from=str(DAY + timedelta(days=1)))
    assert later.json()["count"] == 1


def test_a_token_sets_a_batch_status_and_the_audit_log_names_it(world, client, learning, secret):
    batch = learning["batch"]
    response = api_send(client, f"/api/batches/{batch.pk}/status", {"status": "open"}, secret)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "open"
    assert Batch.objects.get(pk=batch.pk).status == BatchStatus.OPEN
    entry = AuditLog.objects.filter(action="api.write").get()
    assert entry.actor == world.alice  # the token's owner
    assert "Kios uji" in entry.summary
    assert entry.after["integration"] == "Kios uji"
    assert entry.after["path"] == f"/api/batches/{batch.pk}/status"
    action_entry = AuditLog.objects.filter(action="batch.status").get()
    assert action_entry.actor == world.alice


def test_a_token_creates_a_batch_and_sessions(world, client, learning, secret):
    programme = learning["published"]
    body = {
        "programme_id": programme.pk,
        "code": "B2",
        "name": "Angkatan II",
        "capacity": 20,
        "start_date": "2026-04-06",
        "end_date": "2026-04-07",
        "location": "Aula",
    }
    response = api_send(client, "/api/batches", body, secret)
    assert response.status_code == 201, response.content
    batch_id = response.json()["id"]
    sessions = {
        "sessions": [
            {"start": "2026-04-06T08:00:00+07:00", "end": "2026-04-06T12:00:00+07:00"},
            {"start": "2026-04-07T08:00:00+07:00", "end": "2026-04-07T12:00:00+07:00"},
        ]
    }
    added = api_send(client, f"/api/batches/{batch_id}/sessions", sessions, secret)
    assert added.status_code == 201, added.content
    assert len(added.json()) == 2
    assert Session.objects.filter(batch_id=batch_id).count() == 2
    assert AuditLog.objects.filter(action="api.write").count() == 2


def test_a_refused_write_leaves_nothing_and_no_audit_record(world, client, learning, secret):
    batch = learning["batch"]
    outside = {
        "sessions": [{"start": "2027-01-01T08:00:00+07:00", "end": "2027-01-01T09:00:00+07:00"}]
    }
    error = assert_error(
        api_send(client, f"/api/batches/{batch.pk}/sessions", outside, secret),
        422,
        "validation_error",
    )
    assert "di luar tanggal angkatan" in error["details"][0]["message"]["id"]
    duplicate = {
        "programme_id": learning["published"].pk,
        "code": batch.code,
        "name": "x",
        "capacity": 5,
        "start_date": "2026-04-06",
        "end_date": "2026-04-05",
    }
    error = assert_error(
        api_send(client, "/api/batches", duplicate, secret), 422, "validation_error"
    )
    assert {d["field"] for d in error["details"]} >= {"code", "end_date"}
    assert Session.objects.filter(batch=batch).count() == 2
    assert Batch.objects.count() == 1
    assert not AuditLog.objects.filter(action="api.write").exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        # Found by the schema fuzz: year 9999 late in the evening west of UTC is year 10000 in
        # UTC, and year 1 east of UTC is year 0; both used to overflow into a 500.
        (
            "9999-12-31T23:00:00-05:00",
            "9999-12-31T23:30:00-05:00",
            "Tahunnya harus antara 1900 dan 2999.",
        ),
        (
            "0001-01-01T00:00:00+05:00",
            "0001-01-01T01:00:00+05:00",
            "Tahunnya harus antara 1900 dan 2999.",
        ),
        (
            "2026-03-02T08:00:00",
            "2026-03-02T09:00:00",
            "Waktu harus menyertakan zona waktu (mis. +07:00).",
        ),
    ],
)
def test_a_session_time_that_cannot_be_stored_is_refused_by_field(
    world, client, learning, secret, start, end, message
):
    batch = learning["batch"]
    body = {"sessions": [{"start": start, "end": end}]}
    error = assert_error(
        api_send(client, f"/api/batches/{batch.pk}/sessions", body, secret), 422, "validation_error"
    )
    assert {d["field"] for d in error["details"]} == {"sessions.0.start", "sessions.0.end"}
    assert {d["message"]["id"] for d in error["details"]} == {message}
    assert all(d["message"]["en"] for d in error["details"])
    assert Session.objects.filter(batch=batch).count() == 2


def test_a_batch_dated_outside_the_supported_years_is_refused_by_field(
    world, client, learning, secret
):
    body = {
        "programme_id": learning["published"].pk,
        "code": "B9",
        "name": "Angkatan tanpa akhir",
        "capacity": 5,
        "start_date": "2026-04-06",
        "end_date": "9999-12-31",  # "no end": the day after it is past the calendar
    }
    error = assert_error(api_send(client, "/api/batches", body, secret), 422, "validation_error")
    assert error["details"] == [
        {
            "field": "end_date",
            "message": {
                "id": "Tahunnya harus antara 1900 dan 2999.",
                "en": "Must lie between the years 1900 and 2999",
            },
        }
    ]
    assert Batch.objects.count() == 1


def test_programme_status_goes_through_the_readiness_checks(world, client, learning, secret):
    draft = learning["draft"]
    error = assert_error(
        api_send(client, f"/api/programmes/{draft.pk}/status", {"status": "final"}, secret),
        422,
        "validation_error",
    )
    assert error["details"]
    ok = api_send(client, f"/api/programmes/{draft.pk}/status", {"status": "archived"}, secret)
    assert ok.json()["status"] == "archived"
    assert Programme.objects.get(pk=draft.pk).status == ProgrammeStatus.ARCHIVED


def test_a_read_token_may_not_write_and_a_missing_scope_is_refused(world, client, learning):
    _token, reader = make_token(world.instansi, ["programmes:read", "batches:read"])
    batch = learning["batch"]
    error = assert_error(
        api_send(client, f"/api/batches/{batch.pk}/status", {"status": "x"}, reader),
        403,
        "insufficient_scope",
    )
    assert "batches:write" in error["message"]["en"]
    assert_error(api_get(client, "/api/sessions", reader), 403, "insufficient_scope")
    assert Batch.objects.get(pk=batch.pk).status == BatchStatus.PLANNED


def test_an_expired_token_is_refused(world, client, learning):
    _token, secret = make_token(world.instansi, list(ALL_SCOPES), days=1)
    with time_machine.travel(at(date.today() + timedelta(days=3), 9)):
        assert_error(api_get(client, "/api/programmes", secret), 401, "token_expired")


def test_a_pegawai_session_may_not_write(world, client, learning):
    client.force_login(world.dave)
    response = client.post(
        f"/api/batches/{learning['batch'].pk}/status",
        json.dumps({"status": "open"}),
        content_type="application/json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize("path", ["/api/programmes", "/api/batches", "/api/sessions"])
def test_list_query_budget(world, client, learning, secret, path, django_assert_max_num_queries):
    for i in range(3):
        make_batch(learning["published"], [(DAY + timedelta(days=7 * (i + 1)), 8, 10)])
    api_get(client, path, secret)  # last_used_at written once
    with django_assert_max_num_queries(3 + RATE_COUNTER_QUERIES):  # token, count, page
        body = api_get(client, path, secret).json()
    assert body["count"] >= 2

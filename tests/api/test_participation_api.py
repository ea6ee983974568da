"""Enrolments, attendance and JP compliance endpoints: the Kepesertaan page's filters, the
scoping helper (a pengelola never reads another OPD's participants), attendance written through
`do_mark_attendance`, scopes, expiry, the audit record of token writes, query budgets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from kompeten.core.models import AuditLog
from kompeten.participation.actions.enrolment import do_accept, do_invite
from kompeten.participation.models import Attendance
from tests import factories
from tests.api.helpers import RATE_COUNTER_QUERIES, api_get, api_send, assert_error, make_token
from tests.participation.builders import at, make_batch, make_programme

DAY = date(2026, 3, 2)


@pytest.fixture
def course(world):
    programme = make_programme(world.instansi, "Pelayanan Prima", code="PP")
    batch = make_batch(programme, [(DAY, 8, 12), (DAY + timedelta(days=1), 8, 12)])
    early = at(DAY - timedelta(days=20), 9)
    dave = do_invite(
        batch=batch, employee=world.dave_emp, actor=world.alice, notify=False, now=early
    )
    do_accept(enrolment=dave, actor=None, now=early)
    erin = do_invite(
        batch=batch, employee=world.erin_emp, actor=world.alice, notify=False, now=early
    )
    carol = do_invite(
        batch=batch, employee=world.carol_emp, actor=world.alice, notify=False, now=early
    )
    sessions = list(batch.sessions.order_by("start"))
    return {"batch": batch, "dave": dave, "erin": erin, "carol": carol, "sessions": sessions}


@pytest.fixture
def secret(world):
    return make_token(world.instansi, actor=world.alice, name="Aplikasi presensi")[1]


def put_attendance(client, body, secret):
    return api_send(client, "/api/attendance", body, secret, method="put")


def test_a_token_lists_the_enrolments_of_its_instansi(world, client, course, secret):
    body = api_get(client, "/api/enrolments", secret).json()
    assert body["count"] == 3
    assert {e["employee_name"] for e in body["items"]} == {
        "Dave Saputra",
        "Erin Lestari",
        "Carolina Putri",
    }
    one = api_get(client, f"/api/enrolments/{course['dave'].pk}", secret).json()
    assert (one["status"], one["programme_title"]) == ("diterima", "Pelayanan Prima")


@pytest.mark.parametrize(
    "params",
    [{}, {"status": "diterima"}, {"q": "erin"}, {"programme": "prima"}, {"year": 2026}],
)
def test_enrolment_filters_give_the_same_rows_as_the_page(world, client, course, params):
    client.force_login(world.alice)
    page_ids = [
        e.pk for e in client.get(reverse("participation:enrolment_list"), params).context["page"]
    ]
    api_ids = [e["id"] for e in client.get("/api/enrolments", params).json()["items"]]
    assert api_ids == page_ids


def test_a_pengelola_cannot_read_another_opds_enrolment(world, client, course):
    client.force_login(world.bob)  # pengelola of Dinas Alfa; erin works in Dinas Beta
    names = {e["employee_name"] for e in client.get("/api/enrolments").json()["items"]}
    assert names == {"Dave Saputra", "Carolina Putri"}
    assert_error(client.get(f"/api/enrolments/{course['erin'].pk}"), 404, "not_found")
    assert client.get("/api/enrolments", {"employee": world.erin_emp.pk}).json()["count"] == 0


def test_a_pegawai_sees_only_their_own_enrolment(world, client, course):
    client.force_login(world.erin)
    body = client.get("/api/enrolments").json()
    assert [e["id"] for e in body["items"]] == [course["erin"].pk]
    assert_error(client.get(f"/api/enrolments/{course['dave'].pk}"), 404, "not_found")


def test_a_token_records_attendance_through_the_action(world, client, course, secret):
    session = course["sessions"][0]
    body = {
        "session_id": session.pk,
        "enrolment_id": course["dave"].pk,
        "present": True,
        "late_minutes": 15,
    }
    response = put_attendance(client, body, secret)
    assert response.status_code == 200, response.content
    out = response.json()
    assert (out["present"], out["late_minutes"], out["method"]) == (True, 15, "manual")
    record = Attendance.objects.get(session=session, enrolment=course["dave"])
    assert record.recorded_by == world.alice
    # a correction, and the roll call is readable back
    put_attendance(client, {**body, "present": False}, secret)
    listed = api_get(client, "/api/attendance", secret, session=session.pk).json()
    assert [(a["employee_id"], a["present"]) for a in listed["items"]] == [
        (world.dave_emp.pk, False)
    ]
    writes = AuditLog.objects.filter(action="api.write").order_by("id")
    assert writes.count() == 2
    assert all(w.actor == world.alice and "Aplikasi presensi" in w.summary for w in writes)
    assert AuditLog.objects.filter(action="attendance.correct").exists()


def test_bad_attendance_is_refused_clearly_and_nothing_is_written(world, client, course, secret):
    session = course["sessions"][0]
    # erin has not accepted the invitation
    error = assert_error(
        put_attendance(
            client,
            {"session_id": session.pk, "enrolment_id": course["erin"].pk, "present": True},
            secret,
        ),
        422,
        "validation_error",
    )
    assert "belum menerima undangan" in error["details"][0]["message"]["id"]
    # late + early as long as the session
    error = assert_error(
        put_attendance(
            client,
            {
                "session_id": session.pk,
                "enrolment_id": course["dave"].pk,
                "present": True,
                "late_minutes": 120,
                "left_early_minutes": 120,
            },
            secret,
        ),
        422,
        "validation_error",
    )
    assert "tandai tidak hadir" in error["details"][0]["message"]["id"]
    error = assert_error(
        put_attendance(
            client, {"session_id": session.pk, "enrolment_id": 10**12, "present": True}, secret
        ),
        422,
        "validation_error",
    )
    assert error["details"][0]["field"] == "enrolment_id"
    error = assert_error(
        put_attendance(client, {"session_id": session.pk, "present": "maybe"}, secret),
        422,
        "validation_error",
    )
    assert {d["field"] for d in error["details"]} == {"enrolment_id", "present"}
    assert not Attendance.objects.exists()
    assert not AuditLog.objects.filter(action="api.write").exists()


def test_another_instansis_token_cannot_touch_these_enrolments(world, client, course):
    _t, foreign = make_token(world.mallory.instansi)
    assert api_get(client, "/api/enrolments", foreign).json()["count"] == 0
    assert_error(api_get(client, f"/api/enrolments/{course['dave'].pk}", foreign), 404, "not_found")
    error = assert_error(
        put_attendance(
            client,
            {
                "session_id": course["sessions"][0].pk,
                "enrolment_id": course["dave"].pk,
                "present": True,
            },
            foreign,
        ),
        422,
        "validation_error",
    )
    assert error["details"][0]["field"] == "enrolment_id"


def test_scopes_and_expiry_are_enforced(world, client, course):
    _t, reader = make_token(world.instansi, ["attendance:read"])
    error = assert_error(
        put_attendance(
            client,
            {"session_id": 1, "enrolment_id": course["dave"].pk, "present": True},
            reader,
        ),
        403,
        "insufficient_scope",
    )
    assert "attendance:write" in error["message"]["id"]
    assert_error(api_get(client, "/api/enrolments", reader), 403, "insufficient_scope")
    assert_error(api_get(client, "/api/jp-compliance", reader), 403, "insufficient_scope")
    _t, short = make_token(world.instansi, ["enrolments:read"], days=1)
    with time_machine.travel(at(date.today() + timedelta(days=2), 9)):
        assert_error(api_get(client, "/api/enrolments", short), 401, "token_expired")


def test_jp_compliance_per_employee(world, client, course, secret):
    body = api_get(client, "/api/jp-compliance", secret, year=2026).json()
    assert body["year"] == 2026
    assert body["count"] == 4
    row = next(r for r in body["items"] if r["employee_id"] == world.dave_emp.pk)
    assert (row["total_jp"], row["target"], row["deficit"], row["met"]) == (0.0, 20.0, 20.0, False)
    below = api_get(client, "/api/jp-compliance", secret, year=2026, below=True).json()
    assert below["count"] == 4
    alfa = api_get(client, "/api/jp-compliance", secret, unit=world.alfa.pk).json()
    assert {r["name"] for r in alfa["items"]} == {"Bobby Santoso", "Carolina Putri", "Dave Saputra"}
    paged = api_get(client, "/api/jp-compliance", secret, limit=2, offset=2).json()
    assert (paged["count"], len(paged["items"])) == (4, 2)


def test_jp_compliance_is_scoped_and_validated(world, client, course):
    client.force_login(world.dave)
    body = client.get("/api/jp-compliance").json()
    assert [r["employee_id"] for r in body["items"]] == [world.dave_emp.pk]
    error = assert_error(
        client.get("/api/jp-compliance", {"unit": world.beta.pk}), 422, "validation_error"
    )
    assert error["details"][0]["field"] == "unit"
    assert_error(client.get("/api/jp-compliance", {"year": 1800}), 422, "validation_error")


@pytest.mark.parametrize(
    ("path", "budget"),
    # token, count, page (+ for JP: page ids, JP sums, employees)
    [("/api/enrolments", 3), ("/api/attendance", 3), ("/api/jp-compliance", 5)],
)
def test_list_query_budget(
    world, client, course, secret, path, budget, django_assert_max_num_queries
):
    for i in range(5):
        factories.make_employee(world.beta, f"Tambahan {i}")
    put_attendance(
        client,
        {
            "session_id": course["sessions"][0].pk,
            "enrolment_id": course["dave"].pk,
            "present": True,
        },
        secret,
    )
    with django_assert_max_num_queries(budget + RATE_COUNTER_QUERIES):
        body = api_get(client, path, secret).json()
    assert body["count"] >= 1

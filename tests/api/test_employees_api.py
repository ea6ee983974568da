"""The employees and units endpoints: pagination, the list page's filters, detail, writes."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from kompeten.core.models import AuditLog
from kompeten.people.models import Employee
from tests import factories
from tests.api.helpers import api_get, api_send, assert_error, bearer, make_token


@pytest.fixture
def secret(world):
    return make_token(world.instansi)[1]


def test_it_paginates_with_limit_and_offset(world, client, secret):
    for i in range(5):
        factories.make_employee(world.beta, f"Zulkifli {i}")
    first = api_get(client, "/api/employees", secret, limit=3).json()
    second = api_get(client, "/api/employees", secret, limit=3, offset=3).json()
    assert first["count"] == second["count"] == 9
    assert (first["limit"], first["offset"], len(first["items"])) == (3, 0, 3)
    assert (second["offset"], len(second["items"])) == (3, 3)
    ids = [e["id"] for e in first["items"] + second["items"]]
    assert len(set(ids)) == 6
    names = [e["name"] for e in first["items"] + second["items"]]
    assert names == sorted(names)


def test_a_page_larger_than_the_maximum_is_refused(world, client, secret):
    error = assert_error(
        api_get(client, "/api/employees", secret, limit=201), 422, "validation_error"
    )
    assert error["details"][0]["field"] == "limit"
    assert api_get(client, "/api/employees", secret, limit=200).status_code == 200
    assert_error(api_get(client, "/api/employees", secret, offset=-1), 422, "validation_error")


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "Dave"},
        {"q": "Layanan"},
        {"status": "PNS"},
        {"sex": "P"},
        {"jabatan_kind": "pengawas"},
        {"golongan": "III/b"},
        {"education": "S-1"},
        {"active": "all"},
        {"active": "0"},
    ],
)
def test_filters_give_the_same_rows_as_the_list_page(world, client, secret, params):
    factories.make_employee(world.beta, "Fajar PPPK", status="PPPK", sex="P")
    from kompeten.people.actions import do_deactivate_employee

    do_deactivate_employee(employee=world.erin_emp, reason="pensiun", on=date(2026, 1, 1))
    client.force_login(world.alice)
    page_ids = [e.pk for e in client.get(reverse("people:employee_list"), params).context["page"]]
    client.logout()
    api_ids = [e["id"] for e in api_get(client, "/api/employees", secret, **params).json()["items"]]
    assert api_ids == page_ids


def test_the_unit_filter_includes_sub_units_like_the_page(world, client, secret):
    body = api_get(client, "/api/employees", secret, unit=world.alfa.pk).json()
    assert {e["name"] for e in body["items"]} == {"Bobby Santoso", "Carolina Putri", "Dave Saputra"}


def test_a_bad_filter_value_is_named_in_both_languages(world, client, secret):
    error = assert_error(
        api_get(client, "/api/employees", secret, status="PNX"), 422, "validation_error"
    )
    assert error["details"][0]["field"] == "status"
    other = make_token(world.mallory.instansi)[1]
    error = assert_error(
        api_get(client, "/api/employees", other, unit=world.alfa.pk), 422, "validation_error"
    )
    detail = error["details"][0]
    assert detail["field"] == "unit"
    assert detail["message"]["id"] != detail["message"]["en"]
    assert "valid choice" in detail["message"]["en"]


def test_a_search_with_non_ascii_digits_is_refused_not_crashed(world, client, secret):
    error = assert_error(
        api_get(client, "/api/employees", secret, q="19³"), 422, "validation_error"
    )
    assert error["details"][0]["field"] == "q"


def test_detail_by_id_and_by_nip(world, client, secret):
    by_id = api_get(client, f"/api/employees/{world.dave_emp.pk}", secret).json()
    by_nip = api_get(client, f"/api/employees/{world.dave_emp.nip}", secret).json()
    assert by_id == by_nip
    assert by_id["supervisor_nip"] == world.carol_emp.nip
    assert by_id["unit_code"] == "ALFA-LAY"
    assert "email" not in by_id and "phone" not in by_id
    for ref in ("0", "999999999", "9" * 30, "abc", "000000000000000000"):
        assert_error(api_get(client, f"/api/employees/{ref}", secret), 404, "not_found")


def _payload(world, **overrides):
    data = factories.employee_input(
        world.beta, "Gita Rahmawati", sex="P", birth_date=date(1990, 5, 6)
    )
    body = {
        "nip": data.nip,
        "name": data.name,
        "sex": data.sex,
        "birth_date": data.birth_date.isoformat(),
        "status": data.status,
        "golongan": data.golongan,
        "jabatan_kind": data.jabatan_kind,
        "jabatan_name": data.jabatan_name,
        "education": data.education,
        "unit_id": world.beta.pk,
        "supervisor_nip": world.erin_emp.nip,
    }
    body.update(overrides)
    return body


def test_an_employee_whose_education_is_not_known_is_created_without_it(world, client, secret):
    body = _payload(world)
    del body["education"]
    response = api_send(client, "/api/employees", body, secret)
    assert response.status_code == 201, response.content
    assert response.json()["education"] == ""
    assert Employee.objects.get(nip=body["nip"]).education == ""
    wrong = _payload(world, nip=factories.employee_input(world.beta, "Hana").nip, education="S1")
    error = assert_error(api_send(client, "/api/employees", wrong, secret), 422, "validation_error")
    assert error["details"][0]["field"] == "education"


def test_it_creates_an_employee_through_the_action(world, client, secret):
    body = _payload(world)
    response = api_send(client, "/api/employees", body, secret)
    assert response.status_code == 201, response.content
    created = Employee.objects.get(nip=body["nip"])
    assert response.json()["id"] == created.pk
    assert created.supervisor == world.erin_emp
    assert AuditLog.objects.filter(action="employee.create", object_id=str(created.pk)).exists()
    assert created.events.filter(kind="masuk").exists()


def test_bad_data_gets_422_in_both_languages_naming_the_field(world, client, secret):
    body = _payload(world, nip="12345", golongan="IX/z")
    response = api_send(client, "/api/employees", body, secret)
    error = assert_error(response, 422, "validation_error")
    fields = {d["field"]: d["message"] for d in error["details"]}
    assert set(fields) == {"nip", "golongan"}
    assert "NIP" in fields["nip"]["id"] and "nip" in fields["nip"]["en"]
    assert "Golongan" in fields["golongan"]["id"] and "golongan" in fields["golongan"]["en"]
    assert not Employee.objects.filter(name="Gita Rahmawati").exists()


def test_a_wrong_type_gets_422_with_indonesian_and_english(world, client, secret):
    body = _payload(world, birth_date="kemarin", sex="X")
    response = api_send(client, "/api/employees", body, secret)
    error = assert_error(response, 422, "validation_error")
    fields = {d["field"]: d["message"] for d in error["details"]}
    assert fields["birth_date"]["id"].startswith("Harus tanggal")
    assert "date" in fields["birth_date"]["en"]
    assert fields["sex"]["id"] == "Pilihan tidak dikenal."
    body = _payload(world, birth_date="0001-01-01")
    error = assert_error(api_send(client, "/api/employees", body, secret), 422, "validation_error")
    assert [(d["field"], d["message"]["id"]) for d in error["details"]] == [
        ("birth_date", "Tahunnya harus antara 1900 dan 2999.")
    ]


def test_a_token_cannot_place_an_employee_in_another_instansis_unit(world, client):
    other = make_token(world.mallory.instansi)[1]
    response = client.post(
        "/api/employees", _payload(world), content_type="application/json", **bearer(other)
    )
    error = assert_error(response, 422, "validation_error")
    assert error["details"][0]["field"] == "unit_id"


def test_it_updates_an_employee_and_records_the_move(world, client, secret):
    body = _payload(
        world,
        nip=world.dave_emp.nip,
        name="Dave Saputra Baru",
        sex="L",
        birth_date=world.dave_emp.birth_date.isoformat(),
        unit_id=world.beta.pk,
        supervisor_nip="",
    )
    response = client.put(
        f"/api/employees/{world.dave_emp.pk}",
        body,
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 200, response.content
    world.dave_emp.refresh_from_db()
    assert (world.dave_emp.name, world.dave_emp.unit_id) == ("Dave Saputra Baru", world.beta.pk)
    assert world.dave_emp.events.filter(kind="mutasi").exists()


def test_units_list_and_detail(world, client, secret):
    body = api_get(client, "/api/units", secret).json()
    assert [u["code"] for u in body["items"]] == ["KOTA", "ALFA", "ALFA-LAY", "BETA"]
    subtree = api_get(client, "/api/units", secret, parent=world.alfa.pk).json()
    assert [u["code"] for u in subtree["items"]] == ["ALFA", "ALFA-LAY"]
    assert api_get(client, f"/api/units/{world.beta.pk}", secret).json()["name"] == "Dinas Beta"
    assert_error(api_get(client, "/api/units", secret, kind="istana"), 422, "validation_error")


def test_the_list_has_a_constant_query_count(world, client, secret, django_assert_max_num_queries):
    for i in range(10):
        factories.make_employee(world.beta, f"Hadi {i}")
    with django_assert_max_num_queries(6):
        assert api_get(client, "/api/employees", secret, limit=50).status_code == 200


# --- the browser session -----------------------------------------------------------------


def test_a_logged_in_user_reads_within_their_scope(world, client):
    client.force_login(world.bob)
    names = {e["name"] for e in client.get("/api/employees").json()["items"]}
    assert names == {"Bobby Santoso", "Carolina Putri", "Dave Saputra"}
    assert client.get(f"/api/employees/{world.erin_emp.pk}").status_code == 404


def test_a_session_write_needs_the_csrf_token(world):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.alice)
    response = strict.post("/api/employees", _payload(world), content_type="application/json")
    assert_error(response, 403, "csrf_failed")
    strict.get(reverse("home"))
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        "/api/employees", _payload(world), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.content


def test_a_pengelola_session_cannot_write(world, client):
    client.force_login(world.bob)
    response = client.post("/api/employees", _payload(world), content_type="application/json")
    assert_error(response, 403, "insufficient_scope")

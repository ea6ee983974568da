"""SKM responses from kiosks (through `do_submit_skm_response`), complaint imports (all or
nothing, problems by row in the one error format) and IKM results from the rollups: scopes,
expiry, object-level scoping, the audit record of token writes, query budgets."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import time_machine

from kompeten.core.models import AuditLog
from kompeten.service.actions import do_rebuild_rollups
from kompeten.service.models import Complaint, SkmResponse
from tests import factories
from tests.api.helpers import (
    RATE_COUNTER_QUERIES,
    api_get,
    api_send,
    assert_error,
    bearer,
    make_token,
)
from tests.participation.builders import at
from tests.service import helpers
from tests.service.helpers import SLUGS, all_scores, make_service_unit

LAPOR = ["No. Tracking", "Tanggal Laporan", "Tanggal Selesai", "Kategori", "Status"]
LAPOR += ["Instansi Tujuan", "NIP Petugas", "Rating"]


@pytest.fixture
def su(world):
    return make_service_unit(world.alfa)


@pytest.fixture
def kiosk(world):
    return make_token(
        world.instansi, ["skm:read", "skm:write"], actor=world.alice, name="Kios Alfa"
    )[1]


def post_skm(client, body, secret):
    return api_send(client, "/api/skm/responses", body, secret)


def lapor_file(rows: list[list[str]], name: str = "lapor.csv") -> io.BytesIO:
    lines = [",".join(f'"{h}"' for h in LAPOR)] + [",".join(f'"{c}"' for c in row) for row in rows]
    f = io.BytesIO("\n".join(lines).encode())
    f.name = name
    return f


def lapor_row(world, number: str = "LAP-1", **override: str) -> list[str]:
    return helpers.lapor_row(world, LAPOR, **{"No. Tracking": number, **override})


def import_complaints(client, f, secret):
    return client.post("/api/complaints/import", {"file": f}, **bearer(secret))


# --- SKM --------------------------------------------------------------------------------------


def test_a_kiosk_reads_its_service_units_and_their_unsur(world, client, su, kiosk):
    body = api_get(client, "/api/skm/service-units", kiosk).json()
    assert [u["id"] for u in body] == [su.pk]
    assert [u["key"] for u in body[0]["unsur"]] == SLUGS
    assert [s["code"] for s in body[0]["services"]] == ["ktp"]


def test_a_kiosk_submits_a_response_through_the_action(world, client, su, kiosk):
    service = su.services.get()
    body = {
        "service_unit_id": su.pk,
        "service_id": service.pk,
        "scores": all_scores(3),
        "sex": "P",
        "age_group": "30-39",
        "suggestion": "Antrean lebih cepat.",
    }
    response = post_skm(client, body, kiosk)
    assert response.status_code == 201, response.content
    stored = SkmResponse.objects.get(pk=response.json()["id"])
    assert (stored.source, stored.service_id, stored.sex) == ("kiosk", service.pk, "P")
    assert stored.scores == all_scores(3)
    entry = AuditLog.objects.get(action="api.write")
    assert entry.actor == world.alice and "Kios Alfa" in entry.summary
    assert entry.after["path"] == "/api/skm/responses"


def test_a_bad_skm_response_names_the_unsur_and_nothing_is_kept(world, client, su, kiosk):
    scores = all_scores(4)
    scores[SLUGS[0]] = 7
    del scores[SLUGS[1]]
    error = assert_error(
        post_skm(client, {"service_unit_id": su.pk, "scores": scores}, kiosk),
        422,
        "validation_error",
    )
    fields = {d["field"] for d in error["details"]}
    assert fields == {SLUGS[0], SLUGS[1]}
    assert all(d["message"]["id"] and d["message"]["en"] for d in error["details"])
    error = assert_error(
        post_skm(client, {"service_unit_id": su.pk, "scores": all_scores(4), "sex": "X"}, kiosk),
        422,
        "validation_error",
    )
    assert error["details"][0]["field"] == "sex"
    error = assert_error(
        post_skm(
            client,
            {"service_unit_id": su.pk, "scores": all_scores(4), "submitted": "2026-03-02T09:00:00"},
            kiosk,
        ),
        422,
        "validation_error",
    )
    assert error["details"][0]["field"] == "submitted"
    assert error["details"][0]["message"] == {
        "id": "Waktu harus menyertakan zona waktu (mis. +07:00).",
        "en": "Input should have timezone info",
    }
    # Year 1 with a positive offset is year 0 in UTC: no database can hold it.
    error = assert_error(
        post_skm(
            client,
            {
                "service_unit_id": su.pk,
                "scores": all_scores(4),
                "submitted": "0001-01-01T00:00+05:00",
            },
            kiosk,
        ),
        422,
        "validation_error",
    )
    assert error["details"][0]["field"] == "submitted"
    assert error["details"][0]["message"]["id"] == "Tahunnya harus antara 1900 dan 2999."
    assert not SkmResponse.objects.exists()
    assert not AuditLog.objects.filter(action="api.write").exists()


def test_a_kiosk_cannot_post_to_another_instansis_unit(world, client, su):
    _t, foreign = make_token(world.mallory.instansi, ["skm:write"])
    error = assert_error(
        post_skm(client, {"service_unit_id": su.pk, "scores": all_scores(4)}, foreign),
        422,
        "validation_error",
    )
    assert error["details"][0]["field"] == "service_unit_id"
    other = make_service_unit(world.beta, code="layanan-beta")
    error = assert_error(
        post_skm(
            client,
            {
                "service_unit_id": su.pk,
                "service_id": other.services.get().pk,
                "scores": all_scores(4),
            },
            make_token(world.instansi, ["skm:write"])[1],
        ),
        422,
        "validation_error",
    )
    assert error["details"][0]["field"] == "service_id"
    assert not SkmResponse.objects.exists()


def test_skm_scopes_and_expiry(world, client, su):
    _t, reader = make_token(world.instansi, ["skm:read"])
    assert_error(
        post_skm(client, {"service_unit_id": su.pk, "scores": all_scores(4)}, reader),
        403,
        "insufficient_scope",
    )
    _t, short = make_token(world.instansi, ["skm:write"], days=1)
    with time_machine.travel(at(date.today() + timedelta(days=2), 9)):
        assert_error(
            post_skm(client, {"service_unit_id": su.pk, "scores": all_scores(4)}, short),
            401,
            "token_expired",
        )
    assert not SkmResponse.objects.exists()


# --- complaints ---------------------------------------------------------------------------------


def test_a_token_imports_complaints(world, client):
    _t, secret = make_token(world.instansi, ["complaints:write"], actor=world.alice, name="LAPOR!")
    f = lapor_file(
        [
            lapor_row(world),
            lapor_row(world, "LAP-2", Status="Dalam Proses", **{"Tanggal Selesai": ""}),
        ]
    )
    response = import_complaints(client, f, secret)
    assert response.status_code == 201, response.content
    assert response.json() == {"imported": 2}
    assert Complaint.objects.filter(instansi=world.instansi).count() == 2
    assert AuditLog.objects.get(action="api.write").summary.startswith("Token API «LAPOR!»")


def test_a_bad_complaint_file_is_refused_whole_with_a_row_report(world, client):
    _t, secret = make_token(world.instansi, ["complaints:write"])
    f = lapor_file(
        [
            lapor_row(world, "OK-1"),
            lapor_row(world, "BAD-1", **{"Tanggal Laporan": "bukan tanggal"}),
        ]
    )
    error = assert_error(import_complaints(client, f, secret), 422, "validation_error")
    # the row as Excel numbers it, the column as the file names it, the value and what is accepted
    [detail] = error["details"]
    assert detail["message"]["id"].startswith(
        "Baris 3, kolom Tanggal Laporan: Tanggal 'bukan tanggal' tidak dapat dibaca."
    )
    assert "dd/mm/yyyy HH:MM" in detail["message"]["id"]
    f = lapor_file([lapor_row(world, "OK-1"), lapor_row(world, "BAD-2", Rating="9")])
    error = assert_error(import_complaints(client, f, secret), 422, "validation_error")
    assert error["details"] and all("3" in d["message"]["id"] for d in error["details"])
    assert {d["field"] for d in error["details"]} == {"file"}
    assert not Complaint.objects.exists()
    assert not AuditLog.objects.filter(action="api.write").exists()


def test_a_file_of_the_wrong_type_or_missing_is_refused(world, client):
    _t, secret = make_token(world.instansi, ["complaints:write"])
    f = io.BytesIO(b"MZ\x90\x00")
    f.name = "virus.exe"
    error = assert_error(import_complaints(client, f, secret), 422, "validation_error")
    assert error["details"][0]["field"] == "file"
    error = assert_error(
        client.post("/api/complaints/import", {}, **bearer(secret)), 422, "validation_error"
    )
    assert error["details"][0]["field"] == "file"
    _t, reader = make_token(world.instansi, ["complaints:read"])
    assert_error(
        import_complaints(client, lapor_file([lapor_row(world)]), reader), 403, "insufficient_scope"
    )
    assert not Complaint.objects.exists()


def test_a_multipart_body_without_a_boundary_is_a_bad_request_not_a_server_error(world, client):
    _t, secret = make_token(world.instansi, ["complaints:write"])
    response = client.generic(
        "POST",
        "/api/complaints/import",
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na\r\n--x--',
        content_type="multipart/form-data",
        **bearer(secret),
    )
    error = assert_error(response, 400, "bad_request")
    assert "boundary" in error["message"]["en"] and "multipart" in error["message"]["id"]
    assert not Complaint.objects.exists()


def test_a_body_over_the_size_limit_is_refused_as_too_large(world, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    _t, secret = make_token(world.instansi, ["complaints:write"])
    response = client.post(
        "/api/complaints/import",
        "x=" + "a" * 500,
        content_type="application/x-www-form-urlencoded",
        **bearer(secret),
    )
    assert_error(response, 413, "too_large")


# --- IKM ----------------------------------------------------------------------------------------


def test_ikm_results_come_from_the_rollups(world, client, su, kiosk):
    for score in (4, 3):
        post_skm(
            client,
            {
                "service_unit_id": su.pk,
                "scores": all_scores(score),
                "submitted": "2026-03-02T09:00:00+07:00",
            },
            kiosk,
        )
    do_rebuild_rollups()
    _t, results = make_token(world.instansi, ["results:read"])
    body = api_get(client, "/api/ikm", results, year=2026).json()
    assert (body["period_start"], body["period_end"]) == ("2026-01-01", "2026-12-01")
    [row] = body["items"]
    assert (row["service_unit_id"], row["n_responses"]) == (su.pk, 2)
    assert row["ikm"] == pytest.approx(3.5)
    assert row["ikm_unit"] == pytest.approx(87.5)
    assert [u["nrr"] for u in row["unsur"]] == [pytest.approx(3.5)] * len(SLUGS)
    march = api_get(client, "/api/ikm", results, year=2026, month_from=4, month_to=6).json()
    assert march["items"] == []


def test_ikm_is_scoped_and_validated(world, client, su, kiosk):
    other = make_service_unit(world.beta, code="layanan-beta")
    for unit in (su, other):
        post_skm(
            client,
            {
                "service_unit_id": unit.pk,
                "scores": all_scores(4),
                "submitted": "2026-03-02T09:00:00+07:00",
            },
            kiosk,
        )
    do_rebuild_rollups()
    client.force_login(world.bob)  # pengelola of Dinas Alfa
    body = client.get("/api/ikm", {"year": 2026}).json()
    assert [r["service_unit_id"] for r in body["items"]] == [su.pk]
    error = assert_error(
        client.get("/api/ikm", {"year": 2026, "service_unit": other.pk}), 422, "validation_error"
    )
    assert error["details"][0]["field"] == "service_unit"
    error = assert_error(
        client.get("/api/ikm", {"year": 2026, "month_from": 6, "month_to": 3}),
        422,
        "validation_error",
    )
    assert error["details"][0]["field"] == "month_to"
    assert_error(client.get("/api/ikm", {"year": 2010}), 422, "validation_error")
    assert_error(client.get("/api/ikm", {"weight": "0.2"}), 422, "validation_error")


def test_ikm_query_budget(world, client, su, kiosk, django_assert_max_num_queries):
    for i in range(3):
        unit = factories.make_unit(world.instansi, f"Dinas {i}", code=f"D{i}")
        make_service_unit(unit, code=f"layanan-{i}")
    _t, results = make_token(world.instansi, ["results:read"])
    api_get(client, "/api/ikm", results)
    api_get(client, "/api/skm/service-units", kiosk)
    with django_assert_max_num_queries(4 + RATE_COUNTER_QUERIES):  # token, units, rollups, totals
        assert api_get(client, "/api/ikm", results).status_code == 200
    with django_assert_max_num_queries(3 + RATE_COUNTER_QUERIES):  # token, units, services
        assert len(api_get(client, "/api/skm/service-units", kiosk).json()) == 4

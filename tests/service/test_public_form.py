"""The public SKM form: anonymous, no JavaScript, abuse control, nothing identifying stored."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from kompeten.service.actions import do_fold_skm_responses, do_issue_tickets
from kompeten.service.models import ServiceTicket, SkmProfileRollup, SkmResponse, SkmRollup
from tests.service.helpers import enrolled_kiosk, form_post, make_service_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def test_it_shows_the_form_to_an_anonymous_visitor_with_the_official_labels(world) -> None:
    su = make_service_unit(world.alfa)
    response = Client().get(f"/survei/{su.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Persyaratan",
        "Sistem, Mekanisme, dan Prosedur",
        "Sangat sopan dan ramah",
        "Dikelola dengan baik",
        "Gratis",
        "Jenis kelamin",
        "Saran dan masukan",
    ):
        assert text in html
    assert "<script" not in html  # works without JavaScript


def test_it_accepts_an_answer_and_the_fold_counts_it(world) -> None:
    su = make_service_unit(world.alfa)
    response = Client().post(f"/survei/{su.code}/", form_post(score=3, suggestion="Antrian lama"))
    assert response.status_code == 302
    row = SkmResponse.objects.get()
    assert row.scores["persyaratan"] == 3 and row.suggestion == "Antrian lama"
    assert not row.rolled_on_insert
    assert not SkmRollup.objects.exists()  # the accept path writes only the response
    assert do_fold_skm_responses() == 1
    assert do_fold_skm_responses() == 0  # counted once
    assert SkmRollup.objects.filter(service_unit=su).count() == 9
    assert all(r.c3 == 1 and r.c1 + r.c2 + r.c4 == 0 for r in SkmRollup.objects.all())
    assert SkmProfileRollup.objects.get(dimension="total").count == 1


def test_it_stores_no_ip_address_or_anything_about_the_client(world) -> None:
    su = make_service_unit(world.alfa)
    Client(REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="AgenRahasia/1.0").post(
        f"/survei/{su.code}/", form_post()
    )
    row = SkmResponse.objects.values().get()
    text = repr(row)
    assert "203.0.113.77" not in text and "AgenRahasia" not in text
    field_names = {f.name for f in SkmResponse._meta.get_fields()}
    assert not {"ip", "ip_address", "user_agent", "session"} & field_names


def test_it_refuses_a_filled_honeypot_and_stores_nothing(world) -> None:
    su = make_service_unit(world.alfa)
    response = Client().post(f"/survei/{su.code}/", form_post(situs_web="http://spam.example"))
    assert response.status_code == 400
    assert "tidak dapat diterima" in response.content.decode()
    assert not SkmResponse.objects.exists() and not SkmRollup.objects.exists()


def test_it_answers_a_flood_with_429_in_indonesian(world, settings) -> None:
    settings.KOMPETEN_SKM_RATE_LIMIT = "3/600"
    su = make_service_unit(world.alfa)
    client = Client(REMOTE_ADDR="198.51.100.5")
    codes = [client.post(f"/survei/{su.code}/", form_post()).status_code for _ in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    last = client.post(f"/survei/{su.code}/", form_post())
    assert "Terlalu banyak pengiriman" in last.content.decode()
    assert SkmResponse.objects.count() == 3
    # another citizen is not blocked
    assert (
        Client(REMOTE_ADDR="198.51.100.6").post(f"/survei/{su.code}/", form_post()).status_code
        == 302
    )


def test_it_refuses_a_score_outside_one_to_four_and_a_missing_unsur(world) -> None:
    su = make_service_unit(world.alfa)
    bad = form_post()
    bad["u_persyaratan"] = "5"
    del bad["u_sarana_prasarana"]
    response = Client().post(f"/survei/{su.code}/", bad)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mohon pilih salah satu jawaban untuk unsur Sarana dan Prasarana." in html
    assert "Jawaban untuk unsur Persyaratan harus salah satu pilihan 1–4." in html
    assert 'value="4"' in html  # what the citizen typed is kept
    assert not SkmResponse.objects.exists()


def test_one_ticket_gives_one_response(world) -> None:
    su = make_service_unit(world.alfa)
    client = Client()
    assert client.post(f"/survei/{su.code}/", form_post(ticket="A-001")).status_code == 302
    again = client.post(f"/survei/{su.code}/", form_post(ticket="a-001"))
    assert again.status_code == 400
    assert "sudah dipakai" in again.content.decode()
    assert SkmResponse.objects.count() == 1


def test_a_unit_that_requires_tickets_accepts_only_registered_unused_ones(world) -> None:
    su = make_service_unit(world.alfa, requires_ticket=True)
    do_issue_tickets(su, ["R-10", "R-11"])
    client = Client()
    assert client.post(f"/survei/{su.code}/", form_post()).status_code == 400
    unknown = client.post(f"/survei/{su.code}/", form_post(ticket="R-99"))
    assert "tidak terdaftar" in unknown.content.decode()
    assert client.post(f"/survei/{su.code}/", form_post(ticket="R-10")).status_code == 302
    assert client.post(f"/survei/{su.code}/", form_post(ticket="R-10")).status_code == 400
    assert SkmResponse.objects.count() == 1
    assert ServiceTicket.objects.get(number="R-10").used_at is not None
    assert ServiceTicket.objects.get(number="R-11").used_at is None


def test_kiosk_mode_resets_after_each_answer(world) -> None:
    su = make_service_unit(world.alfa)
    _device, token = enrolled_kiosk(su, world.alice)
    client = Client()
    client.cookies["kompeten_kiosk"] = token
    url = f"/survei/{su.code}/kios/"
    response = client.post(url, form_post())
    assert response.status_code == 302 and response["Location"].endswith("terima-kasih/")
    thanks = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in thanks and url in thanks
    assert SkmResponse.objects.get().source == "kiosk"
    assert Client().get(url).status_code == 403  # a tablet without an enrolled device


def test_a_service_link_records_the_jenis_layanan(world) -> None:
    su = make_service_unit(world.alfa)
    Client().post(f"/survei/{su.code}/layanan/ktp/", form_post())
    assert SkmResponse.objects.get().service.code == "ktp"
    assert Client().get(f"/survei/{su.code}/layanan/tidak-ada/").status_code == 404


def test_an_answer_costs_its_counter_and_one_insert_and_sets_no_cookie(
    world, django_assert_num_queries
) -> None:
    su = make_service_unit(world.alfa)
    client = Client()
    first = client.get(f"/survei/{su.code}/")  # loads the unit (cached for a few seconds)
    assert first.status_code == 200 and not first.cookies
    # the rate-limit counter (one atomic upsert; a Redis round trip instead when CACHE_URL is
    # Redis) and the INSERT of the response, nothing else
    with django_assert_num_queries(2):
        response = client.post(f"/survei/{su.code}/", form_post())
    assert response.status_code == 302 and not response.cookies
    assert SkmResponse.objects.count() == 1


def test_closing_a_unit_stops_its_form_at_once_in_this_process(world) -> None:
    from kompeten.service.actions import do_update_service_unit

    su = make_service_unit(world.alfa)
    assert Client().get(f"/survei/{su.code}/").status_code == 200
    do_update_service_unit(su, population=None, requires_ticket=False, is_active=False)
    assert Client().post(f"/survei/{su.code}/", form_post()).status_code == 404
    assert not SkmResponse.objects.exists()

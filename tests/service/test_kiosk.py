"""Kiosk devices: enrolled by the unit's admin with a one-time code (the token is a cookie,
never in an address), limited per device, revocable at once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from kompeten.core.models import AuditLog
from kompeten.service.actions.kiosk import do_enrol_kiosk, do_issue_kiosk_code, do_revoke_kiosk
from kompeten.service.kiosk import COOKIE_NAME, hash_secret
from kompeten.service.models import KioskDevice, SkmResponse
from tests.service.helpers import enrolled_kiosk, form_post, make_service_unit

pytestmark = pytest.mark.django_db


def _staff(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _tablet(token: str) -> Client:
    client = Client()
    client.cookies[COOKIE_NAME] = token
    return client


def test_the_admin_issues_a_code_shown_once_and_only_its_hash_is_kept(world) -> None:
    su = make_service_unit(world.alfa)
    response = _staff(world.bob).post(f"/layanan/kelola/{su.pk}/kios/", {"name": "Tablet loket 1"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = re.search(
        r'data-testid="enrol-code">([0-9A-Z]{4}-[0-9A-Z]{4})<', response.content.decode()
    )
    assert code is not None
    device = KioskDevice.objects.get()
    assert device.name == "Tablet loket 1" and device.token_hash is None
    assert device.enrol_code_hash == hash_secret(code.group(1).replace("-", ""))
    assert code.group(1) not in str(device.__dict__)
    assert "/survei/daftar-kios/" in response.content.decode()
    again = _staff(world.bob).get(f"/layanan/kelola/{su.pk}/kios/").content.decode()
    assert code.group(1) not in again and "menunggu pendaftaran" in again
    assert AuditLog.objects.filter(action="service.kiosk_code_issued", actor=world.bob).exists()


def test_a_nameless_device_is_refused_with_a_message(world) -> None:
    su = make_service_unit(world.alfa)
    response = _staff(world.alice).post(f"/layanan/kelola/{su.pk}/kios/", {"name": "  "})
    assert response.status_code == 400
    assert not KioskDevice.objects.exists()
    with pytest.raises(ValidationError, match="Nama perangkat wajib diisi"):
        do_issue_kiosk_code(su, name=" ", actor=world.alice)


def test_the_tablet_enrols_with_the_code_and_gets_a_cookie_not_an_address(world) -> None:
    su = make_service_unit(world.alfa)
    _device, code = do_issue_kiosk_code(su, name="Tablet loket 1", actor=world.alice)
    tablet = Client()
    assert tablet.get("/survei/daftar-kios/").status_code == 200
    typed = f"  {code.lower().replace('-', ' ')} "  # as people type it
    response = tablet.post("/survei/daftar-kios/", {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/survei/{su.code}/kios/"  # no secret in the address
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] and cookie["path"] == "/survei/" and cookie["samesite"] == "Lax"
    device = KioskDevice.objects.get()
    assert device.token_hash == hash_secret(cookie.value) and device.enrolled_at is not None
    assert tablet.post(response["Location"], form_post()).status_code == 302
    answer = SkmResponse.objects.get()
    assert answer.source == "kiosk" and answer.service_unit_id == su.pk
    device.refresh_from_db()
    assert device.last_seen is not None
    assert AuditLog.objects.filter(action="service.kiosk_enrolled").count() == 1


def test_the_tablet_posts_without_a_csrf_token_like_the_public_form(world) -> None:
    su = make_service_unit(world.alfa)
    _device, token = enrolled_kiosk(su, world.alice)
    tablet = Client(enforce_csrf_checks=True)
    tablet.cookies[COOKIE_NAME] = token
    assert tablet.post(f"/survei/{su.code}/kios/", form_post()).status_code == 302


def test_a_code_works_once(world) -> None:
    su = make_service_unit(world.alfa)
    _device, code = do_issue_kiosk_code(su, name="Tablet", actor=world.alice)
    do_enrol_kiosk(code)
    second = Client().post("/survei/daftar-kios/", {"code": code})
    assert second.status_code == 400
    assert "tidak dikenal, sudah dipakai, atau sudah kedaluwarsa" in second.content.decode()
    assert COOKIE_NAME not in second.cookies


def test_an_expired_or_revoked_code_is_refused(world) -> None:
    su = make_service_unit(world.alfa)
    _late, late_code = do_issue_kiosk_code(su, name="Terlambat", actor=world.alice)
    revoked, revoked_code = do_issue_kiosk_code(su, name="Dicabut", actor=world.alice)
    do_revoke_kiosk(revoked, actor=world.alice)
    later = timezone.now() + timedelta(hours=KioskDevice.ENROL_HOURS, minutes=1)
    with time_machine.travel(later), pytest.raises(ValidationError, match="kedaluwarsa"):
        do_enrol_kiosk(late_code)
    with pytest.raises(ValidationError, match="kedaluwarsa"):
        do_enrol_kiosk(revoked_code)
    assert not KioskDevice.objects.filter(token_hash__isnull=False).exists()


def test_a_code_of_the_wrong_shape_is_named(world) -> None:
    response = Client().post("/survei/daftar-kios/", {"code": "12345"})
    assert response.status_code == 400
    assert "8 huruf/angka" in response.content.decode()


def test_guessing_codes_is_limited_per_client_address(world, settings) -> None:
    settings.KOMPETEN_KIOSK_ENROL_RATE_LIMIT = "3/600"
    su = make_service_unit(world.alfa)
    _device, code = do_issue_kiosk_code(su, name="Tablet", actor=world.alice)
    guesses = [
        Client().post("/survei/daftar-kios/", {"code": "AAAA-AAAA"}, REMOTE_ADDR="203.0.113.1")
        for _ in range(3)
    ]
    blocked = Client().post("/survei/daftar-kios/", {"code": code}, REMOTE_ADDR="203.0.113.1")
    assert [g.status_code for g in guesses] == [400, 400, 400]
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan kode" in blocked.content.decode()
    other = Client().post("/survei/daftar-kios/", {"code": code}, REMOTE_ADDR="203.0.113.2")
    assert other.status_code == 302


def test_kiosk_mode_without_an_enrolled_device_is_refused(world) -> None:
    su = make_service_unit(world.alfa)
    other_su = make_service_unit(world.beta, code="layanan-beta")
    _device, other_token = enrolled_kiosk(other_su, world.alice)
    url = f"/survei/{su.code}/kios/"
    for client in (Client(), _tablet("bukan-token"), _tablet(other_token)):
        response = client.post(url, form_post())
        assert response.status_code == 403
        assert "belum terdaftar sebagai kios" in response.content.decode()
    assert not SkmResponse.objects.exists()


def test_the_old_address_with_the_unit_key_no_longer_opens_the_kiosk(world) -> None:
    su = make_service_unit(world.alfa)
    old_key = "Md0GtcxvupC-wXp_"  # the shape of the unit keys the old addresses carried
    assert Client().post(f"/survei/{su.code}/kios/{old_key}/", form_post()).status_code == 404
    assert not SkmResponse.objects.exists()


def test_each_device_has_its_own_limit(world, settings) -> None:
    settings.KOMPETEN_SKM_KIOSK_RATE_LIMIT = "3/600"
    su = make_service_unit(world.alfa)
    _a, token_a = enrolled_kiosk(su, world.alice, "Loket 1")
    _b, token_b = enrolled_kiosk(su, world.alice, "Loket 2")
    url = f"/survei/{su.code}/kios/"
    flood = [_tablet(token_a).post(url, form_post()).status_code for _ in range(5)]
    assert flood == [302, 302, 302, 429, 429]
    assert _tablet(token_b).post(url, form_post()).status_code == 302
    assert SkmResponse.objects.count() == 4


def test_a_revoked_device_is_refused_at_once(world) -> None:
    su = make_service_unit(world.alfa)
    device, token = enrolled_kiosk(su, world.alice)
    url = f"/survei/{su.code}/kios/"
    assert _tablet(token).post(url, form_post()).status_code == 302
    response = _staff(world.bob).post(f"/layanan/kelola/{su.pk}/kios/{device.pk}/cabut/")
    assert response.status_code == 302
    assert _tablet(token).post(url, form_post()).status_code == 403
    assert SkmResponse.objects.count() == 1
    assert AuditLog.objects.filter(action="service.kiosk_revoked", actor=world.bob).exists()
    page = _staff(world.bob).get(f"/layanan/kelola/{su.pk}/kios/").content.decode()
    assert "dicabut" in page
    with pytest.raises(ValidationError, match="sudah dicabut"):
        do_revoke_kiosk(KioskDevice.objects.get(), actor=world.alice)


def test_only_the_units_managers_see_and_revoke_its_kiosks(world) -> None:
    su = make_service_unit(world.beta, code="layanan-beta")  # bob manages Dinas Alfa only
    device, token = enrolled_kiosk(su, world.alice)
    for user in (world.bob, world.erin, world.pia, world.mallory):
        client = _staff(user)
        assert client.get(f"/layanan/kelola/{su.pk}/kios/").status_code in {403, 404}
        revoke = client.post(f"/layanan/kelola/{su.pk}/kios/{device.pk}/cabut/")
        assert revoke.status_code in {403, 404}
        issue = client.post(f"/layanan/kelola/{su.pk}/kios/", {"name": "Penyusup"})
        assert issue.status_code in {403, 404}
    assert KioskDevice.objects.count() == 1
    assert KioskDevice.objects.get().revoked_at is None
    alfa_su = make_service_unit(world.alfa)
    revoke = _staff(world.bob).post(f"/layanan/kelola/{alfa_su.pk}/kios/{device.pk}/cabut/")
    assert revoke.status_code == 404  # a device is reached through its own unit only
    assert _tablet(token).get(f"/survei/{su.code}/kios/").status_code == 200


def test_the_kiosk_page_has_a_fixed_query_count(world, django_assert_num_queries) -> None:
    su = make_service_unit(world.alfa)
    for i in range(3):
        enrolled_kiosk(su, world.alice, f"Loket {i}")
    client = _staff(world.bob)
    client.get(f"/layanan/kelola/{su.pk}/kios/")
    # session, user, the pengelola's managed unit (scope), the unit, its devices, instansi
    with django_assert_num_queries(6):
        body = client.get(f"/layanan/kelola/{su.pk}/kios/").content.decode()
    assert body.count("Cabut") == 3

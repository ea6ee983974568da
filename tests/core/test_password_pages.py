"""Password change for every user, reset by e-mail, admin-issued one-time links, activation
letters for provisioned accounts, and the forced change of a password set by someone else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kompeten.core.models import AuditLog, PasswordLink, Role, User
from kompeten.people import actions
from tests.factories import PASSWORD, make_employee

NEW = "Sawahlunto-Kota-Tambang-7"
LINK_RE = re.compile(r"/akun/tautan/([A-Za-z0-9_\-]+)/")


@pytest.fixture(autouse=True)
def no_lockout(settings):
    settings.AXES_ENABLED = False


def logs_in(client, username: str, password: str) -> bool:
    client.logout()
    ok = client.login(username=username, password=password)
    client.logout()
    return ok


def issue_link(client, world, user: User) -> str:
    client.force_login(world.alice)
    response = client.post(reverse("account_issue_link", args=[user.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    client.logout()
    match = LINK_RE.search(response.content.decode())
    assert match is not None
    return match.group(1)


# -- change -----------------------------------------------------------------------------------


def test_every_user_changes_their_own_password(world, client, django_assert_max_num_queries):
    client.force_login(world.dave)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200  # the session survives the change
    assert logs_in(client, world.dave.username, NEW)
    assert not logs_in(client, world.dave.username, PASSWORD)
    assert AuditLog.objects.filter(action="user.password_change", actor=world.dave).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"old_password": "salah", "new_password1": NEW, "new_password2": NEW}, "Sandi lama"),
        (
            {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"},
            "Dua bidang sandi tidak cocok",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
            "terlalu umum",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "83920174", "new_password2": "83920174"},
            "seluruhnya terdiri dari angka",
        ),
    ],
)
def test_a_refused_change_says_why_in_indonesian_and_keeps_the_password(
    world, client, data, message
):
    client.force_login(world.dave)
    response = client.post(reverse("password_change"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert logs_in(client, world.dave.username, PASSWORD)


# -- forced change ----------------------------------------------------------------------------


def test_a_password_set_by_someone_else_must_be_changed_before_anything_else(world, client):
    user = actions.do_create_user(
        instansi=world.instansi,
        username="baru",
        password="Diberikan-Admin-2026",
        role=Role.PEGAWAI,
        must_change_password=True,
    )
    assert client.login(username="baru", password="Diberikan-Admin-2026")
    for url in (reverse("home"), reverse("people:employee_list"), "/api/openapi.json"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == reverse("password_change")
    page = client.get(reverse("password_change"))
    assert "Ganti dulu dengan kata sandi pilihan Anda sendiri" in page.content.decode()
    client.post(
        reverse("password_change"),
        {"old_password": "Diberikan-Admin-2026", "new_password1": NEW, "new_password2": NEW},
    )
    user.refresh_from_db()
    assert user.must_change_password is False
    assert client.get(reverse("home")).status_code == 200


def test_an_htmx_request_of_a_user_who_must_change_is_sent_to_the_change_page(world, client):
    User.objects.filter(pk=world.dave.pk).update(must_change_password=True)
    client.force_login(world.dave)
    response = client.get(reverse("people:employee_list"), headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("password_change")


def test_a_user_who_must_change_can_still_log_out(world, client):
    User.objects.filter(pk=world.dave.pk).update(must_change_password=True)
    client.force_login(world.dave)
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


# -- reset by e-mail --------------------------------------------------------------------------


def test_a_user_with_an_email_resets_through_the_emailed_link(world, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    User.objects.filter(pk=world.dave.pk).update(
        email="dave@example.go.id", must_change_password=True
    )
    response = client.post(reverse("password_reset"), {"email": "DAVE@example.go.id"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Atur ulang kata sandi" in mail.outbox[0].subject
    assert world.dave.username in body
    link = re.search(re.escape(settings.SITE_URL) + r"(/akun/sandi/atur/\S+/)", body)
    assert link is not None
    form = client.get(link.group(1), follow=True)
    assert form.context["validlink"]
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    world.dave.refresh_from_db()
    assert world.dave.must_change_password is False
    assert logs_in(client, world.dave.username, NEW)
    assert AuditLog.objects.filter(action="user.password_reset_email").exists()
    # the link worked once
    again = client.get(link.group(1), follow=True)
    assert not again.context["validlink"]


def test_no_email_is_sent_to_an_address_no_account_has(world, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(reverse("password_reset"), {"email": "siapa@example.go.id"})
    assert response.status_code == 302  # the same answer: the page does not reveal accounts
    assert mail.outbox == []


def test_reset_emails_are_limited_per_client_and_per_address(world, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KOMPETEN_PASSWORD_RESET_RATE_LIMIT = "3/3600"
    User.objects.filter(pk=world.dave.pk).update(email="dave@example.go.id")
    url = reverse("password_reset")
    for i in range(3):  # three for dave, from three addresses
        response = client.post(url, {"email": "dave@example.go.id"}, REMOTE_ADDR=f"10.0.0.{i}")
        assert response.status_code == 302
    refused = client.post(url, {"email": "Dave@Example.go.id"}, REMOTE_ADDR="10.0.0.9")
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan atur ulang sandi" in refused.content.decode()
    assert len(mail.outbox) == 3
    for i in range(2):  # 10.0.0.9 has one hit; two more addresses from it, then it is refused
        client.post(url, {"email": f"orang{i}@example.go.id"}, REMOTE_ADDR="10.0.0.9")
    assert client.post(url, {"email": "x@example.go.id"}, REMOTE_ADDR="10.0.0.9").status_code == 429
    assert client.post(url, {"email": "x@example.go.id"}, REMOTE_ADDR="10.0.0.8").status_code == 302


# -- admin-issued one-time links --------------------------------------------------------------


def test_an_admin_issues_a_one_time_link_stored_only_as_a_hash(world, client):
    secret = issue_link(client, world, world.dave)
    link = PasswordLink.objects.get(user=world.dave)
    assert link.purpose == PasswordLink.Purpose.RESET
    assert secret not in link.token_hash and len(link.token_hash) == 64
    assert timedelta(hours=71) < link.expires - timezone.now() <= timedelta(hours=72)
    audit = AuditLog.objects.get(action="user.password_link.reset")
    assert audit.actor == world.alice and audit.object_id == str(world.dave.pk)

    url = reverse("account_link", args=[secret])
    assert world.dave.username in client.get(url).content.decode()
    response = client.post(url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert logs_in(client, world.dave.username, NEW)
    # single use
    assert client.get(url).status_code == 404
    assert client.post(url, {"new_password1": NEW, "new_password2": NEW}).status_code == 404


def test_a_refused_password_on_a_link_says_why_and_does_not_spend_it(world, client):
    secret = issue_link(client, world, world.dave)
    url = reverse("account_link", args=[secret])
    mismatch = client.post(url, {"new_password1": NEW, "new_password2": "lain"})
    assert "Kedua isian kata sandi baru tidak sama" in mismatch.content.decode()
    weak = client.post(url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "terlalu umum" in weak.content.decode()
    assert client.post(url, {"new_password1": NEW, "new_password2": NEW}).status_code == 302


def test_a_link_expires_after_72_hours(world, client):
    secret = issue_link(client, world, world.dave)
    url = reverse("account_link", args=[secret])
    with time_machine.travel(timezone.now() + timedelta(hours=72, minutes=1)):
        response = client.get(url)
    assert response.status_code == 404
    assert "sudah lewat 72 jam" in response.content.decode()


def test_a_new_link_cancels_the_earlier_one(world, client):
    first = issue_link(client, world, world.dave)
    second = issue_link(client, world, world.dave)
    assert client.get(reverse("account_link", args=[first])).status_code == 404
    assert client.get(reverse("account_link", args=[second])).status_code == 200


def test_links_expired_for_a_month_are_deleted_when_new_ones_are_issued(world, client):
    issue_link(client, world, world.dave)
    with time_machine.travel(timezone.now() + timedelta(days=34)):
        issue_link(client, world, world.erin)
    assert list(PasswordLink.objects.values_list("user", flat=True)) == [world.erin.pk]


def test_an_admin_of_another_instansi_cannot_issue_a_link(world, client):
    client.force_login(world.mallory)
    assert client.post(reverse("account_issue_link", args=[world.dave.pk])).status_code == 404
    assert not PasswordLink.objects.exists()


# -- provisioned accounts ---------------------------------------------------------------------


def test_provisioned_accounts_get_their_own_activation_letters_and_no_shared_password(
    world, client
):
    new = [make_employee(world.beta, f"Pegawai Baru {i}") for i in range(3)]
    client.force_login(world.alice)
    response = client.post(reverse("account_activation"), {"create": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    secrets = LINK_RE.findall(page)
    users = list(User.objects.filter(employee__in=new))
    assert len(users) == 3
    assert not any(u.has_usable_password() for u in users)
    assert len({u.password for u in users}) == 3
    # one letter per account waiting for activation, each with its own link
    waiting = User.objects.filter(instansi=world.instansi, password__startswith="!").count()
    assert len(secrets) == len(set(secrets)) == waiting >= 3
    for employee in new:
        assert employee.nip in page

    client.logout()
    mine = next(
        s
        for s in secrets
        if PasswordLink.objects.get(token_hash=_hash(s)).user.employee_id == new[0].pk
    )
    url = reverse("account_link", args=[mine])
    response = client.post(url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert logs_in(client, new[0].nip, NEW)
    assert AuditLog.objects.filter(action="user.password_link.activation").exists()


def test_activation_letters_for_one_opd_leave_the_others_links_alone(world, client):
    in_beta = make_employee(world.beta, "Pegawai Beta")
    in_layanan = make_employee(world.layanan, "Pegawai Layanan")
    actions.do_provision_accounts(instansi=world.instansi, employees=[in_beta, in_layanan])
    client.force_login(world.alice)
    response = client.post(reverse("account_activation"), {"unit": world.alfa.pk})
    page = response.content.decode()
    assert in_layanan.nip in page  # Bidang Layanan is below Dinas Alfa
    assert in_beta.nip not in page
    assert PasswordLink.objects.filter(user__employee=in_layanan, used__isnull=True).exists()
    assert not PasswordLink.objects.filter(user__employee=in_beta).exists()


def test_an_unknown_opd_is_refused_with_a_message(world, client):
    client.force_login(world.alice)
    for picked in ("999999", "abc"):
        response = client.post(reverse("account_activation"), {"unit": picked}, follow=True)
        assert "OPD yang dipilih tidak ditemukan" in response.content.decode()
    assert not PasswordLink.objects.exists()


def _hash(secret: str) -> str:
    import hashlib

    return hashlib.sha256(secret.encode()).hexdigest()


def test_the_demo_password_needs_no_change(world):
    employee = make_employee(world.beta, "Pegawai Demo")
    (user,) = actions.do_provision_accounts(
        instansi=world.instansi, employees=[employee], password="sawahlunto2026"
    )
    assert user.check_password("sawahlunto2026")
    assert user.must_change_password is False


def test_the_account_list_reads_a_fixed_number_of_queries(
    world, client, django_assert_max_num_queries
):
    for i in range(30):
        make_employee(world.beta, f"Pegawai Daftar {i}")
    actions.do_provision_accounts(
        instansi=world.instansi,
        employees=list(world.beta.employees.all()),
    )
    client.force_login(world.alice)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("account_list"), {"status": "belum_aktif"})
    assert response.status_code == 200
    assert "Belum aktif" in response.content.decode()
    found = client.get(reverse("account_list"), {"q": "CAROL"}).context["page"]
    assert list(found.object_list) == [world.carol]

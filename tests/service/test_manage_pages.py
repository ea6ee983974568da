"""Staff pages that manage service units, jenis layanan, questionnaire versions and tickets."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from kompeten.core.models import AuditLog
from kompeten.service.actions import do_submit_skm_response
from kompeten.service.models import Questionnaire, Service, ServiceTicket, ServiceUnit
from kompeten.service.views.manage import TICKET_ALPHABET, new_ticket_numbers
from tests.service.helpers import SLUGS, all_scores, make_service_unit

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _unit_post(world, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "unit": world.layanan.pk,
        "name": "Loket KTP-el",
        "code": "loket-ktp",
        "population": "12000",
    }
    data.update(extra)
    return data


# --- service units -------------------------------------------------------------------------


def test_a_pengelola_creates_a_service_unit_in_their_opd(world) -> None:
    response = _client(world.bob).post("/layanan/kelola/baru/", _unit_post(world))
    su = ServiceUnit.objects.get(code="loket-ktp")
    assert response.status_code == 302
    assert response["Location"] == f"/layanan/kelola/{su.pk}/"
    assert (su.unit_id, su.name, su.population, su.is_active) == (
        world.layanan.pk,
        "Loket KTP-el",
        12000,
        True,
    )
    assert AuditLog.objects.filter(action="service_unit.create", actor=world.bob).exists()


def test_a_pengelola_cannot_attach_a_unit_outside_their_subtree(world) -> None:
    response = _client(world.bob).post(
        "/layanan/kelola/baru/", _unit_post(world, unit=world.beta.pk)
    )
    assert response.status_code == 400
    assert "Unit kerja ini di luar lingkup Anda." in response.content.decode()
    assert not ServiceUnit.objects.exists()


def test_the_create_page_lists_only_opd_units_in_scope(world, django_assert_num_queries) -> None:
    bob = _client(world.bob)
    bob.get("/layanan/kelola/baru/")
    # session, user, managed unit, the OPD unit choices, instansi (footer)
    with django_assert_num_queries(5):
        body = bob.get("/layanan/kelola/baru/").content.decode()
    assert "Bidang Layanan" in body and "Dinas Alfa" in body and "Dinas Beta" not in body


def test_a_duplicate_code_is_refused_with_a_clear_message(world) -> None:
    make_service_unit(world.alfa, code="loket-ktp")
    response = _client(world.alice).post("/layanan/kelola/baru/", _unit_post(world))
    assert response.status_code == 400
    assert "Kode survei loket-ktp sudah dipakai." in response.content.decode()
    assert ServiceUnit.objects.count() == 1


def test_bad_code_and_population_are_refused(world) -> None:
    response = _client(world.alice).post(
        "/layanan/kelola/baru/", _unit_post(world, code="Loket KTP!", population="0")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Kode hanya boleh huruf kecil, angka dan tanda hubung." in body
    assert not ServiceUnit.objects.exists()


def test_an_admin_edits_name_population_activity_and_opd(world) -> None:
    su = make_service_unit(world.alfa)
    response = _client(world.alice).post(
        f"/layanan/kelola/{su.pk}/",
        {"unit": world.beta.pk, "name": "Loket Baru", "population": "500"},
    )
    assert response.status_code == 302
    su.refresh_from_db()
    assert (su.name, su.population, su.is_active, su.unit_id, su.requires_ticket) == (
        "Loket Baru",
        500,
        False,
        world.beta.pk,
        False,
    )
    log = AuditLog.objects.get(action="service_unit.update")
    assert log.before["name"] == "Layanan Dinas Alfa" and log.after["name"] == "Loket Baru"


def test_a_pengelola_cannot_open_or_edit_a_unit_of_another_opd(world) -> None:
    other = make_service_unit(world.beta, code="beta")
    bob = _client(world.bob)
    for url in (
        f"/layanan/kelola/{other.pk}/",
        f"/layanan/kelola/{other.pk}/kuesioner/",
        f"/layanan/kelola/{other.pk}/tiket/",
    ):
        assert bob.get(url).status_code == 404
    assert bob.post(f"/layanan/kelola/{other.pk}/", {"name": "x"}).status_code == 404
    assert (
        bob.post(f"/layanan/kelola/{other.pk}/layanan/", {"code": "a", "name": "A"}).status_code
        == 404
    )
    assert _client(world.mallory).get(f"/layanan/kelola/{other.pk}/").status_code == 404
    other.refresh_from_db()
    assert other.name == "Layanan Dinas Beta"


def test_a_pengelola_cannot_move_their_unit_to_another_opd(world) -> None:
    su = make_service_unit(world.layanan)
    response = _client(world.bob).post(
        f"/layanan/kelola/{su.pk}/", {"unit": world.beta.pk, "name": "X", "is_active": "on"}
    )
    assert response.status_code == 400
    assert "Unit kerja ini di luar lingkup Anda." in response.content.decode()
    su.refresh_from_db()
    assert su.unit_id == world.layanan.pk and su.name == "Layanan Bidang Layanan"


@pytest.mark.parametrize("user", ["pia", "carol", "dave", "erin"])
def test_only_admin_and_pengelola_may_manage(world, user: str) -> None:
    su = make_service_unit(world.alfa)
    client = _client(getattr(world, user))
    for url in ("/layanan/kelola/", "/layanan/kelola/baru/", f"/layanan/kelola/{su.pk}/"):
        assert client.get(url).status_code == 403
    assert client.post("/layanan/kelola/baru/", _unit_post(world)).status_code == 403
    assert ServiceUnit.objects.count() == 1


def test_the_list_shows_only_units_in_scope(world, django_assert_num_queries) -> None:
    mine = make_service_unit(world.layanan, code="mine")
    other = make_service_unit(world.beta, code="other")
    bob = _client(world.bob)
    bob.get("/layanan/kelola/")  # warm up the session
    # session, user, managed unit, the annotated list, the instansi (page footer)
    with django_assert_num_queries(5):
        body = bob.get("/layanan/kelola/").content.decode()
    assert mine.name in body and other.name not in body
    assert other.name in _client(world.alice).get("/layanan/kelola/").content.decode()


def test_the_list_query_count_does_not_grow_with_units(world, django_assert_num_queries) -> None:
    for i in range(6):
        su = make_service_unit(world.alfa, code=f"su-{i}")
        ServiceTicket.objects.create(service_unit=su, number=f"T{i}")
    alice = _client(world.alice)
    alice.get("/layanan/kelola/")
    with django_assert_num_queries(4):  # session, user, the annotated list, instansi (footer)
        assert alice.get("/layanan/kelola/").status_code == 200


def test_the_unit_page_links_the_poster_and_has_a_fixed_query_count(
    world, django_assert_num_queries
) -> None:
    su = make_service_unit(world.alfa)
    alice = _client(world.alice)
    alice.get(f"/layanan/kelola/{su.pk}/")
    # session, user, the unit, its services, the OPD unit choices, its enrolled kiosks (a
    # count), instansi (footer)
    with django_assert_num_queries(7):
        body = alice.get(f"/layanan/kelola/{su.pk}/").content.decode()
    assert f"/layanan/unit/{su.pk}/poster.pdf" in body
    assert f"/layanan/unit/{su.pk}/poster.pdf?layanan=ktp" in body
    assert f"/survei/{su.code}/" in body
    pdf = alice.get(f"/layanan/unit/{su.pk}/poster.pdf")
    assert pdf["Content-Type"] == "application/pdf"


# --- jenis layanan -------------------------------------------------------------------------


def test_a_service_is_added_and_a_duplicate_code_refused(world) -> None:
    su = make_service_unit(world.layanan)
    bob = _client(world.bob)
    response = bob.post(
        f"/layanan/kelola/{su.pk}/layanan/", {"code": "kk", "name": "Kartu Keluarga"}
    )
    assert response.status_code == 302
    assert Service.objects.filter(service_unit=su, code="kk", name="Kartu Keluarga").exists()
    again = bob.post(f"/layanan/kelola/{su.pk}/layanan/", {"code": "kk", "name": "KK lagi"})
    assert again.status_code == 400
    assert "Kode jenis layanan kk sudah dipakai di unit ini." in again.content.decode()
    assert Service.objects.filter(service_unit=su).count() == 2  # ktp + kk


# --- questionnaire versions ----------------------------------------------------------------


def _weights_post(weights: list[str], **extra: str) -> dict[str, str]:
    data = {"base": "SKM_2017"}
    data.update({f"w_{slug}": w for slug, w in zip(SLUGS, weights, strict=True)})
    data.update(extra)
    return data


def test_a_unit_adds_an_unsur_with_weights_summing_to_one(world) -> None:
    su = make_service_unit(world.layanan)
    response = _client(world.bob).post(
        f"/layanan/kelola/{su.pk}/kuesioner/",
        _weights_post(
            ["1/10"] * 9,
            x1_name="Kebersihan toilet",
            x1_labels="Kotor; Kurang bersih; Bersih; Sangat bersih",
            x1_weight="0,1",
        ),
    )
    assert response.status_code == 302
    su.refresh_from_db()
    q = su.questionnaire
    assert q is not None and q.code == f"{su.code}-v1"
    assert q.extra_unsur == [
        {
            "slug": "kebersihan-toilet",
            "name": "Kebersihan toilet",
            "labels": ["Kotor", "Kurang bersih", "Bersih", "Sangat bersih"],
        }
    ]
    assert q.weights["kebersihan-toilet"] == "1/10"
    assert su.version_id == f"Q{q.pk}"
    # the public form now asks ten questions
    form = Client().get(f"/survei/{su.code}/").content.decode()
    assert "Kebersihan toilet" in form and "Sangat bersih" in form


def test_weights_not_summing_to_one_are_refused_and_nothing_changes(world) -> None:
    su = make_service_unit(world.layanan)
    response = _client(world.bob).post(
        f"/layanan/kelola/{su.pk}/kuesioner/", _weights_post(["0,111"] * 9)
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Jumlah bobot unsur harus 1" in body and "0.999" in body
    su.refresh_from_db()
    assert su.questionnaire is None and not Questionnaire.objects.exists()


def test_missing_weights_and_bad_labels_are_named(world) -> None:
    su = make_service_unit(world.layanan)
    client = _client(world.bob)
    partial = client.post(f"/layanan/kelola/{su.pk}/kuesioner/", _weights_post(["1/9"] * 8 + [""]))
    assert partial.status_code == 400
    assert "tanpa bobot" in partial.content.decode()
    labels = client.post(
        f"/layanan/kelola/{su.pk}/kuesioner/",
        _weights_post([""] * 9, x1_name="Parkir", x1_labels="Buruk; Baik"),
    )
    assert labels.status_code == 400
    assert "Unsur Parkir perlu tepat empat label jawaban (ada 2)." in labels.content.decode()
    bad = client.post(f"/layanan/kelola/{su.pk}/kuesioner/", _weights_post(["abc"] * 9))
    assert "bukan angka" in bad.content.decode()
    assert not Questionnaire.objects.exists()


def test_a_version_with_responses_is_never_changed_a_new_one_is_made(
    world, django_assert_max_num_queries
) -> None:
    su = make_service_unit(world.layanan)
    client = _client(world.bob)
    extra = {"x1_name": "Parkir", "x1_labels": "a; b; c; d"}
    assert client.post(f"/layanan/kelola/{su.pk}/kuesioner/", _weights_post([""] * 9, **extra))
    su.refresh_from_db()
    first = su.questionnaire
    assert first is not None
    do_submit_skm_response(service_unit=su, scores={**all_scores(4), "parkir": 3})
    second_post = _weights_post(["1/20"] * 9, x1_name="Parkir", x1_labels="a; b; c; d")
    second_post["x1_weight"] = "11/20"
    assert client.post(f"/layanan/kelola/{su.pk}/kuesioner/", second_post).status_code == 302
    su.refresh_from_db()
    first.refresh_from_db()
    assert su.questionnaire is not None and su.questionnaire.pk != first.pk
    assert first.weights == {} and first.code == f"{su.code}-v1"
    assert su.questionnaire.code == f"{su.code}-v2"
    # back to the official set
    assert (
        client.post(f"/layanan/kelola/{su.pk}/kuesioner/", _weights_post([""] * 9)).status_code
        == 302
    )
    su.refresh_from_db()
    assert su.questionnaire is None and su.version_id == "SKM_2017"
    with django_assert_max_num_queries(9):
        page = client.get(f"/layanan/kelola/{su.pk}/kuesioner/").content.decode()
    assert f"Kuesioner unit (Q{first.pk})" in page and "PermenPANRB 14/2017" in page


# --- tickets -------------------------------------------------------------------------------


def test_tickets_are_issued_listed_and_exported(world, django_assert_num_queries) -> None:
    from python_calamine import CalamineWorkbook

    su = make_service_unit(world.layanan, requires_ticket=True)
    client = _client(world.bob)
    response = client.post(
        f"/layanan/kelola/{su.pk}/tiket/", {"numbers": "a-001\nA-002\n\nA-001", "generate": "3"}
    )
    assert response.status_code == 302
    numbers = set(ServiceTicket.objects.filter(service_unit=su).values_list("number", flat=True))
    assert {"A-001", "A-002"} <= numbers and len(numbers) == 5
    again = client.post(f"/layanan/kelola/{su.pk}/tiket/", {"numbers": "A-001"}, follow=True)
    assert "1 nomor sudah terdaftar sebelumnya dan dilewati." in again.content.decode()
    do_submit_skm_response(service_unit=su, scores=all_scores(4), ticket="A-001")
    client.get(f"/layanan/kelola/{su.pk}/tiket/")
    # session, user, managed unit, the unit, counts, the open tickets, instansi (footer)
    with django_assert_num_queries(7):
        page = client.get(f"/layanan/kelola/{su.pk}/tiket/?format=print").content.decode()
    assert "A-002" in page and "A-001</code>" not in page
    assert "Terbitkan tiket" not in page  # the print view hides the form
    xlsx = client.get(f"/layanan/kelola/{su.pk}/tiket/?format=xlsx")
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content)).get_sheet_by_index(0).to_python()
    )
    assert rows[0][0] == "Nomor tiket" and len(rows) == 1 + 4
    assert "A-001" not in {r[0] for r in rows}


def test_an_empty_ticket_form_is_refused(world) -> None:
    su = make_service_unit(world.layanan)
    response = _client(world.bob).post(f"/layanan/kelola/{su.pk}/tiket/", {"numbers": " \n"})
    assert response.status_code == 400
    assert "Isi nomor tiket atau jumlah tiket yang dibuat." in response.content.decode()
    assert not ServiceTicket.objects.exists()


def test_generated_ticket_numbers_are_readable_and_distinct() -> None:
    numbers = new_ticket_numbers(500)
    assert len(set(numbers)) == 500
    for n in numbers:
        assert len(n) == 9 and n[4] == "-"
        assert set(n.replace("-", "")) <= set(TICKET_ALPHABET)

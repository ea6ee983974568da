"""The batch's participants page: per-day attendance and completion, adding people by name/NIP
search or a pasted NIP list; permissions and query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kompeten.learning.actions.batches import BatchInput, do_create_held_batch
from kompeten.participation.actions.held import do_enrol_held, do_record_day_attendance
from kompeten.participation.models import (
    CompletionRule,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Notification,
)
from tests import factories
from tests.participation.builders import batch_ahead, make_programme, make_trainer

D1, D2 = date(2025, 6, 24), date(2025, 6, 25)


def held_batch(world, trainers=()):  # type: ignore[no-untyped-def]
    programme = make_programme(world.instansi, "Pelayanan Prima", jp="16")
    CompletionRule.objects.create(programme=programme, requires_posttest=False)
    return do_create_held_batch(
        programme,
        data=BatchInput(
            code="PP-1", name="Angkatan I", capacity=40, start_date=D1, end_date=D2,
            location="Aula", trainers=list(trainers),
        ),
    )  # fmt: skip


def populate(world, batch, n: int):  # type: ignore[no-untyped-def]
    people = [
        factories.make_employee(world.layanan, f"Peserta {k:02d}", birth_date=date(1980, 1, 1 + k))
        for k in range(n)
    ]
    do_enrol_held(batch, people, world.alice)
    marks = {p: {D1: "hadir", D2: "hadir" if k % 3 else "sakit"} for k, p in enumerate(people)}
    do_record_day_attendance(batch, marks, world.alice)
    return people


@pytest.mark.parametrize("n", [3, 15])
def test_the_page_lists_participants_with_days_and_completion_in_constant_queries(
    client, world, n, django_assert_max_num_queries
):
    batch = held_batch(world)
    populate(world, batch, n)
    client.force_login(world.alice)
    url = reverse("participation:batch_participants", args=[batch.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<tr><td>") == n
    assert "Peserta 00" in html and "Peserta 01" in html
    assert 'title="Sakit">S<' in html
    assert "<th>No.</th>" in html
    completed = n - len(range(0, n, 3))
    assert f"{completed} selesai" in html
    with django_assert_max_num_queries(12):
        partial = client.get(url, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert 'id="batch-participants"' in partial.content.decode()


def test_the_batch_page_offers_the_participants_to_the_admin_only(client, world):
    batch = held_batch(world)
    client.force_login(world.alice)
    page = client.get(batch.get_absolute_url()).content.decode()
    assert reverse("participation:batch_participants", args=[batch.pk]) in page
    client.force_login(world.carol)
    page = client.get(batch.get_absolute_url())
    assert reverse("participation:batch_participants", args=[batch.pk]) not in page.content.decode()


def test_only_the_admin_of_the_instansi_opens_the_page(client, world):
    batch = held_batch(world)
    url = reverse("participation:batch_participants", args=[batch.pk])
    client.force_login(world.bob)
    assert client.get(url).status_code == 403
    client.force_login(world.mallory)
    assert client.get(url).status_code == 404


def test_a_pasted_nip_list_enrols_who_it_finds_and_keeps_the_lines_it_cannot(client, world):
    batch = held_batch(world)
    a = factories.make_employee(world.layanan, "Anisa", birth_date=date(1990, 5, 17))
    b = factories.make_employee(world.layanan, "Budi", birth_date=date(1991, 7, 2))
    text = f"{a.nip[:8]} {a.nip[8:14]} {a.nip[14]} {a.nip[15:]}\n{b.nip}\n199001012015031999\n"
    client.force_login(world.alice)
    url = reverse("participation:batch_participants", args=[batch.pk])
    response = client.post(url, {"nips": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Baris 3: NIP 199001012015031999 tidak ditemukan." in html
    assert "2 pegawai ditambahkan." in html
    assert ">199001012015031999</textarea>" in html  # the line to correct, nothing lost
    enrolments = Enrolment.objects.filter(batch=batch)
    assert {e.employee_id for e in enrolments} == {a.pk, b.pk}
    assert {e.source for e in enrolments} == {EnrolmentSource.HELD}
    assert not Notification.objects.exists()


def test_a_refused_list_writes_nothing_and_keeps_the_text(client, world):
    trainer = make_trainer(world.instansi, world.carol_emp)
    batch = held_batch(world, trainers=[trainer])
    text = f"{world.dave_emp.nip}\n{world.carol_emp.nip}"
    client.force_login(world.alice)
    response = client.post(
        reverse("participation:batch_participants", args=[batch.pk]), {"nips": text}
    )
    html = response.content.decode()
    assert "Carolina Putri adalah pengajar (fasilitator) di angkatan ini" in html
    assert f"{world.dave_emp.nip}\n{world.carol_emp.nip}</textarea>" in html
    assert not Enrolment.objects.exists()


def test_the_search_finds_by_name_or_spaced_nip_and_leaves_out_participants(
    client, world, django_assert_max_num_queries
):
    batch = held_batch(world)
    do_enrol_held(batch, [world.erin_emp], world.alice)
    client.force_login(world.alice)
    url = reverse("participation:participant_search", args=[batch.pk])
    with django_assert_max_num_queries(8):
        html = client.get(url, {"q": "dave"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Dave Saputra" in html
    nip = world.dave_emp.nip
    html = client.get(url, {"q": f"{nip[:8]} {nip[8:14]}"}, HTTP_HX_REQUEST="true")
    assert "Dave Saputra" in html.content.decode()
    page = client.get(url, {"q": f"{nip[:8]} {nip[8:14]}"}).content.decode()
    assert "<html" in page and "Dave Saputra" in page  # without JavaScript: the whole page
    html = client.get(url, {"q": "erin"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Erin Lestari" not in html
    assert "Tidak ada pegawai yang cocok" in html
    short = client.get(url, {"q": "da"}, HTTP_HX_REQUEST="true").content.decode()
    assert "sedikitnya 3 huruf" in short


def test_adding_from_the_search_enrols_a_held_participant(client, world):
    batch = held_batch(world)
    client.force_login(world.alice)
    response = client.post(
        reverse("participation:participant_add", args=[batch.pk]), {"employee": world.dave_emp.pk}
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(batch=batch)
    assert (enrolment.employee_id, enrolment.status) == (
        world.dave_emp.pk,
        EnrolmentStatus.ACCEPTED,
    )


def test_adding_to_a_batch_still_ahead_sends_an_invitation(client, world):
    batch = batch_ahead(world.instansi, 20)
    client.force_login(world.alice)
    client.post(
        reverse("participation:participant_add", args=[batch.pk]), {"employee": world.dave_emp.pk}
    )
    enrolment = Enrolment.objects.get(batch=batch)
    assert enrolment.status == EnrolmentStatus.INVITED
    assert Notification.objects.filter(user=world.dave).exists()


def test_an_employee_of_another_instansi_cannot_be_added(client, world):
    batch = held_batch(world)
    other_unit = factories.make_unit(world.mallory.instansi, "Dinas Lain")
    outsider = factories.make_employee(other_unit, "Orang Luar")
    client.force_login(world.alice)
    response = client.post(
        reverse("participation:participant_add", args=[batch.pk]),
        {"employee": outsider.pk},
        follow=True,
    )
    assert "Pegawai tidak ditemukan." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_creating_a_batch_wholly_in_the_past_records_a_held_training(client, world):
    programme = make_programme(world.instansi, jp="16")
    client.force_login(world.alice)
    response = client.post(
        reverse("learning:batch_create", args=[programme.pk]),
        {
            "code": "PP-1", "name": "Angkatan I", "capacity": "30", "start_date": "2025-06-24",
            "end_date": "2025-06-25", "location": "Aula",
        },
        follow=True,
    )  # fmt: skip
    assert "sudah terlaksana" in response.content.decode()
    batch = programme.batches.get()
    assert batch.status == "done"
    assert batch.sessions.count() == 2

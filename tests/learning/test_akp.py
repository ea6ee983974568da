"""AKP campaigns: entries, self and atasan assessments, heat map, ranked needs, reminders."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from kompeten.core.periodic import PERIODIC
from kompeten.learning import queries
from kompeten.learning.actions import akp
from kompeten.learning.models import AkpCampaign, AkpEntry, AkpReminder
from kompeten.learning.tasks import send_akp_reminders_now
from kompeten.people.actions import do_update_employee
from tests import factories
from tests.learning.conftest import Learning


def levels(learning: Learning, integ: object, pp: object) -> dict[int, object]:
    return {learning.integ.pk: integ, learning.pp.pk: pp}


def test_opening_a_campaign_snapshots_each_posts_required_levels(learning: Learning) -> None:
    w = learning.world
    entries = {
        (e.employee_id, e.competency_id): e.required_level
        for e in AkpEntry.objects.filter(campaign=learning.campaign)
    }
    assert entries[(w.dave_emp.pk, learning.pp.pk)] == 3
    assert entries[(w.carol_emp.pk, learning.pp.pk)] == 4
    assert (w.dave_emp.pk, learning.adu.pk) not in entries  # not a Petugas Loket


def test_a_named_post_adds_its_technical_competency(world) -> None:  # type: ignore[no-untyped-def]
    from tests.learning.conftest import make_competencies

    _integ, _pp, adu = make_competencies(world)
    factories.make_employee(world.alfa, "Lina Loket", jabatan_name="Petugas Loket")
    now = timezone.now()
    campaign = akp.do_create_campaign(
        instansi=world.instansi,
        name="AKP",
        year=2026,
        opens_at=now,
        closes_at=now + timedelta(days=1),
    )
    akp.do_open_campaign(campaign)
    assert AkpEntry.objects.filter(
        campaign=campaign, employee__name="Lina Loket", competency=adu, required_level=3
    ).exists()


def test_an_employee_records_their_self_assessment(learning: Learning) -> None:
    w = learning.world
    n = akp.do_submit_self_assessment(
        campaign=learning.campaign,
        employee=w.dave_emp,
        levels=levels(learning, 2, "3"),
        actor=w.dave,
    )
    assert n == 2
    entry = AkpEntry.objects.get(
        campaign=learning.campaign, employee=w.dave_emp, competency=learning.integ
    )
    assert entry.self_level == 2 and entry.atasan_level is None


def assert_self_assessment_refused(
    learning: Learning, refusal: str, *, given: dict[int, object], actor: Any, **extra: Any
) -> None:
    """Dave's self-assessment of ``given`` levels is refused with ``refusal``; no self level is
    written."""
    with pytest.raises(ValidationError, match=refusal):
        akp.do_submit_self_assessment(
            campaign=learning.campaign,
            employee=learning.world.dave_emp,
            levels=given,
            actor=actor,
            **extra,
        )
    assert not AkpEntry.objects.filter(self_level__isnull=False).exists()


def test_it_refuses_a_self_assessment_by_someone_else(learning: Learning) -> None:
    assert_self_assessment_refused(
        learning,
        "pegawai yang bersangkutan",
        given=levels(learning, 2, 3),
        actor=learning.world.carol,
    )


@pytest.mark.parametrize("bad", [0, 6, "x", "2.5", -1])
def test_it_refuses_an_assessment_outside_one_to_five_and_writes_nothing(
    learning: Learning, bad: object
) -> None:
    assert_self_assessment_refused(
        learning, "antara 1 dan 5", given=levels(learning, 3, bad), actor=learning.world.dave
    )


def test_it_refuses_an_assessment_outside_the_campaign_window(learning: Learning) -> None:
    assert_self_assessment_refused(
        learning,
        "di luar masa kampanye",
        given=levels(learning, 3, 3),
        actor=learning.world.dave,
        now=learning.campaign.closes_at + timedelta(minutes=1),
    )


def test_the_direct_atasan_rates_and_nobody_else_may(learning: Learning) -> None:
    w = learning.world
    akp.do_submit_atasan_assessment(
        campaign=learning.campaign,
        employee=w.dave_emp,
        levels=levels(learning, 2, 2),
        actor=w.carol,
    )
    entry = AkpEntry.objects.get(
        campaign=learning.campaign, employee=w.dave_emp, competency=learning.pp
    )
    assert entry.atasan_level == 2 and entry.atasan_id == w.carol_emp.pk
    assert entry.self_level is None  # missing is missing: never copied from the atasan
    with pytest.raises(ValidationError, match="atasan langsung"):
        akp.do_submit_atasan_assessment(
            campaign=learning.campaign,
            employee=w.erin_emp,
            levels=levels(learning, 1, 1),
            actor=w.carol,
        )
    assert not AkpEntry.objects.filter(employee=w.erin_emp, atasan_level__isnull=False).exists()


def test_the_import_of_collected_answers_is_all_or_nothing(learning: Learning) -> None:
    w = learning.world
    at = timezone.now()
    answers = [
        akp.CollectedAnswer(w.dave_emp.pk, learning.pp.pk, 2, at),
        akp.CollectedAnswer(w.erin_emp.pk, learning.pp.pk, 9, at),
    ]
    with pytest.raises(ValidationError, match="Jawaban 2"):
        akp.do_import_assessments(
            campaign=learning.campaign, kind="self", answers=answers, actor=w.alice
        )
    assert not AkpEntry.objects.filter(self_level__isnull=False).exists()
    with pytest.raises(ValidationError, match="admin"):
        akp.do_import_assessments(
            campaign=learning.campaign, kind="self", answers=answers[:1], actor=w.bob
        )


def _rate(learning: Learning) -> None:
    w = learning.world
    akp.do_submit_atasan_assessment(
        campaign=learning.campaign,
        employee=w.dave_emp,
        levels=levels(learning, 2, 1),
        actor=w.carol,
    )
    akp.do_submit_self_assessment(
        campaign=learning.campaign, employee=w.erin_emp, levels=levels(learning, 1, 3), actor=w.erin
    )


def _open_second_campaign(learning: Learning) -> AkpCampaign:
    """A second open campaign, so that a page's query count is seen not to grow with it."""
    campaign = akp.do_create_campaign(
        instansi=learning.world.instansi,
        name="AKP kedua",
        year=2026,
        opens_at=timezone.now(),
        closes_at=timezone.now() + timedelta(days=3),
    )
    akp.do_open_campaign(campaign)
    return campaign


def test_the_heat_map_counts_gaps_per_opd_and_ranks_needs(learning: Learning) -> None:
    w = learning.world
    _rate(learning)
    heat = queries.akp_heatmap(learning.campaign, w.alice, "atasan")
    cell = heat.cells[(w.alfa.pk, learning.pp.pk)]
    # Alfa: bob, carol, dave need PP; only dave is rated by an atasan (1 < 3: gap 2).
    assert (cell.n_required, cell.n_answered, cell.n_gap, cell.gap_sum) == (3, 1, 1, 2)
    assert heat.cells[(w.alfa.pk, learning.integ.pk)].n_gap == 0
    assert heat.needs[0].competency == learning.pp
    assert heat.needs[0].n_gap == 1
    self_heat = queries.akp_heatmap(learning.campaign, w.alice, "self")
    assert self_heat.cells[(w.beta.pk, learning.integ.pk)].n_gap == 1
    assert self_heat.cells[(w.alfa.pk, learning.pp.pk)].n_answered == 0


def test_a_pengelola_sees_only_their_opd(learning: Learning) -> None:
    _rate(learning)
    heat = queries.akp_heatmap(learning.campaign, learning.world.bob, "self")
    assert [opd.pk for opd in heat.opds] == [learning.world.alfa.pk]


def test_the_dashboard_uses_a_constant_number_of_queries(
    learning: Learning,
    client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    w = learning.world
    _rate(learning)
    client.force_login(w.alice)
    url = reverse("learning:campaign_detail", args=[learning.campaign.pk])
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
    assert "Peta panas" in response.content.decode()
    for i in range(12):
        factories.make_employee(w.beta, f"Tambahan {i}")
    extra = _open_second_campaign(learning)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("learning:campaign_detail", args=[extra.pk])).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [("pia", 200), ("bob", 200), ("dave", 403), ("carol", 403), ("mallory", 404)],
)
def test_dashboard_permissions(learning: Learning, client, persona: str, status: int) -> None:  # type: ignore[no-untyped-def]
    client.force_login(getattr(learning.world, persona))
    response = client.get(reverse("learning:campaign_detail", args=[learning.campaign.pk]))
    assert response.status_code == status


def test_the_needs_export_holds_the_ranked_needs(learning: Learning, client) -> None:  # type: ignore[no-untyped-def]
    _rate(learning)
    client.force_login(learning.world.alice)
    response = client.get(reverse("learning:campaign_export", args=[learning.campaign.pk]))
    assert response.status_code == 200
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_name("Kebutuhan")
        .to_python()
    )
    assert rows[0][0] == "Peringkat"
    assert rows[1][2] == "Pelayanan Publik" and rows[1][6] == 1


def test_the_self_assessment_page_saves_and_keeps_bad_input(learning: Learning, client) -> None:  # type: ignore[no-untyped-def]
    w = learning.world
    client.force_login(w.dave)
    url = reverse("learning:self_assessment", args=[learning.campaign.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {f"k{learning.integ.pk}": "7", f"k{learning.pp.pk}": "2"})
    assert response.status_code == 200
    assert "antara 1 dan 5" in response.content.decode()
    assert not AkpEntry.objects.filter(self_level__isnull=False).exists()
    response = client.post(url, {f"k{learning.integ.pk}": "3", f"k{learning.pp.pk}": "2"})
    assert response.status_code == 302
    assert AkpEntry.objects.filter(employee=w.dave_emp, self_level__isnull=False).count() == 2


def test_an_atasan_page_is_only_for_direct_reports(learning: Learning, client) -> None:  # type: ignore[no-untyped-def]
    w = learning.world
    client.force_login(w.carol)
    ok = reverse("learning:assess_report", args=[learning.campaign.pk, w.dave_emp.pk])
    assert client.get(ok).status_code == 200
    response = client.post(ok, {f"k{learning.integ.pk}": "2", f"k{learning.pp.pk}": "2"})
    assert response.status_code == 302
    other = reverse("learning:assess_report", args=[learning.campaign.pk, w.erin_emp.pk])
    assert client.get(other).status_code == 404
    client.force_login(w.erin)
    assert client.get(ok).status_code == 404


def test_a_pegawai_sees_their_gaps_and_recommended_programmes(learning: Learning, client) -> None:  # type: ignore[no-untyped-def]
    from tests.learning.test_programmes import make_programme

    w = learning.world
    akp.do_submit_atasan_assessment(
        campaign=learning.campaign,
        employee=w.dave_emp,
        levels=levels(learning, 2, 1),
        actor=w.carol,
    )
    programme = make_programme(w, competencies=[(learning.pp, 3)], status="published")
    client.force_login(w.dave)
    body = client.get(reverse("cycle_kebutuhan")).content.decode()
    assert "Kebutuhan saya" in body and programme.title in body


def test_reminders_reach_those_who_have_not_answered_once_per_interval(learning: Learning) -> None:
    w = learning.world
    for employee, email in ((w.dave_emp, "dave@contoh.test"), (w.carol_emp, "carol@contoh.test")):
        employee.email = email
        employee.save(update_fields=["email"])
    akp.do_submit_self_assessment(
        campaign=learning.campaign,
        employee=w.carol_emp,
        levels=levels(learning, 3, 4),
        actor=w.carol,
    )
    assert "learning.akp_reminders" in PERIODIC
    assert send_akp_reminders_now() == 2  # dave (self) and carol (atasan of dave)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["carol@contoh.test", "dave@contoh.test"]
    assert send_akp_reminders_now() == 0
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        assert send_akp_reminders_now() == 2
    assert AkpReminder.objects.count() == 4


def test_supervisor_changes_move_the_right_to_rate(learning: Learning) -> None:
    w = learning.world
    data = factories.employee_input(w.layanan, w.dave_emp.name, nip=w.dave_emp.nip)
    data.supervisor_nip = w.bob_emp.nip
    do_update_employee(employee=w.dave_emp, data=data)
    w.dave_emp.refresh_from_db()
    with pytest.raises(ValidationError):
        akp.do_submit_atasan_assessment(
            campaign=learning.campaign,
            employee=w.dave_emp,
            levels=levels(learning, 2, 2),
            actor=w.carol,
        )


def test_the_heat_map_escapes_opd_names(learning: Learning, client) -> None:  # type: ignore[no-untyped-def]
    w = learning.world
    w.beta.short_name = "<b>Beta</b>"
    w.beta.save(update_fields=["short_name"])
    _rate(learning)
    client.force_login(w.alice)
    body = client.get(
        reverse("learning:campaign_detail", args=[learning.campaign.pk]) + "?dasar=self"
    )
    html = body.content.decode()
    assert "&lt;b&gt;Beta&lt;/b&gt;" in html and "<b>Beta</b>" not in html
    assert 'class="heat-5"' in html  # erin: 1 of 1 rated below the required level


def test_the_landing_and_report_pages_use_constant_queries(
    learning: Learning,
    client,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    w = learning.world
    _rate(learning)
    client.force_login(w.carol)
    with django_assert_max_num_queries(14):
        body = client.get(reverse("cycle_kebutuhan")).content.decode()
    assert "Nilai 1 bawahan langsung" in body
    with django_assert_max_num_queries(10):
        response = client.get(reverse("learning:report_list", args=[learning.campaign.pk]))
    assert "Dave Saputra" in response.content.decode()
    for i in range(6):
        factories.make_employee(w.layanan, f"Bawahan {i}", supervisor=w.carol_emp)
    second = _open_second_campaign(learning)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("learning:report_list", args=[second.pk]))
    assert response.content.decode().count("Bawahan ") == 6
    client.force_login(w.alice)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("cycle_kebutuhan")).status_code == 200


def test_a_draft_campaign_does_not_replace_the_current_one(learning: Learning) -> None:
    w = learning.world
    akp.do_create_campaign(
        instansi=w.instansi,
        name="AKP tahun depan",
        year=2027,
        opens_at=timezone.now() + timedelta(days=60),
        closes_at=timezone.now() + timedelta(days=90),
    )
    assert queries.current_campaign(w.dave) == learning.campaign


def test_the_rollups_kept_by_the_actions_equal_a_recount(learning: Learning) -> None:
    from kompeten.learning.actions.rollups import CELL_FIELDS, rebuild_rollups
    from kompeten.learning.models import AkpRollup, AkpUnitProgress

    w = learning.world
    _rate(learning)
    akp.do_submit_self_assessment(
        campaign=learning.campaign,
        employee=w.dave_emp,
        levels=levels(learning, 1, ""),
        actor=w.dave,
    )
    akp.do_submit_self_assessment(
        campaign=learning.campaign, employee=w.dave_emp, levels=levels(learning, 3, 2), actor=w.dave
    )
    akp.do_submit_atasan_assessment(
        campaign=learning.campaign,
        employee=w.dave_emp,
        levels=levels(learning, 3, 3),
        actor=w.carol,
    )

    def snapshot() -> tuple[list[tuple[int, ...]], list[tuple[int, ...]]]:
        cells = AkpRollup.objects.filter(campaign=learning.campaign).order_by("unit", "competency")
        units = AkpUnitProgress.objects.filter(campaign=learning.campaign).order_by("unit")
        return (
            list(cells.values_list("unit", "competency", *CELL_FIELDS)),
            list(units.values_list("unit", "n_people", "n_self_done", "n_atasan_done")),
        )

    kept = snapshot()
    rebuild_rollups(learning.campaign)
    assert snapshot() == kept
    progress = queries.campaign_progress(learning.campaign, w.alice)
    assert (progress.n_people, progress.n_self_done, progress.n_atasan_done) == (4, 2, 1)

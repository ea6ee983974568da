"""Before a plan is applied: who is invited to which batch and why, in Indonesian, with no
database ids and no solver codes; the solver status in words; permissions and query counts."""

from __future__ import annotations

from django.urls import reverse

from kompeten.participation.models import Enrolment
from kompeten.scheduling.actions.planning import do_apply_plan, do_start_plan_run
from kompeten.scheduling.models import PlanStatus
from kompeten.scheduling.preview import plan_preview, solver_status_label


def _run(world, counter):  # type: ignore[no-untyped-def]
    return do_start_plan_run(
        instansi_id=world.instansi.pk,
        batch_ids=[counter.morning.pk, counter.afternoon.pk],
        actor=world.alice,
        time_limit=5,
    )


def test_the_preview_lists_each_invitee_with_the_batch_and_the_planners_reasons(world, counter):
    run = _run(world, counter)
    preview = plan_preview(run)
    assert preview.counts == {"invite": 3, "move": 0, "keep": 0, "cancel": 0}
    staff = {e.pk for e in counter.staff}
    assert {r.employee.pk for r in preview.rows} <= staff
    assert {r.batch.pk for r in preview.rows} <= {counter.morning.pk, counter.afternoon.pk}
    year = run.instance["meta"]["year"]
    for row in preview.rows:
        assert row.action_label == "undangan baru"
        # priority 5 = 1 + ⌈20 JP missing / 5⌉ (no JP this year, no AKP gap)
        assert list(row.reasons) == [
            "Kebutuhan program ini berprioritas 5 (makin tinggi makin didahulukan).",
            f"JP {year} masih kurang 20,0 dari minimal setahun.",
            "Jadwal sesi tidak bentrok dengan cuti, tugas, atau pelatihan lain yang tercatat, "
            "dan aturan kehadiran minimal unitnya tetap terpenuhi.",
        ]


def test_the_preview_page_names_batches_and_status_in_words_and_applies_from_there(
    client, world, counter, django_assert_max_num_queries
):
    run = _run(world, counter)
    client.force_login(world.alice)
    url = reverse("scheduling:plan_preview", args=[run.pk])
    with django_assert_max_num_queries(16):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Angkatan Pagi" in html or "Angkatan Siang" in html
    assert "OPTIMAL" not in html and "FEASIBLE" not in html
    assert solver_status_label(run.solver_status) in html
    assert html.count('<span class="badge">undangan baru</span>') == 3
    assert not Enrolment.objects.exists()  # looking writes nothing
    assert reverse("scheduling:plan_apply", args=[run.pk]) in html
    detail = client.get(run.get_absolute_url()).content.decode()
    assert url in detail and "(OPTIMAL)" not in detail
    client.post(reverse("scheduling:plan_apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == PlanStatus.APPLIED
    after = client.get(url).content.decode()
    assert "sudah diterapkan" in after and 'data-testid="plan-apply"' not in after


def test_after_applying_a_replan_preview_shows_kept_and_cancelled(world, counter):
    run = _run(world, counter)
    do_apply_plan(run=run, actor=world.alice)
    base = run
    replan = do_start_plan_run(
        instansi_id=world.instansi.pk,
        batch_ids=[counter.morning.pk],  # the afternoon batch left out of the new run
        actor=world.alice,
        time_limit=5,
        base_run=base,
    )
    preview = plan_preview(replan)
    assert preview.counts["keep"] + preview.counts["invite"] == len(replan.plan["assignments"])
    for row in preview.rows:
        if row.action == "keep":
            assert any("perencanaan ulang mempertahankannya" in r for r in row.reasons)


def test_solver_codes_become_words():
    assert solver_status_label("OPTIMAL") == "optimal (terbukti)"
    assert solver_status_label("FEASIBLE") == "layak, belum terbukti optimal"
    assert solver_status_label("GREEDY") == "cepat (tanpa bukti optimal)"
    assert solver_status_label("SOMETHING_NEW") == "belum diketahui"
    assert solver_status_label("") == ""


def test_planner_reasons_name_batches_not_their_database_keys(world, counter):
    run = _run(world, counter)
    assert run.plan["unassigned"], "the counter rule leaves one need unmet"
    keys = {str(counter.morning.pk), str(counter.afternoon.pk)}
    texts = [u["message"] for u in run.plan["unassigned"]] + [
        d["message"] for u in run.plan["unassigned"] for d in u.get("details", [])
    ]
    for text in texts:
        for key in keys:
            for shape in (f"angkatan {key}", f"({key}", f"{key}:", f"penuh: {key}"):
                assert shape not in text.lower(), text
        assert "angkatan angkatan" not in text.lower(), text
    assert any("Angkatan Pagi" in t or "Angkatan Siang" in t for t in texts)


def test_only_the_admin_of_the_instansi_previews(client, world, counter):
    run = _run(world, counter)
    url = reverse("scheduling:plan_preview", args=[run.pk])
    for user in (world.bob, world.dave, world.pia):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(world.mallory)
    assert client.get(url).status_code == 404

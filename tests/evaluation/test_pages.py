import io

import pytest
from openpyxl import load_workbook

from kompeten.evaluation.models import FollowUp, Response
from tests.evaluation import builders
from tests.evaluation.reactions import answer_reaction


@pytest.fixture
def s(world):
    s = builders.build(world, n=4)
    answer_reaction(s)
    FollowUp.objects.update(sent_at="2026-03-03T08:00:00+07:00")
    return s


@pytest.mark.parametrize("tab", ["l1", "l2", "l3", "l4", "l5"])
def test_every_tab_renders_in_constant_queries(
    world, client, s, tab, django_assert_max_num_queries
):
    client.force_login(world.alice)
    with django_assert_max_num_queries(45):
        r = client.get(f"/evaluasi/program/{s.programme.pk}/?tab={tab}")
    assert r.status_code == 200


def test_the_xlsx_export_has_every_table(world, client, s):
    client.force_login(world.alice)
    r = client.get(f"/evaluasi/program/{s.programme.pk}/?export=xlsx")
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(r.content), read_only=True)
    levels = {title.split()[0] for title in book.sheetnames}
    assert {"L1", "L2", "L3", "L4", "L5"} <= levels
    # one row per L1 item under the header, then the all-items line; the four participants
    # answered every scale item
    reaction = s.instruments["reaksi"]
    rows = list(book["L1 per butir"].iter_rows(min_row=2, values_only=True))
    per_item, overall = rows[:-1], rows[-1]
    scale_items = reaction.items.exclude(section="terbuka")
    assert reaction.items.filter(section="terbuka").exists()  # not a row: they have no scale
    assert [row[1] for row in per_item] == [i.text for i in scale_items.order_by("order")]
    assert {row[3] for row in per_item} == {4}
    assert overall[1].startswith("semua butir") and overall[4] == 4


def test_a_pegawai_cannot_read_a_programme_evaluation(world, client, s):
    client.force_login(world.dave)
    assert client.get(f"/evaluasi/program/{s.programme.pk}/").status_code == 404


def test_another_instansi_sees_nothing(world, client, s):
    client.force_login(world.mallory)
    assert client.get(f"/evaluasi/program/{s.programme.pk}/").status_code == 404
    assert client.get(f"/evaluasi/program/{s.programme.pk}/instrumen/").status_code == 404


def test_the_pengelola_sees_only_their_opd(world, client, s):
    client.force_login(world.bob)
    r = client.get(f"/evaluasi/program/{s.programme.pk}/")
    assert r.status_code == 200
    assert r.context["unit_id"] == world.alfa.pk
    assert (
        client.get(f"/evaluasi/program/{s.programme.pk}/?unit={world.beta.pk}").status_code == 404
    )


def test_the_landing_page_shows_the_pegawai_their_own_instruments_only(
    world, client, s, django_assert_max_num_queries
):
    client.force_login(world.dave)
    with django_assert_max_num_queries(15):
        r = client.get("/evaluasi/")
    follow_ups = r.context["follow_ups"]
    assert follow_ups and all(f.rater_id == world.dave_emp.pk for f in follow_ups)


def test_the_atasan_rates_a_direct_report_on_the_form(world, client, s):
    f = FollowUp.objects.get(
        subject=world.dave_emp, rater_role="atasan", instrument__phase="sebelum"
    )
    client.force_login(world.carol)
    items = f.instrument.items.all()
    data = {str(i.pk): "3" for i in items if i.kind == "likert"}
    r = client.post(f"/evaluasi/isi/{f.pk}/", data)
    assert r.status_code == 302
    assert (
        Response.objects.get(subject=world.dave_emp, rater_role="atasan").rater_id
        == world.carol_emp.pk
    )


def test_nobody_else_reaches_an_atasan_invitation(world, client, s):
    f = FollowUp.objects.get(
        subject=world.dave_emp, rater_role="atasan", instrument__phase="sebelum"
    )
    for user in (world.dave, world.erin):
        client.force_login(user)
        assert client.get(f"/evaluasi/isi/{f.pk}/").status_code == 404


def test_a_rejected_answer_keeps_what_was_typed(world, client, s):
    f = FollowUp.objects.get(
        subject=world.dave_emp, rater_role="peserta", instrument__kind="pretest"
    )
    client.force_login(world.dave)
    items = list(f.instrument.items.order_by("order"))
    assert len(items) >= 2
    # the first item answered, the rest left empty: refused, and the first answer stays on the page
    first = items[0]
    typed = first.option_list[0] if first.option_list else "2"
    r = client.post(f"/evaluasi/isi/{f.pk}/", {str(first.pk): typed})
    assert r.status_code == 400 and r.context["errors"]
    shown = {row["key"]: row["value"] for row in r.context["rows"]}
    assert shown[str(first.pk)] == typed
    assert f'name="{first.pk}" value="{typed}" checked' in r.content.decode()
    assert all(value == "" for key, value in shown.items() if key != str(first.pk))
    assert f.instrument.responses.count() == 0


def test_a_fasilitator_scores_only_simulations_of_their_batches(world, client, s):
    client.force_login(s.trainer_user)
    assert client.get(f"/evaluasi/simulasi/{s.batch.pk}/{s.module.pk}/").status_code == 200
    client.force_login(world.carol)
    assert client.get(f"/evaluasi/simulasi/{s.batch.pk}/{s.module.pk}/").status_code == 403


def test_the_admin_pages_render_in_constant_queries(
    world, client, s, django_assert_max_num_queries
):
    client.force_login(world.alice)
    for url, budget in (
        (f"/evaluasi/program/{s.programme.pk}/instrumen/", 15),
        (f"/evaluasi/instrumen/{s.instruments['reaksi'].pk}/", 10),
        ("/evaluasi/biaya-per-jam/", 10),
        ("/evaluasi/", 15),
    ):
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200


def test_the_answer_and_scoring_forms_render_in_constant_queries(
    world, client, s, django_assert_max_num_queries
):
    f = FollowUp.objects.get(
        subject=world.dave_emp, rater_role="peserta", instrument__kind="reaksi"
    )
    client.force_login(world.dave)
    with django_assert_max_num_queries(12):
        assert client.get(f"/evaluasi/isi/{f.pk}/").status_code == 200
    client.force_login(s.trainer_user)
    with django_assert_max_num_queries(14):
        assert client.get(f"/evaluasi/simulasi/{s.batch.pk}/{s.module.pk}/").status_code == 200


def test_only_the_admin_manages_instruments_and_costs(world, client, s):
    for user in (world.bob, world.dave, world.pia):
        client.force_login(user)
        assert client.get(f"/evaluasi/program/{s.programme.pk}/instrumen/").status_code == 403
        assert client.get("/evaluasi/biaya-per-jam/").status_code == 403

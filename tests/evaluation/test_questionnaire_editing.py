"""The default reaction questionnaire is versioned and edited: items added, removed, reworded,
rescaled (numbers or labels), the questionnaire's scale chosen; answered versions stay as they
were asked. Results come per item, each on its own scale."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kompeten.evaluation.actions import instruments as actions
from kompeten.evaluation.actions.responses import ResponseInput, do_submit_responses
from kompeten.evaluation.models import InstrumentStatus, ItemKind, Section
from kompeten.evaluation.queries import evaluate_programme
from tests.evaluation import builders


@pytest.fixture
def s(world):  # type: ignore[no-untyped-def]
    return builders.build(world, n=3)


def test_a_new_version_is_edited_and_the_answered_one_is_not(world, s) -> None:
    default = s.instruments["reaksi"]
    assert default.status == InstrumentStatus.OPEN
    with pytest.raises(ValidationError, match="buat versi baru"):
        actions.do_add_item(default, data=actions.ItemInput(text="Baru?"), actor=world.alice)

    draft = actions.do_new_version(default, actor=world.alice)
    first, second = draft.items.order_by("order")[:2]
    actions.do_update_item(
        first,
        data=actions.ItemInput(
            text="Ruang kelas nyaman.",
            section=Section.SARANA,
            labels=("Sangat Kurang", "Kurang", "Cukup", "Baik", "Sangat Baik"),
        ),
        actor=world.alice,
    )
    actions.do_remove_item(second, actor=world.alice)
    added = actions.do_add_item(
        draft,
        data=actions.ItemInput(text="Secara keseluruhan saya puas.", scale_max=7),
        actor=world.alice,
    )
    actions.do_set_instrument_scale(draft, scale_max=5, actor=world.alice)

    items = list(draft.items.order_by("order"))
    assert [i.order for i in items] == list(range(1, len(items) + 1))  # no gap after removal
    assert items[0].text == "Ruang kelas nyaman." and items[0].is_labelled_scale
    assert items[-1].pk == added.pk and added.top_of_scale(draft.scale_max) == 7
    assert default.items.count() == len(items)  # 19 asked of the first respondents, unchanged


def test_bad_items_are_refused_with_a_message(world, s) -> None:
    draft = actions.do_new_version(s.instruments["reaksi"], actor=world.alice)
    for data, message in [
        (actions.ItemInput(text="  "), "Pertanyaan tidak boleh kosong"),
        (actions.ItemInput(text="x", scale_max=11), "Skala Likert harus 2–10"),
        (actions.ItemInput(text="x", labels=("Baik",)), "2–10 label"),
        (actions.ItemInput(text="x", labels=("Baik", "baik")), "kembar"),
        (actions.ItemInput(text="x", kind=ItemKind.MULTIPLE_CHOICE), "Likert atau isian"),
        (actions.ItemInput(text="x", section=Section.TEST), "Bagian kuesioner"),
    ]:
        with pytest.raises(ValidationError, match=message):
            actions.do_add_item(draft, data=data, actor=world.alice)


def test_labelled_and_numeric_items_are_reported_on_their_own_scales(world, s) -> None:
    inst = actions.do_create_instrument_from_columns(
        s.programme,
        ["1. Materi jelas", "Penilaian narasumber [Penguasaan materi]", "Saran"],
        ["likert", "Sangat Baik / Baik / Cukup / Kurang / Sangat Kurang", "open"],
        actor=world.alice,
    )
    actions.do_set_instrument_status(inst, status=InstrumentStatus.CLOSED, actor=world.alice)
    materi, grid, saran = inst.items.order_by("order")
    answers = [(5, "Sangat Baik", "ok"), (4, "Cukup", "-"), (3, "Kurang", "")]
    do_submit_responses(
        inst,
        entries=[
            ResponseInput(p.pk, p.pk, {str(materi.pk): m, str(grid.pk): g, str(saran.pk): t})
            for p, (m, g, t) in zip(s.participants, answers, strict=False)
        ],
        imported=True,
    )
    l1 = evaluate_programme(s.programme).l1
    by_text = {i.text: i for i in l1.items}
    assert by_text["Materi jelas"].mean == pytest.approx(4.0)
    assert by_text["Materi jelas"].share_agree == pytest.approx(2 / 3)
    g = by_text["Penilaian narasumber: Penguasaan materi"]
    assert g.labels == ("Sangat Kurang", "Kurang", "Cukup", "Baik", "Sangat Baik")
    assert g.mean == pytest.approx((5 + 3 + 2) / 3) and g.counts == (0, 1, 1, 0, 1)
    assert l1.item_mean == pytest.approx(4.0)  # the labelled item stays in its own row
    assert l1.n_responses == 3


def test_a_closed_questionnaire_takes_answers_only_by_import(world, s) -> None:
    inst = actions.do_create_instrument_from_columns(
        s.programme, ["Materi"], ["likert"], actor=world.alice
    )
    actions.do_set_instrument_status(inst, status=InstrumentStatus.CLOSED, actor=world.alice)
    item = inst.items.get()
    entry = ResponseInput(s.participants[0].pk, s.participants[0].pk, {str(item.pk): 4})
    with pytest.raises(ValidationError, match="sudah ditutup"):
        do_submit_responses(inst, entries=[entry])
    assert do_submit_responses(inst, entries=[entry], imported=True)


def test_the_admin_edits_on_the_page_in_constant_queries(
    world, client, s, django_assert_max_num_queries
) -> None:
    draft = actions.do_new_version(s.instruments["reaksi"], actor=world.alice)
    item = draft.items.order_by("order").first()
    client.force_login(world.alice)
    url = f"/evaluasi/instrumen/{draft.pk}/"
    with django_assert_max_num_queries(20):
        r = client.get(url)
    assert r.status_code == 200 and r.context["editable"]

    r = client.post(
        url,
        {
            "op": "update",
            "item": item.pk,
            f"i{item.pk}-text": "Ruang belajar sejuk.",
            f"i{item.pk}-kind": "likert",
            f"i{item.pk}-section": "sarana",
            f"i{item.pk}-labels": "Sangat Setuju / Setuju / Ragu-ragu / Tidak Setuju / Sangat Tidak Setuju",
            f"i{item.pk}-required": "on",
        },
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.text == "Ruang belajar sejuk." and item.option_list[-1] == "Sangat Setuju"

    r = client.post(url, {"op": "add", "new-text": "", "new-kind": "likert"})
    assert r.status_code == 200 and "text" in r.context["add_form"].errors  # typed kept
    r = client.post(
        url,
        {"op": "add", "new-text": "Puas?", "new-kind": "likert", "new-section": "umum"},
    )
    assert r.status_code == 302 and draft.items.filter(text="Puas?").exists()

    r = client.post(url, {"op": "remove", "item": item.pk}, follow=True)
    assert not draft.items.filter(pk=item.pk).exists()

    answered = s.instruments["reaksi"]
    r = client.post(f"/evaluasi/instrumen/{answered.pk}/", {"op": "version"})
    assert r.status_code == 302 and r["Location"] != f"/evaluasi/instrumen/{answered.pk}/"


def test_only_the_admin_of_the_instansi_edits(world, client, s) -> None:
    draft = actions.do_new_version(s.instruments["reaksi"], actor=world.alice)
    url = f"/evaluasi/instrumen/{draft.pk}/"
    before = draft.items.count()
    for user in (world.bob, world.dave, world.mallory):
        client.force_login(user)
        r = client.post(url, {"op": "add", "new-text": "x", "new-kind": "likert"})
        assert r.status_code in (403, 404)
    assert draft.items.count() == before

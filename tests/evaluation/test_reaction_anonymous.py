"""An anonymous reaction form: a Google Form that asked no NIP and no name, as many panitia make
the "evaluasi penyelenggaraan" so that participants rate trainers and organisers freely. Its
answers are stored without a subject, for the batch that answered (the programme's only batch,
or the one chosen), and count in the programme's L1 exactly as named ones would: the sample
with its name, NIP and unit columns removed gives expected.md's figures. The same file again
stores nothing; a result limited to an OPD leaves them out (no unit is known)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from kompeten.core import importing as imp
from kompeten.evaluation.actions.responses import AnonymousReaction, do_record_anonymous_reactions
from kompeten.evaluation.models import Instrument, InstrumentKind, Response
from kompeten.evaluation.queries import evaluate_programme
from tests.evaluation.results_files import REACTION, START, held_training
from tests.evaluation.test_reaction_import import JKT
from tests.evaluation.test_reaction_import import _plan as plan_reaction
from tests.participation.builders import make_batch, make_programme
from tests.workbooks import xlsx_rows

# expected.md, "Expected L1": 52 respondents; overall mean 4.166; item means 4.13 4.08 4.13
# 4.21 4.31 4.12 4.25 4.10; % agree (4–5) over all items 86.8 %.
EXPECTED_MEANS = [4.13, 4.08, 4.13, 4.21, 4.31, 4.12, 4.25, 4.10]


def _anonymous(rows: list[list[str]] | None = None) -> bytes:
    """The sample without its Nama Lengkap, NIP and Unit Kerja / OPD columns."""
    if rows is None:
        rows = list(csv.reader(io.StringIO(REACTION.read_text(encoding="utf-8"))))
    out = io.StringIO()
    csv.writer(out).writerows([row[0], *row[4:]] for row in rows)
    return out.getvalue().encode()


def test_an_anonymous_form_counts_in_l1_as_the_named_one_and_is_stored_once(world) -> None:
    programme, batch, _people = held_training(world)
    plan = plan_reaction(world, _anonymous(), "reaksi-anonim.csv")
    assert plan.is_clean, [imp.describe_problem(p) for p in plan.problems]
    assert plan.ctx is not None
    assert (
        "Kuesioner tanpa kolom NIP atau nama (anonim): jawabannya disimpan tanpa nama untuk "
        f"angkatan {batch.code}. Jawaban itu masuk ke hasil L1 program dan angkatannya, tidak ke "
        "hasil yang disaring per OPD (responden tidak diketahui unit kerjanya)."
    ) in plan.ctx.notes
    outcome = imp.commit(plan)
    assert outcome.written == {"jawaban kuesioner tanpa nama": 52, "butir kuesioner baru": 12}

    stored = Response.objects.filter(programme=programme)
    assert stored.count() == 52
    assert not stored.exclude(subject=None, rater=None, unit=None, batch=batch).exists()
    assert stored.order_by("submitted_at").first().submitted_at == datetime(  # type: ignore[union-attr]
        2025, 6, 26, 14, 33, tzinfo=JKT
    )
    l1 = evaluate_programme(programme).l1
    assert l1.n_responses == 52
    assert l1.item_mean == pytest.approx(4.166, abs=0.0005)
    assert [i.mean for i in l1.items[:8]] == pytest.approx(EXPECTED_MEANS, abs=0.005)
    assert l1.share_agree == pytest.approx(0.868, abs=0.0005)
    assert "Narasumber sangat inspiratif" in l1.comments
    assert evaluate_programme(programme, batch_id=batch.pk).l1.n_responses == 52
    # an OPD's own result: nobody's unit is known
    assert evaluate_programme(programme, unit=world.beta).l1.n_responses == 0

    again = plan_reaction(world, _anonymous(), "reaksi-anonim.csv")
    assert [row.skipped for row in again.rows] == [True] * 52
    assert again.rows[0].warnings == [
        "Jawaban ini sudah tersimpan (berkas yang sama diimpor lagi)."
    ]
    imp.commit(again)
    assert Response.objects.filter(programme=programme).count() == 52
    assert Instrument.objects.filter(programme=programme).count() == 1


def test_a_new_answer_in_a_grown_export_is_the_only_one_stored(world) -> None:
    """The form's export taken again a week later holds the old answers and one more."""
    programme, _batch, _people = held_training(world)
    rows = list(csv.reader(io.StringIO(REACTION.read_text(encoding="utf-8"))))
    imp.commit(plan_reaction(world, _anonymous(rows[:40]), "reaksi-anonim.csv"))
    plan = plan_reaction(world, _anonymous(rows), "reaksi-anonim.csv")
    assert sum(not row.skipped for row in plan.rows) == 13
    imp.commit(plan)
    assert Response.objects.filter(programme=programme).count() == 52


def test_two_identical_answers_are_two_answers_and_said(world) -> None:
    """Two people may send the same ratings in the same second: a form records each sending."""
    programme, _batch, _people = held_training(world)
    rows = list(csv.reader(io.StringIO(REACTION.read_text(encoding="utf-8"))))
    rows.insert(3, list(rows[2]))
    plan = plan_reaction(world, _anonymous(rows), "reaksi-anonim.csv")
    assert plan.is_clean
    assert [row.number for row in plan.rows if row.warnings] == [4]
    assert plan.rows[2].warnings == [
        "Waktu dan semua jawabannya sama dengan baris lain di berkas ini; disimpan sebagai "
        "jawaban tersendiri (formulir mencatat setiap kiriman)."
    ]
    imp.commit(plan)
    assert Response.objects.filter(programme=programme).count() == 53
    again = plan_reaction(world, _anonymous(rows), "reaksi-anonim.csv")
    assert all(row.skipped for row in again.rows)


def _import_anonymous(folder: Path, batch: str) -> None:
    """`kompeten import reaction` of the anonymous sample for programme PP-2025's ``batch``."""
    path = folder / "reaksi-anonim.csv"
    path.write_bytes(_anonymous())
    call_command(
        "import_reaction",
        str(path),
        *("--instansi", "kota-uji", "--programme", "PP-2025", "--batch", batch),
        stdout=io.StringIO(),
    )


def test_a_programme_of_two_batches_needs_the_batch_named(world, tmp_path: Path) -> None:
    programme, first, _people = held_training(world)
    second = make_batch(programme, [(START + timedelta(days=30 + n), 8, 16) for n in range(3)])
    plan = plan_reaction(world, _anonymous(), "reaksi-anonim.csv")
    [problem] = plan.problems
    assert problem.row is None
    assert problem.message.startswith(
        "Berkas ini tidak memuat kolom NIP maupun nama responden (kuesioner anonim), sehingga "
        "jawabannya disimpan tanpa nama untuk satu angkatan, dan program PP-2025 tidak punya "
        f"tepat satu angkatan (angkatannya: {first.code}, {second.code}): sebutkan angkatannya "
        "(unggah ulang dengan Kode angkatan diisi)."
    )
    with pytest.raises(imp.PlanNotClean):
        imp.commit(plan, partial=True)
    assert not Response.objects.exists()

    _import_anonymous(tmp_path, second.code)
    assert set(Response.objects.values_list("batch_id", flat=True)) == {second.pk}
    assert evaluate_programme(programme, batch_id=first.pk).l1.n_responses == 0
    assert evaluate_programme(programme, batch_id=second.pk).l1.n_responses == 52


def test_a_batch_not_of_the_programme_is_refused_naming_it(world, tmp_path: Path) -> None:
    held_training(world)
    stranger = _other_batch(world)
    plan = plan_reaction(world, _anonymous(), "reaksi-anonim.csv", batch=stranger.code)
    assert [p.message for p in plan.problems] == [
        f"Angkatan {stranger.code} tidak ada di program PP-2025."
    ]
    with pytest.raises(CommandError, match=f"Angkatan {stranger.code} tidak ada di program"):
        _import_anonymous(tmp_path, stranger.code)
    assert not Response.objects.exists()


def _other_batch(world):  # type: ignore[no-untyped-def]
    other = make_programme(world.instansi, "Orientasi Pelayanan", code="LAIN-2025")
    return make_batch(other, [(START + timedelta(days=60), 8, 16)])


def _instrument(world) -> tuple[Instrument, object]:  # type: ignore[no-untyped-def]
    programme, batch, _people = held_training(world)
    imp.commit(plan_reaction(world, _anonymous(), "reaksi-anonim.csv"))
    return Instrument.objects.get(programme=programme, kind=InstrumentKind.REACTION), batch


def test_the_action_refuses_a_key_stored_or_given_twice_and_writes_nothing(world) -> None:
    instrument, batch = _instrument(world)
    stored = Response.objects.filter(programme=instrument.programme).first()
    assert stored is not None
    item = instrument.items.order_by("order").first()
    assert item is not None
    when = datetime(2025, 6, 27, 9, tzinfo=JKT)
    fresh = AnonymousReaction(answers={str(item.pk): "5"}, submitted_at=when, key="a" * 64)
    for entries in (
        [fresh, fresh],
        [fresh, AnonymousReaction(answers={}, submitted_at=when, key=stored.anonymous_key)],
    ):
        with pytest.raises(ValidationError, match="sudah tersimpan atau muncul dua kali"):
            do_record_anonymous_reactions(instrument, batch=batch, entries=entries)
    assert Response.objects.filter(programme=instrument.programme).count() == 52


def test_only_a_reaction_questionnaire_of_the_batchs_programme_is_answered_anonymously(
    world,
) -> None:
    instrument, batch = _instrument(world)
    stranger = _other_batch(world)
    entry = AnonymousReaction(answers={}, submitted_at=datetime(2025, 6, 27, tzinfo=JKT), key="b")
    with pytest.raises(ValidationError, match="bukan angkatan program"):
        do_record_anonymous_reactions(instrument, batch=stranger, entries=[entry])
    instrument.kind = InstrumentKind.PRETEST
    with pytest.raises(ValidationError, match="Hanya kuesioner reaksi"):
        do_record_anonymous_reactions(instrument, batch=batch, entries=[entry])


def test_the_database_keeps_anonymity_to_reaction_answers(world) -> None:
    """A test score without a subject, or a named answer with a key, is refused by the
    database itself (a check constraint), whatever code writes it."""
    _instrument(world)
    stored = Response.objects.filter(kind=InstrumentKind.REACTION).first()
    assert stored is not None
    for change in ({"kind": InstrumentKind.PRETEST}, {"anonymous_key": ""}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Response.objects.filter(pk=stored.pk).update(**change)


def test_the_api_lists_anonymous_answers_without_a_person_to_whom_sees_the_instansi(
    world, client
) -> None:
    programme, _batch, _people = held_training(world)
    imp.commit(plan_reaction(world, _anonymous(), "reaksi-anonim.csv"))
    client.force_login(world.alice)
    body = client.get("/api/responses", {"programme": programme.pk, "limit": 5}).json()
    assert body["count"] == 52
    assert {(r["subject_id"], r["rater_id"], r["kind"]) for r in body["items"]} == {
        (None, None, "reaksi")
    }
    detail = client.get(f"/api/responses/{body['items'][0]['id']}").json()
    assert detail["subject_id"] is None and len(detail["answers"]) == 12
    client.force_login(world.bob)  # a pengelola sees his OPD's participants' answers only
    assert client.get("/api/responses", {"programme": programme.pk}).json()["count"] == 0


def test_a_programme_without_a_batch_is_said_to_have_none(world) -> None:
    make_programme(world.instansi, "Pelayanan Prima dan Etika Kerja ASN", code="PP-2025")
    [problem] = plan_reaction(world, _anonymous(), "reaksi-anonim.csv").problems
    assert "program PP-2025 tidak punya tepat satu angkatan (belum punya angkatan)" in (
        problem.message
    )


def _as_the_sheet_writes_it(rows: list[list[str]]) -> list[list[object]]:
    """The rows as the form's linked Google Sheet downloads them as XLSX: the time a number (an
    Excel serial, read back a few microseconds off), the ratings numbers (read back as 4.0),
    the labels in another case."""
    out: list[list[object]] = [rows[0]]
    for row in rows[1:]:
        when = datetime.strptime(row[0].removesuffix(" GMT+7"), "%Y/%m/%d %I:%M:%S %p")
        cells: list[object] = [float(c) if c.isdigit() else c.upper() for c in row[1:]]
        out.append([when, *cells])
    return out


def test_the_same_answers_downloaded_as_the_sheets_xlsx_are_not_stored_again(world) -> None:
    programme, _batch, _people = held_training(world)
    imp.commit(plan_reaction(world, _anonymous(), "reaksi-anonim.csv"))
    rows = list(csv.reader(io.StringIO(_anonymous().decode())))
    data = xlsx_rows(_as_the_sheet_writes_it(rows))
    again = plan_reaction(world, data, "Evaluasi (Responses).xlsx")
    assert again.is_clean, [imp.describe_problem(p) for p in again.problems]
    assert [row.skipped for row in again.rows] == [True] * 52
    imp.commit(again)
    assert Response.objects.filter(programme=programme).count() == 52


def test_an_answer_edited_after_its_import_is_said_before_it_is_stored_again(world) -> None:
    held_training(world)
    rows = list(csv.reader(io.StringIO(REACTION.read_text(encoding="utf-8"))))
    imp.commit(plan_reaction(world, _anonymous(rows), "reaksi-anonim.csv"))
    rows[5][-1] = "Waktu pelatihan perlu ditambah (disunting)"
    plan = plan_reaction(world, _anonymous(rows), "reaksi-anonim.csv")
    fresh = [row for row in plan.rows if not row.skipped]
    assert [row.number for row in fresh] == [6]
    assert fresh[0].warnings == [
        "Jawaban tanpa nama dengan waktu pengisian yang sama sudah tersimpan, tetapi isinya "
        "berbeda (disunting sesudah diimpor?); baris ini akan tersimpan sebagai jawaban lain dan "
        "terhitung dua kali bila keduanya jawaban yang sama."
    ]


def test_an_opds_l1_page_says_how_many_anonymous_answers_it_leaves_out(
    world, client, django_assert_max_num_queries
) -> None:
    """The programme's L1 holds the 52 anonymous answers; an OPD's L1 cannot (no unit is
    known), and its page says how many it leaves out rather than showing fewer in silence."""
    programme, _batch, _people = held_training(world)
    imp.commit(plan_reaction(world, _anonymous(), "reaksi-anonim.csv"))
    assert evaluate_programme(programme).l1.n_anonymous_left_out == 0
    assert evaluate_programme(programme, unit=world.beta).l1.n_anonymous_left_out == 52
    client.force_login(world.alice)
    url = f"/evaluasi/program/{programme.pk}/"
    with django_assert_max_num_queries(45):
        page = client.get(url, {"tab": "l1", "unit": world.beta.pk})
    assert (
        "52 jawaban kuesioner reaksi tanpa nama dari angkatan yang dipilih tidak termasuk dalam "
        "hasil OPD ini: unit kerja respondennya tidak diketahui."
    ) in page.text
    assert 'data-testid="l1-anonymous-left-out"' not in client.get(url, {"tab": "l1"}).text

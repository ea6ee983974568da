"""L1 from a Google Forms reaction export: answers backdated to the form's own timestamps,
onto a questionnaire version built from the file's question columns (numeric Likert, a
labelled grid, free text) or onto an existing questionnaire."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from kompeten.core import importing as imp
from kompeten.evaluation.actions import instruments as inst_actions
from kompeten.evaluation.models import Instrument, InstrumentKind, Item, ItemKind, Response
from kompeten.evaluation.queries import evaluate_programme
from tests.evaluation.results_files import REACTION, held_training

JKT = ZoneInfo("Asia/Jakarta")


def _plan(world, data: bytes, filename: str, **options):  # type: ignore[no-untyped-def]
    return imp.plan(
        "reaction",
        data,
        filename,
        instansi=world.instansi,
        user=world.alice,
        options={"programme": "PP-2025", "instrument": "", **options},
    )


def test_the_sample_export_gives_the_independently_computed_l1(world) -> None:
    programme, _batch, _people = held_training(world)

    plan = _plan(world, REACTION.read_bytes(), REACTION.name)
    assert plan.source is not None and plan.source.key == "google_forms"
    assert plan.is_clean, [imp.describe_problem(p) for p in plan.problems]
    assert not Instrument.objects.filter(programme=programme).exists()  # a plan writes nothing
    outcome = imp.commit(plan)
    assert outcome.written == {"jawaban kuesioner": 52, "butir kuesioner baru": 12}

    questionnaire = Instrument.objects.get(programme=programme, kind=InstrumentKind.REACTION)
    items = list(questionnaire.items.order_by("order"))
    assert [i.kind for i in items] == [ItemKind.LIKERT] * 11 + [ItemKind.OPEN]
    assert items[0].text == "Materi pelatihan sesuai dengan kebutuhan tugas dan pekerjaan saya"
    assert items[8].text == "Penilaian terhadap narasumber/fasilitator: Penguasaan materi"
    assert items[8].option_list == ["Sangat Kurang", "Kurang", "Cukup", "Baik", "Sangat Baik"]
    # backdated: the first respondent answered at 2:33 PM GMT+7 on 26 June 2025
    first = Response.objects.filter(programme=programme).order_by("submitted_at").first()
    assert first is not None
    assert first.submitted_at == datetime(2025, 6, 26, 14, 33, tzinfo=JKT)

    l1 = evaluate_programme(programme).l1
    # expected.md: 52 respondents; overall mean 4.166; item means 4.13 4.08 4.13 4.21 4.31
    # 4.12 4.25 4.10; item 8 (overall satisfaction) 4.10; % agree (4–5) over the items 86.8 %.
    assert l1.n_responses == 52
    assert l1.item_mean == pytest.approx(4.166, abs=0.0005)
    means = [i.mean for i in l1.items[:8]]
    assert means == pytest.approx([4.13, 4.08, 4.13, 4.21, 4.31, 4.12, 4.25, 4.10], abs=0.005)
    assert l1.items[7].text == "Secara keseluruhan saya puas dengan pelatihan ini"
    assert l1.share_agree == pytest.approx(0.868, abs=0.0005)
    # the labelled grid is reported per item on its own scale (Sangat Kurang 1 … Sangat Baik 5)
    grid = l1.items[8]
    assert grid.labels[-1] == "Sangat Baik" and not grid.on_main_scale
    assert grid.n == 52 and grid.mean == pytest.approx(219 / 52)
    assert sum(grid.counts) == 52
    assert "Narasumber sangat inspiratif" in l1.comments
    assert "-" not in l1.comments


def test_importing_the_same_export_again_reuses_the_questionnaire(world) -> None:
    programme, _batch, _people = held_training(world)
    imp.commit(_plan(world, REACTION.read_bytes(), REACTION.name))
    again = _plan(world, REACTION.read_bytes(), REACTION.name)
    assert again.ctx is not None
    assert again.ctx.lookups["instrument"] is not None  # the version built from these columns
    assert all("sudah mengisi" in r.problems[0].message for r in again.rows)
    assert Instrument.objects.filter(programme=programme).count() == 1


HEADER = "Timestamp,Nama Lengkap,NIP,Materi pelatihan,Kepuasan,Saran\n"


def test_answers_outside_the_scale_and_strangers_are_named(world) -> None:
    programme, _batch, people = held_training(world)
    a, b = people[0], people[1]
    data = (
        HEADER
        + f"2025/06/26 2:33:00 PM GMT+7,{a.name},{a.nip},5,Baik,Bagus\n"
        + f"2025/06/26 2:35:00 PM GMT+7,{b.name},{b.nip},7,Luar biasa,\n"
        + "2025/06/26 2:36:00 PM GMT+7,Orang Lain,198501012010011001,4,Baik,\n"
    ).encode()
    plan = _plan(world, data, "reaksi.csv")
    rows = {r.number: r for r in plan.rows}
    assert rows[2].is_clean
    # column kinds are read from the answers: 7 makes 'Materi' a 1–7 scale, the unknown
    # word makes 'Kepuasan' free text; so only the stranger is left out
    assert rows[3].is_clean
    assert rows[4].pending_reason == "person_unknown"
    imp.commit(plan, partial=True)
    inst = Instrument.objects.get(programme=programme)
    kinds = {i.source_column: i for i in inst.items.all()}
    assert kinds["Materi pelatihan"].kind == ItemKind.LIKERT
    assert kinds["Materi pelatihan"].top_of_scale(inst.scale_max) == 7 == inst.scale_max
    assert kinds["Kepuasan"].kind == ItemKind.OPEN


def test_an_existing_questionnaire_is_mapped_by_wording_and_refuses_bad_answers(world) -> None:
    programme, _batch, people = held_training(world)
    inst = inst_actions.do_create_instrument_from_columns(
        programme,
        ["Materi pelatihan", "Kepuasan", "Saran"],
        ["likert", "Sangat Baik / Baik / Cukup / Kurang / Sangat Kurang", "open"],
        actor=world.alice,
    )
    a, b = people[0], people[1]
    data = (
        "Timestamp,Nama Lengkap,NIP,Materi pelatihan,Kepuasan,Saran,Kolom asing\n"
        + f"2025/06/26 2:33:00 PM GMT+7,{a.name},{a.nip},5,Sangat Baik,Bagus,\n"
        + f"2025/06/26 2:35:00 PM GMT+7,{b.name},{b.nip},6,Luar biasa,,x\n"
    ).encode()
    plan = _plan(world, data, "reaksi.csv", instrument=f"v{inst.version}")
    rows = {r.number: r for r in plan.rows}
    assert rows[2].is_clean
    messages = {p.column: p for p in rows[3].problems}
    assert "1–5" in messages["Materi pelatihan"].message
    assert messages["Kepuasan"].accepted[0] == "Sangat Baik"
    assert "tidak cocok dengan butir" in messages["Kolom asing"].message

    imp.commit(plan, partial=True)
    response = Response.objects.get(programme=programme)
    labelled = response.answers.get(item__source_column="Kepuasan")
    assert (labelled.value, labelled.text) == (5.0, "Sangat Baik")


def test_the_command_builds_a_questionnaire_without_instrument(world, tmp_path) -> None:
    programme, _batch, _people = held_training(world)
    call_command(
        "import_reaction", str(REACTION), "--programme", "PP-2025", "--instansi", "kota-uji"
    )
    assert Response.objects.filter(programme=programme).count() == 52
    assert Item.objects.filter(instrument__programme=programme).count() == 12


def test_the_tabs_and_the_export_show_the_imported_results(
    world, client, django_assert_max_num_queries
) -> None:
    from tests.evaluation.results_files import SCORES

    programme, _batch, _people = held_training(world)
    imp.commit(_plan(world, REACTION.read_bytes(), REACTION.name))
    scores = imp.plan(
        "scores",
        SCORES.read_bytes(),
        SCORES.name,
        instansi=world.instansi,
        user=world.alice,
        options={"programme": "PP-2025", "max_score": None},
    )
    imp.commit(scores)
    client.force_login(world.alice)
    url = f"/evaluasi/program/{programme.pk}/"
    with django_assert_max_num_queries(45):
        l1 = client.get(url, {"tab": "l1"})
    assert "Secara keseluruhan saya puas dengan pelatihan ini" in l1.text
    assert "Sangat Kurang · Kurang · Cukup · Baik · Sangat Baik" in l1.text
    with django_assert_max_num_queries(45):
        l2 = client.get(url, {"tab": "l2"})
    assert "tanpa jawaban per butir" in l2.text and "Analisis butir" not in l2.text

    export = client.get(url, {"export": "xlsx"})
    table = imp.read_file(export.content, "evaluasi.xlsx", sheet="L1 per butir")
    assert table.rows[0][:3] == ["no", "butir", "skala"]
    assert table.rows[8][1] == "Secara keseluruhan saya puas dengan pelatihan ini"
    assert table.rows[-1][4] == pytest.approx(4.166, abs=0.0005)


def test_an_indonesian_google_sheet_heads_the_moment_cap_waktu(world) -> None:
    """Google Sheets in Bahasa Indonesia writes "Cap waktu": it is when the answer came in,
    not a question of the questionnaire."""
    programme, _batch, _people = held_training(world)
    text = REACTION.read_text(encoding="utf-8").replace("Timestamp", "Cap waktu", 1)
    plan = _plan(world, text.encode(), REACTION.name)
    assert plan.source is not None and plan.source.key == "google_forms_id"
    assert plan.is_clean, [imp.describe_problem(p) for p in plan.problems]
    outcome = imp.commit(plan)
    assert outcome.written == {"jawaban kuesioner": 52, "butir kuesioner baru": 12}
    first = Response.objects.filter(programme=programme).order_by("submitted_at").first()
    assert first is not None
    assert first.submitted_at == datetime(2025, 6, 26, 14, 33, tzinfo=JKT)


def test_a_questionnaire_answered_all_in_words_gives_the_figures_of_its_numbers(world) -> None:
    """The sample with items 1–8 answered "Sangat Tidak Setuju" … "Sangat Setuju" instead of
    1–5: with no numeric item, the questionnaire's own scale is its most used labelled one (the
    agreement scale of items 1–8, not the trainer grid's), so expected.md's figures come out."""
    import csv
    import io

    held_training(world)
    words = {"1": "Sangat Tidak Setuju", "2": "Tidak Setuju", "3": "Ragu-ragu", "4": "Setuju",
             "5": "Sangat Setuju"}  # fmt: skip
    rows = list(csv.reader(io.StringIO(REACTION.read_text(encoding="utf-8"))))
    for row in rows[1:]:
        row[4:12] = [words[v] for v in row[4:12]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    imp.commit(_plan(world, out.getvalue().encode(), "reaksi-kata.csv"))

    l1 = evaluate_programme(Instrument.objects.get(kind=InstrumentKind.REACTION).programme).l1
    assert l1.item_mean == pytest.approx(4.166, abs=0.0005)
    assert l1.share_agree == pytest.approx(0.868, abs=0.0005)
    assert l1.items[0].on_main_scale and not l1.items[8].on_main_scale
    assert l1.overall is not None
    assert not l1.sentence.startswith("Belum ada jawaban")


def test_contact_and_count_columns_stay_out_of_the_l1_figures_and_comments(world) -> None:
    """A form that also asked for a phone number and 'how many times': the phone number is
    not stored (never a comment in a report), the count is no 1–5 rating, and expected.md's
    figures are unchanged; the preview says what each column became."""
    import csv
    import io

    held_training(world)
    rows = list(csv.reader(io.StringIO(REACTION.read_text(encoding="utf-8"))))
    rows[0] += ["Nomor HP", "Berapa kali Anda mengikuti pelatihan sejenis dalam setahun?"]
    for n, row in enumerate(rows[1:]):
        row += [f"08123{n:06d}", str(1 + n % 5)]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    plan = _plan(world, out.getvalue().encode(), "reaksi.csv")
    assert plan.mapping["Nomor HP"] == "contact"
    assert plan.ctx.notes == [
        "Kuesioner baru dibuat dari kolom berkas: 8 butir skala angka 1–5, 3 butir skala "
        "berlabel, 2 isian (Saran dan masukan untuk perbaikan pelatihan berikutnya; Berapa kali "
        "Anda mengikuti pelatihan sejenis dalam setahun?). Butir skala angka dan berlabel masuk "
        "ke hasil L1; isian menjadi komentar."
    ]
    imp.commit(plan)

    l1 = evaluate_programme(Instrument.objects.get(kind=InstrumentKind.REACTION).programme).l1
    assert l1.item_mean == pytest.approx(4.166, abs=0.0005)
    assert l1.share_agree == pytest.approx(0.868, abs=0.0005)
    assert not any(c.startswith("08123") or c.isdigit() for c in l1.comments)
    assert "Narasumber sangat inspiratif" in l1.comments
    assert not Response.objects.filter(answers__text__startswith="08123").exists()


def _rewritten(change) -> bytes:  # type: ignore[no-untyped-def]
    """The sample export with items 1–8 (columns 5–12) rewritten by ``change(value)``."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(REACTION.read_text(encoding="utf-8"))))
    for row in rows[1:]:
        row[4:12] = [change(v) for v in row[4:12]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def test_options_exported_with_their_labels_or_abbreviated_give_the_sample_figures(world) -> None:
    """ "4 - Setuju" (a form whose options carry number and label) and "S"/"SS" (abbreviated
    options) are the same answers as the sample's 1–5: expected.md's L1 (overall mean 4.166,
    86.8 % agreeing), not eight items turned into comments."""
    words = {"1": "Sangat Tidak Setuju", "2": "Tidak Setuju", "3": "Ragu-ragu", "4": "Setuju",
             "5": "Sangat Setuju"}  # fmt: skip
    short = {"1": "STS", "2": "TS", "3": "R", "4": "S", "5": "SS"}
    programme, _batch, _people = held_training(world)
    for name, change in (("angka-label", lambda v: f"{v} - {words[v]}"), ("singkat", short.get)):
        Response.objects.filter(programme=programme).delete()
        Instrument.objects.filter(programme=programme).delete()
        plan = _plan(world, _rewritten(change), f"reaksi-{name}.csv")
        assert plan.is_clean, [imp.describe_problem(p) for p in plan.problems]
        imp.commit(plan)
        l1 = evaluate_programme(programme).l1
        assert l1.item_mean == pytest.approx(4.166, abs=0.0005), name
        assert l1.share_agree == pytest.approx(0.868, abs=0.0005), name
        assert len(l1.items) == 11, name


def test_one_typed_answer_is_a_problem_of_its_row_not_the_end_of_its_item(world, tmp_path) -> None:
    held_training(world)
    rows = REACTION.read_text(encoding="utf-8").splitlines()
    cells = rows[5].split(",")
    cells[11] = "Sangat puas sekali"  # item 8, overall satisfaction, of the fifth respondent
    rows[5] = ",".join(cells)
    plan = _plan(world, "\n".join(rows).encode(), "reaksi.csv")
    (problem,) = plan.problems
    assert imp.describe_problem(problem).startswith(
        "Baris 6, kolom 8. Secara keseluruhan saya puas dengan pelatihan ini: Jawaban harus "
        "angka bulat 1–5. (nilai: Sangat puas sekali)"
    )
    path = tmp_path / "reaksi.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_reaction", str(path), "--programme", "PP-2025", "--instansi", "kota-uji",
        "--partial", stdout=out,
    )  # fmt: skip
    # the problem names its row once: "Tertunda: Baris 6, …", not "Tertunda baris 6: Baris 6, …"
    assert "Tertunda: Baris 6, kolom 8. Secara keseluruhan" in out.getvalue()
    assert "Tertunda baris 6" not in out.getvalue()
    items = Instrument.objects.get(kind=InstrumentKind.REACTION).items.order_by("order")
    assert items[7].kind == ItemKind.LIKERT  # the item is still rated, on its 51 other answers


def test_a_four_point_questionnaire_is_read_on_its_own_scale_and_says_so(world) -> None:
    programme, _batch, _people = held_training(world)
    plan = _plan(world, _rewritten(lambda v: str(min(int(v), 4))), "reaksi-1-4.csv")
    assert any("dibaca pada skala 1–4: tidak ada satu pun jawaban 5" in n for n in plan.notes)
    imp.commit(plan)
    questionnaire = Instrument.objects.get(kind=InstrumentKind.REACTION)
    items = questionnaire.items.order_by("order")
    assert questionnaire.scale_max == 4
    assert [i.top_of_scale(questionnaire.scale_max) for i in items[:8]] == [4] * 8
    l1 = evaluate_programme(programme).l1
    assert l1.scale_max == 4 and l1.items[0].on_main_scale

"""L2 from files of one test: a Google Forms quiz export (``Timestamp, Email Address, Score,
NIP, Nama Lengkap``, one column per question, the score written ``17 / 20``) and a workbook of
one sheet per test (``NO | NIP | NAMA | NILAI``), their one score column read as the test the
``test`` option names, else the one the sheet's or the file's name gives; and the reason written
in a score cell ("Sakit") kept in the note."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kompeten.core import importing as imp
from kompeten.core.models import ImportRun
from kompeten.evaluation.imports import named_test
from kompeten.evaluation.models import InstrumentKind, Response
from kompeten.evaluation.queries import evaluate_programme
from kompeten.learning.models import Batch
from kompeten.participation.actions.enrolment import do_accept, do_invite
from kompeten.people.models import Employee
from tests import factories
from tests.core.importing.lapor import signed_in
from tests.evaluation.results_files import held_training
from tests.evaluation.test_scores_import import _plan
from tests.participation.builders import at
from tests.workbooks import xlsx_rows, xlsx_sheets

CLI = ("--programme", "PP-2025", "--instansi", "kota-uji")
QUIZ_HEADERS = [
    "Timestamp",
    "Email Address",
    "Score",
    "NIP",
    "Nama Lengkap",
    "1. Kepanjangan SKM adalah …",
    "2. Standar pelayanan memuat …",
]
PRE = ["17 / 20", "12 / 20", "15 / 20", "20 / 20", "9 / 20"]
POST = ["19 / 20", "16/20", "18 / 20", "20 / 20", "14 / 20"]


def _quiz(people, scores: list[str]) -> list[list[Any]]:  # type: ignore[no-untyped-def]
    """A quiz's responses as Google Sheets exports them, one row per person."""
    return [
        QUIZ_HEADERS,
        *(
            [
                f"2025/06/24 8:{10 + n:02d}:00 AM GMT+7",
                f"peserta{n}@example.go.id",
                score,
                person.nip,
                person.name,
                "Survei Kepuasan Masyarakat",
                "Persyaratan",
            ]
            for n, (person, score) in enumerate(zip(people, scores, strict=False))
        ),
    ]


def _quiz_csv(people, scores: list[str]) -> bytes:  # type: ignore[no-untyped-def]
    return "\n".join(
        ",".join(f'"{cell}"' for cell in row) for row in _quiz(people, scores)
    ).encode()


def _scores(programme, kind: str, people) -> list[tuple[float, float]]:  # type: ignore[no-untyped-def]
    """(score, maximum) stored for each of ``people`` who has one, in their order."""
    stored = {
        nip: (score, top)
        for nip, score, top in Response.objects.filter(programme=programme, kind=kind).values_list(
            "subject__nip", "score", "max_score"
        )
    }
    return [stored[p.nip] for p in people if p.nip in stored]


def _pin_the_l2(programme) -> None:  # type: ignore[no-untyped-def]
    """pre 85, 60, 75, 100, 45 and post 95, 80, 90, 100, 70 (of 100): mean pre 73, post 87,
    gain 14; Hake's class g (87 - 73) / (100 - 73) = 14/27; the mean individual g over the four
    with pre < 100: (10/15 + 20/40 + 15/25 + 25/55) / 4."""
    l2 = evaluate_programme(programme).l2
    assert l2.n_pre == 5 and l2.n_pairs == 5
    assert l2.mean_pre_all == pytest.approx(73.0)
    assert l2.mean_pre == pytest.approx(73.0)
    assert l2.mean_post == pytest.approx(87.0)
    assert l2.mean_gain == pytest.approx(14.0)
    assert l2.gain is not None
    assert l2.gain.class_gain == pytest.approx(14 / 27)
    assert l2.gain.mean_individual_gain == pytest.approx(
        (10 / 15 + 20 / 40 + 15 / 25 + 25 / 55) / 4
    )
    assert l2.totals_only is True
    assert l2.items == ()


def test_a_google_forms_quiz_of_each_test_gives_the_scores_and_the_l2(world) -> None:
    programme, _batch, people = held_training(world)
    pre = _plan(world, xlsx_rows(_quiz(people, PRE)), "Pre Test PP (Responses).xlsx", test="pre")
    assert pre.source is not None and pre.source.key == "google_forms_quiz"
    assert pre.is_clean, [imp.describe_problem(p) for p in pre.problems]
    # the questions and the e-mail are read past; no note of another import or of the scale
    assert pre.ctx.notes == ["Kolom 'Score' dibaca sebagai nilai pre-test."]
    assert [r.values["pre"] for r in pre.rows] == [85, 60, 75, 100, 45]
    assert imp.commit(pre).written == {"pre-test": 5, "post-test": 0, "tidak ikut tes": 0}

    post = _plan(world, _quiz_csv(people, POST), "Post Test PP (Responses).csv", test="post")
    assert post.is_clean, [imp.describe_problem(p) for p in post.problems]
    assert imp.commit(post).written == {"pre-test": 0, "post-test": 5, "tidak ikut tes": 0}

    assert _scores(programme, InstrumentKind.PRETEST, people) == [
        (85.0, 100.0), (60.0, 100.0), (75.0, 100.0), (100.0, 100.0), (45.0, 100.0)
    ]  # fmt: skip
    assert _scores(programme, InstrumentKind.POSTTEST, people) == [
        (95.0, 100.0), (80.0, 100.0), (90.0, 100.0), (100.0, 100.0), (70.0, 100.0)
    ]  # fmt: skip
    _pin_the_l2(programme)


def test_a_fraction_is_read_on_the_scale_the_import_stores_in(world) -> None:
    """17 / 20 is 85 % whatever the maximum: 85 of 100 by default, 34 of 40 with 40; with a
    comma decimal, 17,5 / 20 is 87.5 of 100."""
    programme, _batch, people = held_training(world)
    data = xlsx_rows(_quiz(people, ["17 / 20", "17,5 / 20", "8/20"]))
    assert [r.values["pre"] for r in _plan(world, data, "kuis.xlsx", test="pre").rows] == [
        85,
        87.5,
        40,
    ]
    imp.commit(_plan(world, data, "kuis.xlsx", test="pre", max_score=40))
    stored = Response.objects.filter(programme=programme, kind=InstrumentKind.PRETEST)
    assert sorted((r.score, r.max_score, r.score_pct) for r in stored) == [
        (16.0, 40.0, 40.0),
        (34.0, 40.0, 85.0),
        (35.0, 40.0, 87.5),
    ]


def test_fractions_of_one_test_are_no_sign_of_another_scale(world) -> None:
    """Five scores of at most 10 / 20 are 50 at most on 0–100, but each names its maximum: no
    note that the test was marked out of its number of questions."""
    _programme, _batch, people = held_training(world)
    low = ["10 / 20", "8 / 20", "6 / 20", "9 / 20", "7 / 20"]
    plan = _plan(world, xlsx_rows(_quiz(people, low)), "kuis.xlsx", test="post")
    assert plan.is_clean and plan.ctx.notes == ["Kolom 'Score' dibaca sebagai nilai post-test."]


def test_a_fraction_that_is_no_score_is_named_and_nothing_is_written(world, tmp_path) -> None:
    programme, _batch, people = held_training(world)
    scores = ["17 / 0", "21 / 20", "-1 / 20", "17 / 20"]
    data = _quiz_csv(people, scores)
    plan = _plan(world, data, "kuis.csv", test="pre")
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (2, "Score", "Nilai '17 / 0' tidak dapat dibaca: nilai maksimum sesudah garis miring "
         "harus lebih dari 0."),
        (3, "Score", "Nilai '21 / 20' tidak dapat dibaca: nilai yang diperoleh melebihi nilai "
         "maksimumnya (20)."),
        (4, "Score", "Nilai '-1 / 20' tidak dapat dibaca: nilai yang diperoleh tidak boleh "
         "kurang dari 0."),
    ]  # fmt: skip
    assert "17 / 20" in plan.problems[0].accepted
    assert plan.rows[3].is_clean
    with pytest.raises(imp.PlanNotClean):
        imp.commit(plan)
    assert not Response.objects.filter(programme=programme).exists()

    path = tmp_path / "kuis.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError, match="Tidak ada yang disimpan") as refused:
        call_command("import_scores", str(path), *CLI, "--map", "Score=pre")
    assert "Baris 3, kolom Score" in str(refused.value)
    assert not Response.objects.filter(programme=programme).exists()


def test_one_score_column_and_no_test_chosen_is_the_files_problem_said_once(
    world, tmp_path
) -> None:
    programme, _batch, people = held_training(world)
    data = _quiz_csv(people, PRE)
    plan = _plan(world, data, "kuis.csv")
    assert [(p.row, p.message) for p in plan.problems] == [
        (
            None,
            "Berkas ini memuat satu kolom nilai ('Score') tanpa kolom pre-test atau post-test, "
            "dan tidak disebutkan tes mana nilainya (nama lembar kerja dan nama berkasnya pun "
            "tidak menyebut satu tes); unggah ulang dengan opsi Tes dalam berkas ini diisi "
            "(pre-test atau post-test), atau di langkah pemetaan pilih Nilai pre-test atau Nilai "
            "post-test untuk kolom 'Score'.",
        )
    ]
    assert all(not r.problems for r in plan.rows)
    with pytest.raises(imp.PlanNotClean):
        imp.commit(plan, partial=True)

    path = tmp_path / "kuis.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError) as refused:
        call_command("import_scores", str(path), *CLI)
    assert (
        "tidak menyebut satu tes); ulangi dengan --test pre bila berkas ini pre-test, atau --test "
        "post bila post-test." in str(refused.value)
    )
    assert not Response.objects.filter(programme=programme).exists()

    # the test named on the command line: imported
    call_command("import_scores", str(path), *CLI, "--test", "post")
    assert _scores(programme, InstrumentKind.POSTTEST, people) == [
        (85.0, 100.0), (60.0, 100.0), (75.0, 100.0), (100.0, 100.0), (45.0, 100.0)
    ]  # fmt: skip
    assert not Response.objects.filter(programme=programme, kind=InstrumentKind.PRETEST).exists()


def _sheet(people, scores: list[int]) -> list[list[Any]]:  # type: ignore[no-untyped-def]
    """One test's sheet: NO | NIP | NAMA | NILAI."""
    rows = zip(people, scores, strict=False)
    return [
        ["NO", "NIP", "NAMA", "NILAI"],
        *([n, p.nip, p.name, s] for n, (p, s) in enumerate(rows, 1)),
    ]


def test_a_workbook_of_one_sheet_per_test_is_imported_sheet_by_sheet(world, tmp_path) -> None:
    """Sheet "PRE TEST" and sheet "POST TEST", each NO | NIP | NAMA | NILAI: the first sheet
    read names the second, and each sheet's name decides its test."""
    programme, _batch, people = held_training(world)
    book = xlsx_sheets(
        [
            ("PRE TEST", _sheet(people, [85, 60, 75, 100, 45])),
            ("POST TEST", _sheet(people, [95, 80, 90, 100, 70])),
        ]
    )
    first = _plan(world, book, "nilai.xlsx")
    assert first.sheet == "PRE TEST" and first.alike == [("POST TEST", 5)]
    assert first.mapping["NILAI"] == "score"
    assert first.is_clean, [imp.describe_problem(p) for p in first.problems]
    assert first.notes[0] == (
        "Kolom 'NILAI' dibaca sebagai nilai pre-test: nama lembar kerja 'PRE TEST' menyebutnya."
    )
    imp.commit(first)
    second = _plan(world, book, "nilai.xlsx", sheet="POST TEST")
    assert second.is_clean
    imp.commit(second)
    _pin_the_l2(programme)

    # the command line: every sheet with the table, each its own test
    Response.objects.filter(programme=programme).delete()
    path = tmp_path / "nilai.xlsx"
    path.write_bytes(book)
    call_command("import_scores", str(path), *CLI, "--all-sheets")
    _pin_the_l2(programme)


def test_the_wizard_imports_each_sheet_as_the_test_its_name_gives(world) -> None:
    programme, _batch, people = held_training(world)
    client = signed_in(world.alice)
    upload = client.get("/impor/scores/").content.decode()
    assert "Tes dalam berkas ini" in upload and 'name="opt-test"' in upload

    book = xlsx_sheets([("PRE TEST", _quiz(people, PRE)), ("POST TEST", _quiz(people, POST))])
    f = io.BytesIO(book)
    f.name = "kuis pelayanan prima.xlsx"
    mapping_url = client.post("/impor/scores/", {"file": f, "opt-programme": "PP-2025"})["Location"]
    preview_url = mapping_url.replace("kolom/", "")
    preview = client.get(preview_url).content.decode()
    assert (
        "Kolom &#x27;Score&#x27; dibaca sebagai nilai pre-test: nama lembar kerja &#x27;PRE "
        "TEST&#x27; menyebutnya." in preview
    )
    result_url = client.post(preview_url + "simpan/")["Location"]
    page = client.get(result_url).content.decode()
    next_url = page.split('data-testid="next-sheet-link"')[0].rsplit('href="', 1)[1].split('"')[0]
    # the next sheet's options are the first's (no test chosen): its name decides
    preview_url = client.post(next_url, {"opt-programme": "PP-2025"})["Location"]
    assert "nilai post-test: nama lembar kerja" in client.get(preview_url).content.decode()
    client.post(preview_url + "simpan/")
    _pin_the_l2(programme)


def test_a_recap_with_its_own_score_columns_reads_past_a_lone_score_and_the_chosen_test(
    world,
) -> None:
    _programme, _batch, people = held_training(world)
    data = (
        f"NO;NIP;NAMA;PRE TEST;POST TEST;NILAI\n1;{people[0].nip};{people[0].name};40;75;B\n"
    ).encode()
    plan = _plan(world, data, "nilai.csv", test="post")
    assert plan.is_clean
    assert plan.rows[0].values["pre"] == 40 and plan.rows[0].values["post"] == 75
    assert plan.ctx.notes == [
        "Kolom 'NILAI' tidak dibaca: berkas ini memuat kolom nilai pre-test atau post-test "
        "(PRE TEST, POST TEST).",
        "Pilihan tes (post-test) tidak dipakai: berkas ini memuat kolom nilai pre-test atau "
        "post-test (PRE TEST, POST TEST).",
    ]


def test_the_reason_written_in_a_score_cell_is_kept_in_the_note(world) -> None:
    programme, _batch, people = held_training(world)
    rows = [
        ("Sakit", 80, ""),  # blank note: the reason becomes it
        (60, "TH (tidak hadir)", "Tidak mengikuti post test"),  # another note: appended
        (55, "Izin", "izin"),  # the note gives the reason already: as it is
        (50, "S", ""),  # a bare mark said in full
        ("DL", 70, "Pindah batch"),
        ("Sakit", "Sakit", ""),  # no score at all: nothing stored, and the row says so
    ]
    data = "NO;NIP;NAMA PESERTA;PRE TEST;POST TEST;KETERANGAN\n" + "".join(
        f"{n};{p.nip};{p.name};{pre};{post};{note}\n"
        for n, (p, (pre, post, note)) in enumerate(zip(people, rows, strict=False), start=1)
    )
    plan = _plan(world, data.encode(), "nilai.csv")
    assert plan.is_clean, [imp.describe_problem(p) for p in plan.problems]
    assert [(row.number, row.warnings) for row in plan.rows if row.warnings] == [
        (
            7,
            [
                "Tidak ada nilai tes pada baris ini (tidak ikut tes): tidak ada yang disimpan "
                "untuk baris ini, juga keterangannya."
            ],
        )
    ]
    imp.commit(plan)
    notes = dict(Response.objects.filter(programme=programme).values_list("subject__nip", "note"))
    assert people[5].nip not in notes
    assert [notes[p.nip] for p in people[:5]] == [
        "Pre-test: Sakit",
        "Tidak mengikuti post test; Post-test: TH (tidak hadir)",
        "izin",
        "Post-test: S (sakit)",
        "Pindah batch; Pre-test: DL (dinas luar)",
    ]


def _enrol_stranger(world, batch: Batch) -> Employee:  # type: ignore[no-untyped-def]
    """Orang Lain, whose row waited, becomes a participant of ``batch``."""
    stranger = factories.make_employee(
        world.beta, "Orang Lain", nip="198501012010011001", birth_date=date(1985, 1, 1)
    )
    early = at(date(2025, 6, 1), 9)
    enrolment = do_invite(
        batch=batch, employee=stranger, actor=world.alice, notify=False, now=early
    )
    do_accept(enrolment=enrolment, actor=None, now=early)
    return stranger


def test_a_stranger_in_a_quiz_waits_and_is_completed_as_the_test_chosen(world) -> None:
    """A pending row of a quiz keeps the run's options: once the person is enrolled, their
    "14 / 20" is stored as the post-test's 70."""
    programme, batch, people = held_training(world)
    rows = _quiz(people, ["17 / 20"])
    rows.append([*rows[1][:3], "198501012010011001", "Orang Lain", *rows[1][5:]])
    rows[2][2] = "14 / 20"
    outcome = imp.commit(_plan(world, xlsx_rows(rows), "kuis.xlsx", test="post"), partial=True)
    assert (outcome.imported, outcome.pending) == (1, 1)

    stranger = _enrol_stranger(world, batch)
    assert imp.retry_pending(world.instansi, world.alice, key="scores") == 1
    assert _scores(programme, InstrumentKind.POSTTEST, [people[0], stranger]) == [
        (85.0, 100.0),
        (70.0, 100.0),
    ]


def test_a_sheet_named_after_the_other_test_than_the_one_chosen_is_refused(world) -> None:
    """The test chosen for the sheet before, carried to the next sheet: never read as it."""
    programme, _batch, people = held_training(world)
    book = xlsx_sheets([("POST TEST", _sheet(people, [95, 80, 90, 100, 70]))])
    plan = _plan(world, book, "nilai.xlsx", test="pre")
    assert [p.message for p in plan.problems] == [
        "Lembar kerja 'POST TEST' menyebut post-test, tetapi tes yang dipilih pre-test; tidak "
        "ada yang disimpan agar nilai post-test tidak tercatat sebagai pre-test: pilih "
        "post-test di opsi Tes dalam berkas ini, atau kosongkan opsi itu."
    ]
    with pytest.raises(imp.PlanNotClean):
        imp.commit(plan, partial=True)
    assert not Response.objects.filter(programme=programme).exists()
    # the file's name gives way to the test chosen
    quiz = _plan(world, xlsx_rows(_quiz(people, PRE)), "Post Test (Responses).xlsx", test="pre")
    assert quiz.is_clean and quiz.ctx.notes == ["Kolom 'Score' dibaca sebagai nilai pre-test."]


def test_a_quiz_file_named_after_its_test_is_read_as_it(world) -> None:
    _programme, _batch, people = held_training(world)
    name = "Post Test Pelayanan Prima (Responses) - Form Responses 1.csv"
    plan = _plan(world, _quiz_csv(people, POST), name)
    assert plan.ctx.notes == [
        f"Kolom 'Score' dibaca sebagai nilai post-test: nama berkas '{name}' menyebutnya."
    ]
    assert imp.commit(plan).written["post-test"] == 5


def test_a_sheets_or_files_name_gives_a_test_only_when_it_names_one() -> None:
    assert [named_test(n) for n in ("PRE TEST", "Pretest", "Pre_Test", "Tes Awal")] == ["pre"] * 4
    assert [named_test(n) for n in ("POST-TEST", "posttest", "Tes Akhir")] == ["post"] * 3
    both_or_none = ("Nilai Pre Post Test Pelayanan Prima", "Pretest dan Posttest", "Sheet1",
                    "Form Responses 1", "Presentasi", "Laporan Akhir")  # fmt: skip
    assert [named_test(n) for n in both_or_none] == [""] * 6


def test_a_pending_row_of_a_sheet_named_after_its_test_is_completed_as_that_test(world) -> None:
    """No sheet is read when a pending row is retried: the test the sheet gave is kept in the
    run's options."""
    programme, batch, people = held_training(world)
    rows = [*_sheet(people, [95]), [2, "198501012010011001", "Orang Lain", 70]]
    outcome = imp.commit(_plan(world, xlsx_rows(rows, "POST TEST"), "nilai.xlsx"), partial=True)
    assert outcome.pending == 1
    assert ImportRun.objects.get().options["test"] == "post"
    stranger = _enrol_stranger(world, batch)
    assert imp.retry_pending(world.instansi, world.alice, key="scores") == 1
    assert _scores(programme, InstrumentKind.POSTTEST, [people[0], stranger]) == [
        (95.0, 100.0),
        (70.0, 100.0),
    ]

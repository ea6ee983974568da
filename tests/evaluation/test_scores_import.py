"""L2 from the panitia's pre/post recap: one total per person, `-` for absent, the KETERANGAN
note kept; matched to the programme's participants by NIP, else by an unambiguous name."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kompeten.core import importing as imp
from kompeten.evaluation.models import Instrument, InstrumentKind, Response
from kompeten.evaluation.queries import evaluate_programme
from kompeten.participation.models import Enrolment
from tests.evaluation.results_files import SCORES, held_training
from tests.workbooks import xlsx_rows


def _plan(world, data: bytes, filename: str, **options: Any) -> Any:  # type: ignore[no-untyped-def]
    """The scores import's plan of ``data`` for programme PP-2025 (``options`` override; a
    ``sheet`` names the worksheet to read)."""
    sheet = options.pop("sheet", None)
    return imp.plan(
        "scores",
        data,
        filename,
        instansi=world.instansi,
        user=world.alice,
        options={"programme": "PP-2025", "max_score": None, **options},
        sheet=sheet,
    )


def test_the_sample_recap_gives_the_independently_computed_l2(world) -> None:
    programme, _batch, _people = held_training(world)

    plan = _plan(world, SCORES.read_bytes(), SCORES.name)
    assert plan.source is not None and plan.source.key == "panitia_nilai"
    assert plan.is_clean, [imp.describe_problem(p) for p in plan.problems]
    assert len(plan.rows) == 60  # title rows above and the RATA-RATA row below are not data
    outcome = imp.commit(plan)
    assert outcome.written == {"pre-test": 60, "post-test": 52, "tidak ikut tes": 0}

    l2 = evaluate_programme(programme).l2
    # expected.md: with pre 60, mean pre 58.00; pairs 52, pre 58.56, post 76.63, gain 18.08;
    # Hake: mean of individual g (pre < 100) 0.474, class g 0.436.
    assert l2.n_pre == 60
    assert l2.mean_pre_all == pytest.approx(58.00, abs=0.005)
    assert l2.n_pairs == 52
    assert l2.mean_pre == pytest.approx(58.56, abs=0.005)
    assert l2.mean_post == pytest.approx(76.63, abs=0.005)
    assert l2.mean_gain == pytest.approx(18.08, abs=0.005)
    assert l2.gain is not None
    assert l2.gain.mean_individual_gain == pytest.approx(0.474, abs=0.0005)
    assert l2.gain.class_gain == pytest.approx(0.436, abs=0.0005)
    assert l2.totals_only is True
    assert l2.items == ()  # no item answers, no item analysis

    # the absent post-tests keep the recap's note on the pre-test response
    notes = set(
        Response.objects.filter(programme=programme, kind=InstrumentKind.PRETEST)
        .exclude(note="")
        .values_list("note", flat=True)
    )
    assert notes == {"Tidak mengikuti post test"}
    # the post-test counts for completion as if taken in Kompeten
    assert (
        Enrolment.objects.filter(batch__programme=programme, posttest_done_at__isnull=False).count()
        == 52
    )


def test_the_same_recap_twice_replaces_the_totals(world) -> None:
    programme, _batch, _people = held_training(world)
    imp.commit(_plan(world, SCORES.read_bytes(), SCORES.name))
    imp.commit(_plan(world, SCORES.read_bytes(), SCORES.name))
    assert Response.objects.filter(programme=programme).count() == 112
    assert Instrument.objects.filter(programme=programme, scores_only=True).count() == 2


CSV = (
    "REKAP NILAI\n"
    "\n"
    "NO,NIP,NAMA PESERTA,PRE TEST,POST TEST,KETERANGAN\n"
    "1,{nip0},{name0},40,-,sakit\n"
    "2,'{nip1},{name1},55.5,80,\n"
    "3,{nip2},{name2},50,70,NIP salah tulis\n"
    "4,199001012020011999,{name4},50,70,namesake with another NIP\n"
    "5,198501012010011001,Orang Lain,60,70,\n"
    "6,{nip3},{name3},60,170,\n"
)


def _csv(people) -> bytes:  # type: ignore[no-untyped-def]
    return CSV.format(
        nip0=people[0].nip,
        name0=people[0].name,
        nip1=people[1].nip,
        name1=people[1].name,
        nip2=people[2].nip[:10] + ("1" if people[2].nip[10] != "1" else "2") + people[2].nip[11:],
        name2=people[2].name,
        name4=people[4].name,
        nip3=people[3].nip,
        name3=people[3].name,
    ).encode()


def test_every_problem_is_named_and_strangers_are_pending(world) -> None:
    programme, _batch, people = held_training(world)
    plan = _plan(world, _csv(people), "nilai.csv")

    by_row = {r.number: r for r in plan.rows}
    assert by_row[4].is_clean and by_row[4].values["post"] is None  # "-" is absent
    assert by_row[5].is_clean and by_row[5].values["pre"] == 55.5  # a leading ' is fine
    assert by_row[6].is_clean  # a NIP with a slip of the pen, matched by the unique name
    assert by_row[6].result.employee_id == people[2].pk
    assert by_row[7].pending_reason == "person_unknown"  # a namesake is not matched
    assert by_row[8].pending_reason == "person_unknown"
    assert "bukan peserta program PP-2025" in by_row[8].pending_message
    [problem] = by_row[9].problems
    assert problem.column == "POST TEST" and "0–100" in problem.message

    with pytest.raises(imp.PlanNotClean):
        imp.commit(plan)
    assert not Response.objects.filter(programme=programme).exists()  # nothing half-written

    outcome = imp.commit(plan, partial=True)
    assert outcome.imported == 3 and outcome.pending == 3
    assert Response.objects.filter(programme=programme).count() == 5


def test_a_total_does_not_overwrite_a_test_answered_item_by_item(world) -> None:
    from django.core.exceptions import ValidationError

    from kompeten.evaluation.actions.scores import ScoreInput, do_record_test_scores

    programme, _batch, people = held_training(world)
    do_record_test_scores(
        programme, entries=[ScoreInput(subject_id=people[0].pk, pre=50, post=None)]
    )
    with pytest.raises(ValidationError, match="Baris 1: nilai post-test harus 0–100"):
        do_record_test_scores(
            programme, entries=[ScoreInput(subject_id=people[1].pk, pre=50, post=101)]
        )
    with pytest.raises(ValidationError, match="bukan peserta program ini"):
        do_record_test_scores(
            programme, entries=[ScoreInput(subject_id=world.erin_emp.pk, pre=50, post=60)]
        )


def test_the_command_imports_with_partial_and_refuses_without(world, tmp_path) -> None:
    programme, _batch, people = held_training(world)
    path = tmp_path / "nilai.csv"
    path.write_bytes(_csv(people))
    with pytest.raises(CommandError, match="Tidak ada yang disimpan") as refused:
        call_command("import_scores", str(path), "--programme", "PP-2025", "--instansi", "kota-uji")
    assert "Baris 9, kolom POST TEST" in str(refused.value)
    assert not Response.objects.filter(programme=programme).exists()

    call_command(
        "import_scores", str(path), "--programme", "PP-2025", "--instansi", "kota-uji", "--partial"
    )
    assert Response.objects.filter(programme=programme).count() == 5

    with pytest.raises(CommandError, match="Program dengan kode NOPE tidak ada"):
        call_command("import_scores", str(path), "--programme", "NOPE", "--instansi", "kota-uji")


def test_the_api_summary_carries_the_l2_from_totals(world, client) -> None:
    from tests.api.helpers import api_get, make_token

    programme, _batch, _people = held_training(world)
    imp.commit(_plan(world, SCORES.read_bytes(), SCORES.name))
    _token, secret = make_token(world.instansi)
    body = api_get(client, f"/api/evaluations/{programme.pk}", secret).json()
    l2 = body["l2"]
    assert l2["n_pairs"] == 52 and l2["totals_only"] is True
    assert l2["mean_pre_all"] == pytest.approx(58.0)
    assert l2["mean_gain"] == pytest.approx(18.08, abs=0.005)
    assert l2["mean_individual_gain"] == pytest.approx(0.474, abs=0.0005)
    assert body["l1"]["items"] == [] and body["l1"]["item_mean"] is None


def test_a_pending_stranger_is_completed_once_enrolled(world) -> None:
    from datetime import date

    from kompeten.participation.actions.enrolment import do_accept, do_invite
    from tests import factories
    from tests.participation.builders import at

    _programme, batch, people = held_training(world)
    outcome = imp.commit(_plan(world, _csv(people), "nilai.csv"), partial=True)
    assert outcome.pending == 3  # the namesake, the stranger, and the post-test of 170

    stranger = factories.make_employee(
        world.beta, "Orang Lain", nip="198501012010011001", birth_date=date(1985, 1, 1)
    )
    early = at(date(2025, 6, 1), 9)
    do_accept(
        enrolment=do_invite(
            batch=batch, employee=stranger, actor=world.alice, notify=False, now=early
        ),
        actor=None,
        now=early,
    )
    assert imp.retry_pending(world.instansi, world.alice, key="scores") == 1
    assert set(Response.objects.filter(subject=stranger).values_list("kind", "score")) == {
        (InstrumentKind.PRETEST, 60.0),
        (InstrumentKind.POSTTEST, 70.0),
    }


def test_a_nip_alone_is_enough_and_a_row_without_either_is_named(world) -> None:
    _programme, _batch, people = held_training(world)
    data = (
        "NIP,NAMA,PRE TEST,POST TEST\n"
        f"{people[0].nip},,70,80\n"
        ",,60,65\n"
        f"{people[1].nip.replace('', ' ').strip()},Nama Lain Sekali,50,\n"
    ).encode()
    plan = _plan(world, data, "nilai.csv")
    rows = {r.number: r for r in plan.rows}
    assert rows[2].is_clean and rows[2].result.employee_id == people[0].pk
    assert "tidak memuat NIP maupun nama" in rows[3].problems[0].message
    assert rows[4].is_clean and rows[4].result.employee_id == people[1].pk  # NIP wins


def test_a_mark_for_absent_is_no_score_and_a_word_is_named_with_what_is_accepted(world) -> None:
    """Recaps mark who did not sit a test "TH" (tidak hadir) as often as "-"; a score list's
    highest and lowest marks under the table are not participants."""
    _programme, _batch, people = held_training(world)
    data = (
        "NO;NIP;NAMA PESERTA;PRE TEST;POST TEST\n"
        f"1;{people[0].nip};{people[0].name};40;TH\n"
        f"2;{people[1].nip};{people[1].name};Tidak hadir;80\n"
        f"3;{people[2].nip};{people[2].name};50;lulus\n"
        "NILAI TERTINGGI;;;50;80\n"
        "NILAI TERENDAH;;;40;80\n"
    ).encode()
    plan = _plan(world, data, "nilai.csv")
    assert [r.number for r in plan.rows] == [2, 3, 4]
    assert plan.rows[0].is_clean and plan.rows[0].values["post"] is None
    assert plan.rows[1].is_clean and plan.rows[1].values["pre"] is None
    [problem] = plan.rows[2].problems
    assert problem.column == "POST TEST" and "'lulus'" in problem.message
    assert "TH (tidak hadir)" in problem.accepted


def _out_of(people, scores: list[tuple[int, int]]) -> bytes:  # type: ignore[no-untyped-def]
    lines = ["NO,NIP,NAMA PESERTA,PRE TEST,POST TEST"]
    for n, (person, (pre, post)) in enumerate(zip(people, scores, strict=False), start=1):
        lines.append(f"{n},{person.nip},{person.name},{pre},{post}")
    return "\n".join(lines).encode()


def test_scores_that_look_marked_out_of_the_questions_are_noted_before_saving(
    world, tmp_path, capsys
) -> None:
    _programme, _batch, people = held_training(world)
    out_of_40 = _out_of(people, [(20, 32), (18, 36), (25, 38), (22, 30), (19, 35)])
    assert _plan(world, out_of_40, "nilai.csv").ctx.notes == [
        "Nilai tertinggi di berkas ini 38, padahal nilai dibaca pada skala 0–100. Bila tes "
        "dinilai dari jumlah soal (mis. 40 soal), unggah ulang dengan Nilai maksimum tes diisi."
    ]
    given = imp.plan(
        "scores",
        out_of_40,
        "nilai.csv",
        instansi=world.instansi,
        user=world.alice,
        options={"programme": "PP-2025", "max_score": 40},
    )
    assert given.ctx.notes == []
    # a best score past half of 100, or too few scores to judge, is no sign of another scale
    above_half = _out_of(people, [(20, 32), (18, 51), (25, 38), (22, 30), (19, 35)])
    assert _plan(world, above_half, "nilai.csv").ctx.notes == []
    assert _plan(world, _out_of(people, [(20, 32), (18, 36)]), "nilai.csv").ctx.notes == []

    path = tmp_path / "nilai.csv"
    path.write_bytes(out_of_40)
    call_command(
        "import_scores", str(path), "--programme", "PP-2025", "--instansi", "kota-uji", "--dry-run"
    )
    out = capsys.readouterr().out
    assert (
        "Catatan: Nilai tertinggi di berkas ini 38, padahal nilai dibaca pada skala 0–100. Bila "
        "tes dinilai dari jumlah soal (mis. 40 soal), ulangi dengan --max-score "
        "(mis. --max-score 40)." in out
    )


def test_a_nip_excel_shortened_is_named_as_such_not_padded_with_zeros(world) -> None:
    held_training(world)
    data = b'NO,NIP,NAMA PESERTA,PRE TEST,POST TEST\n1,"1,98501E+17",Orang Lain,60,70\n'
    (row,) = _plan(world, data, "nilai.csv").rows
    assert row.pending_reason == "person_unknown"
    assert row.pending_message.startswith(
        "Orang Lain bukan peserta program PP-2025: belum ada di daftar hadir yang diimpor, atau "
        "baris daftar hadirnya masih tertunda (mis. ia belum terdaftar sebagai pegawai)."
    )
    assert "NIP tertulis sebagai angka ilmiah (1,98501E+17): hanya 6 digit" in (row.pending_message)
    assert "000000" not in row.pending_message


def test_another_imports_export_is_named_as_such(world) -> None:
    """The LAPOR! export uploaded as the score recap: the preview says what it is."""
    from tests.evaluation.results_files import SCORES

    held_training(world)
    lapor = SCORES.parent / "Export_Laporan_SP4N-LAPOR_Pemkot_Sawahlunto_2025.xlsx"
    assert _plan(world, lapor.read_bytes(), lapor.name).ctx.notes[0] == (
        "Berkas ini tampaknya SP4N-LAPOR! (ekspor admin), yaitu berkas untuk impor Pengaduan "
        "(SP4N-LAPOR!), bukan Nilai pre-test dan post-test (L2). Bila benar, batalkan lalu pilih "
        "impor Pengaduan (SP4N-LAPOR!)."
    )
    assert not _plan(world, SCORES.read_bytes(), SCORES.name).ctx.notes  # its own recap


def test_a_recap_headed_like_an_attendance_list_is_not_called_one(world) -> None:
    """ "No., NIP, Nama, Unit Kerja, Pretest, Posttest, Ket." carries most of the panitia's
    attendance-list signature, but every score column is there: no note that it is the wrong
    file."""
    from tests.workbooks import xlsx_rows

    held_training(world)
    headers = ["No.", "NIP", "Nama", "Unit Kerja", "Pretest", "Posttest", "Peningkatan", "Ket."]
    rows = [[1, "198306122005031001", "Alfian Piliang", "DPMPTSP", 60, 90, 30, None]]
    plan = _plan(world, xlsx_rows([headers, *rows]), "nilai.xlsx")
    assert not [n for n in plan.ctx.notes if "tampaknya" in n]
    assert plan.mapping["Pretest"] == "pre" and plan.mapping["Posttest"] == "post"


def test_a_zero_beside_a_note_that_the_test_was_not_taken_is_no_score(world) -> None:
    from tests.workbooks import xlsx_rows

    held_training(world)
    headers = ["No", "NIP", "Nama Peserta", "Pre Test", "Post Test", "Keterangan"]
    rows = [
        [1, "198306122005031001", "Alfian Piliang", 60, 0, "Tidak mengikuti post test"],
        [2, "197511232009032001", "Anisa Sari Wati", 0, 0, "sakit"],
        [3, "199502072024031001", "Bambang Hidayat", 55, 0, "tidak mengikuti pre test"],
        [4, "199102212017012001", "Desi Lubis", 0, 80, None],
    ]
    plan = _plan(world, xlsx_rows([headers, *rows]), "nilai.xlsx")
    got = [(r.values["pre"], r.values["post"]) for r in plan.rows]
    # the named test's 0 (or both for a note naming neither) is "not taken"; a 0 with no
    # such note, or beside a note about the other test, is a score of 0
    assert got == [(60, None), (None, None), (55, 0), (0, 80)]
    assert plan.rows[0].warnings == [
        "Nilai post-test 0 dibaca sebagai tidak ikut tes: keterangannya 'Tidak mengikuti post "
        "test'."
    ]
    assert not plan.rows[2].warnings and not plan.rows[3].warnings


def test_scores_headed_tes_awal_and_tes_akhir_are_read(world) -> None:
    _programme, _batch, people = held_training(world)
    data = (
        "No;NIP;Nama;Tes Awal;Tes Akhir\n"
        f"1;{people[0].nip};{people[0].name};40;75\n"
        f"2;{people[1].nip};{people[1].name};55;80\n"
    ).encode()
    plan = _plan(world, data, "nilai.csv")
    assert plan.is_clean, plan.problems
    assert [(r.values["pre"], r.values["post"]) for r in plan.rows] == [(40, 75), (55, 80)]


def test_a_recap_with_benar_and_nilai_under_each_test_reads_the_nilai(world) -> None:
    """PRE TEST merged over BENAR | NILAI (the answers right, then the score), POST TEST the
    same: the score is the test's, the count right is read past."""
    _programme, _batch, people = held_training(world)
    rows: list[list[object]] = [
        ["NO", "NIP", "NAMA", "PRE TEST", None, "POST TEST", None],
        [None, None, None, "BENAR", "NILAI", "BENAR", "NILAI"],
        *[
            [n, p.nip, p.name, right, right * 5, later, later * 5]
            for n, (p, right, later) in enumerate(
                [(people[0], 8, 15), (people[1], 11, 16)], start=1
            )
        ],
    ]
    plan = _plan(world, xlsx_rows(rows), "nilai.xlsx")
    assert plan.is_clean, plan.problems
    assert [(r.values["pre"], r.values["post"]) for r in plan.rows] == [(40, 75), (55, 80)]
    assert {"PRE TEST / BENAR", "POST TEST / BENAR"} <= set(plan.ignored_columns)


def test_a_list_without_a_nip_or_name_column_is_the_files_problem_said_once(world) -> None:
    held_training(world)
    data = b"No;Pre Test;Post Test\n1;40;75\n2;55;80\n3;60;90\n"
    plan = _plan(world, data, "nilai.csv")
    assert [(p.row, p.message) for p in plan.problems] == [
        (
            None,
            "Berkas ini tidak memuat kolom NIP maupun nama peserta, sehingga nilainya tidak "
            "dapat dikaitkan ke peserta mana pun; bila kolom itu ada dengan judul lain, pilih "
            "kolomnya di langkah pemetaan.",
        )
    ]


def test_a_list_without_a_score_column_is_the_files_problem_said_once(world) -> None:
    _programme, _batch, people = held_training(world)
    data = (
        "No;NIP;Nama;Nilai Ujian Satu;Nilai Ujian Dua\n"
        + "".join(f"{n};{p.nip};{p.name};40;75\n" for n, p in enumerate(people, start=1))
    ).encode()
    plan = _plan(world, data, "nilai.csv")
    assert [p.message for p in plan.problems] == [
        "Tidak ada kolom nilai pre-test maupun post-test; pilih kolomnya di langkah pemetaan."
    ]
    assert all(not r.problems for r in plan.rows)


def test_a_reason_written_in_the_score_cell_means_the_test_was_not_taken(world) -> None:
    """A recap writes why someone missed a test where the score would be: "Sakit", "Izin",
    their initials "S" and "I", "Cuti", "Dinas Luar" / "DL". None is a bad number: the test was
    not taken, as with "TH", and the other test still counts."""
    programme, _batch, people = held_training(world)
    marks = ("Sakit", "Izin", "S", "I", "Cuti", "Dinas Luar", "DL", "ijin", " sakit ")
    data = "NO;NIP;NAMA PESERTA;PRE TEST;POST TEST\n" + "".join(
        f"{n};{p.nip};{p.name};{40 + n};{mark}\n"
        for n, (p, mark) in enumerate(zip(people, marks, strict=False), start=1)
    )
    data += f"10;{people[9].nip};{people[9].name};Sakit;70\n"
    plan = _plan(world, data.encode(), "nilai.csv")
    assert plan.is_clean, [imp.describe_problem(p) for p in plan.problems]
    assert [r.values["post"] for r in plan.rows[:9]] == [None] * 9
    assert plan.rows[9].values["pre"] is None and plan.rows[9].values["post"] == 70
    outcome = imp.commit(plan)
    assert outcome.written["pre-test"] == 9
    assert outcome.written["post-test"] == 1
    l2 = evaluate_programme(programme).l2
    assert l2.n_pre == 9 and l2.n_pairs == 0


def test_a_word_that_is_no_reason_is_still_named_in_a_score_cell(world) -> None:
    _programme, _batch, people = held_training(world)
    data = (
        "NO;NIP;NAMA PESERTA;PRE TEST;POST TEST\n"
        f"1;{people[0].nip};{people[0].name};40;A\n"
        f"2;{people[1].nip};{people[1].name};40;Sakit-sakitan\n"
    ).encode()
    plan = _plan(world, data, "nilai.csv")
    assert [p.column for r in plan.rows for p in r.problems] == ["POST TEST", "POST TEST"]
    assert "S (sakit)" in plan.rows[0].problems[0].accepted

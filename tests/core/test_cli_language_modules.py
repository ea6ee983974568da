"""What the commands print or raise from the modules they call speaks the command line's language
too (KOMPETEN_LANGUAGE, kompeten/cli.py; here the caller's, as ``call_command`` keeps it):
backup and restore's refusals, the demo's progress lines, the planner's summary and input
problems, the IKM table's header and errors. What programs read (the plan's JSON, the IKM's CSV
and JSON) is the same in both languages, and so is what the demo stores: the site's content.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from kompeten.core import backup
from kompeten.demo import build
from kompeten.standards.ikm import SKM_2017

# --- backup and restore ---------------------------------------------------------------------


def _restore_refusal(path: Path, language: str) -> str:
    with translation.override(language), pytest.raises(CommandError) as refused:
        call_command("restore", str(path))
    return str(refused.value)


def test_a_restore_of_a_missing_file_is_refused_in_the_readers_language(db, tmp_path) -> None:
    missing = tmp_path / "hilang.sqlite3"
    assert _restore_refusal(missing, "en") == f"The file {missing} does not exist."
    assert _restore_refusal(missing, "id") == f"Berkas {missing} tidak ada."


def test_a_restore_of_a_file_that_is_no_backup_is_refused_in_the_readers_language(
    db, tmp_path
) -> None:
    notes = tmp_path / "catatan.txt"
    notes.write_text("bukan cadangan")
    assert _restore_refusal(notes, "en") == (
        f"The file {notes} is not a Kompeten backup (neither a SQLite file nor a pg_dump archive)."
    )
    assert _restore_refusal(notes, "id") == (
        f"Berkas {notes} bukan cadangan Kompeten (bukan berkas SQLite maupun arsip pg_dump)."
    )


def test_a_database_without_kompetens_tables_names_them_in_the_readers_language(tmp_path) -> None:
    foreign = tmp_path / "asing.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE django_migrations (id INTEGER)")
    conn.commit()
    conn.close()
    with translation.override("en"), pytest.raises(backup.BackupError) as one:
        backup.check_sqlite_backup(foreign)
    assert str(one.value) == (
        f"The file {foreign} is not a Kompeten backup (the table core_instansi is missing)."
    )
    conn = sqlite3.connect(foreign)
    conn.execute("DROP TABLE django_migrations")
    conn.execute("CREATE TABLE pelanggan (nama TEXT)")
    conn.commit()
    conn.close()
    with translation.override("en"), pytest.raises(backup.BackupError) as two:
        backup.check_sqlite_backup(foreign)
    assert str(two.value).endswith("(the tables django_migrations, core_instansi are missing).")
    with translation.override("id"), pytest.raises(backup.BackupError) as said:
        backup.check_sqlite_backup(foreign)
    assert str(said.value) == (
        f"Berkas {foreign} bukan cadangan Kompeten "
        "(tabel django_migrations, core_instansi tidak ada)."
    )


# --- kompeten ikm ---------------------------------------------------------------------------

NAMES = [u.name.replace(",", "") for u in SKM_2017.unsur]


def _responses(tmp_path: Path, rows: list[list[object]], header: list[str] = NAMES) -> str:
    path = tmp_path / "jawaban.csv"
    lines = [",".join(header), *(",".join(map(str, r)) for r in rows)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return str(path)


def _ikm(language: str, *args: str) -> str:
    out = io.StringIO()
    with translation.override(language):
        call_command("ikm", *args, stdout=out)
    return out.getvalue()


def test_the_ikm_table_has_english_headers_and_figures_and_keeps_the_regulations_words(
    tmp_path,
) -> None:
    # 1.200 respondents: the count is a figure for a person, grouped as the reader writes it
    path = _responses(tmp_path, [[4] * 9] * 1200)
    english = _ikm("en", path).splitlines()
    assert english[0].split("\t") == ["n", "IKM (1–4)", "IKM", "mutu (grade)", "performance"]
    # the mutu grade and the kinerja word are the regulation's own
    assert english[1].split("\t") == ["1,200", "4.0000", "100.00", "A", "Sangat Baik"]
    indonesian = _ikm("id", path).splitlines()
    assert indonesian[0].split("\t") == ["n", "IKM (1–4)", "IKM", "mutu", "kinerja"]
    assert indonesian[1].split("\t") == ["1.200", "4,0000", "100,00", "A", "Sangat Baik"]


def test_the_ikm_csv_and_json_are_the_same_in_both_languages(tmp_path) -> None:
    path = _responses(tmp_path, [[4] * 9, [3] * 9])
    for fmt in ("csv", "json"):
        assert _ikm("en", path, "--format", fmt) == _ikm("id", path, "--format", fmt)
    assert json.loads(_ikm("en", path, "--format", "json"))[0]["kinerja"] == "Baik"


def test_an_ikm_file_with_a_wrong_column_is_refused_in_the_readers_language(tmp_path) -> None:
    path = _responses(tmp_path, [[4] * 9], [*NAMES[:-1], "Keramahan Satpam"])
    with translation.override("en"), pytest.raises(CommandError) as english:
        call_command("ikm", path)
    assert "The column 'Keramahan Satpam' is not a known SKM_2017 element" in str(english.value)
    assert "Element columns missing: " in str(english.value)
    with translation.override("id"), pytest.raises(CommandError) as indonesian:
        call_command("ikm", path)
    assert "Kolom 'Keramahan Satpam' bukan unsur SKM_2017 yang dikenal" in str(indonesian.value)


def test_an_ikm_file_that_is_not_there_is_refused_in_the_readers_language(tmp_path) -> None:
    missing = tmp_path / "hilang.csv"
    for language, expected in [
        ("en", f"File {missing} not found"),
        ("id", f"Berkas {missing} tidak ditemukan"),
    ]:
        with translation.override(language), pytest.raises(CommandError) as refused:
            call_command("ikm", str(missing))
        assert str(refused.value) == expected


# --- kompeten plan solve --------------------------------------------------------------------

COUNTER = {"unit": "LOKET", "start": "2030-03-12T08:00", "end": "2030-03-12T12:00"}
LEAVE = {"start": "2030-03-12T07:00", "end": "2030-03-12T17:00"}


def _instance(tmp_path: Path, min_present: int = 1) -> Path:
    """Three employees of one counter, one on leave all day, two morning and afternoon
    batches of one programme."""
    data = {
        "batches": [
            {
                "id": f"B{i}",
                "programme": "PRIMA",
                "capacity": 2,
                "sessions": [{"start": f"2030-03-12T{start}", "end": f"2030-03-12T{end}"}],
            }
            for i, (start, end) in enumerate([("08:00", "12:00"), ("13:00", "16:00")], start=1)
        ],
        "employees": [
            {
                "nip": f"10{i}",
                "unit": "LOKET",
                "needs": [{"programme": "PRIMA", "priority": 1 + i}],
                "unavailable": [LEAVE] if i == 0 else [],
            }
            for i in range(3)
        ],
        "staffing": [{**COUNTER, "min_present": min_present}],
    }
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data))
    return path


def _plan_solve(language: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with translation.override(language):
        call_command("plan_solve", *args, "--time-limit", "5", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_plans_summary_is_said_in_english(tmp_path) -> None:
    instance = _instance(tmp_path)
    out, _err = _plan_solve("en", str(instance), "--out", str(tmp_path / "plan.json"))
    first = out.splitlines()[0]
    assert first.startswith("OPTIMAL: 2 of 3 needs placed, objective 5, bound 5, gap 0.00 %, ")
    assert first.endswith(" s")
    out, _err = _plan_solve("id", str(instance), "--out", str(tmp_path / "plan.json"))
    first = out.splitlines()[0]
    assert first.startswith(
        "OPTIMAL: 2 dari 3 kebutuhan ditempatkan, objektif 5, batas 5, selisih 0,00 %, "
    )
    assert first.endswith(" detik")


def test_a_staffing_rule_that_leave_alone_breaks_is_counted_in_english(tmp_path) -> None:
    # three at the counter all morning, but one of the three is on leave
    instance = _instance(tmp_path, min_present=3)
    out, _err = _plan_solve("en", str(instance), "--out", str(tmp_path / "plan.json"))
    assert out.splitlines()[1] == "1 staffing rule fails through leave alone (see infeasible_rules)"
    out, _err = _plan_solve("id", str(instance), "--out", str(tmp_path / "plan.json"))
    assert out.splitlines()[1] == (
        "1 aturan kehadiran sudah tidak terpenuhi karena cuti saja (lihat infeasible_rules)"
    )


def test_the_plan_written_to_standard_output_is_the_same_json_in_both_languages(
    tmp_path,
) -> None:
    instance = _instance(tmp_path)
    plans, summaries = {}, {}
    for language in ("en", "id"):
        out, err = _plan_solve(language, str(instance), "--out", "-")
        plans[language] = {k: v for k, v in json.loads(out).items() if k != "stats"}
        summaries[language] = err  # the person's line goes beside the plan, to stderr
    assert plans["en"] == plans["id"]
    assert len(plans["en"]["assignments"]) == 2
    assert "2 of 3 needs placed" in summaries["en"]
    assert "2 dari 3 kebutuhan ditempatkan" in summaries["id"]


def test_bad_planner_input_is_explained_in_the_readers_language_only(tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"batches": [], "employees": [{"nip": "1"}]}))
    said = {}
    for language in ("en", "id"):
        err = io.StringIO()
        with translation.override(language), pytest.raises(CommandError):
            call_command("plan_solve", str(bad), "--out", str(tmp_path / "p.json"), stderr=err)
        said[language] = err.getvalue()
    assert said["en"] == "Invalid input — employees[0] (nip '1'): 'unit' must be a non-empty text\n"
    assert said["id"] == (
        "Masukan tidak valid — employees[0] (nip '1'): 'unit' wajib diisi berupa teks\n"
    )
    assert not (tmp_path / "p.json").exists()


# --- kompeten demo --------------------------------------------------------------------------


# the steps run for real in English (seconds each); the others are probes (learning and
# participation take half a minute, the SKM answers several seconds)
QUICK_STEPS = {"step_accounts", "step_history", "step_evaluation", "step_reports"}


@pytest.fixture
def short_demo(monkeypatch, settings, tmp_path):
    """The demo's units, employees, accounts, history, evaluation (nobody has finished a cohort
    without the other steps) and reports; under the name of each other step a probe that notes
    the language the step's data would be written in."""
    settings.MEDIA_ROOT = tmp_path
    written_in: list[str | None] = []

    def probe(ctx: build.DemoContext) -> None:
        written_in.append(translation.get_language())

    steps = [(name, step if step.__name__ in QUICK_STEPS else probe) for name, step in build.STEPS]
    assert sum(step is not probe for _name, step in steps) == len(QUICK_STEPS)
    monkeypatch.setattr(build, "STEPS", steps)
    return written_in


@pytest.mark.django_db(transaction=False)
def test_the_demo_says_its_progress_in_english_and_writes_its_data_in_the_sites_language(
    short_demo,
) -> None:
    out = io.StringIO()
    with translation.override("en"):
        call_command("demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Building the Sawahlunto demo (synthetic data)"
    assert re.fullmatch(r"  \d+ work units", lines[1]), lines[1]
    assert re.fullmatch(r"  \d,\d{3} fictional employees", lines[2]), lines[2]
    said = "\n".join(lines)
    for pattern in [
        r"  \d,\d{3} employee accounts \(logging in with the NIP\)",
        r"  \d,\d{3} earlier competency development certificates \(approved by the OPD manager\)",
        r"  no participant has finished a cohort yet: no evaluation data made",
        r"  SKP appraisals: \d,\d{3}, disciplinary penalties: \d+",
        r"  cycle report 20\d\d-S1",
        r"  leadership dashboard computed",
        r"    \(\d+\.\d s, CPU \d+\.\d s\)",
    ]:
        assert re.search(f"^{pattern}$", said, re.MULTILINE), pattern
    headings = [line for line in lines if line.startswith("- ")]
    assert headings == [
        "- accounts",
        "- competency development history (earlier certificates)",
        "- needs and programmes (AKP, proposals, programmes, cohorts)",
        "- schedules and participation (duty calendars, planner, attendance, JP, incentives)",
        "- public service (SKM, complaints)",
        "- evaluation (L1–L5)",
        "- reports, evaluation cycles and the leadership dashboard",
    ]
    assert sum(", CPU " in line for line in lines) == 1 + len(headings)
    assert lines[-1].startswith("Demo finished in ")
    # the steps write the site's content in the site's language, whatever the reader's
    assert short_demo == ["id"] * (len(headings) - len(QUICK_STEPS))


@pytest.mark.django_db(transaction=False)
def test_the_demo_says_its_progress_in_indonesian_by_default(short_demo) -> None:
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert text.startswith("Membangun demo Sawahlunto (data sintetis)\n")
    assert re.search(r"^  \d\.\d{3} akun pegawai \(login dengan NIP\)$", text, re.MULTILINE)
    assert re.search(r"^  penilaian SKP: \d\.\d{3}, hukuman disiplin: \d+$", text, re.MULTILINE)
    assert re.search(r"^    \(\d+,\d s, CPU \d+,\d s\)$", text, re.MULTILINE)
    assert "\n- riwayat pengembangan kompetensi (sertifikat terdahulu)\n" in text
    assert "Demo selesai dalam " in text
    assert short_demo == ["id"] * (len(build.STEPS) - len(QUICK_STEPS))

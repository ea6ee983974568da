"""The command line speaks Bahasa Indonesia, or English with KOMPETEN_LANGUAGE=en (never LANG):
the variable is read by the settings, refused loudly when it names another language, and
activated by the console script before any command is loaded; the commands' messages, help and
counts follow it, and what programs read stays the same in both languages."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command, get_commands, load_command_class
from django.utils import translation

from kompeten.cli import activate_language
from kompeten.core.commands import KompetenCommand
from kompeten.people import firstrun
from kompeten.settings import LANGUAGES, env_choice
from tests import factories
from tests.workbooks import xlsx_rows

KOMPETEN = str(Path(sys.executable).parent / "kompeten")
HEADERS = ["ID Tracking", "Tanggal Laporan", "Judul Laporan", "Instansi Terdisposisi", "Status"]
DUKCAPIL = "Dinas Kependudukan dan Pencatatan Sipil"


def _language() -> str:
    return env_choice("KOMPETEN_LANGUAGE", "id", dict(LANGUAGES))


def test_the_language_is_indonesian_unless_kompeten_language_says_english(monkeypatch) -> None:
    monkeypatch.delenv("KOMPETEN_LANGUAGE", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert _language() == "id"
    monkeypatch.setenv("KOMPETEN_LANGUAGE", "")
    assert _language() == "id"
    monkeypatch.setenv("KOMPETEN_LANGUAGE", " EN ")
    assert _language() == "en"
    monkeypatch.setenv("KOMPETEN_LANGUAGE", "id")
    assert _language() == "id"


def test_an_unknown_language_is_refused_with_the_ones_there_are(monkeypatch) -> None:
    monkeypatch.setenv("KOMPETEN_LANGUAGE", "fr")
    with pytest.raises(ImproperlyConfigured) as refused:
        _language()
    assert str(refused.value) == (
        "KOMPETEN_LANGUAGE must be one of id (Bahasa Indonesia), en (English); got 'fr'"
    )


def _script(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The console script in a fresh process, with ``env`` over the test run's environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"KOMPETEN_LANGUAGE", "LANG"}}
    return subprocess.run(
        [KOMPETEN, *args],
        env={**clean, "KOMPETEN_VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_console_script_speaks_the_language_asked_for_and_not_langs(tmp_path: Path) -> None:
    english = _script(tmp_path, "import", "pegawai", KOMPETEN_LANGUAGE="en")
    assert english.returncode == 2
    assert english.stderr.splitlines()[:2] == [
        "Unknown kind 'pegawai' for 'kompeten import'.",
        "Usage: kompeten import KIND [options …]; the kinds available:",
    ]
    assert "  employees        Import Employees (SIASN) from an XLSX/CSV file" in english.stderr
    server = _script(tmp_path, "import", "pegawai", LANG="en_US.UTF-8", LC_ALL="en_US.UTF-8")
    assert server.stderr.splitlines()[0] == "Jenis 'pegawai' tidak dikenal untuk 'kompeten import'."


def test_the_console_script_stops_on_an_unknown_language_and_names_it(tmp_path: Path) -> None:
    done = _script(tmp_path, "import", "--help", KOMPETEN_LANGUAGE="fr")
    assert done.returncode != 0 and done.stdout == ""
    assert done.stderr.splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: KOMPETEN_LANGUAGE must be one of "
        "id (Bahasa Indonesia), en (English); got 'fr'"
    )


def _complaints(tmp_path: Path) -> Path:
    """Two complaints for Disdukcapil and one for a unit not in the tree (kept pending)."""
    rows = [
        ["#5000001", "02/03/2025 09:00", "Antrian KTP", DUKCAPIL, "Proses"],
        ["#5000002", "03/03/2025 09:00", "Antrian KK", DUKCAPIL, "Proses"],
        ["#5000003", "04/03/2025 09:00", "Izin usaha", "Dinas Tidak Ada", "Proses"],
    ]
    path = tmp_path / "lapor.xlsx"
    path.write_bytes(xlsx_rows([HEADERS, *rows], sheet="Laporan"))
    return path


@pytest.fixture
def kota(db) -> None:
    instansi = factories.make_instansi("Pemerintah Kota Sawahlunto", "sawahlunto")
    factories.make_unit(instansi, DUKCAPIL, code="DISDUKCAPIL")


def _import_summary(path: Path) -> str:
    out = io.StringIO()
    call_command("import_complaints", str(path), "--partial", stdout=out)
    return out.getvalue().splitlines()[-1]


def test_an_import_sums_up_in_indonesian_by_default(kota, tmp_path: Path) -> None:
    activate_language()
    assert _import_summary(_complaints(tmp_path)) == (
        "2 baris diimpor (pengaduan baru: 2, pengaduan diperbarui: 0); "
        "1 baris tertunda (lihat /impor/tertunda/)."
    )


def test_an_import_sums_up_in_english_when_asked(kota, tmp_path: Path, monkeypatch, settings):
    monkeypatch.setenv("KOMPETEN_LANGUAGE", "en")
    settings.KOMPETEN_LANGUAGE = _language()  # what the settings read from it at start-up
    activate_language()
    assert _import_summary(_complaints(tmp_path)) == (
        "2 rows imported (new complaints: 2, complaints updated: 0); "
        "1 row pending (see /impor/tertunda/)."
    )


def test_the_purge_says_its_lines_and_figures_in_english(world) -> None:
    out = io.StringIO()
    with translation.override("en"):
        call_command("purge", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Personal-data retention — DRY RUN (nothing changed)"
    audit = next(line for line in lines if line.startswith("  audit_log: "))
    assert audit.startswith("  audit_log: 0 rows to be deleted (older than 1,826 days, before ")
    assert audit.endswith("; Audit trail (holds personal data before/after changes))")
    with translation.override("id"):
        call_command("purge", stdout=(out := io.StringIO()))
    assert "  audit_log: 0 baris akan dihapus (lebih tua dari 1.826 hari, sebelum " in (
        out.getvalue()
    )


def test_every_command_is_a_kompeten_command_whose_help_is_said_in_english() -> None:
    ours = {name: app for name, app in get_commands().items() if app.startswith("kompeten.")}
    assert len(ours) >= 30  # the commands were found
    untranslated = []
    for name, app in sorted(ours.items()):
        command = load_command_class(app, name)
        assert isinstance(command, KompetenCommand), name
        shown = {}
        for language in ("id", "en"):
            with translation.override(language):
                text = command.create_parser("kompeten", name).format_help()
                shown[language] = " ".join(text.split())  # argparse wraps the lines
        with translation.override("en"):
            described = str(command.help)
        if shown["en"] == shown["id"] or not described or described not in shown["en"]:
            untranslated.append(name)
    assert untranslated == [], "give these commands an English help (locale/translate_en.py)"


def test_the_impact_json_is_the_same_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "panels.csv"
    path.write_text("dataset,unit,month,value,treated_from\nx,u1,2025-01,3,\nx,u1,2025-02,4,\n")
    shown = {}
    for language in ("id", "en"):
        out = io.StringIO()
        with translation.override(language):
            call_command("impact", str(path), stdout=out)
        shown[language] = out.getvalue()
    assert shown["en"] == shown["id"]
    assert json.loads(shown["id"])[0]["note"] == (
        "tidak ada unit yang dilatih (treated_from kosong semua)"
    )


def test_the_first_run_token_line_is_the_same_in_both_languages(capsys) -> None:
    """Scripts and the browser tests read the token from the console (tests/e2e/setup_page.py):
    its line is bilingual, not translated."""
    printed = {}
    expires = time.time() + 600
    for language in ("id", "en"):
        with translation.override(language):
            firstrun.announce_token("ABCD-EFGH-JKLM", expires, "http://127.0.0.1:8000")
        printed[language] = capsys.readouterr().err
    assert printed["en"] == printed["id"]
    assert re.findall(r"Token: ([A-Z0-9-]+)", printed["en"]) == ["ABCD-EFGH-JKLM"]

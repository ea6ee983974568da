"""The English switch: a complete, compiled catalogue, and pages that really change language.

The msgids are Bahasa Indonesia; `locale/en/LC_MESSAGES/django.po` holds the English and
`locale/translate_en.py` applies `locale/en_translations.json` to it and compiles the .mo.
"""

from __future__ import annotations

import gettext
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.participation.builders import make_programme
from tests.service.helpers import make_service_unit

LOCALE = Path(__file__).resolve().parents[2] / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
TABLE = LOCALE / "en_translations.json"

# printf-style (named or positional) and str.format placeholders; "%%" is a literal percent.
PLACEHOLDER = re.compile(
    r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{\w*\}"
)
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


# --- a tiny .po reader (polib is not a project dependency) --------------------------------


@dataclass
class PoEntry:
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    obsolete: bool = False


def _unquote(quoted: str) -> str:
    body = quoted.strip()
    assert body.startswith('"') and body.endswith('"'), quoted
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m[1], m[1]), body[1:-1])


def read_po(path: Path) -> list[PoEntry]:
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry, target = PoEntry(), None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry.obsolete = True
            elif line.startswith("#,"):
                entry.flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                _append(entry, target, _unquote(line))
            elif line.strip():
                keyword, _, rest = line.partition(" ")
                target = keyword
                _append(entry, target, _unquote(rest))
        entries.append(entry)
    return entries


def _append(entry: PoEntry, target: str | None, text: str) -> None:
    if target == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    elif target == "msgid":
        entry.msgid += text
    elif target == "msgid_plural":
        entry.msgid_plural = (entry.msgid_plural or "") + text
    elif target == "msgstr":
        entry.msgstr[0] = entry.msgstr.get(0, "") + text
    elif target and (m := re.fullmatch(r"msgstr\[(\d)\]", target)):
        entry.msgstr[int(m[1])] = entry.msgstr.get(int(m[1]), "") + text
    else:
        raise AssertionError(f"unexpected .po line for {target!r}: {text!r}")


def messages() -> list[PoEntry]:
    return [e for e in read_po(PO) if e.msgid and not e.obsolete]


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text.replace("%%", "")))


# --- the catalogue ------------------------------------------------------------------------


def test_the_po_reader_reads_plural_and_multiline_entries(tmp_path) -> None:
    po = tmp_path / "x.po"
    po.write_text(
        '#, python-format\nmsgid ""\n"Ada %(n)s "\n"baris"\nmsgid_plural "Ada %(n)s baris"\n'
        'msgstr[0] "%(n)s row \\"x\\""\nmsgstr[1] "%(n)s rows"\n\n#~ msgid "lama"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    first, old = read_po(po)
    assert first.msgid == "Ada %(n)s baris" and first.flags == {"python-format"}
    assert first.msgstr == {0: '%(n)s row "x"', 1: "%(n)s rows"}
    assert old.obsolete


def test_the_catalogue_is_english_with_two_plural_forms() -> None:
    header = next(e for e in read_po(PO) if e.msgid == "").msgstr[0]
    assert "Language: en\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header
    assert len(messages()) > 1000


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    untranslated, fuzzy = [], []
    for entry in messages():
        forms = 2 if entry.msgid_plural is not None else 1
        if sorted(entry.msgstr) != list(range(forms)) or not all(entry.msgstr.values()):
            untranslated.append(entry.msgid)
        if "fuzzy" in entry.flags:
            fuzzy.append(entry.msgid)
    hint = "run `.venv/bin/python locale/translate_en.py` (see docs/operations.md)"
    assert not untranslated, f"untranslated: {untranslated[:20]}; {hint}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}; {hint}"


def test_placeholders_and_html_tags_survive_translation() -> None:
    broken = []
    for entry in messages():
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        for msgstr in entry.msgstr.values():
            if placeholders(msgstr) not in [placeholders(s) for s in sources]:
                broken.append((entry.msgid, msgstr))
            if sorted(TAG.findall(msgstr)) != sorted(TAG.findall(entry.msgid)):
                broken.append((entry.msgid, msgstr))
            if "python-format" in entry.flags and msgstr.replace("%%", "").count("%") != sum(
                placeholders(msgstr).values()
            ):
                broken.append((entry.msgid, msgstr))  # a lone % would break the formatting
    assert not broken, broken[:10]


def _key(entry: PoEntry) -> str:
    """gettext's key: the msgid, prefixed by its context and EOT when it has one."""
    return entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"


def test_the_compiled_catalogue_matches_the_po() -> None:
    with MO.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    entries = messages()
    stale = []
    for entry in entries:
        key = _key(entry)
        if entry.msgid_plural is None:
            if mo._catalog.get(key) != entry.msgstr[0]:  # type: ignore[attr-defined]
                stale.append(entry.msgid)
        else:
            got = [mo._catalog.get((key, i)) for i in (0, 1)]  # type: ignore[attr-defined]
            if got != [entry.msgstr[0], entry.msgstr[1]]:
                stale.append(entry.msgid)
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr[0]
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 5) == entry.msgstr[1]
    assert not stale, f"django.mo is older than django.po: {stale[:10]}; recompile"
    keys = {k if isinstance(k, str) else k[0] for k in mo._catalog}  # type: ignore[attr-defined]
    assert keys - {""} == {_key(e) for e in entries}


def test_the_translation_table_is_what_the_catalogue_says() -> None:
    table = json.loads(TABLE.read_text(encoding="utf-8"))
    differs = []
    for entry in messages():
        want = table.get(_key(entry))
        have = entry.msgstr[0] if entry.msgid_plural is None else [entry.msgstr[0], entry.msgstr[1]]
        if want != have:
            differs.append(entry.msgid)
    assert not differs, (
        f"locale/en_translations.json and django.po disagree on {differs[:10]}: put the English "
        "in the table and run `.venv/bin/python locale/translate_en.py`"
    )


# --- formats follow the language ------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "91.48 · 2,000 · 27 November 2026"), ("id", "91,48 · 2.000 · 27 November 2026")],
)
def test_numbers_follow_the_language(lang: str, expected: str) -> None:
    with translation.override(lang):
        out = Template(
            '{% load humanize %}{{ x|floatformat:2 }} · {{ n|intcomma }} · {{ d|date:"DATE_FORMAT" }}'
        ).render(Context({"x": 91.4812, "n": 2000, "d": date(2026, 11, 27)}))
    assert out == expected


def test_month_names_follow_the_language_on_a_page(world) -> None:
    client = Client()
    client.force_login(world.alice)
    url = f"/pegawai/{world.carol_emp.pk}/"
    assert "2 Juni 1980" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    assert "2 June 1980" in html and "Date of birth" in html and "Tanggal lahir" not in html


# --- the switch -----------------------------------------------------------------------------


def test_indonesian_is_the_default(world) -> None:
    html = Client().get("/masuk/").content.decode()
    assert 'lang="id"' in html and "Masuk ke Kompeten" in html
    assert 'name="language" value="en"' in html  # the switch offers English


def test_the_switch_changes_the_language_and_back(world) -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    assert response.status_code == 302 and response["Location"] == "/masuk/"
    assert client.cookies["django_language"].value == "en"
    html = client.get("/masuk/").content.decode()
    assert 'lang="en"' in html
    assert "Log in to Kompeten" in html and "Employees can log in with their NIP." in html
    assert "Masuk ke Kompeten" not in html and "Kata sandi" not in html
    assert 'name="language" value="id"' in html  # and offers the way back

    client.post("/i18n/setlang/", {"language": "id", "next": "/masuk/"})
    html = client.get("/masuk/").content.decode()
    assert 'lang="id"' in html and "Masuk ke Kompeten" in html and "Log in to Kompeten" not in html


def test_wrong_credentials_are_refused_in_english(db) -> None:
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.post("/masuk/", {"username": "nobody", "password": "x"}).content.decode()
    assert "Wrong NIP/username or password." in html


# --- key pages, as an admin, in English ------------------------------------------------------


@pytest.fixture
def admin_en(world) -> Client:
    client = Client()
    client.force_login(world.alice)
    client.cookies["django_language"] = "en"
    return client


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert 'lang="en"' in html, url
    return html


def _in_english(html: str, english: list[str], indonesian: list[str]) -> None:
    missing = [s for s in english if s not in html]
    left = [s for s in indonesian if s in html]
    assert not missing and not left, (missing, left)


NAV_EN = ["Needs", "Schedule", "Delivery", "Evaluation", "Reports", "Log out", "Bahasa Indonesia"]
NAV_ID = [">Kebutuhan<", ">Pelaksanaan<", ">Laporan<", "Keluar", ">English<"]


def test_home_is_in_english(admin_en) -> None:
    html = _page(admin_en, "/")
    _in_english(
        html,
        [*NAV_EN, "Welcome, alice", "active employees within your scope", "BKPSDM admin"],
        [*NAV_ID, "Selamat datang", "Cakupan akses Anda", "Admin BKPSDM"],
    )


def test_the_employee_list_is_in_english_and_costs_no_extra_queries(admin_en, world) -> None:
    html = _page(admin_en, "/pegawai/")
    _in_english(
        html,
        [
            *NAV_EN,
            "Search by name or NIP",
            "Work unit",
            "Export CSV",
            "Page 1 of 1",
            "Carolina Putri",
        ],
        [*NAV_ID, "Cari nama atau NIP", "Unit kerja", "Ekspor CSV", "Halaman 1 dari 1"],
    )
    indonesian = Client()
    indonesian.force_login(world.alice)
    with CaptureQueriesContext(connection) as in_id:
        indonesian.get("/pegawai/")
    with CaptureQueriesContext(connection) as in_en:
        admin_en.get("/pegawai/")
    assert len(in_en) == len(in_id)


def test_a_programme_page_is_in_english(admin_en, world) -> None:
    programme = make_programme(world.instansi, "Pelayanan Prima")
    html = _page(admin_en, f"/program/{programme.pk}/")
    _in_english(
        html,
        [*NAV_EN, "Pelayanan Prima", "Measurable objectives", "Add a module", "No cohorts yet."],
        [*NAV_ID, ">Tujuan terukur<", "Belum diisi.", "Tambah modul", "Belum ada angkatan."],
    )
    catalogue = _page(admin_en, "/program/")
    _in_english(
        catalogue,
        ["Competency development programme catalogue", "New programme", "Pelayanan Prima"],
        ["Katalog program pengembangan kompetensi", "Program baru"],
    )


def test_the_evaluation_tabs_are_in_english(admin_en, world) -> None:
    programme = make_programme(world.instansi, "Pelayanan Prima")
    html = _page(admin_en, f"/evaluasi/program/{programme.pk}/")
    _in_english(
        html,
        ["L1 Reaction", "L2 Learning", "L3 Behaviour", "L4 Results"],
        ["L1 Reaksi", "L2 Pembelajaran", "L3 Perilaku", "L4 Hasil"],
    )


def test_the_public_survey_form_is_in_english_around_the_official_questions(world) -> None:
    unit = make_service_unit(world.alfa)
    citizen = Client()
    citizen.cookies["django_language"] = "en"
    html = citizen.get(f"/survei/{unit.code}/").content.decode()
    _in_english(
        html,
        [
            "Community Satisfaction Survey (SKM)",
            "Please rate the service you have just received.",
            "About you",
            "Submit answers",
            "This survey is anonymous",
        ],
        ["Survei Kepuasan Masyarakat (SKM)", "Tentang Anda", "Kirim jawaban"],
    )
    # the nine elements keep PermenPANRB 14/2017's own wording
    assert "Persyaratan" in html and "Sangat sesuai" in html


def test_one_indonesian_word_gets_the_english_its_context_needs() -> None:
    # "Selesai" is a batch or plan that is done, a complaint that is resolved, and the end of a
    # time span; "Diterima" an enrolment that is accepted and a complaint that is received.
    from kompeten.learning.models import BatchStatus
    from kompeten.scheduling.models import PlanStatus
    from kompeten.service.models import ComplaintStatus

    with translation.override("en"):
        assert str(BatchStatus.DONE.label) == str(PlanStatus.DONE.label) == "Done"
        assert str(ComplaintStatus.SELESAI.label) == "Resolved"
        assert str(ComplaintStatus.DITERIMA.label) == "Received"
        assert translation.gettext("Selesai") == "End"
    with translation.override("id"):
        assert str(BatchStatus.DONE.label) == str(ComplaintStatus.SELESAI.label) == "Selesai"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", "Kode unit wajib diisi dan tidak boleh memuat '/'."),
        ("en", "The unit code is required and must not contain '/'."),
    ],
)
def test_an_action_refuses_bad_input_in_the_users_language(world, lang: str, expected: str) -> None:
    from django.core.exceptions import ValidationError

    from kompeten.people.actions import do_create_unit

    with translation.override(lang), pytest.raises(ValidationError) as refused:
        do_create_unit(instansi=world.instansi, code="A/B", name="Unit", kind="upt")
    assert refused.value.message_dict == {"code": [expected]}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("id", "Tujuan 1: target 'dua puluh' bukan angka (tulis mis. 20 atau 0,3)."),
        ("en", "Objective 1: target 'dua puluh' is not a number (write e.g. 20 or 0.3)."),
    ],
)
def test_an_objective_measure_is_refused_in_the_users_language(
    world, lang: str, expected: str
) -> None:
    from django.core.exceptions import ValidationError

    from kompeten.learning.actions.objectives import ObjectiveInput, do_set_objective_measures

    programme = make_programme(world.instansi, "Pelayanan Prima")
    programme.objectives = "Post-test naik ≥ 20 poin"
    programme.save(update_fields=["objectives"])
    row = ObjectiveInput("Post-test naik ≥ 20 poin", "gain", "gte", "dua puluh")
    with translation.override(lang), pytest.raises(ValidationError) as refused:
        do_set_objective_measures(programme=programme, rows=[row], actor=world.alice)
    assert refused.value.messages == [expected]


def _header(response: Any) -> tuple[list[str], list[Any]]:
    from io import BytesIO

    from python_calamine import CalamineWorkbook

    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(BytesIO(response.content))
    return book.sheet_names, book.get_sheet_by_index(0).to_python()[0]


def test_workbooks_are_written_in_the_readers_language(admin_en, world) -> None:
    from django.urls import reverse

    make_programme(world.instansi, "Pelayanan Prima")
    sheets, header = _header(admin_en.get(reverse("learning:catalogue_export")))
    assert header[:3] == ["Code", "Title", "Format"] and "Cost (Rp)" in header, header
    sheets, header = _header(admin_en.get(reverse("participation:jp_export")))
    assert "Minimum target" in header and "Target minimal" not in header, header
    sheets, header = _header(admin_en.get("/layanan/pengaduan/daftar/?format=xlsx"))
    assert header[0] == "Tracking number", header
    indonesian = Client()
    indonesian.force_login(world.alice)
    sheets, header = _header(indonesian.get(reverse("learning:catalogue_export")))
    assert header[:3] == ["Kode", "Judul", "Bentuk"] and sheets == ["Program"], (sheets, header)

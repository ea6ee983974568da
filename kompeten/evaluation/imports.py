"""L1 and L2 results brought from files, as declarations on the one import engine.

- ``scores``: the panitia's pre/post recap (title rows; ``NO, NIP, NAMA PESERTA, INSTANSI,
  PRE TEST, POST TEST, SELISIH, KETERANGAN``; ``-`` or blank = absent; a ``RATA-RATA`` row
  below). One total per person per test, for tests of any length, on the programme's
  scores-only pre/post-test (:mod:`kompeten.evaluation.actions.scores`). A file of one test
  (a Google Forms quiz export: ``Timestamp, Email Address, Score, NIP, Nama Lengkap, <one
  column per question>``, the score written ``17 / 20``) has one score column, read as the
  test the ``test`` option names. A reason written where a score would be ("Sakit") is kept
  in the note.
- ``reaction``: a Google Forms (or similar) reaction questionnaire export (``Timestamp`` such as
  ``2025/06/26 2:33:00 PM GMT+7``, name, NIP, unit, one column per question). Its question
  columns are mapped onto an existing questionnaire (``instrument`` option), or onto the
  questionnaire version earlier built from the same columns, or a new version is built from them
  (:func:`~kompeten.evaluation.actions.instruments.do_create_instrument_from_columns`). Answers
  keep the file's own timestamps.

Respondents are matched to the programme's participants (accepted enrolments) by NIP — a NIP
damaged by Excel by its 15 kept digits —, else by their name when exactly one participant has
it (when a full NIP is written, only if it is within two edits of that participant's NIP: a
slip of the pen, not a namesake). Anyone else is kept as a pending row with the reason,
completed when they are enrolled.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kompeten.core import formatting
from kompeten.core import importing as imp
from kompeten.core.importing import columns
from kompeten.core.importing.values import NipValue, edit_distance, normalise_text, parse_moment
from kompeten.core.importing.widgets import DatalistInput
from kompeten.evaluation import scales
from kompeten.evaluation.actions.instruments import do_create_instrument_from_columns
from kompeten.evaluation.actions.responses import (
    AnonymousReaction,
    ResponseInput,
    do_record_anonymous_reactions,
    do_submit_responses,
)
from kompeten.evaluation.actions.scores import ScoreInput, do_record_test_scores
from kompeten.evaluation.models import (
    Instrument,
    InstrumentKind,
    Item,
    ItemKind,
    Response,
    Section,
)
from kompeten.learning.models import Batch, Programme
from kompeten.learning.queries import programme_code_options
from kompeten.participation.models import Enrolment, EnrolmentStatus

# --- matching respondents to the programme's participants ---------------------------------------


def person_key(name: object) -> str:
    """A name as a comparable key: titles after a comma dropped ('Fadli Anwar, S.K.M.')."""
    return normalise_text(str(name or "").split(",", 1)[0])


@dataclass(frozen=True)
class Participant:
    employee_id: int
    nip: str
    name: str
    batch_id: int


class Participants:
    """The programme's accepted participants, indexed by NIP, 15-digit NIP prefix and name."""

    def __init__(self, programme: Programme | None) -> None:
        self.by_nip: dict[str, Participant] = {}
        self.by_prefix: dict[str, list[Participant]] = {}
        self.by_name: dict[str, list[Participant]] = {}
        if programme is None:
            return
        rows = (
            Enrolment.objects.filter(batch__programme=programme, status=EnrolmentStatus.ACCEPTED)
            .order_by("-batch__start_date")  # the earliest batch wins
            .values_list("employee_id", "employee__nip", "employee__name", "batch_id")
        )
        for employee_id, nip, name, batch_id in rows:
            p = Participant(employee_id, nip, name, batch_id)
            self.by_nip[nip] = p
        for p in self.by_nip.values():
            self.by_prefix.setdefault(p.nip[:15], []).append(p)
            self.by_name.setdefault(person_key(p.name), []).append(p)

    def match(self, nip: NipValue | None, name: object) -> tuple[Participant | None, str, str]:
        """(participant, how, why-not): ``how`` is "nip" or "name"; ``why-not`` a reason code
        ("person_unknown", "name_ambiguous") when nobody matches."""
        if nip is not None and nip.status == "ok" and nip.digits in self.by_nip:
            return self.by_nip[nip.digits], "nip", ""
        if nip is not None and nip.status == "damaged":
            found = self.by_prefix.get(nip.prefix, [])
            if len(found) == 1:
                return found[0], "nip", ""
        key = person_key(name)
        same = self.by_name.get(key, []) if key else []
        if nip is not None and nip.status == "ok":
            # a full NIP that is no participant's: the name decides only for a slip of the pen
            # (within two edits of the named participant's NIP), never for a namesake
            same = [p for p in same if edit_distance(p.nip, nip.digits) <= NIP_SLIP_EDITS]
        if len(same) == 1:
            return same[0], "name", ""
        if len(same) > 1:
            return None, "", "name_ambiguous"
        return None, "", "person_unknown"


NIP_SLIP_EDITS = 2


def _match_row(row: imp.Row, ctx: imp.Context) -> Participant | None:
    """Match the row's person, or mark the row pending / with a problem; None when unmatched."""
    participants: Participants = ctx.lookups["participants"]
    programme: Programme = ctx.lookups["programme"]
    nip = row.get("nip")
    name = row.get("name") or ""
    if (nip is None or not nip.digits) and not str(name).strip():
        row.problem("name", _("Baris ini tidak memuat NIP maupun nama; isi salah satunya."))
        return None
    person, _how, why = participants.match(nip, name)
    if person is None:
        shown, about_nip = str(name), ""
        if nip is not None and nip.status in ("damaged", "invalid") and nip.message:
            about_nip = " " + nip.message  # never the digits Excel left, padded with zeros
        elif nip is not None and nip.digits:
            shown = f"{name} (NIP {nip.digits})"
        if why == "name_ambiguous":
            row.pending(
                "name_ambiguous",
                _(
                    "{who}: NIP tidak cocok dengan peserta program {code} dan namanya dimiliki "
                    "beberapa peserta; perbaiki NIP-nya."
                ).format(who=shown, code=programme.code)
                + about_nip,
            )
        else:
            row.pending(
                "person_unknown",
                _(
                    "{who} bukan peserta program {code}: belum ada di daftar hadir yang diimpor, "
                    "atau baris daftar hadirnya masih tertunda (mis. ia belum terdaftar sebagai "
                    "pegawai). Baris ini diselesaikan otomatis sesudah ia menjadi peserta."
                ).format(who=shown, code=programme.code)
                + about_nip,
            )
        return None
    seen: dict[int, int] = ctx.lookups.setdefault("seen", {})
    if person.employee_id in seen:
        row.problem(
            "name",
            _("{name} sudah ada di baris {n} berkas ini.").format(
                name=person.name, n=seen[person.employee_id]
            ),
        )
        return None
    seen[person.employee_id] = row.number
    row.result = person
    return person


def _programme(ctx: imp.Context) -> Programme | None:
    code = str(ctx.options.get("programme") or "").strip()
    return Programme.objects.filter(instansi=ctx.instansi, code=code).first()


class ProgrammeOptionsForm(imp.OptionsForm):
    """The programme whose participants the file is about (by its code)."""

    programme = forms.CharField(label=gettext_lazy("Kode program"), max_length=30)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].widget = DatalistInput(programme_code_options(self.instansi.pk))

    def clean_programme(self) -> str:
        code = str(self.cleaned_data.get("programme") or "").strip()
        if not Programme.objects.filter(instansi=self.instansi, code=code).exists():
            raise forms.ValidationError(
                _("Program dengan kode {code} tidak ada.").format(code=code)
            )
        return code


def _admin_or_manager(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_admin)


def _answer_problem(
    row: imp.Row, header: str, raw: Any, message: str, accepted: tuple[str, ...] = ()
) -> None:
    """A problem with one answer column of the row (the engine's row.problem names a field)."""
    row.problems.append(imp.Problem(row.number, header, "answers", raw, message, accepted))


class ProgrammeFileImport(imp.Declaration):
    """What the score and reaction imports share: a file about one programme's participants,
    chosen in the options form, imported by an admin, each row matched to a participant."""

    def permission(self, user: Any) -> bool:
        return _admin_or_manager(user)

    @staticmethod
    def prepare_programme(ctx: imp.Context) -> Programme | None:
        """Put the chosen programme and its participants in the lookups (no row matched yet)."""
        programme = _programme(ctx)
        ctx.lookups["programme"] = programme
        ctx.lookups["participants"] = Participants(programme)
        ctx.lookups["seen"] = {}
        return programme

    @staticmethod
    def programme_to_write(ctx: imp.Context) -> Programme:
        programme = ctx.lookups.get("programme") or _programme(ctx)
        assert programme is not None
        return programme


NAME_ALIASES = (
    "nama",
    "nama peserta",
    "nama lengkap",
    "nama pegawai",
    "nama responden",
    "nama lengkap dan gelar",
)
NIP_ALIASES = ("nip", "nip baru", "nip peserta", "nomor induk pegawai", "nip nrp")
UNIT_ALIASES = (
    "unit kerja",
    "unit kerja opd",
    "unit kerja / opd",
    "opd",
    "instansi",
    "asal instansi",
    "satuan kerja",
    "perangkat daerah",
)
# who answered, as both files write it: matched to the programme's participants
PERSON_FIELDS = (
    columns.nip_column(NIP_ALIASES),
    imp.Field("name", gettext_lazy("Nama"), aliases=NAME_ALIASES),
    imp.Field("unit", gettext_lazy("Unit kerja"), aliases=UNIT_ALIASES),
)


# --- L2: the pre/post score recap ---------------------------------------------------------------


# How a recap marks someone who did not sit the test, besides a blank or a dash: absent, or
# the reason written where the score would be, as attendance recaps write it (S = sakit,
# I = izin, DL = dinas luar). "A" (alpa) is left out: in a score column it may be a grade.
ABSENT_MARKS = frozenset(
    {
        "th",
        "tidak hadir",
        "absen",
        "tidak ikut",
        "tidak ikut tes",
        "sakit",
        "s",
        "izin",
        "ijin",
        "i",
        "cuti",
        "dinas luar",
        "dl",
        "berhalangan",
    }
)
# a bare abbreviation said in full when it becomes a note ("Pre-test: S (sakit)")
ABSENT_SPELLED = {
    "th": "TH (tidak hadir)",
    "s": "S (sakit)",
    "i": "I (izin)",
    "dl": "DL (dinas luar)",
}
SCORE_EXAMPLES = (
    "85",
    "85,5",
    "85.5",
    "17 / 20",
    "-",
    "TH (tidak hadir)",
    "S (sakit)",
    "I (izin)",
)
# "TH (tidak hadir)", "S (sakit)": a mark and what it means
_MARK_AND_MEANING = re.compile(r"(.+?)\s*\((.+)\)")


def absent_mark(value: Any) -> str:
    """The mark or reason a score cell gives for a test not taken ("Sakit", "S", "DL", "TH
    (tidak hadir)"), as written, white space collapsed; "" for anything else (a blank or a dash
    included: they say nothing more)."""
    if not isinstance(value, str):
        return ""
    words = [normalise_text(value)]
    both = _MARK_AND_MEANING.fullmatch(value.strip())
    if both is not None:
        words = [normalise_text(both.group(1)), normalise_text(both.group(2))]
    if any(word in ABSENT_MARKS for word in words):
        return " ".join(value.split())
    return ""


# a score written as points of the test's own maximum, as a Google Forms quiz writes it
# ("17 / 20", "17,5/20"): read as that share of the import's scale
_FRACTION = re.compile(r"\s*(-?\d+(?:[.,]\d+)?)\s*/\s*(-?\d+(?:[.,]\d+)?)\s*")


def _scale_top(ctx: Any) -> Decimal:
    """The maximum the import stores scores out of: the ``max_score`` option, else 100."""
    options = getattr(ctx, "options", None) or {}
    return Decimal(str(options.get("max_score") or 100))


def _fraction(text: str, top: Decimal) -> float | None:
    """``"17 / 20"`` on a scale to ``top`` (85 of 100, 34 of 40); None when the text is no
    fraction. Refused: a maximum of 0 or less, points below 0 or above the maximum."""
    found = _FRACTION.fullmatch(text)
    if found is None:
        return None
    points, of = (imp.parse_number(part) or Decimal(0) for part in found.groups())
    shown = repr(" ".join(text.split()))
    if of <= 0:
        message = _(
            "Nilai {value} tidak dapat dibaca: nilai maksimum sesudah garis miring harus lebih "
            "dari 0."
        ).format(value=shown)
    elif points < 0:
        message = _(
            "Nilai {value} tidak dapat dibaca: nilai yang diperoleh tidak boleh kurang dari 0."
        ).format(value=shown)
    elif points > of:
        message = _(
            "Nilai {value} tidak dapat dibaca: nilai yang diperoleh melebihi nilai maksimumnya "
            "({top})."
        ).format(value=shown, top=formatting.number(of, None))
    else:
        return float(points * top / of)
    raise imp.FieldError(message, SCORE_EXAMPLES)


def parse_score(value: Any, ctx: Any = None) -> float | None:
    """A total such as ``85``, ``85.5`` or ``85,5``, or points of the test's own maximum
    (``17 / 20``: 85 on the default 0–100, 34 with a maximum of 40); ``-``, ``TH``, "tidak
    hadir" or a reason for missing the test ("Sakit", "S", "Izin", "I", "Cuti", "Dinas Luar",
    "DL", "TH (tidak hadir)") gives None (did not sit the test)."""
    if isinstance(value, str):
        if value.strip() in scales.BLANKS or absent_mark(value):
            return None
        fraction = _fraction(value, _scale_top(ctx))
        if fraction is not None:
            return fraction
    try:
        number = imp.parse_number(value)
    except ValueError:
        raise imp.FieldError(
            _("Nilai {value} bukan angka atau tanda tidak hadir.").format(value=repr(str(value))),
            SCORE_EXAMPLES,
        ) from None
    if number is None:
        return None
    result = float(number)
    if result != result or result in (float("inf"), float("-inf")):
        raise imp.FieldError(_("Nilai harus berupa angka."))
    return result


_score_column = columns.ColumnKind(parse=parse_score)

# Without a maximum the scores are read out of 100. A file whose best score of at least five is
# at most half of that was more likely marked out of its number of questions (40 of 40), and the
# user is told so before saving (a note, not a refusal: a hard test can score that low).
SCALE_NOTE_AT_MOST = 50
SCALE_NOTE_MIN_SCORES = 5


def _on_the_scale(row: imp.Row, name: str) -> float | None:
    """The row's score of test ``name`` as the file wrote it on the import's scale; None for
    none, and for points written of their own maximum ("17 / 20"), which need no scale."""
    value = row.values.get(name)
    raw = row.cells.get(row.columns.get(name) or "")
    if isinstance(raw, str) and _FRACTION.fullmatch(raw):
        return None
    return value if isinstance(value, float) else None


def _scale_notes(rows: Sequence[imp.Row], command_line: bool) -> list[str]:
    scores = [
        value
        for row in rows
        for value in (_on_the_scale(row, "pre"), _on_the_scale(row, "post"))
        if value is not None
    ]
    if len(scores) < SCALE_NOTE_MIN_SCORES or not 0 < max(scores) <= SCALE_NOTE_AT_MOST:
        return []
    how = (
        _("ulangi dengan --max-score (mis. --max-score 40)")
        if command_line
        else _("unggah ulang dengan Nilai maksimum tes diisi")
    )
    return [
        _(
            "Nilai tertinggi di berkas ini {top}, padahal nilai dibaca pada skala 0–100. Bila tes "
            "dinilai dari jumlah soal (mis. 40 soal), {how}."
        ).format(top=formatting.number(max(scores), None), how=how)
    ]


class ScoresOptionsForm(ProgrammeOptionsForm):
    max_score = forms.DecimalField(
        label=gettext_lazy("Nilai maksimum tes"),
        required=False,
        min_value=Decimal("1"),
        max_digits=7,
        decimal_places=2,
        help_text=gettext_lazy("Bawaan 100."),
    )
    test = forms.ChoiceField(
        label=gettext_lazy("Tes dalam berkas ini"),
        required=False,
        choices=(
            ("", gettext_lazy("— menurut kolom, nama lembar kerja atau nama berkas —")),
            ("pre", gettext_lazy("Pre-test")),
            ("post", gettext_lazy("Post-test")),
        ),
        help_text=gettext_lazy(
            "Untuk berkas dengan satu kolom nilai (Nilai, Skor, Score), mis. ekspor kuis "
            "Google Forms: satu formulir adalah satu tes. Kosongkan bila nama lembar kerja atau "
            "nama berkasnya menyebut tesnya (PRE TEST, Tes Akhir)."
        ),
    )


PANITIA_SCORES = imp.Source(
    key="panitia_nilai",
    label=gettext_lazy("Rekap nilai pre/post-test panitia"),
    signature=("NO", "NIP", "NAMA PESERTA", "PRE TEST", "POST TEST", "KETERANGAN"),
)
# a Google Form set up as a quiz, its responses exported (Sheets, XLSX, CSV): the score written
# "17 / 20", NIP and name asked as questions, every other column a question (read past)
QUIZ_FORMS = imp.Source(
    key="google_forms_quiz",
    label=gettext_lazy("Kuis Google Forms"),
    signature=("Timestamp", "Score"),
)
QUIZ_FORMS_ID = imp.Source(
    key="google_forms_quiz_id",
    label=gettext_lazy("Kuis Google Forms (Bahasa Indonesia)"),
    signature=("Cap waktu", "Skor"),
)
# one score column of one test, as a quiz export or a sheet per test heads it
SINGLE_SCORE_ALIASES = (
    "score",
    "skor",
    "nilai",
    "total score",
    "total skor",
    "total nilai",
    "nilai total",
    "skor total",
    "jumlah nilai",
    "total points",
)
TEST_LABELS = {"pre": "pre-test", "post": "post-test"}
# a reason from a score cell, as it is kept in the stored note
REASON_NOTES = {
    "pre": gettext_lazy("Pre-test: {reason}"),
    "post": gettext_lazy("Post-test: {reason}"),
}


# a note saying the person did not sit a test: "Tidak mengikuti post test", "tdk hadir", "sakit"
_ABSENT_NOTE = re.compile(
    r"\b(tidak|tdk|belum)\s+(ikut|mengikuti|hadir|mengerjakan)\b|\b(absen|berhalangan|sakit|izin|ijin)\b"
)


def _zero_when_absent(row: imp.Row) -> None:
    """A 0 beside a note that the person did not sit that test is no score, not a score of 0
    (a recap that fills every cell): read as not taken, and said so on the row."""
    note = normalise_text(row.values.get("note") or "")
    if not note or not _ABSENT_NOTE.search(note):
        return
    named = [n for n in ("pre", "post") if re.search(rf"\b{n}\s*(test|tes)?\b", note)]
    for name in named or ["pre", "post"]:
        if row.values.get(name) == 0:
            row.values[name] = None
            row.warn(
                _("Nilai {label} 0 dibaca sebagai tidak ikut tes: keterangannya {note}.").format(
                    label=f"{name}-test", note=repr(str(row.values.get("note")).strip())
                )
            )


def _says(note: str, reason: str) -> bool:
    """Whether the normalised ``note`` already gives ``reason`` (its mark or its meaning)."""
    both = _MARK_AND_MEANING.fullmatch(reason)
    parts = (both.group(1), both.group(2)) if both is not None else (reason,)
    return any(
        re.search(rf"\b{re.escape(normalise_text(part))}\b", note)
        for part in parts
        if normalise_text(part)
    )


def _keep_reasons(row: imp.Row) -> None:
    """The reason a score cell gives for a test not taken kept in the row's note, which is
    stored: a blank note becomes "Pre-test: Sakit"; a note saying something else gets it
    appended ("Tidak mengikuti post test; Post-test: TH (tidak hadir)"); a note already
    giving that reason ("sakit") is left as it is."""
    note = " ".join(str(row.values.get("note") or "").split())
    said = normalise_text(note)
    added = []
    for name in ("pre", "post"):
        column = row.columns.get(name)
        mark = absent_mark(row.cells.get(column)) if column else ""
        if not mark:
            continue
        reason = ABSENT_SPELLED.get(normalise_text(mark), mark)
        if not _says(said, reason):
            added.append(str(REASON_NOTES[name]).format(reason=reason))
    if added:
        row.values["note"] = "; ".join([note, *added] if note else added)


# how a sheet or a file names the one test it holds ("PRE TEST", "Pretest", "Tes Awal",
# "POST-TEST", "Tes Akhir"), after normalise_text; a name giving both ("Nilai Pre Post Test")
# names neither
_TEST_NAMES = {
    "pre": re.compile(r"\b(pre|pretest|pretes|(tes|test|nilai|skor|ujian) awal)\b"),
    "post": re.compile(r"\b(post|posttest|posttes|postes|(tes|test|nilai|skor|ujian) akhir)\b"),
}


def named_test(name: str) -> str:
    """The test ``name`` (a sheet's, a file's without its extension) names and not the other:
    "pre" or "post", else ""."""
    text = normalise_text(name)
    named = [test for test, pattern in _TEST_NAMES.items() if pattern.search(text)]
    return named[0] if len(named) == 1 else ""


def _test_of_names(ctx: imp.Context) -> tuple[str, str]:
    """The test the sheet's name, else the file's name, names alone, and how the note says
    so; ("", "") when neither does."""
    by_sheet = named_test(ctx.sheet)
    if by_sheet:
        return by_sheet, _("nama lembar kerja {name} menyebutnya").format(name=repr(ctx.sheet))
    by_file = named_test(PurePath(ctx.filename).stem)
    if by_file:
        return by_file, _("nama berkas {name} menyebutnya").format(name=repr(ctx.filename))
    return "", ""


def _choose_test_problem(header: str, ctx: imp.Context) -> str:
    """The file's problem when its one score column is no test's, and nothing says which."""
    if ctx.command_line:
        how = _(
            "ulangi dengan --test pre bila berkas ini pre-test, atau --test post bila post-test"
        )
    else:
        how = _(
            "unggah ulang dengan opsi Tes dalam berkas ini diisi (pre-test atau post-test), atau "
            "di langkah pemetaan pilih Nilai pre-test atau Nilai post-test untuk kolom {column}"
        ).format(column=repr(header))
    return _(
        "Berkas ini memuat satu kolom nilai ({column}) tanpa kolom pre-test atau post-test, dan "
        "tidak disebutkan tes mana nilainya (nama lembar kerja dan nama berkasnya pun tidak "
        "menyebut satu tes); {how}."
    ).format(column=repr(header), how=how)


def _other_test_problem(chosen: str, named: str, ctx: imp.Context) -> str:
    """The file's problem when the test chosen is not the one the sheet's name gives (the
    options of the sheet before, carried to the next sheet of a workbook)."""
    how = (
        _("sebutkan --test {named}, atau jangan sebutkan --test").format(named=named)
        if ctx.command_line
        else _("pilih {named} di opsi Tes dalam berkas ini, atau kosongkan opsi itu").format(
            named=TEST_LABELS[named]
        )
    )
    return _(
        "Lembar kerja {sheet} menyebut {named}, tetapi tes yang dipilih {chosen}; tidak ada yang "
        "disimpan agar nilai {named} tidak tercatat sebagai {chosen}: {how}."
    ).format(sheet=repr(ctx.sheet), named=TEST_LABELS[named], chosen=TEST_LABELS[chosen], how=how)


def _read_single_score(rows: Sequence[imp.Row], header: str, ctx: imp.Context) -> str:
    """A file of one test (a quiz export, a sheet per test): its one score column read as the
    test chosen in the options, else the one the sheet's or the file's name gives, on every row
    (a cell that is no score is the row's problem); the file's problem ("" when none)."""
    chosen = str(ctx.options.get("test") or "")
    named, why = _test_of_names(ctx)
    by_sheet = named_test(ctx.sheet)
    if chosen and by_sheet and chosen != by_sheet:
        return _other_test_problem(chosen, by_sheet, ctx)
    test = chosen or named
    if test not in TEST_LABELS:
        return _choose_test_problem(header, ctx)
    # kept on the run: its pending rows are completed as the same test, with no sheet to read
    ctx.options["test"] = test
    for row in rows:
        row.columns[test] = header
        try:
            row.values[test] = parse_score(row.values.get("score"), ctx)
        except imp.FieldError as exc:
            row.problem(test, exc.message, exc.accepted)
    said = (
        _("Kolom {column} dibaca sebagai nilai {test}.")
        if chosen
        else _("Kolom {column} dibaca sebagai nilai {test}: {why}.")
    )
    ctx.notes.append(said.format(column=repr(header), test=TEST_LABELS[test], why=why))
    return ""


def _columns_problem(rows: Sequence[imp.Row], ctx: imp.Context) -> str:
    """What is wrong with the file's columns as a whole ("" when nothing is), said once: no
    row can be checked without a score column, and no score can be anyone's without a NIP
    or a name beside it. A file of one test has its score column read as that test."""
    first = rows[0]
    own = [first.columns[n] for n in ("pre", "post") if first.columns.get(n)]
    single = str(first.columns.get("score") or "")
    if not own and not single:
        return _("Tidak ada kolom nilai pre-test maupun post-test; {how}.").format(
            how=_('sebutkan kolomnya dengan --map "Judul Kolom=pre" atau --map "Judul Kolom=post"')
            if ctx.command_line
            else ctx.how_to_map("pre")
        )
    if not any(first.columns.get(name) for name in ("nip", "name")):
        return _(
            "Berkas ini tidak memuat kolom NIP maupun nama peserta, sehingga nilainya tidak "
            "dapat dikaitkan ke peserta mana pun; bila kolom itu ada dengan judul lain, {how}."
        ).format(how=ctx.how_to_map("nip"))
    if not own:
        return _read_single_score(rows, single, ctx)
    if single:
        ctx.notes.append(
            _(
                "Kolom {column} tidak dibaca: berkas ini memuat kolom nilai pre-test atau "
                "post-test ({own})."
            ).format(column=repr(single), own=", ".join(own))
        )
    if ctx.options.get("test"):
        ctx.notes.append(
            _(
                "Pilihan tes ({test}) tidak dipakai: berkas ini memuat kolom nilai pre-test atau "
                "post-test ({own})."
            ).format(test=TEST_LABELS.get(str(ctx.options["test"]), ""), own=", ".join(own))
        )
    return ""


class ScoresImport(ProgrammeFileImport):
    key = "scores"
    label = gettext_lazy("Nilai pre-test dan post-test (L2)")
    description = gettext_lazy(
        "Rekap nilai panitia: satu nilai total per orang untuk pre-test dan post-test "
        "(tanda '-' atau kosong = tidak ikut), tes berapa pun jumlah soalnya; atau berkas satu "
        "tes dengan satu kolom nilai, mis. ekspor kuis Google Forms (nilai '17 / 20')."
    )
    fields = (
        *PERSON_FIELDS,
        _score_column(
            "pre",
            gettext_lazy("Nilai pre-test"),
            (
                "pre test",
                "pretest",
                "pre-test",
                "nilai pre test",
                "nilai awal",
                "pre",
                "pre tes",
                "tes awal",
                "test awal",
                "nilai tes awal",
                "skor awal",
                # "PRE TEST" merged over "BENAR | NILAI": the score, not the count right
                "pre test nilai",
                "pretest nilai",
                "pre test skor",
                "tes awal nilai",
            ),
        ),
        _score_column(
            "post",
            gettext_lazy("Nilai post-test"),
            (
                "post test",
                "posttest",
                "post-test",
                "nilai post test",
                "nilai akhir",
                "post",
                "post tes",
                "tes akhir",
                "test akhir",
                "nilai tes akhir",
                "skor akhir",
                "post test nilai",
                "posttest nilai",
                "post test skor",
                "tes akhir nilai",
            ),
        ),
        # read as a score only in a file without a pre-test or post-test column (prepare): a
        # recap's own "NILAI" (a grade, "B") beside them is no problem of its rows
        imp.Field(
            "score",
            gettext_lazy("Nilai tes (berkas satu tes)"),
            SINGLE_SCORE_ALIASES,
            help=gettext_lazy(
                "Satu kolom nilai untuk satu tes (mis. kuis Google Forms): dibaca sebagai "
                "pre-test atau post-test menurut opsi Tes dalam berkas ini, atau nama lembar "
                "kerja atau nama berkasnya."
            ),
        ),
        imp.Field("note", gettext_lazy("Keterangan"), aliases=("keterangan", "ket", "catatan")),
    )
    sources = (PANITIA_SCORES, QUIZ_FORMS, QUIZ_FORMS_ID)
    options_form = ScoresOptionsForm

    def prepare(self, ctx: imp.Context) -> None:
        programme = self.prepare_programme(ctx)
        ctx.lookups["max_score"] = float(ctx.options.get("max_score") or 100)
        rows: list[imp.Row] = ctx.lookups["rows"]
        item_done: set[tuple[str, int]] = set()
        if programme is not None:
            item_done = set(
                Response.objects.filter(
                    programme=programme,
                    kind__in=[InstrumentKind.PRETEST, InstrumentKind.POSTTEST],
                    instrument__scores_only=False,
                ).values_list("kind", "subject_id")
            )
        ctx.lookups["item_done"] = item_done
        problem = _columns_problem(rows, ctx) if rows else ""
        if problem:
            ctx.file_problems.append(problem)  # the file's, said once, not on every row
        elif not ctx.options.get("max_score"):
            ctx.notes.extend(_scale_notes(rows, ctx.command_line))

    def check_row(self, row: imp.Row, ctx: imp.Context) -> None:
        top = ctx.lookups["max_score"]
        for name, label in (("pre", "pre-test"), ("post", "post-test")):
            value = row.values.get(name)
            if value is not None and not 0 <= value <= top:
                row.problem(name, _("Nilai {label} harus 0–{top:g}.").format(label=label, top=top))
        if row.problems:
            return
        _zero_when_absent(row)
        _keep_reasons(row)
        if row.values.get("pre") is None and row.values.get("post") is None:
            row.warn(
                _(
                    "Tidak ada nilai tes pada baris ini (tidak ikut tes): tidak ada yang "
                    "disimpan untuk baris ini, juga keterangannya."
                )
            )
        person = _match_row(row, ctx)
        if person is None:
            return
        for kind, name in ((InstrumentKind.PRETEST, "pre"), (InstrumentKind.POSTTEST, "post")):
            if (
                row.values.get(name) is not None
                and (kind, person.employee_id) in ctx.lookups["item_done"]
            ):
                row.problem(
                    name,
                    _(
                        "{name} sudah mengerjakan tes ini butir demi butir di Kompeten; nilai "
                        "totalnya tidak ditimpa."
                    ).format(name=person.name),
                )

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        programme = self.programme_to_write(ctx)
        entries = [
            ScoreInput(
                subject_id=row.result.employee_id,
                pre=row.values.get("pre"),
                post=row.values.get("post"),
                note=str(row.values.get("note") or "").strip(),
            )
            for row in rows
            if isinstance(row.result, Participant)
        ]
        outcome = do_record_test_scores(
            programme,
            entries=entries,
            max_score=float(ctx.options.get("max_score") or 100),
            actor=ctx.user,
        )
        return {
            gettext_noop("pre-test"): outcome.n_pre,
            gettext_noop("post-test"): outcome.n_post,
            gettext_noop("tidak ikut tes"): outcome.n_absent,
        }


# --- L1: the reaction questionnaire export ------------------------------------------------------


class ReactionOptionsForm(ProgrammeOptionsForm):
    instrument = forms.CharField(
        label=gettext_lazy("Kuesioner"),
        required=False,
        max_length=20,
        help_text=gettext_lazy(
            "Nomor instrumen atau versi (mis. v2) kuesioner reaksi yang dipetakan; kosongkan "
            "untuk membuat versi baru dari kolom pertanyaan berkas."
        ),
    )
    batch = forms.CharField(
        label=gettext_lazy("Kode angkatan (kuesioner tanpa nama)"),
        required=False,
        max_length=30,
        help_text=gettext_lazy(
            "Untuk formulir yang tidak menanyakan NIP atau nama (anonim): angkatan yang "
            "mengisinya. Boleh kosong bila program hanya punya satu angkatan."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ref = str(data.get("instrument") or "").strip()
        code = data.get("programme")
        if ref and code and find_instrument(self.instansi, code, ref) is None:
            self.add_error(
                "instrument",
                _("Kuesioner reaksi {ref} tidak ada di program {code}.").format(ref=ref, code=code),
            )
        batch = str(data.get("batch") or "").strip()
        if batch and code and _batch_of(self.instansi, code, batch) is None:
            self.add_error(
                "batch",
                _("Angkatan {batch} tidak ada di program {code}.").format(batch=batch, code=code),
            )
        return data


def _batch_of(instansi: Any, programme_code: str, code: str) -> Batch | None:
    return Batch.objects.filter(
        programme__instansi=instansi, programme__code=programme_code, code=code
    ).first()


def find_instrument(instansi: Any, code: str, ref: str) -> Instrument | None:
    """A programme's reaction questionnaire by id (``12``) or version (``v2``)."""
    qs = Instrument.objects.filter(
        programme__instansi=instansi, programme__code=code, kind=InstrumentKind.REACTION
    )
    ref = ref.strip().lower()
    if ref.startswith("v") and ref[1:].isdigit():
        return qs.filter(version=int(ref[1:]), form_label="").first()
    if ref.isdigit():
        return qs.filter(pk=int(ref)).first()
    return None


# Google Forms heads the moment an answer came in by the form's language: "Timestamp",
# "Cap waktu" (Indonesian Sheets), "Stempel waktu" / "Tanda waktu" (older translations)
FORM_TIMESTAMP = ("Timestamp", "Cap waktu", "Stempel waktu", "Tanda waktu")
GOOGLE_FORMS = imp.Source(
    key="google_forms",
    label="Google Forms",
    signature=("Timestamp",),
    aliases={"timestamp": FORM_TIMESTAMP},
)
GOOGLE_FORMS_ID = imp.Source(
    key="google_forms_id",
    label="Google Forms (Bahasa Indonesia)",
    signature=("Cap waktu",),
    aliases={"timestamp": FORM_TIMESTAMP},
)
ANSWER_PATTERN = r"."
CONTACT_HEADERS = (
    "nomor hp",
    "no hp",
    "nomor handphone",
    "no handphone",
    "nomor telepon",
    "no telepon",
    "no telp",
    "telepon",
    "nomor wa",
    "no wa",
    "nomor whatsapp",
    "whatsapp",
    "nik",
    "alamat",
    "alamat rumah",
)


def _moment(value: Any, ctx: Any) -> datetime:
    return parse_moment(value)


def _column_map(items: Sequence[Item], headers: Sequence[str]) -> dict[str, Item]:
    """header → item: the item built from that column, else the item with that wording."""
    by_column = {normalise_text(i.source_column): i for i in items if i.source_column}
    by_text = {normalise_text(i.text): i for i in items}
    out: dict[str, Item] = {}
    for header in headers:
        key = normalise_text(header)
        item = (
            by_column.get(key)
            or by_text.get(key)
            or by_text.get(normalise_text(scales.item_text(header)))
        )
        if item is not None and item not in out.values():
            out[header] = item
    return out


def _column_specs(
    rows: Sequence[imp.Row], headers: Sequence[str]
) -> tuple[dict[str, scales.ColumnSpec], list[str]]:
    """What each question column of a file is (:func:`scales.infer_column`), the numeric
    ones read on 1–4 when the whole file says so (:func:`scales.four_point`), the labelled
    ones on a four-level agreement scale when their answers say so
    (:func:`scales.four_level_words`); with the notes saying what was decided for the file."""
    values: dict[str, list[Any]] = {}
    for n, header in enumerate(headers):
        values[header] = [
            r.values["answers"][n] for r in rows if n < len(r.values.get("answers") or [])
        ]
    specs = {h: scales.infer_column(h, values[h]) for h in headers}
    notes: list[str] = []
    words = scales.four_level_words(specs, values)
    if words:
        specs.update(words)
        labels = next(iter(words.values())).labels
        notes.append(
            _(
                "{n} butir berlabel dibaca pada skala empat tingkat ({labels}): keempat jawaban "
                "itu dipakai dan jawaban tengah skala lima tingkat ({middle}) tidak ada di "
                "seluruh berkas. Bila kuesionernya berskala lima tingkat, buat kuesionernya "
                "lebih dahulu dan pilih di opsi impor."
            ).format(
                n=len(words),
                labels=" / ".join(reversed(labels)),
                middle=" / ".join(scales.middles_around(labels)),
            )
        )
    if not scales.four_point(specs, values):
        return specs, notes
    four = {
        h: replace(spec, scale_max=4)
        if spec.kind == scales.LIKERT and spec.scale_max == 5
        else spec
        for h, spec in specs.items()
    }
    notes.append(
        _(
            "Butir skala angka dibaca pada skala 1–4: tidak ada satu pun jawaban 5 "
            "di seluruh berkas. Bila kuesionernya berskala 1–5, tulis skalanya di "
            'judul kolom (mis. "… (1-5)") atau buat kuesionernya lebih dahulu '
            "dan pilih di opsi impor."
        )
    )
    return four, notes


def _kinds_note(specs: Mapping[str, scales.ColumnSpec]) -> str:
    """What the new questionnaire version makes of the file's columns, said before saving: a
    column read as the wrong kind (a count question read as a 1–5 scale) is seen here."""
    parts = []
    likert = [h for h, s in specs.items() if s.kind == scales.LIKERT]
    if likert:
        tops = sorted({specs[h].scale_max for h in likert})
        parts.append(
            _("{n} butir skala angka 1–{top}").format(
                n=len(likert), top="/".join(str(t) for t in tops)
            )
        )
    labelled = [h for h, s in specs.items() if s.kind == scales.LABELS]
    if labelled:
        parts.append(_("{n} butir skala berlabel").format(n=len(labelled)))
    open_ = [scales.item_text(h) for h, s in specs.items() if s.kind == scales.OPEN]
    if open_:
        parts.append(_("{n} isian ({names})").format(n=len(open_), names="; ".join(open_)))
    if open_:
        return _(
            "Kuesioner baru dibuat dari kolom berkas: {parts}. Butir skala angka dan berlabel "
            "masuk ke hasil L1; isian menjadi komentar."
        ).format(parts=", ".join(parts))
    return _(
        "Kuesioner baru dibuat dari kolom berkas: {parts}. Butir skala angka dan berlabel "
        "masuk ke hasil L1."
    ).format(parts=", ".join(parts))


@dataclass(frozen=True)
class AnonymousRow:
    """An answer of an anonymous form, ready to store: ``key`` tells it from every other
    answer of the programme's reaction forms (see :func:`_anonymous_key`)."""

    key: str


def _anonymous_batch(ctx: imp.Context, programme: Programme) -> Batch | str:
    """The batch an anonymous form's answers are stored for: the one chosen, or the
    programme's only batch; else why none can be (the file's problem)."""
    code = str(ctx.options.get("batch") or "").strip()
    if code:
        found = _batch_of(ctx.instansi, programme.code, code)
        return found or _("Angkatan {batch} tidak ada di program {code}.").format(
            batch=code, code=programme.code
        )
    batches = list(Batch.objects.filter(programme=programme).order_by("start_date", "pk"))
    if len(batches) == 1:
        return batches[0]
    how = (
        _("ulangi dengan --batch KODE")
        if ctx.command_line
        else _("unggah ulang dengan Kode angkatan diisi")
    )
    has = (
        _("angkatannya: {codes}").format(codes=", ".join(b.code for b in batches))
        if batches
        else _("belum punya angkatan")
    )
    return _(
        "Berkas ini tidak memuat kolom NIP maupun nama responden (kuesioner anonim), sehingga "
        "jawabannya disimpan tanpa nama untuk satu angkatan, dan program {code} tidak punya "
        "tepat satu angkatan ({has}): sebutkan angkatannya ({how}). Bila kolom NIP atau nama "
        "ada dengan judul lain, {map}."
    ).format(code=programme.code, has=has, how=how, map=ctx.how_to_map("nip"))


def _anonymous_note(batch: Batch) -> str:
    return _(
        "Kuesioner tanpa kolom NIP atau nama (anonim): jawabannya disimpan tanpa nama untuk "
        "angkatan {batch}. Jawaban itu masuk ke hasil L1 program dan angkatannya, tidak ke hasil "
        "yang disaring per OPD (responden tidak diketahui unit kerjanya)."
    ).format(batch=batch.code)


def _answer_as_written(value: Any) -> str | None:
    """An answer as every export of the form writes it: a number as its shortest figure (the
    form's CSV gives "4", the linked sheet's XLSX 4.0), text with its spaces folded and its
    case ignored; a blank None."""
    if scales.is_blank(value):
        return None
    text = " ".join(str(value).split())
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return text.casefold()
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text.casefold()
    if not math.isfinite(number):
        return text.casefold()
    return str(int(number)) if number.is_integer() else repr(number)


def _to_the_second(moment: Any) -> datetime | None:
    """A form's time to the nearest second, as the form records it (a time an export kept as
    an Excel serial number reads back a few microseconds off)."""
    if not isinstance(moment, datetime):
        return None
    return (moment + timedelta(microseconds=500_000)).replace(microsecond=0)


def _anonymous_key(row: imp.Row, copies: dict[str, int]) -> tuple[str, int]:
    """A digest of the row's time and answers, with how many identical rows came before it in
    the file (two people may send the same answers in the same second; each is an answer),
    so that the same file imported again gives the same keys; and that count."""
    moment = _to_the_second(row.values.get("timestamp"))
    answers = [_answer_as_written(a) for a in row.values.get("answers") or []]
    written = json.dumps(
        [moment.isoformat() if moment is not None else "", answers], ensure_ascii=False
    )
    earlier = copies.get(written, 0)
    copies[written] = earlier + 1
    digest = hashlib.sha256(f"{written}#{earlier}".encode()).hexdigest()
    return digest, earlier


def _check_anonymous(row: imp.Row, ctx: imp.Context, batch: Batch) -> None:
    """An anonymous row: stored once (the same file again skips it), for its batch."""
    key, earlier = _anonymous_key(row, ctx.lookups.setdefault("copies", {}))
    if key in ctx.lookups["anonymous_keys"]:
        row.skip(_("Jawaban ini sudah tersimpan (berkas yang sama diimpor lagi)."))
        return
    if _to_the_second(row.values.get("timestamp")) in ctx.lookups["anonymous_times"]:
        row.warn(
            _(
                "Jawaban tanpa nama dengan waktu pengisian yang sama sudah tersimpan, tetapi "
                "isinya berbeda (disunting sesudah diimpor?); baris ini akan tersimpan sebagai "
                "jawaban lain dan terhitung dua kali bila keduanya jawaban yang sama."
            )
        )
    if earlier:
        row.warn(
            _(
                "Waktu dan semua jawabannya sama dengan baris lain di berkas ini; disimpan "
                "sebagai jawaban tersendiri (formulir mencatat setiap kiriman)."
            )
        )
    if ctx.lookups["trainer_items"] and len(ctx.lookups["trainers"].get(batch.pk, [])) != 1:
        row.problem("answers", str(_TRAINER_ITEMS_PROBLEM))
        return
    row.result = AnonymousRow(key)


_TRAINER_ITEMS_PROBLEM = gettext_lazy(
    "Butir penilaian pengajar hanya dapat diimpor bila angkatan peserta punya tepat satu pengajar."
)


def _answers_of(
    row: imp.Row, headers: Sequence[str], columns: Mapping[str, Item], trainer: int | None
) -> dict[str, object]:
    """The row's answers by item (``"<item id>:<trainer id>"`` for a trainer item)."""
    given = list(row.values.get("answers") or [])
    answers: dict[str, object] = {}
    for n, header in enumerate(headers):
        item = columns.get(header)
        raw = given[n] if n < len(given) else None
        if item is None or scales.is_blank(raw):
            continue
        key = f"{item.pk}:{trainer}" if item.section == Section.TRAINER else str(item.pk)
        answers[key] = raw
    return answers


class ReactionImport(ProgrammeFileImport):
    key = "reaction"
    label = gettext_lazy("Kuesioner reaksi (L1)")
    description = gettext_lazy(
        "Ekspor kuesioner reaksi (mis. Google Forms): satu baris per responden dengan waktu "
        "pengisiannya; kolom pertanyaan dipetakan ke kuesioner yang ada atau menjadi versi "
        "kuesioner baru (skala angka, skala berlabel, isian)."
    )
    fields = (
        imp.Field(
            "timestamp",
            gettext_lazy("Waktu pengisian"),
            aliases=(*FORM_TIMESTAMP, "waktu", "tanggal pengisian"),
            parse=_moment,
        ),
        *PERSON_FIELDS,
        imp.Field(
            "email",
            gettext_lazy("Alamat email (tidak disimpan)"),
            aliases=("email address", "alamat email", "email", "e mail"),
        ),
        # a form's contact questions are personal data, not reactions: never stored, so never
        # shown among the comments of a report
        imp.Field(
            "contact",
            gettext_lazy("Data kontak (tidak disimpan)"),
            aliases=CONTACT_HEADERS,
            many=True,
        ),
        # the respondent's profile (batch, rank, sex, age …): not a reaction, and personal
        # data, so read past like the contact columns
        imp.Field(
            "profile",
            gettext_lazy("Data profil responden (tidak disimpan)"),
            many=True,
            pattern=scales.PROFILE_HEADER,
        ),
        imp.Field(
            "answers",
            gettext_lazy("Jawaban pertanyaan"),
            many=True,
            pattern=ANSWER_PATTERN,
            help=gettext_lazy("Setiap kolom lain adalah satu pertanyaan kuesioner."),
        ),
    )
    sources = (GOOGLE_FORMS, GOOGLE_FORMS_ID)
    options_form = ReactionOptionsForm

    def prepare(self, ctx: imp.Context) -> None:
        programme = self.prepare_programme(ctx)
        rows: list[imp.Row] = ctx.lookups["rows"]
        ctx.lookups["anonymous"] = None
        if (
            programme is not None
            and rows
            and not any(rows[0].columns.get(name) for name in ("nip", "name"))
        ):
            batch = _anonymous_batch(ctx, programme)
            if isinstance(batch, str):
                ctx.file_problems.append(batch)
                return
            ctx.lookups["anonymous"] = batch
            ctx.notes.append(_anonymous_note(batch))
        headers: list[str] = list(rows[0].columns.get("answers") or []) if rows else []
        ctx.lookups["headers"] = headers
        instrument: Instrument | None = None
        ref = str(ctx.options.get("instrument") or "").strip()
        if programme is not None and ref:
            instrument = find_instrument(ctx.instansi, programme.code, ref)
        elif programme is not None and headers:
            instrument = self._built_from(programme, headers)
        ctx.lookups["instrument"] = instrument
        specs: dict[str, scales.ColumnSpec] = {}
        if instrument is not None:
            items = list(instrument.items.order_by("order"))
            ctx.lookups["columns"] = _column_map(items, headers)
        else:
            specs, notes = _column_specs(rows, headers)
            ctx.lookups["columns"] = {}
            if specs:
                ctx.notes.append(_kinds_note(specs))
            ctx.notes.extend(notes)
        ctx.lookups["specs"] = specs
        done: set[int] = set()
        trainers: dict[int, list[int]] = {}
        if programme is not None:
            done = set(
                Response.objects.filter(
                    programme=programme, kind=InstrumentKind.REACTION, phase=""
                ).values_list("subject_id", flat=True)
            )
            for batch_id, trainer_id in Batch.trainers.through.objects.filter(
                batch__programme=programme
            ).values_list("batch_id", "trainer_id"):
                trainers.setdefault(batch_id, []).append(trainer_id)
        ctx.lookups["done"] = done
        ctx.lookups["trainers"] = trainers
        ctx.lookups["trainer_items"] = instrument is not None and any(
            i.section == Section.TRAINER for i in ctx.lookups["columns"].values()
        )
        stored = (
            Response.objects.filter(programme=programme, kind=InstrumentKind.REACTION)
            .exclude(anonymous_key="")
            .values_list("anonymous_key", "submitted_at")
            if ctx.lookups["anonymous"] is not None
            else []
        )
        ctx.lookups["anonymous_keys"] = {key for key, _when in stored}
        ctx.lookups["anonymous_times"] = {_to_the_second(when) for _key, when in stored}

    @staticmethod
    def _built_from(programme: Programme, headers: Sequence[str]) -> Instrument | None:
        """The latest questionnaire version built from exactly these columns (re-imports and
        pending rows land on it instead of a new version)."""
        wanted = {normalise_text(h) for h in headers}
        columns: dict[int, set[str]] = {}
        for inst_id, column in Item.objects.filter(
            instrument__programme=programme, instrument__kind=InstrumentKind.REACTION
        ).values_list("instrument_id", "source_column"):
            columns.setdefault(inst_id, set()).add(normalise_text(column))
        matching = [i for i, cols in columns.items() if cols == wanted]
        if not matching:
            return None
        return Instrument.objects.filter(pk__in=matching).order_by("-version").first()

    def check_row(self, row: imp.Row, ctx: imp.Context) -> None:
        headers: list[str] = ctx.lookups["headers"]
        answers: list[Any] = list(row.values.get("answers") or [])
        instrument: Instrument | None = ctx.lookups["instrument"]
        columns: dict[str, Item] = ctx.lookups["columns"]
        specs: dict[str, scales.ColumnSpec] = ctx.lookups["specs"]
        for n, header in enumerate(headers):
            raw = answers[n] if n < len(answers) else None
            blank = scales.is_blank(raw)
            if instrument is not None:
                item = columns.get(header)
                if item is None:
                    if not blank:
                        _answer_problem(
                            row,
                            header,
                            raw,
                            _(
                                "Kolom ini tidak cocok dengan butir mana pun di {inst}; "
                                "abaikan kolom ini di langkah pemetaan, atau impor tanpa "
                                "memilih kuesioner agar versi baru dibuat dari kolom berkas."
                            ).format(inst=instrument),
                        )
                    continue
                self._check_answer(row, header, raw, blank, item, instrument.scale_max)
            else:
                spec = specs.get(header)
                if spec is None or blank or spec.kind == scales.OPEN:
                    continue
                self._check_level(row, header, raw, spec.kind, spec.scale_max, spec.labels)
        if row.problems:
            return
        if ctx.lookups["anonymous"] is not None:
            _check_anonymous(row, ctx, ctx.lookups["anonymous"])
            return
        person = _match_row(row, ctx)
        if person is None:
            return
        if person.employee_id in ctx.lookups["done"]:
            row.problem(
                "name",
                _("{name} sudah mengisi kuesioner reaksi program ini.").format(name=person.name),
            )
            return
        if (
            ctx.lookups["trainer_items"]
            and len(ctx.lookups["trainers"].get(person.batch_id, [])) != 1
        ):
            row.problem("answers", str(_TRAINER_ITEMS_PROBLEM))

    def _check_answer(
        self, row: imp.Row, header: str, raw: Any, blank: bool, item: Item, scale_max: int
    ) -> None:
        if blank:
            if item.required and item.kind != ItemKind.OPEN:
                _answer_problem(row, header, raw, _("Butir ini wajib dijawab."))
            return
        if item.kind == ItemKind.LIKERT:
            self._check_level(
                row,
                header,
                raw,
                scales.LABELS if item.is_labelled_scale else scales.LIKERT,
                item.top_of_scale(scale_max),
                tuple(item.option_list),
            )
        elif item.kind != ItemKind.OPEN:
            _answer_problem(
                row,
                header,
                raw,
                _("Butir jenis {kind} tidak dapat diimpor ke kuesioner reaksi.").format(
                    kind=item.get_kind_display()
                ),
            )

    @staticmethod
    def _check_level(
        row: imp.Row, header: str, raw: Any, kind: str, top: int, labels: tuple[str, ...]
    ) -> None:
        if kind == scales.LABELS:
            if scales.label_level(labels, raw) is None:
                _answer_problem(
                    row,
                    header,
                    raw,
                    _("Jawaban tidak dikenal pada skala berlabel ini."),
                    tuple(reversed(labels)),
                )
            return
        level = scales.likert_level(raw)
        if level is None or not 1 <= level <= top:
            _answer_problem(
                row,
                header,
                raw,
                _("Jawaban harus angka bulat 1–{top}.").format(top=top),
                tuple(str(n) for n in range(1, top + 1)),
            )

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        programme = self.programme_to_write(ctx)
        headers: list[str] = ctx.lookups["headers"]
        instrument: Instrument | None = ctx.lookups["instrument"]
        created = 0
        if instrument is None:
            specs = ctx.lookups["specs"]
            instrument = do_create_instrument_from_columns(
                programme, headers, [specs[h] for h in headers], actor=ctx.user
            )
            created = len(headers)
            columns = _column_map(list(instrument.items.all()), headers)
            ctx.lookups["instrument"] = instrument
            ctx.lookups["columns"] = columns
        else:
            columns = ctx.lookups["columns"]
        trainers: dict[int, list[int]] = ctx.lookups["trainers"]
        ctx.lookups["trainer_items"] = any(i.section == Section.TRAINER for i in columns.values())
        batch: Batch | None = ctx.lookups.get("anonymous")
        if batch is not None:
            out = {
                gettext_noop("jawaban kuesioner tanpa nama"): self._write_anonymous(
                    rows, ctx, instrument, columns, batch
                )
            }
            if created:
                out[gettext_noop("butir kuesioner baru")] = created
            return out
        entries: list[ResponseInput] = []
        for row in rows:
            person = row.result
            if not isinstance(person, Participant):
                continue
            trainer = trainers[person.batch_id][0] if ctx.lookups["trainer_items"] else None
            entries.append(
                ResponseInput(
                    subject_id=person.employee_id,
                    rater_id=person.employee_id,
                    answers=_answers_of(row, headers, columns, trainer),
                    submitted_at=row.values.get("timestamp") or self._default_time(person, ctx),
                )
            )
        made = do_submit_responses(instrument, entries=entries, actor=ctx.user, imported=True)
        out = {gettext_noop("jawaban kuesioner"): len(made)}
        if created:
            out[gettext_noop("butir kuesioner baru")] = created
        return out

    @staticmethod
    def _write_anonymous(
        rows: list[imp.Row],
        ctx: imp.Context,
        instrument: Instrument,
        columns: Mapping[str, Item],
        batch: Batch,
    ) -> int:
        """Store an anonymous form's answers for its batch; how many."""
        trainers = ctx.lookups["trainers"].get(batch.pk, [])
        trainer = trainers[0] if ctx.lookups["trainer_items"] else None
        default = timezone.make_aware(datetime.combine(batch.end_date, time(15, 0)))
        entries = [
            AnonymousReaction(
                answers=_answers_of(row, ctx.lookups["headers"], columns, trainer),
                submitted_at=row.values.get("timestamp") or default,
                key=row.result.key,
            )
            for row in rows
            if isinstance(row.result, AnonymousRow)
        ]
        made = do_record_anonymous_reactions(
            instrument, batch=batch, entries=entries, actor=ctx.user
        )
        return len(made)

    @staticmethod
    def _default_time(person: Participant, ctx: imp.Context) -> datetime:
        """Without a timestamp column: the last day of the participant's batch, 15:00."""
        ends: dict[int, Any] = ctx.lookups.setdefault("batch_ends", {})
        if person.batch_id not in ends:
            ends.update(
                dict(
                    Batch.objects.filter(programme=ctx.lookups["programme"]).values_list(
                        "id", "end_date"
                    )
                )
            )
        return timezone.make_aware(datetime.combine(ends[person.batch_id], time(15, 0)))


__all__ = [
    "Participants",
    "ReactionImport",
    "ScoresImport",
    "find_instrument",
    "named_test",
    "parse_score",
]

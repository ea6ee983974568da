"""The panitia's attendance list (daftar hadir) of a training that has already happened.

A declaration on the one import engine (``kompeten.core.importing``). The list as panitia write
it: title rows, a header ``NO, NIP, NAMA, UNIT KERJA, TANDA TANGAN, , , KET`` over a second row
``HARI I 24-06-2025 …``, one mark per day (``√``/``H`` present, ``S`` sick, ``I`` leave, blank
absent), a signature block below. NIPs are written with spaces.

Each row names a person by NIP. A NIP that matches no employee (a slip of the pen) is matched by
the name written beside it — titles such as ``S.K.M.`` or ``S.H., M.H.`` stripped, compared
case-insensitively with ``Employee.name`` — when exactly one employee has that name; that is
reported as a warning. Otherwise the row is kept pending (person not found) and completed when
the person exists (e.g. after a later employee import).

Day dates come from the day headers (``HARI I 24-06-2025``); without them, from the batch's days
in order. A day may be split into sittings, a column each (``Senin Pagi``, ``Hari 1 Sesi 2``,
``HARI I`` merged over ``PAGI | SIANG``): :func:`day_layout` groups them by day. The write
creates the programme and its batch when they do not exist yet (a finished batch, one session
per day, or per sitting of a split day), enrols the participants (no invitations) and records
each day's (or sitting's) marks, then evaluates completion with the programme's rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from kompeten.core import formatting
from kompeten.core import importing as imp
from kompeten.core.forms import DateField
from kompeten.core.importing import columns
from kompeten.core.importing.engine import retry_pending
from kompeten.core.importing.values import NipValue, edit_distance, normalise_text, parse_date
from kompeten.core.importing.widgets import DatalistInput
from kompeten.learning.actions.batches import BatchInput, do_create_held_batch, held_days
from kompeten.learning.actions.programmes import ProgrammeInput, do_create_programme
from kompeten.learning.models import Batch, LearningType, Programme
from kompeten.learning.queries import programme_code_options
from kompeten.participation.actions.attendance import rule_for
from kompeten.participation.actions.held import (
    DayMarks,
    do_enrol_held,
    do_record_day_attendance,
    held_refusals,
)
from kompeten.participation.models import Attendance, AttendanceMark, Enrolment
from kompeten.people.imports import offer_full_nips
from kompeten.people.models import Employee

# --- marks --------------------------------------------------------------------------------------

# the ticks, and the letters Wingdings draws as ticks (ü a tick, þ a ticked box) when √ is
# typed through Insert › Symbol in that font: the cell holds the letter
CHECK_SYMBOLS = frozenset("√✓✔☑✅üþ")
# a time of arrival written in the day's cell (07:30, 07.45)
_ARRIVAL = re.compile(r"([01]?\d|2[0-3])[:.][0-5]\d(?:[:.][0-5]\d)?")
MARK_SPELLINGS: dict[str, str] = {
    "h": AttendanceMark.HADIR,
    "hadir": AttendanceMark.HADIR,
    "v": AttendanceMark.HADIR,
    "ada": AttendanceMark.HADIR,
    "1": AttendanceMark.HADIR,
    "s": AttendanceMark.SAKIT,
    "sakit": AttendanceMark.SAKIT,
    "i": AttendanceMark.IZIN,
    "izin": AttendanceMark.IZIN,
    "ijin": AttendanceMark.IZIN,
    "cuti": AttendanceMark.IZIN,
    "dl": AttendanceMark.IZIN,  # dinas luar
    "dinas luar": AttendanceMark.IZIN,
    "a": AttendanceMark.ALPA,
    "alpa": AttendanceMark.ALPA,
    "alpha": AttendanceMark.ALPA,
    "alfa": AttendanceMark.ALPA,
    "tk": AttendanceMark.ALPA,
    "tanpa keterangan": AttendanceMark.ALPA,
    "tidak hadir": AttendanceMark.ALPA,
    "0": AttendanceMark.ALPA,
    "x": AttendanceMark.ALPA,  # a cross beside the ticks
}
ACCEPTED_MARKS = (
    "√", "H", "Hadir", "S", "Sakit", "I", "Izin", "A", "Alpa", "X", "(kosong = alpa)",
)  # fmt: skip


def parse_mark(value: Any, ctx: Any = None) -> str:
    """One day's cell → hadir, sakit, izin or alpa. A tick (√, ✓) is hadir; a dash is alpa.

    (A blank cell never reaches here: the engine gives None, read as alpa by the write.)
    """
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if text and all(ch in CHECK_SYMBOLS for ch in text.replace(" ", "")):
        return AttendanceMark.HADIR
    if isinstance(value, time | datetime) or _ARRIVAL.fullmatch(text):
        return AttendanceMark.HADIR  # the time the participant signed in
    key = normalise_text(text)
    if not key:  # "-", "–", "/"
        return AttendanceMark.ALPA
    if key in MARK_SPELLINGS:
        return MARK_SPELLINGS[key]
    raise imp.FieldError(
        _("Tanda kehadiran {value} tidak dikenal.").format(value=repr(text)),
        accepted=ACCEPTED_MARKS,
    )


# --- names and titles ---------------------------------------------------------------------------

FRONT_TITLES = frozenset(
    {"dr", "drs", "dra", "ir", "h", "hj", "prof", "drg", "apt", "ns", "ners", "kh", "dr ir"}
)
# a trailing degree written without a comma: S.Sos, A.Md.Kep., M.AP, S.E., Ns.
_DEGREE = re.compile(r"^(?:[A-Z][A-Za-z]{0,3}\.(?:[A-Za-z]{1,5}\.?)*|Ns\.?|S\.?\d)$")


def strip_titles(name: str) -> str:
    """'Fadli Anwar, S.K.M.' → 'Fadli Anwar'; 'Dr. Ir. H. Budi S.Sos' → 'Budi'."""
    base = str(name).split(",", 1)[0]
    tokens = base.split()
    while len(tokens) > 1 and normalise_text(tokens[0]) in FRONT_TITLES and "." in tokens[0]:
        tokens.pop(0)
    while len(tokens) > 2 and _DEGREE.match(tokens[-1]):
        tokens.pop()
    return " ".join(tokens)


def name_key(name: str) -> str:
    return normalise_text(strip_titles(name))


SLIP_OF_THE_PEN = 2  # edits: a wrong digit, two swapped digits, a digit left out


def nip_close(written: str, stored: str) -> bool:
    """May ``written`` be a slip of the pen for ``stored``? True when no digits were written (the
    name is the only evidence) or they are at most two edits (Levenshtein) away; a NIP far
    from the named person's is someone else's, or another person of the same name."""
    if not written.isdigit():
        return True
    return edit_distance(written, stored) <= SLIP_OF_THE_PEN


# --- day dates from the headers -----------------------------------------------------------------

_HEADER_DATE = re.compile(
    r"(\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s+\w+\s+\d{4})"
)
# "24/06/25": a day, a month and the year's last two digits, as a short date format writes it
_HEADER_SHORT_YEAR = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{2})(?!\d)")


# "24 Jun", "24 Juni": a day and its month, the year left to the batch's
_HEADER_DAY_MONTH = re.compile(r"(?:^|\s)(\d{1,2})\s+([A-Za-z]{3,})\.?\s*$")
# "24/06": a day and its month in figures, the whole of a day's name (a sitting's column
# "24/06 Pagi" with its sitting taken off), the year left to the batch's
_HEADER_DAY_MONTH_FIGURES = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})\s*$")


def header_date(header: str, year: int | None = None) -> date | None:
    """The date written in a day column's header ('TANDA TANGAN / HARI I 24-06-2025'); a day
    and month alone ('24 Jun', '24/06') in ``year``, the batch's."""
    match = _HEADER_DATE.search(str(header))
    try:
        if match is not None:
            return parse_date(match.group(1))
        if (short_year := _HEADER_SHORT_YEAR.search(str(header))) is not None:
            day, month, yy = short_year.groups()
            return parse_date(f"{day}-{month}-20{yy}")
        short = _HEADER_DAY_MONTH.search(str(header))
        if short is not None and year is not None:
            return parse_date(f"{short.group(1)} {short.group(2)} {year}")
        figures = _HEADER_DAY_MONTH_FIGURES.search(str(header))
        if figures is not None and year is not None:
            return parse_date(f"{figures.group(1)}-{figures.group(2)}-{year}")
    except ValueError:
        return None
    return None


def _header_day(header: str, planned: list[date]) -> date | None:
    """A day column's date; one written without its year ("2 Jan") in the year of the batch's
    day it names (a batch from 30 December to 2 January), else of the batch's first day."""
    years = sorted({d.year for d in planned})
    candidates = [header_date(header, year) for year in years] or [header_date(header)]
    return next((d for d in candidates if d in planned), candidates[0])


_WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")


def _weekday_of(header: str) -> int | None:
    """The weekday a day column's header names (KAMIS, "Hari II (Jum'at)"), 0 = Monday."""
    words = normalise_text(header).replace("jum at", "jumat").split()
    found = [_WEEKDAYS.index(w) for w in words if w in _WEEKDAYS]
    return found[0] if len(found) == 1 else None


def days_by_weekday(headers: list[str], planned: list[date]) -> list[date]:
    """Undated day columns each named by its weekday (KAMIS, JUMAT, SENIN), placed in order on
    the batch's days of those weekdays: [] when a header names none, or a weekday runs out."""
    weekdays = [_weekday_of(h) for h in headers]
    days: list[date] = []
    for weekday in weekdays:
        later = [d for d in planned if (not days or d > days[-1]) and d.weekday() == weekday]
        if weekday is None or not later:
            return []
        days.append(later[0])
    return days


def batch_days(
    batch: Batch | None, start: date | None, end: date | None, at_least: int = 1
) -> list[date]:
    """The days of a batch in order: its sessions' dates, else the days a training from start
    to end was held on when nothing names them (:func:`held_days`: its working days, or enough
    weekdays for ``at_least`` day columns)."""
    if batch is not None:
        days = sorted(
            {timezone.localtime(s).date() for s in batch.sessions.values_list("start", flat=True)}
        )
        if days:
            return days
        start, end = batch.start_date, batch.end_date
    if start is None or end is None:
        return []
    return held_days(start, end, at_least)


# --- options ------------------------------------------------------------------------------------


class TrainingOptionsForm(imp.OptionsForm):
    """Which training the list belongs to: an existing programme (and batch), or a new one."""

    programme = forms.CharField(
        label=gettext_lazy("Kode program"),
        max_length=30,
        help_text=gettext_lazy(
            "Kode program yang sudah ada, atau kode baru (isi juga judul, tanggal dan JP)."
        ),
    )
    batch = forms.ModelChoiceField(
        label=gettext_lazy("Angkatan"),
        queryset=Batch.objects.none(),
        required=False,
        help_text=gettext_lazy("Kosongkan untuk memakai atau membuat angkatan sesuai tanggal."),
    )
    title = forms.CharField(
        label=gettext_lazy("Judul program baru"), max_length=200, required=False
    )
    start = DateField(label=gettext_lazy("Tanggal mulai"), required=False)
    end = DateField(label=gettext_lazy("Tanggal selesai"), required=False)
    jp = forms.DecimalField(
        label=gettext_lazy("Total JP"), required=False, min_value=Decimal("0.01"), max_digits=6
    )
    location = forms.CharField(label=gettext_lazy("Tempat"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].widget = DatalistInput(programme_code_options(self.instansi.pk))
        self.fields["batch"].queryset = Batch.objects.filter(  # type: ignore[attr-defined]
            programme__instansi=self.instansi
        ).select_related("programme")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = (data.get("programme") or "").strip()
        if not code:
            return data
        programme = Programme.objects.filter(instansi=self.instansi, code=code).first()
        batch = data.get("batch")
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
            return data
        if (start or end) and not (start and end):
            self.add_error("end" if start else "start", _("Isi tanggal mulai dan selesai."))
            return data
        if end and end > timezone.localdate():
            self.add_error("end", _("Pelatihan yang sudah terlaksana tidak boleh di masa depan."))
        if programme is None:
            missing = [
                label
                for key, label in (
                    ("title", _("judul")),
                    ("start", _("tanggal mulai")),
                    ("end", _("tanggal selesai")),
                    ("jp", _("JP")),
                )
                if not data.get(key)
            ]
            if missing:
                self.add_error(
                    "programme",
                    _("Program {code} belum ada; untuk membuatnya isi juga: {fields}.").format(
                        code=code, fields=", ".join(missing)
                    ),
                )
            if batch is not None:
                self.add_error(
                    "batch", _("Angkatan itu bukan milik program {code}.").format(code=code)
                )
            return data
        if batch is not None and batch.programme_id != programme.pk:
            self.add_error("batch", _("Angkatan itu bukan milik program {code}.").format(code=code))
        elif batch is None and not start:
            batches = list(programme.batches.all()[:2])
            if len(batches) != 1:
                self.add_error(
                    "batch",
                    _(
                        "Program {code} punya {n} angkatan; pilih angkatannya atau isi tanggal "
                        "pelatihan."
                    ).format(code=code, n=programme.batches.count()),
                )
        return data


@dataclass
class Target:
    """The programme and batch the list belongs to (None: created by the write)."""

    programme: Programme | None
    batch: Batch | None
    start: date | None
    end: date | None


def resolve_target(instansi: Any, options: dict[str, Any]) -> Target:
    """Read-only: the programme and batch named by the options, if they exist yet."""
    code = str(options.get("programme") or "").strip()
    programme = Programme.objects.filter(instansi=instansi, code=code).first()
    start, end = options.get("start"), options.get("end")
    batch = options.get("batch")
    if programme is not None and batch is None:
        batches = programme.batches.all()
        if start and end:
            batch = batches.filter(start_date=start, end_date=end).first()
        elif len(found := list(batches[:2])) == 1:
            batch = found[0]
    return Target(programme=programme, batch=batch, start=start, end=end)


def _jp(value: Any) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError):
        return Decimal("0")


# --- the declaration ----------------------------------------------------------------------------

PANITIA = imp.Source(
    key="panitia",
    label=gettext_lazy("Daftar hadir panitia"),
    signature=("NO", "NIP", "NAMA", "UNIT KERJA", "TANDA TANGAN", "KET"),
)
# A day column is named by a day word (HARI I, Sesi 2, Selasa) or by its date in any order
# the panitia writes it (24-06-2025, 2025-06-24, 24 Juni 2025), read on the normalised header.
_WEEKDAY = r"senin|selasa|rabu|kamis|jum ?at|sabtu|minggu"
_MONTH = r"(jan|feb|mar|apr|mei|may|jun|jul|agu|agt|aug|sep|okt|oct|nov|des|dec)[a-z]*"
# a sitting after a day named by its date alone ("24 Jun Pagi", "24/06 / SIANG", "24/06 / II")
_SITTING_AFTER = r"(?: (?:pagi|siang|sore|malam|sesi (?:\d{1,2}|[ivx]{1,4})|[ivx]{1,4}))?"
DAY_PATTERN = (
    # not TEMPAT / TGL LAHIR beside the name
    r"^(?!.*\b(?:lahir|lhr)\b).*?(?:"
    rf"(^|\s)(hari|hr|day|sesi|tanggal|tgl|{_WEEKDAY})(\s|$)"
    rf"|\b\d{{1,2}} \d{{1,2}} \d{{4}}\b|\b\d{{4}} \d{{1,2}} \d{{1,2}}\b|\b\d{{1,2}} {_MONTH} \d{{4}}\b"
    rf"|(^|\s)\d{{1,2}} {_MONTH}{_SITTING_AFTER}$"  # "24 Jun": the year is the batch's
    r"|\b\d{1,2} \d{1,2} \d{2}$"  # "24/06/25"
    rf"|^\d{{1,2}} \d{{1,2}}{_SITTING_AFTER}$"  # "24/06 Pagi": the year is the batch's
    r"|^(pagi|siang|sore|malam)$"  # a sitting without its day: read, to be refused by name
    r")"
)


# a count of attendance on one day of the list, stored as "day 2 2025-06-25", or at one sitting
# of a day split into sittings, "day 2 2025-06-25 1" (count_label says it)
DAY_KEY = re.compile(r"^day (\d+) (\d{4}-\d{2}-\d{2})(?: (\d+))?$")


def _day_key(number: int, day: date, sitting: int = 0) -> str:
    return f"day {number} {day.isoformat()}" + (f" {sitting}" if sitting else "")


def _attendance_counts(
    days: list[date],
    layout: DayLayout,
    by_day: dict[date, int],
    by_sitting: dict[tuple[date, int], int],
) -> dict[str, int]:
    """The list's attendance counts: per day, and per sitting of a day split into sittings."""
    counts: dict[str, int] = {}
    for number, (day, places) in enumerate(zip(days, layout.columns, strict=True), start=1):
        if len(places) == 1:
            counts[_day_key(number, day)] = by_day.get(day, 0)
            continue
        for sitting in range(len(places)):
            counts[_day_key(number, day, sitting + 1)] = by_sitting.get((day, sitting), 0)
    return counts


def _day_marks(values: list[Any], places: list[int]) -> str | tuple[str, ...]:
    """A row's marks for one day: the day's mark, or its marks per sitting in order."""
    if len(places) == 1:
        return _mark_at(values, places[0])
    return tuple(_mark_at(values, place) for place in places)


# --- sittings: a day's columns split into pagi, siang … ------------------------------------------

# a sitting written in a day column's header: a part of the day, or a numbered session
_SITTING_WORDS = {"pagi": 1, "siang": 2, "sore": 3, "malam": 4}
_SITTING = re.compile(
    r"\b(?:(pagi|siang|sore|malam)|sesi[\s.]*(\d{1,2}|[ivx]{1,4}))\b", re.IGNORECASE
)
# a sitting's number alone under a day's merged cell (HARI I over I | II, or over 1 | 2)
_SITTING_NUMBER = re.compile(r"\d{1,2}|[ivx]{1,4}", re.IGNORECASE)
_ROMAN = dict(
    zip(("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"), range(1, 11), strict=True)
)
# the engine's name for a second column of the same header
_COPY_NUMBER = re.compile(r" \(\d+\)$")
# a day named in particular (HARI I, Hr 2, a weekday), not the word HARI over numbered days
_A_DAY = re.compile(rf"(^|\s)((hari|hr|day|tanggal|tgl) (\d{{1,2}}|[ivx]{{1,4}})|{_WEEKDAY})(\s|$)")


@dataclass(frozen=True)
class DayColumn:
    """A day column's header read: the day it names (``day``: the header without its sitting;
    "" when it names none) and its sitting in that day (``order``: pagi 1, siang 2, sore 3,
    malam 4, sesi n, n under a day; 0 for a column that is the whole day) as written
    (``sitting``)."""

    header: str
    day: str
    order: int = 0
    sitting: str = ""


def _sitting_order(word: str) -> int:
    key = word.lower()
    if key in _SITTING_WORDS:
        return _SITTING_WORDS[key]
    return int(key) if key.isdigit() else _ROMAN.get(key, 0)


def _names_a_day(text: str) -> bool:
    """Whether ``text`` names one day: HARI I, a weekday, a date (a day and month alone read in
    any leap year, 29/02 included)."""
    return bool(_A_DAY.search(normalise_text(text))) or header_date(text, 2024) is not None


def _tidy_day(text: str) -> str:
    """A day's name once its sitting is taken out: empty brackets and dangling separators
    gone ("24-06-2025 ()" → "24-06-2025", "Hari I -" → "Hari I")."""
    text = re.sub(r"\(\s*\)", " ", text)
    return " ".join(text.split()).strip(" ,/-–")


def read_day_column(header: str) -> DayColumn:
    """Which day and which sitting a day column's header names: "Senin Pagi", "Hari I Siang",
    "24/06 Pagi", "Hari 1 Sesi 2", "HARI I / PAGI" (a day merged over its sittings), "HARI I /
    II"; a header naming no sitting ("HARI I 24-06-2025", "Sesi 3") is a whole day."""
    written = _COPY_NUMBER.sub("", header)  # "Hari I Pagi (2)": a second "Hari I Pagi"
    parent, _slash, child = written.rpartition(" / ")
    child = child.strip()
    if parent and _SITTING_NUMBER.fullmatch(child) and _names_a_day(parent):
        order = _sitting_order(child)
        if order:
            return DayColumn(header, parent.strip(), order, child)
    found = list(_SITTING.finditer(written))
    if len(found) != 1:
        return DayColumn(header, header)
    match = found[0]
    order = _sitting_order(match.group(1) or match.group(2))
    if not order:
        return DayColumn(header, header)
    day = _tidy_day(f"{written[: match.start()]} {written[match.end() :]}")
    return DayColumn(header, day, order, normalise_text(match.group(0)))


@dataclass(frozen=True)
class DayLayout:
    """The list's day columns (``headers``) grouped by day: ``labels`` the days as the headers
    name them, in the list's order; per day, ``columns`` the places of its columns among the day
    columns, in sitting order (one for a day not split), and ``sittings`` its sittings as
    written."""

    headers: list[str]
    labels: list[str]
    columns: list[list[int]]
    sittings: list[list[str]]

    @property
    def split(self) -> bool:
        """Whether some day is split into sittings (more than one column)."""
        return any(len(places) > 1 for places in self.columns)


def _whole_days(headers: list[str]) -> DayLayout:
    return DayLayout(
        list(headers), list(headers), [[i] for i in range(len(headers))], [[] for _h in headers]
    )


def _sitting_clash(first: DayColumn, second: DayColumn) -> str:
    """Why two columns of the same day cannot both be read, or ""."""
    if first.order == second.order == 0:
        return _("Kolom {a} dan {b} sama-sama mencatat {day}.").format(
            a=first.header, b=second.header, day=first.day
        )
    if first.order == second.order:
        return _("Kolom {a} dan {b} sama-sama menandai sesi {sitting} pada {day}.").format(
            a=first.header, b=second.header, sitting=first.sitting, day=first.day
        )
    if not (first.order and second.order):
        whole, part = (first, second) if not first.order else (second, first)
        return _(
            "Kolom {a} mencatat {day} sehari penuh, tetapi kolom {b} hanya satu sesinya."
        ).format(a=whole.header, b=part.header, day=whole.day)
    return ""


# at most this many sittings a day numbered under it (HARI I over 1 | 2 | 3)
MOST_NUMBERED_SITTINGS = 4


def _numbers_checked(read: list[DayColumn]) -> list[DayColumn]:
    """The columns read, but numbers under a day that are no sittings: where some day's
    numbers do not run 1, 2 … (at most MOST_NUMBERED_SITTINGS), they are days of the month
    under their weekday (SENIN over 24 and 1, a list of two weeks), so every such column is a
    whole day of its own."""
    numbered: dict[str, list[int]] = {}
    for column in read:
        if column.order and _SITTING_NUMBER.fullmatch(column.sitting):
            numbered.setdefault(normalise_text(column.day), []).append(column.order)
    if all(
        sorted(orders) == list(range(1, len(orders) + 1)) and len(orders) <= MOST_NUMBERED_SITTINGS
        for orders in numbered.values()
    ):
        return read
    return [
        DayColumn(c.header, c.header) if c.order and _SITTING_NUMBER.fullmatch(c.sitting) else c
        for c in read
    ]


def day_layout(headers: list[str]) -> tuple[DayLayout, str]:
    """The list's day columns read by day and sitting, and the problem of a column that cannot
    be placed ("" when none). A list where no column names both a day and its sitting is one
    day per column, as it always was ("Sesi 1", "Sesi 2" are days)."""
    read = _numbers_checked([read_day_column(h) for h in headers])
    split = any(c.order and c.day for c in read)
    for column in read:
        # "Sesi 2" alone is a day, as it always was, unless other columns split their days
        if column.order and not column.day and (split or column.sitting in _SITTING_WORDS):
            return _whole_days(headers), _(
                "Kolom {column}: sesi {sitting} tanpa hari; tulis harinya di judul kolom "
                "(mis. HARI I PAGI) atau di sel gabungan di atas kolom sesinya."
            ).format(column=column.header, sitting=column.sitting)
    if not split:
        return _whole_days(headers), ""
    groups: dict[str, list[int]] = {}
    for place, column in enumerate(read):
        groups.setdefault(normalise_text(column.day), []).append(place)
    columns = [sorted(places, key=lambda p: read[p].order) for places in groups.values()]
    for places in columns:
        for a, b in pairwise(places):
            if clash := _sitting_clash(read[a], read[b]):
                return _whole_days(headers), clash
    return DayLayout(
        headers=list(headers),
        labels=[read[places[0]].day for places in columns],
        columns=columns,
        sittings=[[read[p].sitting for p in places] for places in columns],
    ), ""


def _sitting_problem(layout: DayLayout, days: list[date], batch: Batch | None) -> str:
    """A day split into sittings on an existing batch whose sessions that day are not one per
    sitting (they could not be paired in order), or ""."""
    if batch is None or not layout.split:
        return ""
    held: dict[date, int] = {}
    for start in batch.sessions.values_list("start", flat=True):
        day = timezone.localtime(start).date()
        held[day] = held.get(day, 0) + 1
    for places, day in zip(layout.columns, days, strict=False):
        sessions = held.get(day, 0)
        if len(places) > 1 and sessions and sessions != len(places):
            return _(
                "Kolom {columns}: {k} sesi pada {day}, tetapi angkatan ini punya {n} sesi pada "
                "hari itu; sesi per kolom tidak dapat dipasangkan."
            ).format(
                columns=", ".join(layout.headers[p] for p in places),
                k=len(places),
                day=formatting.day(day),
                n=sessions,
            )
    return ""


def _sittings_note(layout: DayLayout) -> str:
    """How a list of days split into sittings was read, for the user to check on the preview."""
    n = len(layout.labels)
    if all(words == layout.sittings[0] for words in layout.sittings):
        return ngettext(
            "Kolom dibaca sebagai {n} hari, masing-masing {k} sesi ({sittings}).",
            "Kolom dibaca sebagai {n} hari, masing-masing {k} sesi ({sittings}).",
            n,
        ).format(n=n, k=len(layout.sittings[0]), sittings=", ".join(layout.sittings[0]))
    days = ", ".join(
        f"{label} ({', '.join(words) if len(words) > 1 else _('1 sesi')})"
        for label, words in zip(layout.labels, layout.sittings, strict=True)
    )
    return ngettext(
        "Kolom dibaca sebagai {n} hari, {k} sesi: {days}.",
        "Kolom dibaca sebagai {n} hari, {k} sesi: {days}.",
        n,
    ).format(n=n, k=sum(len(places) for places in layout.columns), days=days)


def _list_days(
    headers: list[str], from_headers: list[date | None], planned: list[date], target: Target
) -> list[date]:
    """The day of each of the list's day columns: the dates its headers write, else the
    weekdays they name, else the batch's days in order ([] when there are too few)."""
    if headers and all(from_headers):
        return [d for d in from_headers if d is not None]
    every = planned
    if target.batch is None and target.start and target.end:  # a weekday may be a Saturday
        every = [
            target.start + timedelta(days=k) for k in range((target.end - target.start).days + 1)
        ]
    by_weekday = days_by_weekday(headers, every)
    if by_weekday:
        return by_weekday
    return planned[: len(headers)] if len(planned) >= len(headers) else []


def _stored_attendance_counts(batch: Batch, days: list[date], layout: DayLayout) -> dict[str, int]:
    """The list's attendance counts as the batch holds them: per day, the participants present
    at its sessions; per sitting of a day split into sittings, at that sitting's session."""
    by_day = dict(
        Attendance.objects.filter(enrolment__batch=batch, present=True)
        .values_list("session__start__date")
        .annotate(n=Count("enrolment", distinct=True))
        .values_list("session__start__date", "n")
    )
    by_session = dict(
        Attendance.objects.filter(enrolment__batch=batch, present=True)
        .values_list("session_id")
        .annotate(n=Count("id"))
        .values_list("session_id", "n")
    )
    by_sitting: dict[tuple[date, int], int] = {}
    sittings: dict[date, int] = {}
    for session_id, start in batch.sessions.order_by("start").values_list("id", "start"):
        day = timezone.localtime(start).date()
        sittings[day] = sittings.get(day, -1) + 1
        by_sitting[day, sittings[day]] = by_session.get(session_id, 0)
    return _attendance_counts(days, layout, by_day, by_sitting)


AWAITING_POSTTEST = gettext_noop("hadir cukup, menunggu nilai post-test")


def _awaiting_posttest(batch: Batch) -> dict[str, int]:
    """How many of the batch attended enough but wait for their post-test to complete (the
    programme's rule asks for it), so that "selesai: 0" after an attendance list says why; {}
    when none do."""
    rule = rule_for(batch.programme_id)
    if not rule.requires_posttest:
        return {}
    waiting = Enrolment.objects.filter(
        batch=batch,
        completed_at__isnull=True,
        posttest_done_at__isnull=True,
        attendance_pct__gte=rule.min_attendance_pct,
    ).count()
    return {AWAITING_POSTTEST: waiting} if waiting else {}


def _mark_at(values: list[Any], place: int) -> str:
    """The mark of the day column at ``place`` among a row's day columns (blank: alpa)."""
    return values[place] if place < len(values) and values[place] else AttendanceMark.ALPA


def _days_read_note(headers: list[str], days: list[date]) -> str:
    """What each undated day column was read as, for the user to check on the preview."""
    return _("Judul kolom hari tidak bertanggal; dibaca sebagai: {days}.").format(
        days=", ".join(
            f"{header} = {formatting.day(day)}" for header, day in zip(headers, days, strict=False)
        )
    )


class TrainingImport(imp.Declaration):
    key = "training"
    label = gettext_lazy("Daftar hadir pelatihan (sudah terlaksana)")
    description = gettext_lazy(
        "Daftar hadir panitia: peserta didaftarkan tanpa undangan, kehadiran per hari dicatat."
    )
    fields = (
        columns.nip_column(("nip baru", "nip peserta", "nomor induk pegawai", "nip nrp")),
        imp.Field(
            "name",
            gettext_lazy("Nama"),
            aliases=("nama", "nama peserta", "nama lengkap", "nama pegawai", "nama gelar"),
            required=True,
        ),
        imp.Field(
            "unit",
            gettext_lazy("Unit kerja"),
            aliases=("unit kerja", "opd", "instansi", "satuan kerja", "unor", "asal instansi"),
        ),
        imp.Field(
            "days",
            gettext_lazy("Kehadiran per hari"),
            many=True,
            pattern=DAY_PATTERN,
            parse=parse_mark,
            help=gettext_lazy("Satu kolom per hari: √/H hadir, S sakit, I izin, kosong alpa."),
        ),
        imp.Field("note", gettext_lazy("Keterangan"), aliases=("ket", "keterangan", "catatan")),
    )
    sources = (PANITIA,)
    options_form = TrainingOptionsForm

    def prepare(self, ctx: imp.Context) -> None:
        rows: list[imp.Row] = ctx.lookups["rows"]
        if not rows:
            return  # every row has its own problem; the day columns are read from clean rows
        target = resolve_target(ctx.instansi, ctx.options)
        ctx.lookups["target"] = target
        day_problem = self._read_days(list(rows[0].columns.get("days") or []), target, ctx)
        if day_problem:
            ctx.file_problems.append(day_problem)
            return
        # people: by NIP, by the 15 digits Excel kept, then by name
        nips = [r.values["nip"] for r in rows if isinstance(r.values.get("nip"), NipValue)]
        exact = {n.digits for n in nips if n.ok}
        prefixes = {n.prefix for n in nips if n.status == "damaged"}
        query = Employee.objects.filter(instansi=ctx.instansi, nip__in=exact)
        people = {
            e.nip: e
            for e in query.only("id", "nip", "name", "instansi_id", "is_active", "end_date")
        }
        if prefixes:
            condition = Q(pk__in=[])
            for prefix in prefixes:
                condition |= Q(nip__startswith=prefix)
            for e in Employee.objects.filter(condition, instansi=ctx.instansi):
                people[e.nip] = e
        ctx.lookups["by_nip"] = people
        unmatched = {
            name_key(r.values.get("name") or "")
            for r in rows
            if not (isinstance(r.values.get("nip"), NipValue) and r.values["nip"].digits in people)
        }
        unmatched.discard("")
        by_name: dict[str, list[Employee]] = {}
        if unmatched:
            condition = Q(pk__in=[])
            for key in unmatched:
                condition |= Q(name__iexact=key)
            for e in Employee.objects.filter(condition, instansi=ctx.instansi):
                by_name.setdefault(name_key(e.name), []).append(e)
        ctx.lookups["by_name"] = by_name
        candidates = {e.pk: e for e in people.values()}
        candidates.update({e.pk: e for found in by_name.values() for e in found})
        ctx.lookups["refusals"] = (
            held_refusals(target.batch, list(candidates.values()))
            if target.batch is not None
            else {}
        )
        ctx.lookups["seen"] = {}

    def _read_days(self, headers: list[str], target: Target, ctx: imp.Context) -> str:
        """The date of each of the list's days (``days``) and, per day, its columns in
        sitting order (``layout``), in ``ctx.lookups``; the file's problem, or "". The notes
        say how undated or split columns were read."""
        layout, problem = day_layout(headers)
        ctx.lookups["layout"] = layout
        ctx.lookups["days"] = []
        if problem:
            return problem
        labels = layout.labels
        planned = batch_days(target.batch, target.start, target.end, len(labels))
        from_headers = [_header_day(h, planned) for h in labels]
        days = _list_days(labels, from_headers, planned, target)
        ctx.lookups["days"] = days
        if days and not all(from_headers):
            ctx.notes.append(_days_read_note(labels, days))
        if layout.split:
            ctx.notes.append(_sittings_note(layout))
        problem = self._day_problem(labels, from_headers, days, planned, target)
        return problem or _sitting_problem(layout, days, target.batch)

    def _day_problem(
        self,
        headers: list[str],
        from_headers: list[date | None],
        days: list[date],
        planned: list[date],
        target: Target,
    ) -> str:
        if not headers:
            return _("Tidak ada kolom kehadiran per hari (mis. HARI I, HARI II).")
        if not days:
            return _(
                "Tanggal hari tidak tertulis di judul kolom dan angkatan hanya punya {n} hari "
                "untuk {k} kolom hari; isi tanggal pelatihan."
            ).format(n=len(planned), k=len(headers))
        if len(set(days)) != len(days):
            return _("Dua kolom hari bertanggal sama.")
        start = target.batch.start_date if target.batch is not None else target.start
        end = target.batch.end_date if target.batch is not None else target.end
        if start and end and any(d < start or d > end for d in days):
            return _(
                "Tanggal di judul kolom ({days}) di luar tanggal angkatan ({start} s.d. {end})."
            ).format(
                days=", ".join(d.strftime("%d-%m-%Y") for d in days),
                start=start.strftime("%d-%m-%Y"),
                end=end.strftime("%d-%m-%Y"),
            )
        if any(d > timezone.localdate() for d in days):
            return _(
                "Tanggal hari pelatihan belum terjadi; yang diimpor hanya pelatihan yang sudah terlaksana."
            )
        return ""

    def check_row(self, row: imp.Row, ctx: imp.Context) -> None:
        nip = row.values.get("nip")
        written = str(row.values.get("name") or "").strip()
        employee = None
        if isinstance(nip, NipValue) and nip.digits:
            if nip.ok:
                employee = ctx.lookups["by_nip"].get(nip.digits)
            elif nip.status == "damaged":
                hits = [e for n, e in ctx.lookups["by_nip"].items() if n.startswith(nip.prefix)]
                employee = hits[0] if len(hits) == 1 else None
        if employee is None:
            candidates = ctx.lookups["by_name"].get(name_key(written), [])
            shown = nip.digits if isinstance(nip, NipValue) and nip.digits else "—"
            if len(candidates) == 1 and not nip_close(shown, candidates[0].nip):
                row.pending(
                    "person_unknown",
                    _(
                        "NIP {nip} tidak ditemukan; pegawai bernama {name} ber-NIP {found}, "
                        "terlalu berbeda untuk salah tulis. Periksa NIP-nya."
                    ).format(nip=shown, name=candidates[0].name, found=candidates[0].nip),
                )
                return
            if len(candidates) == 1:
                employee = candidates[0]
                row.warn(
                    _(
                        "NIP {nip} tidak ditemukan; dicocokkan dengan nama {name} (NIP {found})."
                    ).format(nip=shown, name=employee.name, found=employee.nip)
                )
            elif len(candidates) > 1:
                row.pending(
                    "person_unknown",
                    _(
                        "NIP {nip} tidak ditemukan dan nama {name} dimiliki {n} pegawai; "
                        "perbaiki NIP-nya."
                    ).format(nip=shown, name=written, n=len(candidates)),
                )
                return
            elif isinstance(nip, NipValue) and nip.status == "damaged":
                # both this list's NIP and (often) the SIASN row's lost their last digits
                row.pending(
                    "person_unknown",
                    _(
                        "Pegawai dengan NIP {nip} atau nama {name} tidak ditemukan, dan NIP di "
                        "berkas ini pun rusak oleh Excel (hanya {kept} digit pertamanya yang "
                        "tersisa): format kolom NIP sebagai Teks lalu ketik ulang NIP-nya, atau "
                        "impor dulu data pegawainya."
                    ).format(nip=shown, name=written, kept=nip.kept),
                )
                return
            else:
                row.pending(
                    "person_unknown",
                    _("Pegawai dengan NIP {nip} atau nama {name} tidak ditemukan.").format(
                        nip=shown, name=written
                    ),
                )
                return
        refusal = ctx.lookups["refusals"].get(employee.pk)
        start = ctx.lookups["target"].start
        inactive_before = not employee.is_active and (
            employee.end_date is None or (start is not None and employee.end_date < start)
        )
        if refusal is None and inactive_before:
            refusal = _("{name} ({nip}): sudah tidak aktif sebelum pelatihan dimulai.").format(
                name=employee.name, nip=employee.nip
            )
        if refusal is not None:
            row.problem("nip", refusal)
            return
        first = ctx.lookups["seen"].setdefault(employee.pk, row.number)
        if first != row.number:
            row.problem(
                "nip",
                _("{name} sudah tercantum di baris {first}.").format(
                    name=employee.name, first=first
                ),
            )
            return
        row.result = employee

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        completed = self._offer_full_nips(ctx)
        target = resolve_target(ctx.instansi, ctx.options)
        # a new batch holds the whole list, rows kept pending included (they join it later)
        days: list[date] = ctx.lookups["days"]
        layout: DayLayout = ctx.lookups["layout"]
        batch = target.batch or self._create_batch(
            target,
            ctx,
            len(ctx.lookups["rows"]),
            {day: len(places) for day, places in zip(days, layout.columns, strict=True)},
        )
        employees = [row.result for row in rows]
        before = set(
            Enrolment.objects.filter(batch=batch, employee__in=employees).values_list(
                "employee_id", flat=True
            )
        )
        ctx.lookups["enrolled_before"] = set(
            Enrolment.objects.filter(batch=batch).values_list("employee_id", flat=True)
        )
        do_enrol_held(batch, employees, ctx.user)
        marks: dict[Employee, dict[date, DayMarks]] = {}
        for row in rows:
            values = list(row.values.get("days") or [])
            marks[row.result] = {
                day: _day_marks(values, layout.columns[number]) for number, day in enumerate(days)
            }
        result = do_record_day_attendance(batch, marks, ctx.user)
        ctx.lookups["batch"] = batch
        counts = {
            gettext_noop("peserta baru"): len([e for e in employees if e.pk not in before]),
            gettext_noop("dicocokkan lewat nama"): sum(len(r.warnings) for r in rows),
            gettext_noop("selesai"): result.completed,
            **_awaiting_posttest(batch),
        }
        if completed:
            counts[gettext_noop("pegawai dilengkapi NIP-nya")] = completed
        counts.update(
            _attendance_counts(days, layout, result.present_by_day, result.present_by_sitting)
        )
        return counts

    def count_label(self, key: str) -> str:
        """A day's (or a sitting's) attendance count by the day's number and date, and the
        sitting's number, in the reader's language."""
        day = DAY_KEY.match(key)
        if day is None:
            return super().count_label(key)
        when = formatting.day(date.fromisoformat(day[2]))
        if day[3]:
            return _("hadir hari {n} ({day}), sesi {k}").format(n=day[1], day=when, k=day[3])
        return _("hadir hari {n} ({day})").format(n=day[1], day=when)

    def recount(self, written: dict[str, int], ctx: imp.Context) -> dict[str, int]:
        """Once the list's rows of people whose NIP Excel had damaged are written too: the
        new participants and each day's attendance are the batch's, those rows included."""
        batch: Batch | None = ctx.lookups.get("batch")
        if batch is None:
            return written
        enrolled = set(Enrolment.objects.filter(batch=batch).values_list("employee_id", flat=True))
        counts = dict(written)
        counts[gettext_noop("peserta baru")] = len(
            enrolled - ctx.lookups.get("enrolled_before", set())
        )
        counts.update(_stored_attendance_counts(batch, ctx.lookups["days"], ctx.lookups["layout"]))
        counts.update(_awaiting_posttest(batch))
        return counts

    def _offer_full_nips(self, ctx: imp.Context) -> int:
        """The list's full NIPs beside the names of people not found: they complete employee
        rows Excel damaged (kept pending by the employee import). This list's rows for those
        people are retried once the import is committed."""
        pairs = [
            (strip_titles(str(row.values.get("name") or "")), row.values["nip"].digits)
            for row in ctx.lookups.get("rows", [])
            if row.pending_reason == "person_unknown"
            and isinstance(row.values.get("nip"), NipValue)
            and row.values["nip"].ok
        ]
        if not pairs:
            return 0
        completed = offer_full_nips(ctx.instansi, pairs, ctx.user)
        if completed:
            instansi, user = ctx.instansi, ctx.user
            transaction.on_commit(lambda: retry_pending(instansi, user, key=TrainingImport.key))
        return completed

    def _create_batch(
        self, target: Target, ctx: imp.Context, n_rows: int, days: dict[date, int]
    ) -> Batch:
        """The held batch of the list's days (and the programme, when new), one session per
        sitting of each day (``days``: a day's number of sittings)."""
        options = ctx.options
        programme = target.programme
        if programme is None:
            programme = do_create_programme(
                instansi=ctx.instansi,
                data=ProgrammeInput(
                    code=str(options["programme"]).strip(),
                    title=str(options.get("title") or "").strip(),
                    learning_type=LearningType.PELATIHAN,
                    total_jp=_jp(options.get("jp")),
                    year=target.start.year if target.start else None,
                ),
                actor=ctx.user,
            )
        if target.start is None or target.end is None:
            raise ValidationError(_("Isi tanggal mulai dan selesai pelatihan."))
        number = programme.batches.count() + 1
        return do_create_held_batch(
            programme,
            data=BatchInput(
                code=f"{programme.code}-{number}",
                name=_("Angkatan {n}").format(n=number),
                capacity=max(1, n_rows),
                start_date=target.start,
                end_date=target.end,
                location=str(options.get("location") or "").strip() or _("Tidak tercatat"),
            ),
            actor=ctx.user,
            days=list(days),
            sittings=days,
        )


__all__ = ["TrainingImport", "header_date", "parse_mark", "strip_titles"]

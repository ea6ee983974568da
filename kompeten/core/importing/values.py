"""Values as source systems write them: dates, numbers, NIPs, names. Pure: no Django.

Every parser accepts the cell as the reader gives it (str, float, int, datetime, None) and raises
``ValueError`` for a value it cannot read; the engine turns that into a row problem.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from zoneinfo import ZoneInfo

from kompeten.core.moments import in_supported_years
from kompeten.standards.local_time import JAKARTA

EXCEL_EPOCH = datetime(1899, 12, 30)
DEFAULT_TIME = time(8, 0)

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nop": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip
DAY_NAMES = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu", "ahad")


# what exports write in a cell that has nothing: LAPOR!'s "Tanggal Selesai" of an open
# complaint, a recap's empty score
BLANK_MARKS = frozenset({"-", "–", "—", "--"})


def is_blank(value: Any) -> bool:
    """An empty cell: None, white space, or a lone dash (:data:`BLANK_MARKS`)."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    return not text or text in BLANK_MARKS


def normalise_text(value: Any) -> str:
    """Casefold, strip accents, punctuation to spaces, spaces collapsed ('  Tgl. Lahir ' →
    'tgl lahir')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if text.isascii():
        # The same result without the Unicode steps (ASCII has no accents and folds as lower
        # case); a 100,000-row file passes millions of cells through here. Runs of other
        # characters become one space, so stripping the ends collapses the spaces.
        return _NOT_ALNUM.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


# --- dates --------------------------------------------------------------------------------

_GMT = re.compile(r"\s*(?:GMT|UTC|WIB)\s*([+-]\d{1,2})?(?::?(\d{2}))?\s*$", re.IGNORECASE)
_AMPM = re.compile(r"\s*([AaPp])\.?\s*[Mm]\.?\s*$")
_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2,4})$")
_YMD = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:\.\d+)?)?$")
_WORDS = re.compile(r"^(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})$")


# A column of dates written month first (US regional settings: 4/15/2025), while it is read
_MONTH_FIRST: ContextVar[bool] = ContextVar("month_first", default=False)
_SLASHED = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/\d{2,4}(?:\s|$)")


def slashed_order(cells: Iterable[Any]) -> str:
    """How a column's slashed dates (``d/d/yyyy``) are ordered: "day" when some cell can be
    read only day first (its first number past 12), else "month" when some can be read only
    month first, as Excel and Google Sheets write them under US settings (``4/15/2025 10:31
    PM``); "either" when every one reads both ways, "" when the column has none. A day-first
    column of real dates has days past 12, and a single slip among them does not turn it."""
    order = ""
    for text in {c for c in cells if c.__class__ is str}:
        m = _SLASHED.match(text)
        if m is None:
            continue
        first, second = int(m.group(1)), int(m.group(2))
        if first > 12 >= second:
            return "day"
        if second > 12 >= first:
            order = "month"
        elif not order:
            order = "either"
    return order


def month_first_column(cells: Iterable[Any]) -> bool:
    """Is a column of slashed dates plainly written month first (see :func:`slashed_order`)?"""
    return slashed_order(cells) == "month"


@contextmanager
def reading_month_first(on: bool) -> Iterator[None]:
    """Read ``d/m/y`` dates as ``m/d/y`` meanwhile (one column, see :func:`month_first_column`)."""
    token = _MONTH_FIRST.set(on)
    try:
        yield
    finally:
        _MONTH_FIRST.reset(token)


def _excel_serial(number: float) -> datetime:
    if not 1 <= number < 2_958_466:  # 1900-01-01 … 9999-12-31
        raise ValueError(number)
    return EXCEL_EPOCH + timedelta(days=float(number))


def _year(text: str) -> int:
    """A year as written: two digits are this century (25 → 2025); four are as they stand
    (0025 is year 25, refused later, not 2025)."""
    y = int(text)
    return y + 2000 if len(text) <= 2 else y


def _split(text: str) -> tuple[date, time | None, timezone | ZoneInfo]:
    """A date part, an optional time part and a zone from a text cell."""
    zone: timezone | ZoneInfo = JAKARTA
    m = _GMT.search(text)
    if m:
        if m.group(1) is not None:
            hours = int(m.group(1))
            minutes = int(m.group(2) or 0) * (1 if hours >= 0 else -1)
            zone = timezone(timedelta(hours=hours, minutes=minutes))
        text = text[: m.start()]
    pm: bool | None = None
    m = _AMPM.search(text)
    if m:
        pm = m.group(1).lower() == "p"
        text = text[: m.start()]
    text = text.strip().replace("T", " ", 1) if re.match(r"^\d{4}-", text) else text.strip()
    norm = normalise_text(text)
    for day in DAY_NAMES:
        if norm.startswith(day + " "):
            text = text.split(None, 1)[1].lstrip(", ")
            break
    parts = text.split()
    time_part: time | None = None
    if len(parts) >= 2 and _TIME.match(parts[-1]):
        tm = _TIME.match(parts[-1])
        assert tm is not None
        hour, minute, second = int(tm.group(1)), int(tm.group(2)), int(tm.group(3) or 0)
        if pm is not None:
            hour = hour % 12 + (12 if pm else 0)
        time_part = time(hour, minute, second)
        parts = parts[:-1]
        if parts and parts[-1].lower() in ("pukul", "jam", "at"):
            parts = parts[:-1]
    return _day(" ".join(parts).rstrip(",")), time_part, zone


def _day(text: str) -> date:
    """The date part: ``yyyy-mm-dd``, ``dd/mm/yyyy`` (``mm/dd/yyyy`` in a month-first column)
    or ``24 Juni 2025``."""
    m = _YMD.match(text)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DMY.match(text)
    if m:
        day, month = int(m.group(1)), int(m.group(2))
        if _MONTH_FIRST.get():
            day, month = month, day
        return date(_year(m.group(3)), month, day)
    m = _WORDS.match(normalise_text(text))
    if m and m.group(2) in MONTHS:
        return date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
    raise ValueError(text)


def parse_moment(value: Any, default_time: time = DEFAULT_TIME) -> datetime:
    """A date or date-time cell as an aware Asia/Jakarta datetime (a date alone = 08:00).

    Accepts datetime/date objects, Excel serials (45834.6), ``2025/06/26 2:31:00 PM GMT+7``
    (Google Forms), ``dd/mm/yyyy HH:MM``, ``dd-mm-yyyy``, ``yyyy-mm-dd[ HH:MM[:SS]]``, ISO 8601
    and Indonesian month names (``24 Juni 2025``, ``Selasa, 24 Juni 2025 10.00``). A moment
    outside the supported years (core.moments) is refused, a ValueError as any unreadable cell.
    """
    try:
        moment = _moment(value, default_time)
    except OverflowError:  # an offset that pushes year 1 or 9999 past the calendar
        raise ValueError(value) from None
    if not in_supported_years(moment):
        raise ValueError(value)
    return moment


def _moment(value: Any, default_time: time) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(JAKARTA) if value.tzinfo else value.replace(tzinfo=JAKARTA)
    if isinstance(value, date):
        return datetime.combine(value, default_time, tzinfo=JAKARTA)
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    if isinstance(value, int | float):
        return _excel_serial(float(value)).replace(tzinfo=JAKARTA)
    text = str(value).strip()
    if not text:
        raise ValueError(value)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _excel_serial(float(text)).replace(tzinfo=JAKARTA)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.combine(date.fromisoformat(text), default_time, tzinfo=JAKARTA)
    try:
        parsed = datetime.fromisoformat(text)
        return parsed.astimezone(JAKARTA) if parsed.tzinfo else parsed.replace(tzinfo=JAKARTA)
    except ValueError:
        pass
    day, moment, zone = _split(text)
    aware = datetime.combine(day, moment or default_time, tzinfo=zone)
    return aware.astimezone(JAKARTA)


def parse_date(value: Any) -> date | None:
    """A date cell (None for a blank cell); same spellings as :func:`parse_moment`."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.astimezone(JAKARTA).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    return parse_moment(value).date()


# --- numbers ------------------------------------------------------------------------------


def parse_number(value: Any) -> Decimal | None:
    """A number cell (None for blank): 3, 3.25, '3,25', '1.234,5', '1,234.5', '85 %'."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(value)
        return Decimal(repr(value))
    text = str(value).strip().replace(" ", "").replace("\u00a0", "").rstrip("%")
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


# --- NIP ----------------------------------------------------------------------------------

NIP_LENGTH = 18
EXCEL_DIGITS = 15
# a damaged NIP is matched to a full one by its first digits and the name only while those
# digits hold at least the birth date (digits 1–8)
NIP_BIRTH_DIGITS = 8


@dataclass(frozen=True)
class NipValue:
    """A NIP as read: ``status`` "ok" (18 digits), "damaged" (Excel kept only 15 significant
    digits, or fewer where the cell was saved as displayed, 1,98109E+17) or "invalid";
    ``digits`` what was read, ``kept`` how many of a damaged NIP's first digits are real."""

    digits: str
    status: Literal["ok", "damaged", "invalid", "blank"]
    message: str = ""
    kept: int = EXCEL_DIGITS

    @property
    def prefix(self) -> str:
        """The digits that can be trusted to match a full NIP later (at most 15 for a damaged
        one)."""
        if self.status == "damaged":
            return self.digits[: self.kept]
        return self.digits

    @property
    def ok(self) -> bool:
        return self.status == "ok"


DAMAGED_MESSAGE = (
    "NIP tersimpan sebagai angka oleh Excel sehingga {lost} digit terakhirnya hilang "
    "({shown}); format kolom NIP sebagai Teks lalu ketik ulang, atau biarkan tertunda sampai "
    "berkas lain memuat NIP lengkapnya."
)


# "NIP. 19690904 199601 1 001", "NIP: …" as a letter or a signature block writes it
_NIP_PREFIX = re.compile(r"^nip\s*[.:]?\s*", re.IGNORECASE)


def parse_nip(value: Any) -> NipValue:
    """Read a NIP cell: spaces, dots, a leading ``'`` or ``NIP.`` and full-width digits are
    fine; a float (1.98109172013011e+17) or a number with trailing zeros where Excel dropped
    digits is "damaged"."""
    if is_blank(value):
        return NipValue("", "blank", "NIP kosong.")
    if isinstance(value, bool):
        return NipValue(str(value), "invalid", "NIP harus 18 digit angka.")
    if isinstance(value, float | int):
        return _numeric_nip(value)
    text = str(value).strip().lstrip("'").strip()
    if len(text) == NIP_LENGTH and text.isascii() and text.isdigit() and not text.endswith("000"):
        return NipValue(text, "ok")  # the usual cell, as the general path below reads it
    written = text
    # full-width digits (１９６９…) as ASCII; "NIP." in front dropped
    text = _NIP_PREFIX.sub("", unicodedata.normalize("NFKC", text))
    compact = re.sub(r"[\s.\-]", "", text)
    sci = _SCIENTIFIC.fullmatch(compact) or _SCIENTIFIC.fullmatch(text.replace(" ", ""))
    if sci:
        return _scientific_nip(text, sci)
    if not (compact.isascii() and compact.isdigit()):
        return NipValue(compact, "invalid", f"NIP {written!r} harus berupa angka.")
    if len(compact) == NIP_LENGTH and compact.endswith("000"):
        # no NIP's serial is 000: Excel's 15 digits written out whole (a number cell formatted
        # "0" and saved as CSV, or a damaged NIP shown in full and saved again)
        return NipValue(compact, "damaged", DAMAGED_MESSAGE.format(lost=3, shown=text))
    if len(compact) == NIP_LENGTH:
        return NipValue(compact, "ok")
    return NipValue(
        compact, "invalid", f"NIP {compact} terdiri dari {len(compact)} digit; harus 18 digit."
    )


_SCIENTIFIC = re.compile(r"(\d)[.,](\d+)[eE]\+?(\d+)")


def _numeric_nip(value: float | int) -> NipValue:
    digits = str(int(value))
    if len(digits) != NIP_LENGTH:
        return NipValue(digits, "invalid", f"NIP {digits} tidak 18 digit.")
    if isinstance(value, float):
        # Excel keeps 15 significant digits of a number: the last three are lost
        kept = f"{value:.14e}".split("e")[0].replace(".", "")
        return NipValue(
            kept + "000", "damaged", DAMAGED_MESSAGE.format(lost=3, shown=f"{value:.14e}")
        )
    if digits.endswith("000"):
        # a NIP's last three digits are a serial from 001: as a whole number ending in 000 it is
        # Excel's float come back as an integer (PostgreSQL's jsonb keeps 1.98109172013011e+17
        # as 198109172013011000), so just as damaged
        return NipValue(digits, "damaged", DAMAGED_MESSAGE.format(lost=3, shown=digits))
    return NipValue(digits, "ok")


def _scientific_nip(text: str, sci: re.Match[str]) -> NipValue:
    """A NIP cell saved as Excel displays a number (1,98109172013011E+17, or 1,98109E+17 in a
    narrow column): as many digits are real as the text shows, at most 15."""
    mantissa = sci.group(1) + sci.group(2)
    exponent = int(sci.group(3))
    digits = (mantissa + "0" * (exponent + 1 - len(mantissa)))[: exponent + 1]
    if len(digits) != NIP_LENGTH:
        return NipValue(digits, "invalid", f"NIP {text} tidak dapat dibaca.")
    real = min(len(mantissa), EXCEL_DIGITS)
    if real < NIP_BIRTH_DIGITS:
        return NipValue(
            digits,
            "invalid",
            f"NIP tertulis sebagai angka ilmiah ({text}): hanya {real} digit pertamanya yang "
            "tersisa, terlalu sedikit untuk mencocokkan pegawai. Format kolom NIP sebagai Teks "
            "lalu ketik ulang NIP-nya.",
        )
    return NipValue(
        digits, "damaged", DAMAGED_MESSAGE.format(lost=NIP_LENGTH - real, shown=text), kept=real
    )


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions): how far a written NIP is
    from a stored one (a slip of the pen is one or two edits)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# --- unit names ---------------------------------------------------------------------------

UNIT_ABBREVIATIONS: dict[str, str] = {
    "disdukcapil": "dinas kependudukan dan pencatatan sipil",
    "dukcapil": "dinas kependudukan dan pencatatan sipil",
    "dpmptsp": "dinas penanaman modal dan pelayanan terpadu satu pintu",
    "dpmpt": "dinas penanaman modal dan pelayanan terpadu satu pintu",
    "pmptsp": "penanaman modal dan pelayanan terpadu satu pintu",
    "ptsp": "pelayanan terpadu satu pintu",
    "satpol pp": "satuan polisi pamong praja",
    "satpolpp": "satuan polisi pamong praja",
    "bappeda": "badan perencanaan pembangunan daerah",
    "bapelitbangda": "badan perencanaan penelitian dan pengembangan daerah",
    "bkpsdm": "badan kepegawaian dan pengembangan sumber daya manusia",
    "bkpsdmd": "badan kepegawaian dan pengembangan sumber daya manusia daerah",
    "bkd": "badan kepegawaian daerah",
    "bpbd": "badan penanggulangan bencana daerah",
    "bpkad": "badan pengelolaan keuangan dan aset daerah",
    "bapenda": "badan pendapatan daerah",
    "kesbangpol": "badan kesatuan bangsa dan politik",
    "dinkes": "dinas kesehatan",
    "disdik": "dinas pendidikan",
    "disdikbud": "dinas pendidikan dan kebudayaan",
    "dlh": "dinas lingkungan hidup",
    "dishub": "dinas perhubungan",
    "pupr": "dinas pekerjaan umum dan penataan ruang",
    "dpupr": "dinas pekerjaan umum dan penataan ruang",
    "dinas pupr": "dinas pekerjaan umum dan penataan ruang",
    "diskominfo": "dinas komunikasi dan informatika",
    "kominfo": "dinas komunikasi dan informatika",
    "dinsos": "dinas sosial",
    "disnaker": "dinas tenaga kerja",
    "disparbud": "dinas pariwisata dan kebudayaan",
    "dispar": "dinas pariwisata",
    "disperindag": "dinas perindustrian dan perdagangan",
    "dpkp": "dinas perumahan dan kawasan permukiman",
    "dp3a": "dinas pemberdayaan perempuan dan perlindungan anak",
    "dppkb": "dinas pengendalian penduduk dan keluarga berencana",
    "dispora": "dinas pemuda dan olahraga",
    "setda": "sekretariat daerah",
    "sekda": "sekretariat daerah",
    "setwan": "sekretariat dewan perwakilan rakyat daerah",
    "sekretariat dprd": "sekretariat dewan perwakilan rakyat daerah",
    "rsud": "rumah sakit umum daerah",
    "puskesmas": "pusat kesehatan masyarakat",
    "kec": "kecamatan",
    "kel": "kelurahan",
    "uptd": "unit pelaksana teknis daerah",
    "inspektorat daerah": "inspektorat",
}
_PREFIX_NOISE = re.compile(
    r"^(?:pemerintah|pemkot|pemkab|pemprov)\s+(?:kota|kabupaten|kab|provinsi|prov)\s+\S+(?:\s+\S+)?\s*[-,]?\s*"
)
_SUFFIX = re.compile(
    r"\s+(?:pemerintah\s+)?(?:kota|kabupaten|kab|provinsi|prov|pemkot|pemkab|pemprov)\s+[a-z]+(?:\s+[a-z]+)?$"
)


def normalise_unit_name(value: Any, instansi_name: str | None = None) -> str:
    """A unit name as a comparable key: 'Dinas Kependudukan dan Pencatatan Sipil Kota
    Sawahlunto', 'DISDUKCAPIL' and 'Disdukcapil Kota Sawahlunto' all give 'dinas kependudukan
    dan pencatatan sipil'. The instansi's own name (and "Kota X"/"Kabupaten X"/"Pemerintah …")
    is dropped; common abbreviations (Disdukcapil, DPMPTSP, Satpol PP, Kec., Kel., …) expanded."""
    text = normalise_text(str(value).replace("&", " dan ") if value is not None else None)
    if not text:
        return ""
    if instansi_name:
        own = normalise_text(instansi_name)
        for variant in {own, re.sub(r"^pemerintah\s+", "", own)}:
            if variant and text.endswith(" " + variant):
                text = text[: -len(variant) - 1]
            elif variant and text.startswith(variant + " "):
                text = text[len(variant) + 1 :]
    text = _PREFIX_NOISE.sub("", text)
    text = _SUFFIX.sub("", text).strip()
    words = text.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        two = " ".join(words[i : i + 2])
        if i + 1 < len(words) and (
            two in UNIT_ABBREVIATIONS or two.replace(" ", "") in UNIT_ABBREVIATIONS
        ):
            # "satpol pp", and an abbreviation written with a hyphen or a space ("DPM-PTSP")
            out.append(UNIT_ABBREVIATIONS.get(two) or UNIT_ABBREVIATIONS[two.replace(" ", "")])
            i += 2
            continue
        out.append(UNIT_ABBREVIATIONS.get(words[i], words[i]))
        i += 1
    text = " ".join(" ".join(out).split())
    # 'dinas dinas kesehatan' (from "Dinas Dinkes") and a doubled prefix collapse
    text = re.sub(r"\b(\w+) \1\b", r"\1", text)
    return text


@dataclass(frozen=True)
class NameMatch:
    """The best candidate for a query: its key, its text and a score in [0, 100]."""

    key: Any
    text: str
    score: float


def _similarity(a: str, b: str) -> float:
    if a == b:
        return 100.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    ta, tb = set(a.split()), set(b.split())
    token = len(ta & tb) / max(len(ta | tb), 1)
    return 100.0 * max(ratio, token)


def match_names(
    candidates: dict[Any, str] | list[str], query: str, *, threshold: float = 90.0
) -> NameMatch | None:
    """The candidate (key → text, already normalised by the caller) closest to ``query``, or
    None when none reaches ``threshold`` or two candidates tie at the top (ambiguous).

    Uses difflib's ratio and a token-set overlap (no extra dependency); exact matches win.
    """
    items = candidates.items() if isinstance(candidates, dict) else enumerate(candidates)
    scored = sorted(
        ((_similarity(query, text), key, text) for key, text in items),
        key=lambda t: -t[0],
    )
    if not scored or scored[0][0] < threshold:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0] and scored[1][2] != scored[0][2]:
        return None
    score, key, text = scored[0]
    if score < 100.0 and not _a_slip_of_the_pen(query, text):
        return None
    return NameMatch(key=key, text=text, score=score)


# how alike the words two names do not share must be for one to be a misspelling of the other
SLIP_RATIO = 0.8


def _a_slip_of_the_pen(a: str, b: str) -> bool:
    """Whether two names alike overall differ only by misspelt words ("dinas kesehatn"), not by
    the words that tell units apart: "kelurahan durian i" is not "kelurahan durian ii", nor
    "puskesmas lunto" "puskesmas silungkang", however long the words they share; and a name
    with a word missing ("kelurahan durian") is no one's."""
    ta, tb = a.split(), b.split()
    only_a = " ".join(t for t in ta if t not in tb)
    only_b = " ".join(t for t in tb if t not in ta)
    if not only_a and not only_b:
        return True  # the same words in another order
    if not only_a or not only_b:
        return False
    return difflib.SequenceMatcher(None, only_a, only_b).ratio() >= SLIP_RATIO

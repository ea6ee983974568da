"""NIP, the 18-digit civil-servant number (Peraturan Kepala BKN 22/2007; HIGH).

Layout of a PNS number, e.g. ``19660801 198803 1 001``:

=======  ===================================================================
digits   content
=======  ===================================================================
1–8      birth date YYYYMMDD (a real date)
9–14     TMT CPNS, the first appointment, YYYYMM (a real month, after birth)
15       sex: 1 laki-laki ("L"), 2 perempuan ("P")
16–18    serial 001–999
=======  ===================================================================

A minimum age at TMT is *not* in the regulation and is not enforced.

PPPK numbers (Nomor Induk PPPK) follow a different pattern (MED): birth date, appointment year
(YYYY) and a PPPK marker ("21") where a PNS number has the TMT month, then sex and serial. With
``status="PPPK"`` only the birth date and the serial are checked; the TMT/sex part is read when it
makes sense and never rejected. With ``status=None`` a number that fails the PNS month check and
carries the PPPK marker is read as PPPK.

Errors are :class:`NipError` (a ``ValueError``) with a stable ``code`` and an Indonesian
``message`` fit for an import report or a form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeAlias

from kompeten.standards._tables import RegulationTable

Kind: TypeAlias = Literal["PNS", "PPPK"]
Sex: TypeAlias = Literal["L", "P"]

NIP_REGULATION = "Peraturan Kepala BKN Nomor 22 Tahun 2007 tentang Nomor Identitas PNS"

SEX_CODES: Mapping[str, Sex] = {"1": "L", "2": "P"}
SEX_LABELS: Mapping[Sex, str] = {"L": "Laki-laki", "P": "Perempuan"}

_MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

_WHITESPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class PppkNipPattern(RegulationTable):
    """How a PPPK number differs from a PNS number (MED; editable).

    ``marker`` sits at digits 13–14, where a PNS number has the TMT month; ``"21"`` can never be a
    month, so a number carrying it is never a valid PNS number.
    """

    marker: str

    def __post_init__(self) -> None:
        super().__post_init__()
        if not (len(self.marker) == 2 and self.marker.isdigit()):
            raise ValueError("the PPPK marker is two digits")


PPPK_NIP_PATTERN = PppkNipPattern(
    regulation="Nomor Induk PPPK as issued by BKN (tanggal lahir, tahun pengangkatan, kode 21, "
    "jenis kelamin, nomor urut); pattern observed in practice, no regulation text seen",
    effective_from=date(2019, 1, 1),
    confidence="MED",
    marker="21",
)


class NipError(ValueError):
    """An invalid NIP. ``code`` is stable (for programs); ``message`` is Indonesian (for people)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ParsedNip:
    """A parsed NIP.

    For PNS, ``tmt_cpns_year``/``tmt_cpns_month`` hold the first appointment. For PPPK they are
    ``None``; ``pppk_appointment_year`` and ``pppk_marker`` hold what digits 9–14 say, and ``sex``
    is ``None`` when digit 15 is not 1 or 2.
    """

    nip: str
    kind: Kind
    birth_date: date
    tmt_cpns_year: int | None
    tmt_cpns_month: int | None
    sex: Sex | None
    serial: int
    pppk_appointment_year: int | None = None
    pppk_marker: str | None = None

    @property
    def tmt_cpns(self) -> date | None:
        """TMT CPNS as a date (always the 1st of the month), or ``None`` for PPPK."""
        if self.tmt_cpns_year is None or self.tmt_cpns_month is None:
            return None
        return date(self.tmt_cpns_year, self.tmt_cpns_month, 1)

    @property
    def formatted(self) -> str:
        return format_nip(self.nip)


def normalise_nip(raw: str | int) -> str:
    """Remove every whitespace character (spaces, tabs, non-breaking spaces) from ``raw``."""
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise NipError("not_digits", "NIP harus 18 digit angka")
    return _WHITESPACE.sub("", str(raw))


def _digits18(raw: str | int) -> str:
    nip = normalise_nip(raw)
    if not _DIGITS.fullmatch(nip):
        raise NipError("not_digits", "NIP harus 18 digit angka (hanya angka dan spasi)")
    if len(nip) != 18:
        raise NipError("length", f"NIP harus 18 digit angka (tertulis {len(nip)} digit)")
    return nip


def _birth_date(nip: str) -> date:
    try:
        return date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise NipError(
            "birth_date", "Tanggal lahir pada NIP (digit 1–8) bukan tanggal yang sah"
        ) from None


def _serial(nip: str) -> int:
    serial = int(nip[15:18])
    if serial < 1:
        raise NipError("serial", "Nomor urut pada NIP (digit 16–18) harus 001–999")
    return serial


def _parse_pns(nip: str, birth: date, pattern: PppkNipPattern) -> ParsedNip:
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12 or year < 1:
        hint = ""
        if nip[12:14] == pattern.marker:
            hint = " (digit 13–14 berisi kode PPPK: jika pegawai PPPK, pilih status PPPK)"
        raise NipError("tmt", "TMT CPNS pada NIP (digit 9–14) bukan bulan yang sah" + hint)
    if date(year, month, 1) <= birth:
        raise NipError(
            "tmt_before_birth", "TMT CPNS pada NIP (digit 9–14) harus sesudah tanggal lahir"
        )
    sex = SEX_CODES.get(nip[14])
    if sex is None:
        raise NipError(
            "sex", "Kode jenis kelamin pada NIP (digit 15) harus 1 (laki-laki) atau 2 (perempuan)"
        )
    return ParsedNip(
        nip=nip,
        kind="PNS",
        birth_date=birth,
        tmt_cpns_year=year,
        tmt_cpns_month=month,
        sex=sex,
        serial=_serial(nip),
    )


def _parse_pppk(nip: str, birth: date) -> ParsedNip:
    year = int(nip[8:12])
    return ParsedNip(
        nip=nip,
        kind="PPPK",
        birth_date=birth,
        tmt_cpns_year=None,
        tmt_cpns_month=None,
        sex=SEX_CODES.get(nip[14]),
        serial=_serial(nip),
        pppk_appointment_year=year if year > birth.year else None,
        pppk_marker=nip[12:14],
    )


def parse_nip(
    raw: str | int,
    *,
    status: Kind | None = None,
    pppk_pattern: PppkNipPattern = PPPK_NIP_PATTERN,
) -> ParsedNip:
    """Parse and validate an NIP; whitespace anywhere in ``raw`` is ignored.

    Parameters
    ----------
    raw
        The number as typed or imported (``"19660801 198803 1 001"``).
    status
        ``"PNS"``: every PNS rule applies. ``"PPPK"``: the caller knows the employee is PPPK; only
        the birth date (digits 1–8) and the serial (16–18) are checked. ``None`` (default): PNS
        rules, except that a number failing the TMT month check while carrying the PPPK marker at
        digits 13–14 is read as PPPK.

    Raises
    ------
    NipError
        ``code`` is one of ``not_digits``, ``length``, ``birth_date``, ``tmt``,
        ``tmt_before_birth``, ``sex``, ``serial``.

    Examples
    --------
    >>> parse_nip("19660801 198803 1 001").sex
    'L'
    """
    if status not in ("PNS", "PPPK", None):
        raise ValueError(f"status must be 'PNS', 'PPPK' or None, got {status!r}")
    nip = _digits18(raw)
    birth = _birth_date(nip)
    if status == "PPPK":
        return _parse_pppk(nip, birth)
    try:
        return _parse_pns(nip, birth, pppk_pattern)
    except NipError as error:
        if status is None and error.code == "tmt" and nip[12:14] == pppk_pattern.marker:
            return _parse_pppk(nip, birth)
        raise


def is_valid_nip(raw: str | int, *, status: Kind | None = None) -> bool:
    try:
        parse_nip(raw, status=status)
    except NipError:
        return False
    return True


def format_nip(nip: str | int | ParsedNip) -> str:
    """``"196608011988031001"`` → ``"19660801 198803 1 001"`` (8-6-1-3 groups)."""
    digits = nip.nip if isinstance(nip, ParsedNip) else _digits18(nip)
    return f"{digits[0:8]} {digits[8:14]} {digits[14]} {digits[15:18]}"


def format_tanggal(value: date) -> str:
    """A date the Indonesian way: ``1 Agustus 1966``."""
    return f"{value.day} {_MONTHS_ID[value.month - 1]} {value.year}"


def check_consistency(
    parsed: ParsedNip, birth_date: date | None = None, sex: Sex | None = None
) -> list[str]:
    """Compare an employee's stored birth date and sex with what the NIP says.

    Returns Indonesian messages, one per disagreement (empty when consistent). A value that is
    ``None`` is not compared; neither is the sex of a PPPK number whose sex digit is unreadable.
    """
    problems: list[str] = []
    if birth_date is not None and birth_date != parsed.birth_date:
        problems.append(
            f"Tanggal lahir ({format_tanggal(birth_date)}) tidak sama dengan tanggal lahir pada "
            f"NIP ({format_tanggal(parsed.birth_date)})"
        )
    if sex is not None:
        if sex not in SEX_LABELS:
            raise ValueError(f"sex must be 'L' or 'P', got {sex!r}")
        if parsed.sex is not None and sex != parsed.sex:
            problems.append(
                f"Jenis kelamin ({SEX_LABELS[sex]}) tidak sama dengan kode jenis kelamin pada NIP "
                f"({SEX_LABELS[parsed.sex]})"
            )
    return problems

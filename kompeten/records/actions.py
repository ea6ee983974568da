"""Every write to the SKP and discipline registry (one transaction each, audit-logged)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from kompeten.core import audit, formatting
from kompeten.core.importing.values import parse_number
from kompeten.core.models import User
from kompeten.people.models import Employee
from kompeten.records.models import (
    DisciplineLevel,
    DisciplineRecord,
    IpAsnTableVersion,
    SkpRating,
)
from kompeten.standards.ip_asn import IpAsnTable
from kompeten.standards.skp import (
    LAST_SKP_2011_YEAR,
    SKP_2011_SEBUTAN,
    Predikat,
    Rating,
    predikat,
    sebutan_2011_readings,
)

MIN_YEAR = 2000
MAX_YEAR = 2100


def clean_skp(
    year: Any,
    hasil_kerja: str,
    perilaku: str,
    score: Decimal | float | str | None,
    predikat_written: str = "",
) -> tuple[int, str, str, str, Decimal | None]:
    """Validate one SKP rating; returns (year, hasil_kerja, perilaku, predikat, score).

    The predikat is derived from the two ratings when they are given; a predikat written beside
    them must agree with the matrix. A year known only by its predikat (recaps that list the
    predikat alone, as many e-Kinerja exports do) keeps the predikat as written.
    """
    errors: dict[str, str] = {}
    year_int = _clean_year(year, errors)
    h, p, pred = _clean_ratings(hasil_kerja, perilaku, errors)
    score, predikat_written = _score_and_sebutan(score, predikat_written, errors)
    value = _clean_score(score, errors)
    old_skp = 0 < year_int <= LAST_SKP_2011_YEAR
    if value is not None and old_skp and not (h or p) and predikat_written.strip():
        # an old SKP recap prints the score with its sebutan (88,25 Baik): the sebutan must be
        # the score's, and the score is what is kept
        _check_sebutan(predikat_written, value, errors)
        predikat_written = ""
    pred = _clean_predikat(predikat_written, pred, errors)
    if not errors and not pred and value is None:
        errors["hasil_kerja"] = gettext(
            "Isi hasil kerja dan perilaku, atau predikat (SKP baru), atau nilai SKP lama "
            "(angka 0–100)."
        )
    if not errors and pred and value is not None:
        errors["score"] = gettext(
            "Isi salah satu: predikat SKP baru atau nilai SKP lama, bukan keduanya."
        )
    if errors:
        raise ValidationError(errors)
    return year_int, h, p, pred, value


_SCORE_WITH_WORDS = re.compile(r"\s*(\d+(?:[.,]\d+)?)\s*[-–(/:]?\s*([^\W\d_][^\d()]*?)\s*\)?\s*")


def _score_and_sebutan(
    score: Decimal | float | str | None, written: str, errors: dict[str, str]
) -> tuple[Decimal | float | str | None, str]:
    """An old SKP recap may print the sebutan in the score's own cell (88,25 (Baik)): the score
    and the predikat written, with that sebutan taken apart. A sebutan there that differs from
    the one in the predikat column is a problem in ``errors``."""
    if not isinstance(score, str) or (match := _SCORE_WITH_WORDS.fullmatch(score)) is None:
        return score, written
    number, words = match.group(1), " ".join(match.group(2).split())
    if words.casefold() not in {b.label.casefold() for b in SKP_2011_SEBUTAN.bands}:
        return score, written
    beside = " ".join((written or "").split())
    if beside and beside.casefold() != words.casefold():
        errors["predikat"] = gettext(
            "Nilai SKP '{cell}' menyebut {in_cell}, tetapi predikatnya {beside}."
        ).format(cell=score.strip(), in_cell=words, beside=beside)
    return number, words


def _check_sebutan(written: str, score: Decimal, errors: dict[str, str]) -> None:
    """A sebutan written beside an old SKP score must be one the score is read with (PP 46/2011,
    see :func:`~kompeten.standards.skp.sebutan_2011_readings`)."""
    if "score" in errors:
        return
    readings = sebutan_2011_readings(score)
    if " ".join(written.split()).casefold() not in {r.casefold() for r in readings}:
        errors["predikat"] = gettext(
            "Sebutan '{written}' tidak sesuai nilai SKP lama {score}: menurut PP 46/2011 "
            "Pasal 17 sebutannya {expected}."
        ).format(
            written=written.strip(),
            score=formatting.number(score, 2),
            expected=(
                readings[0]
                if len(readings) == 1
                else gettext("{lower} atau {upper} (dibulatkan)").format(
                    lower=readings[0], upper=readings[1]
                )
            ),
        )


def _clean_predikat(written: str, derived: str, errors: dict[str, str]) -> str:
    """The predikat to keep: ``derived`` from the ratings when there is one (a written predikat
    that disagrees with it is a problem in ``errors``), else the one written, else ""."""
    written = (written or "").strip()
    if not written:
        return derived
    try:
        member = Predikat.parse(written)
    except ValueError:
        errors["predikat"] = gettext("Predikat {value} tidak dikenal: pilih {choices}.").format(
            value=repr(written), choices=", ".join(m.label for m in Predikat)
        )
        return derived
    if derived and member.value != derived:
        errors["predikat"] = gettext(
            "Predikat {written} tidak sesuai dengan hasil kerja dan perilaku yang tertulis: "
            "menurut matriks PermenPANRB 6/2022 predikatnya {derived}. Perbaiki salah satunya."
        ).format(written=repr(written), derived=Predikat(derived).label)
        return derived
    return member.value


def _year_written(year: Any) -> int:
    """The year a cell names: a number (2025, 2025.0), or the one year a period is written with
    ("Tahunan 2025", "Januari - Desember 2025", "01-01-2025 s.d. 31-12-2025", as e-Kinerja
    exports write the PERIODE). A text naming two different years names none."""
    if isinstance(year, int | float | Decimal) and not isinstance(year, bool):
        if float(year).is_integer():
            return int(year)
        raise ValueError(year)
    years = set(re.findall(r"(?<!\d)(\d{4})(?!\d)", str(year)))
    if len(years) != 1:
        raise ValueError(year)
    return int(years.pop())


def _clean_year(year: Any, errors: dict[str, str]) -> int:
    """The year as a number MIN_YEAR–MAX_YEAR; 0 with the problem in ``errors``."""
    try:
        year_int = _year_written(year)
        if not MIN_YEAR <= year_int <= MAX_YEAR:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = gettext("Tahun harus bilangan {first}–{last}.").format(
            first=MIN_YEAR, last=MAX_YEAR
        )
        year_int = 0
    return year_int


def _clean_ratings(hasil_kerja: str, perilaku: str, errors: dict[str, str]) -> tuple[str, str, str]:
    """(hasil kerja, perilaku, predikat) of the new SKP, all "" when neither is given; a
    rating that does not parse is "" with the problem in ``errors``."""
    h = p = pred = ""
    if hasil_kerja or perilaku:
        try:
            h = Rating.parse(hasil_kerja).value
        except ValueError as exc:
            errors["hasil_kerja"] = gettext("Hasil kerja: {problem}").format(problem=exc)
        try:
            p = Rating.parse(perilaku).value
        except ValueError as exc:
            errors["perilaku"] = gettext("Perilaku: {problem}").format(problem=exc)
        if h and p:
            pred = predikat(h, p).value
    return h, p, pred


def _clean_score(score: Decimal | float | str | None, errors: dict[str, str]) -> Decimal | None:
    """The old SKP's score 0–100, None when not given; for a bad one the problem is put in
    ``errors`` (and the rating is refused, whatever is returned)."""
    value: Decimal | None = None
    if score is not None and score != "":
        try:
            value = parse_number(score)  # 91,5 with the Indonesian comma as well
            if value is None or not Decimal(0) <= value <= Decimal(100):
                raise ValueError
        except (ArithmeticError, ValueError):
            errors["score"] = gettext("Nilai SKP lama harus angka 0–100.")
    return value


@transaction.atomic
def do_set_skp_rating(
    *,
    actor: User | None,
    employee: Employee,
    year: int | str,
    hasil_kerja: str = "",
    perilaku: str = "",
    score: Decimal | float | str | None = None,
    predikat_written: str = "",
) -> SkpRating:
    """Create or replace the employee's SKP rating of ``year`` (see :func:`clean_skp`)."""
    year, h, p, pred, value = clean_skp(year, hasil_kerja, perilaku, score, predikat_written)
    existing = SkpRating.objects.filter(employee=employee, year=year).first()
    before = _skp_snapshot(existing) if existing else None
    values = {"hasil_kerja": h, "perilaku": p, "predikat": pred, "score": value}
    if existing is None:
        rating = SkpRating.objects.create(
            instansi_id=employee.instansi_id, employee=employee, year=year, **values
        )
    else:
        rating = existing
        for name, new in values.items():
            setattr(rating, name, new)
        rating.save(update_fields=[*values, "updated"])
    audit.record(
        actor=actor,
        action="records.skp_set",
        obj=rating,
        summary=f"SKP {year} {employee.nip}",
        before=before,
        after=_skp_snapshot(rating),
    )
    return rating


def _skp_snapshot(r: SkpRating) -> dict[str, Any]:
    return {
        "year": r.year,
        "hasil_kerja": r.hasil_kerja,
        "perilaku": r.perilaku,
        "predikat": r.predikat,
        "score": None if r.score is None else str(r.score),
    }


def clean_discipline(day: date | None, level: str, note: str) -> tuple[date, str, str]:
    errors: dict[str, str] = {}
    if day is None:
        errors["date"] = gettext("Tanggal hukuman disiplin wajib diisi (dd-mm-yyyy).")
    level_key = (level or "").strip().lower()
    if level_key not in DisciplineLevel.values:
        errors["level"] = gettext(
            "Tingkat {level} tidak dikenal: pilih ringan, sedang atau berat."
        ).format(level=repr(level))
    if len(note or "") > 300:
        errors["note"] = gettext("Keterangan paling panjang 300 karakter.")
    if errors:
        raise ValidationError(errors)
    assert day is not None
    return day, level_key, (note or "").strip()


@transaction.atomic
def do_add_discipline_record(
    *, actor: User | None, employee: Employee, day: date | None, level: str, note: str = ""
) -> DisciplineRecord:
    day_v, level_v, note_v = clean_discipline(day, level, note)
    record = DisciplineRecord.objects.create(
        instansi_id=employee.instansi_id, employee=employee, date=day_v, level=level_v, note=note_v
    )
    audit.record(
        actor=actor,
        action="records.discipline_add",
        obj=record,
        summary=f"Hukuman disiplin {level_v} {employee.nip} {day_v.isoformat()}",
        after={"date": day_v.isoformat(), "level": level_v, "note": note_v},
    )
    return record


@transaction.atomic
def do_save_ip_asn_table(*, actor: User, data: dict[str, Any], note: str = "") -> IpAsnTableVersion:
    """Store a new version of the IP ASN table after checking it builds a valid table."""
    if actor.instansi_id is None:
        raise ValidationError(
            gettext("Hanya pengguna sebuah instansi yang dapat menyimpan tabel IP ASN.")
        )
    longest = IpAsnTableVersion._meta.get_field("note").max_length or 0
    if len(note) > longest:
        raise ValidationError(
            {
                "note": gettext(
                    "Catatan perubahan paling panjang {longest} karakter (tertulis {length})."
                ).format(longest=longest, length=len(note))
            }
        )
    try:
        table = IpAsnTable.from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(
            {"data": gettext("Tabel IP ASN tidak sah: {problem}").format(problem=exc)}
        ) from None
    version = IpAsnTableVersion.objects.create(
        instansi_id=actor.instansi_id,
        effective_from=table.effective_from,
        data=table.to_dict(),
        note=note,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="records.ip_asn_table",
        obj=version,
        summary=f"Tabel IP ASN berlaku {table.effective_from.isoformat()}",
        after=version.data,
    )
    return version

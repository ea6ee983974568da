"""Validation of employee data, shared by the form, the import and the demo generator.

Messages are Indonesian and name the field, because they reach the person who typed the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from kompeten.people.models import (
    GOLONGAN_CHOICES,
    PPPK_GRADE_CHOICES,
    Education,
    EmployeeStatus,
    JabatanKind,
    Sex,
)
from kompeten.standards.nip import NipError, check_consistency, parse_nip

GOLONGAN_VALUES = {value for value, _label in GOLONGAN_CHOICES}
PPPK_GRADES = {value for value, _label in PPPK_GRADE_CHOICES}
# Plain sets: validate_employee runs once per imported row (100,000 in a big file), and an enum's
# `.values` builds a new list on every access.
SEX_VALUES = frozenset(Sex.values)
STATUS_VALUES = frozenset(EmployeeStatus.values)
JABATAN_VALUES = frozenset(JabatanKind.values)
EDUCATION_VALUES = frozenset(Education.values)


@dataclass
class EmployeeInput:
    """Plain employee data, before it becomes a row. Units and supervisors are referenced by id."""

    nip: str
    name: str
    sex: str
    birth_date: date | None
    status: str
    jabatan_kind: str
    jabatan_name: str
    education: str
    unit_id: int | None
    golongan: str = ""
    pppk_grade: str = ""
    front_title: str = ""
    back_title: str = ""
    supervisor_nip: str = ""
    email: str = ""
    phone: str = ""
    is_active: bool = True
    extra_errors: list[tuple[str, str]] = field(default_factory=list)


def normalise_nip(raw: str) -> str:
    return "".join(str(raw).split())


# (field, is the value wrong?, message): the checks of one field each, in the order reported.
_FIELD_RULES: tuple[tuple[str, Callable[[EmployeeInput], bool], str], ...] = (
    ("name", lambda d: not d.name.strip(), "Nama wajib diisi."),
    (
        "sex",
        lambda d: d.sex not in SEX_VALUES,
        "Jenis kelamin harus L (laki-laki) atau P (perempuan).",
    ),
    (
        "birth_date",
        lambda d: d.birth_date is None,
        "Tanggal lahir wajib diisi dan harus tanggal yang sah.",
    ),
    ("status", lambda d: d.status not in STATUS_VALUES, "Status harus PNS atau PPPK."),
    (
        "jabatan_kind",
        lambda d: d.jabatan_kind not in JABATAN_VALUES,
        f"Jenis jabatan tidak dikenal (pilihan: {', '.join(JabatanKind.values)}).",
    ),
    ("jabatan_name", lambda d: not d.jabatan_name.strip(), "Nama jabatan wajib diisi."),
    (
        "education",
        lambda d: bool(d.education) and d.education not in EDUCATION_VALUES,
        f"Pendidikan tidak dikenal (pilihan: {', '.join(Education.values)}).",
    ),
    ("unit", lambda d: d.unit_id is None, "Unit kerja tidak dikenal."),
)


def validate_employee(data: EmployeeInput) -> list[tuple[str, str]]:
    """Return (field, message) pairs; empty when the data is valid."""
    errors: list[tuple[str, str]] = list(data.extra_errors)
    for name, wrong, message in _FIELD_RULES:
        if wrong(data):
            errors.append((name, message))
    errors.extend(_grade_errors(data))
    errors.extend(_nip_errors(data))
    return errors


def _grade_errors(data: EmployeeInput) -> list[tuple[str, str]]:
    """A PNS has a golongan/ruang; a PPPK has at most a PPPK grade and no golongan/ruang."""
    errors: list[tuple[str, str]] = []
    if data.status == EmployeeStatus.PNS:
        if data.golongan not in GOLONGAN_VALUES:
            errors.append(("golongan", "Golongan/ruang PNS harus seperti III/a (I/a–IV/e)."))
    elif data.status == EmployeeStatus.PPPK:
        if data.pppk_grade and data.pppk_grade not in PPPK_GRADES:
            errors.append(("pppk_grade", "Golongan PPPK harus angka 1–17."))
        if data.golongan:
            errors.append(("golongan", "PPPK tidak memiliki golongan/ruang PNS."))
    return errors


def _nip_errors(data: EmployeeInput) -> list[tuple[str, str]]:
    """The NIP's own form for the status, then its agreement with birth date and sex."""
    status: Literal["PNS", "PPPK"] | None = (
        "PNS" if data.status == "PNS" else "PPPK" if data.status == "PPPK" else None
    )
    try:
        parsed = parse_nip(data.nip, status=status)
    except NipError as exc:
        return [("nip", exc.message)]
    if data.birth_date is None or data.sex not in ("L", "P"):
        return []
    sex: Literal["L", "P"] = "L" if data.sex == "L" else "P"
    return [("nip", message) for message in check_consistency(parsed, data.birth_date, sex)]

"""Validation of employee data, shared by the form, the import and the demo generator.

Messages are Indonesian and name the field, because they reach the person who typed the data.
"""

from __future__ import annotations

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


def validate_employee(data: EmployeeInput) -> list[tuple[str, str]]:
    """Return (field, message) pairs; empty when the data is valid."""
    errors: list[tuple[str, str]] = list(data.extra_errors)
    if not data.name.strip():
        errors.append(("name", "Nama wajib diisi."))
    if data.sex not in SEX_VALUES:
        errors.append(("sex", "Jenis kelamin harus L (laki-laki) atau P (perempuan)."))
    if data.birth_date is None:
        errors.append(("birth_date", "Tanggal lahir wajib diisi dan harus tanggal yang sah."))
    if data.status not in STATUS_VALUES:
        errors.append(("status", "Status harus PNS atau PPPK."))
    if data.jabatan_kind not in JABATAN_VALUES:
        allowed = ", ".join(JabatanKind.values)
        errors.append(("jabatan_kind", f"Jenis jabatan tidak dikenal (pilihan: {allowed})."))
    if not data.jabatan_name.strip():
        errors.append(("jabatan_name", "Nama jabatan wajib diisi."))
    if data.education not in EDUCATION_VALUES:
        allowed = ", ".join(Education.values)
        errors.append(("education", f"Pendidikan tidak dikenal (pilihan: {allowed})."))
    if data.unit_id is None:
        errors.append(("unit", "Unit kerja tidak dikenal."))
    if data.status == EmployeeStatus.PNS:
        if data.golongan not in GOLONGAN_VALUES:
            errors.append(("golongan", "Golongan/ruang PNS harus seperti III/a (I/a–IV/e)."))
    elif data.status == EmployeeStatus.PPPK:
        if data.pppk_grade and data.pppk_grade not in PPPK_GRADES:
            errors.append(("pppk_grade", "Golongan PPPK harus angka 1–17."))
        if data.golongan:
            errors.append(("golongan", "PPPK tidak memiliki golongan/ruang PNS."))
    status: Literal["PNS", "PPPK"] | None = (
        "PNS" if data.status == "PNS" else "PPPK" if data.status == "PPPK" else None
    )
    try:
        parsed = parse_nip(data.nip, status=status)
    except NipError as exc:
        errors.append(("nip", exc.message))
    else:
        if data.birth_date is not None and data.sex in ("L", "P"):
            sex: Literal["L", "P"] = "L" if data.sex == "L" else "P"
            for message in check_consistency(parsed, data.birth_date, sex):
                errors.append(("nip", message))
    return errors

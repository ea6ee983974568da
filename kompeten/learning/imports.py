"""The required competency levels per post (standar kompetensi jabatan), declared for the import
engine (``kompeten.core.importing``): ``kompeten import required_levels FILE`` and
``/impor/required_levels/``.

Columns: ``Jenis jabatan`` (pelaksana, fungsional, pengawas, administrator, JPT — the value or
its label), ``Nama jabatan`` (blank: every post of that kind), ``Kode kompetensi`` (as in the
competency dictionary), ``Level`` (1–5). The page's own export (``ekspor.xlsx``) is read back
as it is. A row naming a competency that is not in the dictionary yet is kept pending and
completes by itself once the competency exists (retried after the next import, or from
``/impor/tertunda/``). The same post and competency twice in one file is a problem.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from kompeten.core import importing as imp
from kompeten.core.importing import columns
from kompeten.learning.actions.competencies import RequiredLevelInput, do_upsert_required_levels
from kompeten.learning.models import Competency
from kompeten.people.models import JabatanKind

COMPETENCY_UNKNOWN = "competency_unknown"

KINDS = columns.choice_vocabulary(
    gettext_lazy("jenis jabatan"),
    JabatanKind,
    {
        JabatanKind.JPT: (
            "JPT",
            "JPT Pratama",
            "JPT Madya",
            "Pimpinan Tinggi",
            "Jabatan Pimpinan Tinggi Pratama",
            "Jabatan Pimpinan Tinggi Madya",
            "Pimpinan Tinggi Pratama",
        ),
        JabatanKind.ADMINISTRATOR: ("Jabatan Administrator",),
        JabatanKind.PENGAWAS: ("Jabatan Pengawas",),
        JabatanKind.FUNGSIONAL: ("Jabatan Fungsional", "Fungsional Tertentu", "JFT", "JF"),
        JabatanKind.PELAKSANA: ("Jabatan Pelaksana", "Fungsional Umum", "JFU"),
    },
)


# a Standar Kompetensi Jabatan writes levels in Roman numerals (Level III), or spelled out
_ROMAN_LEVELS = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
_LEVEL_WORDS = re.compile(r"^([1-5])\s*\((?:satu|dua|tiga|empat|lima)\)$", re.IGNORECASE)


def _level(value: Any, ctx: imp.Context) -> int:
    text = columns.text(value, ctx)
    written = text
    if text.lower().startswith("level"):  # "Level 3"
        value = text = text[5:].strip()
    if text.upper() in _ROMAN_LEVELS:
        return _ROMAN_LEVELS[text.upper()]
    if spelled := _LEVEL_WORDS.match(text):  # "3 (Tiga)"
        value = spelled.group(1)
    try:
        number = imp.parse_number(value)
    except ValueError:
        number = None
    if number is None or number != number.to_integral_value() or not 1 <= number <= 5:
        raise imp.FieldError(
            _("Level harus bilangan bulat 1–5, bukan {value}.").format(value=repr(written)),
            accepted=("1", "2", "3", "4", "5", "I–V"),
        )
    return int(number)


class RequiredLevelsImport(imp.Declaration):
    key = "required_levels"
    label = gettext_lazy("Level kompetensi dipersyaratkan")
    description = gettext_lazy(
        "Standar kompetensi jabatan: Jenis jabatan, Nama jabatan (kosong = semua jabatan jenis "
        "itu), Kode kompetensi, Level 1–5. Berkas ekspor halaman standar jabatan dapat diimpor "
        "kembali."
    )
    fields = (
        imp.Field(
            "jabatan_kind",
            gettext_lazy("Jenis jabatan"),
            aliases=("Jenis Jabatan", "Kelompok Jabatan", "Jenis", "Kategori Jabatan"),
            required=True,
            vocabulary=KINDS,
        ),
        columns.text_column(
            "jabatan_name", gettext_lazy("Nama jabatan"), ("Nama Jabatan", "Jabatan")
        ),
        columns.text_column(
            "competency",
            gettext_lazy("Kode kompetensi"),
            ("Kode Kompetensi", "Kode", "Kompetensi"),
            required=True,
        ),
        imp.Field(
            "level",
            gettext_lazy("Level"),
            aliases=(
                "Level",
                "Level Dipersyaratkan",
                "Level Kompetensi",
                "Tingkat",
                "Standar Level",
            ),
            required=True,
            parse=_level,
        ),
    )

    def prepare(self, ctx: imp.Context) -> None:
        by_code: dict[str, int] = {}
        by_name: dict[str, list[int]] = {}
        for pk, code, name in Competency.objects.filter(instansi=ctx.instansi).values_list(
            "pk", "code", "name"
        ):
            by_code[imp.normalise_text(code)] = pk
            by_name.setdefault(imp.normalise_text(name), []).append(pk)
        ctx.lookups["by_code"] = by_code
        ctx.lookups["by_name"] = by_name
        ctx.lookups["seen"] = {}

    def check_row(self, row: imp.Row, ctx: imp.Context) -> None:
        written = row.values["competency"]
        key = imp.normalise_text(written)
        competency_id = ctx.lookups["by_code"].get(key)
        if competency_id is None:
            named = ctx.lookups["by_name"].get(key, [])
            competency_id = named[0] if len(named) == 1 else None
        name = row.get("jabatan_name", "")
        if competency_id is None:
            row.pending(
                COMPETENCY_UNKNOWN,
                _(
                    "Kompetensi {code} belum ada di kamus kompetensi; baris ini selesai sendiri "
                    "setelah kompetensinya dibuat."
                ).format(code=repr(written)),
            )
            return
        seen: dict[tuple[str, str, int], int] = ctx.lookups["seen"]
        post = (row.values["jabatan_kind"], imp.normalise_text(name), competency_id)
        if post in seen:
            row.problem(
                "competency",
                _("Jabatan dan kompetensi ini sudah ada di baris {row}.").format(row=seen[post]),
            )
            return
        seen[post] = row.number
        row.result = RequiredLevelInput(
            jabatan_kind=row.values["jabatan_kind"],
            jabatan_name=name,
            competency_id=competency_id,
            level=row.values["level"],
        )

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        created, changed = do_upsert_required_levels(
            instansi=ctx.instansi, items=[r.result for r in rows], actor=ctx.user
        )
        return {gettext_noop("level baru"): created, gettext_noop("level diubah"): changed}

"""SKP ratings and discipline records from XLSX or CSV, as two declarations on the import engine
(``kompeten.core.importing``): ``skp`` and ``discipline``.

* SKP: ``NIP``, ``Tahun``, ``Hasil Kerja`` and ``Perilaku`` (Di Atas / Sesuai / Di Bawah
  Ekspektasi), or ``Predikat`` alone (a recap of predikat kinerja), or ``Nilai SKP`` (old numeric
  SKP, 0–100); one rating per NIP and year, replaced when it changes.
* disiplin: ``NIP``, ``Tanggal`` (dd-mm-yyyy), ``Tingkat`` (ringan/sedang/berat, or the
  sanction itself, "Teguran tertulis", whose level :mod:`kompeten.standards.discipline` knows),
  ``Keterangan``; a record already stored (same NIP, date and level) is not added twice.

The engine finds the header row, pre-fills and remembers the mapping and lists every problem in
one pass. A row for a NIP not registered (yet), or a NIP damaged by Excel, is kept pending and
completes by itself once the employee exists (the employee import retries pending rows).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from kompeten.core import audit
from kompeten.core import importing as imp
from kompeten.core.importing import columns
from kompeten.people.models import Employee
from kompeten.records.actions import clean_discipline, clean_skp
from kompeten.records.models import DisciplineLevel, DisciplineRecord, SkpRating
from kompeten.standards import discipline

PERSON_UNKNOWN = "person_unknown"
NIP_DAMAGED = "nip_damaged"


def _day(value: Any, ctx: Any) -> date:
    parsed = imp.parse_date(value)
    if parsed is None:
        raise imp.FieldError(
            gettext("Tanggal {value} tidak dikenali.").format(value=repr(str(value).strip())),
            accepted=("dd-mm-yyyy", "dd/mm/yyyy", "yyyy-mm-dd", "sel tanggal Excel"),
        )
    return parsed


# what an SKP rating holds besides its employee and year, in the order clean_skp gives them
RATING_FIELDS = ("hasil_kerja", "perilaku", "predikat", "score")
NIP_FIELD = columns.nip_column(("NIP", "NIP BARU", "NIP 18"), required=True)
LEVELS = imp.Vocabulary(
    "tingkat hukuman disiplin",
    {
        # the level alone, in full, or as registers shorten it (Hukdis, HD)
        **{
            f"{prefix}{level}": level
            for level in ("ringan", "sedang", "berat")
            for prefix in ("", "hukuman disiplin ", "hukdis ", "hd ", "tingkat ")
        },
    },
    labels={v: str(label) for v, label in DisciplineLevel.choices},
)


SANCTION_EXAMPLES = (
    "teguran lisan/tertulis",
    "pernyataan tidak puas",
    "pemotongan tunjangan kinerja",
    "penundaan kenaikan gaji berkala/pangkat",
    "penurunan pangkat 1 atau 3 tahun",
    "penurunan jabatan",
    "pembebasan dari jabatan",
    "pemberhentian",
)


def _level(value: Any, ctx: Any) -> str:
    """The level written (ringan, "Hukuman Disiplin Sedang"), or the level of the sanction
    written ("Teguran tertulis" is ringan: PP 94/2021 Pasal 8, PP 53/2010 Pasal 7)."""
    text = str(value).strip()
    try:
        return str(LEVELS.translate(text))
    except imp.FieldError:
        level = discipline.level_of(text)
        if level is None:
            raise imp.FieldError(
                gettext("Tingkat atau jenis hukuman {value} tidak dikenali.").format(
                    value=repr(text)
                ),
                accepted=(*LEVELS.accepted(), *SANCTION_EXAMPLES),
            ) from None
        return level


class _RecordsImport(imp.Declaration):
    """What the two declarations share: employees looked up by NIP in one query."""

    def prepare(self, ctx: imp.Context) -> None:
        rows: list[imp.Row] = ctx.lookups["rows"]
        nips = {
            r.values["nip"].digits
            for r in rows
            if isinstance(r.values.get("nip"), imp.NipValue) and r.values["nip"].status == "ok"
        }
        ctx.lookups["employees"] = dict(
            Employee.objects.filter(instansi=ctx.instansi, nip__in=sorted(nips)).values_list(
                "nip", "id"
            )
        )
        ctx.lookups["seen"] = {}

    def employee_id(self, row: imp.Row, ctx: imp.Context) -> int | None:
        """The row's employee id, or None with the row marked (problem or pending)."""
        nip: imp.NipValue = row.values["nip"]
        if nip.status == "damaged":
            row.pending(NIP_DAMAGED, nip.message or gettext("NIP rusak oleh Excel."))
            return None
        if nip.status != "ok":
            row.problem("nip", nip.message or gettext("NIP tidak sah."))
            return None
        found: int | None = ctx.lookups["employees"].get(nip.digits)
        if found is None:
            row.pending(
                PERSON_UNKNOWN,
                gettext(
                    "Pegawai dengan NIP {nip} belum terdaftar; baris ini selesai sendiri setelah "
                    "pegawainya diimpor."
                ).format(nip=nip.digits),
            )
        return found

    def record_audit(
        self, ctx: imp.Context, *, action: str, object_type: str, summary: str
    ) -> None:
        """The import's audit row, by the importing user (none for the CLI without --user)."""
        audit.record(
            actor=ctx.user if ctx.user is not None and ctx.user.pk else None,
            action=action,
            object_type=object_type,
            instansi=ctx.instansi,
            summary=summary,
        )

    def problems_of(self, row: imp.Row, exc: ValidationError) -> None:
        for name, messages in exc.message_dict.items():
            for message in messages:
                row.problem(name, message)


class SkpImport(_RecordsImport):
    key = "skp"
    label = _("Penilaian SKP")
    description = _(
        "NIP, Tahun, Hasil Kerja dan Perilaku (Di Atas/Sesuai/Di Bawah Ekspektasi), atau "
        "Predikat saja (Sangat Baik … Sangat Kurang), atau Nilai SKP lama (0–100). Satu "
        "penilaian per NIP dan tahun."
    )
    fields = (
        NIP_FIELD,
        columns.text_column(
            "year",
            _("Tahun"),
            ("TAHUN", "TAHUN PENILAIAN", "PERIODE", "PERIODE PENILAIAN"),
            required=True,
        ),
        columns.text_column(
            "hasil_kerja",
            _("Hasil Kerja"),
            ("HASIL KERJA", "RATING HASIL KERJA", "PENILAIAN HASIL KERJA"),
        ),
        columns.text_column(
            "perilaku",
            _("Perilaku"),
            ("PERILAKU", "PERILAKU KERJA", "RATING PERILAKU", "RATING PERILAKU KERJA"),
        ),
        columns.text_column(
            "predikat",
            _("Predikat"),
            (
                "PREDIKAT",
                "PREDIKAT KINERJA",
                "PREDIKAT KINERJA PEGAWAI",
                "PREDIKAT SKP",
                "NILAI PREDIKAT",
            ),
        ),
        imp.Field("score", _("Nilai SKP"), ("NILAI SKP", "NILAI", "SKP", "NILAI SKP LAMA")),
    )

    def check_row(self, row: imp.Row, ctx: imp.Context) -> None:
        employee_id = self.employee_id(row, ctx)
        try:
            year, h, p, pred, score = clean_skp(
                row.get("year", ""),
                row.get("hasil_kerja", ""),
                row.get("perilaku", ""),
                row.get("score"),
                row.get("predikat", ""),
            )
        except ValidationError as exc:
            self.problems_of(row, exc)
            return
        if employee_id is None:
            return
        first = ctx.lookups["seen"].setdefault((employee_id, year), row.number)
        if first != row.number:
            row.problem(
                "year",
                gettext("NIP {nip} tahun {year} sudah ada di baris {first}.").format(
                    nip=row.values["nip"].digits, year=year, first=first
                ),
            )
            return
        row.result = (employee_id, year, h, p, pred, score)

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        parsed = [r.result for r in rows]
        existing = {
            (r.employee_id, r.year): r
            for r in SkpRating.objects.filter(
                employee_id__in={p[0] for p in parsed}, year__in={p[1] for p in parsed}
            )
        }
        new, changed = [], []
        for employee_id, year, *rated in parsed:
            values = dict(zip(RATING_FIELDS, rated, strict=True))
            rating = existing.get((employee_id, year))
            if rating is None:
                new.append(
                    SkpRating(instansi=ctx.instansi, employee_id=employee_id, year=year, **values)
                )
            elif any(getattr(rating, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(rating, name, value)
                changed.append(rating)
        SkpRating.objects.bulk_create(new, batch_size=2000)
        SkpRating.objects.bulk_update(changed, list(RATING_FIELDS), batch_size=2000)
        self.record_audit(
            ctx,
            action="records.skp_import",
            object_type="records.skprating",
            summary=f"Impor SKP: {len(new)} baru, {len(changed)} berubah",
        )
        return {gettext_noop("baru"): len(new), gettext_noop("berubah"): len(changed)}


class DisciplineImport(_RecordsImport):
    key = "discipline"
    label = _("Hukuman disiplin")
    description = _(
        "NIP, Tanggal (dd-mm-yyyy), Tingkat (ringan/sedang/berat) atau jenis hukumannya "
        "(teguran tertulis, pemotongan tunjangan kinerja, …), Keterangan."
    )
    fields = (
        NIP_FIELD,
        imp.Field(
            "date",
            _("Tanggal"),
            ("TANGGAL", "TANGGAL SK", "TMT", "TANGGAL HUKUMAN"),
            required=True,
            parse=_day,
        ),
        imp.Field(
            "level",
            _("Tingkat"),
            ("TINGKAT", "TINGKAT HUKUMAN", "JENIS HUKUMAN", "HUKUMAN"),
            required=True,
            parse=_level,
        ),
        columns.text_column("note", _("Keterangan"), ("KETERANGAN", "CATATAN", "URAIAN")),
    )

    def check_row(self, row: imp.Row, ctx: imp.Context) -> None:
        employee_id = self.employee_id(row, ctx)
        try:
            day, level, note = clean_discipline(
                row.get("date"), row.get("level", ""), row.get("note", "")
            )
        except ValidationError as exc:
            self.problems_of(row, exc)
            return
        if employee_id is not None:
            row.result = (employee_id, day, level, note)

    def write(self, rows: list[imp.Row], ctx: imp.Context) -> dict[str, int]:
        parsed = [r.result for r in rows]
        existing = set(
            DisciplineRecord.objects.filter(employee_id__in={p[0] for p in parsed}).values_list(
                "employee_id", "date", "level"
            )
        )
        new = []
        for employee_id, day, level, note in parsed:
            if (employee_id, day, level) in existing:
                continue
            existing.add((employee_id, day, level))
            new.append(
                DisciplineRecord(
                    instansi=ctx.instansi, employee_id=employee_id, date=day, level=level, note=note
                )
            )
        DisciplineRecord.objects.bulk_create(new, batch_size=2000)
        self.record_audit(
            ctx,
            action="records.discipline_import",
            object_type="records.disciplinerecord",
            summary=f"Impor hukuman disiplin: {len(new)} baru",
        )
        return {gettext_noop("baru"): len(new)}

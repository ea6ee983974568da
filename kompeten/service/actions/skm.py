"""SKM writes: service units, services, questionnaires, tickets, responses and imports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import Instansi, User
from kompeten.people.models import Unit
from kompeten.service.actions.rollups import (
    PROFILE_DIMENSIONS,
    RollupCounter,
    hold_bulk_write_lock,
    insert_form_response,
    pack_scores,
    request_fold,
)
from kompeten.service.models import (
    AgeGroup,
    Occupation,
    Questionnaire,
    Regulation,
    RespondentEducation,
    Service,
    ServiceTicket,
    ServiceUnit,
    Sex,
    SkmPublishedSummary,
    SkmResponse,
    Source,
)
from kompeten.service.tabular import (
    JAKARTA,
    TableError,
    is_blank,
    parse_date,
    parse_decimal,
    parse_int,
    parse_moment,
    plain_header,
    read_table,
)
from kompeten.service.versions import build_custom, clear_cache, engine_version
from kompeten.standards.ikm import SkmVersion, normalise_header


def month_of(moment: datetime) -> date:
    local = moment.astimezone(JAKARTA)
    return date(local.year, local.month, 1)


# --- service units -----------------------------------------------------------------------


@transaction.atomic
def do_create_service_unit(
    *,
    unit: Unit,
    code: str,
    name: str,
    population: int | None = None,
    questionnaire: Questionnaire | None = None,
    requires_ticket: bool = False,
    actor: User | None = None,
) -> ServiceUnit:
    code = code.strip().lower()
    if not code:
        raise ValidationError({"code": gettext("Kode survei wajib diisi.")})
    if ServiceUnit.objects.filter(code=code).exists():
        raise ValidationError(
            {"code": gettext("Kode survei {code} sudah dipakai.").format(code=code)}
        )
    if questionnaire is not None and questionnaire.instansi_id != unit.instansi_id:
        raise ValidationError({"questionnaire": gettext("Kuesioner milik instansi lain.")})
    if population is not None and population < 1:
        raise ValidationError({"population": gettext("Populasi harus lebih dari 0.")})
    su = ServiceUnit.objects.create(
        instansi_id=unit.instansi_id,
        unit=unit,
        code=code,
        name=name,
        population=population,
        questionnaire=questionnaire,
        requires_ticket=requires_ticket,
    )
    audit.record(actor=actor, action="service_unit.create", obj=su, summary=name)
    return su


@transaction.atomic
def do_update_service_unit(
    service_unit: ServiceUnit,
    *,
    population: int | None,
    requires_ticket: bool,
    name: str | None = None,
    is_active: bool | None = None,
    unit: Unit | None = None,
    actor: User | None = None,
) -> ServiceUnit:
    """Change a unit's details; ``name``, ``is_active`` and ``unit`` (the OPD unit it belongs
    to) are left as they are when None."""
    if population is not None and population < 1:
        raise ValidationError({"population": gettext("Populasi harus lebih dari 0.")})
    if name is not None and not name.strip():
        raise ValidationError({"name": gettext("Nama unit layanan wajib diisi.")})
    if unit is not None and unit.instansi_id != service_unit.instansi_id:
        raise ValidationError({"unit": gettext("Unit kerja milik instansi lain.")})
    fields = ["population", "requires_ticket", "name", "is_active", "unit_id"]
    before = {f: getattr(service_unit, f) for f in fields}
    service_unit.population = population
    service_unit.requires_ticket = requires_ticket
    if name is not None:
        service_unit.name = name.strip()
    if is_active is not None:
        service_unit.is_active = is_active
    if unit is not None:
        service_unit.unit = unit
    after = {f: getattr(service_unit, f) for f in fields}
    service_unit.save(update_fields=["population", "requires_ticket", "name", "is_active", "unit"])
    audit.record(
        actor=actor,
        action="service_unit.update",
        obj=service_unit,
        before=before,
        after=after,
    )
    return service_unit


@transaction.atomic
def do_create_service(
    *, service_unit: ServiceUnit, code: str, name: str, actor: User | None = None
) -> Service:
    code = code.strip().lower()
    if not code or not name.strip():
        raise ValidationError({"code": gettext("Kode dan nama jenis layanan wajib diisi.")})
    if Service.objects.filter(service_unit=service_unit, code=code).exists():
        raise ValidationError(
            {
                "code": gettext("Kode jenis layanan {code} sudah dipakai di unit ini.").format(
                    code=code
                )
            }
        )
    service = Service.objects.create(service_unit=service_unit, code=code, name=name.strip())
    audit.record(
        actor=actor,
        action="service.create",
        obj=service,
        summary=name,
        instansi=service_unit.instansi,
    )
    return service


@transaction.atomic
def do_create_questionnaire(
    *,
    instansi: Instansi,
    code: str,
    name: str,
    base: str = Regulation.SKM_2017,
    extra_unsur: list[dict[str, Any]] | None = None,
    weights: Mapping[str, str] | None = None,
    actor: User | None = None,
) -> Questionnaire:
    """A questionnaire version; extra unsur need a slug, a name and four answer labels, and the
    weights (when given) must cover every unsur and sum to 1."""
    extra = list(extra_unsur or [])
    for item in extra:
        labels = item.get("labels") or ()
        if not item.get("slug") or not item.get("name") or len(labels) != 4:
            raise ValidationError(
                {
                    "extra_unsur": gettext(
                        "Setiap unsur tambahan perlu kode, nama dan empat label jawaban."
                    )
                }
            )
    q = Questionnaire(
        instansi=instansi,
        code=code,
        name=name,
        base=base,
        extra_unsur=extra,
        weights={k: str(v) for k, v in (weights or {}).items()},
    )
    try:
        build_custom("check", base, extra, q.weights)
    except (ValueError, ZeroDivisionError) as exc:
        raise ValidationError({"weights": str(exc)}) from None
    q.save()
    clear_cache()
    audit.record(actor=actor, action="questionnaire.create", obj=q, summary=name)
    return q


@transaction.atomic
def do_issue_tickets(
    service_unit: ServiceUnit, numbers: Iterable[str], actor: User | None = None
) -> int:
    """Register service-receipt numbers that may each answer once."""
    clean = sorted({n.strip().upper() for n in numbers if n.strip()})
    existing = set(
        ServiceTicket.objects.filter(service_unit=service_unit, number__in=clean).values_list(
            "number", flat=True
        )
    )
    new = [ServiceTicket(service_unit=service_unit, number=n) for n in clean if n not in existing]
    ServiceTicket.objects.bulk_create(new)
    audit.record(
        actor=actor, action="service_ticket.issue", obj=service_unit, summary=f"{len(new)} tiket"
    )
    return len(new)


# --- validation of one response ----------------------------------------------------------


def validate_scores(
    version: SkmVersion, raw: Mapping[str, Any], *, complete: bool
) -> dict[str, int]:
    """Scores keyed by unsur name (any spelling) → {slug: 1..4}; errors name the unsur."""
    errors: dict[str, str] = {}
    scores: dict[str, int] = {}
    for key, value in raw.items():
        unsur = version.match(key)
        if unsur is None:
            errors[str(key)] = gettext(
                "Unsur {key} tidak dikenal dalam kuesioner {version}."
            ).format(key=repr(key), version=version.id)
            continue
        if is_blank(value):
            continue
        try:
            score = parse_int(value)
        except ValueError:
            errors[unsur.slug] = gettext("{unsur}: nilai {value} bukan angka 1–4.").format(
                unsur=unsur.name, value=repr(value)
            )
            continue
        if not version.scale_min <= score <= version.scale_max:
            errors[unsur.slug] = gettext("{unsur}: nilai {score} di luar 1–4.").format(
                unsur=unsur.name, score=score
            )
            continue
        scores[unsur.slug] = score
    if complete:
        for u in version.unsur:
            if u.slug not in scores and u.slug not in errors:
                errors[u.slug] = gettext("{unsur}: belum dijawab.").format(unsur=u.name)
    elif not scores and not errors:
        errors["scores"] = gettext("Tidak ada unsur yang dijawab.")
    if errors:
        raise ValidationError(errors)
    return scores


def _check_choice(field_name: str, value: str, choices: Any, label: str) -> str:
    if value and value not in choices.values:
        raise ValidationError(
            {
                field_name: gettext("{label} {value} tidak dikenal.").format(
                    label=label, value=repr(value)
                )
            }
        )
    return value


def _consume_ticket(service_unit: ServiceUnit, number: str, now: datetime) -> ServiceTicket | None:
    number = number.strip().upper()
    if not number:
        if service_unit.requires_ticket:
            raise ValidationError(
                {"ticket": gettext("Nomor tiket layanan wajib diisi di unit ini.")}
            )
        return None
    if service_unit.requires_ticket:
        used = ServiceTicket.objects.filter(
            service_unit=service_unit, number=number, used_at__isnull=True
        ).update(used_at=now)
        if used != 1:
            if ServiceTicket.objects.filter(service_unit=service_unit, number=number).exists():
                raise ValidationError(
                    {"ticket": gettext("Nomor tiket ini sudah dipakai untuk mengisi survei.")}
                )
            raise ValidationError(
                {"ticket": gettext("Nomor tiket tidak terdaftar di unit layanan ini.")}
            )
        return ServiceTicket.objects.get(service_unit=service_unit, number=number)
    try:
        with transaction.atomic():
            return ServiceTicket.objects.create(
                service_unit=service_unit, number=number, used_at=now
            )
    except IntegrityError:
        raise ValidationError(
            {"ticket": gettext("Nomor tiket ini sudah dipakai untuk mengisi survei.")}
        ) from None


def do_submit_skm_response(
    *,
    service_unit: ServiceUnit,
    scores: Mapping[str, Any],
    service: Service | None = None,
    sex: str = "",
    age_group: str = "",
    education: str = "",
    occupation: str = "",
    suggestion: str = "",
    ticket: str = "",
    source: str = Source.FORM,
    submitted: datetime | None = None,
    spool_id: UUID | None = None,
) -> SkmResponse:
    """Accept one anonymous SKM response: the minimal durable write (the response row, and the
    ticket consumed, in one short transaction). The rollups count it within seconds
    (:func:`~kompeten.service.actions.rollups.do_fold_skm_responses`, asked for on commit).

    Nothing identifying is stored: no IP address, no user agent, no session. ``spool_id`` is
    the id of a submission replayed from the outage spool (unique: a second replay fails).
    """
    now = timezone.now()
    submitted = submitted or now
    if submitted > now:
        raise ValidationError(
            {"submitted": gettext("Tanggal pengisian tidak boleh di masa depan.")}
        )
    if not service_unit.is_active:
        raise ValidationError(
            {"service_unit": gettext("Unit layanan ini tidak sedang menerima survei.")}
        )
    if service is not None and service.service_unit_id != service_unit.pk:
        raise ValidationError({"service": gettext("Jenis layanan bukan milik unit layanan ini.")})
    version_id = service_unit.version_id
    clean = validate_scores(engine_version(version_id), scores, complete=True)
    _check_choice("sex", sex, Sex, gettext("Jenis kelamin"))
    _check_choice("age_group", age_group, AgeGroup, gettext("Usia"))
    _check_choice("education", education, RespondentEducation, gettext("Pendidikan"))
    _check_choice("occupation", occupation, Occupation, gettext("Pekerjaan"))
    version = engine_version(version_id)
    response = SkmResponse(
        service_unit=service_unit,
        service=service,
        version=version_id,
        submitted=submitted,
        month=month_of(submitted),
        scores=clean,
        packed=pack_scores(version, clean),
        sex=sex,
        age_group=age_group,
        education=education,
        occupation=occupation,
        suggestion=suggestion.strip()[:2000],
        source=source,
        spool_id=spool_id,
    )
    if ticket.strip() or service_unit.requires_ticket:
        with transaction.atomic():
            response.ticket = _consume_ticket(service_unit, ticket, now)
            insert_form_response(response)
    else:
        insert_form_response(response)  # one statement: atomic on its own
    transaction.on_commit(request_fold)
    return response


# --- bulk: demo and imports --------------------------------------------------------------


@dataclass
class SkmRecord:
    """One validated response for :func:`do_bulk_add_skm_responses`."""

    submitted: datetime
    scores: dict[str, int]
    service_id: int | None = None
    profile: dict[str, str] = field(default_factory=dict)
    suggestion: str = ""


@transaction.atomic
def do_bulk_add_skm_responses(
    service_unit: ServiceUnit,
    records: list[SkmRecord],
    *,
    source: str = Source.IMPORT,
    version_id: str | None = None,
    actor: User | None = None,
) -> int:
    """Insert many responses and their rollup increments in one transaction (these rows are
    ``rolled_on_insert``: the fold skips them).

    Records are validated again here (scores 1–4 on known unsur, dates not in the future,
    services of this unit), so every caller gets the same guarantees as the public form.
    """
    version_id = version_id or service_unit.version_id
    version = engine_version(version_id)
    slugs = {u.slug for u in version.unsur}
    services = set(Service.objects.filter(service_unit=service_unit).values_list("id", flat=True))
    now = timezone.now()
    counter = RollupCounter()
    objs: list[SkmResponse] = []
    hold_bulk_write_lock()
    for i, r in enumerate(records, start=1):
        if r.submitted > now:
            raise ValidationError(
                gettext("Jawaban ke-{number}: tanggal di masa depan.").format(number=i)
            )
        if not r.scores or any(k not in slugs or not 1 <= v <= 4 for k, v in r.scores.items()):
            raise ValidationError(
                gettext("Jawaban ke-{number}: nilai unsur tidak sah.").format(number=i)
            )
        if r.service_id is not None and r.service_id not in services:
            raise ValidationError(
                gettext("Jawaban ke-{number}: jenis layanan bukan milik unit ini.").format(number=i)
            )
        month = month_of(r.submitted)
        prof = {d: r.profile.get(d, "") for d in PROFILE_DIMENSIONS}
        objs.append(
            SkmResponse(
                service_unit_id=service_unit.pk,
                service_id=r.service_id,
                version=version_id,
                submitted=r.submitted,
                month=month,
                scores=r.scores,
                packed=pack_scores(version, r.scores),
                rolled_on_insert=True,
                suggestion=r.suggestion,
                source=source,
                **prof,
            )
        )
        counter.add(service_unit.pk, r.service_id, month, version_id, r.scores, prof)
    SkmResponse.objects.bulk_create(objs, batch_size=2000)
    counter.flush()
    if actor is not None:
        audit.record(
            actor=actor,
            action="skm.import",
            obj=service_unit,
            summary=f"{len(objs)} jawaban SKM ({source})",
        )
    return len(objs)


PROFILE_HEADERS = {
    "tanggal": "submitted",
    "tanggal pengisian": "submitted",
    "waktu pengisian": "submitted",
    "timestamp": "submitted",
    "jenis kelamin": "sex",
    "jk": "sex",
    "kelamin": "sex",
    "usia": "age_group",
    "umur": "age_group",
    "pendidikan": "education",
    "pendidikan terakhir": "education",
    "pekerjaan": "occupation",
    "jenis layanan": "service",
    "layanan": "service",
    "saran": "suggestion",
    "saran dan masukan": "suggestion",
    "no": "ignore",
    "nomor": "ignore",
    "id": "ignore",
    "unit": "ignore",
    "unit layanan": "ignore",
}


def parse_sex(value: str) -> str:
    v = value.strip().lower()
    if v in ("l", "laki-laki", "laki laki", "pria", "1"):
        return Sex.L
    if v in ("p", "perempuan", "wanita", "2"):
        return Sex.P
    raise ValueError(value)


def parse_age(value: Any) -> str:
    text = str(value).strip()
    if text in AgeGroup.values:
        return text
    age = parse_int(value)
    if age < 10 or age > 120:
        raise ValueError(value)
    if age < 20:
        return AgeGroup.U20
    if age >= 50:
        return AgeGroup.A50
    return {2: AgeGroup.A20, 3: AgeGroup.A30, 4: AgeGroup.A40}[age // 10]


_EDU = {
    "sd": "SD",
    "tidak sekolah": "SD",
    "smp": "SMP",
    "sltp": "SMP",
    "sma": "SMA",
    "smk": "SMA",
    "slta": "SMA",
    "sma smk": "SMA",
    "d1": "D1-D3",
    "d2": "D1-D3",
    "d3": "D1-D3",
    "d1 d3": "D1-D3",
    "diploma": "D1-D3",
    "d4": "D4-S1",
    "s1": "D4-S1",
    "d4 s1": "D4-S1",
    "sarjana": "D4-S1",
    "s2": "S2+",
    "s3": "S2+",
    "s2 s3": "S2+",
    "pascasarjana": "S2+",
}
_OCC = {
    "pns": "asn",
    "asn": "asn",
    "tni": "asn",
    "polri": "asn",
    "pns tni polri": "asn",
    "swasta": "swasta",
    "pegawai swasta": "swasta",
    "karyawan swasta": "swasta",
    "wiraswasta": "wiraswasta",
    "wirausaha": "wiraswasta",
    "pengusaha": "wiraswasta",
    "pelajar": "pelajar",
    "mahasiswa": "pelajar",
    "pelajar mahasiswa": "pelajar",
    "lainnya": "lainnya",
    "lain lain": "lainnya",
    "petani": "lainnya",
    "ibu rumah tangga": "lainnya",
}


def _lookup(table: dict[str, str], choices: Any, value: str) -> str:
    if value in choices.values:
        return value
    key = normalise_header(value).replace("ke bawah", "").replace("ke atas", "").strip()
    if key in table:
        return table[key]
    raise ValueError(value)


def _parse_response_rows(
    service_unit: ServiceUnit, data: bytes, filename: str
) -> tuple[list[SkmRecord], list[str]]:
    try:
        table = read_table(data, filename)
    except TableError as exc:
        return [], [str(exc)]
    version = engine_version(service_unit.version_id)
    problems: list[str] = []
    columns: dict[int, tuple[str, str]] = {}  # index -> (kind, slug/field)
    seen: dict[str, str] = {}
    for idx, header in enumerate(table.header):
        if not header:
            continue
        kind_field = PROFILE_HEADERS.get(plain_header(header))
        if kind_field is not None:
            columns[idx] = ("profile", kind_field)
            continue
        unsur = version.match(header)
        if unsur is None:
            problems.append(
                f"Kolom {header!r}: tidak dikenali sebagai unsur kuesioner {version.id} "
                "maupun kolom profil responden."
            )
            continue
        if unsur.slug in seen:
            problems.append(
                f"Kolom {header!r}: unsur {unsur.name} sudah ada di kolom {seen[unsur.slug]!r}."
            )
            continue
        seen[unsur.slug] = header
        columns[idx] = ("unsur", unsur.slug)
    missing = [u.name for u in version.unsur if u.slug not in seen]
    if missing:
        problems.append("Kolom unsur tidak ada: " + ", ".join(missing) + ".")
    if "submitted" not in {f for k, f in columns.values() if k == "profile"}:
        problems.append("Kolom 'Tanggal' (tanggal pengisian) wajib ada.")
    if problems:
        return [], problems
    services = {
        **{s.code.lower(): s.pk for s in service_unit.services.all()},
        **{s.name.lower(): s.pk for s in service_unit.services.all()},
    }
    now = timezone.now()
    records: list[SkmRecord] = []
    for rownum, cells in table.rows:
        rec = SkmRecord(submitted=now, scores={})
        row_ok = True
        for idx, (kind, name) in columns.items():
            value = cells[idx] if idx < len(cells) else None
            header = table.header[idx]
            if kind == "unsur":
                if is_blank(value):
                    continue
                try:
                    score = parse_int(value)
                except ValueError:
                    score = -1
                if not 1 <= score <= 4:
                    problems.append(
                        f"Baris {rownum}, kolom {header!r}: nilai {value!r} di luar 1–4."
                    )
                    row_ok = False
                    continue
                rec.scores[name] = score
                continue
            if name == "ignore" or is_blank(value):
                if name == "submitted":
                    problems.append(f"Baris {rownum}, kolom {header!r}: tanggal kosong.")
                    row_ok = False
                continue
            try:
                if name == "submitted":
                    rec.submitted = parse_moment(value)
                    if rec.submitted > now:
                        problems.append(
                            f"Baris {rownum}, kolom {header!r}: tanggal {value} di masa depan."
                        )
                        row_ok = False
                elif name == "sex":
                    rec.profile["sex"] = parse_sex(str(value))
                elif name == "age_group":
                    rec.profile["age_group"] = parse_age(value)
                elif name == "education":
                    rec.profile["education"] = _lookup(_EDU, RespondentEducation, str(value))
                elif name == "occupation":
                    rec.profile["occupation"] = _lookup(_OCC, Occupation, str(value))
                elif name == "service":
                    key = str(value).strip().lower()
                    if key not in services:
                        raise ValueError(value)
                    rec.service_id = services[key]
                elif name == "suggestion":
                    rec.suggestion = str(value)[:2000]
            except ValueError:
                problems.append(f"Baris {rownum}, kolom {header!r}: nilai {value!r} tidak dikenal.")
                row_ok = False
        if row_ok and not rec.scores:
            problems.append(f"Baris {rownum}: tidak ada unsur yang dijawab.")
            row_ok = False
        if row_ok:
            records.append(rec)
    return records, problems


def do_import_skm_responses(
    service_unit: ServiceUnit, data: bytes, filename: str, *, actor: User | None = None
) -> int:
    """Import responses collected elsewhere (CSV/XLSX). Columns are matched by unsur **name**
    (any order, case and spacing free); all rows or none (a ``ValidationError`` lists every
    problem by row and column)."""
    records, problems = _parse_response_rows(service_unit, data, filename)
    if problems:
        raise ValidationError(problems[:200])
    if not records:
        raise ValidationError(gettext("Berkas tidak berisi jawaban."))
    return do_bulk_add_skm_responses(service_unit, records, source=Source.IMPORT, actor=actor)


SUMMARY_HEADERS = {
    "unit": "unit",
    "kode unit": "unit",
    "unit layanan": "unit",
    "mulai": "start",
    "periode mulai": "start",
    "tanggal mulai": "start",
    "selesai": "end",
    "periode selesai": "end",
    "tanggal selesai": "end",
    "tahun": "year",
    "regulasi": "regulation",
    "unsur": "unsur",
    "nrr": "nrr",
    "n": "n",
    "jumlah responden": "n",
    "responden": "n",
    "keterangan": "note",
}


@transaction.atomic
def do_import_skm_summary(
    instansi: Instansi, data: bytes, filename: str, *, actor: User | None = None
) -> int:
    """Import published results (one row per unit, period and unsur: NRR and n) for years
    before Kompeten. The period is ``tahun`` or ``mulai``/``selesai``; ``regulasi`` is 2017 (the
    default) or 2004. Each unit and period must list every unsur of its regulation. All rows or
    none."""
    try:
        table = read_table(data, filename)
    except TableError as exc:
        raise ValidationError(str(exc)) from None
    cols: dict[str, int] = {}
    problems: list[str] = []
    for idx, header in enumerate(table.header):
        key = SUMMARY_HEADERS.get(plain_header(header))
        if key is None:
            problems.append(f"Kolom {header!r} tidak dikenal.")
        else:
            cols[key] = idx
    for needed in ("unit", "unsur", "nrr", "n"):
        if needed not in cols:
            problems.append(f"Kolom {needed!r} wajib ada.")
    if "year" not in cols and not ("start" in cols and "end" in cols):
        problems.append("Kolom 'tahun' atau 'mulai' dan 'selesai' wajib ada.")
    if problems:
        raise ValidationError(problems)
    units = {su.code.lower(): su for su in ServiceUnit.objects.filter(instansi=instansi)}
    today = timezone.localdate()
    groups: dict[tuple[int, date, date, str], dict[str, tuple[Decimal, int, str]]] = {}
    for rownum, cells in table.rows:

        def cell(name: str, cells: list[Any] = cells) -> Any:
            i = cols.get(name)
            return cells[i] if i is not None and i < len(cells) else None

        su = units.get(str(cell("unit") or "").strip().lower())
        if su is None:
            problems.append(f"Baris {rownum}: unit layanan {cell('unit')!r} tidak dikenal.")
            continue
        reg = str(cell("regulation") or "2017").strip()
        version_id = {"2017": "SKM_2017", "2004": "SKM_2004"}.get(reg[-4:] if reg else "2017")
        if version_id is None:
            problems.append(f"Baris {rownum}: regulasi {reg!r} harus 2017 atau 2004.")
            continue
        version = engine_version(version_id)
        try:
            if "year" in cols and not is_blank(cell("year")):
                year = parse_int(cell("year"))
                start, end = date(year, 1, 1), date(year, 12, 31)
            else:
                start, end = parse_date(cell("start")), parse_date(cell("end"))
        except (ValueError, TypeError):
            problems.append(f"Baris {rownum}: periode tidak dapat dibaca.")
            continue
        if end < start:
            problems.append(f"Baris {rownum}: periode selesai sebelum mulai.")
            continue
        if start > today:
            problems.append(f"Baris {rownum}: periode di masa depan.")
            continue
        unsur = version.match(str(cell("unsur") or ""))
        if unsur is None:
            problems.append(
                f"Baris {rownum}: unsur {cell('unsur')!r} tidak dikenal ({version.id})."
            )
            continue
        try:
            nrr = parse_decimal(cell("nrr"))
            n = parse_int(cell("n"))
        except (ValueError, TypeError):
            problems.append(f"Baris {rownum}: NRR atau n bukan angka.")
            continue
        if not Decimal(1) <= nrr <= Decimal(4):
            problems.append(f"Baris {rownum}: NRR {nrr} di luar 1–4.")
            continue
        if n < 1:
            problems.append(f"Baris {rownum}: n harus lebih dari 0.")
            continue
        gkey = (su.pk, start, end, version_id)
        if unsur.slug in groups.setdefault(gkey, {}):
            problems.append(
                f"Baris {rownum}: unsur {unsur.name} muncul dua kali untuk periode ini."
            )
            continue
        groups[gkey][unsur.slug] = (nrr, n, str(cell("note") or "")[:200])
    for (su_id, start, end, version_id), found in groups.items():
        missing = [u.name for u in engine_version(version_id).unsur if u.slug not in found]
        if missing:
            problems.append(
                f"Unit {su_id} periode {start}–{end}: unsur tidak lengkap ({', '.join(missing)})."
            )
    if problems:
        raise ValidationError(problems[:200])
    count = 0
    for (su_id, start, end, version_id), found in groups.items():
        for slug, (nrr, n, note) in found.items():
            SkmPublishedSummary.objects.update_or_create(
                service_unit_id=su_id,
                period_start=start,
                period_end=end,
                unsur=slug,
                defaults={"version": version_id, "nrr": nrr, "n": n, "note": note},
            )
            count += 1
    audit.record(
        actor=actor,
        action="skm.import_summary",
        summary=f"{count} baris ringkasan",
        instansi=instansi,
    )
    return count

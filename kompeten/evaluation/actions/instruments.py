"""Instruments: the default library, versions, opening and closing, the item bank, test forms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.evaluation.models import (
    BankItem,
    Instrument,
    InstrumentKind,
    InstrumentStatus,
    Item,
    ItemKind,
    Phase,
    RoiRole,
    Section,
)
from kompeten.learning.models import CompetencyLevel, Programme

# The default L1 questionnaire, in the sections of LAN practice (DOMAIN.md, "The evaluation model").
ORGANISER_ITEMS: list[tuple[str, str]] = [
    (Section.SARANA, "Ruang belajar nyaman, bersih dan memadai."),
    (Section.SARANA, "Peralatan belajar (proyektor, pengeras suara, internet) berfungsi baik."),
    (Section.MATERI, "Materi sesuai dengan tujuan pelatihan."),
    (Section.MATERI, "Bahan ajar mudah dipahami dan tersedia tepat waktu."),
    (Section.PELAYANAN, "Panitia sigap membantu kebutuhan peserta."),
    (Section.PELAYANAN, "Konsumsi dan fasilitas pendukung memadai."),
    (Section.ADMINISTRASI, "Informasi jadwal dan undangan jelas dan tepat waktu."),
    (Section.ADMINISTRASI, "Proses administrasi (presensi, sertifikat) mudah."),
]
TRAINER_ASPECTS: list[tuple[str, str]] = [
    ("penguasaan_materi", "Penguasaan materi"),
    ("sistematika", "Sistematika penyajian"),
    ("metode", "Penggunaan metode dan media"),
    ("ketepatan_waktu", "Ketepatan waktu"),
    ("interaksi", "Interaksi dan tanya jawab"),
    ("bahasa", "Penggunaan bahasa"),
    ("sikap", "Sikap dan perilaku"),
]
RELEVANCE_ITEMS = [
    "Materi pelatihan relevan dengan pekerjaan saya sehari-hari.",
    "Saya dapat menerapkan hasil pelatihan ini di tempat kerja.",
]
OPEN_ITEMS = [
    "Hal apa yang paling bermanfaat dari pelatihan ini?",
    "Apa saran Anda untuk perbaikan pelatihan berikutnya?",
]
ROI_ITEMS = [
    (
        RoiRole.ATTRIBUTION,
        "Dari perbaikan kinerja Anda sejak pelatihan, berapa persen yang disebabkan oleh "
        "pelatihan ini (bukan faktor lain)?",
    ),
    (RoiRole.CONFIDENCE, "Seberapa yakin Anda dengan perkiraan di atas (0–100 %)?"),
]


def _next_version(programme: Programme, kind: str, phase: str, form_label: str) -> int:
    top = Instrument.objects.filter(
        programme=programme, kind=kind, phase=phase, form_label=form_label
    ).aggregate(m=Max("version"))["m"]
    return (top or 0) + 1


def _new_instrument(
    programme: Programme,
    kind: str,
    title: str,
    *,
    phase: str = "",
    form_label: str = "",
    scale_max: int = 5,
    actor: User | None,
) -> Instrument:
    return Instrument.objects.create(
        instansi_id=programme.instansi_id,
        programme=programme,
        kind=kind,
        phase=phase,
        form_label=form_label,
        version=_next_version(programme, kind, phase, form_label),
        title=title,
        scale_max=scale_max,
        created_by=actor if actor is not None and actor.pk else None,
    )


def _target_behaviours(programme: Programme) -> list[tuple[int, str]]:
    """(competency id, indicator) of every target competency at its target level."""
    targets = {pc.competency_id: pc.target_level for pc in programme.competencies.all()}
    levels = CompetencyLevel.objects.filter(competency_id__in=list(targets)).select_related(
        "competency"
    )
    out: list[tuple[int, str]] = []
    for level in sorted(levels, key=lambda lv: (lv.competency.code, lv.level)):
        if targets.get(level.competency_id) != level.level:
            continue
        for line in level.indicator_list:
            out.append((level.competency_id, f"{level.competency.name}: {line}"))
    return out


@transaction.atomic
def do_create_reaction_instrument(programme: Programme, *, actor: User | None) -> Instrument:
    """The default L1 questionnaire: organiser sections, trainer aspects, relevance, open."""
    inst = _new_instrument(
        programme, InstrumentKind.REACTION, f"Kuesioner reaksi — {programme.title}", actor=actor
    )
    rows: list[Item] = []
    for section, text in ORGANISER_ITEMS:
        rows.append(Item(section=section, kind=ItemKind.LIKERT, text=text))
    for aspect, text in TRAINER_ASPECTS:
        rows.append(Item(section=Section.TRAINER, kind=ItemKind.LIKERT, text=text, aspect=aspect))
    for text in RELEVANCE_ITEMS:
        rows.append(Item(section=Section.RELEVANCE, kind=ItemKind.LIKERT, text=text))
    for text in OPEN_ITEMS:
        rows.append(Item(section=Section.OPEN, kind=ItemKind.OPEN, text=text, required=False))
    for order, row in enumerate(rows, start=1):
        row.instrument = inst
        row.order = order
    Item.objects.bulk_create(rows)
    audit.record(actor=actor, action="evaluation.instrument_created", obj=inst, summary=str(inst))
    return inst


@transaction.atomic
def do_create_behaviour_instrument(
    programme: Programme, *, phase: str, actor: User | None
) -> Instrument:
    """L3 rating of the programme's target behaviours (1–5) at ``phase``; the +3-month form also
    carries the participant's L5 estimate (share attributed × confidence)."""
    if phase not in (Phase.BEFORE, Phase.AFTER_3, Phase.AFTER_6):
        raise ValidationError({"phase": gettext("Tahap penilaian perilaku tidak dikenal.")})
    behaviours = _target_behaviours(programme)
    if not behaviours:
        raise ValidationError(
            {
                "programme": gettext(
                    "Program belum punya kompetensi sasaran dengan indikator perilaku."
                )
            }
        )
    inst = _new_instrument(
        programme,
        InstrumentKind.BEHAVIOUR,
        f"Penilaian perilaku ({Phase(phase).label}) — {programme.title}",
        phase=phase,
        actor=actor,
    )
    rows = [
        Item(section=Section.BEHAVIOUR, kind=ItemKind.LIKERT, text=text, competency_id=cid)
        for cid, text in behaviours
    ]
    if phase == Phase.AFTER_3:
        rows += [
            Item(
                section=Section.ROI, kind=ItemKind.PERCENT, text=text, roi_role=role, required=False
            )
            for role, text in ROI_ITEMS
        ]
    for order, row in enumerate(rows, start=1):
        row.instrument = inst
        row.order = order
    Item.objects.bulk_create(rows)
    audit.record(actor=actor, action="evaluation.instrument_created", obj=inst, summary=str(inst))
    return inst


@dataclass(frozen=True)
class BankItemInput:
    kind: str
    text: str
    options: list[str] = field(default_factory=list)
    correct: str = ""
    points: object = "1"


def _check_bank_item(data: BankItemInput) -> Decimal:
    if data.kind not in (ItemKind.MULTIPLE_CHOICE, ItemKind.TRUE_FALSE, ItemKind.SHORT):
        raise ValidationError(
            {"kind": gettext("Jenis soal harus pilihan ganda, benar/salah atau singkat.")}
        )
    if not data.text.strip():
        raise ValidationError({"text": gettext("Soal tidak boleh kosong.")})
    try:
        points = Decimal(str(data.points).replace(",", "."))
    except InvalidOperation:
        raise ValidationError({"points": gettext("Bobot harus berupa angka.")}) from None
    if not points.is_finite() or points <= 0:
        raise ValidationError({"points": gettext("Bobot harus lebih dari 0.")})
    if data.kind == ItemKind.MULTIPLE_CHOICE:
        options = [o for o in data.options if o.strip()]
        if len(options) < 2:
            raise ValidationError(
                {"options": gettext("Pilihan ganda butuh paling sedikit dua pilihan.")}
            )
        if data.correct not in options:
            raise ValidationError({"correct": gettext("Kunci jawaban harus salah satu pilihan.")})
    if data.kind == ItemKind.TRUE_FALSE and data.correct not in ("benar", "salah"):
        raise ValidationError({"correct": gettext("Kunci benar/salah harus 'benar' atau 'salah'.")})
    return points


@transaction.atomic
def do_add_bank_items(
    programme: Programme, *, items: Sequence[BankItemInput], actor: User | None
) -> list[BankItem]:
    rows = []
    for n, data in enumerate(items, start=1):
        try:
            points = _check_bank_item(data)
        except ValidationError as exc:
            raise ValidationError(
                gettext("Soal ke-{n}: {errors}").format(n=n, errors="; ".join(exc.messages))
            ) from None
        rows.append(
            BankItem(
                programme=programme,
                kind=data.kind,
                text=data.text.strip(),
                options=[o.strip() for o in data.options if o.strip()],
                correct=data.correct.strip(),
                points=points,
            )
        )
    created = BankItem.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="evaluation.bank_items_added",
        obj=programme,
        summary=f"{len(rows)} soal",
    )
    return created


@transaction.atomic
def do_create_test_forms(
    programme: Programme, *, parallel: bool, actor: User | None
) -> tuple[Instrument, Instrument]:
    """Pre-test and post-test from the active bank items. ``parallel``: the bank is split in two
    interleaved halves (form A as pre-test, B as post-test); otherwise both use every item."""
    bank = list(BankItem.objects.filter(programme=programme, is_active=True).order_by("id"))
    if len(bank) < (4 if parallel else 2):
        raise ValidationError(
            {"bank": gettext("Bank soal terlalu sedikit untuk membuat pre-test dan post-test.")}
        )
    pre_items, post_items = (bank[0::2], bank[1::2]) if parallel else (bank, bank)
    made = []
    for kind, label, chosen in (
        (InstrumentKind.PRETEST, "A" if parallel else "", pre_items),
        (InstrumentKind.POSTTEST, "B" if parallel else "", post_items),
    ):
        inst = _new_instrument(
            programme,
            kind,
            f"{InstrumentKind(kind).label} — {programme.title}",
            form_label=label,
            actor=actor,
        )
        Item.objects.bulk_create(
            [
                Item(
                    instrument=inst,
                    order=n,
                    section=Section.TEST,
                    kind=b.kind,
                    text=b.text,
                    options=b.options,
                    correct=b.correct,
                    points=b.points,
                    bank_item=b,
                    competency_id=b.competency_id,
                )
                for n, b in enumerate(chosen, start=1)
            ]
        )
        audit.record(
            actor=actor, action="evaluation.instrument_created", obj=inst, summary=str(inst)
        )
        made.append(inst)
    return made[0], made[1]


@transaction.atomic
def do_create_default_instruments(programme: Programme, *, actor: User | None) -> list[Instrument]:
    """The library of defaults: reaction, behaviour before/+3/+6 months, and the test forms when
    the item bank has enough questions. Existing kinds are left alone."""
    have = set(Instrument.objects.filter(programme=programme).values_list("kind", "phase"))
    made: list[Instrument] = []
    if (InstrumentKind.REACTION, "") not in have:
        made.append(do_create_reaction_instrument(programme, actor=actor))
    if _target_behaviours(programme):
        for phase in (Phase.BEFORE, Phase.AFTER_3, Phase.AFTER_6):
            if (InstrumentKind.BEHAVIOUR, phase) not in have:
                made.append(do_create_behaviour_instrument(programme, phase=phase, actor=actor))
    if (InstrumentKind.PRETEST, "") not in have and BankItem.objects.filter(
        programme=programme, is_active=True
    ).count() >= 4:
        made.extend(do_create_test_forms(programme, parallel=True, actor=actor))
    return made


@transaction.atomic
def do_set_instrument_status(
    instrument: Instrument, *, status: str, actor: User | None
) -> Instrument:
    if status not in InstrumentStatus.values:
        raise ValidationError({"status": gettext("Status instrumen tidak dikenal.")})
    if status == InstrumentStatus.OPEN:
        if not instrument.items.exists():
            raise ValidationError({"status": gettext("Instrumen tanpa butir tidak dapat dibuka.")})
        clash = Instrument.objects.filter(
            programme_id=instrument.programme_id,
            kind=instrument.kind,
            phase=instrument.phase,
            status=InstrumentStatus.OPEN,
        ).exclude(pk=instrument.pk)
        if (
            instrument.kind in (InstrumentKind.REACTION, InstrumentKind.BEHAVIOUR)
            and clash.exists()
        ):
            raise ValidationError(
                {"status": gettext("Versi lain instrumen ini masih dibuka; tutup dulu versi itu.")}
            )
    before = instrument.status
    instrument.status = status
    instrument.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action="evaluation.instrument_status",
        obj=instrument,
        before={"status": before},
        after={"status": status},
    )
    return instrument


@transaction.atomic
def do_new_version(instrument: Instrument, *, actor: User | None) -> Instrument:
    """Copy an instrument and its items as the next version (a draft to edit)."""
    copy = _new_instrument(
        instrument.programme,
        instrument.kind,
        instrument.title,
        phase=instrument.phase,
        form_label=instrument.form_label,
        scale_max=instrument.scale_max,
        actor=actor,
    )
    items = list(instrument.items.all())
    for item in items:
        item.pk = None
        item.instrument = copy
    Item.objects.bulk_create(items)
    audit.record(actor=actor, action="evaluation.instrument_versioned", obj=copy, summary=str(copy))
    return copy

"""Instruments: the default library, versions, opening and closing, editing a draft
questionnaire, questionnaires built from a file's columns, the item bank, test forms."""

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
from kompeten.evaluation import scales
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


def _store_items(inst: Instrument, rows: list[Item], *, actor: User | None) -> Instrument:
    """Store `rows`, numbered in their order, as the items of the new instrument `inst`, and
    record its creation."""
    for order, row in enumerate(rows, start=1):
        row.instrument = inst
        row.order = order
    Item.objects.bulk_create(rows)
    audit.record(actor=actor, action="evaluation.instrument_created", obj=inst, summary=str(inst))
    return inst


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
    return _store_items(inst, rows, actor=actor)


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
    return _store_items(inst, rows, actor=actor)


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
        rows = [
            Item(
                section=Section.TEST,
                kind=b.kind,
                text=b.text,
                options=b.options,
                correct=b.correct,
                points=b.points,
                bank_item=b,
                competency_id=b.competency_id,
            )
            for b in chosen
        ]
        made.append(_store_items(inst, rows, actor=actor))
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
    audit.save_field(
        instrument, "status", status, actor=actor, action="evaluation.instrument_status"
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


# --- editing a questionnaire version and creating one from a file's columns ------------------


def _check_editable(instrument: Instrument) -> None:
    if instrument.status != InstrumentStatus.DRAFT or instrument.responses.exists():
        raise ValidationError(
            gettext(
                "Instrumen yang sudah dibuka atau sudah dijawab tidak dapat diubah; "
                "buat versi baru lalu ubah versi itu."
            )
        )


def _item_scale(
    kind: str, scale_max: int | None, labels: Sequence[str]
) -> tuple[int | None, list[str]]:
    """(scale_max, options) of a Likert item, checked; other kinds keep neither."""
    if kind != ItemKind.LIKERT:
        return None, []
    clean = [str(label).strip() for label in labels if str(label).strip()]
    if clean:
        if not 2 <= len(clean) <= 10:
            raise ValidationError({"labels": gettext("Skala berlabel butuh 2–10 label.")})
        if len({scales.normalise(label) for label in clean}) != len(clean):
            raise ValidationError({"labels": gettext("Label skala tidak boleh kembar.")})
        return len(clean), clean
    if scale_max is not None and not 2 <= scale_max <= 10:
        raise ValidationError({"scale_max": gettext("Skala Likert harus 2–10.")})
    return scale_max, []


@dataclass(frozen=True)
class ItemInput:
    """A questionnaire item as typed on the page: ``labels`` lowest first (a labelled scale),
    else ``scale_max`` (None: the questionnaire's own scale)."""

    text: str
    kind: str = ItemKind.LIKERT
    section: str = Section.GENERAL
    scale_max: int | None = None
    labels: tuple[str, ...] = ()
    required: bool = True


def _checked_item(data: ItemInput) -> tuple[str, int | None, list[str]]:
    text = data.text.strip()
    if not text:
        raise ValidationError({"text": gettext("Pertanyaan tidak boleh kosong.")})
    if data.kind not in (ItemKind.LIKERT, ItemKind.OPEN):
        raise ValidationError(
            {"kind": gettext("Butir kuesioner reaksi harus skala Likert atau isian terbuka.")}
        )
    if data.section not in Section.values or data.section in (
        Section.TEST,
        Section.BEHAVIOUR,
        Section.ROI,
    ):
        raise ValidationError({"section": gettext("Bagian kuesioner tidak dikenal.")})
    scale_max, labels = _item_scale(data.kind, data.scale_max, data.labels)
    return text, scale_max, labels


@transaction.atomic
def do_add_item(instrument: Instrument, *, data: ItemInput, actor: User | None) -> Item:
    """Add an item at the end of a draft reaction questionnaire."""
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if instrument.kind != InstrumentKind.REACTION:
        raise ValidationError(gettext("Butir hanya dapat ditambahkan ke kuesioner reaksi."))
    _check_editable(instrument)
    text, scale_max, labels = _checked_item(data)
    if data.section == Section.TRAINER and data.kind == ItemKind.LIKERT:
        aspect = scales.normalise(text).replace(" ", "_")[:40]
    else:
        aspect = ""
    order = (instrument.items.aggregate(m=Max("order"))["m"] or 0) + 1
    item = Item.objects.create(
        instrument=instrument,
        order=order,
        section=data.section,
        kind=data.kind,
        text=text,
        options=labels,
        scale_max=scale_max,
        aspect=aspect,
        required=data.required and data.kind != ItemKind.OPEN,
    )
    audit.record(actor=actor, action="evaluation.item_added", obj=instrument, summary=text[:100])
    return item


@transaction.atomic
def do_update_item(item: Item, *, data: ItemInput, actor: User | None) -> Item:
    """Reword an item of a draft questionnaire, or change its kind or scale."""
    instrument = Instrument.objects.select_for_update().get(pk=item.instrument_id)
    _check_editable(instrument)
    text, scale_max, labels = _checked_item(data)
    before = {"text": item.text, "kind": item.kind, "options": item.options}
    item.text = text
    item.kind = data.kind
    item.section = data.section
    item.scale_max = scale_max
    item.options = labels
    item.required = data.required and data.kind != ItemKind.OPEN
    item.save(update_fields=["text", "kind", "section", "scale_max", "options", "required"])
    audit.record(
        actor=actor,
        action="evaluation.item_updated",
        obj=instrument,
        before=before,
        after={"text": text, "kind": data.kind, "options": labels},
    )
    return item


@transaction.atomic
def do_remove_item(item: Item, *, actor: User | None) -> None:
    """Remove an item of a draft questionnaire; the later items move up."""
    instrument = Instrument.objects.select_for_update().get(pk=item.instrument_id)
    _check_editable(instrument)
    order, text = item.order, item.text
    item.delete()
    later = list(instrument.items.filter(order__gt=order).order_by("order"))
    for it in later:  # unique (instrument, order): one by one, lowest first, a few dozen at most
        it.order -= 1
        it.save(update_fields=["order"])
    audit.record(actor=actor, action="evaluation.item_removed", obj=instrument, summary=text[:100])


@transaction.atomic
def do_set_instrument_scale(
    instrument: Instrument, *, scale_max: int, actor: User | None
) -> Instrument:
    """Choose the questionnaire's own Likert scale (1..``scale_max``)."""
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    _check_editable(instrument)
    if not 2 <= scale_max <= 10:
        raise ValidationError({"scale_max": gettext("Skala Likert harus 2–10.")})
    audit.save_field(
        instrument, "scale_max", scale_max, actor=actor, action="evaluation.instrument_scale"
    )
    return instrument


def _spec(kind: scales.ColumnSpec | str) -> scales.ColumnSpec:
    if isinstance(kind, scales.ColumnSpec):
        return kind
    text = str(kind).strip()
    if text in (scales.LIKERT, ItemKind.LIKERT):
        return scales.ColumnSpec(kind=scales.LIKERT)
    if text in (scales.OPEN, ItemKind.OPEN):
        return scales.ColumnSpec(kind=scales.OPEN)
    labels = scales.parse_labels(text.split(":", 1)[1] if text.startswith("labels:") else text)
    return scales.ColumnSpec(kind=scales.LABELS, scale_max=len(labels), labels=labels)


def _check_columns(headers: list[str], specs: list[scales.ColumnSpec]) -> None:
    """Every column has a title, once, and a known kind."""
    seen: set[str] = set()
    for n, (header, spec) in enumerate(zip(headers, specs, strict=True), start=1):
        if not header:
            raise ValidationError(gettext("Kolom ke-{n}: judul kolom kosong.").format(n=n))
        if header.casefold() in seen:
            raise ValidationError(
                gettext("Kolom '{header}' muncul dua kali.").format(header=header)
            )
        seen.add(header.casefold())
        if spec.kind not in scales.COLUMN_KINDS:
            raise ValidationError(
                gettext("Kolom '{header}': jenis '{kind}' tidak dikenal.").format(
                    header=header, kind=spec.kind
                )
            )


def _column_item(
    header: str, spec: scales.ColumnSpec, main_scale: int
) -> tuple[str, str, int | None, list[str]]:
    """(kind, section, own scale or None for the questionnaire's, labels) of the item a
    column becomes."""
    kind: str
    section: str
    scale_max: int | None
    labels: list[str]
    if spec.kind == scales.OPEN:
        kind, section, scale_max, labels = ItemKind.OPEN, Section.OPEN, None, []
    else:
        kind = ItemKind.LIKERT
        section = spec.section or scales.guess_section(header)
        if section not in Section.values or section in (Section.TRAINER, Section.OPEN):
            section = Section.GENERAL
        try:
            scale_max, labels = _item_scale(
                kind,
                None if spec.kind == scales.LABELS else spec.scale_max,
                spec.labels if spec.kind == scales.LABELS else (),
            )
        except ValidationError as exc:
            raise ValidationError(
                gettext("Kolom '{header}': {error}").format(
                    header=header, error="; ".join(exc.messages)
                )
            ) from None
        if spec.kind == scales.LABELS and not labels:
            raise ValidationError(
                gettext("Kolom '{header}': skala berlabel tanpa label.").format(header=header)
            )
        if scale_max == main_scale and not labels:
            scale_max = None
    return kind, section, scale_max, labels


@transaction.atomic
def do_create_instrument_from_columns(
    programme: Programme,
    columns: Sequence[str],
    kinds: Sequence[scales.ColumnSpec | str],
    *,
    actor: User | None = None,
    title: str = "",
) -> Instrument:
    """A new reaction questionnaire version whose items are a file's question columns.

    ``kinds[i]`` says how column ``i`` is answered: a :class:`~kompeten.evaluation.scales.ColumnSpec`,
    or ``"likert"``, ``"open"`` or a label list such as ``"Sangat Baik / Baik / Cukup / Kurang /
    Sangat Kurang"``. The questionnaire's own scale is the most common numeric Likert scale; each
    item keeps its own (``Item.scale_max``, or its labels). Items remember their column
    (``Item.source_column``) so the same file's columns map onto them again.
    """
    if len(columns) != len(kinds):
        raise ValidationError(gettext("Jumlah kolom dan jenis kolom tidak sama."))
    specs = [_spec(k) for k in kinds]
    if not columns:
        raise ValidationError(gettext("Berkas tidak memuat kolom pertanyaan."))
    headers = [str(c).strip() for c in columns]
    _check_columns(headers, specs)
    numeric = [s.scale_max for s in specs if s.kind == scales.LIKERT]
    main_scale = max(set(numeric), key=numeric.count) if numeric else 5
    inst = _new_instrument(
        programme,
        InstrumentKind.REACTION,
        title.strip() or f"Kuesioner reaksi — {programme.title}",
        scale_max=main_scale,
        actor=actor,
    )
    rows: list[Item] = []
    for order, (header, spec) in enumerate(zip(headers, specs, strict=True), start=1):
        text = scales.item_text(header)
        kind, section, scale_max, labels = _column_item(header, spec, main_scale)
        rows.append(
            Item(
                instrument=inst,
                order=order,
                section=section,
                kind=kind,
                text=text[:4000],
                options=labels,
                scale_max=scale_max,
                required=False,
                source_column=header[:300],
            )
        )
    Item.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        action="evaluation.instrument_created",
        obj=inst,
        summary=f"{inst} ({len(rows)} butir dari kolom berkas)",
    )
    return inst

"""Forms: the public SKM form (built from the unit's questionnaire version), filters, complaint
entry and the import uploads."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kompeten.core.forms import DateTimeField
from kompeten.core.importing.declare import OptionsForm
from kompeten.core.models import User
from kompeten.people.models import Unit
from kompeten.people.scoping import unit_subtree_q
from kompeten.service.models import (
    AgeGroup,
    ComplaintCategory,
    ComplaintStatus,
    Occupation,
    RespondentEducation,
    Service,
    ServiceUnit,
    Sex,
)
from kompeten.service.versions import answer_labels
from kompeten.standards.ikm import SkmVersion

HONEYPOT = "situs_web"


class SurveyForm(forms.Form):
    """The SKM questionnaire: one radio group per unsur (official answer labels), the respondent
    profile, an optional suggestion and ticket, and a honeypot field humans never see."""

    def __init__(
        self,
        *args: Any,
        version: SkmVersion,
        services: list[Service],
        fixed_service: Service | None,
        ticket_mode: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.unsur_fields: list[str] = []
        for i, u in enumerate(version.unsur, start=1):
            name = f"u_{u.slug}"
            self.fields[name] = forms.TypedChoiceField(
                label=f"{i}. {u.name}",
                choices=[(str(k), label) for k, label in enumerate(answer_labels(u), start=1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": format_lazy(
                        _("Mohon pilih salah satu jawaban untuk unsur {unsur}."), unsur=u.name
                    ),
                    "invalid_choice": format_lazy(
                        _("Jawaban untuk unsur {unsur} harus salah satu pilihan 1–4."),
                        unsur=u.name,
                    ),
                },
            )
            self.unsur_fields.append(name)
        if fixed_service is None and services:
            self.fields["service"] = forms.ChoiceField(
                label=_("Jenis layanan yang diterima"),
                choices=[("", _("— pilih —"))] + [(str(s.pk), s.name) for s in services],
                required=False,
            )
        self.fields["sex"] = forms.ChoiceField(
            label=_("Jenis kelamin"), choices=Sex.choices, widget=forms.RadioSelect
        )
        self.fields["age_group"] = forms.ChoiceField(
            label=_("Usia"), choices=[("", _("— pilih —")), *AgeGroup.choices]
        )
        self.fields["education"] = forms.ChoiceField(
            label=_("Pendidikan terakhir"),
            choices=[("", _("— pilih —")), *RespondentEducation.choices],
        )
        self.fields["occupation"] = forms.ChoiceField(
            label=_("Pekerjaan"), choices=[("", _("— pilih —")), *Occupation.choices]
        )
        if ticket_mode != "off":
            self.fields["ticket"] = forms.CharField(
                label=_("Nomor tiket layanan (tertera di bukti layanan)"),
                max_length=40,
                required=ticket_mode == "required",
            )
        self.fields["suggestion"] = forms.CharField(
            label=_("Saran dan masukan (boleh dikosongkan)"),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
            max_length=2000,
        )
        self.fields[HONEYPOT] = forms.CharField(
            label=_("Jangan isi kolom ini"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )

    def unsur_bound(self) -> list[forms.BoundField]:
        return [self[name] for name in self.unsur_fields]

    def profile_bound(self) -> list[forms.BoundField]:
        names = ["service", "sex", "age_group", "education", "occupation", "ticket", "suggestion"]
        return [self[n] for n in names if n in self.fields]

    def scores(self) -> dict[str, int]:
        return {name[2:]: self.cleaned_data[name] for name in self.unsur_fields}


def _allowed_answers(version: SkmVersion) -> tuple[tuple[str, frozenset[str]], ...]:
    hit = _ANSWERS.get(version.id)
    if hit is None or hit[0] is not version:
        table = tuple(
            (
                f"u_{u.slug}",
                frozenset(str(k) for k in range(1, len(answer_labels(u)) + 1)),
            )
            for u in version.unsur
        )
        hit = (version, table)
        _ANSWERS[version.id] = hit
    return hit[1]


_ANSWERS: dict[str, tuple[SkmVersion, tuple[tuple[str, frozenset[str]], ...]]] = {}
_PROFILE_CHOICES = (
    ("sex", frozenset(Sex.values)),
    ("age_group", frozenset(AgeGroup.values)),
    ("education", frozenset(RespondentEducation.values)),
    ("occupation", frozenset(Occupation.values)),
)


def _text(data: Any, name: str, max_length: int) -> str | None:
    """CharField semantics: the last value, stripped; None when too long or holding NUL."""
    value = data.get(name)
    value = "" if value in (None, "") else str(value).strip()
    if len(value) > max_length or "\x00" in value:
        return None
    return value


def clean_survey_fast(
    data: Any,
    *,
    version: SkmVersion,
    services: list[Service],
    fixed_service: Service | None,
    ticket_mode: str,
) -> dict[str, Any] | None:
    """The cleaned data :class:`SurveyForm` would give for ``data``, or None when the form would
    find any error (then build the form to show the messages).

    The accepted answer is the hot path of the public survey (hundreds of answers a
    second); building the form's seventeen fields costs more than the database write, so a
    valid answer is checked against precomputed tables instead. A property test holds this
    function to the form on arbitrary input (tests/service/test_public_form.py).
    """
    cleaned: dict[str, Any] = {}
    for name, allowed in _allowed_answers(version):
        value = data.get(name)
        if value not in allowed:
            return None
        cleaned[name] = int(value)
    if fixed_service is None and services:
        value = data.get("service")
        value = "" if value in (None, "") else str(value)
        if value and value not in {str(s.pk) for s in services}:
            return None
        cleaned["service"] = value
    for name, allowed in _PROFILE_CHOICES:
        value = data.get(name)
        if value not in allowed:
            return None
        cleaned[name] = value
    if ticket_mode != "off":
        ticket = _text(data, "ticket", 40)
        if ticket is None or (ticket_mode == "required" and not ticket):
            return None
        cleaned["ticket"] = ticket
    suggestion = _text(data, "suggestion", 2000)
    if suggestion is None:
        return None
    cleaned["suggestion"] = suggestion
    honeypot = _text(data, HONEYPOT, 10**9)
    if honeypot is None:
        return None
    cleaned[HONEYPOT] = honeypot
    return cleaned


YEAR_CHOICES = [(str(y), str(y)) for y in range(2017, 2031)]
WEIGHT_CHOICES = [("exact", _("Tepat 1/9")), ("0.111", _("0,111 (seperti tercetak)"))]


class IkmFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), choices=YEAR_CHOICES, coerce=int)
    month_from = forms.TypedChoiceField(
        label=_("Dari bulan"),
        choices=[(str(m), str(m)) for m in range(1, 13)],
        coerce=int,
        initial=1,
    )
    month_to = forms.TypedChoiceField(
        label=_("Sampai bulan"),
        choices=[(str(m), str(m)) for m in range(1, 13)],
        coerce=int,
        initial=12,
    )
    weight = forms.ChoiceField(label=_("Bobot"), choices=WEIGHT_CHOICES, initial="exact")

    opened_on = ""  # set when the page opened on an earlier year (core.years)

    @classmethod
    def from_request(cls, data: Any, default_year: int | None = None) -> IkmFilterForm:
        defaults = {
            "year": str(default_year or timezone.localdate().year),
            "month_from": "1",
            "month_to": "12",
            "weight": "exact",
        }
        merged = {**defaults, **{k: v for k, v in data.items() if v}}
        form = cls(merged)
        if not form.is_valid():
            form = cls(defaults)
            form.is_valid()
        if form.cleaned_data["month_to"] < form.cleaned_data["month_from"]:
            form.cleaned_data["month_to"] = form.cleaned_data["month_from"]
        return form


class ComplaintFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), choices=YEAR_CHOICES, coerce=int)
    unit = forms.TypedChoiceField(
        label=_("Unit kerja"), coerce=int, required=False, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Semua")), *ComplaintStatus.choices]
    )

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Semua unit")), *units]  # type: ignore[attr-defined]

    opened_on = ""  # set when the page opened on an earlier year (core.years)

    @classmethod
    def from_request(
        cls, data: Any, units: list[tuple[int, str]], default_year: int | None = None
    ) -> ComplaintFilterForm:
        defaults = {"year": str(default_year or timezone.localdate().year)}
        form = cls({**defaults, **{k: v for k, v in data.items() if v}}, units=units)
        if not form.is_valid():
            form = cls(defaults, units=units)
            form.is_valid()
        return form


class ComplaintForm(forms.Form):
    tracking_number = forms.CharField(label=_("Nomor pelacakan"), max_length=60)
    unit = forms.TypedChoiceField(label=_("Unit kerja"), coerce=int)
    category = forms.ChoiceField(label=_("Kategori SLA"), choices=ComplaintCategory.choices)
    subject = forms.CharField(label=_("Perihal"), max_length=300, required=False)
    received_at = DateTimeField(
        label=_("Diterima"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    officer_nip = forms.CharField(label=_("NIP petugas penanganan"), max_length=18, required=False)

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]


class ComplaintStepForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Status baru"), choices=ComplaintStatus.choices)
    at = DateTimeField(
        label=_("Waktu"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    officer_nip = forms.CharField(label=_("NIP petugas"), max_length=18, required=False)
    substantive = forms.TypedChoiceField(
        label=_("Tindak lanjut substantif?"),
        choices=[("", "—"), ("1", _("Ya")), ("0", _("Tidak"))],
        coerce=lambda v: v == "1",
        required=False,
        empty_value=None,
    )
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)


def import_units(
    user: User | None, instansi_id: int | None = None
) -> tuple[QuerySet[ServiceUnit], QuerySet[Unit]]:
    """The service units and OPD units SKM answers may be imported into: every one of the
    instansi (admin, or the CLI run without a user), those of the managed subtree (pengelola),
    none otherwise."""
    if user is None:
        if instansi_id is None:
            return ServiceUnit.objects.none(), Unit.objects.none()
        units = Unit.objects.filter(instansi_id=instansi_id, is_active=True)
        return ServiceUnit.objects.filter(instansi_id=instansi_id), units
    if not user.is_authenticated or user.instansi_id is None:
        return ServiceUnit.objects.none(), Unit.objects.none()
    units = Unit.objects.filter(instansi_id=user.instansi_id, is_active=True)
    if not user.is_admin:
        if user.is_pengelola and user.managed_unit is not None:
            units = units.filter(unit_subtree_q(user.managed_unit))
        else:
            units = units.none()
    service_units = ServiceUnit.objects.filter(instansi_id=user.instansi_id, unit__in=units)
    return service_units, units


def import_targets(
    user: User | None, instansi_id: int | None = None
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(service units, units without a service unit) as (pk, label) for the options form. Units
    come in tree order (each OPD followed by its sub-units); a name that several units share is
    labelled with its parent ("SEKRETARIAT — KECAMATAN BARANGIN"), since many OPDs have a
    Sekretariat or a Seksi Pelayanan."""
    service_units, units = import_units(user, instansi_id)
    with_su = list(service_units.order_by("name").values_list("pk", "name", "unit_id"))
    have = {unit_id for _pk, _name, unit_id in with_su}
    rows = list(units.order_by("path").values_list("pk", "name", "parent__name"))
    shared = {n for n, k in Counter(name.casefold() for _pk, name, _p in rows).items() if k > 1}
    opd = [
        (pk, f"{name} — {parent}" if parent and name.casefold() in shared else name)
        for pk, name, parent in rows
        if pk not in have
    ]
    return [(pk, name) for pk, name, _unit in with_su], opd


class SkmImportOptionsForm(OptionsForm):
    """Options of the SKM answers import: the service unit the answers belong to, or an OPD
    unit without one (its service unit is created when ``create_service_unit`` is ticked).
    (The CLI fills ``target`` from ``--unit`` or the unit an e-SKM title row names.)"""

    target = forms.ChoiceField(
        label=_("Unit layanan"),
        help_text=_(
            "Unit layanan tujuan jawaban, atau OPD yang belum punya unit layanan (dibuat saat "
            "impor)."
        ),
    )
    create_service_unit = forms.BooleanField(
        label=_("Buat unit layanan untuk OPD ini"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service_units, opd_units = import_targets(self.user, self.instansi.pk)
        choices: list[Any] = [("", "—")]
        if service_units:
            choices.append((_("Unit layanan"), [(f"su:{pk}", name) for pk, name in service_units]))
        if opd_units:
            choices.append(
                (
                    _("OPD tanpa unit layanan (dibuat saat impor)"),
                    [(f"unit:{pk}", name) for pk, name in opd_units],
                )
            )
        self.fields["target"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        target = data.get("target") or ""
        data["service_unit"] = int(target[3:]) if target.startswith("su:") else None
        data["unit"] = int(target[5:]) if target.startswith("unit:") else None
        if data["unit"] is not None and not data.get("create_service_unit"):
            self.add_error(
                "create_service_unit",
                _("OPD ini belum punya unit layanan: centang 'Buat unit layanan untuk OPD ini'."),
            )
        return data


# --- staff management of service units (views/manage.py) -----------------------------------

MAX_EXTRA_UNSUR = 5
MAX_TICKETS_PER_BATCH = 2000


class ServiceUnitForm(forms.Form):
    """Create (with ``code``) or edit a service unit; ``units`` are the OPD units in scope."""

    unit = forms.TypedChoiceField(
        label=_("Unit kerja (OPD)"),
        coerce=int,
        error_messages={"invalid_choice": _("Unit kerja ini di luar lingkup Anda.")},
    )
    name = forms.CharField(label=_("Nama unit layanan"), max_length=200)
    code = forms.SlugField(
        label=_("Kode survei (dipakai di alamat /survei/<kode>/)"),
        max_length=40,
        error_messages={"invalid": _("Kode hanya boleh huruf kecil, angka dan tanda hubung.")},
    )
    population = forms.IntegerField(
        label=_("Populasi pengguna layanan per tahun (untuk sampel Krejcie–Morgan)"),
        min_value=1,
        max_value=1_000_000_000,
        required=False,
    )
    requires_ticket = forms.BooleanField(label=_("Wajib nomor tiket layanan"), required=False)
    is_active = forms.BooleanField(label=_("Aktif menerima survei"), required=False, initial=True)

    def __init__(
        self, *args: Any, units: list[tuple[int, str]], creating: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
        if not creating:
            del self.fields["code"]
        else:
            del self.fields["is_active"]


class ServiceForm(forms.Form):
    code = forms.SlugField(
        label=_("Kode"),
        max_length=40,
        error_messages={"invalid": _("Kode hanya boleh huruf kecil, angka dan tanda hubung.")},
    )
    name = forms.CharField(label=_("Jenis layanan"), max_length=200)


def _weight(text: str) -> str:
    """A weight as typed ("1/9", "0,1", "0.1") → a canonical string, or ValidationError."""
    from fractions import Fraction

    cleaned = text.strip().replace(",", ".")
    try:
        value = Fraction(cleaned)
    except (ValueError, ZeroDivisionError):
        raise forms.ValidationError(
            _("Bobot %(value)r bukan angka (contoh: 1/9 atau 0,1)."), params={"value": text}
        ) from None
    if value <= 0:
        raise forms.ValidationError(_("Bobot harus lebih dari 0."))
    return str(value)


class QuestionnaireVersionForm(forms.Form):
    """A new questionnaire version: the base set's unsur, up to :data:`MAX_EXTRA_UNSUR` added
    unsur, and a weight per unsur. All weights blank means equal weights (1/k)."""

    base = forms.ChoiceField(label=_("Regulasi dasar"), choices=[])

    def __init__(self, *args: Any, base_unsur: list[tuple[str, str]], **kwargs: Any) -> None:
        from kompeten.service.models import Regulation

        super().__init__(*args, **kwargs)
        self.fields["base"].choices = Regulation.choices  # type: ignore[attr-defined]
        self.base_unsur = base_unsur
        for slug, name in base_unsur:
            self.fields[f"w_{slug}"] = forms.CharField(label=name, max_length=20, required=False)
        for i in range(1, MAX_EXTRA_UNSUR + 1):
            self.fields[f"x{i}_name"] = forms.CharField(
                label=_("Unsur tambahan %(i)s") % {"i": i}, max_length=120, required=False
            )
            self.fields[f"x{i}_labels"] = forms.CharField(
                label=_("Empat label jawaban, dipisah titik koma"),
                max_length=300,
                required=False,
                initial="Tidak baik; Kurang baik; Baik; Sangat baik",
            )
            self.fields[f"x{i}_weight"] = forms.CharField(
                label=_("Bobot"), max_length=20, required=False
            )

    def base_rows(self) -> list[forms.BoundField]:
        return [self[f"w_{slug}"] for slug, _name in self.base_unsur]

    def extra_rows(self) -> list[tuple[forms.BoundField, ...]]:
        return [
            (self[f"x{i}_name"], self[f"x{i}_labels"], self[f"x{i}_weight"])
            for i in range(1, MAX_EXTRA_UNSUR + 1)
        ]

    def clean(self) -> dict[str, Any]:
        from django.utils.text import slugify

        data = super().clean() or {}
        extra: list[dict[str, Any]] = []
        weights: dict[str, str] = {}
        taken = {slug for slug, _name in self.base_unsur}
        for slug, _name in self.base_unsur:
            raw = data.get(f"w_{slug}") or ""
            if raw.strip():
                try:
                    weights[slug] = _weight(raw)
                except forms.ValidationError as exc:
                    self.add_error(f"w_{slug}", exc)
        for i in range(1, MAX_EXTRA_UNSUR + 1):
            name = (data.get(f"x{i}_name") or "").strip()
            raw_weight = (data.get(f"x{i}_weight") or "").strip()
            if not name:
                if raw_weight:
                    self.add_error(f"x{i}_name", _("Nama unsur tambahan wajib diisi."))
                continue
            labels = [x.strip() for x in (data.get(f"x{i}_labels") or "").split(";") if x.strip()]
            if len(labels) != 4:
                self.add_error(
                    f"x{i}_labels",
                    _("Unsur %(name)s perlu tepat empat label jawaban (ada %(n)s).")
                    % {"name": name, "n": len(labels)},
                )
                continue
            slug = slugify(name)[:50] or f"unsur-{i}"
            if slug in taken:
                self.add_error(f"x{i}_name", _("Unsur %(name)s sudah ada.") % {"name": name})
                continue
            taken.add(slug)
            extra.append({"slug": slug, "name": name, "labels": labels})
            if raw_weight:
                try:
                    weights[slug] = _weight(raw_weight)
                except forms.ValidationError as exc:
                    self.add_error(f"x{i}_weight", exc)
        data["extra_unsur"] = extra
        data["weights"] = weights
        return data


class TicketIssueForm(forms.Form):
    """Register ticket numbers typed in (one per line) and/or generate new random ones."""

    numbers = forms.CharField(
        label=_("Nomor tiket yang sudah tercetak (satu per baris)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    generate = forms.IntegerField(
        label=_("Atau buat nomor tiket baru sebanyak"),
        min_value=1,
        max_value=MAX_TICKETS_PER_BATCH,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = [n.strip() for n in (data.get("numbers") or "").splitlines() if n.strip()]
        for n in lines:
            if len(n) > 40:
                raise forms.ValidationError(
                    _("Nomor tiket %(n)s lebih dari 40 karakter.") % {"n": n[:50]}
                )
        if len(lines) > MAX_TICKETS_PER_BATCH:
            raise forms.ValidationError(
                _("Paling banyak %(max)s nomor tiket sekali simpan.")
                % {"max": MAX_TICKETS_PER_BATCH}
            )
        if not lines and not data.get("generate"):
            raise forms.ValidationError(_("Isi nomor tiket atau jumlah tiket yang dibuat."))
        data["lines"] = lines
        return data


class KioskDeviceForm(forms.Form):
    """Name of a new kiosk device (the enrolment code is made by the action)."""

    name = forms.CharField(
        label=_("Nama perangkat"),
        max_length=100,
        help_text=_("Mis. 'Tablet loket 1', agar mudah dikenali saat mencabutnya."),
    )


class KioskEnrolForm(forms.Form):
    """The one-time code typed on the tablet being enrolled."""

    code = forms.CharField(
        label=_("Kode pendaftaran kios"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

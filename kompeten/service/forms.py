"""Forms: the public SKM form (built from the unit's questionnaire version), filters, complaint
entry and the import uploads."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.service.models import (
    AgeGroup,
    ComplaintCategory,
    ComplaintStatus,
    Occupation,
    RespondentEducation,
    Service,
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
                error_messages={"required": _("Mohon pilih salah satu jawaban.")},
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

    @classmethod
    def from_request(cls, data: Any) -> IkmFilterForm:
        defaults = {
            "year": str(timezone.localdate().year),
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

    @classmethod
    def from_request(cls, data: Any, units: list[tuple[int, str]]) -> ComplaintFilterForm:
        defaults = {"year": str(timezone.localdate().year)}
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
    received_at = forms.DateTimeField(
        label=_("Diterima"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    officer_nip = forms.CharField(label=_("NIP petugas penanganan"), max_length=18, required=False)

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]


class ComplaintStepForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Status baru"), choices=ComplaintStatus.choices)
    at = forms.DateTimeField(
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


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Jenis data"),
        choices=[
            ("responses", _("Jawaban SKM (satu baris per responden)")),
            ("summary", _("Ringkasan hasil SKM yang dipublikasikan (NRR dan n per unsur)")),
            ("complaints", _("Pengaduan (ekspor SP4N-LAPOR!)")),
        ],
    )
    service_unit = forms.TypedChoiceField(
        label=_("Unit layanan (untuk jawaban SKM)"), coerce=int, required=False, empty_value=None
    )
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))

    def __init__(self, *args: Any, service_units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_unit"].choices = [("", "—"), *service_units]  # type: ignore[attr-defined]

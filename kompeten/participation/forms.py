"""Forms of the participation screens (validation of input; writes happen in actions)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kompeten.core.forms import DateField, ScopedChoicesForm
from kompeten.participation.actions.jp import CREDIT_UNITS
from kompeten.participation.models import (
    DeclineReason,
    Enrolment,
    EnrolmentStatus,
    PointPolicy,
)
from kompeten.standards.jp import JP_CREDIT, JP_FORMS

ANY = [("", _("Semua"))]


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan"), choices=DeclineReason.choices)
    note = forms.CharField(label=_("Keterangan"), max_length=300, required=False)


def year_choices() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this + 1, this - 5, -1)]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int, choices=year_choices)
    opened_on = ""  # set when the page opened on an earlier year (core.years)

    def clean_year(self) -> int:
        return int(self.cleaned_data["year"])


def selected_year(data: object) -> int:
    form = YearForm(data or None)  # type: ignore[arg-type]
    if form.is_valid():
        return int(form.cleaned_data["year"])
    return timezone.localdate().year


class EnrolmentFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama/NIP"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=ANY + list(EnrolmentStatus.choices), required=False
    )
    programme = forms.CharField(label=_("Program"), required=False)
    year = forms.TypedChoiceField(
        label=_("Tahun"),
        coerce=int,
        choices=lambda: ANY + year_choices(),
        required=False,
        empty_value=None,
    )
    decline_reason = forms.ChoiceField(
        label=_("Alasan menolak"), choices=ANY + list(DeclineReason.choices), required=False
    )


class JpFilterForm(ScopedChoicesForm):
    year = forms.TypedChoiceField(label=_("Tahun"), coerce=int, choices=year_choices)
    unit = forms.ModelChoiceField(label=_("OPD"), queryset=None, required=False)  # type: ignore[var-annotated]
    below = forms.BooleanField(label=_("Hanya yang di bawah target"), required=False)
    opened_on = ""  # set when the page opened on an earlier year (core.years)

    scoped_choices = {"units": "unit"}


FORM_CHOICES = [(slug, f.label) for slug, f in JP_FORMS.forms.items()]


def credit_rule_rows() -> list[dict[str, object]]:
    """The conversion table shown beside the certificate form: form, unit, JP per unit."""
    return [
        {
            "form": JP_FORMS.forms[rule.kind].label if rule.kind in JP_FORMS.forms else rule.kind,
            "unit": gettext(CREDIT_UNITS[rule.unit]),
            "jp_per_unit": rule.jp_per_unit,
            "by_certificate": rule.unit == "jp",
        }
        for rule in JP_CREDIT.rules.values()
    ]


class ExternalCertificateForm(forms.Form):
    title = forms.CharField(label=_("Nama kegiatan"), max_length=250)
    organiser = forms.CharField(label=_("Penyelenggara"), max_length=200)
    form = forms.ChoiceField(label=_("Bentuk pengembangan"), choices=FORM_CHOICES)
    start_date = DateField(label=_("Tanggal mulai"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = DateField(label=_("Tanggal selesai"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.DecimalField(label=_("Jumlah"), min_value=0, max_digits=9, decimal_places=2)
    unit = forms.ChoiceField(
        label=_("Satuan"), choices=[(key, _(label)) for key, label in CREDIT_UNITS.items()]
    )
    file = forms.FileField(label=_("Berkas sertifikat (PDF/gambar, maks. 5 MB)"))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Setujui")), ("reject", _("Tolak"))])
    note = forms.CharField(label=_("Catatan"), max_length=300, required=False)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = PointPolicy
        fields = [
            "per_jp",
            "completion",
            "full_attendance",
            "high_gain",
            "high_gain_threshold",
            "per_proposal",
            "per_vote",
            "per_comment",
            "badge_min_points",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # points are rewards: none is negative; the gain threshold is a normalised gain (0–1)
        for field in self.fields.values():
            assert isinstance(field, forms.DecimalField)
            field.validators.append(MinValueValidator(Decimal(0)))
            field.widget.attrs["min"] = "0"
        threshold = self.fields["high_gain_threshold"]
        assert isinstance(threshold, forms.DecimalField)
        threshold.validators.append(MaxValueValidator(Decimal(1)))
        threshold.widget.attrs["max"] = "1"


def today() -> date:
    return timezone.localdate()


def filter_enrolments(qs: QuerySet[Enrolment], data: dict[str, Any]) -> QuerySet[Enrolment]:
    """The enrolment filter of the Kepesertaan page, its export and the API listing: ``data`` is
    a valid :class:`EnrolmentFilterForm`'s ``cleaned_data``."""
    if data.get("q"):
        qs = qs.filter(
            Q(employee__name__icontains=data["q"])
            | Q(employee__nip__startswith=data["q"].replace(" ", ""))
        )
    for name, lookup in (
        ("status", "status"),
        ("programme", "batch__programme__title__icontains"),
        ("year", "batch__start_date__year"),
        ("decline_reason", "decline_reason"),
    ):
        if data.get(name):
            qs = qs.filter(**{lookup: data[name]})
    return qs

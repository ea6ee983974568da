"""Forms of the scheduling screens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.core.forms import (
    DateField,
    DateTimeField,
    ModelMultipleChoiceField,
    ScopedChoicesForm,
)
from kompeten.scheduling.models import WEEKDAY_NAMES, DutyKind

ANY = [("", _("Semua"))]
WEEKDAY_CHOICES = [(str(i), name) for i, name in enumerate(WEEKDAY_NAMES)]
DT = {"type": "datetime-local"}
D = {"type": "date"}
T = {"type": "time"}


class DutyFilterForm(ScopedChoicesForm):
    q = forms.CharField(label=_("Cari nama/NIP"), required=False)
    kind = forms.ChoiceField(label=_("Jenis"), choices=ANY + list(DutyKind.choices), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False)  # type: ignore[var-annotated]
    month = DateField(
        label=_("Bulan (tanggal mana saja)"), required=False, widget=forms.DateInput(attrs=D)
    )

    scoped_choices = {"units": "unit"}


class DutyForm(ScopedChoicesForm):
    employee = forms.ModelChoiceField(label=_("Pegawai"), queryset=None)  # type: ignore[var-annotated]
    kind = forms.ChoiceField(label=_("Jenis"), choices=DutyKind.choices)
    start = DateTimeField(label=_("Mulai"), widget=forms.DateTimeInput(attrs=DT))
    end = DateTimeField(label=_("Selesai"), widget=forms.DateTimeInput(attrs=DT))
    repeat_until = DateField(
        label=_("Berulang mingguan sampai (opsional)"),
        required=False,
        widget=forms.DateInput(attrs=D),
    )
    note = forms.CharField(label=_("Keterangan"), max_length=200, required=False)

    scoped_choices = {"employees": "employee"}


class WorkPatternForm(ScopedChoicesForm):
    employee = forms.ModelChoiceField(label=_("Pegawai"), queryset=None)  # type: ignore[var-annotated]
    weekdays = forms.MultipleChoiceField(
        label=_("Hari kerja"), choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(label=_("Jam mulai"), widget=forms.TimeInput(attrs=T))
    end_time = forms.TimeField(label=_("Jam selesai"), widget=forms.TimeInput(attrs=T))
    note = forms.CharField(label=_("Keterangan"), max_length=200, required=False)

    scoped_choices = {"employees": "employee"}


class RuleForm(ScopedChoicesForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)  # type: ignore[var-annotated]
    label = forms.CharField(label=_("Nama aturan"), max_length=120)
    weekdays = forms.MultipleChoiceField(
        label=_("Hari"), choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    start_time = forms.TimeField(label=_("Jam mulai"), widget=forms.TimeInput(attrs=T))
    end_time = forms.TimeField(label=_("Jam selesai"), widget=forms.TimeInput(attrs=T))
    min_present = forms.IntegerField(label=_("Minimal petugas hadir"), min_value=1, max_value=999)
    valid_from = DateField(
        label=_("Berlaku mulai"), required=False, widget=forms.DateInput(attrs=D)
    )
    valid_until = DateField(
        label=_("Berlaku sampai"), required=False, widget=forms.DateInput(attrs=D)
    )

    scoped_choices = {"units": "unit"}


class PeakForm(ScopedChoicesForm):
    unit = forms.ModelChoiceField(
        label=_("Unit (kosong: semua)"),
        queryset=None,
        required=False,  # type: ignore[var-annotated]
    )
    label = forms.CharField(label=_("Nama"), max_length=120)
    start_date = DateField(label=_("Mulai"), widget=forms.DateInput(attrs=D))
    end_date = DateField(label=_("Selesai"), widget=forms.DateInput(attrs=D))
    penalty = forms.IntegerField(
        label=_("Bobot penghindaran"), min_value=1, max_value=1000, initial=10
    )

    scoped_choices = {"units": "unit"}


class PlanForm(ScopedChoicesForm):
    title = forms.CharField(label=_("Judul"), max_length=200, required=False)
    batches = ModelMultipleChoiceField(
        label=_("Angkatan"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    time_limit = forms.IntegerField(
        label=_("Batas waktu perencana (detik)"), min_value=1, max_value=600, initial=20
    )

    scoped_choices = {"batches": "batches"}

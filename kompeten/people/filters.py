"""The one source of filtering for the employee list page, its export and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kompeten.people.models import (
    GOLONGAN_CHOICES,
    Education,
    Employee,
    EmployeeStatus,
    JabatanKind,
    Sex,
    Unit,
)

ANY: list[tuple[str, Any]] = [("", _("Semua"))]


def _indented(unit: Unit) -> str:
    return ("— " * unit.depth) + unit.name


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau NIP"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit kerja (termasuk sub-unit)"), queryset=Unit.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ANY + EmployeeStatus.choices, required=False
    )
    jabatan_kind = forms.ChoiceField(
        label=_("Jenis jabatan"), choices=ANY + JabatanKind.choices, required=False
    )
    golongan = forms.ChoiceField(
        label=_("Golongan"), choices=ANY + GOLONGAN_CHOICES, required=False
    )
    education = forms.ChoiceField(
        label=_("Pendidikan"), choices=ANY + Education.choices, required=False
    )
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=ANY + Sex.choices, required=False)
    active = forms.ChoiceField(
        label=_("Keaktifan"),
        choices=[("1", _("Aktif")), ("0", _("Nonaktif")), ("all", _("Semua"))],
        required=False,
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units.order_by("path")
        unit_field.label_from_instance = _indented  # type: ignore[method-assign,assignment]


def filter_employees(qs: QuerySet[Employee], form: EmployeeFilterForm) -> QuerySet[Employee]:
    if not form.is_valid():
        return qs.filter(is_active=True)
    data = form.cleaned_data
    text = (data.get("q") or "").strip()
    if text:
        compact = text.replace(" ", "")
        if compact.isdigit():
            qs = qs.filter(nip__startswith=compact)
        else:
            qs = qs.filter(Q(name__icontains=text) | Q(jabatan_name__icontains=text))
    unit = data.get("unit")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    for name in ("status", "jabatan_kind", "golongan", "education", "sex"):
        if data.get(name):
            qs = qs.filter(**{name: data[name]})
    active = data.get("active") or "1"
    if active == "1":
        qs = qs.filter(is_active=True)
    elif active == "0":
        qs = qs.filter(is_active=False)
    return qs

"""The one source of filtering for the employee list page, its export and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
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


class FastSelect(forms.Select):
    """A <select> built in Python. Django renders each <option> through a template (about
    0.5 ms each); an instansi has a thousand units or more, which made the filter form cost more
    than the whole rest of the employee list page."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = {str(v) for v in self.format_value(value)}
        parts = []
        for v, label in self.choices:
            key = str(v)
            mark = " selected" if key in chosen else ""
            parts.append(f'<option value="{escape(key)}"{mark}>{escape(label)}</option>')
        return mark_safe(f"<select{flatatt(final)}>{''.join(parts)}</select>")


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau NIP"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit kerja (termasuk sub-unit)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=ANY + EmployeeStatus.choices, required=False, widget=FastSelect
    )
    jabatan_kind = forms.ChoiceField(
        label=_("Jenis jabatan"),
        choices=ANY + JabatanKind.choices,
        required=False,
        widget=FastSelect,
    )
    golongan = forms.ChoiceField(
        label=_("Golongan"), choices=ANY + GOLONGAN_CHOICES, required=False, widget=FastSelect
    )
    education = forms.ChoiceField(
        label=_("Pendidikan"), choices=ANY + Education.choices, required=False, widget=FastSelect
    )
    sex = forms.ChoiceField(
        label=_("Jenis kelamin"), choices=ANY + Sex.choices, required=False, widget=FastSelect
    )
    active = forms.ChoiceField(
        label=_("Keaktifan"),
        choices=[("1", _("Aktif")), ("0", _("Nonaktif")), ("all", _("Semua"))],
        required=False,
        widget=FastSelect,
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units.order_by("path").only("id", "name", "depth", "path")
        unit_field.label_from_instance = _indented  # type: ignore[method-assign,assignment]


def filter_employees(qs: QuerySet[Employee], form: EmployeeFilterForm) -> QuerySet[Employee]:
    if not form.is_valid():
        return qs.filter(is_active=True)
    data = form.cleaned_data
    text = (data.get("q") or "").strip()
    if text:
        compact = text.replace(" ", "")
        if compact.isascii() and compact.isdigit():
            # A range, not LIKE: SQLite's LIKE ignores the NIP index; digits sort as text.
            if len(compact) >= 18:
                qs = qs.filter(nip=compact)
            else:
                qs = qs.filter(nip__gte=compact)
                following = str(int(compact) + 1).zfill(len(compact))
                if len(following) == len(compact):  # "999" has no following prefix
                    qs = qs.filter(nip__lt=following)
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

"""Forms of the generic import pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.core.importing.declare import Declaration


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Berkas (XLSX, XLS, ODS atau CSV)"))
    sheet = forms.CharField(
        label=_("Lembar kerja"),
        required=False,
        help_text=_(
            "Kosongkan: dipakai lembar yang memuat kolom impor ini (lembar pertama bila cocok; "
            "lembar tersembunyi hanya bila namanya ditulis di sini)."
        ),
    )


class MappingForm(forms.Form):
    """One select per column of the file: the field it holds, or ignore."""

    def __init__(
        self,
        *args: Any,
        declaration: Declaration,
        headers: list[str],
        initial_mapping: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— abaikan —"))] + [
            (f.name, f"{f.label}{' *' if f.required else ''}") for f in declaration.fields
        ]
        self.headers = headers
        for i, header in enumerate(headers):
            self.fields[f"col_{i}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=initial_mapping.get(header, ""),
            )

    def mapping(self) -> dict[str, str]:
        return {h: self.cleaned_data.get(f"col_{i}") or "" for i, h in enumerate(self.headers)}


class PendingEditForm(forms.Form):
    """The cells of a pending row, one text box per column."""

    def __init__(self, *args: Any, values: dict[str, Any], headers: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.headers = headers
        for i, header in enumerate(headers):
            self.fields[f"cell_{i}"] = forms.CharField(
                label=header, required=False, initial=cell_text(values.get(header))
            )

    def values(self) -> dict[str, str]:
        return {h: self.cleaned_data.get(f"cell_{i}", "") for i, h in enumerate(self.headers)}


def cell_text(value: Any) -> str:
    """A stored cell as the user saw it in the spreadsheet: a whole number read as a float
    (a NIP or NIK that Excel turned into a number) in plain digits, never ``1.98e+17``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return format(Decimal(repr(value)).to_integral_value(), "f")
    return str(value)

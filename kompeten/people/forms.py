"""Forms of the employee import: the upload and the column mapping."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kompeten.people.imports import ACCEPTED_EXTENSIONS, FIELDS, check_mapping


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas XLSX atau CSV"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = int(settings.KOMPETEN_MAX_UPLOAD_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                _("Berkas terlalu besar; batasnya %(mb)s MB."), params={"mb": limit // 1_048_576}
            )
        return upload


class ImportMappingForm(forms.Form):
    """One choice per field: which header of the file feeds it (or none)."""

    def __init__(
        self,
        *args: Any,
        headers: Sequence[str],
        initial_mapping: Mapping[str, str],
        sheets: Sequence[str] = (),
        sheet: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = [h for h in headers if h]
        if len(sheets) > 1:
            self.fields["sheet"] = forms.ChoiceField(
                label=_("Lembar kerja"),
                choices=[(s, s) for s in sheets],
                initial=sheet or sheets[0],
            )
        choices = [("", _("— tidak dipakai —")), *((h, h) for h in self.headers)]
        for f in FIELDS:
            self.fields[f.name] = forms.ChoiceField(
                label=f.label + (" *" if f.required else ""),
                choices=choices,
                required=False,
                initial=initial_mapping.get(f.name, ""),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mapping = self.mapping_from(data)
        for message in check_mapping(mapping, self.headers):
            self.add_error(None, message)
        return data

    @staticmethod
    def mapping_from(data: Mapping[str, Any]) -> dict[str, str]:
        return {f.name: data[f.name] for f in FIELDS if data.get(f.name)}

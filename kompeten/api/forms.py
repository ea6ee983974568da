"""The admin's form for a new API token."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.core.forms import DateField
from kompeten.people.apiutil import ACCESS, RESOURCES, resource_label

DEFAULT_VALIDITY = timedelta(days=365)


def default_expiry() -> str:
    return (timezone.localdate() + DEFAULT_VALIDITY).isoformat()


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nama integrasi"),
        max_length=120,
        help_text=_("Misalnya: Kios SKM MPP, ekspor SIASN."),
    )
    expires_on = DateField(
        label=_("Berlaku sampai (tanggal)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Kosongkan untuk token tanpa batas waktu (tidak dianjurkan)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for resource, label_id, _label_en in RESOURCES:
            for access in ACCESS:
                self.fields[f"scope_{resource}_{access}"] = forms.BooleanField(
                    label=f"{label_id}: {'baca' if access == 'read' else 'tulis'}",
                    required=False,
                )

    def scope_rows(self) -> list[dict[str, Any]]:
        """One row per resource with its read and write checkboxes, for the template."""
        return [
            {
                "label": resource_label(label_id, label_en),
                "read": self[f"scope_{resource}_read"],
                "write": self[f"scope_{resource}_write"],
            }
            for resource, label_id, label_en in RESOURCES
        ]

    def selected_scopes(self) -> list[str]:
        return [
            f"{resource}:{access}"
            for resource, _id, _en in RESOURCES
            for access in ACCESS
            if self.cleaned_data.get(f"scope_{resource}_{access}")
        ]

    def expires_at(self) -> datetime | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        # Valid through the whole chosen day, Asia/Jakarta.
        return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))

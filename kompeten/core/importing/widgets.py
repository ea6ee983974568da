"""Widgets for the import options forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class DatalistInput(forms.TextInput):
    """A text input that suggests existing values (an HTML ``<datalist>``): the user picks an
    existing programme code or types a new one, without having to remember codes."""

    def __init__(self, options: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.options = list(options)

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        list_id = f"{(attrs or {}).get('id') or 'id_' + name}-pilihan"
        html = super().render(name, value, {**(attrs or {}), "list": list_id}, renderer)
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((v, label) for v, label in self.options)
        )
        return format_html('{}<datalist id="{}">{}</datalist>', html, list_id, options)

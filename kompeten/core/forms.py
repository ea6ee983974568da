from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, ClassVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kompeten.core.importing.values import parse_date
from kompeten.core.moments import FIRST_YEAR, LAST_YEAR, in_supported_years
from kompeten.core.params import MAX_ID


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("NIP atau nama pengguna"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("NIP/nama pengguna atau kata sandi salah."),
        "inactive": _("Akun ini tidak aktif."),
    }


class ScopedChoicesForm(forms.Form):
    """A form whose model-choice fields list what the caller passes, already scoped to the user.

    ``scoped_choices`` maps each constructor keyword to the field it fills, so a view writes
    ``RuleForm(request.POST, units=scoping.units_for(user))`` and the form never queries on its
    own: which rows a user may pick is decided in one place, the view's scoped query.
    """

    scoped_choices: ClassVar[Mapping[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        missing = [keyword for keyword in self.scoped_choices if keyword not in kwargs]
        if missing:
            raise TypeError(f"{type(self).__name__} needs the querysets {', '.join(missing)}")
        querysets = {field: kwargs.pop(keyword) for keyword, field in self.scoped_choices.items()}
        super().__init__(*args, **kwargs)
        for field, queryset in querysets.items():
            self.fields[field].queryset = queryset  # type: ignore[attr-defined]


# --- dates and times typed on a page ------------------------------------------------------------


class _SupportedYears(forms.Field):
    """Refuses a date outside core.moments' years with a message that names them, and tells the
    browser's calendar the same bounds. Every date and time field on a page is one of these
    (tests/test_house_rules.py checks that no form declares Django's own)."""

    bound_format = "%Y-%m-%d"
    year_message = _("Tahunnya harus antara {first} dan {last}.")

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.DateInput | forms.DateTimeInput):
            attrs.setdefault("min", datetime(FIRST_YEAR, 1, 1).strftime(self.bound_format))
            attrs.setdefault("max", datetime(LAST_YEAR, 12, 31, 23, 59).strftime(self.bound_format))
        return attrs

    def validate(self, value: Any) -> None:
        super().validate(value)
        if isinstance(value, date) and not in_supported_years(value):
            raise ValidationError(
                str(self.year_message).format(first=FIRST_YEAR, last=LAST_YEAR), code="year"
            )


_NUMBER_ONLY = re.compile(r"[\d.,]+")


class DateField(_SupportedYears, forms.DateField):
    """A date on a page, in the supported years: as the browser's calendar sends it, or typed
    as people write dates (24/06/2025, 24 Juni 2025; the command line's options too)."""

    default_error_messages = {
        "invalid": _("Masukkan tanggal yang valid, mis. 2025-06-24, 24/06/2025 atau 24 Juni 2025.")
    }

    def to_python(self, value: Any) -> date | None:
        try:
            return super().to_python(value)
        except ValidationError:
            text = str(value).strip()
            if _NUMBER_ONLY.fullmatch(text):
                raise  # "45000" is no date a person types (parse_date reads an Excel serial)
            try:
                written = parse_date(text)
            except (ValueError, TypeError):
                written = None
            if written is None:
                raise
            return written


class DateTimeField(_SupportedYears, forms.DateTimeField):
    """A date and time on a page (read in the active time zone), in the supported years."""

    bound_format = "%Y-%m-%dT%H:%M"


# --- several objects picked on a page ------------------------------------------------------------


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id no database key can hold as it refuses "abc".

    Django checks each posted id by building a lookup, then runs one ``pk__in`` query; an id past
    64 bits passes the first step, and SQLite cannot take it into the query (OverflowError, a
    500) where PostgreSQL would find nothing. Here it is "not a valid value" on both. Every form
    picking several objects uses this one (tests/test_house_rules.py checks).
    """

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            text = str(pk).strip()
            if _WHOLE_NUMBER.fullmatch(text) and not -MAX_ID <= int(text) <= MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


_WHOLE_NUMBER = re.compile(r"-?[0-9]+")

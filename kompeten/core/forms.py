from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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

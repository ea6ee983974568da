"""Forms of the account pages: change, e-mailed reset, one-time link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from kompeten.core.accounts import do_change_password
from kompeten.core.models import User


class OwnPasswordChangeForm(PasswordChangeForm):
    """Old password and the new one twice; Django's validators; clears the forced change."""

    def save(self, commit: bool = True) -> Any:
        user = self.user
        assert isinstance(user, User)
        return do_change_password(
            user=user, new_password=self.cleaned_data["new_password1"], via="change"
        )


class EmailResetSetPasswordForm(SetPasswordForm):
    """The new password chosen from an e-mailed reset link."""

    def save(self, commit: bool = True) -> Any:
        user = self.user
        assert isinstance(user, User)
        return do_change_password(
            user=user, new_password=self.cleaned_data["new_password1"], via="reset_email"
        )


class LinkPasswordForm(forms.Form):
    """The new password chosen from a one-time activation or reset link (checked in the action)."""

    new_password1 = forms.CharField(
        label=_("Kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Ulangi kata sandi baru"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

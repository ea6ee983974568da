"""Log in with a username (any case) or a NIP (spaces, dots or dashes allowed, as printed)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from kompeten.core.accounts import find_login_user
from kompeten.core.models import User


class NipOrUsernameBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        user = find_login_user(username)
        if user is None:
            User().set_password(password)  # equalise timing with a wrong password
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

"""Log in with a username or a NIP (spaces allowed, as printed on an ID card)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

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
        compact = username.replace(" ", "")
        if compact.isdigit() and len(compact) == 18:
            user = User.objects.filter(employee__nip=compact).first()
            if user is None:
                user = User.objects.filter(username=compact).first()
            if user is None:
                User().set_password(password)  # equalise timing
                return None
            if user.check_password(password) and self.user_can_authenticate(user):
                return user
            return None
        result = super().authenticate(request, username=username, password=password, **kwargs)
        return result if isinstance(result, User) else None

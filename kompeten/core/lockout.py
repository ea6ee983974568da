"""The login lockout: django-axes' database handler with one limit per lockout parameter.

axes compares every parameter of AXES_LOCKOUT_PARAMETERS with one AXES_FAILURE_LIMIT. The
policy (docs/security.md, "Accounts and passwords") needs three:

- an account from one client address: AXES_FAILURE_LIMIT failures (5) lock that client out of
  that account; the owner, from any other address, still logs in;
- one client address, whatever accounts it tries: KOMPETEN_LOCKOUT_CLIENT_LIMIT (20) locks the
  address out (password spraying);
- one account, from all addresses together: KOMPETEN_LOCKOUT_ACCOUNT_LIMIT (20) locks the account
  for everyone (guessing spread over many addresses).

`get_failures` reports the failures of the parameter closest to its own limit, scaled to
AXES_FAILURE_LIMIT, so that axes' single comparison `failures >= AXES_FAILURE_LIMIT` locks
exactly when one parameter reaches its own limit. A successful login clears only the failures
of that account from that address: the owner logging in elsewhere does not give a guessing
address new tries, and logging into one's own account does not give an address new guesses at
others (the rest expire after the cool-off).
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet, Sum
from django.http import HttpRequest

# AXES_LOCKOUT_PARAMETERS must list exactly these, in this order (settings.py does).
PAIR = ("username", "ip_address")
CLIENT = ("ip_address",)
ACCOUNT = ("username",)
PARAMETERS: list[Any] = [list(PAIR), "ip_address", "username"]


def limits() -> dict[tuple[str, ...], int]:
    return {
        PAIR: int(settings.AXES_FAILURE_LIMIT),
        CLIENT: int(settings.KOMPETEN_LOCKOUT_CLIENT_LIMIT),
        ACCOUNT: int(settings.KOMPETEN_LOCKOUT_ACCOUNT_LIMIT),
    }


class PerParameterLimitHandler(AxesDatabaseHandler):
    @staticmethod
    def _keyed(attempts: list[QuerySet[Any]]) -> list[tuple[tuple[str, ...], QuerySet[Any]]]:
        # axes builds one queryset per entry of AXES_LOCKOUT_PARAMETERS, in its order
        keys = [PAIR, CLIENT, ACCOUNT]
        if len(attempts) != len(keys):
            raise ImproperlyConfigured("AXES_LOCKOUT_PARAMETERS must be lockout.PARAMETERS")
        return list(zip(keys, attempts, strict=True))

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        base = int(settings.AXES_FAILURE_LIMIT)
        own = limits()
        worst = 0
        for key, attempts in self._keyed(self.get_user_attempts(request, credentials)):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            worst = max(worst, failures * base // own[key])
        return worst

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        count = 0
        for key, attempts in self._keyed(self.filter_user_attempts(request, credentials)):
            if key == PAIR:
                deleted, _ = attempts.delete()
                count += deleted
        return count

"""Mask personal data in log records (UU PDP): NIPs, e-mail addresses and phone numbers.

`PersonalDataFilter` is wired into settings.LOGGING on the console handler. It rewrites the
formatted message (and the text of an attached exception) so that:

- an 18-digit run (a NIP, even written with spaces as 19850314 201003 1 001) keeps its first
  four digits: `1985**************`;
- an e-mail address keeps its first character and domain: `b***@example.go.id`;
- a phone number (+62…, 62…, 08…, at least 9 digits) keeps its last three digits: `*******123`.

The separators of a NIP may also be URL-encoded (`%20` or `+`, as in `?q=19850314+201003+1+002`),
so NIPs in request lines are masked too (access logs: the `django.server` logger here,
`kompeten.core.access_log.GunicornLogger` for gunicorn).

`QuietRefusalFilter` (on the `django.request` logger) turns Django's "Forbidden" warning, which
carries the whole traceback of the PermissionDenied, into one line: user id, path and reason.
"""

from __future__ import annotations

import logging
import re

# 18 digits, optionally grouped 8-6-1-3 by spaces (the printed NIP form, also URL-encoded as
# "%20" or "+"); not part of a longer run.
_SEP = r"(?:[ +]|%20)?"
NIP_RE = re.compile(rf"(?<!\d)(\d{{8}}){_SEP}(\d{{6}}){_SEP}(\d){_SEP}(\d{{3}})(?!\d)")
EMAIL_RE = re.compile(r"\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")
PHONE_RE = re.compile(r"(?<![\d\w])(?:\+62|62|0)[\s-]?8[\d\s-]{7,14}\d(?!\d)")


def _mask_nip(match: re.Match[str]) -> str:
    return match.group(1)[:4] + "*" * 14


def _mask_email(match: re.Match[str]) -> str:
    return f"{match.group(1)}***@{match.group(2)}"


def _mask_phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "*" * (len(digits) - 3) + digits[-3:]


def mask(text: str) -> str:
    """Return `text` with NIPs, e-mail addresses and phone numbers masked."""
    text = NIP_RE.sub(_mask_nip, text)
    text = EMAIL_RE.sub(_mask_email, text)
    return PHONE_RE.sub(_mask_phone, text)


class PersonalDataFilter(logging.Filter):
    """A logging filter that masks personal data in the record; it never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not lose the record
            message = str(record.msg)
        masked = mask(message)
        if masked != message or record.args:
            record.msg = masked
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        return True


class QuietRefusalFilter(logging.Filter):
    """One WARNING line per refused request (403), without the PermissionDenied traceback.

    The line names the account (its id, never the username: for an ASN that is the NIP), the
    path and the reason given to PermissionDenied. Other records pass unchanged.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        exception = record.exc_info[1] if record.exc_info else None
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else "-"
        path = getattr(request, "path", "") if request is not None else ""
        reason = str(exception) if exception is not None and str(exception) else "-"
        record.msg = "Ditolak (403): user=%s path=%s reason=%s"
        record.args = (user_id, path, " ".join(reason.split()))
        record.exc_info = None
        record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True

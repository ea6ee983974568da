"""Mask personal data in log records (UU PDP): NIPs, e-mail addresses and phone numbers.

`PersonalDataFilter` is wired into settings.LOGGING on the console handler. It rewrites the
formatted message (and the text of an attached exception) so that:

- an 18-digit run (a NIP, even written with spaces as 19850314 201003 1 001) keeps its first
  four digits: `1985**************`;
- an e-mail address keeps its first character and domain: `b***@example.go.id`;
- a phone number (+62…, 62…, 08…, at least 9 digits) keeps its last three digits: `*******123`.
"""

from __future__ import annotations

import logging
import re

# 18 digits, optionally grouped 8-6-1-3 by spaces (the printed NIP form); not part of a longer run.
NIP_RE = re.compile(r"(?<!\d)(\d{8})[ ]?(\d{6})[ ]?(\d)[ ]?(\d{3})(?!\d)")
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

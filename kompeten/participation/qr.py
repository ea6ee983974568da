"""Rotating check-in codes: an HMAC of the session id and a 30-second time window.

The trainer's screen shows ``token(session_id, now)`` as a QR code that changes every
``WINDOW_SECONDS``; a participant's phone opens the encoded URL while logged in. A code is
accepted during its own window and the one after it (``GRACE_WINDOWS``), so a scan made just as
the screen rotates still counts; anything older is expired. The key is ``settings.SECRET_KEY``,
so codes cannot be forged without it.
"""

from __future__ import annotations

import hashlib
import hmac
import io
from dataclasses import dataclass
from datetime import datetime

import segno
from django.conf import settings

WINDOW_SECONDS = 30
GRACE_WINDOWS = 1


def window_of(moment: datetime) -> int:
    return int(moment.timestamp()) // WINDOW_SECONDS


def _mac(session_id: int, window: int) -> str:
    message = f"kompeten-checkin:{session_id}:{window}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:20]


def token(session_id: int, moment: datetime) -> str:
    """The code shown for ``session_id`` at ``moment``: ``<session>.<window>.<mac>``."""
    window = window_of(moment)
    return f"{session_id}.{window}.{_mac(session_id, window)}"


def seconds_left(moment: datetime) -> int:
    return WINDOW_SECONDS - int(moment.timestamp()) % WINDOW_SECONDS


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    code: str  # "ok", "malformed", "forged", "foreign", "expired", "future"
    session_id: int | None = None


def check(raw: str, session_id: int, moment: datetime) -> TokenCheck:
    """Verify a scanned code for ``session_id`` at ``moment`` (no database access)."""
    parts = (raw or "").strip().split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return TokenCheck(False, "malformed")
    code_session, window, mac = int(parts[0]), int(parts[1]), parts[2]
    if not hmac.compare_digest(mac, _mac(code_session, window)):
        return TokenCheck(False, "forged")
    if code_session != session_id:
        return TokenCheck(False, "foreign", code_session)
    now_window = window_of(moment)
    if window > now_window:
        return TokenCheck(False, "future", code_session)
    if now_window - window > GRACE_WINDOWS:
        return TokenCheck(False, "expired", code_session)
    return TokenCheck(True, "ok", code_session)


def svg(url: str) -> str:
    """The QR code of ``url`` as a standalone SVG document.

    Standalone, with the SVG namespace: the trainer's screen loads it into an ``<img>`` as a
    ``data:image/svg+xml`` URL, and browsers draw nothing for an SVG without its namespace
    (segno's ``svg_inline`` leaves it out)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", xmldecl=False, scale=8, border=2)
    return out.getvalue().decode()

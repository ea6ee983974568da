"""The outage spool: a public SKM answer is never lost while the database is down.

Decision: the server keeps the answer, not the browser. When the database cannot
be reached (``OperationalError``/``InterfaceError``), the public form

1. still shows the questionnaire, from a snapshot of the unit that every successful form request
   refreshes (``<spool>/units/<code>.json``: the unit's code, name, questionnaire and services —
   no answers, nothing about anyone);
2. validates the answer exactly as usual (the same :class:`~kompeten.service.forms.SurveyForm`);
3. appends it as ONE JSON line to ``<spool>/skm-<host>-<pid>.jsonl`` (append-only, ``fsync``'d
   before the citizen is answered), holding only what the form asks — no IP address, no user
   agent — plus a random UUID and the moment it was given;
4. answers HTTP 202 "Jawaban Anda tersimpan dan akan dicatat".

:func:`replay` (the worker's periodic job ``service.skm_spool_replay`` and ``kompeten spool
replay``) records the spooled answers through the same action as the live form,
:func:`~kompeten.service.actions.skm.do_submit_skm_response`, with the UUID as
``SkmResponse.spool_id`` (unique): replaying the same file twice records each answer once, and a
ticket is still good for one answer (a spooled answer whose ticket was used meanwhile is refused
like any reused ticket). Answers that can no longer be accepted (unit removed or closed, ticket
already used, questionnaire changed) are moved to ``rejected.jsonl`` with the reason: kept, never
silently dropped.

Files: a writer takes ``flock`` on its file and checks that the path still names the inode it
opened, so a replayer that renames the file away (``*.replaying``) never loses a line appended at
that moment.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from kompeten.core.outage import DATABASE_ERRORS, log_outage, outage_response
from kompeten.core.periodic import register
from kompeten.service import kiosk as kiosks
from kompeten.service import ratelimit
from kompeten.service.forms import HONEYPOT, SurveyForm
from kompeten.service.models import Service, ServiceUnit, SkmResponse, Source
from kompeten.service.versions import build_custom
from kompeten.standards.ikm import VERSIONS, SkmVersion

logger = logging.getLogger(__name__)

SNAPSHOT_EVERY_SECONDS = 60.0
_snapshot_written: dict[str, float] = {}


def spool_dir() -> Path:
    return Path(getattr(settings, "KOMPETEN_SPOOL_DIR", Path(settings.VAR_DIR) / "spool"))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --- the unit snapshot: what the form needs when the database is down ----------------------


def remember_unit(su: ServiceUnit, services: list[Service]) -> None:
    """Refresh ``su``'s snapshot (at most once a minute per process; never raises)."""
    now = time.monotonic()
    if now - _snapshot_written.get(su.code, -SNAPSHOT_EVERY_SECONDS) < SNAPSHOT_EVERY_SECONDS:
        return
    _snapshot_written[su.code] = now
    q = su.questionnaire
    snapshot = {
        "id": su.pk,
        "code": su.code,
        "name": su.name,
        "is_active": su.is_active,
        "requires_ticket": su.requires_ticket,
        "kiosks": kiosks.active_token_hashes(su.pk),  # enrolled kiosk devices (hashes)
        "version": su.version_id,
        "questionnaire": (
            {"base": q.base, "extra_unsur": q.extra_unsur, "weights": q.weights}
            if q is not None
            else None
        ),
        "services": [{"id": s.pk, "code": s.code, "name": s.name} for s in services],
    }
    try:
        _write_atomically(spool_dir() / "units" / f"{su.code}.json", json.dumps(snapshot))
    except OSError:
        logger.warning("could not write the survey snapshot of %s", su.code, exc_info=True)


def load_snapshot(code: str) -> dict[str, Any] | None:
    if not code or "/" in code or code.startswith("."):
        return None
    try:
        data: dict[str, Any] = json.loads(
            (spool_dir() / "units" / f"{code}.json").read_text(encoding="utf-8")
        )
    except (OSError, ValueError):
        return None
    return data


def snapshot_version(snapshot: dict[str, Any]) -> SkmVersion:
    version_id = str(snapshot["version"])
    if version_id in VERSIONS:
        return VERSIONS[version_id]
    q = snapshot["questionnaire"] or {}
    return build_custom(version_id, q["base"], q.get("extra_unsur") or [], q.get("weights") or {})


# --- writing -------------------------------------------------------------------------------


def _own_file() -> Path:
    host = socket.gethostname().replace("/", "_").replace(".", "_")
    return spool_dir() / f"skm-{host}-{os.getpid()}.jsonl"


def append(entry: dict[str, Any]) -> None:
    """Append one entry durably (flock, inode check, write, fsync). Raises OSError on failure."""
    data = (json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    directory = spool_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = _own_file()
    for _attempt in range(100):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # a replayer claimed the file between our open and our lock
                continue
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        _fsync_dir(directory)
        return
    raise OSError("spool file kept being claimed; giving up")


def spool_submission(
    *, snapshot: dict[str, Any], form: SurveyForm, service_code: str, source: str
) -> str:
    """Spool one validated answer; returns its id."""
    entry_id = uuid.uuid4().hex
    d = form.cleaned_data
    append(
        {
            "id": entry_id,
            "unit": snapshot["code"],
            "version": snapshot["version"],
            "service": service_code,
            "scores": form.scores(),
            "sex": d.get("sex", ""),
            "age_group": d.get("age_group", ""),
            "education": d.get("education", ""),
            "occupation": d.get("occupation", ""),
            "suggestion": d.get("suggestion", ""),
            "ticket": d.get("ticket", ""),
            "source": source,
            "submitted": timezone.now().isoformat(),
        }
    )
    return entry_id


# --- the form during an outage -------------------------------------------------------------


def outage_survey(
    request: HttpRequest, code: str, service_code: str | None, kiosk_key: str | None
) -> HttpResponse:
    """The public form without the database: GET shows it from the snapshot; a valid POST is
    spooled (202). Without a snapshot (a unit never opened since the spool existed) → 503."""
    snapshot = load_snapshot(code)
    if snapshot is None or not snapshot.get("is_active", False):
        return outage_response(request)
    kiosk = kiosk_key is not None
    device_hash = kiosks.hash_secret(kiosk_key) if kiosk_key else None
    if kiosk and (device_hash is None or device_hash not in snapshot.get("kiosks", [])):
        return outage_response(request)
    su = ServiceUnit(code=snapshot["code"], name=snapshot["name"])  # unsaved, for templates
    services = [Service(pk=s["id"], code=s["code"], name=s["name"]) for s in snapshot["services"]]
    fixed: Service | None = None
    if service_code is not None:
        fixed = next((s for s in services if s.code == service_code), None)
        if fixed is None:
            return outage_response(request)
    version = snapshot_version(snapshot)
    kwargs: dict[str, Any] = {
        "version": version,
        "services": services,
        "fixed_service": fixed,
        "ticket_mode": "required" if snapshot.get("requires_ticket") else "optional",
    }
    status = 200
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            return render(request, "service/public/rejected.html", {"su": su}, status=400)
        form = SurveyForm(request.POST, **kwargs)
        if form.is_valid():
            # the same buckets as the live form (views/public.py), so a flood is one flood
            bucket = ratelimit.survey_bucket(request, snapshot.get("id"), device_hash)
            rate = ratelimit.kiosk_rate() if kiosk else ratelimit.public_rate()
            # counted already when the live view got as far as the limit before the database
            # failed
            counted = ratelimit.counted_in_this_request() == bucket
            if not counted and ratelimit.hit(bucket, rate):
                return render(request, "service/public/too_many.html", {"su": su}, status=429)
            chosen = fixed
            if chosen is None and form.cleaned_data.get("service"):
                chosen = next(
                    (s for s in services if str(s.pk) == form.cleaned_data["service"]), None
                )
            try:
                spool_submission(
                    snapshot=snapshot,
                    form=form,
                    service_code=chosen.code if chosen else "",
                    source=Source.KIOSK if kiosk else Source.FORM,
                )
            except OSError:
                logger.exception("could not spool a survey answer")
                return outage_response(request)
            again = (
                reverse("survey_kiosk", args=[code]) if kiosk else reverse("survey", args=[code])
            )
            context = {"su": su, "kiosk": kiosk, "again": again, "reset_seconds": 6}
            return render(request, "service/public/spooled.html", context, status=202)
        status = 400
    else:
        form = SurveyForm(**kwargs)
    context = {"su": su, "form": form, "fixed": fixed, "kiosk": kiosk, "version": version}
    response = render(request, "service/public/survey.html", context, status=status)
    response["Retry-After"] = str(getattr(settings, "KOMPETEN_OUTAGE_RETRY_AFTER", 30))
    return response


def survives_outage(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap the public survey view: a database error anywhere in it → :func:`outage_survey`.

    Whatever the view did before the error ran in a transaction that did not commit (the action
    is atomic), so the answer is either stored or spooled, never both or neither — except when
    the connection drops after the database committed but before it acknowledged, where the
    spooled copy would be a duplicate (documented in docs/operations.md).
    """

    @wraps(view)
    def wrapped(
        request: HttpRequest,
        code: str,
        service_code: str | None = None,
        kiosk_key: str | None = None,
    ) -> HttpResponse:
        ratelimit.forget()
        try:
            return view(request, code, service_code=service_code, kiosk_key=kiosk_key)
        except DATABASE_ERRORS as exc:
            # (Django drops the broken connection at the end of the request.)
            log_outage(exc, "the public survey spools")
            return outage_survey(request, code, service_code, kiosk_key)

    return wrapped


# --- replay --------------------------------------------------------------------------------


@dataclass
class ReplayResult:
    recorded: int = 0
    duplicates: int = 0
    rejected: int = 0
    pending: int = 0
    reasons: list[str] = field(default_factory=list)


def pending_files() -> list[Path]:
    directory = spool_dir()
    if not directory.is_dir():
        return []
    return sorted([*directory.glob("skm-*.jsonl"), *directory.glob("skm-*.replaying")])


def pending_count() -> int:
    total = 0
    for path in pending_files():
        with contextlib.suppress(OSError):
            total += path.read_bytes().count(b"\n")
    return total


def _claimed_files() -> Iterator[tuple[Path, int]]:
    """Claim every spool file (rename to ``*.replaying``) and lock it; yields (path, fd)."""
    for path in pending_files():
        if path.suffix == ".jsonl":
            target = path.with_name(f"{path.stem}.{uuid.uuid4().hex[:8]}.replaying")
            try:
                os.rename(path, target)
            except FileNotFoundError:
                continue
            path = target
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # another replayer has it; a writer only ever holds the lock for one write
            time.sleep(0.05)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
        yield path, fd


def _record(entry: dict[str, Any]) -> str:
    """Record one spooled entry: "recorded", "duplicate", or raise ValidationError."""
    spool_id = uuid.UUID(str(entry["id"]))
    if SkmResponse.objects.filter(spool_id=spool_id).exists():
        return "duplicate"
    su = ServiceUnit.objects.select_related("questionnaire").filter(code=entry["unit"]).first()
    if su is None:
        raise ValidationError(
            gettext("Unit layanan {unit} tidak ada lagi.").format(unit=repr(entry["unit"]))
        )
    service = None
    if entry.get("service"):
        service = Service.objects.filter(service_unit=su, code=entry["service"]).first()
        if service is None:
            raise ValidationError(
                gettext("Jenis layanan {service} tidak ada lagi.").format(
                    service=repr(entry["service"])
                )
            )
    from kompeten.service.actions import do_submit_skm_response

    try:
        do_submit_skm_response(
            service_unit=su,
            scores=entry["scores"],
            service=service,
            sex=entry.get("sex", ""),
            age_group=entry.get("age_group", ""),
            education=entry.get("education", ""),
            occupation=entry.get("occupation", ""),
            suggestion=entry.get("suggestion", ""),
            ticket=entry.get("ticket", ""),
            source=entry.get("source", Source.FORM),
            submitted=datetime.fromisoformat(entry["submitted"]),
            spool_id=spool_id,
        )
    except IntegrityError:
        if SkmResponse.objects.filter(spool_id=spool_id).exists():  # a concurrent replayer
            return "duplicate"
        raise
    return "recorded"


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return "; ".join(exc.messages)


def replay() -> ReplayResult:
    """Record every spooled answer (idempotent). Stops at the first database error, leaving the
    rest for the next run; refused answers go to ``rejected.jsonl`` with their reason."""
    result = ReplayResult()
    rejected_path = spool_dir() / "rejected.jsonl"
    for path, fd in _claimed_files():
        rejected: list[dict[str, Any]] = []
        try:
            with os.fdopen(os.dup(fd), "rb") as fh:
                lines = fh.read().splitlines()
            for raw in lines:
                if not raw.strip():
                    continue
                try:
                    entry = json.loads(raw)
                    outcome = _record(entry)
                except ValidationError as exc:
                    result.rejected += 1
                    reason = _message(exc)
                    result.reasons.append(reason)
                    rejected.append({**entry, "rejected_reason": reason})
                    continue
                except (ValueError, KeyError, TypeError) as exc:
                    result.rejected += 1
                    result.reasons.append(f"baris rusak: {exc}")
                    rejected.append(
                        {"raw": raw.decode("utf-8", "replace"), "rejected_reason": str(exc)}
                    )
                    continue
                if outcome == "recorded":
                    result.recorded += 1
                else:
                    result.duplicates += 1
        except DATABASE_ERRORS:
            logger.warning("database unavailable during spool replay; will retry", exc_info=True)
            os.close(fd)
            result.pending = pending_count()
            return result
        if rejected:
            with open(rejected_path, "a", encoding="utf-8") as out:
                for item in rejected:
                    out.write(json.dumps(item, ensure_ascii=False) + "\n")
                out.flush()
                os.fsync(out.fileno())
        os.unlink(path)
        os.close(fd)
    result.pending = pending_count()
    return result


@register("service.skm_spool_replay", every=timedelta(seconds=30))
@task()
def replay_spool() -> dict[str, int]:
    """Periodic job: record answers spooled during a database outage (on this machine)."""
    if not pending_files():
        return {"recorded": 0, "duplicates": 0, "rejected": 0, "pending": 0}
    r = replay()
    if r.recorded or r.rejected:
        logger.warning(
            "spool replay: %s recorded, %s duplicates, %s rejected, %s pending",
            r.recorded,
            r.duplicates,
            r.rejected,
            r.pending,
        )
    return {
        "recorded": r.recorded,
        "duplicates": r.duplicates,
        "rejected": r.rejected,
        "pending": r.pending,
    }

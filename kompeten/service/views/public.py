"""The public SKM form: no login, no JavaScript needed, anonymous.

CSRF: the form is exempt from Django's CSRF check on purpose. CSRF protects a logged-in
session from a forged request; this endpoint has no session, no login and no cookie, so there is
nothing to ride on. It is protected instead by the per-client rate limit (HTTP 429), the honeypot
field and, where the unit asks for it, the one-time service ticket. No session is read or
written (the session middleware only touches the store when a session is used). The limit is
counted once an answer is valid, so junk never uses up a citizen's quota.

Kiosk mode (``/survei/<code>/kios/``) answers only a tablet enrolled by the unit's admin: the
device token is a cookie set by the enrolment page (``/survei/daftar-kios/``, opened with a
one-time code), never part of an address; each device has its own limit and can be revoked.

Speed (≥ 800 answers/s on one unit): the unit, its questionnaire and its services are
cached per process for :data:`UNIT_CACHE_SECONDS` (cleared at once in the process that changes
them; other processes see a change, e.g. a unit closed for surveys, within that time), and the
accept path writes only the response row and counts the client's rate limit (one upsert, or a
Redis round trip; kompeten/core/counters.py); the rollups are folded a second later.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.signals import post_delete, post_save
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from kompeten.core.outage import without_probe
from kompeten.service import kiosk as kiosks
from kompeten.service import ratelimit, spool
from kompeten.service.actions import do_submit_skm_response
from kompeten.service.actions.kiosk import do_enrol_kiosk, do_note_kiosk_seen
from kompeten.service.forms import HONEYPOT, KioskEnrolForm, SurveyForm, clean_survey_fast
from kompeten.service.models import KioskDevice, Questionnaire, Service, ServiceUnit, Source
from kompeten.service.versions import engine_version
from kompeten.standards.ikm import SkmVersion

KIOSK_RESET_SECONDS = 6
UNIT_CACHE_SECONDS = 5.0

_units: dict[str, tuple[float, ServiceUnit]] = {}
_units_lock = threading.Lock()


def _forget_units(**_: Any) -> None:
    with _units_lock:
        _units.clear()


for _model in (ServiceUnit, Service, Questionnaire):
    post_save.connect(_forget_units, sender=_model, dispatch_uid=f"skm-public-{_model.__name__}")
    post_delete.connect(
        _forget_units, sender=_model, dispatch_uid=f"skm-public-d-{_model.__name__}"
    )


def _service_unit(code: str) -> ServiceUnit:
    """The active unit with its questionnaire and services, cached per process for
    :data:`UNIT_CACHE_SECONDS` (see the module docstring); 404 for an unknown or closed unit."""
    now = time.monotonic()
    hit = _units.get(code)
    if hit is None or hit[0] < now:
        su = get_object_or_404(
            ServiceUnit.objects.select_related("questionnaire").prefetch_related("services"),
            code=code,
            is_active=True,
        )
        hit = (now + UNIT_CACHE_SECONDS, su)
        with _units_lock:
            if len(_units) > 10_000:  # bounded: only existing, active units are cached
                _units.clear()
            _units[code] = hit
    return hit[1]


@dataclass(frozen=True, slots=True)
class _Page:
    """One request's survey page: the unit, the kiosk device (None outside kiosk mode), the
    unit's active services, the service fixed by the address (if any), the questionnaire, and
    the arguments both form parsers take."""

    su: ServiceUnit
    kiosk: bool
    device: KioskDevice | None
    services: list[Service]
    fixed: Service | None
    version: SkmVersion
    form_kwargs: dict[str, Any]


def _fixed_service(services: list[Service], service_code: str | None) -> Service | None:
    """The service named by the address (None when it names none); 404 for an unknown one."""
    if service_code is None:
        return None
    fixed = next((s for s in services if s.code == service_code), None)
    if fixed is None:
        raise Http404("Jenis layanan tidak dikenal")
    return fixed


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@spool.survives_outage  # database down: the form still answers and spools (service/spool.py)
def survey(
    request: HttpRequest, code: str, service_code: str | None = None, kiosk_key: str | None = None
) -> HttpResponse:
    """The form; ``kiosk_key`` is the kiosk device's token from its cookie ("" when the tablet
    has none), None outside kiosk mode."""
    su = _service_unit(code)
    kiosk = kiosk_key is not None
    device = kiosks.find_device(su.pk, kiosk_key) if kiosk_key is not None else None
    if kiosk and device is None:
        return render(request, "service/public/kiosk_unknown.html", {"su": su}, status=403)
    services = [s for s in su.services.all() if s.is_active]
    spool.remember_unit(su, services)
    fixed = _fixed_service(services, service_code)
    version = engine_version(su.version_id)
    ticket_mode = "required" if su.requires_ticket else "optional"
    kwargs: dict[str, Any] = {
        "version": version,
        "services": services,
        "fixed_service": fixed,
        "ticket_mode": ticket_mode,
    }
    page = _Page(su, kiosk, device, services, fixed, version, kwargs)
    if request.method == "POST":
        return _post(request, page)
    return _render_form(request, page, SurveyForm(**kwargs), status=200)


def _render_form(
    request: HttpRequest, page: _Page, form: SurveyForm | None, *, status: int
) -> HttpResponse:
    context = {
        "su": page.su,
        "form": form,
        "fixed": page.fixed,
        "kiosk": page.kiosk,
        "version": page.version,
    }
    return render(request, "service/public/survey.html", context, status=status)


def _post(request: HttpRequest, page: _Page) -> HttpResponse:
    """A submitted answer: refused as a bot (honeypot), over the limit or invalid, or stored
    and thanked. The fast parser reads a valid answer; only a wrong one builds the form."""
    su = page.su
    if request.POST.get(HONEYPOT):
        return render(request, "service/public/rejected.html", {"su": su}, status=400)
    cleaned = clean_survey_fast(request.POST, **page.form_kwargs)
    form = None
    if cleaned is None:  # some answer is missing or wrong: the form names it
        form = SurveyForm(request.POST, **page.form_kwargs)
        cleaned = form.cleaned_data if form.is_valid() else None
    if cleaned is not None:  # valid: only now does it count against the limit
        bucket = ratelimit.survey_bucket(request, su.pk, page.device and page.device.token_hash)
        rate = ratelimit.kiosk_rate() if page.kiosk else ratelimit.public_rate()
        if ratelimit.hit(bucket, rate):
            return render(request, "service/public/too_many.html", {"su": su}, status=429)
        answer = _answer(page, cleaned)
        try:
            _submit(answer)
        except ValidationError as exc:
            form = form or SurveyForm(request.POST, **page.form_kwargs)
            _add_refusal(form, exc)
        else:
            if page.device is not None:
                do_note_kiosk_seen(page.device)
                return redirect("survey_kiosk_thanks", code=su.code)
            return redirect("survey_thanks", code=su.code)
    return _render_form(request, page, form, status=400)


def _answer(page: _Page, cleaned: dict[str, Any]) -> dict[str, Any]:
    """The arguments of ``do_submit_skm_response`` for a valid answer."""
    service = page.fixed
    if service is None and cleaned.get("service"):
        service = next((s for s in page.services if str(s.pk) == cleaned["service"]), None)
    return {
        "service_unit": page.su,
        "scores": {name[2:]: v for name, v in cleaned.items() if name.startswith("u_")},
        "service": service,
        "sex": cleaned["sex"],
        "age_group": cleaned["age_group"],
        "education": cleaned["education"],
        "occupation": cleaned["occupation"],
        "suggestion": cleaned.get("suggestion", ""),
        "ticket": cleaned.get("ticket", ""),
        "source": Source.KIOSK if page.kiosk else Source.FORM,
    }


def _add_refusal(form: SurveyForm, exc: ValidationError) -> None:
    """Show on the form why the action refused the answer: on the field it names (an unsur
    by its slug), else above the form."""
    form.is_valid()
    for key, messages in exc.message_dict.items():
        target = key if key in form.fields else f"u_{key}"
        form.add_error(target if target in form.fields else None, messages)


def _submit(answer: dict[str, Any]) -> None:
    """Store one answer on the connection kept from an earlier request without its SELECT 1
    probe, retried once on a fresh connection if that one is stale (core.outage.without_probe).
    A second failure is a real outage: survives_outage spools the answer."""
    without_probe(lambda: do_submit_skm_response(**answer))


@csrf_exempt
def kiosk_survey(request: HttpRequest, code: str) -> HttpResponse:
    """The form in kiosk mode, for the tablet holding an enrolled device's cookie. Exempt from
    the CSRF check like the public form: the device cookie is SameSite=Lax, so a form on
    another site posting here arrives without it and is refused as an unknown device."""
    return survey(request, code, kiosk_key=kiosks.token_from(request))


@require_GET
def thanks(request: HttpRequest, code: str, kiosk: bool = False) -> HttpResponse:
    su = _service_unit(code)
    again = reverse("survey_kiosk" if kiosk else "survey", args=[su.code])
    context = {
        "su": su,
        "kiosk": kiosk,
        "again": again,
        "reset_seconds": KIOSK_RESET_SECONDS,
    }
    return render(request, "service/public/thanks.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_enrol(request: HttpRequest) -> HttpResponse:
    """Enrol this tablet as a kiosk with the one-time code from the unit's kiosk page: the
    device token is set as a cookie (HttpOnly, only under /survei/), then the kiosk opens.
    Tries are limited per client address (guessing codes)."""
    form = KioskEnrolForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        bucket = f"kiosk-enrol:{ratelimit.client_address(request)}"
        if ratelimit.hit(bucket, ratelimit.enrol_rate()):
            form.add_error(
                None,
                _(
                    "Terlalu banyak percobaan kode dari perangkat ini. Coba lagi beberapa menit lagi."
                ),
            )
            status = 429
        elif form.is_valid():
            try:
                device, token = do_enrol_kiosk(form.cleaned_data["code"])
            except ValidationError as exc:
                form.add_error("code", exc.message_dict.get("code", exc.messages))
            else:
                response = redirect("survey_kiosk", code=device.service_unit.code)
                kiosks.set_cookie(response, token)
                return response
    return render(request, "service/public/kiosk_enrol.html", {"form": form}, status=status)

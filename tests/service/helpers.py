"""Builders for service tests (they call the product's actions)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kompeten.people.models import Unit
from kompeten.service.actions import do_create_service, do_create_service_unit
from kompeten.service.models import ServiceUnit
from kompeten.standards.ikm import SKM_2017

JAKARTA = ZoneInfo("Asia/Jakarta")
SLUGS = [u.slug for u in SKM_2017.unsur]


def jkt(*args: int) -> datetime:
    return datetime(*args, tzinfo=JAKARTA)  # type: ignore[misc]


def make_service_unit(unit: Unit, code: str = "layanan-alfa", **kwargs: object) -> ServiceUnit:
    su = do_create_service_unit(unit=unit, code=code, name=f"Layanan {unit.name}", **kwargs)  # type: ignore[arg-type]
    do_create_service(service_unit=su, code="ktp", name="KTP-el")
    return su


def all_scores(score: int) -> dict[str, int]:
    return dict.fromkeys(SLUGS, score)


def form_post(score: int = 4, **extra: str) -> dict[str, str]:
    data = {f"u_{slug}": str(score) for slug in SLUGS}
    data.update({"sex": "P", "age_group": "30-39", "education": "SMA", "occupation": "swasta"})
    data.update(extra)
    return data


def enrolled_kiosk(
    su: ServiceUnit, actor: object, name: str = "Tablet loket 1"
) -> tuple[object, str]:
    """A kiosk device of ``su`` issued by ``actor`` and enrolled: (device, its cookie token)."""
    from kompeten.service.actions.kiosk import do_enrol_kiosk, do_issue_kiosk_code

    _device, code = do_issue_kiosk_code(su, name=name, actor=actor)  # type: ignore[arg-type]
    return do_enrol_kiosk(code)

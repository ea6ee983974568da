"""Builders for service tests (they call the product's actions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kompeten.people.models import Unit
from kompeten.service.actions import do_create_service, do_create_service_unit
from kompeten.service.actions.skm import SkmRecord
from kompeten.service.models import ServiceUnit
from kompeten.standards.ikm import SKM_2017, IkmResult, UnsurStats, compute_ikm

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


def ikm_by_hand(records: Sequence[SkmRecord]) -> IkmResult:
    """The regulation's formula (exact 1/9 weights) over ``records``: each unsur over the answers
    that scored it, n the number of answers."""
    stats = {
        slug: UnsurStats.from_scores([r.scores[slug] for r in records if slug in r.scores])
        for slug in SLUGS
    }
    return compute_ikm(stats, SKM_2017, "exact", n_responses=len(records))


def km_median_by_hand(observations: Sequence[tuple[float, bool]]) -> float | None:
    """Kaplan–Meier median of (time, event) pairs (events True, censored False) by the
    product-limit formula, S(t) = Π (1 − d_i / n_i) over the event times up to t (d events among
    n at risk; censored at t still at risk at t): the first time S falls to 0,5 or below; on a
    flat stretch at exactly 0,5 the midpoint to the next drop (R's rule)."""
    times = sorted({t for t, _e in observations})
    at_risk, surv = len(observations), 1.0
    curve: list[tuple[float, float]] = []
    for t in times:
        events = sum(1 for x, e in observations if x == t and e)
        if events:
            surv *= 1 - events / at_risk
        curve.append((t, surv))
        at_risk -= sum(1 for x, _e in observations if x == t)
    for i, (t, s) in enumerate(curve):
        if abs(s - 0.5) < 1e-9:
            later = [u for u, v in curve[i + 1 :] if v < 0.5 - 1e-9]
            return (t + (later[0] if later else curve[-1][0])) / 2
        if s < 0.5:
            return t
    return None


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


def lapor_row(world: Any, headers: Sequence[str], **override: str) -> list[str]:
    """One SP4N-LAPOR! complaint (LAP-1, about Kependudukan, to Dinas Alfa, handled by Dave and
    finished on 10 March 2026), its ``override`` columns changed, in the order of ``headers``."""
    row = {
        "No. Tracking": "LAP-1",
        "Tanggal Laporan": "2026-03-02 09:00",
        "Tanggal Verifikasi": "2026-03-03 10:00",
        "Tanggal Disposisi": "2026-03-03 11:00",
        "Tanggal Tanggapan Pertama": "2026-03-04 09:00",
        "Tanggal Selesai": "2026-03-10 15:00",
        "Kategori": "Kependudukan",
        "Status": "Selesai",
        "Instansi Tujuan": world.alfa.code,
        "NIP Petugas": world.dave_emp.nip,
        "Rating": "4",
    }
    row.update(override)
    return [row[h] for h in headers]

"""Home, health, the audit log and the cycle pages that later modules fill."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from kompeten.core import scoping
from kompeten.core.http import AuthenticatedHttpRequest
from kompeten.core.models import AuditLog
from kompeten.core.permissions import admin_required


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    employees = scoping.employees_for(user)
    context = {
        "employee_count": employees.filter(is_active=True).count(),
        "unit_count": scoping.units_for(user).count(),
        "is_atasan": scoping.is_atasan(user),
        "me": user.employee,
    }
    return render(request, "core/home.html", context)


COMING = {
    "kebutuhan": (
        _("Kebutuhan"),
        [
            "Kamus kompetensi manajerial, sosial kultural dan teknis dengan level 1–5.",
            "Analisis Kebutuhan Pelatihan (AKP): penilaian diri dan penilaian atasan, peta "
            "kesenjangan per OPD × kompetensi.",
            "Usulan topik dari ASN, komentar dan pemungutan suara.",
        ],
    ),
    "program": (
        _("Program"),
        [
            "Katalog program dengan tujuan terukur, kompetensi sasaran dan JP.",
            "Modul teori, praktik dan simulasi (skenario dan rubrik penilaian).",
            "Jejak desain bersama ASN dan rincian biaya.",
        ],
    ),
    "jadwal": (
        _("Jadwal"),
        [
            "Kalender tugas pegawai dan aturan minimal petugas per unit layanan.",
            "Perencana jadwal (CP-SAT) yang tidak pernah mengosongkan loket.",
            "Umpan kalender (iCalendar) per pegawai dan fasilitator.",
        ],
    ),
    "pelaksanaan": (
        _("Pelaksanaan"),
        [
            "Undangan, konfirmasi dan daftar tunggu.",
            "Presensi dengan kode QR yang berganti tiap 30 detik.",
            "Buku JP (hak 20 JP per tahun), poin insentif dan sertifikat.",
        ],
    ),
    "evaluasi": (
        _("Evaluasi"),
        [
            "Level 1 reaksi, level 2 pembelajaran (pre/post-test, simulasi), level 3 perilaku.",
            "Level 4 dampak layanan publik (IKM, pengaduan) dibanding unit pembanding.",
            "Level 5 ROI menurut Phillips.",
        ],
    ),
    "laporan": (
        _("Laporan"),
        [
            "Laporan evaluasi program dari data: pendahuluan, tujuan, metode, hasil dan dampak, "
            "tantangan, rekomendasi, kesimpulan.",
            "Siklus evaluasi berkala dan tindak lanjut rekomendasi.",
            "Dasbor pimpinan dan Indeks Profesionalitas ASN.",
        ],
    ),
}


def cycle_page(key: str):  # type: ignore[no-untyped-def]
    """A page for a stage of the cycle whose module is not built yet: what will come, no data."""

    @login_required
    def view(request: AuthenticatedHttpRequest) -> HttpResponse:
        title, features = COMING[key]
        return render(
            request, "core/coming.html", {"title": title, "features": features, "stage": key}
        )

    view.__name__ = f"cycle_{key}"
    return view


@admin_required
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    qs = AuditLog.objects.filter(instansi=request.user.instansi).select_related("actor")
    for field in ("object_type", "object_id", "action"):
        value = request.GET.get(field, "").strip()
        if value:
            qs = qs.filter(**{field: value})
    actor = request.GET.get("actor", "").strip()
    if actor:
        qs = qs.filter(actor__username=actor)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "filters": request.GET})


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: the database answers and the worker has been seen recently."""
    checks: dict[str, str] = {}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        checks["database"] = "error"
        status = 503
    from kompeten.core.worker import worker_status

    checks["worker"] = worker_status()
    response = JsonResponse(
        {"status": "ok" if status == 200 else "error", "checks": checks}, status=status
    )
    if status == 503:
        from kompeten.core.outage import retry_after

        response["Retry-After"] = str(retry_after())
    return response

"""Rendering the report model: the HTML page, the PDF (WeasyPrint, same body template with
print CSS) and the XLSX workbook with every table behind the report. Each takes a
:class:`kompeten.reports.model.Report` (or its JSON-able dict, as a cycle stores it)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from kompeten.core.exports import xlsx_bytes
from kompeten.core.images import SVG_MIME, data_uri, image_uri
from kompeten.core.models import Instansi
from kompeten.reports.model import REPORT_CACHE_SECONDS, Report, as_report, dict_hash
from kompeten.reports.models import ReportNarrative, ReportSettings
from kompeten.reports.rules import RULE_TITLES


def data_hash(data: Report | Mapping[str, Any]) -> str:
    """SHA-256 of the report data without its generation time (identical data, identical hash)."""
    return data.data_hash if isinstance(data, Report) else dict_hash(data)


def localised(data: Mapping[str, Any]) -> dict[str, Any]:
    """A stored cycle report in the active language: its prose stored for that language (see
    :func:`kompeten.reports.actions.assemble_cycle_languages`) over the figures; as stored when
    generated before the prose was kept per language, or for the site's own language."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    extra = (data.get("by_language") or {}).get(language)
    return {**data, **extra} if extra else dict(data)


def placeholder_logo(name: str) -> str:
    """An SVG emblem with the instansi's initials (used until a logo is uploaded)."""
    words = [w for w in name.replace("Pemerintah", "").split() if w[:1].isalpha()]
    initials = "".join(w[0] for w in words[:3]).upper() or "K"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="140" viewBox="0 0 120 140">'
        '<path d="M60 4 L114 24 L110 92 Q104 120 60 136 Q16 120 10 92 L6 24 Z" fill="#1f5f8b" '
        'stroke="#c9a227" stroke-width="5"/>'
        f'<text x="60" y="86" font-family="DejaVu Sans" font-size="34" font-weight="bold" '
        f'fill="#ffffff" text-anchor="middle">{escape(initials)}</text></svg>'
    )


def logo_uri(instansi: Instansi) -> str:
    settings_row = ReportSettings.objects.filter(instansi=instansi).first()
    if settings_row is not None and settings_row.logo:
        return image_uri(settings_row.logo)
    return data_uri(placeholder_logo(instansi.name).encode(), SVG_MIME)


def narratives(instansi_id: int, scope: str) -> dict[str, list[dict[str, Any]]]:
    """The newest version of each admin paragraph, per section (one query)."""
    latest: dict[str, ReportNarrative] = {}
    for n in ReportNarrative.objects.filter(instansi_id=instansi_id, scope=scope).order_by(
        "section", "-version"
    ):
        latest.setdefault(n.section, n)
    out: dict[str, list[dict[str, Any]]] = {}
    for n in latest.values():
        if n.text.strip():
            out.setdefault(n.section, []).append(
                {
                    "text": n.text,
                    "version": n.version,
                    "author": str(n.author or ""),
                    "created": n.created,
                }
            )
    return out


def context(
    instansi: Instansi,
    data: Report | Mapping[str, Any],
    recommendations: list[dict[str, Any]] | None = None,
    evidence_base: str = "",
) -> dict[str, Any]:
    report = as_report(data)
    notes = narratives(instansi.pk, report.scope)
    sections = [
        {
            "key": s.key,
            "title": s.title,
            "paragraphs": s.paragraphs,
            "facts": s.facts,
            "tables": s.tables,
            "figures": s.figures,
            "gaps": s.gaps,
            "narratives": notes.get(s.key, []),
        }
        for s in report.sections
    ]
    return {
        "report": report,
        "sections": sections,
        "instansi": instansi,
        "logo": logo_uri(instansi),
        "recommendations": recommendations,
        "evidence_base": evidence_base,
        "data_hash": report.data_hash,
    }


def render_html(ctx: dict[str, Any]) -> str:
    return render_to_string("reports/report_print.html", ctx)


def render_pdf(ctx: dict[str, Any], cached: bool = True) -> bytes:
    """The PDF of the print template. The layout is the slow part (seconds for a large
    programme) and depends on nothing but the HTML, so the PDF is kept in the cache under the
    HTML's SHA-256: the same report, narratives and logo give the same file at once."""
    from weasyprint import HTML

    html = render_to_string("reports/report_print.html", {**ctx, "for_pdf": True})
    key = "report-pdf:" + hashlib.sha256(html.encode()).hexdigest()
    if cached:
        pdf = cache.get(key)
        if isinstance(pdf, bytes):
            return pdf
    pdf = HTML(string=html, base_url=".").write_pdf()
    assert isinstance(pdf, bytes)
    cache.set(key, pdf, REPORT_CACHE_SECONDS)
    return pdf


def render_xlsx(data: Report | Mapping[str, Any]) -> bytes:
    """Every table of the report, one sheet each, numbers as numbers."""
    report = as_report(data)
    summary = gettext("Ringkasan")
    sheets: list[tuple[str, Sequence[str], Iterable[Sequence[Any]]]] = [
        (
            summary,
            [gettext("Laporan"), gettext("Periode"), gettext("Hash data")],
            [[report.title, report.subtitle, report.data_hash]],
        ),
    ]
    used: set[str] = {summary}
    for _section, t in report.tables():
        name = t.slug[:28]
        i = 2
        while name in used:
            name = f"{t.slug[:25]}_{i}"
            i += 1
        used.add(name)
        sheets.append((name, t.headers, t.rows))
    sheets.append(
        (
            "rekomendasi_bukti",
            [gettext("Aturan"), gettext("Pokok"), gettext("Rekomendasi"), gettext("Bukti (JSON)")],
            [
                [
                    str(RULE_TITLES.get(r["rule_id"], r["rule_id"])),
                    r["subject"],
                    r["text"],
                    json.dumps(r["evidence"], default=str),
                ]
                for r in report.recommendations
            ],
        )
    )
    return xlsx_bytes(sheets)

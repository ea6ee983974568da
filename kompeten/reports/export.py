"""Writing a rendered report to a file (CLI, demo, benchmarks)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kompeten.core.models import Instansi
from kompeten.reports import render as r
from kompeten.reports.model import Report, as_report


def report_json(data: Report | Mapping[str, Any]) -> bytes:
    """The report's figures as JSON (schema in docs/reports.md), unrounded."""
    report = as_report(data)
    body = {
        "schema": "kompeten.report.figures/1",
        "title": report.title,
        "period": {"from": report.period_start, "to": report.period_end},
        **report.figures,
        "data_hash": report.data_hash,
        "generated": report.generated or None,
    }
    return (json.dumps(body, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode()


def render_bytes(
    instansi: Instansi,
    data: Report | Mapping[str, Any],
    fmt: str,
    recs: list[dict[str, Any]] | None = None,
) -> bytes:
    if fmt == "xlsx":
        return r.render_xlsx(data)
    if fmt == "json":
        return report_json(data)
    ctx = r.context(instansi, data, recs)
    if fmt == "pdf":
        return r.render_pdf(ctx)
    if fmt == "html":
        return r.render_html(ctx).encode()
    raise ValueError(f"format {fmt!r} tidak dikenal")


def write_report(
    instansi: Instansi,
    data: Report | Mapping[str, Any],
    fmt: str,
    path: Path,
    recs: list[dict[str, Any]] | None = None,
) -> int:
    content = render_bytes(instansi, data, fmt, recs)
    path.write_bytes(content)
    return len(content)

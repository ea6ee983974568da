"""Writing a rendered report to a file (CLI, demo, benchmarks)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kompeten.core.models import Instansi
from kompeten.reports import render as r


def report_json(data: dict[str, Any]) -> bytes:
    """The report's figures as JSON (schema in docs/reports.md), unrounded."""
    body = {
        "schema": "kompeten.report.figures/1",
        "title": data["title"],
        "period": {"from": data["period_start"], "to": data["period_end"]},
        **data.get("figures", {}),
        "data_hash": r.data_hash(data),
        "generated": data.get("generated"),
    }
    return (json.dumps(body, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode()


def render_bytes(
    instansi: Instansi, data: dict[str, Any], fmt: str, recs: list[dict[str, Any]] | None = None
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
    data: dict[str, Any],
    fmt: str,
    path: Path,
    recs: list[dict[str, Any]] | None = None,
) -> int:
    content = render_bytes(instansi, data, fmt, recs)
    path.write_bytes(content)
    return len(content)

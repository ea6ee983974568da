"""Writing a rendered report to a file (CLI, demo, benchmarks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kompeten.core.models import Instansi
from kompeten.reports import render as r


def render_bytes(
    instansi: Instansi, data: dict[str, Any], fmt: str, recs: list[dict[str, Any]] | None = None
) -> bytes:
    if fmt == "xlsx":
        return r.render_xlsx(data)
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

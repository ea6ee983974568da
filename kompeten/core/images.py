"""Stored images embedded in generated documents (certificates, report covers) as ``data:`` URIs,
so WeasyPrint never fetches a file or a URL while it renders."""

from __future__ import annotations

import base64
from typing import Any

SVG_MIME = "image/svg+xml"


def data_uri(raw: bytes, mime: str) -> str:
    return f"data:{mime};base64," + base64.b64encode(raw).decode("ascii")


def mime_of(name: str) -> str:
    """The MIME type of an uploaded logo or signature, by its file name (SVG, PNG, else JPEG:
    the uploads accept no other kind)."""
    name = name.lower()
    if name.endswith(".svg"):
        return SVG_MIME
    return "image/png" if name.endswith(".png") else "image/jpeg"


def image_uri(field: Any) -> str:
    """A stored image file (a model's ``FileField`` value) as a ``data:`` URI; "" when unset."""
    if not field:
        return ""
    with field.open("rb") as fh:
        return data_uri(fh.read(), mime_of(field.name or ""))

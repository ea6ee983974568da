"""The whole demo built once for a test module, inside a transaction that is rolled back."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.test import override_settings

from kompeten.demo import build
from kompeten.demo.build import DemoContext


@contextmanager
def demo_for_the_module(
    django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[tuple[DemoContext, str]]:
    """Build the demo (its media in a temporary folder) and give its context and what it printed;
    everything it wrote is rolled back when the block ends. For a module-scoped fixture."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        out = io.StringIO()
        ctx = build.build_demo(out)
        yield ctx, out.getvalue()
        transaction.set_rollback(True)

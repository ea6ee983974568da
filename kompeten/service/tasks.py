"""Background work of the service app."""

from __future__ import annotations

from django_tasks import task

from kompeten.service.actions import do_rebuild_rollups


@task()
def rebuild_rollups(service_unit_ids: list[int] | None = None) -> list[int]:
    """Recount the SKM rollups (e.g. after a bulk correction of responses)."""
    unsur_rows, profile_rows = do_rebuild_rollups(service_unit_ids)
    return [unsur_rows, profile_rows]

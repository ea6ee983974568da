"""Background work of the service app."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from kompeten.core.periodic import register
from kompeten.service.actions import do_rebuild_rollups
from kompeten.service.actions.rollups import do_fold_skm_responses


@task()
def rebuild_rollups(service_unit_ids: list[int] | None = None) -> list[int]:
    """Recount the SKM rollups (e.g. after a bulk correction of responses)."""
    unsur_rows, profile_rows = do_rebuild_rollups(service_unit_ids)
    return [unsur_rows, profile_rows]


@register("service.skm_fold", every=timedelta(seconds=5))
@task()
def fold_skm_responses() -> int:
    """Backstop of the web processes' fold thread: count accepted public-form responses into
    the rollups (kompeten.service.actions.rollups.do_fold_skm_responses)."""
    return do_fold_skm_responses(wait=True)

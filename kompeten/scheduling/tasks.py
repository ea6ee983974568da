"""Background work of scheduling: solving big planner instances."""

from __future__ import annotations

from django_tasks import task


@task()
def run_plan(run_id: int) -> str:
    from kompeten.scheduling.actions.planning import execute_plan_run
    from kompeten.scheduling.models import PlanRun

    run = PlanRun.objects.filter(pk=run_id).first()
    if run is None:
        return "missing"
    return execute_plan_run(run).status

"""Background work: follow-up invitations, reminders and escalation, every hour."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from kompeten.core.periodic import register


@register("evaluation.follow_ups", every=timedelta(hours=1))
@task()
def process_follow_ups() -> dict[str, int]:
    from kompeten.evaluation.actions.followups import do_process_follow_ups

    run = do_process_follow_ups()
    return {"sent": run.sent, "reminded": run.reminded, "escalated": run.escalated}

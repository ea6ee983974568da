"""Background work of the learning app: AKP reminders to those who have not answered."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from kompeten.core.periodic import register


def send_akp_reminders_now() -> int:
    """Remind non-respondents of every campaign open now; return the number of reminders."""
    from kompeten.learning.actions.akp import do_send_akp_reminders, open_campaigns_in_window

    total = 0
    for campaign in open_campaigns_in_window():
        result = do_send_akp_reminders(campaign)
        total += result.self_reminded + result.atasan_reminded
    return total


@register("learning.akp_reminders", every=timedelta(hours=24))
@task()
def send_akp_reminders() -> int:
    return send_akp_reminders_now()

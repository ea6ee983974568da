from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kompeten.evaluation.actions.followups import MAX_REMINDERS, do_process_follow_ups
from kompeten.evaluation.models import FollowUp
from kompeten.participation.models import Notification
from tests.evaluation import builders

JKT = ZoneInfo("Asia/Jakarta")


def test_invitations_are_sent_when_due_reminded_three_times_then_escalated(world):
    s = builders.build(world, n=2)
    f = FollowUp.objects.get(
        subject=world.dave_emp, rater_role="atasan", instrument__phase="sebelum"
    )
    assert f.due_at.date() == s.batch.start_date - timedelta(days=7)
    t = f.due_at + timedelta(hours=1)
    do_process_follow_ups(now=t)
    f.refresh_from_db()
    assert f.sent_at == t
    for i in range(1, 6):
        do_process_follow_ups(now=t + timedelta(days=2 * i))
    f.refresh_from_db()
    assert f.reminders_sent == MAX_REMINDERS
    assert f.escalated_at is not None
    assert f.escalated_to_id == world.carol_emp.supervisor_id or f.escalated_to_id is None


def test_a_reminder_is_not_sent_twice_within_two_days(world):
    builders.build(world, n=2)
    t = datetime(2026, 3, 2, 9, tzinfo=JKT)
    do_process_follow_ups(now=t)
    before = Notification.objects.count()
    do_process_follow_ups(now=t + timedelta(days=1))
    assert Notification.objects.count() == before

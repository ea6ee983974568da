"""The point policy is changed through its action: saved, audited with before and after."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kompeten.core.models import AuditLog
from kompeten.participation.actions.incentives import policy_for

FIELDS = {
    "per_jp": "2",
    "completion": "12",
    "full_attendance": "5",
    "high_gain": "10",
    "high_gain_threshold": "0.7",
    "per_proposal": "3",
    "per_vote": "1",
    "per_comment": "1",
    "badge_min_points": "60",
}


def test_an_admin_changes_the_policy_and_the_audit_log_keeps_before_and_after(world, client):
    policy = policy_for(world.instansi.pk)
    old_per_jp = str(policy.per_jp)
    client.force_login(world.alice)
    response = client.post(reverse("participation:policy_edit"), FIELDS)
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.per_jp == Decimal("2") and policy.badge_min_points == 60
    entry = AuditLog.objects.get(action="point_policy.update")
    assert Decimal(entry.before["per_jp"]) == Decimal(old_per_jp) == Decimal("1")
    assert Decimal(entry.after["per_jp"]) == Decimal("2")
    assert entry.actor == world.alice


def test_a_refused_policy_changes_nothing(world, client):
    policy = policy_for(world.instansi.pk)
    client.force_login(world.alice)
    response = client.post(reverse("participation:policy_edit"), {**FIELDS, "per_jp": "banyak"})
    assert response.status_code == 200 and response.context["form"].errors["per_jp"]
    policy.refresh_from_db()
    assert policy.per_jp != Decimal("2")
    assert not AuditLog.objects.filter(action="point_policy.update").exists()


def test_only_an_admin_edits_the_policy(world, client):
    client.force_login(world.bob)
    assert client.post(reverse("participation:policy_edit"), FIELDS).status_code == 403


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("per_jp", "-1", "lebih besar dari atau sama dengan 0"),
        ("badge_min_points", "-50", "lebih besar dari atau sama dengan 0"),
        ("high_gain_threshold", "-0.1", "lebih besar dari atau sama dengan 0"),
        ("high_gain_threshold", "1.5", "lebih kecil dari atau sama dengan 1"),
    ],
)
def test_negative_points_and_a_threshold_past_1_are_refused(world, client, field, value, message):
    policy = policy_for(world.instansi.pk)
    client.force_login(world.alice)
    response = client.post(reverse("participation:policy_edit"), {**FIELDS, field: value})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    policy.refresh_from_db()
    assert policy.per_jp == Decimal("1") and policy.high_gain_threshold == Decimal("0.5")
    assert not AuditLog.objects.filter(action="point_policy.update").exists()

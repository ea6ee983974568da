"""Writing the audit log: called from actions, inside their transaction."""

from __future__ import annotations

from typing import Any

from kompeten.core.models import AuditLog, Instansi, User


def record(
    *,
    actor: User | None,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    instansi: Instansi | None = None,
) -> AuditLog:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        if instansi is None:
            instansi = getattr(obj, "instansi", None)
    if instansi is None and actor is not None and actor.pk is not None:
        instansi = actor.instansi
    return AuditLog.objects.create(
        instansi=instansi,
        actor=actor if (actor is not None and actor.pk is not None) else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:300],
        before=before,
        after=after,
    )


def save_field(
    obj: Any,
    field: str,
    value: Any,
    *,
    actor: User | None,
    action: str,
    instansi: Instansi | None = None,
) -> None:
    """Set one field of `obj`, save that field alone and record the change: its value before
    and after (a status, a scale) under `action`."""
    before = getattr(obj, field)
    setattr(obj, field, value)
    obj.save(update_fields=[field])
    record(
        actor=actor,
        action=action,
        obj=obj,
        before={field: before},
        after={field: value},
        instansi=instansi,
    )

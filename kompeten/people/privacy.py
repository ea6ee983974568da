"""Personal data (UU 27/2022): retention with a purge, and the data-subject export.

Retention: each rule names a kind of data, how long it is kept (settings
`KOMPETEN_RETENTION_DAYS[name]`, in days; 0 keeps it forever) and what happens after that
(deleted, or for employees' contact details, blanked). Apps add their own rules with
`register(RetentionRule(...))` from their `AppConfig.ready()`. `purge(dry_run=True)` counts
without changing anything; `kompeten purge` runs it (docs/privacy.md).

Export: `export_personal_data(nip)` gathers every row that refers to one employee — found
generically through Django's model meta (every foreign key to people.Employee, and every
foreign key to that employee's user account), so models added by other apps later are included
without changing this module.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from kompeten.core import audit
from kompeten.core.models import AuditLog, Instansi, User
from kompeten.people.models import Employee

# Fields never exported or shown, whatever model they are on.
SECRET_FIELDS = frozenset({"password", "token_hash", "secret", "session_key", "session_data"})

# A row reached through a key that is not its owner's belongs to someone else; of it, only the
# subject's own part is exported. (model, key) -> the other person's fields, left out: an
# atasan's export holds the levels they gave, never their reports' self-assessments.
OTHERS_FIELDS: dict[tuple[str, str], frozenset[str]] = {
    ("learning.akpentry", "atasan"): frozenset({"self_level", "self_at"}),
}


def _delete(qs: QuerySet[Any]) -> int:
    count, _per_model = qs.delete()
    return count


DELETED = gettext_lazy("dihapus")  # what a rule does by default (RetentionRule.action)


@dataclass(frozen=True)
class RetentionRule:
    """After `days` (from settings, else `default_days`), `apply` the rule to `candidates`.

    `description` says what the data is and `action` what happens to its rows, as a passive
    verb phrase ("dihapus"), both lazy translations: `kompeten purge` prints them."""

    name: str
    description: str | Promise
    default_days: int
    candidates: Callable[[datetime], QuerySet[Any]]
    apply: Callable[[QuerySet[Any]], int] = _delete
    action: str | Promise = DELETED

    def days(self) -> int:
        configured = getattr(settings, "KOMPETEN_RETENTION_DAYS", {})
        return int(configured.get(self.name, self.default_days))


RULES: dict[str, RetentionRule] = {}


def register(rule: RetentionRule) -> RetentionRule:
    RULES[rule.name] = rule
    return rule


def _delete_expired_audit_rows(qs: QuerySet[Any]) -> int:
    """The one sanctioned deletion of audit rows: past their retention period.

    AuditLog's queryset refuses delete() so that nothing else can remove history; retention
    goes through the plain QuerySet.delete on purpose, and is itself audited by purge().
    """
    count, _per_model = models.QuerySet.delete(qs)
    return count


def _blank_contacts(qs: QuerySet[Any]) -> int:
    return qs.update(email="", phone="")


register(
    RetentionRule(
        name="audit_log",
        description=gettext_lazy("Jejak audit (memuat data pribadi sebelum/sesudah perubahan)"),
        default_days=1826,
        candidates=lambda cutoff: AuditLog.objects.filter(created__lt=cutoff),
        apply=_delete_expired_audit_rows,
    )
)
register(
    RetentionRule(
        name="inactive_employee_contacts",
        description=gettext_lazy("Surel dan telepon pegawai yang sudah nonaktif"),
        default_days=730,
        candidates=lambda cutoff: Employee.objects.filter(
            is_active=False, end_date__lt=timezone.localdate(cutoff)
        ).exclude(email="", phone=""),
        apply=_blank_contacts,
        action=gettext_lazy("dikosongkan surel dan telepon"),
    )
)


def _login_attempts(cutoff: datetime) -> QuerySet[Any]:
    model = apps.get_model("axes", "AccessFailureLog")
    return model.objects.filter(attempt_time__lt=cutoff)


def _login_attempt_counters(cutoff: datetime) -> QuerySet[Any]:
    model = apps.get_model("axes", "AccessAttempt")
    return model.objects.filter(attempt_time__lt=cutoff)


def _access_log(cutoff: datetime) -> QuerySet[Any]:
    model = apps.get_model("axes", "AccessLog")
    return model.objects.filter(attempt_time__lt=cutoff)


register(
    RetentionRule(
        name="login_attempts",
        description=gettext_lazy("Catatan percobaan masuk yang gagal (nama pengguna, alamat IP)"),
        default_days=90,
        candidates=_login_attempts,
    )
)
register(
    RetentionRule(
        name="login_attempt_counters",
        description=gettext_lazy("Penghitung percobaan masuk (nama pengguna, alamat IP)"),
        default_days=90,
        candidates=_login_attempt_counters,
    )
)
register(
    RetentionRule(
        name="login_log",
        description=gettext_lazy("Catatan masuk/keluar (nama pengguna, alamat IP)"),
        default_days=90,
        candidates=_access_log,
    )
)


def _finished_tasks(cutoff: datetime) -> QuerySet[Any]:
    model = apps.get_model("django_tasks_database", "DBTaskResult")
    return model.objects.filter(status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=cutoff)


register(
    RetentionRule(
        name="finished_tasks",
        description=gettext_lazy(
            "Hasil tugas latar belakang yang selesai (argumennya bisa memuat data pribadi)"
        ),
        default_days=30,
        candidates=_finished_tasks,
    )
)


@dataclass(frozen=True)
class PurgeResult:
    name: str
    description: str | Promise
    action: str | Promise
    days: int
    cutoff: datetime | None
    count: int
    applied: bool


def purge(
    *, dry_run: bool = True, now: datetime | None = None, actor: User | None = None
) -> list[PurgeResult]:
    """Apply every retention rule (or, with dry_run, only count what would be affected)."""
    now = now or timezone.now()
    results: list[PurgeResult] = []
    with transaction.atomic():
        for rule in RULES.values():
            days = rule.days()
            if days <= 0:
                results.append(
                    PurgeResult(rule.name, rule.description, rule.action, days, None, 0, False)
                )
                continue
            cutoff = now - timedelta(days=days)
            qs = rule.candidates(cutoff)
            count = qs.count()
            if not dry_run and count:
                count = rule.apply(qs)
            results.append(
                PurgeResult(
                    rule.name, rule.description, rule.action, days, cutoff, count, not dry_run
                )
            )
        if not dry_run:
            audit.record(
                actor=actor,
                action="privacy.purge",
                object_type="core.retention",
                summary=", ".join(f"{r.name}: {r.count}" for r in results if r.count),
                after={r.name: r.count for r in results},
            )
    return results


# --- data-subject export --------------------------------------------------------------------


def _row(obj_values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj_values.items() if k not in SECRET_FIELDS}


def _fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in SECRET_FIELDS]


def relations_to(
    target: type[models.Model],
) -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every (model, field) whose foreign key or one-to-one key points at `target`."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is target:
                found.append((model, field))
    return found


def find_subject(nip: str, instansi: Instansi | None = None) -> Employee:
    """The employee with this NIP (in `instansi`, when given: a NIP is unique per instansi).

    Raises Employee.DoesNotExist, or Employee.MultipleObjectsReturned when the NIP is held in
    several instansi and none was named.
    """
    qs = Employee.objects.filter(nip="".join(nip.split()))
    if instansi is not None:
        qs = qs.filter(instansi=instansi)
    return qs.get()


def export_personal_data(nip: str, instansi: Instansi | None = None) -> dict[str, Any]:
    """Everything held about the employee with this NIP, as JSON-ready data.

    Raises Employee.DoesNotExist when no employee has this NIP, MultipleObjectsReturned when
    several instansi hold it and `instansi` does not say which.
    """
    employee = find_subject(nip, instansi)
    account = User.objects.filter(employee=employee).first()
    data: dict[str, Any] = {
        "generated_at": timezone.now(),
        "nip": employee.nip,
        "employee": _row(Employee.objects.filter(pk=employee.pk).values(*_fields(Employee)).get()),
        "account": (
            _row(User.objects.filter(pk=account.pk).values(*_fields(User)).get())
            if account is not None
            else None
        ),
        "related": {},
    }
    related: dict[str, list[dict[str, Any]]] = {}
    for model, field in relations_to(Employee):
        if model is User or model is Employee:
            # The account is above; other employees' rows (the subject's direct reports) are
            # their personal data, not the subject's.
            continue
        key = f"{model._meta.label_lower}.{field.name}"
        withheld = OTHERS_FIELDS.get((model._meta.label_lower, field.name), frozenset())
        fields = [f for f in _fields(model) if f not in withheld]
        rows = [
            _row(r)
            for r in model._default_manager.filter(**{field.attname: employee.pk}).values(*fields)
        ]
        if rows:
            related[key] = rows
    if account is not None:
        for model, field in relations_to(User):
            key = f"{model._meta.label_lower}.{field.name}"
            rows = [
                _row(r)
                for r in model._default_manager.filter(**{field.attname: account.pk}).values(
                    *_fields(model)
                )
            ]
            if rows:
                related.setdefault(key, []).extend(rows)
    # Audit entries about this employee's records (not only those made by them).
    about = AuditLog.objects.filter(
        Q(object_type=Employee._meta.label_lower, object_id=str(employee.pk))
        | (
            Q(object_type=User._meta.label_lower, object_id=str(account.pk))
            if account
            else Q(pk__in=[])
        )
    ).values(*_fields(AuditLog))
    data["audit_log_about"] = [_row(r) for r in about]
    data["related"] = related
    return data


def export_personal_data_json(nip: str, instansi: Instansi | None = None) -> str:
    return json.dumps(
        export_personal_data(nip, instansi), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )

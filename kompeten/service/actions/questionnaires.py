"""Questionnaire versions of a service unit.

A version is never edited: responses are stored and rolled up under their version id, and every
web process caches resolved versions. A change of unsur or weights is a NEW
:class:`~kompeten.service.models.Questionnaire` that the unit switches to; older responses keep
the version they were given under.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from kompeten.core import audit
from kompeten.core.models import User
from kompeten.service.actions.skm import do_create_questionnaire
from kompeten.service.models import Questionnaire, Regulation, ServiceUnit


def version_prefix(service_unit: ServiceUnit) -> str:
    return f"{service_unit.code}-v"


def unit_versions(service_unit: ServiceUnit) -> list[Questionnaire]:
    """The unit's own questionnaire versions, newest first."""
    return list(
        Questionnaire.objects.filter(
            instansi_id=service_unit.instansi_id, code__startswith=version_prefix(service_unit)
        ).order_by("-created", "-pk")
    )


@transaction.atomic
def do_new_questionnaire_version(
    service_unit: ServiceUnit,
    *,
    base: str = Regulation.SKM_2017,
    extra_unsur: list[dict[str, Any]] | None = None,
    weights: Mapping[str, str] | None = None,
    actor: User | None = None,
) -> Questionnaire | None:
    """Switch the unit to a new questionnaire version; returns it (None: the official set of
    ``base`` with equal weights, which needs no questionnaire row).

    Raises ``ValidationError`` (Indonesian, keyed ``extra_unsur`` or ``weights``) when an added
    unsur is incomplete or the weights do not cover every unsur or do not sum to 1.
    """
    extra = list(extra_unsur or [])
    clean_weights = dict(weights or {})
    before = service_unit.version_id
    if not extra and not clean_weights and base == Regulation.SKM_2017:
        questionnaire = None
    else:
        # Lock the unit row: two editors at once still get distinct version numbers.
        ServiceUnit.objects.select_for_update().filter(pk=service_unit.pk).first()
        number = len(unit_versions(service_unit)) + 1
        questionnaire = do_create_questionnaire(
            instansi=service_unit.instansi,
            code=f"{version_prefix(service_unit)}{number}",
            name=f"{service_unit.name} — versi {number}",
            base=base,
            extra_unsur=extra,
            weights=clean_weights,
            actor=actor,
        )
    service_unit.questionnaire = questionnaire
    service_unit.save(update_fields=["questionnaire"])
    audit.record(
        actor=actor,
        action="service_unit.questionnaire",
        obj=service_unit,
        before={"version": before},
        after={"version": service_unit.version_id},
    )
    return questionnaire

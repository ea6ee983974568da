"""Questionnaire versions as engine objects (:class:`kompeten.standards.ikm.SkmVersion`).

A version id is ``SKM_2017`` or ``SKM_2004`` (the official sets) or ``Q<pk>`` for a unit's own
:class:`~kompeten.service.models.Questionnaire`. Resolved versions are cached per process; an
action that changes a questionnaire clears the cache.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

from kompeten.standards.ikm import VERSIONS, SkmVersion, Unsur, custom_version

# Answer labels for unsur that have none in their regulation (the 2004 list).
GENERIC_LABELS = ("Tidak baik", "Kurang baik", "Baik", "Sangat baik")


def version_label(version_id: str) -> str:
    if version_id == "SKM_2017":
        return "PermenPANRB 14/2017"
    if version_id == "SKM_2004":
        return "Kepmenpan 25/2004"
    return f"Kuesioner unit ({version_id})"


@lru_cache(maxsize=256)
def engine_version(version_id: str) -> SkmVersion:
    """The engine's questionnaire version for ``version_id``; ``LookupError`` if unknown."""
    if version_id in VERSIONS:
        return VERSIONS[version_id]
    if not version_id.startswith("Q") or not version_id[1:].isdigit():
        raise LookupError(f"Versi kuesioner {version_id!r} tidak dikenal")
    from kompeten.service.models import Questionnaire

    q = Questionnaire.objects.get(pk=int(version_id[1:]))
    return build_custom(version_id, q.base, q.extra_unsur, q.weights)


def build_custom(
    version_id: str, base_id: str, extra: list[dict[str, object]], weights: dict[str, str]
) -> SkmVersion:
    """A unit's questionnaire: the base set plus ``extra`` unsur, with ``weights`` summing to 1
    (raises ``ValueError`` in Indonesian otherwise)."""
    base = VERSIONS[base_id]
    added = tuple(
        Unsur(
            slug=str(item["slug"]),
            name=str(item["name"]),
            labels=tuple(str(x) for x in item.get("labels", ()) or ()),  # type: ignore[attr-defined]
        )
        for item in extra
    )
    unsur = base.unsur + added
    if weights:
        parsed = {slug: Fraction(str(w)) for slug, w in weights.items()}
    else:
        parsed = {u.slug: Fraction(1, len(unsur)) for u in unsur}
    return custom_version(version_id, unsur, parsed, base=base)


def answer_labels(unsur: Unsur) -> tuple[str, ...]:
    return unsur.labels or GENERIC_LABELS


def clear_cache() -> None:
    engine_version.cache_clear()

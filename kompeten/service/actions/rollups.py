"""The SKM rollups: atomic increments on accept, and a full rebuild.

Increments are one ``INSERT … ON CONFLICT (key) DO UPDATE SET c = t.c + excluded.c`` statement
per table (SQLite ≥ 3.24 and PostgreSQL share the syntax): the database adds to whatever the row
holds at that moment under its row lock, so concurrent writers on the same unit never lose a
count, and a new row is created race-free. Rows are sent sorted by key, so two writers always lock
rows in the same order (no deadlock).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q

from kompeten.service.models import SkmProfileRollup, SkmResponse, SkmRollup
from kompeten.service.versions import engine_version

PROFILE_DIMENSIONS = ("sex", "age_group", "education", "occupation")

# (service_unit_id, service_key, month, version, unsur) -> [c1, c2, c3, c4]
UnsurKey = tuple[int, int, date, str, str]
# (service_unit_id, service_key, month, version, dimension, value) -> count
ProfileKey = tuple[int, int, date, str, str, str]

_CHUNK = 400
# Stripes per hot rollup row (see SkmRollup.shard). A row lock is held until the commit reaches
# the disk (~4 ms here), so one row admits ~250 writers/s; 16 stripes admit 16 commits in flight.
SHARDS = 16


def _upsert(
    table: str, key_cols: tuple[str, ...], val_cols: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    if not rows:
        return
    cols = key_cols + val_cols
    row_sql = "(" + ", ".join(["%s"] * len(cols)) + ")"
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in val_cols)
    with connection.cursor() as cursor:
        for i in range(0, len(rows), _CHUNK):
            chunk = rows[i : i + _CHUNK]
            sql = (
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES "  # noqa: S608 - names are ours
                + ", ".join([row_sql] * len(chunk))
                + f" ON CONFLICT ({', '.join(key_cols)}) DO UPDATE SET {updates}"
            )
            cursor.execute(sql, [v for row in chunk for v in row])


def increment_rollups(
    unsur_counts: Mapping[UnsurKey, list[int]],
    profile_counts: Mapping[ProfileKey, int],
    shard: int = 0,
) -> None:
    """Add counts to the rollups (stripe ``shard``), inside the caller's transaction."""
    _upsert(
        SkmRollup._meta.db_table,
        ("service_unit_id", "service_key", "month", "version", "unsur", "shard"),
        ("c1", "c2", "c3", "c4"),
        [(*k, shard, *unsur_counts[k]) for k in sorted(unsur_counts)],
    )
    _upsert(
        SkmProfileRollup._meta.db_table,
        ("service_unit_id", "service_key", "month", "version", "dimension", "value", "shard"),
        ("count",),
        [(*k, shard, profile_counts[k]) for k in sorted(profile_counts)],
    )


class RollupCounter:
    """Accumulates the rollup increments of many responses (imports, demo)."""

    def __init__(self) -> None:
        self.unsur: dict[UnsurKey, list[int]] = {}
        self.profile: Counter[ProfileKey] = Counter()

    def add(
        self,
        service_unit_id: int,
        service_id: int | None,
        month: date,
        version: str,
        scores: Mapping[str, int],
        profile: Mapping[str, str],
    ) -> None:
        sk = service_id or 0
        for slug, score in scores.items():
            counts = self.unsur.setdefault(
                (service_unit_id, sk, month, version, slug), [0, 0, 0, 0]
            )
            counts[score - 1] += 1
        self.profile[(service_unit_id, sk, month, version, "total", "")] += 1
        for dim in PROFILE_DIMENSIONS:
            self.profile[(service_unit_id, sk, month, version, dim, profile.get(dim, ""))] += 1

    def flush(self, shard: int = 0) -> None:
        increment_rollups(self.unsur, self.profile, shard)
        self.unsur = {}
        self.profile = Counter()


def _lock_rollups() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {SkmRollup._meta.db_table}, {SkmProfileRollup._meta.db_table} "
                "IN SHARE ROW EXCLUSIVE MODE"
            )


_SLUG = re.compile(r"^[a-z0-9_]+$")


def _profile_values() -> dict[str, list[str]]:
    from kompeten.service.models import AgeGroup, Occupation, RespondentEducation, Sex

    choices = {
        "sex": Sex,
        "age_group": AgeGroup,
        "education": RespondentEducation,
        "occupation": Occupation,
    }
    return {dim: ["", *choices[dim].values] for dim in PROFILE_DIMENSIONS}


def _recount_postgres(
    version_id: str, service_unit_ids: list[int] | None
) -> tuple[list[SkmRollup], list[SkmProfileRollup]]:
    """One parallel pass over the responses of a version, all counts at once.

    The JSON of each row is read once (``jsonb_to_record``, measured 2× faster than nine
    ``->>`` extractions) and each unsur is counted per score with ``FILTER``; the profile counts come from the same pass (stored values are
    validated against the choices, so the value lists are complete). The caller raises
    ``work_mem`` so the hash aggregate stays in memory.
    """
    version = engine_version(version_id)
    slugs = [u.slug for u in version.unsur]
    if not all(_SLUG.match(s) for s in slugs):
        raise ValueError("unexpected unsur slug")
    values = _profile_values()
    record = ", ".join(f'"{s}" smallint' for s in slugs)
    extract = ", ".join(f'x."{s}" AS u{i}' for i, s in enumerate(slugs))
    counts = [
        f"count(*) FILTER (WHERE u{i} = {k})" for i in range(len(slugs)) for k in (1, 2, 3, 4)
    ]
    profile_cols = [(dim, v) for dim in PROFILE_DIMENSIONS for v in values[dim]]
    counts += [f"count(*) FILTER (WHERE {dim} = %s)" for dim, _ in profile_cols]
    counts.append("count(*)")
    where = "version = %s"
    params: list[Any] = [v for _, v in profile_cols] + [version_id]
    if service_unit_ids is not None:
        where += " AND service_unit_id = ANY(%s)"
        params.append(service_unit_ids)
    sql = (
        f"SELECT service_unit_id, sk, month, {', '.join(counts)} FROM ("  # noqa: S608 - slugs checked
        f"SELECT service_unit_id, COALESCE(service_id, 0) AS sk, month, "
        f"{', '.join(PROFILE_DIMENSIONS)}, {extract} "
        f"FROM {SkmResponse._meta.db_table}, jsonb_to_record(scores) AS x({record}) "
        f"WHERE {where}) r GROUP BY 1, 2, 3"
    )
    unsur_rows: list[SkmRollup] = []
    profile_rows: list[SkmProfileRollup] = []
    n_unsur = 4 * len(slugs)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            su, sk, month, *c = row
            for i, slug in enumerate(slugs):
                cc = c[4 * i : 4 * i + 4]
                if any(cc):
                    unsur_rows.append(
                        SkmRollup(
                            service_unit_id=su,
                            service_key=sk,
                            month=month,
                            version=version_id,
                            unsur=slug,
                            c1=cc[0],
                            c2=cc[1],
                            c3=cc[2],
                            c4=cc[3],
                        )
                    )
            key = {"service_unit_id": su, "service_key": sk, "month": month, "version": version_id}
            profile_rows.append(SkmProfileRollup(dimension="total", value="", count=c[-1], **key))
            for (dim, value), n in zip(profile_cols, c[n_unsur:-1], strict=True):
                if n:
                    profile_rows.append(
                        SkmProfileRollup(dimension=dim, value=value, count=n, **key)
                    )
    return unsur_rows, profile_rows


@transaction.atomic
def do_rebuild_rollups(service_unit_ids: Iterable[int] | None = None) -> tuple[int, int]:
    """Recount the rollups from the stored responses (all units, or the given ones).

    On PostgreSQL the rollup tables are locked for the duration, so a response accepted
    meanwhile waits and then adds to the rebuilt counts. Returns (unsur rows, profile rows).
    """
    _lock_rollups()
    responses = SkmResponse.objects.all()
    rollups = SkmRollup.objects.all()
    profiles = SkmProfileRollup.objects.all()
    id_list: list[int] | None = None
    if service_unit_ids is not None:
        ids = id_list = list(service_unit_ids)
        responses = responses.filter(service_unit_id__in=ids)
        rollups = rollups.filter(service_unit_id__in=ids)
        profiles = profiles.filter(service_unit_id__in=ids)
    rollups.delete()
    profiles.delete()
    group = ("service_unit_id", "service_id", "month", "version")
    unsur_rows: list[SkmRollup] = []
    profile_rows: list[SkmProfileRollup] = []
    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            # the aggregate has few groups but many columns: keep it a hash aggregate in memory
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL enable_sort = off")
    for version_id in responses.values_list("version", flat=True).distinct().order_by():
        version = engine_version(version_id)
        if postgres:
            u_rows, p_rows = _recount_postgres(version_id, id_list)
            unsur_rows.extend(u_rows)
            profile_rows.extend(p_rows)
            continue
        annotations = {
            f"{u.slug}__{k}": Count("id", filter=Q(**{f"scores__{u.slug}": k}))
            for u in version.unsur
            for k in (1, 2, 3, 4)
        }
        grouped = responses.filter(version=version_id).values(*group).annotate(**annotations)
        for row in grouped.order_by():
            for u in version.unsur:
                c = [row[f"{u.slug}__{k}"] for k in (1, 2, 3, 4)]
                if any(c):
                    unsur_rows.append(
                        SkmRollup(
                            service_unit_id=row["service_unit_id"],
                            service_key=row["service_id"] or 0,
                            month=row["month"],
                            version=version_id,
                            unsur=u.slug,
                            c1=c[0],
                            c2=c[1],
                            c3=c[2],
                            c4=c[3],
                        )
                    )
    SkmRollup.objects.bulk_create(unsur_rows, batch_size=2000)
    for dim in ("total", *PROFILE_DIMENSIONS) if not postgres else ():
        fields = group if dim == "total" else (*group, dim)
        for row in responses.values(*fields).annotate(n=Count("id")).order_by():
            profile_rows.append(
                SkmProfileRollup(
                    service_unit_id=row["service_unit_id"],
                    service_key=row["service_id"] or 0,
                    month=row["month"],
                    version=row["version"],
                    dimension=dim,
                    value="" if dim == "total" else row[dim],
                    count=row["n"],
                )
            )
    SkmProfileRollup.objects.bulk_create(profile_rows, batch_size=2000)
    return len(unsur_rows), len(profile_rows)

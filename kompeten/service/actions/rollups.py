"""The SKM rollups: the fold (public-form responses, within seconds), increments in the same
transaction (bulk imports, demo), and a full rebuild.

**Why a fold.** Every public-form response adds to the same few rollup rows of its unit; under a
burst (64 clients on one unit) writers queue on those row locks. So the accept path writes only
the response row (:func:`insert_form_response`: one ``INSERT``), and
:func:`do_fold_skm_responses` adds the responses accepted since its watermark
(:class:`~kompeten.service.models.SkmFoldState`) to the rollups **in one transaction with the
watermark update**: nothing is counted twice or lost. It runs a second after a response is
accepted (a thread in the web process, :func:`request_fold`) and from the worker's periodic
scheduler as a backstop; it can be called inline at any time.

**Ids are allocated before commit**, so a response with a lower id may commit after one with a
higher id. The fold therefore reads its upper bound ``hi = max(id)`` while holding an exclusive
advisory lock that every form insert holds shared for its (millisecond) transaction: once the
fold has the lock, every id up to ``hi`` is committed or rolled back. The fold takes the lock
with a short timeout and simply skips a round when it cannot (SQLite serialises writers anyway).
Bulk inserts hold a second lock key (they count their own rollups, ``rolled_on_insert``) so a
long import never stalls the form.

**Counting** (fold and rebuild share :func:`count_responses`, so they agree by construction): one
pass with ``count(*) FILTER (…)`` per unsur and score over ``packed`` — the scores in 3-bit
fields of one integer (:func:`pack_scores`), cheaper to read than the JSON ``scores`` (10 M
responses: 12,8 s against 18,8 s for the same pass over the JSON, ``bench/bench_ikm.py``).

Increments are one ``INSERT … ON CONFLICT (key) DO UPDATE SET c = t.c + excluded.c`` statement
per table (SQLite ≥ 3.24 and PostgreSQL share the syntax), rows sorted by key (no deadlock).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection, transaction
from django.utils import timezone

from kompeten.service.models import (
    AgeGroup,
    Occupation,
    Questionnaire,
    RespondentEducation,
    ServiceUnit,
    Sex,
    SkmFoldState,
    SkmProfileRollup,
    SkmResponse,
    SkmRollup,
)
from kompeten.service.versions import engine_version
from kompeten.standards.ikm import SKM_2017, SkmVersion

logger = logging.getLogger(__name__)

PROFILE_DIMENSIONS = ("sex", "age_group", "education", "occupation")

# (service_unit_id, service_key, month, version, unsur) -> [c1, c2, c3, c4]
UnsurKey = tuple[int, int, date, str, str]
# (service_unit_id, service_key, month, version, dimension, value) -> count
ProfileKey = tuple[int, int, date, str, str, str]

_CHUNK = 400

PACK_BITS = 3
PACKED_UNSUR = 21  # 21 × 3 bits fit a signed 64-bit integer

# Advisory lock keys (PostgreSQL): form inserts hold FORM shared, bulk inserts hold BULK shared.
FORM_LOCK = 0x534B4D31
BULK_LOCK = 0x534B4D32
FOLD_NAME = "skm"
FOLD_LOCK_TIMEOUT_MS = 250


# --- packing -------------------------------------------------------------------------------


def pack_scores(version: SkmVersion, scores: Mapping[str, int]) -> int:
    """The scores of the first :data:`PACKED_UNSUR` unsur of ``version`` (questionnaire order)
    in 3-bit fields: unsur *i* is ``(packed >> 3*i) & 7``, 0 when unanswered. Later unsur (a
    custom questionnaire with more than 21) are read from the JSON ``scores``."""
    packed = 0
    for i, u in enumerate(version.unsur[:PACKED_UNSUR]):
        packed |= int(scores.get(u.slug, 0)) << (PACK_BITS * i)
    return packed


def _json_score_sql(slug: str) -> str:
    if not slug.replace("_", "").replace("-", "").isalnum():
        raise ValueError(f"unexpected unsur slug {slug!r}")
    if connection.vendor == "postgresql":
        return f"(scores->>'{slug}')::int"
    return f"json_extract(scores, '$.\"{slug}\"')"


# --- increments ----------------------------------------------------------------------------


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


# --- locks ---------------------------------------------------------------------------------


_id_sql: dict[str, str] = {}


def insert_form_response(response: SkmResponse) -> None:
    """INSERT one public-form response (sets ``response.pk``) in a single statement: on
    PostgreSQL the id is drawn by a subquery that first takes the form write lock (shared), so
    the lock is held from before the id exists until the transaction ends (see module doc).
    Outside a transaction the statement is its own transaction: one round trip."""
    fields = [f for f in SkmResponse._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(response, True), connection) for f in fields]
    table = SkmResponse._meta.db_table
    cols = ", ".join(connection.ops.quote_name(f.attname) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            alias = connection.alias
            if alias not in _id_sql:
                cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                seq = cursor.fetchone()[0]
                lock = f"SELECT pg_advisory_xact_lock_shared({FORM_LOCK}) OFFSET 0"
                _id_sql[alias] = f"(SELECT nextval('{seq}') FROM ({lock}) AS form_lock)"  # noqa: S608
            id_sql = _id_sql[alias]
            sql = f"INSERT INTO {table} (id, {cols}) VALUES ({id_sql}, {marks}) RETURNING id"  # noqa: S608
            cursor.execute(sql, values)
            response.pk = cursor.fetchone()[0]
        else:
            cursor.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", values)  # noqa: S608
            response.pk = cursor.lastrowid
    response._state.adding = False
    response._state.db = connection.alias


def hold_bulk_write_lock() -> None:
    """Inside a bulk insert's transaction, before the response ids are allocated."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [BULK_LOCK])


def _high_water(keys: tuple[int, ...], timeout_ms: int | None) -> int | None:
    """PostgreSQL: the highest response id such that every lower id of a writer holding one of
    ``keys`` is settled (committed or rolled back); None when a lock was not had in time.

    The exclusive locks are taken in their own short transaction (a savepoint when the caller
    is already inside one) and ``max(id)`` is read by a later statement, i.e. a later snapshot.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if timeout_ms is not None:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{timeout_ms}ms"])
            for key in keys:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {SkmResponse._meta.db_table}")  # noqa: S608
            return int(cursor.fetchone()[0])
    except OperationalError:  # lock_timeout: writers are busy; the next round folds
        return None


def _max_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {SkmResponse._meta.db_table}")  # noqa: S608
        return int(cursor.fetchone()[0])


def _lock_rollups() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"LOCK TABLE {SkmRollup._meta.db_table}, {SkmProfileRollup._meta.db_table} "
                "IN SHARE ROW EXCLUSIVE MODE"
            )


# --- counting ------------------------------------------------------------------------------


def _profile_values() -> dict[str, list[str]]:
    choices = {
        "sex": Sex,
        "age_group": AgeGroup,
        "education": RespondentEducation,
        "occupation": Occupation,
    }
    return {dim: ["", *choices[dim].values] for dim in PROFILE_DIMENSIONS}


def _expected_positions() -> int:
    """How many unsur positions the one-pass count reads: enough for the versions in use (the
    units' questionnaires and the versions already in the rollups). A response of a version with
    more unsur is still counted in full: :func:`count_responses` reads its other unsur in a
    second, narrower query."""
    ids = set(SkmProfileRollup.objects.values_list("version", flat=True).distinct().order_by())
    for su_version in ServiceUnit.objects.select_related("questionnaire"):
        ids.add(su_version.version_id)
    sizes = [len(engine_version(v).unsur) for v in ids if _known(v)]
    return min(PACKED_UNSUR, max(sizes, default=len(SKM_2017.unsur)))


def _known(version_id: str) -> bool:
    try:
        engine_version(version_id)
    except (LookupError, Questionnaire.DoesNotExist):
        return False
    return True


def _score_sql(position: int, slug: str) -> str:
    if position < PACKED_UNSUR:
        return f"((packed >> {PACK_BITS * position}) & 7)"
    return _json_score_sql(slug)


def _as_date(month: date | str) -> date:
    """A month read by a raw query (SQLite returns dates as text in raw queries)."""
    return date.fromisoformat(month) if isinstance(month, str) else month


def _add_scores(
    unsur: dict[UnsurKey, list[int]],
    group: tuple[int, int, date, str],
    slugs: Iterable[str],
    counts: Sequence[int],
) -> None:
    """Keep the four score counts of each unsur of ``group`` (a run of four counts per slug,
    in order) that has any response."""
    for j, slug in enumerate(slugs):
        cc = list(counts[4 * j : 4 * j + 4])
        if any(cc):
            unsur[(*group, slug)] = cc


def _count_wide_unsur(
    unsur: dict[UnsurKey, list[int]], version_id: str, positions: int, where: str, params: list[Any]
) -> None:
    """Count the unsur of ``version_id`` beyond the first ``positions`` (not in ``packed``),
    one query for the version."""
    extra = list(enumerate(engine_version(version_id).unsur))[positions:]
    cols = [
        f"count(*) FILTER (WHERE {_score_sql(i, u.slug)} = {k})"
        for i, u in extra
        for k in (1, 2, 3, 4)
    ]
    table = SkmResponse._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT service_unit_id, COALESCE(service_id, 0), month, {', '.join(cols)} "  # noqa: S608
            f"FROM {table} WHERE version = %s AND ({where}) GROUP BY 1, 2, 3",
            [version_id, *params],
        )
        for su, sk, month, *c in cursor.fetchall():
            _add_scores(unsur, (su, sk, _as_date(month), version_id), (u.slug for _, u in extra), c)


def count_responses(
    where: str, params: list[Any]
) -> tuple[dict[UnsurKey, list[int]], Counter[ProfileKey]]:
    """Rollup counts of the responses matching ``where`` (SQL over the response table), in one
    pass: per (unit, service, month, version) a ``count(*) FILTER`` for each unsur position and
    score, read from ``packed``, and for each profile value (stored values are validated against
    the choices, so the value lists are complete). Used by the fold and by the rebuild."""
    positions = _expected_positions()
    values = _profile_values()
    counts = [
        f"count(*) FILTER (WHERE {_score_sql(i, '')} = {k})"
        for i in range(positions)
        for k in (1, 2, 3, 4)
    ]
    profile_cols = [(dim, v) for dim in PROFILE_DIMENSIONS for v in values[dim]]
    counts += [f"count(*) FILTER (WHERE {dim} = %s)" for dim, _ in profile_cols]
    counts.append("count(*)")
    table = SkmResponse._meta.db_table
    sql = (
        f"SELECT service_unit_id, COALESCE(service_id, 0), month, version, {', '.join(counts)} "  # noqa: S608
        f"FROM {table} WHERE {where} GROUP BY 1, 2, 3, 4"
    )
    unsur: dict[UnsurKey, list[int]] = {}
    profile: Counter[ProfileKey] = Counter()
    n_unsur = 4 * positions
    with connection.cursor() as cursor:
        cursor.execute(sql, [v for _, v in profile_cols] + list(params))
        rows = cursor.fetchall()
    wide: list[str] = []
    for su, sk, month, version_id, *c in rows:
        month = _as_date(month)
        version = engine_version(version_id)
        _add_scores(
            unsur, (su, sk, month, version_id), (u.slug for u in version.unsur[:positions]), c
        )
        if len(version.unsur) > positions and version_id not in wide:
            wide.append(version_id)
        profile[(su, sk, month, version_id, "total", "")] = c[-1]
        for (dim, value), n in zip(profile_cols, c[n_unsur:-1], strict=True):
            if n:
                profile[(su, sk, month, version_id, dim, value)] = n
    for version_id in wide:  # the unsur beyond the positions read above
        _count_wide_unsur(unsur, version_id, positions, where, params)
    return unsur, profile


# --- the fold ------------------------------------------------------------------------------


def _fold_state(*, skip_locked: bool) -> SkmFoldState | None:
    state = (
        SkmFoldState.objects.select_for_update(skip_locked=skip_locked)
        .filter(name=FOLD_NAME)
        .first()
    )
    if state is None:
        if skip_locked and SkmFoldState.objects.filter(name=FOLD_NAME).exists():
            return None  # another fold holds it
        SkmFoldState.objects.get_or_create(name=FOLD_NAME, defaults={"last_id": 0})
        state = SkmFoldState.objects.select_for_update().get(name=FOLD_NAME)
    return state


def _fold_upto(state: SkmFoldState, hi: int) -> int:
    """Add the public-form responses with ``state.last_id < id <= hi`` and move the mark."""
    if hi <= state.last_id:
        return 0
    unsur, profile = count_responses(
        "id > %s AND id <= %s AND NOT rolled_on_insert", [state.last_id, hi]
    )
    increment_rollups(unsur, profile)
    state.last_id = hi
    state.folded_at = timezone.now()
    state.save(update_fields=["last_id", "folded_at"])
    return sum(n for (*_, dim, _v), n in profile.items() if dim == "total")


def do_fold_skm_responses(*, wait: bool = False) -> int:
    """Add the public-form responses accepted since the last fold to the rollups; returns how
    many. Safe to call from several processes at once (one folds, the others return 0); with
    ``wait`` it waits for a concurrent fold and for the lock instead of skipping a round."""
    postgres = connection.vendor == "postgresql"
    hi: int | None = None
    if postgres:
        hi = _high_water((FORM_LOCK,), None if wait else FOLD_LOCK_TIMEOUT_MS)
        if hi is None:
            return 0
    with transaction.atomic():
        state = _fold_state(skip_locked=not wait)
        if state is None:
            return 0
        return _fold_upto(state, hi if hi is not None else _max_id())


_fold_wake = threading.Event()
_fold_thread: threading.Thread | None = None
_fold_thread_lock = threading.Lock()
FOLD_DELAY_SECONDS = 1.0


def _fold_loop() -> None:
    while True:
        _fold_wake.wait()
        time.sleep(FOLD_DELAY_SECONDS)  # gather a second's worth of responses per fold
        _fold_wake.clear()
        try:
            close_old_connections()
            do_fold_skm_responses()
        except Exception:
            logger.exception("SKM rollup fold failed; the periodic job will retry")
            _fold_wake.set()
            time.sleep(5)


def request_fold() -> None:
    """Ask this process's fold thread to fold within about a second (started on first use; not
    in tests, which call :func:`do_fold_skm_responses` inline)."""
    global _fold_thread
    if getattr(settings, "TESTING", False):
        return
    _fold_wake.set()
    if _fold_thread is None:
        with _fold_thread_lock:
            if _fold_thread is None:
                _fold_thread = threading.Thread(target=_fold_loop, name="skm-fold", daemon=True)
                _fold_thread.start()


# --- rebuild -------------------------------------------------------------------------------


def _group_fields(key: UnsurKey | ProfileKey) -> dict[str, Any]:
    """The rollup row's group fields (unit, service, month, version) from a count's key."""
    return {"service_unit_id": key[0], "service_key": key[1], "month": key[2], "version": key[3]}


def do_rebuild_rollups(service_unit_ids: Iterable[int] | None = None) -> tuple[int, int]:
    """Recount the rollups from the stored responses (all units, or the given ones).

    The rebuild and the fold agree: under the fold's watermark row and the rollup table lock,
    pending public-form responses up to ``hi`` are folded (or, in a full rebuild, simply
    counted) and the mark moved to ``hi``; responses above it are left to the next fold. On
    PostgreSQL one pass counts everything (:func:`count_responses`); a response accepted
    meanwhile waits and is then added. Returns (unsur rows, profile rows).
    """
    postgres = connection.vendor == "postgresql"
    hi: int | None = None
    if postgres:
        hi = _high_water((BULK_LOCK, FORM_LOCK), None)  # bulk first: never hold up the form
    with transaction.atomic():
        state = _fold_state(skip_locked=False)
        assert state is not None
        if hi is None:
            hi = _max_id()
        hi = max(hi, state.last_id)
        _lock_rollups()
        if postgres:
            with connection.cursor() as cursor:
                # few groups but many columns: keep it a hash aggregate in memory
                cursor.execute("SET LOCAL work_mem = '256MB'")
        where = "(id <= %s OR rolled_on_insert)"
        params: list[Any] = [hi]
        rollups = SkmRollup.objects.all()
        profiles = SkmProfileRollup.objects.all()
        if service_unit_ids is not None:
            ids = list(service_unit_ids)
            _fold_upto(state, hi)
            if not ids:
                return 0, 0
            where += f" AND service_unit_id IN ({', '.join(['%s'] * len(ids))})"
            params += ids
            rollups = rollups.filter(service_unit_id__in=ids)
            profiles = profiles.filter(service_unit_id__in=ids)
        else:
            state.last_id = hi
            state.folded_at = timezone.now()
            state.save(update_fields=["last_id", "folded_at"])
        rollups.delete()
        profiles.delete()
        unsur, profile = count_responses(where, params)
        SkmRollup.objects.bulk_create(
            [
                SkmRollup(
                    **_group_fields(k),
                    unsur=k[4],
                    c1=c[0],
                    c2=c[1],
                    c3=c[2],
                    c4=c[3],
                )
                for k, c in unsur.items()
            ],
            batch_size=2000,
        )
        SkmProfileRollup.objects.bulk_create(
            [
                SkmProfileRollup(
                    **_group_fields(k),
                    dimension=k[4],
                    value=k[5],
                    count=n,
                )
                for k, n in profile.items()
            ],
            batch_size=2000,
        )
    return len(unsur), len(profile)

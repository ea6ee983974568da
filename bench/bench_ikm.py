"""IKM of every unit for a year from the rollups vs the naive approach, and a full rollup rebuild,
with 10 million stored SKM responses on PostgreSQL.

Usage (creates and fills its own database once; ~3–5 minutes; a few GB, drop it afterwards):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kompeten_bench_ikm \\
        .venv/bin/python bench/bench_ikm.py [--rows 10000000] [--units 200]

The 10 M responses are generated inside PostgreSQL with ``generate_series`` (not the ORM), with
the same scores in ``scores`` (JSON) and ``packed`` (3-bit fields, what the rebuild reads); the
rollups are then built by ``do_rebuild_rollups`` (the code behind ``kompeten rollup rebuild``).
Printed beside it in the same run: the former rebuild's way of reading the scores (one
``jsonb_to_record`` pass over the JSON) and the naive IKM (aggregate the raw rows per request).
Targets: IKM of every unit for a year < 200 ms from the rollups; rebuild < 60 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")

from bench.common import ensure_database, postgres_url, set_up_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--skip-json-baseline", action="store_true")
    args = parser.parse_args()
    url = postgres_url("this benchmark is about PostgreSQL")
    ensure_database(url)
    set_up_django()
    ids = service_unit_ids(args.units)
    fill_responses(ids, args.rows)
    time_rebuild(skip_json_baseline=args.skip_json_baseline)
    start, end = date(2026, 1, 1), date(2026, 12, 1)
    time_ikm_queries(ids, start, end)
    time_engine(ids, start, end)


def service_unit_ids(units: int) -> list[int]:
    """The bench instansi's service units (``units`` of them created under one root if missing)."""
    from kompeten.core.models import Instansi
    from kompeten.people.actions import do_create_unit
    from kompeten.service.actions import do_create_service_unit
    from kompeten.service.models import ServiceUnit

    instansi, _ = Instansi.objects.get_or_create(code="bench", defaults={"name": "Bench"})
    if ServiceUnit.objects.filter(instansi=instansi).count() < units:
        root = do_create_unit(instansi=instansi, code="ROOT", name="Root", kind="lainnya")
        for i in range(units):
            unit = do_create_unit(
                instansi=instansi, code=f"U{i}", name=f"Unit {i}", kind="upt", parent=root
            )
            do_create_service_unit(
                unit=unit, code=f"bench-{i}", name=f"Layanan {i}", population=5000
            )
    return list(
        ServiceUnit.objects.filter(instansi=instansi).order_by("pk").values_list("pk", flat=True)
    )


def fill_responses(ids: list[int], rows: int) -> None:
    """Top the stored responses up to ``rows`` inside PostgreSQL (dropping stale rollups)."""
    from django.db import connection

    from kompeten.service.models import SkmResponse, SkmRollup
    from kompeten.standards.ikm import SKM_2017

    have = SkmResponse.objects.count()
    if have < rows:
        print(f"generating {rows - have:,} responses with generate_series …", flush=True)
        slugs = [u.slug for u in SKM_2017.unsur]
        draws = ", ".join(
            f"least(4, 1 + floor(random() * 3.6 + {0.2 * (i % 3)})::int) AS s{i}"
            for i in range(len(slugs))
        )
        build = ", ".join(f"'{s}', s{i}" for i, s in enumerate(slugs))
        packed = " + ".join(f"s{i}::bigint * {1 << (3 * i)}" for i in range(len(slugs)))
        chunk = 1_000_000
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(
                "CREATE TEMP TABLE bench_ids AS SELECT row_number() OVER () - 1 AS k, id FROM unnest(%s::bigint[]) id",
                [ids],
            )
            for start in range(have, rows, chunk):
                n = min(chunk, rows - start)
                cur.execute(
                    f"""
                    INSERT INTO service_skmresponse (service_unit_id, service_id, version, submitted,
                        month, scores, packed, rolled_on_insert, sex, age_group, education,
                        occupation, suggestion, source, ticket_id)
                    SELECT b.id, NULL, 'SKM_2017', t.ts,
                        date_trunc('month', t.ts AT TIME ZONE 'Asia/Jakarta')::date,
                        jsonb_build_object({build}), {packed}, true,
                        CASE WHEN random() < 0.5 THEN 'L' ELSE 'P' END, '30-39', 'SMA', 'swasta', '',
                        'import', NULL
                    FROM (SELECT g, timestamptz '2026-01-01 00:00+07' + random() * interval '365 days' AS ts,
                                 {draws}
                          FROM generate_series(1, %s) g) t
                    JOIN bench_ids b ON b.k = t.g %% %s
                    """,  # noqa: S608 - unsur slugs from the engine, no user input
                    [n, len(ids)],
                )
                print(f"  {start + n:,} rows ({time.perf_counter() - t0:.0f} s)", flush=True)
            cur.execute("ANALYZE service_skmresponse")
        SkmRollup.objects.all().delete()
    total = SkmResponse.objects.count()
    print(f"stored responses: {total:,} in {len(ids)} service units")


def time_rebuild(*, skip_json_baseline: bool) -> None:
    """The full rollup rebuild, alternated with the former JSON pass; each one's best printed."""
    from django.db import connection

    from kompeten.service.actions import do_rebuild_rollups
    from kompeten.standards.ikm import SKM_2017

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # alternate the two so that neither profits alone from a warm cache; report each's best
    rebuilds, baselines = [], []
    for _ in range(1 if skip_json_baseline else 2):
        if not skip_json_baseline:
            t0 = time.perf_counter()
            json_pass(slugs_of(SKM_2017))
            baselines.append(time.perf_counter() - t0)
        t0, c0 = time.perf_counter(), time.process_time()
        unsur_rows, profile_rows = do_rebuild_rollups()
        rebuilds.append((time.perf_counter() - t0, time.process_time() - c0))
    rebuild, rebuild_cpu = min(rebuilds)
    print(
        f"full rollup rebuild:            {rebuild:8.1f} s   (client CPU {rebuild_cpu:.1f} s; {unsur_rows:,} unsur rows, {profile_rows:,} profile rows; runs {', '.join(f'{r:.1f}' for r, _ in rebuilds)} s)  target < 60 s"
    )
    if baselines:
        print(
            f"baseline, the former rebuild's pass (JSON):   {min(baselines):8.1f} s   (jsonb_to_record, same counts; runs {', '.join(f'{b:.1f}' for b in baselines)} s)"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with connection.cursor() as cur:
        cur.execute("ANALYZE service_skmrollup")
        cur.execute("ANALYZE service_skmprofilerollup")


def time_ikm_queries(ids: list[int], start: date, end: date) -> None:
    """IKM of every unit for the period from the rollups (with and without margin) vs naive."""
    from django.db import connection

    from kompeten.service.queries import ikm_rows
    from kompeten.standards.ikm import SKM_2017

    def from_rollups() -> int:
        rows = ikm_rows(ids, start, end, with_margin=False)
        return sum(1 for r in rows if r.result is not None)

    def from_rollups_with_margin() -> int:
        rows = ikm_rows(ids, start, end)
        return sum(1 for r in rows if r.margin is not None)

    def naive() -> int:
        avgs = ", ".join(f"avg((scores->>'{u.slug}')::int)" for u in SKM_2017.unsur)
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT service_unit_id, count(*), {avgs} FROM service_skmresponse "  # noqa: S608
                "WHERE month BETWEEN %s AND %s GROUP BY service_unit_id",
                [start, end],
            )
            rows = cur.fetchall()
        return sum(1 for r in rows if sum(float(x) for x in r[2:]) / 9 * 25 > 0)

    from_rollups()
    fast = [time_it(from_rollups) for _ in range(7)]
    with_margin = [time_it(from_rollups_with_margin) for _ in range(5)]
    slow = [time_it(naive) for _ in range(2)]
    print(
        f"IKM of every unit for a year, from rollups:  median {statistics.median(fast) * 1000:8.1f} ms  (best {min(fast) * 1000:.1f} ms)  target < 200 ms"
    )
    print(
        f"same, plus the margin of error per unit:    median {statistics.median(with_margin) * 1000:8.1f} ms"
    )
    print(
        f"same, naive (aggregate the raw rows):        median {statistics.median(slow) * 1000:8.1f} ms"
    )
    print(f"speed-up: {statistics.median(slow) / statistics.median(fast):,.0f}×")


def time_engine(ids: list[int], start: date, end: date) -> None:
    """The engine per unit: the exact fraction path against the fast path for counts."""
    from kompeten.service.queries import ikm_rows
    from kompeten.standards.ikm import SKM_2017, compute_ikm, compute_ikm_from_counts

    groups = [r.counts for r in ikm_rows(ids, start, end, with_margin=False)]
    stats = [{k: {i + 1: x for i, x in enumerate(c)} for k, c in g.items()} for g in groups]
    t0 = time.perf_counter()
    exact = [compute_ikm(s, SKM_2017) for s in stats]
    t_exact = (time.perf_counter() - t0) / len(stats)
    t0 = time.perf_counter()
    quick = [compute_ikm_from_counts(g, SKM_2017) for g in groups]
    t_fast = (time.perf_counter() - t0) / len(groups)
    print(
        f"IKM engine per unit: exact path {t_exact * 1000:.3f} ms, fast path {t_fast * 1000:.3f} ms "
        f"({'identical' if exact == quick else 'DIFFERENT'} results for {len(groups)} units)"
    )


def slugs_of(version) -> list[str]:  # type: ignore[no-untyped-def]
    return [u.slug for u in version.unsur]


def json_pass(slugs: list[str]) -> None:
    """The former rebuild's aggregate (same unsur and profile counts, same grouping), the
    scores read from the JSON with jsonb_to_record."""
    from django.db import connection, transaction

    from kompeten.service.actions.rollups import PROFILE_DIMENSIONS, _profile_values

    values = _profile_values()
    record = ", ".join(f'"{s}" smallint' for s in slugs)
    counts = [f'count(*) FILTER (WHERE x."{s}" = {k})' for s in slugs for k in (1, 2, 3, 4)]
    profile = [(d, v) for d in PROFILE_DIMENSIONS for v in values[d]]
    counts += [f"count(*) FILTER (WHERE {d} = %s)" for d, _ in profile]
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL work_mem = '256MB'")
        cur.execute(
            f"SELECT service_unit_id, COALESCE(service_id, 0), month, version, {', '.join(counts)}, count(*) "  # noqa: S608
            f"FROM service_skmresponse, jsonb_to_record(scores) AS x({record}) GROUP BY 1, 2, 3, 4",
            [v for _, v in profile],
        )
        cur.fetchall()


def time_it(fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()

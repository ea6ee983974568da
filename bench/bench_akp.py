"""AKP heat map and ranked needs for 5,000 ASN × 30 competencies: SQL aggregation vs a naive loop.

Usage (creates and fills its own database once, ~1 minute):

    .venv/bin/python bench/bench_akp.py                      # SQLite file /tmp/kompeten_bench_akp.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kompeten_bench_akp .venv/bin/python bench/bench_akp.py

The competencies, required levels and the campaign go in through the learning actions; the 5,000
employees and their ratings are generated in bulk (a data generator, not product code).
Measured, in the same run:

* the whole dashboard page (``learning:campaign_detail``: progress, heat map, ranked needs,
  demand) rendered by the Django test client, with its query count;
* ``queries.akp_heatmap`` alone (reads the per unit × competency rollups, folded into OPDs);
* ``rebuild_rollups`` (one GROUP BY over the 150,000 entries), the cost a bulk import pays;
* the naive baseline: fetch every entry and aggregate in a Python loop.

Target: < 300 ms with a constant number of queries.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/kompeten_bench_akp.sqlite3")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

from bench.common import ensure_database

CODE = "bench-akp"


def build(n_people: int, n_competencies: int) -> None:
    from django.db import transaction

    from kompeten.core.models import Instansi, Role, User
    from kompeten.learning.actions.rollups import rebuild_rollups
    from kompeten.people.models import Employee

    rng = random.Random(5000)
    with transaction.atomic():
        instansi = Instansi.objects.create(name="Kota Bench AKP", code=CODE, is_synthetic=True)
        units = _units(instansi)
        people = _people(instansi, units, rng, n_people)
        Employee.objects.bulk_create(people, batch_size=2000)
        _competencies_and_levels(instansi, n_competencies)
        campaign = _open_campaign(instansi)
        User.objects.create_user(username="bench-admin", instansi=instansi, role=Role.ADMIN)
    _rate(campaign)
    # The ratings bypassed the actions: recount the rollups (what `kompeten akp_rebuild_rollups` does).
    rebuild_rollups(campaign)


def _units(instansi):  # type: ignore[no-untyped-def]
    """24 OPDs under the city, each with two bidang."""
    from kompeten.people.actions import do_create_unit

    root = do_create_unit(instansi=instansi, code="KOTA", name="Pemerintah Kota", kind="lainnya")
    units = []
    for i in range(24):
        opd = do_create_unit(
            instansi=instansi, code=f"OPD{i}", name=f"Dinas {i}", kind="dinas", parent=root
        )
        units.append(opd)
        units.extend(
            do_create_unit(
                instansi=instansi,
                code=f"OPD{i}-{j}",
                name=f"Bidang {i}.{j}",
                kind="bagian",
                parent=opd,
            )
            for j in range(2)
        )
    return units


def _people(instansi, units, rng: random.Random, n_people: int):  # type: ignore[no-untyped-def]
    """Unsaved employees spread over the units, jabatan kinds drawn by a city's usual mix."""
    from kompeten.people.models import Employee, JabatanKind

    kinds = [k.value for k in JabatanKind]
    weights = [1, 4, 12, 33, 50]
    return [
        Employee(
            instansi=instansi,
            nip=f"1980010120050{i:05d}",
            name=f"Pegawai {i}",
            sex="L" if i % 2 else "P",
            birth_date=date(1980, 1, 1) + timedelta(days=i % 7000),
            status="PNS",
            jabatan_kind=rng.choices(kinds, weights)[0],
            jabatan_name="Jabatan",
            education="S-1",
            unit=units[i % len(units)],
        )
        for i in range(n_people)
    ]


def _competencies_and_levels(instansi, n_competencies: int) -> None:  # type: ignore[no-untyped-def]
    """The competencies and a required level for every jabatan kind × competency."""
    from kompeten.learning.actions import competencies
    from kompeten.people.models import JabatanKind

    kinds = [k.value for k in JabatanKind]
    comps = [
        competencies.do_create_competency(
            instansi=instansi,
            code=f"K{i:02d}",
            name=f"Kompetensi {i}",
            group="manajerial" if i < 8 else "teknis",
        )
        for i in range(n_competencies)
    ]
    rows = [
        {
            "Jenis jabatan": kind,
            "Nama jabatan": "",
            "Kode kompetensi": c.code,
            "Level": 2 + (i + k) % 3,
        }
        for k, kind in enumerate(kinds)
        for i, c in enumerate(comps)
    ]
    competencies.do_import_required_levels(instansi=instansi, rows=rows)


def _open_campaign(instansi):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from kompeten.learning.actions import akp

    now = timezone.now()
    campaign = akp.do_create_campaign(
        instansi=instansi,
        name="AKP bench",
        year=now.year,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    akp.do_open_campaign(campaign)
    return campaign


def _rate(campaign) -> None:  # type: ignore[no-untyped-def]
    """Ratings: ~85 % self, ~75 % atasan, random 1–5 (generated in SQL: a data generator)."""
    from django.db import connection, transaction

    from kompeten.learning.models import AkpEntry

    table = AkpEntry._meta.db_table
    rand = "abs(random()) %% 100" if connection.vendor == "sqlite" else "floor(random() * 100)::int"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET self_level = 1 + ({rand}) %% 5 WHERE campaign_id = %s AND {rand} < 85",  # noqa: S608 - constants only
            [campaign.pk],
        )
        cursor.execute(
            f"UPDATE {table} SET atasan_level = 1 + ({rand}) %% 5 WHERE campaign_id = %s AND {rand} < 75",  # noqa: S608 - constants only
            [campaign.pk],
        )


def naive(campaign, basis: str) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    """Baseline: every entry into Python, aggregated in a loop."""
    from kompeten.learning.models import AkpEntry
    from kompeten.learning.queries import BASES, opd_of_units

    level = BASES[basis]
    opd_of = opd_of_units(campaign.instansi_id)
    cells: dict = defaultdict(lambda: [0, 0, 0, 0])
    needs: dict = defaultdict(lambda: [0, 0, 0, 0])
    rows = AkpEntry.objects.filter(campaign=campaign).values_list(
        "unit_id", "competency_id", "required_level", level
    )
    for unit_id, competency_id, required, rated in rows.iterator(chunk_size=5000):
        for acc in (cells[(opd_of[unit_id].pk, competency_id)], needs[competency_id]):
            acc[0] += 1
            if rated is not None:
                acc[1] += 1
                if rated < required:
                    acc[2] += 1
                    acc[3] += required - rated
    return cells, needs


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    samples = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--competencies", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings

    # Measure the production path (DEBUG off) without needing collectstatic's manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from kompeten.core.models import User
    from kompeten.learning import queries
    from kompeten.learning.actions.rollups import rebuild_rollups

    campaign = _campaign(args)
    admin = User.objects.get(username="bench-admin")
    page_ms, n_queries = _time_page(campaign, admin, args.repeat)
    heat_ms, heat = timed(lambda: queries.akp_heatmap(campaign, admin, "atasan"), args.repeat)
    rebuild_ms, _ = timed(lambda: rebuild_rollups(campaign), 3)
    naive_ms, (cells, needs) = timed(lambda: naive(campaign, "atasan"), max(3, args.repeat // 2))
    # Same numbers both ways.
    for (opd_id, comp_id), cell in heat.cells.items():  # type: ignore[attr-defined]
        assert list(cells[(opd_id, comp_id)]) == [
            cell.n_required,
            cell.n_answered,
            cell.n_gap,
            cell.gap_sum,
        ]
    assert {n.competency.pk: n.n_gap for n in heat.needs} == {k: v[2] for k, v in needs.items()}  # type: ignore[attr-defined]
    print(
        f"dashboard page (heat map + ranked needs + progress + demand): {page_ms:7.1f} ms, {n_queries} queries"
    )
    print(f"akp_heatmap (rollups, folded into OPDs):                      {heat_ms:7.1f} ms")
    print(f"rebuild_rollups (GROUP BY over every entry, on bulk import):  {rebuild_ms:7.1f} ms")
    print(f"naive baseline (every entry into a Python loop):              {naive_ms:7.1f} ms")


def _campaign(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The bench campaign, built on first use, with fresh planner statistics and its rollups."""
    from django.core.management import call_command
    from django.db import connection

    from kompeten.core.models import Instansi
    from kompeten.learning.actions.rollups import rebuild_rollups
    from kompeten.learning.models import AkpCampaign, AkpEntry, AkpRollup

    call_command("migrate", verbosity=0)
    if not Instansi.objects.filter(code=CODE).exists():
        t = time.perf_counter()
        build(args.people, args.competencies)
        print(
            f"built {args.people} ASN × {args.competencies} competencies in {time.perf_counter() - t:.1f} s"
        )
    # Fresh statistics and visibility map after the bulk load, as autovacuum would leave them.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {AkpEntry._meta.db_table}")
        else:
            cursor.execute("ANALYZE")
    campaign = AkpCampaign.objects.get(instansi__code=CODE)
    if not AkpRollup.objects.filter(campaign=campaign).exists():
        rebuild_rollups(campaign)
    n_entries = AkpEntry.objects.filter(campaign=campaign).count()
    print(f"database: {connection.vendor}; {n_entries} AKP entries")
    return campaign


def _time_page(campaign, admin, repeat: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """The dashboard page through the test client: median milliseconds and its query count."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(admin)
    url = reverse("learning:campaign_detail", args=[campaign.pk])
    client.get(url, secure=True)  # warm up
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url, secure=True)
    assert response.status_code == 200, response.status_code
    page_ms, _ = timed(lambda: client.get(url, secure=True), repeat)
    return page_ms, len(executed)


if __name__ == "__main__":
    main()

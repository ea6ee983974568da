"""A public SKM answer is never lost while the database is down: spooled, then replayed once."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client

from kompeten.service import spool
from kompeten.service.actions import do_submit_skm_response
from kompeten.service.models import ServiceTicket, SkmProfileRollup, SkmResponse
from tests.conftest import fresh_postgres_database
from tests.service.helpers import all_scores, enrolled_kiosk, form_post, make_service_unit

pytestmark = pytest.mark.django_db

DOWN = OperationalError("could not connect to server: Connection refused")


@pytest.fixture(autouse=True)
def spool_in_tmp(settings, tmp_path: Path) -> Path:
    from django.core.cache import cache

    cache.clear()  # rate-limit counters of earlier tests (unit ids are reused)
    settings.KOMPETEN_SPOOL_DIR = tmp_path / "spool"
    spool._snapshot_written.clear()
    return tmp_path / "spool"


def _lines(directory: Path, pattern: str = "skm-*") -> list[dict]:
    out = []
    for path in sorted(directory.glob(pattern)):
        out += [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    return out


def _open_form(su) -> None:
    """A citizen opens the form while the database is up: the unit's snapshot is written."""
    assert Client().get(f"/survei/{su.code}/").status_code == 200


def test_an_answer_given_while_the_database_is_down_is_spooled_and_replayed(
    world, spool_in_tmp
) -> None:
    su = make_service_unit(world.alfa)
    _open_form(su)
    with mock.patch("kompeten.service.views.public.do_submit_skm_response", side_effect=DOWN):
        response = Client().post(
            f"/survei/{su.code}/",
            form_post(3, service=str(su.services.get().pk), suggestion="Antrian cepat"),
            REMOTE_ADDR="203.0.113.7",
        )
    assert response.status_code == 202
    assert "Jawaban Anda tersimpan dan akan dicatat" in response.content.decode()
    assert SkmResponse.objects.count() == 0
    [entry] = _lines(spool_in_tmp)
    assert entry["unit"] == su.code and entry["service"] == "ktp"
    assert entry["scores"] == all_scores(3) and entry["suggestion"] == "Antrian cepat"
    raw = "".join(p.read_text() for p in spool_in_tmp.glob("skm-*"))
    assert "203.0.113.7" not in raw  # nothing about the respondent beyond what is asked
    assert set(entry) == {
        "id", "unit", "version", "service", "scores", "sex", "age_group", "education",
        "occupation", "suggestion", "ticket", "source", "submitted",
    }  # fmt: skip

    result = spool.replay()
    assert (result.recorded, result.duplicates, result.rejected, result.pending) == (1, 0, 0, 0)
    stored = SkmResponse.objects.get()
    assert stored.spool_id == uuid.UUID(entry["id"])
    assert stored.scores == all_scores(3) and stored.service == su.services.get()
    assert stored.suggestion == "Antrian cepat" and stored.sex == "P"
    assert not list(spool_in_tmp.glob("skm-*"))


def test_replaying_the_same_file_twice_records_each_answer_once(world, spool_in_tmp) -> None:
    su = make_service_unit(world.alfa)
    _open_form(su)
    with mock.patch("kompeten.service.views.public.do_submit_skm_response", side_effect=DOWN):
        for score in (1, 2, 4):
            assert Client().post(f"/survei/{su.code}/", form_post(score)).status_code == 202
    copy = spool_in_tmp / "copy.bak"
    [original] = list(spool_in_tmp.glob("skm-*.jsonl"))
    copy.write_bytes(original.read_bytes())
    assert spool.replay().recorded == 3
    # the same file again (a restored backup, a second replayer): nothing counted twice
    (spool_in_tmp / "skm-again-1.jsonl").write_bytes(copy.read_bytes())
    again = spool.replay()
    assert (again.recorded, again.duplicates) == (0, 3)
    assert SkmResponse.objects.count() == 3


def test_one_ticket_one_response_holds_through_the_spool(world, spool_in_tmp) -> None:
    su = make_service_unit(world.alfa, code="tiket", requires_ticket=True)
    from kompeten.service.actions import do_issue_tickets

    do_issue_tickets(su, ["A-1", "A-2"])
    _open_form(su)
    with mock.patch("kompeten.service.views.public.do_submit_skm_response", side_effect=DOWN):
        for ticket in ("A-1", "A-1", "A-2"):
            response = Client().post(f"/survei/{su.code}/", form_post(4, ticket=ticket))
            assert response.status_code == 202
    # meanwhile, once the database is back, A-2 is used on the live form first
    do_submit_skm_response(service_unit=su, scores=all_scores(2), ticket="A-2")
    result = spool.replay()
    assert (result.recorded, result.rejected) == (1, 2)
    assert SkmResponse.objects.count() == 2
    assert ServiceTicket.objects.filter(service_unit=su, used_at__isnull=False).count() == 2
    rejected = _lines(spool_in_tmp, "rejected.jsonl")
    assert [r["ticket"] for r in rejected] == ["A-1", "A-2"]
    assert all("sudah dipakai" in r["rejected_reason"] for r in rejected)


def test_the_form_is_shown_from_the_snapshot_without_any_query(
    world, spool_in_tmp, django_assert_num_queries
) -> None:
    su = make_service_unit(world.alfa)
    _open_form(su)
    down = mock.patch("kompeten.service.views.public._service_unit", side_effect=DOWN)
    with down, django_assert_num_queries(0):
        response = Client().get(f"/survei/{su.code}/")
        service_form = Client().get(f"/survei/{su.code}/layanan/ktp/")
    body = response.content.decode()
    assert response.status_code == 200 and su.name in body
    assert "Kesesuaian persyaratan" in body or "persyaratan" in body.lower()
    assert service_form.status_code == 200 and "KTP-el" in service_form.content.decode()


def test_an_invalid_answer_during_an_outage_is_refused_and_not_spooled(world, spool_in_tmp) -> None:
    su = make_service_unit(world.alfa)
    _open_form(su)
    data = form_post(4)
    del data[next(k for k in data if k.startswith("u_"))]
    with mock.patch("kompeten.service.views.public._service_unit", side_effect=DOWN):
        response = Client().post(f"/survei/{su.code}/", data)
        honeypot = Client().post(f"/survei/{su.code}/", form_post(4, situs_web="http://spam"))
    assert response.status_code == 400
    assert "Mohon pilih salah satu jawaban untuk unsur Persyaratan." in response.content.decode()
    assert honeypot.status_code == 400
    assert not list(spool_in_tmp.glob("skm-*"))


def test_a_unit_never_opened_before_the_outage_gets_the_503_page(world, spool_in_tmp) -> None:
    su = make_service_unit(world.alfa)
    with mock.patch("kompeten.service.views.public._service_unit", side_effect=DOWN):
        response = Client().get(f"/survei/{su.code}/")
        wrong_kiosk = Client().get(f"/survei/{su.code}/kios/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Layanan sedang tidak tersedia" in response.content.decode()
    _device, token = enrolled_kiosk(su, world.alice)
    _open_form(su)
    tablet = Client()
    tablet.cookies["kompeten_kiosk"] = token
    stranger = Client()
    stranger.cookies["kompeten_kiosk"] = "not-the-token"
    with mock.patch("kompeten.service.views.public._service_unit", side_effect=DOWN):
        wrong_kiosk = stranger.get(f"/survei/{su.code}/kios/")
        kiosk = tablet.post(f"/survei/{su.code}/kios/", form_post(4))
    assert wrong_kiosk.status_code == 503
    assert kiosk.status_code == 202
    assert f"/survei/{su.code}/kios/" in kiosk.content.decode()  # resets
    assert _lines(spool_in_tmp)[0]["source"] == "kiosk"


def test_a_replay_stops_at_a_database_error_and_finishes_later(world, spool_in_tmp) -> None:
    su = make_service_unit(world.alfa)
    _open_form(su)
    with mock.patch("kompeten.service.views.public.do_submit_skm_response", side_effect=DOWN):
        for _ in range(3):
            Client().post(f"/survei/{su.code}/", form_post(4))
    real = spool._record
    calls = []

    def flaky(entry):
        calls.append(entry["id"])
        if len(calls) == 2:
            raise DOWN
        return real(entry)

    with mock.patch("kompeten.service.spool._record", side_effect=flaky):
        first = spool.replay()
    assert (first.recorded, first.pending) == (1, 3)
    assert list(spool_in_tmp.glob("*.replaying"))
    second = spool.replay()
    assert (second.recorded, second.duplicates, second.pending) == (2, 1, 0)
    assert SkmResponse.objects.count() == 3


def test_an_answer_appended_while_a_replay_claims_the_file_is_not_lost(world, spool_in_tmp) -> None:
    su = make_service_unit(world.alfa)
    _open_form(su)
    with mock.patch("kompeten.service.views.public.do_submit_skm_response", side_effect=DOWN):
        Client().post(f"/survei/{su.code}/", form_post(1))
        claims = spool._claimed_files()
        _path, fd = next(claims)  # the replayer has renamed and locked the first file
        Client().post(f"/survei/{su.code}/", form_post(2))  # lands in a new file
        os.close(fd)
        claims.close()
    assert spool.pending_count() == 2
    assert spool.replay().recorded == 2
    assert sorted(r.scores[next(iter(r.scores))] for r in SkmResponse.objects.all()) == [1, 2]


def test_the_command_reports_what_it_did(world, spool_in_tmp) -> None:
    from io import StringIO

    from django.core.management import call_command

    su = make_service_unit(world.alfa)
    _open_form(su)
    with mock.patch("kompeten.service.views.public.do_submit_skm_response", side_effect=DOWN):
        Client().post(f"/survei/{su.code}/", form_post(4))
    out = StringIO()
    call_command("spool_replay", "--status", stdout=out)
    assert "1 jawaban menunggu" in out.getvalue()
    out = StringIO()
    call_command("spool_replay", stdout=out)
    assert "1 dicatat, 0 sudah tercatat sebelumnya, 0 ditolak, 0 masih menunggu." in out.getvalue()
    assert SkmResponse.objects.count() == 1


def test_the_periodic_job_is_registered_and_replays(world, spool_in_tmp) -> None:
    from kompeten.core.periodic import PERIODIC

    assert "service.skm_spool_replay" in PERIODIC
    su = make_service_unit(world.alfa)
    _open_form(su)
    with mock.patch("kompeten.service.views.public.do_submit_skm_response", side_effect=DOWN):
        Client().post(f"/survei/{su.code}/", form_post(4))
    assert spool.replay_spool.call()["recorded"] == 1
    assert SkmResponse.objects.count() == 1


# --- a real outage: PostgreSQL refuses connections under a separate gunicorn ----------------

KOMPETEN = str(Path(sys.executable).parent / "kompeten")
GUNICORN = str(Path(sys.executable).parent / "gunicorn")

SETUP = """
from kompeten.core.models import Instansi
from kompeten.people.actions import do_create_unit
from kompeten.service.actions import do_create_service_unit
instansi = Instansi.objects.create(name="Kota Uji", code="kota-uji")
unit = do_create_unit(instansi=instansi, code="U", name="Unit Uji", kind="upt")
do_create_service_unit(unit=unit, code="nyata", name="Layanan Nyata")
"""


@pytest.fixture
def outage_database() -> Iterator[tuple[str, str]]:
    with fresh_postgres_database("kompeten_outage") as (url, admin):
        try:
            yield url, admin
        finally:  # the test may have closed it to connections: open it so that it can be dropped
            _allow_connections(admin, url.rsplit("/", 1)[1], True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(port: int, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if data else {}
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    text = resp.read().decode()
    conn.close()
    return resp.status, text


def _serve_outage_instance(
    url: str, tmp_path: Path
) -> tuple[dict[str, str], subprocess.Popen[bytes], int]:
    """Migrate the outage database, set up its survey (SETUP) and start gunicorn on it; returns
    the instance's environment, the server and its port."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "KOMPETEN_VAR_DIR": str(tmp_path),
        "KOMPETEN_TESTING": "false",
        "DEBUG": "true",  # plain static storage: no collectstatic in a test
        "SECRET_KEY": "outage-test-secret-0123456789-0123456789-0123456789",
        "KOMPETEN_TASKS_IMMEDIATE": "true",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    assert subprocess.run([KOMPETEN, "migrate", "-v", "0"], env=env, timeout=600).returncode == 0
    done = subprocess.run(
        [KOMPETEN, "shell", "-c", SETUP], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    port = _free_port()
    server = subprocess.Popen(
        [GUNICORN, "kompeten.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "2"],
        env=env,
        cwd=str(Path(__file__).resolve().parents[2]),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return env, server, port


def _allow_connections(admin: str, name: str, allow: bool) -> None:
    """Open or close the database to new connections; closing also ends the existing ones."""
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {"true" if allow else "false"}')
        if not allow:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )


def _replay(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KOMPETEN, "spool", "replay"], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.postgres_only  # a real PostgreSQL outage (ALLOW_CONNECTIONS false)
@pytest.mark.django_db(transaction=False)
def test_a_real_postgresql_outage_spools_then_replays_and_the_server_recovers(
    outage_database, tmp_path: Path
) -> None:
    import psycopg

    url, admin = outage_database
    name = url.rsplit("/", 1)[1]
    env, server, port = _serve_outage_instance(url, tmp_path)
    answer = form_post(4)
    try:
        for _ in range(150):
            try:
                if _request(port, "GET", "/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        assert _request(port, "GET", "/survei/nyata/")[0] == 200  # snapshot written

        _allow_connections(admin, name, False)  # the database goes away
        status, body = _request(port, "GET", "/health")
        assert status == 503 and '"database": "error"' in body
        status, body = _request(port, "GET", "/sertifikat/X-1/")  # any other page
        assert status == 503 and "Layanan sedang tidak tersedia" in body
        assert _request(port, "GET", "/survei/tidak-ada/")[0] == 503
        assert _request(port, "GET", "/survei/nyata/")[0] == 200  # from the snapshot
        for ticket in ("T-1", "T-1", ""):
            status, body = _request(port, "POST", "/survei/nyata/", {**answer, "ticket": ticket})
            assert status == 202 and "Jawaban Anda tersimpan dan akan dicatat" in body

        _allow_connections(admin, name, True)  # ... and comes back
        for _ in range(50):  # the server reconnects by itself (CONN_HEALTH_CHECKS)
            if _request(port, "GET", "/health")[0] == 200:
                break
            time.sleep(0.2)
        assert _request(port, "POST", "/survei/nyata/", answer)[0] == 302  # live again

        replay = _replay(env)
        assert replay.returncode == 0, replay.stderr
        assert "2 dicatat, 0 sudah tercatat sebelumnya, 1 ditolak" in replay.stdout
        again = _replay(env)
        assert "0 dicatat" in again.stdout and "0 masih menunggu" in again.stdout
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        rows = conn.execute("SELECT count(*), count(spool_id) FROM service_skmresponse").fetchone()
        tickets = conn.execute(
            "SELECT count(*) FROM service_serviceticket WHERE used_at IS NOT NULL"
        ).fetchone()
    assert rows == (3, 2)  # one live + two replayed; the reused ticket refused
    assert tickets == (1,)


def test_rollups_count_replayed_answers(world, spool_in_tmp) -> None:
    su = make_service_unit(world.alfa)
    _open_form(su)
    with mock.patch("kompeten.service.views.public.do_submit_skm_response", side_effect=DOWN):
        Client().post(f"/survei/{su.code}/", form_post(4))
    spool.replay()
    from kompeten.service.actions.rollups import do_fold_skm_responses

    do_fold_skm_responses(wait=True)
    total = SkmProfileRollup.objects.filter(service_unit=su, dimension="total")
    assert sum(r.count for r in total) == 1


def test_the_rate_limit_still_holds_during_an_outage(world, spool_in_tmp, settings) -> None:
    settings.KOMPETEN_SKM_RATE_LIMIT = "2/600"
    su = make_service_unit(world.alfa)
    _open_form(su)
    with mock.patch("kompeten.service.views.public.do_submit_skm_response", side_effect=DOWN):
        statuses = [
            Client()
            .post(f"/survei/{su.code}/", form_post(4), REMOTE_ADDR="198.51.100.4")
            .status_code
            for _ in range(3)
        ]
    assert statuses == [202, 202, 429]
    assert len(_lines(spool_in_tmp)) == 2


@pytest.mark.postgres_only  # a server-side disconnect of an idle connection
@pytest.mark.django_db(transaction=True)
def test_a_stale_connection_is_retried_once_without_a_health_check_probe(
    world, spool_in_tmp
) -> None:
    """The accept path skips the SELECT 1 probe of CONN_HEALTH_CHECKS; a connection the
    server dropped since the last request fails the INSERT, which is retried on a fresh one."""
    import psycopg
    from django.db import connections

    connection = connections["default"]
    su = make_service_unit(world.alfa)
    client = Client()
    assert client.post(f"/survei/{su.code}/", form_post(4)).status_code == 302
    connection.ensure_connection()
    stale_pid = connection.connection.info.backend_pid
    db = settings.DATABASES["default"]
    admin = f"host={db['HOST']} port={db['PORT'] or 5432} user={db['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(%s)", [stale_pid])
    # What request_started does in production (Django's test client leaves it out): the next
    # query of this request would run the SELECT 1 probe first.
    connection.close_if_unusable_or_obsolete()
    assert connection.health_check_enabled and not connection.health_check_done
    with mock.patch.object(
        type(connection), "is_usable", side_effect=AssertionError("no SELECT 1 probe")
    ):
        response = client.post(f"/survei/{su.code}/", form_post(3))
    assert response.status_code == 302  # stored, not spooled
    assert connection.connection.info.backend_pid != stale_pid
    assert SkmResponse.objects.filter(service_unit=su).count() == 2
    assert not list(spool_in_tmp.glob("skm-*"))

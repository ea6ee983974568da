"""Abuse behind a real nginx: per-client limits, a flood, the lockout against every NIP spelling.

Usage (nginx from Debian: ``bench/setup_nginx.sh`` installs it if missing):

    .venv/bin/python bench/bench_abuse.py [--clients 1000] [--per-client 3] [--workers 2]

It builds a throw-away instance in a temporary directory (SQLite file, no Redis: the rate-limit
counters are the database's atomic upserts, kompeten/core/counters.py), starts gunicorn on
127.0.0.1:8766 and nginx (its own configuration in the same directory, the lines
docs/security.md prescribes) on 127.0.0.1:8767, and talks only to nginx.

Distinct clients are real: each client's sockets are bound to its own loopback address
(127.1.x.y; Linux routes all of 127.0.0.0/8 to lo), so nginx sees a different ``$remote_addr``
per client and appends it to ``X-Forwarded-For``. gunicorn sees every request from nginx
(127.0.0.1). The flooding client also sends a forged ``X-Forwarded-For`` with a new address on
every request, as an attacker would.

The same scenarios run twice, in the same run, against the same code: with
``KOMPETEN_TRUSTED_PROXIES=127.0.0.1`` (the fix) and without it (the baseline: the audit's
finding, every client sharing nginx's bucket).

1. ``--clients`` distinct clients each send ``--per-client`` valid survey answers (within their
   own limit of 10 per 10 minutes), concurrently.
2. One client floods 200 valid answers (forging X-Forwarded-For) while 50 other clients answer
   3 times each; then one client sends 20 junk answers before its one real answer.
3. One client checks 40 certificate numbers (limit 30 per minute); a neighbour checks one.
4. The lockout: one address tries wrong passwords for one NIP, cycling through its spellings
   (digits, with spaces, dots, dashes, surrounding blanks); then the owner logs in from another
   address with the right password.

Figures printed for each run; the expected values are printed beside them.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
GUNICORN_PORT, NGINX_PORT = 8766, 8767
SECRET = "bench-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
PASSWORD = "Bench-abuse-2026!"  # noqa: S105 - a throw-away instance
NIP = "198109172013011001"
SPELLINGS = [
    "198109172013011001",
    "1981 0917 2013 01 1 001",
    "19810917.201301.1.001",
    "19810917-201301-1-001",
    " 198109172013011001 ",
    "19810917 201301 1 001",
]

NGINX_CONF = """
worker_processes 2;
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/nginx-body;
  proxy_temp_path {tmp}/nginx-proxy;
  fastcgi_temp_path {tmp}/nginx-fastcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi;
  scgi_temp_path {tmp}/nginx-scgi;
  upstream kompeten {{ server 127.0.0.1:{gunicorn}; keepalive 32; }}
  server {{
    listen 127.0.0.1:{nginx};
    location / {{
      proxy_pass http://kompeten;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
"""


def client_address(group: int, i: int) -> str:
    """A distinct loopback address per client: 127.<group>.<i // 250>.<i % 250 + 1>."""
    return f"127.{group}.{i // 250}.{i % 250 + 1}"


class Browser:
    """One client: HTTP/1.1 keep-alive to nginx from its own source address, with cookies."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None, **headers: str
    ) -> tuple[int, str]:
        data = urllib.parse.urlencode(body).encode() if body is not None else None
        hdrs = {k.replace("_", "-"): v for k, v in headers.items()}
        if data is not None:
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    HOST, NGINX_PORT, timeout=60, source_address=(self.source, 0)
                )
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def answer(slugs: list[str], i: int) -> dict[str, str]:
    data = {f"u_{s}": str(1 + (i + k) % 4) for k, s in enumerate(slugs)}
    data.update(
        {"sex": "LP"[i % 2], "age_group": "30-39", "education": "SMA", "occupation": "swasta"}
    )
    return data


def set_up(tmp: Path) -> list[str]:
    """Database, static files, the bench's instansi, service units and one employee account."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    from kompeten.core.models import Instansi, Role
    from kompeten.people.actions import do_create_unit, do_create_user
    from kompeten.service.actions import do_create_service_unit
    from kompeten.standards.ikm import SKM_2017

    instansi = Instansi.objects.create(code="bench-abuse", name="Kota Bench")
    unit = do_create_unit(instansi=instansi, code="U", name="Unit", kind="upt")
    for run in ("fix", "base"):
        for scenario in ("many", "flood", "junk"):
            do_create_service_unit(unit=unit, code=f"{run}-{scenario}", name=f"Layanan {scenario}")
    do_create_user(instansi=instansi, username=NIP, password=PASSWORD, role=Role.PEGAWAI)
    from django.db import connections

    connections.close_all()
    return [u.slug for u in SKM_2017.unsur]


def start_servers(
    tmp: Path, env: dict[str, str], workers: int
) -> tuple[subprocess.Popen, subprocess.Popen]:
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "kompeten.wsgi",
            "-b",
            f"{HOST}:{GUNICORN_PORT}",
            "-w",
            str(workers),
            "-k",
            "gthread",
            "--threads",
            "4",
            "--keep-alive",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stderr=(tmp / "gunicorn.log").open("ab"),  # the lockout's and the 429s' log lines
    )
    conf = tmp / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            tmp=tmp,
            gunicorn=GUNICORN_PORT,
            nginx=NGINX_PORT,
            user="user root;" if os.geteuid() == 0 else "",
        )
    )
    nginx = subprocess.Popen(
        [nginx_binary(), "-c", str(conf), "-p", str(tmp), "-g", "daemon off;"],
        start_new_session=True,
    )
    for _ in range(150):
        try:
            status, _text = Browser("127.0.0.1").request("GET", "/health")
            if status == 200:
                return gunicorn, nginx
        except OSError:
            pass
        time.sleep(0.2)
    stop(gunicorn, nginx)
    sys.exit("gunicorn or nginx did not start (see nginx-error.log in the temporary directory)")


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        sys.exit("nginx is not installed: run bench/setup_nginx.sh (apt-get install -y nginx)")
    return found


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def many_clients(
    run: str, slugs: list[str], clients: int, per_client: int
) -> tuple[Counter, float]:
    def one(i: int) -> list[int]:
        browser = Browser(client_address(1, i))
        try:
            return [
                browser.request("POST", f"/survei/{run}-many/", answer(slugs, i + k))[0]
                for k in range(per_client)
            ]
        finally:
            browser.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(32) as pool:
        statuses = Counter(s for result in pool.map(one, range(clients)) for s in result)
    return statuses, time.perf_counter() - started


def flood(run: str, slugs: list[str]) -> tuple[Counter, Counter]:
    """200 answers from one client forging X-Forwarded-For, while 50 neighbours answer 3 times."""

    def flooder() -> Counter:
        browser = Browser(client_address(2, 0))
        out: Counter = Counter()
        for i in range(200):
            forged = f"203.0.{i // 250}.{i % 250 + 1}"
            out[
                browser.request(
                    "POST", f"/survei/{run}-flood/", answer(slugs, i), X_Forwarded_For=forged
                )[0]
            ] += 1
        browser.close()
        return out

    def neighbour(i: int) -> list[int]:
        browser = Browser(client_address(3, i))
        try:
            return [
                browser.request("POST", f"/survei/{run}-flood/", answer(slugs, k))[0]
                for k in range(3)
            ]
        finally:
            browser.close()

    with ThreadPoolExecutor(9) as pool:
        flooding = pool.submit(flooder)
        others = Counter(s for result in pool.map(neighbour, range(50)) for s in result)
        return flooding.result(), others


def junk_then_real(run: str, slugs: list[str]) -> tuple[Counter, int]:
    browser = Browser(client_address(4, 0))
    incomplete = answer(slugs, 0)
    del incomplete[f"u_{slugs[0]}"]
    junk: Counter = Counter()
    for _ in range(10):
        junk[browser.request("POST", f"/survei/{run}-junk/", incomplete)[0]] += 1
    for _ in range(10):
        junk[
            browser.request(
                "POST", f"/survei/{run}-junk/", {**answer(slugs, 1), "situs_web": "http://spam"}
            )[0]
        ] += 1
    real = browser.request("POST", f"/survei/{run}-junk/", answer(slugs, 2))[0]
    browser.close()
    return junk, real


def certificate_checks(group: int) -> tuple[Counter, int]:
    path = "/sertifikat/KOTA-U-2026-P-999999-ABCDEF/"
    browser = Browser(client_address(group, 0))
    checks = Counter(browser.request("GET", path)[0] for _ in range(40))
    browser.close()
    neighbour = Browser(client_address(group, 1))
    status = neighbour.request("GET", path)[0]
    neighbour.close()
    return checks, status


def login(browser: Browser, username: str, password: str) -> int:
    status, page = browser.request("GET", "/masuk/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or token is None:
        return status
    return browser.request(
        "POST",
        "/masuk/",
        {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password},
        Referer=f"http://{HOST}:{NGINX_PORT}/masuk/",
    )[0]


def lockout(group: int) -> tuple[list[tuple[str, int]], int, int, int]:
    """Twelve wrong passwords cycling twice through the NIP's spellings from one address; the
    right password from that address; the owner's login from another address; then the
    attacker goes on to 30 tries and a third address logs in with the right password."""
    attacker = Browser(client_address(group, 0))
    tries = []
    for i in range(12):
        spelling = SPELLINGS[i % len(SPELLINGS)]
        tries.append((spelling, login(attacker, spelling, "salah-salah")))
    right_from_attacker = login(attacker, SPELLINGS[1], PASSWORD)
    owner = Browser(client_address(group, 1))
    owner_status = login(owner, NIP, PASSWORD)
    owner.close()
    for i in range(12, 30):
        login(attacker, SPELLINGS[i % len(SPELLINGS)], "salah-salah")
    attacker.close()
    later = Browser(client_address(group, 2))
    later_status = login(later, NIP, PASSWORD)
    later.close()
    return tries, right_from_attacker, owner_status, later_status


def clear_lockout() -> None:
    from axes.models import AccessAttempt, AccessFailureLog

    AccessAttempt.objects.all().delete()
    AccessFailureLog.objects.all().delete()
    from django.db import connections

    connections.close_all()


def scenario(
    label: str, run: str, group: int, slugs: list[str], args: argparse.Namespace
) -> dict[str, object]:
    print(f"\n== {label} ==")
    statuses, seconds = many_clients(run, slugs, args.clients, args.per_client)
    total = args.clients * args.per_client
    print(
        f"{args.clients} distinct clients × {args.per_client} valid answers: accepted {statuses.get(302, 0)} of {total}, "
        f"refused 429: {statuses.get(429, 0)}, other: { {k: v for k, v in statuses.items() if k not in (302, 429)} } "
        f"({total / seconds:.0f} answers/s through nginx)"
    )
    flooder, others = flood(run, slugs)
    print(
        f"flood from one client (forged X-Forwarded-For): accepted {flooder.get(302, 0)} of 200, refused {flooder.get(429, 0)}; "
        f"50 neighbours × 3 meanwhile: accepted {others.get(302, 0)} of 150, refused {others.get(429, 0)}"
    )
    junk, real = junk_then_real(run, slugs)
    print(
        f"20 junk answers then a real one from one client: junk {dict(junk)}, the real answer {real}"
    )
    checks, neighbour = certificate_checks(group)
    print(
        f"certificate check, 40 from one client: {dict(checks)}; a neighbour's one check: {neighbour}"
    )
    clear_lockout()
    tries, right, owner, later = lockout(group + 1)
    wrong_allowed = sum(1 for _s, status in tries if status == 200)
    locked = sum(1 for _s, status in tries if status == 429)
    first_lock = next((i + 1 for i, (_s, status) in enumerate(tries) if status == 429), None)
    print(
        f"lockout, 12 wrong passwords cycling {len(SPELLINGS)} spellings of one NIP from one address: "
        f"{wrong_allowed} answered 'wrong password', {locked} locked (the lock answers try {first_lock}); "
        f"right password from that address: {right}; the owner from another address: {owner}; "
        f"after 30 tries from that one address, the right password from a third address: {later}"
    )
    return {
        "accepted": statuses.get(302, 0),
        "total": total,
        "flood_accepted": flooder.get(302, 0),
        "neighbours_accepted": others.get(302, 0),
        "real_after_junk": real,
        "first_lock": first_lock,
        "owner": owner,
        "later": later,
        "certificate_ok": checks.get(404, 0),
        "certificate_neighbour": neighbour,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--per-client", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    nginx_binary()
    tmp = Path(tempfile.mkdtemp(prefix="kompeten-abuse-"))
    env = instance_env(tmp)
    os.environ.update(env)
    print(
        f"instance in {tmp}; gunicorn {args.workers} workers × 4 threads; nginx {nginx_version()}"
    )
    slugs = set_up(tmp)
    results = {}
    for label, run, group, proxies in (
        ("with KOMPETEN_TRUSTED_PROXIES=127.0.0.1 (the fix)", "fix", 10, "127.0.0.1"),
        (
            "baseline: KOMPETEN_TRUSTED_PROXIES empty (every client is nginx's 127.0.0.1)",
            "base",
            20,
            "",
        ),
    ):
        servers = start_servers(tmp, {**env, "KOMPETEN_TRUSTED_PROXIES": proxies}, args.workers)
        try:
            results[run] = scenario(label, run, group, slugs, args)
        finally:
            stop(*servers)
    print_summary(results["fix"], results["base"])
    shutil.rmtree(tmp, ignore_errors=True)


def instance_env(tmp: Path) -> dict[str, str]:
    """The throw-away instance's environment: production settings, SQLite and files under tmp."""
    return {
        **{k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "DATABASE_URL"}},
        "SECRET_KEY": SECRET,
        "DJANGO_SETTINGS_MODULE": "kompeten.settings",
        "DEBUG": "false",
        "KOMPETEN_TESTING": "false",
        "SECURE_SSL_REDIRECT": "false",
        "KOMPETEN_VAR_DIR": str(tmp),
        "DATABASE_URL": f"sqlite:///{tmp / 'kompeten.sqlite3'}",
        "CACHE_URL": f"file://{tmp / 'cache'}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def print_summary(fix: dict[str, object], base: dict[str, object]) -> None:
    """Each scenario's figure with the fix, in the baseline, and what the fix should give."""
    print("\n== summary (fix | baseline | expected with the fix) ==")
    rows = [
        ("answers accepted from distinct clients", "accepted", f"{fix['total']} (all)"),
        ("flood answers accepted (of 200)", "flood_accepted", "10 (its own limit)"),
        ("neighbours' answers accepted (of 150)", "neighbours_accepted", "150"),
        ("real answer after 20 junk", "real_after_junk", "302"),
        ("certificate checks answered (of 40)", "certificate_ok", "30"),
        ("neighbour's certificate check", "certificate_neighbour", "404 (answered)"),
        ("try answered by the lock (any spelling)", "first_lock", "5 (AXES_FAILURE_LIMIT)"),
        ("owner's login from another address", "owner", "302"),
        (
            "… after 30 tries from one address",
            "later",
            "302 if tries made while locked did not count",
        ),
    ]
    for name, key, expected in rows:
        print(f"{name:<45} {fix[key]!s:>8} | {base[key]!s:>8} | {expected}")


def nginx_version() -> str:
    done = subprocess.run([nginx_binary(), "-v"], capture_output=True, text=True)
    return (done.stderr or done.stdout).strip().removeprefix("nginx version: ")


if __name__ == "__main__":
    main()

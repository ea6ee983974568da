"""The programme report PDF and pages under gunicorn while a second client loads pages.

    KOMPETEN_VAR_DIR=/tmp/demo DEBUG=true .venv/bin/kompeten migrate
    KOMPETEN_VAR_DIR=/tmp/demo DEBUG=true .venv/bin/kompeten demo
    KOMPETEN_VAR_DIR=/tmp/demo .venv/bin/python bench/bench_report_under_load.py

Starts gunicorn (production settings: DEBUG off, 2 workers × 4 threads) on the demo database,
signs the admin in through a session made here, then measures, each as the median of a few
tries and beside a baseline of the same request with nobody else on the server:

1. the programme report PDF, first rendering after a write (the report model is collected
   again) and rendered again from the cache (target: < 5 s while a second client loads pages);
2. the programme report page with the model cached (target < 1 s);
3. an evidence page (the rows behind the funnel) with the model cached (target < 300 ms).

The second client loads the dashboard, the catalogue, the evidence page and the report page in
a loop for the whole measurement. Nothing here is asserted: the figures are printed.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from kompeten.core.models import User  # noqa: E402
from kompeten.learning.models import Programme  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def session_cookie(username: str) -> str:
    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def fetch(base: str, path: str, cookie: str) -> tuple[float, int, int]:
    request = urllib.request.Request(
        base + path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        body = response.read()
        status = response.status
        if response.geturl() != base + path:
            raise SystemExit(f"{path}: redirected to {response.geturl()} (not signed in?)")
    return time.perf_counter() - started, status, len(body)


def touch_data(programme: Programme) -> None:
    """A write to a table the report reads, so the next report is collected again."""
    Programme.objects.filter(pk=programme.pk).update(title=programme.title)


def median_of(base: str, path: str, cookie: str, tries: int, before=None) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(tries):
        if before is not None:
            before()
        seconds, status, _size = fetch(base, path, cookie)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
        times.append(seconds)
    return statistics.median(times)


def main() -> None:
    programme = Programme.objects.order_by("pk").first()
    if programme is None:
        raise SystemExit("No programme: build the demo first (kompeten demo).")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port)
    try:
        for _ in range(100):
            try:
                fetch(base, "/health", "")
                break
            except OSError:
                time.sleep(0.2)
        alone, loaded, loads = measure_alone_and_loaded(base, programme)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"programme {programme.code}, gunicorn 2 workers × 4 threads, load {os.getloadavg()[0]:.1f}"
    )
    print(f"{'':38} {'alone':>9} {'2nd client':>11}  target")
    targets = {
        "PDF, first rendering after a write": "< 5 s",
        "PDF again (cached)": "",
        "report page, model cached": "< 1 s",
        "evidence page, model cached": "< 300 ms",
    }
    for name, seconds in alone.items():
        print(f"{name:38} {seconds:8.3f}s {loaded[name]:10.3f}s  {targets[name]}")
    print(f"pages loaded by the second client meanwhile: {loads}")


def start_gunicorn(port: int) -> subprocess.Popen[bytes]:
    """gunicorn with production settings (2 workers × 4 threads) after collecting static files."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "KOMPETEN_TESTING": "false",
    }
    # production settings serve hashed static files: collect them once
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "kompeten"), "collectstatic", "--no-input", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "kompeten.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "600",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )


def measure_alone_and_loaded(
    base: str, programme: Programme
) -> tuple[dict[str, float], dict[str, float], int]:
    """The four medians with the server to the admin alone, then again while the leader's
    session loads pages in a loop; returns both and how many pages that second client loaded."""
    admin = session_cookie("admin")
    other = session_cookie("pimpinan")
    report = f"/laporan/program/{programme.pk}/"
    pdf = f"/laporan/program/{programme.pk}/unduh.pdf"
    evidence = f"/laporan/program/{programme.pk}/bukti/corong_partisipasi/"
    fetch(base, report, admin)  # warm the workers and the cache

    def measure() -> dict[str, float]:
        return {
            "PDF, first rendering after a write": median_of(
                base, pdf, admin, 3, lambda: touch_data(programme)
            ),
            "PDF again (cached)": median_of(base, pdf, admin, 3),
            "report page, model cached": median_of(base, report, admin, 5),
            "evidence page, model cached": median_of(base, evidence, admin, 5),
        }

    fetch(base, evidence, admin)
    alone = measure()
    stop = threading.Event()
    loads = [0]

    def second_client() -> None:
        pages = ["/laporan/dasbor/", "/program/", evidence, report]
        while not stop.is_set():
            for page in pages:
                try:
                    fetch(base, page, other)
                    loads[0] += 1
                except OSError:
                    pass

    worker = threading.Thread(target=second_client, daemon=True)
    worker.start()
    loaded = measure()
    stop.set()
    worker.join(timeout=60)
    return alone, loaded, loads[0]


if __name__ == "__main__":
    main()

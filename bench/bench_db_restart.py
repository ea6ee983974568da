"""Fault test: PostgreSQL restarts in the middle of a survey load run; the service recovers by
itself and nothing accepted is lost.

Usage (restarts the LOCAL PostgreSQL cluster: every other connection to it is cut too):

    .venv/bin/python bench/bench_db_restart.py [--seconds 60] [--restart-at 20] [--rate 800]
        [--clients 64] [--database kompeten_bench_h3_restart] [--keep]

The harness of bench/bench_survey_soak.py (fresh database, gunicorn on 127.0.0.1, open-loop
load). At ``--restart-at`` seconds it runs ``pg_ctlcluster <version> main restart`` (falling back
to ``service postgresql restart``). During the restart the form answers 202 (answers kept in the
outage spool) or 503; afterwards gunicorn's persistent connections are re-established on their own
(``CONN_HEALTH_CHECKS``) with no restart of gunicorn. At the end the spool is replayed and the
stored rows must equal accepted (302) + replayed spool entries. Printed: a per-second timeline
around the restart and the time from the restart until answers are accepted again.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_survey_soak import Harness, parser, soak

restart_log: dict[str, float] = {}


def restart_postgresql() -> list[str]:
    versions = sorted(p.name for p in Path("/etc/postgresql").glob("*")) or ["15"]
    for command in (
        ["pg_ctlcluster", versions[-1], "main", "restart"],
        ["service", "postgresql", "restart"],
    ):
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        if done.returncode == 0:
            return command
        print(f"{' '.join(command)} failed: {done.stderr.strip()}")
    raise RuntimeError("could not restart PostgreSQL")


def main() -> None:
    p = parser("kompeten_bench_h3_restart", 60)
    p.set_defaults(rate=800, clients=64)
    p.add_argument("--restart-at", type=float, default=20)
    args = p.parse_args()

    def during(harness: Harness, t0: float) -> None:
        time.sleep(args.restart_at)
        restart_log["begin"] = time.perf_counter() - t0
        print(f"{time.strftime('%H:%M:%S')} restarting PostgreSQL …", flush=True)
        command = restart_postgresql()
        restart_log["end"] = time.perf_counter() - t0
        print(
            f"{time.strftime('%H:%M:%S')} {' '.join(command)} took "
            f"{restart_log['end'] - restart_log['begin']:.1f} s",
            flush=True,
        )

    result, _counts = soak(args, during)
    begin, end = restart_log.get("begin", 0.0), restart_log.get("end", 0.0)
    down = [t for t, status in result.timeline if status in (202, 503) or status >= 500]
    last_down = down[-1] if down else begin
    again = [t for t, status in result.timeline if t > last_down and status == 302]
    print(
        f"restart began at {begin:.1f} s, pg_ctlcluster returned at {end:.1f} s; answers spooled "
        f"or refused from {down[0] if down else begin:.1f} s to {last_down:.1f} s; "
        + (f"accepted again from {again[0]:.1f} s" if again else "never accepted again")
        + " (gunicorn not restarted)"
    )
    print("second  302   202   503   429  5xx  conn-err")
    lo, hi = int(begin) - 2, int(end) + 5
    for second in range(max(lo, 0), hi + 1):
        row = [s for t, s in result.timeline if second <= t < second + 1]
        print(
            f"{second:6d} {row.count(302):5d} {row.count(202):5d} {row.count(503):5d} "
            f"{row.count(429):5d} {sum(1 for s in row if s >= 500 and s != 503):4d} "
            f"{row.count(0):6d}"
        )


if __name__ == "__main__":
    main()

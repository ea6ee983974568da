"""`kompeten check --deploy` passes with production-like settings (no warnings at all)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

# set by the test harness in this process only, or given per test below
DROPPED = {
    "KOMPETEN_TESTING",
    "DEBUG",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SITE_URL",
}


def deploy_check(tmp_path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in DROPPED}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(64),
        DEBUG="false",
        ALLOWED_HOSTS="kompeten.sawahluntokota.go.id",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        KOMPETEN_VAR_DIR=str(tmp_path),
        **extra,
    )
    script = os.path.join(os.path.dirname(sys.executable), "kompeten")
    return subprocess.run(
        [script, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_reports_no_warnings(tmp_path) -> None:
    done = deploy_check(
        tmp_path,
        SITE_URL="https://kompeten.sawahluntokota.go.id",
        KOMPETEN_TRUSTED_PROXIES="127.0.0.1,::1",  # behind nginx, as docs/operations.md sets up
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_the_deploy_check_warns_when_printed_links_have_no_site_url(tmp_path) -> None:
    done = deploy_check(tmp_path, KOMPETEN_TRUSTED_PROXIES="127.0.0.1")
    assert done.returncode == 1
    assert "participation.W001" in done.stderr + done.stdout

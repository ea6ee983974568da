"""The instance's kept SECRET_KEY (var/secret_key): written once, read by the settings when the
environment has none; an explicit variable still wins; DEBUG without a kept key uses the
development key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kompeten.core.secret_key import (
    SecretKeyFileError,
    ensure_secret_key,
    read_secret_key,
    secret_key_path,
)

DEV_KEY_PREFIX = "insecure-development-key"


def test_the_key_is_generated_once_and_readable_only_by_its_owner(tmp_path: Path) -> None:
    key, created = ensure_secret_key(tmp_path / "var")
    assert created and len(key) >= 50
    path = secret_key_path(tmp_path / "var")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ensure_secret_key(tmp_path / "var") == (key, False)
    assert read_secret_key(tmp_path / "var") == key
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"]  # no temporary file left


def test_no_kept_key_reads_as_none(tmp_path: Path) -> None:
    assert read_secret_key(tmp_path) is None


def test_a_short_kept_key_is_refused_with_its_path(tmp_path: Path) -> None:
    secret_key_path(tmp_path).write_text("short\n")
    with pytest.raises(SecretKeyFileError, match="shorter than 50 characters"):
        read_secret_key(tmp_path)


def settings_secret(var_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh interpreter (not under pytest) and print SECRET_KEY."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "KOMPETEN_TESTING", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(KOMPETEN_VAR_DIR=str(var_dir), **env)
    return subprocess.run(
        [sys.executable, "-c", "import kompeten.settings as s; print(s.SECRET_KEY)"],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_settings_generate_and_then_read_the_kept_key(tmp_path: Path) -> None:
    first = settings_secret(tmp_path)
    assert first.returncode == 0, first.stderr
    kept = (tmp_path / "secret_key").read_text().strip()
    assert first.stdout.strip() == kept
    second = settings_secret(tmp_path)
    assert second.stdout.strip() == kept


def test_an_explicit_secret_key_wins_over_the_kept_one(tmp_path: Path) -> None:
    ensure_secret_key(tmp_path)
    done = settings_secret(tmp_path, SECRET_KEY="from-the-environment-" + "x" * 40)
    assert done.stdout.strip() == "from-the-environment-" + "x" * 40


def test_debug_without_a_kept_key_uses_the_development_key_and_writes_nothing(
    tmp_path: Path,
) -> None:
    done = settings_secret(tmp_path, DEBUG="true")
    assert done.stdout.strip().startswith(DEV_KEY_PREFIX)
    assert not (tmp_path / "secret_key").exists()


def test_debug_reads_a_kept_key(tmp_path: Path) -> None:
    key, _ = ensure_secret_key(tmp_path)
    assert settings_secret(tmp_path, DEBUG="true").stdout.strip() == key


def test_the_test_suite_ignores_a_kept_key(tmp_path: Path) -> None:
    ensure_secret_key(tmp_path)
    done = settings_secret(tmp_path, KOMPETEN_TESTING="true")
    assert done.stdout.strip().startswith(DEV_KEY_PREFIX)


def test_a_broken_kept_key_stops_the_start_with_its_name(tmp_path: Path) -> None:
    secret_key_path(tmp_path).write_text("short\n")
    done = settings_secret(tmp_path)
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert str(secret_key_path(tmp_path)) in done.stderr

"""Settings come from the environment through typed helpers that fail loudly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from kompeten import settings


def test_env_bool_reads_common_spellings(monkeypatch) -> None:
    for raw, expected in [("1", True), ("yes", True), ("TRUE", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("KOMPETEN_X", raw)
        assert settings.env_bool("KOMPETEN_X", not expected) is expected


def test_env_bool_rejects_a_typo(monkeypatch) -> None:
    monkeypatch.setenv("KOMPETEN_X", "treu")
    with pytest.raises(ImproperlyConfigured, match="KOMPETEN_X must be a boolean"):
        settings.env_bool("KOMPETEN_X", False)


def test_env_int_rejects_a_non_number(monkeypatch) -> None:
    monkeypatch.setenv("KOMPETEN_N", "sepuluh")
    with pytest.raises(ImproperlyConfigured, match="KOMPETEN_N must be an integer"):
        settings.env_int("KOMPETEN_N", 1)


def test_env_list_splits_and_trims(monkeypatch) -> None:
    monkeypatch.setenv("KOMPETEN_L", " a.example , b.example,, ")
    assert settings.env_list("KOMPETEN_L", []) == ["a.example", "b.example"]


def test_the_time_zone_and_language_are_indonesian() -> None:
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert settings.LANGUAGE_CODE == "id"
    assert settings.USE_TZ is True

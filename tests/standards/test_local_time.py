"""One zone for calendar days: WIB, UTC+7 all year (Keppres 41/1987), the site's TIME_ZONE."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.conf import settings

from kompeten.standards.local_time import JAKARTA


def test_the_site_reads_its_times_in_the_same_zone() -> None:
    assert JAKARTA.key == settings.TIME_ZONE


def test_wib_is_seven_hours_ahead_of_utc_all_year() -> None:
    for month in (1, 7):
        moment = datetime(2025, month, 26, 17, 30, tzinfo=UTC)
        assert moment.astimezone(JAKARTA).utcoffset() == timedelta(hours=7)
    # half past five in the afternoon in UTC is already the next day in Sawahlunto
    assert datetime(2025, 6, 26, 17, 30, tzinfo=UTC).astimezone(JAKARTA).day == 27

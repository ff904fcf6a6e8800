"""Quiet hours in the member's own timezone, overnight or in the day."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.quiet_hours import waking
from bot.settings import Settings, SettingsError


def test_a_moment_in_the_night_moves_to_the_morning_in_that_zone() -> None:
    late = datetime(2026, 3, 2, 19, 30, tzinfo=UTC)  # 22:30 in Nairobi
    assert waking(late, "Africa/Nairobi") == datetime(2026, 3, 3, 5, 0, tzinfo=UTC)
    assert waking(late, "Europe/Lisbon") == late  # 19:30 there: awake


def test_early_morning_waits_until_the_same_day_and_daylight_saving_is_respected() -> None:
    early = datetime(2026, 3, 29, 5, 0, tzinfo=UTC)  # 07:00 in Berlin, the morning the clocks went forward
    assert waking(early, "Europe/Berlin") == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


def test_a_daytime_quiet_window() -> None:
    lunch = datetime(2026, 3, 2, 12, 30, tzinfo=UTC)
    assert waking(lunch, "UTC", time(12), time(14)) == datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def test_quiet_hours_come_from_the_environment() -> None:
    assert Settings.from_env({"CULTIVATE_QUIET_HOURS": "22-7"}).quiet_hours == (22, 7)
    with pytest.raises(SettingsError, match="CULTIVATE_QUIET_HOURS"):
        Settings.from_env({"CULTIVATE_QUIET_HOURS": "late"})

"""The level rules on their own: each level, the edges between them, and windows of other lengths."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flows.health_period import PeriodError, period
from flows.health_report import sparkline
from flows.levels import COUNTED, LEADING, Distribution, distribute, level, thresholds
from storage.ledger import Tally
from storage.models import Act, Level

END = datetime(2026, 6, 1, tzinfo=UTC)
LONG_AGO = END - timedelta(days=400)
NINETY = thresholds(90)


def test_the_ninety_day_thresholds_are_the_documented_ones() -> None:
    assert (NINETY.core, NINETY.leading, NINETY.active) == (10, 2, 3)
    assert NINETY.newcomer == timedelta(days=30)


@pytest.mark.parametrize(
    ("tally", "expected"),
    [
        (None, Level.SILENT),
        (Tally(0, 0), Level.SILENT),
        (Tally(1, 0), Level.OCCASIONAL),
        (Tally(2, 2), Level.OCCASIONAL),
        (Tally(3, 0), Level.ACTIVE),
        (Tally(9, 5), Level.ACTIVE),  # leads, but not often enough to be core
        (Tally(25, 1), Level.ACTIVE),  # often, but hardly leads: an enthusiast, not (yet) core
        (Tally(10, 2), Level.CORE),
        (Tally(40, 12), Level.CORE),
    ],
)
def test_each_level_for_a_settled_member(tally: Tally | None, expected: Level) -> None:
    assert level(tally, LONG_AGO, END, NINETY) is expected


def test_a_member_who_joined_within_thirty_days_is_a_newcomer_whatever_they_did() -> None:
    assert level(Tally(30, 10), END - timedelta(days=29, hours=23), END, NINETY) is Level.NEWCOMER
    assert level(None, END - timedelta(days=29), END, NINETY) is Level.NEWCOMER
    assert level(None, END - timedelta(days=30), END, NINETY) is Level.SILENT


def test_thresholds_scale_with_the_window_and_keep_every_level_reachable() -> None:
    month, year, week = thresholds(30), thresholds(365), thresholds(7)
    assert (month.core, month.leading, month.active) == (4, 1, 2)
    assert (year.core, year.leading, year.active) == (41, 9, 13)
    assert week.active == 2 and week.core == 3 and week.leading == 1
    assert level(Tally(1, 0), LONG_AGO, END, month) is Level.OCCASIONAL
    assert level(Tally(2, 0), LONG_AGO, END, month) is Level.ACTIVE
    assert level(Tally(4, 1), LONG_AGO, END, month) is Level.CORE


def test_joining_being_thanked_and_campaign_answers_do_not_count_and_leading_is_a_subset() -> None:
    assert Act.JOINED not in COUNTED and Act.WAS_THANKED not in COUNTED and Act.CAMPAIGN not in COUNTED
    assert Act.CHECKIN in COUNTED and Act.ATTENDED in COUNTED and Act.INTRODUCED in COUNTED
    assert LEADING <= COUNTED
    assert {Act.MODERATED, Act.SUMMARISED, Act.PRESENTED, Act.OFFERED} == LEADING


def test_the_ninety_nine_one_shape_leaves_newcomers_out() -> None:
    found = distribute(
        [Level.CORE] + [Level.ACTIVE] * 4 + [Level.OCCASIONAL] * 5 + [Level.SILENT] * 90 + [Level.NEWCOMER] * 7
    )
    assert found == Distribution(core=1, active=4, occasional=5, silent=90, newcomer=7)
    assert found.members == 107
    assert found.shape() == (1.0, 9.0, 90.0)
    assert Distribution().shape() == (0.0, 0.0, 0.0)


def test_periods_rolling_and_calendar() -> None:
    now = datetime(2026, 5, 20, 10, 0, tzinfo=UTC)
    ninety = period("", now, "UTC", 90)
    assert (
        ninety.name == "90d" and ninety.since == now - timedelta(days=90) and ninety.before == now - timedelta(days=180)
    )
    assert period("30d", now, "UTC", 90).days == 30
    quarter = period("quarter", now, "Europe/Lisbon", 90)
    # 1 April in Lisbon is 00:00 summer time, 23:00 UTC the day before; the quarter before starts 1 January (winter).
    assert quarter.since == datetime(2026, 3, 31, 23, 0, tzinfo=UTC)
    assert quarter.before == datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    assert period("quarter", datetime(2026, 2, 1, tzinfo=UTC), "UTC", 90).before == datetime(2025, 10, 1, tzinfo=UTC)
    year = period("year", now, "UTC", 90)
    assert year.since == datetime(2026, 1, 1, tzinfo=UTC) and year.before == datetime(2025, 1, 1, tzinfo=UTC)
    for wrong in ("3d", "forever", "99999d", "²d"):
        with pytest.raises(PeriodError):
            period(wrong, now, "UTC", 90)


def test_sparklines_scale_to_the_largest_value() -> None:
    assert sparkline([0, 1, 2, 4, 8]) == "▁▂▃▅█"
    assert sparkline([0, 0, 0]) == "▁▁▁"
    assert sparkline([]) == ""

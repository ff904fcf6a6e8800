"""When digests go out: the first Monday at 09:00 in the community's zone, kept across daylight-saving changes; a
first issue given in words sets the weekday and time that follow."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flows.digest_schedule import first, following

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%a %d %b %Y %H:%M")


def test_monthly_is_the_first_monday_at_nine_in_the_communitys_zone() -> None:
    at = first("monthly", NOW, "Africa/Nairobi")
    assert local(at, "Africa/Nairobi") == "Mon 06 Apr 2026 09:00"
    assert local(following("monthly", at, at, "Africa/Nairobi"), "Africa/Nairobi") == "Mon 04 May 2026 09:00"


def test_weekly_and_quarterly() -> None:
    assert local(first("weekly", NOW, "UTC"), "UTC") == "Mon 09 Mar 2026 09:00"
    quarter = first("quarterly", NOW, "UTC")
    assert local(quarter, "UTC") == "Mon 06 Apr 2026 09:00"
    assert local(following("quarterly", quarter, quarter, "UTC"), "UTC") == "Mon 06 Jul 2026 09:00"


def test_the_local_time_holds_across_daylight_saving() -> None:
    zone = "Europe/Lisbon"  # summer time from 29 March 2026
    at = first("weekly", datetime(2026, 3, 20, 12, tzinfo=UTC), zone)
    after = following("weekly", at, at, zone)
    assert local(at, zone) == "Mon 23 Mar 2026 09:00" and local(after, zone) == "Mon 30 Mar 2026 09:00"
    assert (after.astimezone(UTC) - at.astimezone(UTC)).total_seconds() == 7 * 86400 - 3600


def test_a_first_issue_in_words_sets_the_weekday_and_time() -> None:
    friday = datetime(2026, 3, 6, 16, 0, tzinfo=ZoneInfo("UTC"))
    assert local(following("weekly", friday, friday, "UTC"), "UTC") == "Fri 13 Mar 2026 16:00"
    assert local(following("monthly", friday, friday, "UTC"), "UTC") == "Fri 03 Apr 2026 16:00"

"""The one clock: real time in production, a movable one for tests and the console's `/time`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware UTC."""
        ...


class MovableClock(Clock, Protocol):
    def advance(self, by: timedelta) -> None:
        """Move forward; only tests and the console move time."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ShiftedClock:
    """Real time plus an offset that only moves forward: the console's `/time +2h`."""

    def __init__(self, start: datetime | None = None) -> None:
        """`start`: the moment the clock shows now (for demos and scripts), moving on in real time from there."""
        self.offset = start - datetime.now(UTC) if start is not None else timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, by: timedelta) -> None:
        self.offset += by


class ManualClock:
    """A clock that stands still until told to move: tests never sleep."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, by: timedelta) -> None:
        self._now += by


def wall() -> datetime:
    """Operational time — leases, retries, pacing — which the community's clock (moved by tests and `/time`) does
    not change: a rate limit lasts its real seconds whatever the console pretends."""
    return datetime.now(UTC)

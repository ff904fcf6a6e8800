"""Participation levels — the one place their rules live, and why.

Over a window (90 days unless a coordinator asks for another period), each member of a community is:

- *newcomer*: joined in the last 30 days. Too early to judge; the newcomer funnel follows them instead.
- *core*: at least 10 acts per 90 days — about one a week, the rhythm of the people who carry a community —
  of which at least 2 lead others: moderating or summarising a discussion, presenting a webinar, offering help
  with someone's request. Frequency alone makes an enthusiast; the core also holds the space for others
  (Wenger's "core group", and the coordinators' wish to distribute leadership among them).
- *active*: at least 3 acts per 90 days — about one a month: a regular voice.
- *occasional*: 1 or 2 acts.
- *silent*: no act at all. Cultivate cannot see reading on most platforms, so members are never called lurkers.

Thresholds scale with the window's length (a 30-day view needs a third of the acts), never below one act, so
periods of different lengths compare; in a short window *active* still needs two acts, so that a single act reads
as occasional. What counts: every act in the ledger except joining (not yet taking part),
being thanked (someone else's act) and answering a campaign (the story it brought already counts). 90-9-1 is read
as core : contributing (active + occasional) : silent, among members who are not newcomers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.ledger import Bar, Tally
from storage.models import Act, Level

PER_DAYS = 90
CORE_ACTS = 10
CORE_LEADING = 2
ACTIVE_ACTS = 3
NEWCOMER_DAYS = 30

NOT_COUNTED = frozenset({Act.JOINED, Act.WAS_THANKED, Act.CAMPAIGN})
COUNTED = frozenset(Act) - NOT_COUNTED
LEADING = frozenset({Act.MODERATED, Act.SUMMARISED, Act.PRESENTED, Act.OFFERED})
# What a newcomer's first contribution is: introducing oneself is the step before it in the funnel.
FIRST_STEPS = COUNTED - {Act.INTRODUCED}


# The numbers for one window; storage applies them in SQL (storage.ledger.level_counts) exactly as `level` does here.
Thresholds = Bar


def thresholds(days: float) -> Thresholds:
    """The rules above for a window of `days` days."""
    scale = max(days, 1) / PER_DAYS

    def scaled(n: int) -> int:
        return max(1, math.ceil(n * scale - 1e-9))

    active = max(2, scaled(ACTIVE_ACTS))  # so that "occasional" (a single act) still exists in a short window
    core = max(active + 1, scaled(CORE_ACTS))
    return Thresholds(core=core, leading=scaled(CORE_LEADING), active=active, newcomer=timedelta(days=NEWCOMER_DAYS))


def level(tally: Tally | None, joined_at: datetime, until: datetime, rules: Thresholds) -> Level:
    """A member's level at the end of a window, from their acts in it and when they joined."""
    if until - joined_at < rules.newcomer:
        return Level.NEWCOMER
    if tally is None or tally.acts == 0:
        return Level.SILENT
    if tally.acts >= rules.core and tally.leading >= rules.leading:
        return Level.CORE
    if tally.acts >= rules.active:
        return Level.ACTIVE
    return Level.OCCASIONAL


@dataclass(frozen=True)
class Distribution:
    """How many members are at each level."""

    core: int = 0
    active: int = 0
    occasional: int = 0
    silent: int = 0
    newcomer: int = 0

    @property
    def members(self) -> int:
        return self.core + self.active + self.occasional + self.silent + self.newcomer

    def of(self, which: Level) -> int:
        return int(getattr(self, which.value))

    def shape(self) -> tuple[float, float, float]:
        """Percent core : contributing : silent among members who are not newcomers (the 90-9-1 reading)."""
        settled = self.core + self.active + self.occasional + self.silent
        if not settled:
            return (0.0, 0.0, 0.0)
        return (
            100 * self.core / settled,
            100 * (self.active + self.occasional) / settled,
            100 * self.silent / settled,
        )


def distribute(levels: list[Level]) -> Distribution:
    counts = dict.fromkeys(Level, 0)
    for which in levels:
        counts[which] += 1
    return Distribution(**{which.value: n for which, n in counts.items()})

"""The ledger's SQL level counts and rising members agree with the rules in flows/levels.py, member by member."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from flows import health_figures, levels
from flows.health_period import period
from flows.participation import participation
from storage import ledger
from storage.models import Act, Community, Level, Member, Membership, Role
from tests.harness import ConsoleBot

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
KINDS = list(Act)


async def test_sql_levels_and_rising_members_match_the_python_rules(bot: ConsoleBot) -> None:
    rng = random.Random(7)
    async with bot.runtime.services.sessions() as db:
        community = Community(slug="c", name="C", created_at=NOW, channels=[])
        db.add(community)
        await db.flush()
        people = [Member(display_name=f"M{n}", created_at=NOW) for n in range(120)]
        db.add_all(people)
        await db.flush()
        for n, person in enumerate(people):
            joined = NOW - timedelta(days=rng.choice([1, 29, 30, 31, 60, 89, 91, 120, 200, 400]), hours=rng.random())
            role = Role.MODERATOR if n % 17 == 0 else Role.MEMBER
            left = NOW - timedelta(days=2) if n % 23 == 0 else None
            db.add(
                Membership(community_id=community.id, member_id=person.id, role=role, joined_at=joined, left_at=left)
            )
            for _ in range(rng.choice([0, 0, 1, 2, 3, 5, 9, 10, 14, 30])):
                at = NOW - timedelta(days=rng.uniform(0, 200))
                await ledger.add(db, community_id=community.id, member_id=person.id, act=rng.choice(KINDS), at=at)
        await db.commit()

        for name in ("30d", "90d", "quarter", "year"):
            span = period(name, NOW, "UTC", 90)
            found = await health_figures.levels(db, community.id, span)
            by_member = await participation(db, community.id, span)
            assert found.now == levels.distribute([by_member.level_now(m) for m in by_member.members]), name
            then = [lv for m in by_member.members if (lv := by_member.level_before(m)) is not None]
            assert found.before == levels.distribute(then), name
            assert found.now.of(Level.NEWCOMER) > 0 and found.now.of(Level.SILENT) > 0

            rising = await ledger.rising(
                db,
                community.id,
                before=span.before,
                since=span.since,
                until=span.until,
                at_least=levels.thresholds(span.days).active,
                counted=levels.COUNTED,
                leading=levels.LEADING,
                limit=1000,
            )
            roles = {m.member_id: m.role for m in by_member.members}
            expected = {
                m
                for m, tally in by_member.now.items()
                if roles.get(m) == Role.MEMBER
                and tally.acts >= levels.thresholds(span.days).active
                and tally.acts > (by_member.before[m].acts if m in by_member.before else 0)
            }
            assert {r.member_id for r in rising} == expected, name
            assert all(r.now == by_member.now[r.member_id] for r in rising)

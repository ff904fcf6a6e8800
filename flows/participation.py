"""How routines note a meaningful act in the participation ledger (reading commands are not acts), and each
member's level from those acts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context, MemberContext
from flows import levels as rules
from flows.health_period import Period
from flows.levels import COUNTED, LEADING, Thresholds
from storage import health, ledger
from storage.health import Belonging
from storage.ledger import Tally
from storage.models import Act, Level, Member


async def contributed(
    ctx: Context,
    act: Act,
    subject: int | None = None,
    *,
    member: Member | None = None,
    community_id: int | None = None,
) -> None:
    """`member` (the caller by default) did `act` about `subject`, in the context's community (or the one given)."""
    who = member or (ctx.member if isinstance(ctx, MemberContext) else None)
    where = community_id if community_id is not None else ctx.community.id if ctx.community is not None else None
    if who is None or where is None:
        raise ValueError(f"{act} needs a member and a community")
    await ledger.add(ctx.db, community_id=where, member_id=who.id, act=act, at=ctx.now, subject_id=subject)


@dataclass(frozen=True)
class Participation:
    """Members and their acts in a period and the one before, member by member: for a digest or a profile that needs
    someone's level (the health report counts levels in the database, by the same rules)."""

    period: Period
    members: list[Belonging]
    now: dict[int, Tally]
    before: dict[int, Tally]

    @property
    def rules_now(self) -> Thresholds:
        return rules.thresholds(self.period.days)

    @property
    def rules_before(self) -> Thresholds:
        return rules.thresholds(self.period.days_before)

    def level_now(self, member: Belonging) -> Level:
        return rules.level(self.now.get(member.member_id), member.joined_at, self.period.until, self.rules_now)

    def level_before(self, member: Belonging) -> Level | None:
        """None for members who had not joined yet."""
        if member.joined_at > self.period.since:
            return None
        return rules.level(self.before.get(member.member_id), member.joined_at, self.period.since, self.rules_before)


async def participation(db: AsyncSession, community_id: int, span: Period) -> Participation:
    members = await health.belonging(db, community_id, span.until)
    now = await ledger.tallies(db, community_id, span.since, span.until, counted=COUNTED, leading=LEADING)
    before = await ledger.tallies(db, community_id, span.before, span.since, counted=COUNTED, leading=LEADING)
    return Participation(span, members, now, before)


def member_levels(p: Participation) -> dict[int, Level]:
    """Each current member's level at the end of the period (member by member, for a digest or a profile)."""
    return {m.member_id: p.level_now(m) for m in p.members}

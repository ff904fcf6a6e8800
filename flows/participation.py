"""How routines note a meaningful act in the participation ledger (reading commands are not acts)."""

from __future__ import annotations

from bot.context import Context, MemberContext
from storage import ledger
from storage.models import Act, Member


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

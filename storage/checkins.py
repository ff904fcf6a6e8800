"""Check-ins: their participants, calls, each participant's recap for a call, and the action items agreed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    ActionItem,
    CallStatus,
    Checkin,
    CheckinAnswer,
    CheckinCall,
    CheckinMember,
    CheckinStatus,
    Member,
    Membership,
)


async def add(db: AsyncSession, **fields: object) -> Checkin:
    checkin = Checkin(**fields)
    db.add(checkin)
    await db.flush()
    return checkin


async def by_id(db: AsyncSession, checkin_id: int) -> Checkin | None:
    return await db.get(Checkin, checkin_id)


async def listing(db: AsyncSession, community_id: int) -> Sequence[Checkin]:
    """The community's check-ins that are running or paused, oldest first."""
    return (
        await db.scalars(
            select(Checkin)
            .where(Checkin.community_id == community_id, Checkin.status != CheckinStatus.CANCELLED)
            .order_by(Checkin.id)
        )
    ).all()


def _current(checkin_id: int) -> Select[Member]:
    """Participants still in the check-in and still members of its community."""
    return (
        select(Member)
        .join(CheckinMember, CheckinMember.member_id == Member.id)
        .join(Checkin, Checkin.id == CheckinMember.checkin_id)
        .join(
            Membership,
            (Membership.member_id == Member.id) & (Membership.community_id == Checkin.community_id),
        )
        .where(
            CheckinMember.checkin_id == checkin_id,
            CheckinMember.removed_at.is_(None),
            Membership.left_at.is_(None),
        )
    )


async def participants(db: AsyncSession, checkin_id: int) -> Sequence[Member]:
    """Who is asked: current participants who are still members of the community, by name."""
    query = _current(checkin_id).order_by(Member.display_name, Member.id)
    return (await db.scalars(query)).all()


async def is_participant(db: AsyncSession, checkin_id: int, member_id: int) -> bool:
    query = _current(checkin_id).where(Member.id == member_id)
    return await db.scalar(query) is not None


async def add_participant(db: AsyncSession, checkin_id: int, member_id: int, now: datetime) -> bool:
    """Make the member a participant; False if they already were one."""
    row = await db.scalar(
        select(CheckinMember).where(CheckinMember.checkin_id == checkin_id, CheckinMember.member_id == member_id)
    )
    if row is None:
        db.add(CheckinMember(checkin_id=checkin_id, member_id=member_id, added_at=now))
        await db.flush()
        return True
    if row.removed_at is not None:
        row.removed_at, row.added_at = None, now
        return True
    return False


async def remove_participant(db: AsyncSession, checkin_id: int, member_id: int, now: datetime) -> bool:
    row = await db.scalar(
        select(CheckinMember).where(
            CheckinMember.checkin_id == checkin_id,
            CheckinMember.member_id == member_id,
            CheckinMember.removed_at.is_(None),
        )
    )
    if row is None:
        return False
    row.removed_at = now
    return True


async def taking_part(db: AsyncSession, community_id: int, member_id: int) -> Sequence[Checkin]:
    """The running check-ins of the community the member is a participant in."""
    return (
        await db.scalars(
            select(Checkin)
            .join(CheckinMember)
            .where(
                Checkin.community_id == community_id,
                Checkin.status == CheckinStatus.ACTIVE,
                CheckinMember.member_id == member_id,
                CheckinMember.removed_at.is_(None),
            )
            .order_by(Checkin.id)
        )
    ).all()


# -- calls ------------------------------------------------------------------------------------------------------


async def add_call(db: AsyncSession, checkin_id: int, starts_at: datetime) -> CheckinCall:
    call = CheckinCall(checkin_id=checkin_id, starts_at=starts_at, status=CallStatus.UPCOMING, agenda_cards=[])
    db.add(call)
    await db.flush()
    return call


async def call_by_id(db: AsyncSession, call_id: int) -> CheckinCall | None:
    return await db.get(CheckinCall, call_id)


async def upcoming_call(db: AsyncSession, checkin_id: int) -> CheckinCall | None:
    return await db.scalar(
        select(CheckinCall)
        .where(CheckinCall.checkin_id == checkin_id, CheckinCall.status == CallStatus.UPCOMING)
        .order_by(CheckinCall.starts_at.desc())
    )


async def last_call(db: AsyncSession, checkin_id: int, now: datetime) -> CheckinCall | None:
    """The most recent call whose time has come (the one minutes are for)."""
    return await db.scalar(
        select(CheckinCall)
        .where(
            CheckinCall.checkin_id == checkin_id,
            CheckinCall.starts_at <= now,
            CheckinCall.status != CallStatus.CANCELLED,
        )
        .order_by(CheckinCall.starts_at.desc())
    )


# -- answers ----------------------------------------------------------------------------------------------------


async def answer_of(db: AsyncSession, call_id: int, member_id: int) -> CheckinAnswer | None:
    return await db.scalar(
        select(CheckinAnswer).where(CheckinAnswer.call_id == call_id, CheckinAnswer.member_id == member_id)
    )


async def answer_row(db: AsyncSession, call_id: int, member_id: int) -> CheckinAnswer:
    """The member's row for the call, made on first need (when they are asked, or answer unasked)."""
    row = await answer_of(db, call_id, member_id)
    if row is None:
        row = CheckinAnswer(call_id=call_id, member_id=member_id, answers=[])
        db.add(row)
        await db.flush()
    return row


async def answered(db: AsyncSession, call_id: int) -> Sequence[CheckinAnswer]:
    """The recaps given for a call, in the order they came."""
    return (
        await db.scalars(
            select(CheckinAnswer)
            .where(CheckinAnswer.call_id == call_id, CheckinAnswer.answered_at.is_not(None))
            .order_by(CheckinAnswer.answered_at, CheckinAnswer.id)
        )
    ).all()


# -- action items -----------------------------------------------------------------------------------------------


async def add_action(
    db: AsyncSession, *, call: CheckinCall, owner_id: int, text: str, due_on: str | None, now: datetime
) -> ActionItem:
    item = ActionItem(
        checkin_id=call.checkin_id, call_id=call.id, owner_id=owner_id, text=text, due_on=due_on, created_at=now
    )
    db.add(item)
    await db.flush()
    return item


async def action_by_id(db: AsyncSession, item_id: int) -> ActionItem | None:
    return await db.get(ActionItem, item_id)


async def actions_of_call(db: AsyncSession, call_id: int) -> Sequence[ActionItem]:
    return (await db.scalars(select(ActionItem).where(ActionItem.call_id == call_id).order_by(ActionItem.id))).all()


async def open_actions(db: AsyncSession, checkin_id: int, *, before: datetime | None = None) -> Sequence[ActionItem]:
    """Items not done yet, from calls before `before` (all calls if None), oldest first: carried into the agenda."""
    query = (
        select(ActionItem)
        .join(CheckinCall, CheckinCall.id == ActionItem.call_id)
        .where(ActionItem.checkin_id == checkin_id, ActionItem.done_at.is_(None))
    )
    if before is not None:
        query = query.where(CheckinCall.starts_at < before)
    return (await db.scalars(query.order_by(ActionItem.id))).all()


async def actions_owned(db: AsyncSession, community_id: int, member_id: int) -> Sequence[ActionItem]:
    """A member's open items across the community's check-ins."""
    return (
        await db.scalars(
            select(ActionItem)
            .join(Checkin, Checkin.id == ActionItem.checkin_id)
            .where(
                Checkin.community_id == community_id,
                ActionItem.owner_id == member_id,
                ActionItem.done_at.is_(None),
            )
            .order_by(ActionItem.id)
        )
    ).all()


async def remove_action(db: AsyncSession, item: ActionItem) -> None:
    await db.delete(item)
    await db.flush()

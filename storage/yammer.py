"""The Yammer adapter's memory: feed cursors (so a restart neither misses nor repeats), member baselines for
noticing newcomers, and the bot's posts (threads it started, buttons its numbered replies press)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import YammerFeed, YammerPost


@dataclass(frozen=True)
class Choices:
    """The buttons of one bot post, in the order a member numbers them."""

    post_id: int
    thread_id: int
    group_id: str | None
    buttons: tuple[tuple[str, str], ...]  # (action_id, value)


async def _feed(db: AsyncSession, feed: str) -> YammerFeed:
    row = await db.get(YammerFeed, feed)
    if row is None:
        row = YammerFeed(feed=feed)
        db.add(row)
    return row


async def last_seen(db: AsyncSession, feed: str) -> int | None:
    row = await db.get(YammerFeed, feed)
    return row.last_seen_id if row is not None else None


async def seen_up_to(db: AsyncSession, feed: str, message_id: int) -> None:
    """Move the feed's cursor forward (never back)."""
    row = await _feed(db, feed)
    if row.last_seen_id is None or message_id > row.last_seen_id:
        row.last_seen_id = message_id


async def member_baseline(db: AsyncSession, group_id: str) -> tuple[set[str] | None, datetime | None]:
    """The user ids seen in a group at the last comparison (None before the first), and when that was."""
    row = await db.get(YammerFeed, f"members:{group_id}")
    if row is None or row.members is None:
        return None, row.checked_at if row is not None else None
    return set(row.members), row.checked_at


async def save_members(db: AsyncSession, group_id: str, user_ids: set[str], now: datetime) -> None:
    row = await _feed(db, f"members:{group_id}")
    row.members = sorted(user_ids)
    row.checked_at = now


async def record_post(
    db: AsyncSession,
    *,
    post_id: int,
    thread_id: int,
    group_id: str | None,
    audience: str | None,
    buttons: list[tuple[str, str]],
    now: datetime,
) -> None:
    if await db.get(YammerPost, post_id) is None:
        db.add(
            YammerPost(
                id=post_id,
                thread_id=thread_id,
                group_id=group_id,
                audience=audience,
                buttons=[{"action_id": a, "value": v} for a, v in buttons],
                posted_at=now,
            )
        )


async def started_thread(db: AsyncSession, thread_id: int) -> bool:
    """Whether the bot posted the message that starts this thread."""
    return await db.scalar(select(YammerPost.id).where(YammerPost.id == thread_id)) is not None


async def choices_in_thread(db: AsyncSession, replied_to: int | None, thread_id: int) -> Choices | None:
    """The buttons a number replied in a thread presses: those of the bot post replied to, else the bot's
    latest post with buttons in that thread."""
    if replied_to is not None:
        row = await db.get(YammerPost, replied_to)
        if row is not None and row.buttons:
            return _choices(row)
    rows = await db.scalars(
        select(YammerPost).where(YammerPost.thread_id == thread_id).order_by(YammerPost.id.desc()).limit(20)
    )
    return next((_choices(r) for r in rows if r.buttons), None)


async def choices_for(db: AsyncSession, user_id: str) -> Choices | None:
    """The buttons a bare number in a private message presses: those of the latest direct message the bot sent
    this user, if it had any (a question asked since then takes the number as its answer instead)."""
    row = await db.scalar(
        select(YammerPost).where(YammerPost.audience == user_id).order_by(YammerPost.id.desc()).limit(1)
    )
    return _choices(row) if row is not None and row.buttons else None


def _choices(row: YammerPost) -> Choices:
    return Choices(
        row.id, row.thread_id, row.group_id, tuple((b["action_id"], b.get("value", "")) for b in row.buttons)
    )

"""Two members who are one person become one: every row of the newer moves to the older, duplicates settled.

The newer member's row stays, empty, pointing at the survivor (`merged_into_id`) until `sweep` runs a few minutes
later: an event that found the newer member just before the merge may still write a row for it, and the sweep
moves that row over too before the empty member goes. So nothing written meanwhile is lost."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.member_columns import MEMBER_COLUMNS, MEMBER_ID_LISTS, PAYLOAD_MEMBER
from storage.models import DirectoryEntry, Introduction, Member
from storage.reconcile import Conflict, move, payload_id, replace_in_list, repoint_payloads

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProfileConflict:
    """Both members' profiles answered `key` differently; the more recent answer was kept."""

    key: str
    kept: Any
    dropped: Any


@dataclass
class MergeReport:
    conflicts: list[Conflict] = field(default_factory=list)
    profile_conflicts: list[ProfileConflict] = field(default_factory=list)
    moved: dict[str, int] = field(default_factory=dict)
    dropped: dict[str, int] = field(default_factory=dict)


async def merge(db: AsyncSession, first: Member, second: Member, now: datetime) -> tuple[Member, MergeReport]:
    """Make the two members one; the older one survives. Returns the survivor and what was settled."""
    keep, gone = (first, second) if first.id < second.id else (second, first)
    await _lock(db, keep.id, gone.id)
    gone_is_newer = await _last_answer(db, gone.id) > await _last_answer(db, keep.id)
    report = await _move_everything(db, keep.id, gone.id, now)
    report.profile_conflicts = _merge_profile(keep, gone, gone_is_newer)
    if gone_is_newer:
        keep.timezone = gone.timezone or keep.timezone
        keep.language = gone.language or keep.language
    else:
        keep.timezone = keep.timezone or gone.timezone
        keep.language = keep.language or gone.language
    keep.platform_locale = keep.platform_locale or gone.platform_locale
    keep.reach_on = keep.reach_on or gone.reach_on
    if gone.forget_due_at is not None and keep.forget_due_at is None:
        keep.forget_due_at = gone.forget_due_at
    gone.merged_into_id = keep.id
    gone.profile = {}
    gone.forget_due_at = None
    await db.flush()
    await db.refresh(keep, ["identities"])
    await db.refresh(gone, ["identities"])
    return keep, report


async def sweep(db: AsyncSession, gone_id: int, now: datetime) -> MergeReport | None:
    """Move over what was written for a merged member after its merge, then delete it. None if already gone."""
    gone = await db.get(Member, gone_id)
    if gone is None or gone.merged_into_id is None:
        return None
    keep_id = gone.merged_into_id
    keep = await db.get(Member, keep_id)
    while keep is not None and keep.merged_into_id is not None:  # the survivor was merged on in the meantime
        keep = await db.get(Member, keep.merged_into_id)
    if keep is None:
        return None
    await _lock(db, keep.id, gone.id)
    report = await _move_everything(db, keep.id, gone.id, now)
    if any(report.moved.values()):
        log.info("swept %s late rows of member %s into %s", sum(report.moved.values()), gone.id, keep.id)
    await db.delete(gone)
    await db.flush()
    return report


async def _move_everything(db: AsyncSession, keep_id: int, gone_id: int, now: datetime) -> MergeReport:
    report = MergeReport()
    for spec in MEMBER_COLUMNS:
        moved = await move(db, spec.column, spec.on_merge, spec.unique, keep_id, gone_id)
        report.conflicts += moved.conflicts
        if moved.moved:
            report.moved[spec.name] = moved.moved
        if moved.dropped:
            report.dropped[spec.name] = moved.dropped
    for column in MEMBER_ID_LISTS:
        await replace_id(db, column, gone_id, keep_id)
    await repoint_payloads(db, PAYLOAD_MEMBER, gone_id, keep_id, now)
    return report


async def _lock(db: AsyncSession, *member_ids: int) -> None:
    """On PostgreSQL, hold both members (in id order) so rows written for them wait until the merge is done."""
    await db.execute(select(Member.id).where(Member.id.in_(member_ids)).order_by(Member.id).with_for_update())


async def _last_answer(db: AsyncSession, member_id: int) -> datetime:
    """When the member last told us about themselves (an introduction, their directory entry): the profile of the
    one who answered more recently wins where the two disagree."""
    introduced = await db.scalar(
        select(func.max(Introduction.introduced_at)).where(Introduction.member_id == member_id)
    )
    described = await db.scalar(
        select(func.max(DirectoryEntry.updated_at)).where(DirectoryEntry.member_id == member_id)
    )
    moments = [m for m in (introduced, described) if m is not None]
    return max(moments) if moments else datetime.min.replace(tzinfo=UTC)


def _merge_profile(keep: Member, gone: Member, gone_is_newer: bool) -> list[ProfileConflict]:
    mine, theirs = dict(keep.profile or {}), dict(gone.profile or {})
    conflicts = []
    merged = dict(mine)
    for key, value in theirs.items():
        current = merged.get(key)
        if current in (None, "", [], {}):
            merged[key] = value
        elif value not in (None, "", [], {}) and value != current:
            kept, dropped = (value, current) if gone_is_newer else (current, value)
            merged[key] = kept
            conflicts.append(ProfileConflict(key, kept, dropped))
    keep.profile = merged
    return conflicts


async def replace_id(
    db: AsyncSession, column: InstrumentedAttribute[list[int]], gone_id: int, keep_id: int | None
) -> int:
    """Replace (or with keep_id None, remove) a member id in an id-list column; returns rows changed."""
    rows = await listing(db, column, gone_id)
    for row in rows:
        setattr(row, column.key, replace_in_list(getattr(row, column.key), gone_id, keep_id))
    return len(rows)


async def listing(db: AsyncSession, column: InstrumentedAttribute[list[int]], member_id: int) -> list[Any]:
    """The rows whose id-list column holds `member_id`."""
    model = column.class_
    # A cheap textual filter first (the JSON is text on both databases), then the exact test.
    found = await db.scalars(select(model).where(cast(column, String).like(f"%{member_id}%")).order_by(model.id))
    return [row for row in found.all() if member_id in (getattr(row, column.key) or [])]


def payload_member() -> Any:
    """The member a delivery's payload names, as SQL (flows' payloads say `member: int`)."""
    return payload_id(PAYLOAD_MEMBER)

"""Moving rows from one owner to another (a member linked into another, a community merged into another), settling
rows that would collide on a unique constraint. One engine for both; what each table needs is declared beside
its owner (storage.member_columns, storage.community_columns)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from storage.models import Delivery, DeliveryStatus


class OnMerge(StrEnum):
    REPOINT = "repoint"  # every row moves over as it is
    UNIQUE = "unique"  # rows move over; where both owners have one (same key), one is kept (see Unique)
    DROP = "drop"  # the merged owner's rows mean nothing any more (a one-time code) and are deleted


@dataclass(frozen=True)
class Unique:
    """Rows unique per owner and `key`. On a collision the row `prefer` ranks higher is kept (ties: the surviving
    owner's), `settle` may fold the other into it (the higher role, the earlier date), and when the dropped row's
    `answer` attributes said something else the collision is reported as a conflict."""

    key: tuple[str, ...]
    prefer: Callable[[Any], Any] | None = None
    settle: Callable[[Any, Any], None] | None = None
    answer: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conflict:
    """Two rows said different things; `kept` won (by the rule declared for the table) over `dropped`."""

    table: str
    key: dict[str, Any]
    kept: dict[str, Any]
    dropped: dict[str, Any]


@dataclass
class Moved:
    """What a merge did to one column: rows moved, rows dropped as duplicates, conflicts settled."""

    moved: int = 0
    dropped: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


async def move(
    db: AsyncSession,
    column: InstrumentedAttribute[Any],
    on_merge: OnMerge,
    unique: Unique | None,
    keep_id: int,
    gone_id: int,
) -> Moved:
    """Give `gone_id`'s rows in `column` to `keep_id`, as `on_merge` and `unique` say."""
    model = column.class_
    if on_merge is OnMerge.DROP:
        result = await db.execute(delete(model).where(column == gone_id))
        return Moved(dropped=_count(result))
    if on_merge is OnMerge.REPOINT or unique is None:
        result = await db.execute(update(model).where(column == gone_id).values({column.key: keep_id}))
        return Moved(moved=_count(result))
    return await _move_unique(db, column, unique, keep_id, gone_id)


async def _move_unique(
    db: AsyncSession, column: InstrumentedAttribute[Any], unique: Unique, keep_id: int, gone_id: int
) -> Moved:
    model = column.class_
    gone_rows = (await db.scalars(select(model).where(column == gone_id).order_by(model.id))).all()
    if not gone_rows:
        return Moved()
    kept = {_key(row, unique): row for row in (await db.scalars(select(model).where(column == keep_id))).all()}
    done = Moved()
    arriving = []
    for row in gone_rows:
        other = kept.get(_key(row, unique))
        if other is None:
            arriving.append(row)
            continue
        winner, loser = (row, other) if _ranks_higher(row, other, unique) else (other, row)
        if _conflicting(winner, loser, unique.answer):
            done.conflicts.append(
                Conflict(
                    model.__tablename__,
                    {k: getattr(row, k) for k in unique.key},
                    {a: getattr(winner, a) for a in unique.answer},
                    {a: getattr(loser, a) for a in unique.answer},
                )
            )
        if unique.settle is not None:
            unique.settle(winner, loser)
        await db.delete(loser)
        done.dropped += 1
        if winner is row:
            arriving.append(row)
    await db.flush()  # the duplicates go before their twins take the key
    for row in arriving:
        setattr(row, column.key, keep_id)
    done.moved = len(arriving)
    await db.flush()
    return done


def _conflicting(winner: Any, loser: Any, answer: tuple[str, ...]) -> bool:
    """The dropped row said something (not only blanks) that the kept one does not say."""
    said = [getattr(loser, a) for a in answer]
    return any(v not in (None, "", [], {}) for v in said) and said != [getattr(winner, a) for a in answer]


def _key(row: Any, unique: Unique) -> tuple[Any, ...]:
    return tuple(getattr(row, k) for k in unique.key)


def _ranks_higher(row: Any, other: Any, unique: Unique) -> bool:
    """Whether the moving row beats the staying one; ties stay with the staying owner."""
    if unique.prefer is None:
        return False
    return bool(unique.prefer(row) > unique.prefer(other))


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def replace_in_list(ids: Sequence[int], gone_id: int, keep_id: int | None) -> list[int]:
    """An id list (moderators, who welcomed) with `gone_id` replaced by `keep_id` (or removed), each id once."""
    out: list[int] = []
    for i in ids:
        new = keep_id if i == gone_id else i
        if new is not None and new not in out:
            out.append(new)
    return out


def payload_id(key: str) -> Any:
    """The id a pending delivery's payload holds under `key` ("member", "community"), as SQL."""
    return Delivery.payload[key].as_integer()


async def repoint_payloads(db: AsyncSession, key: str, gone_id: int, keep_id: int, now: datetime) -> int:
    """Pending deliveries naming `gone_id` under `key` name `keep_id` instead; one that then repeats a delivery
    already pending (same kind, same payload) is cancelled, so nobody is reminded twice. Returns how many moved."""
    pending = Delivery.status == DeliveryStatus.PENDING
    theirs = (await db.scalars(select(Delivery).where(pending, payload_id(key) == gone_id).order_by(Delivery.id))).all()
    if not theirs:
        return 0
    mine = (await db.scalars(select(Delivery).where(pending, payload_id(key) == keep_id))).all()
    have = {(d.kind, _frozen(d.payload)) for d in mine}
    moved = 0
    for delivery in theirs:
        payload = {**delivery.payload, key: keep_id}
        if (delivery.kind, _frozen(payload)) in have:
            delivery.status = DeliveryStatus.CANCELLED
            delivery.finished_at = now
            delivery.last_error = "merged: the same delivery was already due"
            continue
        delivery.payload = payload
        have.add((delivery.kind, _frozen(payload)))
        moved += 1
    return moved


def _frozen(payload: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, repr(v)) for k, v in payload.items()))

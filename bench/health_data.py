"""A synthetic community for the health benchmark, loaded in bulk: COPY on PostgreSQL, executemany on SQLite.

Members act in a 90-9-1 shape: 1 % of them make 30 % of the acts, 9 % make 40 %, 30 % the rest, and 60 % none at
all, over the community's two years. Rows are generated and written in chunks, so the loader's own memory stays flat."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import Base

CHUNK = 50_000
PLATFORM = "bench"
TOPICS = (
    "dashboards",
    "alerting",
    "data quality",
    "onboarding",
    "incident reviews",
    "forecasting",
    "sensors",
    "maintenance",
    "reporting",
    "capacity planning",
)
# How often each act occurs, roughly as in a community that runs all its routines.
KINDS = (
    ("replied", 28),
    ("rsvp", 10),
    ("attended", 8),
    ("offered", 7),
    ("asked", 5),
    ("thanked", 6),
    ("was_thanked", 6),
    ("welcomed", 5),
    ("library", 4),
    ("feedback", 4),
    ("checkin", 6),
    ("resolved", 2),
    ("story", 1),
    ("summarised", 1),
    ("moderated", 1),
    ("presented", 1),
    ("introduced", 2),
    ("campaign", 1),
    ("joined", 2),
)


def table(name: str) -> Table:
    return Base.metadata.tables[name]


async def bulk(conn: AsyncConnection, name: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Write rows in chunks; returns how many."""
    written = 0
    for chunk in _chunks(rows):
        if conn.dialect.name == "postgresql":
            raw = await conn.get_raw_connection()
            records = [tuple(json.dumps(v) if isinstance(v, dict | list) else v for v in row) for row in chunk]
            await raw.driver_connection.copy_records_to_table(name, records=records, columns=list(columns))  # type: ignore[union-attr]
        else:
            await conn.execute(table(name).insert(), [dict(zip(columns, row, strict=True)) for row in chunk])
        written += len(chunk)
    return written


def _chunks(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def without_checks(conn: AsyncConnection) -> None:
    """Load without per-row foreign-key triggers on PostgreSQL (the rows are consistent by construction)."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SET LOCAL session_replication_role = replica"))


async def fix_sequences(conn: AsyncConnection) -> None:
    """After COPY with explicit ids, PostgreSQL's sequences must move past them."""
    if conn.dialect.name != "postgresql":
        return
    for name in ("member", "identity", "membership", "introduction", "directory_entry", "contribution"):
        await conn.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), coalesce((SELECT max(id) FROM {name}), 1))")
        )


def group(member_id: int) -> str:
    """Which part of the 90-9-1 shape a member is in (fixed by their id, so growth keeps the shape)."""
    slot = member_id % 100
    return "core" if slot == 0 else "regular" if slot < 10 else "occasional" if slot < 40 else "silent"


def joined_at(member_id: int, now: datetime) -> datetime:
    """Over the community's two years, 3 % in the last month; a hash, not a seeded generator (that is slow)."""
    spread = (member_id * 2654435761) % 2**32 / 2**32
    if member_id % 33 == 0:
        return now - timedelta(days=30 * spread)  # newcomers
    return now - timedelta(days=30 + 700 * spread)


async def load_members(conn: AsyncConnection, community_id: int, first: int, last: int, now: datetime) -> None:
    """Members first..last (ids), with a bench identity, a membership, and for 40 % an introduction with a
    directory entry (what they know, what they hope to learn)."""
    ids = range(first, last + 1)
    await bulk(
        conn,
        "member",
        ("id", "display_name", "timezone", "profile", "created_at"),
        ((i, f"Member {i}", None, {}, joined_at(i, now)) for i in ids),
    )
    await bulk(
        conn,
        "identity",
        ("id", "member_id", "platform", "tenant", "user_id"),
        ((i, i, PLATFORM, "", f"u{i}") for i in ids),
    )
    await bulk(
        conn,
        "membership",
        ("id", "community_id", "member_id", "role", "joined_at"),
        ((i, community_id, i, 1, joined_at(i, now)) for i in ids),
    )
    introduced = [i for i in ids if i % 5 < 2]
    await bulk(
        conn,
        "introduction",
        ("id", "community_id", "member_id", "status", "cards", "welcomed_by", "created_at", "introduced_at"),
        (
            (
                i,
                community_id,
                i,
                "done" if i % 5 < 2 else "pending",
                [],
                [],
                joined_at(i, now),
                joined_at(i, now) if i % 5 < 2 else None,
            )
            for i in ids
        ),
    )
    await bulk(
        conn,
        "directory_entry",
        ("id", "community_id", "member_id", "expertise", "offer", "learn", "updated_at"),
        (
            (i, community_id, i, f"{TOPICS[i % 10]}, {TOPICS[(i // 10) % 10]}", "", TOPICS[(i * 7) % 10], now)
            for i in introduced
        ),
    )


def contributions(
    community_id: int, members: Sequence[int], count: int, now: datetime, seed: int
) -> Iterator[tuple[Any, ...]]:
    """`count` acts by members in the 90-9-1 shape, each between their joining and `now` (the community is two
    years old, so recent months are the busiest: more members are in it)."""
    rng = random.Random(seed)
    by_group: dict[str, list[int]] = {"core": [], "regular": [], "occasional": []}
    for member_id in members:
        if (name := group(member_id)) in by_group:
            by_group[name].append(member_id)
    joined = {m: joined_at(m, now) for m in members}
    kinds = [k for k, _w in KINDS]
    weights = list(itertools.accumulate(w for _k, w in KINDS))
    for _ in range(count):
        pick = rng.random()
        name = "core" if pick < 0.3 else "regular" if pick < 0.7 else "occasional"
        member_id = rng.choice(by_group[name])
        since = joined[member_id]
        at = since + (now - since) * rng.random()
        yield (community_id, member_id, rng.choices(kinds, cum_weights=weights)[0], at, rng.randint(1, 5000))


async def load_contributions(
    conn: AsyncConnection, community_id: int, members: Sequence[int], count: int, now: datetime, seed: int
) -> int:
    return await bulk(
        conn,
        "contribution",
        ("community_id", "member_id", "kind", "at", "subject_id"),
        contributions(community_id, members, count, now, seed),
    )


async def load_routines(conn: AsyncConnection, community_id: int, asker: int, now: datetime, seed: int) -> None:
    """What the invitations point to and the other sections count: open requests, upcoming webinars and
    discussions, past sessions with RSVPs, replies, recognition, library items, stories."""
    rng = random.Random(seed)
    await bulk(
        conn,
        "assist_request",
        ("community_id", "asker_id", "question", "context", "topics", "status", "cards", "created_at"),
        (
            (
                community_id,
                asker,
                f"How do you handle {t} in a control room?",
                "",
                [t],
                "open",
                [],
                now - timedelta(days=rng.uniform(0, 25)),
            )
            for t in TOPICS
            for _ in range(5)
        ),
    )
    await bulk(
        conn,
        "webinar",
        (
            "community_id",
            "title",
            "presenters",
            "description",
            "starts_at",
            "timezone",
            "minutes",
            "join_url",
            "status",
            "cards",
            "repeat",
            "sessions_left",
            "presenter_ids",
            "created_at",
        ),
        (
            (
                community_id,
                f"Webinar on {t}",
                "",
                f"All about {t}",
                now + timedelta(days=d),
                "UTC",
                60,
                "https://x.example/w",
                "scheduled",
                [],
                "once",
                0,
                [],
                now,
            )
            for d, t in (
                (-80, TOPICS[0]),
                (-40, TOPICS[1]),
                (-10, TOPICS[2]),
                (5, TOPICS[3]),
                (12, TOPICS[4]),
                (20, TOPICS[6]),
            )
        ),
    )
    await bulk(
        conn,
        "discussion",
        (
            "community_id",
            "topic",
            "question",
            "context",
            "opens_at",
            "closes_at",
            "timezone",
            "status",
            "moderator_ids",
            "created_at",
        ),
        (
            (
                community_id,
                t,
                f"What works for {t}?",
                "",
                now + timedelta(days=d),
                now + timedelta(days=d + 5),
                "UTC",
                status,
                [asker],
                now,
            )
            for d, t, status in (
                (-70, TOPICS[5], "summarised"),
                (-30, TOPICS[7], "summarised"),
                (-3, TOPICS[8], "open"),
                (9, TOPICS[9], "scheduled"),
            )
        ),
    )

"""How the community digest scales: composing one issue and queueing every copy of it (home channel, a DM per chat
subscriber in their zone, an email per confirmed address), for a community of 20,000 members with 5,000 subscribers
— measured at 10 % of that size and at all of it, through the real routine, on SQLite (and PostgreSQL with
--postgres URL).

    python -m bench.digest [--members N --subscribers N --rows N] [--postgres URL]

Targets: composed in under 5 s, queued in under 10 s (sending is paced by the platforms and the SMTP server, so it is
not measured: the platforms here only count). Prints figures; not a test (timing on a busy machine flakes)."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text, update
from sqlalchemy.engine import make_url

from bench import health_data as data
from bench.health import COORDINATOR, FIRST_MEMBER, PLACE, analyse
from bot import plaintext
from bot.clock import ManualClock
from bot.context import DeliveryContext
from bot.events import Actor, CommandInvoked, Place
from bot.forms import Form
from bot.messages import Outgoing
from bot.platform import Capability, Sent
from bot.runtime import Runtime
from bot.settings import Settings
from flows import all_routines, digest, digest_compose
from storage import communities, digests
from storage.db import create_engine
from storage.models import Member, OutboundMessage

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
ZONES = ("Africa/Nairobi", "America/Sao_Paulo", "Europe/Lisbon", "Asia/Manila", None)
EMAIL_SHARE = 5  # one subscriber in five also reads it by email


@dataclass
class CountingAdapter:
    """A platform that takes every message at once and only counts it: what is measured is our own work."""

    platform: str = data.PLATFORM
    capabilities: frozenset[Capability] = frozenset({Capability.BUTTONS, Capability.EPHEMERAL})
    sent: int = 0

    async def send(self, place: Place, outgoing: Outgoing) -> Sent:
        self.sent += 1
        return Sent(f"m{self.sent}", place.channel)

    def pacing(self, place: Place, outgoing: Outgoing) -> float:
        return 0.0

    async def open_form(self, actor: Actor, form: Form, trigger: str | None) -> bool:
        return False


@dataclass
class Stage:
    members: int
    subscribers: int
    compose: float
    queue: float
    queued: int
    chars: int


async def run(url: str, members: int, subscribers: int, rows: int) -> list[Stage]:
    runtime = await Runtime.open(
        Settings(database_url=url, secret_key="bench", public_url="https://cop.example.org"),
        all_routines(),
        clock=ManualClock(NOW),
        extra_coordinators=(f"{data.PLATFORM}:coord",),
    )
    runtime.add_adapter(CountingAdapter())
    runtime.add_adapter(CountingAdapter(platform="email"))
    sessions = runtime.services.sessions
    stages = []
    try:
        # The coordinator's first contact makes them one (and the community theirs).
        await runtime.handle(CommandInvoked(actor=COORDINATOR, place=PLACE, name="community", event_id="bench-1"))
        async with sessions() as db:
            community = await communities.by_slug(db, "practice")
            assert community is not None
            await communities.add_channel(db, community, data.PLATFORM, "", "general")
            await db.commit()
            community_id = community.id
        loaded_members = loaded_rows = loaded_subscribers = 0
        for share in (0.1, 1.0):
            target_members, target_rows = int(members * share), int(rows * share)
            target_subscribers = int(subscribers * share)
            async with runtime.engine.begin() as conn:
                await data.without_checks(conn)
                first, last = FIRST_MEMBER + loaded_members + 1, FIRST_MEMBER + target_members
                await data.load_members(conn, community_id, first, last, NOW)
                everyone = range(FIRST_MEMBER + 1, last + 1)
                await data.load_contributions(conn, community_id, everyone, target_rows - loaded_rows, NOW, seed=last)
                if not loaded_members:
                    await data.load_routines(conn, community_id, FIRST_MEMBER + 1, NOW, seed=1)
                readers = range(FIRST_MEMBER + loaded_subscribers + 1, FIRST_MEMBER + target_subscribers + 1)
                await data.bulk(
                    conn,
                    "digest_subscription",
                    ("community_id", "member_id", "chat", "email", "email_failures", "code_attempts", "updated_at"),
                    (
                        (community_id, m, True, f"m{m}@example.org" if m % EMAIL_SHARE == 0 else None, 0, 0, NOW)
                        for m in readers
                    ),
                )
                for n, zone in enumerate(ZONES):
                    await conn.execute(
                        update(Member)
                        .where(Member.id > FIRST_MEMBER, Member.id % len(ZONES) == n)
                        .values(timezone=zone)
                    )
                await data.fix_sequences(conn)
            await analyse(url)
            loaded_members, loaded_rows, loaded_subscribers = target_members, target_rows, target_subscribers
            async with sessions() as db:  # each stage is a first issue: what the last one carried is forgotten
                await db.execute(text("DELETE FROM digest_item"))
                await db.execute(text("DELETE FROM digest_issue"))
                await db.execute(text("DELETE FROM outbound"))
                await db.commit()
            async with sessions() as db:
                community = await communities.by_id(db, community_id)
                assert community is not None
                plan = await digests.plan_of(db, community_id, NOW)
                started = time.perf_counter()
                composed = await digest_compose.compose(db, community, NOW, "A note from the bench")
                _shown, message = digest.channel_copy(composed, community)
                compose = time.perf_counter() - started
                chars = len(plaintext.render(message))
                ctx = DeliveryContext(
                    services=runtime.services, db=db, community=community, kind=digest.ISSUE, key="bench"
                )
                started = time.perf_counter()
                await digest.send(ctx, community, plan, composed)
                await db.commit()
                queue = time.perf_counter() - started
                queued = await db.scalar(select(func.count()).select_from(OutboundMessage))
            stages.append(Stage(target_members, target_subscribers, compose, queue, int(queued or 0), chars))
    finally:
        await runtime.close()
    return stages


def report(name: str, stages: list[Stage]) -> None:
    print(f"\n{name}")
    print(f"  {'members':>8} {'subscr.':>8} {'compose s':>10} {'queue s':>8} {'queued':>7} {'chars':>6}")
    for s in stages:
        print(f"  {s.members:>8} {s.subscribers:>8} {s.compose:>10.2f} {s.queue:>8.2f} {s.queued:>7} {s.chars:>6}")
    small, full = stages[0], stages[-1]
    print(
        f"  10x the community: compose x{full.compose / max(small.compose, 1e-6):.1f}, "
        f"queue x{full.queue / max(small.queue, 1e-6):.1f}"
    )
    ok = full.compose < 5 and full.queue < 10 and full.chars < 3000
    print(f"  targets (compose < 5 s, queue < 10 s, under 3,000 characters): {'met' if ok else 'NOT met'}")


async def _postgres(url: str, members: int, subscribers: int, rows: int) -> list[Stage]:
    server = make_url(url)
    name = f"bench_digest_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        return await run(server.set(database=name).render_as_string(hide_password=False), members, subscribers, rows)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--subscribers", type=int, default=5_000)
    parser.add_argument("--rows", type=int, default=400_000, help="participation ledger rows")
    parser.add_argument("--postgres", help="a PostgreSQL server URL (postgresql+asyncpg://...) to run on as well")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        report("SQLite", asyncio.run(run(url, args.members, args.subscribers, args.rows)))
    if args.postgres:
        report("PostgreSQL", asyncio.run(_postgres(args.postgres, args.members, args.subscribers, args.rows)))


if __name__ == "__main__":
    main()

"""How community health scales: `/cop health` for 90 days, `/cop health champions` and the invitation run for every
silent member, on 50,000 members with 2,000,000 ledger rows on PostgreSQL and 5,000 / 200,000 on SQLite — measured
at 10 % of that size and at all of it, through the real dispatcher, routines and outbox.

    python -m bench.health [--postgres URL] [--no-postgres] [--no-sqlite] [--members N --rows N]

PostgreSQL: the server at --postgres (else CULTIVATE_BENCH_POSTGRES_URL, else postgresql://postgres@127.0.0.1:5432/test);
the bench creates a database of its own there and drops it afterwards. Targets: /cop health under 2 s, the
invitation run under 60 s of our own time (sending is paced by the platform: here sends are only counted), memory
under 300 MB. Prints figures; not a test (timing on a busy machine flakes)."""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import make_url

from bench import health_data as data
from bot.clock import ManualClock
from bot.events import Actor, CommandInvoked, Place
from bot.forms import Form
from bot.messages import Outgoing
from bot.platform import Capability
from bot.runtime import Runtime
from bot.settings import Settings
from flows import all_routines
from flows.invitations import SWEEP
from flows.levels import COUNTED
from storage import communities, deliveries, invitations
from storage.db import create_engine
from storage.models import Contribution, Delivery, Invitation

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)  # 09:00 in the community's zone (UTC): the members' morning
FIRST_MEMBER = 1000  # bench members' ids start above the few the runtime makes
COORDINATOR = Actor(data.PLATFORM, "", "coord", "Coordinator")
PLACE = Place(data.PLATFORM, "", "general")


@dataclass
class CountingAdapter:
    """A platform that takes every message at once and only counts them: what is measured is our own work."""

    platform: str = data.PLATFORM
    capabilities: frozenset[Capability] = frozenset({Capability.BUTTONS, Capability.EPHEMERAL})
    sent: int = 0
    last: list[str] = field(default_factory=list)

    async def send(self, place: Place, outgoing: Outgoing) -> str | None:
        self.sent += 1
        if not place.direct:
            self.last = [outgoing.message.text, *(s.text for s in outgoing.message.sections)]
        return f"m{self.sent}"

    async def direct_place(self, user_id: str, tenant: str) -> Place:
        return Place(self.platform, tenant, f"D-{user_id}", direct=True)

    async def open_form(self, actor: Actor, form: Form, trigger: str | None) -> bool:
        return False


@dataclass
class Stage:
    members: int
    rows: int
    load: float
    health: list[float]
    champions: float
    silent: int
    invited: int
    sweep: float
    rss: float
    peak: float
    answer: list[str]


def memory() -> tuple[float, float]:
    """(resident now, peak resident) in MiB, from the kernel."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _sep, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found.get("VmRSS", 0.0), found.get("VmHWM", 0.0)


async def timed_command(runtime: Runtime, name: str, words: str = "") -> float:
    started = time.perf_counter()
    await runtime.dispatcher.handle(CommandInvoked(actor=COORDINATOR, place=PLACE, name=name, text=words))
    return time.perf_counter() - started


async def run(url: str, members: int, rows: int) -> list[Stage]:
    clock = ManualClock(NOW)
    runtime = await Runtime.open(
        Settings(database_url=url), all_routines(), clock=clock, extra_coordinators=(f"{data.PLATFORM}:coord",)
    )
    adapter = CountingAdapter()
    runtime.add_adapter(adapter)
    sessions = runtime.services.sessions
    quiet_days = runtime.services.settings.invite_after_silent_days
    stages = []
    try:
        await timed_command(runtime, "community")  # the coordinator's first contact makes them one
        async with sessions() as db:
            community = await communities.by_slug(db, "practice")
            assert community is not None
            community_id = community.id
        loaded_members = loaded_rows = 0
        for share in (0.1, 1.0):
            target_members, target_rows = int(members * share), int(rows * share)
            started = time.perf_counter()
            async with runtime.engine.begin() as conn:
                await data.without_checks(conn)
                first, last = FIRST_MEMBER + loaded_members + 1, FIRST_MEMBER + target_members
                await data.load_members(conn, community_id, first, last, NOW)
                everyone = range(FIRST_MEMBER + 1, last + 1)
                await data.load_contributions(conn, community_id, everyone, target_rows - loaded_rows, NOW, seed=last)
                if not loaded_members:
                    await data.load_routines(conn, community_id, FIRST_MEMBER + 1, NOW, seed=1)
                await data.fix_sequences(conn)
            await analyse(url)
            load = time.perf_counter() - started
            loaded_members, loaded_rows = target_members, target_rows
            async with sessions() as db:  # each stage invites afresh
                await db.execute(delete(Invitation))
                await db.execute(delete(Delivery).where(Delivery.kind == SWEEP))
                await db.commit()
                counted = await db.scalar(select(func.count()).select_from(Contribution))
                silent = len(
                    await invitations.candidates(
                        db,
                        community_id,
                        silent_since=NOW - _days(quiet_days),
                        joined_before=NOW - _days(quiet_days),
                        invited_before=NOW - _days(30),
                        counted=COUNTED,
                    )
                )
            health = [await timed_command(runtime, "health") for _ in range(3)]
            answer = adapter.last
            champions = await timed_command(runtime, "health", "champions")
            async with sessions() as db:
                await deliveries.schedule(
                    db,
                    kind=SWEEP,
                    key=f"bench:{share}",
                    due_at=NOW,
                    now=NOW,
                    payload={"community": community_id},
                    community_id=community_id,
                )
                await db.commit()
            before = adapter.sent
            started = time.perf_counter()
            await runtime.outbox.run_due()
            sweep = time.perf_counter() - started
            rss, peak = memory()
            assert counted is not None and counted >= target_rows
            stages.append(
                Stage(
                    target_members,
                    counted,
                    load,
                    health,
                    champions,
                    silent,
                    adapter.sent - before,
                    sweep,
                    rss,
                    peak,
                    answer,
                )
            )
    finally:
        await runtime.close()
    return stages


def _days(n: int) -> timedelta:
    return timedelta(days=n)


async def analyse(url: str) -> None:
    """Fresh planner statistics (and on PostgreSQL a visibility map, so index-only scans stay index-only)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT") if url.startswith("postgresql") else create_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("VACUUM ANALYZE" if url.startswith("postgresql") else "ANALYZE"))
            await conn.commit()
    finally:
        await engine.dispose()


def report(title: str, stages: list[Stage]) -> None:
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"\n{title} — machine load average {load} on {os.cpu_count()} cores")
    print(
        f"{'size':>6} {'members':>8} {'ledger rows':>12} {'load s':>7} {'/cop health 90d s (first, best)':>32} "
        f"{'champions s':>12} {'silent':>7} {'invited':>8} {'invitation run s':>17} {'per s':>7} "
        f"{'RSS MiB':>8} {'peak MiB':>9}"
    )
    for share, s in zip(("10 %", "100 %"), stages, strict=False):
        print(
            f"{share:>6} {s.members:>8,} {s.rows:>12,} {s.load:>7.1f} {s.health[0]:>20.3f}, {min(s.health):>9.3f} "
            f"{s.champions:>12.3f} {s.silent:>7,} {s.invited:>8,} {s.sweep:>17.2f} {s.invited / s.sweep:>7.0f} "
            f"{s.rss:>8.0f} {s.peak:>9.0f}"
        )
    if len(stages) == 2:
        small, full = stages
        print(
            f"growth ×{full.members / small.members:.0f} members, ×{full.rows / small.rows:.1f} rows: "
            f"/cop health ×{min(full.health) / min(small.health):.1f}, "
            f"champions ×{full.champions / small.champions:.1f}, invitation run ×{full.sweep / small.sweep:.1f} "
            f"for ×{full.invited / max(small.invited, 1):.1f} invitations"
        )
        verdict = [
            ("/cop health under 2 s", max(full.health) < 2),
            ("invitation run under 60 s", full.sweep < 60),
            ("memory under 300 MB", full.peak < 300),
        ]
        print("/cop health, three runs at full size: " + ", ".join(f"{t:.3f} s" for t in full.health))
        print("targets: " + "; ".join(f"{what}: {'yes' if ok else 'NO'}" for what, ok in verdict))
        print(
            "the answer, as a coordinator reads it:\n    "
            + "\n    ".join(line for part in full.answer for line in part.splitlines())
        )


async def postgres(admin_url: str, members: int, rows: int) -> None:
    admin = make_url(admin_url).set(drivername="postgresql+asyncpg")
    name = f"cultivate_bench_health_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.set(database=name).render_as_string(hide_password=False)
    try:
        report(f"PostgreSQL ({admin.set(database=name).render_as_string()})", await run(url, members, rows))
    finally:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await engine.dispose()


async def sqlite(members: int, rows: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report("SQLite (a file, WAL)", await run(f"sqlite+aiosqlite:///{tmp}/bench.db", members, rows))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("CULTIVATE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--members", type=int, help="members at full size (default 50,000 on PostgreSQL, 5,000 on SQLite)"
    )
    parser.add_argument("--rows", type=int, help="ledger rows at full size (default 2,000,000 / 200,000)")
    args = parser.parse_args()
    if not args.no_sqlite:
        asyncio.run(sqlite(args.members or 5_000, args.rows or 200_000))
    if not args.no_postgres:
        asyncio.run(postgres(args.postgres, args.members or 50_000, args.rows or 2_000_000))

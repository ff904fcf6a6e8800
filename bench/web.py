"""The web pages at scale: the coordinator's overview and the library search, rendered by the real `serve`
application over HTTP, with 50,000 members and 2,000,000 ledger rows on PostgreSQL (a smaller SQLite run on request).

    python -m bench.web [--postgres URL] [--sqlite] [--members N --rows N --items N] [--requests N]

Each page is read first by one reader (the baseline), then by 10 readers at once; prints p50/p95 per page, how much
slower under concurrency, and page sizes (as sent, gzip, and unpacked). Targets: overview under 500 ms p95 and
library search under 200 ms p95 at 10 concurrent readers; every page under 150 KB as sent. Prints figures; not a
test (timing on a busy machine flakes)."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import ClientSession, CookieJar
from aiohttp.test_utils import TestServer
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from bench import health_data as data
from bench.health import COORDINATOR, FIRST_MEMBER, NOW, PLACE, analyse
from bench.search_scale import corpus, sentence
from bot.clock import ManualClock
from bot.events import Actor, CommandInvoked, Place
from bot.forms import Form
from bot.messages import Outgoing
from bot.platform import Capability, Sent
from bot.runtime import Runtime
from bot.server import build_app
from bot.settings import Settings
from flows import all_routines
from storage import communities, members, web_sessions
from storage.db import create_engine
from storage.models import Contribution, KnowledgeItem
from web.routine import routine as web_routine
from web.viewer import COOKIE

READERS = 10
QUERIES = ("dashboards alerting", "data quality", "sensor maintenance", "forecasting", "incident reviews")


@dataclass
class QuietPlatform:
    """A platform that takes every message at once: the bench measures pages, not sending."""

    platform: str = data.PLATFORM
    capabilities: frozenset[Capability] = frozenset({Capability.EPHEMERAL})

    async def send(self, place: Place, outgoing: Outgoing) -> Sent:
        return Sent("m", place.channel)

    def pacing(self, place: Place, outgoing: Outgoing) -> float:
        return 0.0

    async def direct_place(self, user_id: str, tenant: str) -> Place:
        return Place(self.platform, tenant, f"D-{user_id}", direct=True)

    async def open_form(self, actor: Actor, form: Form, trigger: str | None) -> bool:
        return False


@dataclass
class Timing:
    page: str
    cold: list[float]  # ms, one reader, figures not kept yet (a period nobody asked for in the last minute)
    alone: list[float]  # ms, one reader
    together: list[float]  # ms, READERS at once
    raw: int  # bytes unpacked
    sent: int  # bytes as sent (gzip)

    @staticmethod
    def p(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def load(runtime: Runtime, members_n: int, rows: int, items: int) -> tuple[int, str]:
    """The community, its members, ledger and library; returns (community id, the coordinator's session token)."""
    await runtime.handle(CommandInvoked(actor=COORDINATOR, place=PLACE, name="community", text=""))
    sessions = runtime.services.sessions
    async with sessions() as db:
        community = await communities.by_slug(db, "practice")
        assert community is not None
        community_id = community.id
    started = time.perf_counter()
    async with runtime.engine.begin() as conn:
        await data.without_checks(conn)
        last = FIRST_MEMBER + members_n
        await data.load_members(conn, community_id, FIRST_MEMBER + 1, last, NOW)
        await data.load_contributions(conn, community_id, range(FIRST_MEMBER + 1, last + 1), rows, NOW, seed=last)
        await data.load_routines(conn, community_id, FIRST_MEMBER + 1, NOW, seed=1)
        await data.fix_sequences(conn)
    rnd = random.Random(7)
    words = corpus(rnd)
    for start in range(0, items, 2_000):  # through INSERT, so the search triggers run as for any write
        async with sessions() as db:
            await db.execute(
                insert(KnowledgeItem).values(
                    [
                        {
                            "community_id": community_id,
                            "kind": "lesson",
                            "title": sentence(rnd, words, 2, 5).capitalize()[:300],
                            "body": sentence(rnd, words, 40, 120),
                            "tags": words.draw(rnd, rnd.randint(1, 3)),
                            "source": "bench",
                            "created_at": NOW - timedelta(days=rnd.uniform(0, 700)),
                        }
                        for _ in range(min(2_000, items - start))
                    ]
                )
            )
            await db.commit()
    print(f"loaded in {time.perf_counter() - started:.0f} s", flush=True)
    async with sessions() as db:
        counted = await db.scalar(select(func.count()).select_from(Contribution))
        coordinator = await members.by_identity(db, COORDINATOR.platform, COORDINATOR.tenant, COORDINATOR.user_id)
        assert coordinator is not None
        token = await web_sessions.open_session(db, coordinator.id, NOW, timedelta(days=1))
        await db.commit()
    print(f"{members_n:,} members, {counted:,} ledger rows, {items:,} library items", flush=True)
    return community_id, token


async def measure(client: ClientSession, page: str, paths: list[str], requests: int) -> Timing:
    async def read(path: str) -> tuple[float, int, int]:
        began = time.perf_counter()
        async with client.get(path, headers={"Accept-Encoding": "gzip"}) as answer:
            body = await answer.read()
            assert answer.status == 200, (path, answer.status)
        return (time.perf_counter() - began) * 1000, len(body), 0

    await read(paths[0])  # warm the connection pool and the templates
    cold = []
    if page.endswith("(coordinator)"):  # figures are kept a minute per period: a new period is computed afresh
        cold = [(await read(f"{paths[0]}?period={91 + i}d"))[0] for i in range(max(2, requests // 4))]
    alone = [(await read(paths[i % len(paths)]))[0] for i in range(requests)]

    async def reader(n: int) -> list[float]:
        return [(await read(paths[(n + i) % len(paths)]))[0] for i in range(requests)]

    together = [t for times in await asyncio.gather(*(reader(n) for n in range(READERS))) for t in times]
    _ms, raw, _sent = await read(paths[0])
    return Timing(page, cold, alone, together, raw, 0)


async def sent_size(client: ClientSession, path: str) -> int:
    """Bytes on the wire with gzip: read without letting aiohttp unpack them."""
    async with client.get(path, headers={"Accept-Encoding": "gzip"}, auto_decompress=False) as answer:
        return len(await answer.read())


async def run(url: str, members_n: int, rows: int, items: int, requests: int) -> None:
    settings = Settings(database_url=url, secret_key="bench-" + uuid.uuid4().hex)
    runtime = await Runtime.open(
        settings, [*all_routines(), web_routine], clock=ManualClock(NOW), extra_coordinators=("bench:coord",)
    )
    runtime.add_adapter(QuietPlatform())
    server = TestServer(build_app(runtime), host="127.0.0.1")
    try:
        _community, token = await load(runtime, members_n, rows, items)
        await analyse(url)
        await server.start_server()
        jar = CookieJar(unsafe=True)
        base = str(server.make_url(""))
        jar.update_cookies({COOKIE: token}, server.make_url("/c/"))
        async with ClientSession(base_url=base, cookie_jar=jar, auto_decompress=True) as client:
            pages = {
                "overview (coordinator)": ["/c/practice/"],
                "library search": [f"/c/practice/library?q={q.replace(' ', '+')}" for q in QUERIES],
                "library item": ["/c/practice/library/1"],
                "health (coordinator)": ["/c/practice/health"],
                "calendar": ["/c/practice/calendar"],
                "directory search": ["/c/practice/directory?q=dashboards"],
            }
            timings = []
            for name, paths in pages.items():
                few = requests if name in ("overview (coordinator)", "library search") else max(2, requests // 5)
                timing = await measure(client, name, paths, few)
                timing.sent = await sent_size(client, paths[0])
                timings.append(timing)
                print(f"  measured {name}", flush=True)
        report(timings)
    finally:
        await server.close()
        await runtime.close()


def report(timings: list[Timing]) -> None:
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"\nmachine load average {load} on {os.cpu_count()} cores; {READERS} concurrent readers")
    print(
        f"{'page':<24} {'cold p50 ms':>11} {'alone p50 ms':>12} {'alone p95':>10} {'10 readers p50':>15} "
        f"{'p95':>8} {'×p95':>6} {'sent KB':>8} {'unpacked KB':>12}"
    )
    for t in timings:
        a95, c95 = Timing.p(t.alone, 0.95), Timing.p(t.together, 0.95)
        print(
            f"{t.page:<24} {statistics.median(t.cold) if t.cold else float('nan'):>11.0f} "
            f"{statistics.median(t.alone):>12.0f} {a95:>10.0f} {statistics.median(t.together):>15.0f} "
            f"{c95:>8.0f} {c95 / a95:>6.1f} {t.sent / 1024:>8.1f} {t.raw / 1024:>12.1f}"
        )
    by = {t.page: t for t in timings}
    verdict = [
        ("overview p95 < 500 ms at 10 readers", Timing.p(by["overview (coordinator)"].together, 0.95) < 500),
        ("library search p95 < 200 ms at 10 readers", Timing.p(by["library search"].together, 0.95) < 200),
        ("every page < 150 KB as sent", all(t.sent < 150 * 1024 for t in timings)),
    ]
    print("targets: " + "; ".join(f"{what}: {'yes' if ok else 'NO'}" for what, ok in verdict))


async def postgres(admin_url: str, members_n: int, rows: int, items: int, requests: int) -> None:
    admin = make_url(admin_url).set(drivername="postgresql+asyncpg")
    name = f"cultivate_bench_web_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    print(f"PostgreSQL ({admin.set(database=name).render_as_string()})", flush=True)
    try:
        await run(admin.set(database=name).render_as_string(hide_password=False), members_n, rows, items, requests)
    finally:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await engine.dispose()


async def sqlite(members_n: int, rows: int, items: int, requests: int) -> None:
    print("SQLite (a file, WAL)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        await run(f"sqlite+aiosqlite:///{tmp}/bench.db", members_n, rows, items, requests)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres",
        default=os.environ.get("CULTIVATE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument("--sqlite", action="store_true", help="a SQLite run instead (default 5,000 / 200,000)")
    parser.add_argument("--members", type=int, help="members (default 50,000 on PostgreSQL, 5,000 on SQLite)")
    parser.add_argument("--rows", type=int, help="ledger rows (default 2,000,000 / 200,000)")
    parser.add_argument("--items", type=int, default=20_000, help="library items (default 20,000)")
    parser.add_argument("--requests", type=int, default=20, help="requests per reader for the two targeted pages")
    args = parser.parse_args()
    if args.sqlite:
        asyncio.run(sqlite(args.members or 5_000, args.rows or 200_000, args.items, args.requests))
    else:
        asyncio.run(postgres(args.postgres, args.members or 50_000, args.rows or 2_000_000, args.items, args.requests))

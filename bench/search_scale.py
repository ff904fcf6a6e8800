"""Directory and library search at scale: 50,000 members with introductions and 50,000 library items, searched
with and without typos, on SQLite and on PostgreSQL, against baselines measured in the same run.

    python -m bench.search_scale [--members 50000] [--items 50000] [--queries 100] [--runs 3]
                                 [--postgres postgresql://postgres@127.0.0.1:5432/test | --sqlite-only]

PostgreSQL comes from --postgres, else CULTIVATE_BENCH_DATABASE_URL or CULTIVATE_TEST_DATABASE_URL; a throwaway
database is made beside it (as the tests do) and dropped afterwards. The data is generated deterministically:
introductions and items drawn from a Zipf-Mandelbrot distributed vocabulary of community topics and a long tail
of rarer words. After loading, the planner's statistics are refreshed (storage.db.optimize), as autovacuum would
do within a minute or so of a bulk import.

What is timed is the search call a routine makes (`directory.search`, `knowledge.search`: spelling correction and
the ranked full-text query), each in its own session. Baselines, same data, same run:
  plain    the same ranked query for the words as typed, with no correction at all (the floor);
  whole    correction as it was before migration 0015: difflib over the index's whole vocabulary (read here from
           search_term, which is cheaper than the ts_stat / fts5vocab scan it replaced, so a flattering baseline).
It also reports how often the new correction gives exactly the terms the whole-vocabulary correction gives.
Prints figures; not a test (timing on a busy machine flakes)."""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import communities, directory, knowledge, migrate, spelling
from storage.db import create_engine, optimize, session_factory
from storage.models import DirectoryEntry, KnowledgeItem, Member
from storage.text_search import expand, words

TARGET_MS = 50.0
SLOWEST: dict[str, tuple[float, str]] = {}  # across runs: (ms, query), for the report
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# English-like syllables for the long tail, so that its letter pairs are as varied as real words'.
# For _tail(): onsets, vowels, codas and endings ("_" for none).
ONSETS = "b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr qu r s sc sh sk sl sm sn sp st str sw t th tr v w"
VOWELS = "a e i o u a e i o ai ea ee ie oa oo ou y"
CODAS = "_ _ _ _ b ck d ft g k l ld lt m mp n nd ng nk nt p r rd rk rm rn rt s sh sk sp ss st t th x"
ENDINGS = "_ _ _ _ _ _ s ing er ers ed tion ly ment ness able ic al ist"
SEED = 23
# Zipf-Mandelbrot: the commonest topic word is in about one item in seven and one member's profile in twenty-five,
# as a community's main topic would be (plain Zipf would put it in every item).
ZIPF_OFFSET = 30

TOPICS = """monitoring dashboards alerting incidents grafana prometheus kubernetes telemetry logging tracing
observability capacity planning forecasting reliability availability latency throughput outages postmortems
runbooks escalation rotations paging thresholds anomalies baselines sensors scada substations pipelines irrigation
pumps reservoirs metering billing leakage pressure valves hydrants maintenance inspections drones satellites
mapping surveys census sampling statistics dashboards visualisation reporting indicators targets evaluation
facilitation moderation webinars workshops mentoring coaching onboarding training curriculum lessons stories
procurement contracts budgets grants partnerships fundraising advocacy policy regulation compliance audits
privacy security encryption identity access backups recovery continuity resilience climate flooding drought
emergencies logistics warehouses vehicles routing scheduling rosters clinics vaccines nutrition sanitation hygiene
schools teachers literacy numeracy translation interpretation accessibility inclusion gender youth volunteers
python spreadsheets databases queries automation scripting forms surveys interviews research analysis modelling
machine learning classification clustering regression imagery geospatial cartography gis openstreetmap kobo odk
dhis2 powerbi tableau excel sql postgres sqlite linux networks radios solar batteries generators connectivity"""

EVERYDAY = """the a of and to in for with on at by from about how we our team teams people community members use used
using work working worked share sharing shared new first last next each every many more most better best good
simple small large local national regional field office staff country countries project projects programme
programmes guide guides notes note example examples practice practices approach approaches tool tools method
methods data quality review reviews check checks plan plans step steps week weeks month months year years time
help helps support supporting make making keep keeping find finding build building set setting run running"""
FILLER = EVERYDAY.split()


def _tail(rnd: random.Random, count: int) -> list[str]:
    """Rarer words: names of places, products and jargon, made of syllables so they spell like words."""
    onsets, vowels, codas, endings = ONSETS.split(), VOWELS.split(), CODAS.split(), ENDINGS.split()
    made: set[str] = set()
    while len(made) < count:
        parts = [rnd.choice(onsets) + rnd.choice(vowels) + rnd.choice(codas) for _ in range(rnd.choice((1, 2, 2, 3)))]
        word = ("".join(parts) + rnd.choice(endings)).replace("_", "")
        if 4 <= len(word) <= 14:
            made.add(word)
    ranked = sorted(made)
    rnd.shuffle(ranked)  # how common a word is has nothing to do with its spelling
    return ranked


@dataclass(frozen=True)
class Corpus:
    topics: list[str]
    vocabulary: list[str]  # topics first, then the tail: Zipf rank order
    weights: list[float]  # cumulative

    def draw(self, rnd: random.Random, k: int) -> list[str]:
        return rnd.choices(self.vocabulary, cum_weights=self.weights, k=k)


def corpus(rnd: random.Random) -> Corpus:
    topics = list(dict.fromkeys(TOPICS.split()))
    vocabulary = topics + _tail(rnd, 30_000)
    weights, total = [], 0.0
    for rank in range(1, len(vocabulary) + 1):
        total += 1.0 / (rank + ZIPF_OFFSET)
        weights.append(total)
    return Corpus(topics, vocabulary, weights)


def sentence(rnd: random.Random, c: Corpus, lo: int, hi: int) -> str:
    """Topic words mixed with everyday ones, as people write."""
    out = []
    for word in c.draw(rnd, rnd.randint(lo, hi)):
        out.append(word)
        if rnd.random() < 0.8:
            out.append(rnd.choice(FILLER))
    return " ".join(out)


async def build(sessions: async_sessionmaker[AsyncSession], members: int, items: int) -> int:
    """Members with introductions and library items, 2,000 rows per INSERT statement; the search triggers run as
    they would for any write (per row on SQLite, per statement on PostgreSQL)."""
    rnd = random.Random(SEED)
    c = corpus(rnd)
    async with sessions() as db:
        community = await communities.create(db, "bench", "Bench", timezone="UTC", language="en", now=START)
        await db.commit()
        community_id = community.id
    chunk = 2_000
    for start in range(0, members, chunk):
        async with sessions() as db:
            n = min(chunk, members - start)
            people = [{"display_name": f"Member {start + i}", "created_at": START, "profile": {}} for i in range(n)]
            ids = list((await db.scalars(insert(Member).values(people).returning(Member.id))).all())
            await db.execute(
                insert(DirectoryEntry).values(
                    [
                        {
                            "community_id": community_id,
                            "member_id": member_id,
                            "expertise": ", ".join(
                                " ".join(c.draw(rnd, rnd.randint(1, 2))) for _ in range(rnd.randint(2, 4))
                            ),
                            "offer": sentence(rnd, c, 2, 6),
                            "learn": sentence(rnd, c, 2, 5),
                            "updated_at": START,
                        }
                        for member_id in ids
                    ]
                )
            )
            await db.commit()
    for start in range(0, items, chunk):
        async with sessions() as db:
            await db.execute(
                insert(KnowledgeItem).values(
                    [
                        {
                            "community_id": community_id,
                            "kind": "document",
                            "title": sentence(rnd, c, 2, 5).capitalize()[:300],
                            "body": sentence(rnd, c, 15, 45),
                            "tags": c.draw(rnd, rnd.randint(1, 3)),
                            "source": "bench",
                            "created_at": START,
                        }
                        for _ in range(min(chunk, items - start))
                    ]
                )
            )
            await db.commit()
    return community_id


def typo(rnd: random.Random, word: str) -> str:
    """One slip of the finger: a letter dropped, doubled, swapped with the next, or wrong."""
    i = rnd.randrange(1, len(word) - 1)
    kind = rnd.choice(("drop", "double", "swap", "wrong"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rnd.choice("aeioustnrl".replace(word[i], "")) + word[i + 1 :]


def queries(count: int) -> tuple[list[str], list[str]]:
    """What members look for: one word, sometimes two; a topic of the community seven times in ten, otherwise one of
    the 2,000 commonest rarer words (a place, a product); and the same queries with one typo each."""
    rnd = random.Random(SEED + 1)
    c = corpus(random.Random(SEED))
    rarer = c.vocabulary[len(c.topics) : len(c.topics) + 2_000]
    exact, typos = [], []
    for _ in range(count):
        chosen = [rnd.choice(c.topics if rnd.random() < 0.7 else rarer) for _ in range(2 if rnd.random() < 0.3 else 1)]
        exact.append(" ".join(chosen))
        long_enough = [w for w in chosen if len(w) >= 5] or chosen
        slipped = rnd.choice(long_enough)
        typos.append(" ".join(typo(rnd, w) if w == slipped and len(w) >= 4 else w for w in chosen))
    return exact, typos


Search = Callable[[AsyncSession, str], Awaitable[object]]


async def timed(sessions: async_sessionmaker[AsyncSession], search: Search, texts: list[str]) -> list[float]:
    """Milliseconds per search, each in its own session as a routine's would be."""
    spent = []
    for query in texts:
        async with sessions() as db:
            began = time.perf_counter()
            await search(db, query)
            spent.append((time.perf_counter() - began) * 1000)
    return spent


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(
    sessions: async_sessionmaker[AsyncSession], community_id: int, count: int
) -> dict[str, tuple[float, float]]:
    """p50 and p95 (ms) of each way of searching, and the share of typo queries corrected as before (in %)."""
    exact, typos = queries(count)
    async with sessions() as db:
        whole = {field: await spelling.vocabulary(db, community_id, field) for field in ("knows", "library")}

    def who(correct: str) -> Search:
        async def run(db: AsyncSession, query: str) -> object:
            if correct == "new":
                return await directory.search(db, community_id, query, limit=6)
            wanted = words(query)
            terms = wanted if correct == "plain" else expand(wanted, dict.fromkeys(wanted, whole["knows"]))
            return await directory.by_terms(db, community_id, terms, limit=6)

        return run

    def library(correct: str) -> Search:
        async def run(db: AsyncSession, query: str) -> object:
            if correct == "new":
                return await knowledge.search(db, community_id, query, limit=6)
            wanted = words(query)
            terms = wanted if correct == "plain" else expand(wanted, dict.fromkeys(wanted, whole["library"]))
            return await knowledge.by_terms(db, community_id, terms, limit=6)

        return run

    figures: dict[str, tuple[float, float]] = {}
    slow: dict[str, tuple[float, str]] = {}
    for name, make in (("who", who), ("library", library)):
        for label, correct, texts in (
            ("exact", "new", exact),
            ("typos", "new", typos),
            ("plain", "plain", exact),
            ("whole", "whole", typos[: max(10, count // 5)]),  # seconds at this size: a sample is enough
        ):
            spent = await timed(sessions, make(correct), texts)
            figures[f"{name} {label}"] = (p(spent, 0.5), p(spent, 0.95))
            if correct == "new":
                slowest = max(range(len(spent)), key=spent.__getitem__)
                if spent[slowest] > slow.get(name, (0.0, ""))[0]:
                    slow[name] = (spent[slowest], texts[slowest])
        field = "knows" if name == "who" else "library"
        same = 0
        async with sessions() as db:
            for query in typos:
                wanted = words(query)
                new = await spelling.corrected(db, community_id, field, wanted)
                same += new == expand(wanted, dict.fromkeys(wanted, whole[field]))
        figures[f"{name} same"] = (100.0 * same / len(typos), 0.0)
        figures[f"{name} slowest"] = (slow[name][0], 0.0)
        SLOWEST[name] = max(SLOWEST.get(name, (0.0, "")), slow[name])
    return figures


def report(database: str, runs: list[dict[str, tuple[float, float]]], built: float, vocabulary: str) -> None:
    def spread(key: str, at: int) -> str:
        values = sorted(run[key][at] for run in runs)
        return f"{values[0]:7.1f} {statistics.median(values):7.1f} {values[-1]:7.1f}"

    print(f"\n== {database}: data built in {built:.0f} s; {vocabulary}")
    print(f"{'':22} {'p50 ms (min med max)':>24}   {'p95 ms (min med max)':>24}")
    for name in ("who", "library"):
        for label in ("exact", "typos", "plain", "whole"):
            key = f"{name} {label}"
            print(f"{key:22} {spread(key, 0):>24}   {spread(key, 1):>24}")
        p95 = statistics.median(run[f"{name} typos"][1] for run in runs)
        plain = statistics.median(run[f"{name} plain"][1] for run in runs)
        whole = statistics.median(run[f"{name} whole"][1] for run in runs)
        worst = max(max(run[f"{name} typos"][1], run[f"{name} exact"][1]) for run in runs)
        same = statistics.median(run[f"{name} same"][0] for run in runs)
        print(
            f"  {name}: p95 with typos / plain query = {p95 / plain:.2f}; whole-vocabulary correction / new = "
            f"{whole / p95:.1f}x; typo corrections identical to whole-vocabulary difflib: {same:.1f}%; "
            f"target p95 < {TARGET_MS:.0f} ms in every run: {'met' if worst < TARGET_MS else 'NOT met'} "
            f"(worst {worst:.1f} ms); slowest single search {SLOWEST[name][0]:.0f} ms ({SLOWEST[name][1]!r})"
        )


async def bench(url: str, label: str, members: int, items: int, count: int, runs: int) -> None:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        sessions = session_factory(engine)
        began = time.perf_counter()
        community_id = await build(sessions, members, items)
        await optimize(engine)
        built = time.perf_counter() - began
        async with sessions() as db:
            sizes = {f: len(await spelling.vocabulary(db, community_id, f)) for f in ("knows", "learns", "library")}
        vocabulary = "vocabulary: " + ", ".join(f"{f} {n:,} words" for f, n in sizes.items())
        await timed(sessions, lambda db, q: knowledge.search(db, community_id, q, limit=6), ["warm up"] * 5)
        load = os.getloadavg()[0]
        figures = [await measure(sessions, community_id, count) for _ in range(runs)]
        # Latency on a shared machine is CPU time times contention: say how busy it was.
        vocabulary += f"; load average {load:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs"
        report(f"{label}, {members:,} members, {items:,} items, {count} queries per kind", figures, built, vocabulary)
    finally:
        await engine.dispose()


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await bench(url, "SQLite", args.members, args.items, args.queries, args.runs)
    postgres = (
        args.postgres or os.environ.get("CULTIVATE_BENCH_DATABASE_URL") or os.environ.get("CULTIVATE_TEST_DATABASE_URL")
    )
    if args.sqlite_only or not postgres:
        print("\n(PostgreSQL skipped: pass --postgres URL)")
        return
    os.environ["CULTIVATE_TEST_DATABASE_URL"] = postgres
    from tests.databases import new_postgres_database  # reads the URL when imported: after setting it

    async with new_postgres_database() as url:
        await bench(url, "PostgreSQL", args.members, args.items, args.queries, args.runs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=100, help="queries per kind and run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", help="a PostgreSQL URL; a throwaway database is made beside it")
    parser.add_argument("--sqlite-only", action="store_true")
    asyncio.run(main(parser.parse_args()))

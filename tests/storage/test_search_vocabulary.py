"""The search vocabulary is kept on write: a word added to the library or the directory is corrected to at once,
a word no document holds any more is not, and a database with data gains its vocabulary when it is upgraded."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage import communities, directory, knowledge, members, migrate, spelling
from storage.communities import CommunitySpec
from storage.db import create_engine, session_factory
from storage.models import Community, SearchTerm, SearchTermGram
from tests.conftest import START
from tests.databases import on_postgres


async def _vocabulary(db: AsyncSession, community_id: int, field: str) -> dict[str, int]:
    rows = await db.execute(
        select(SearchTerm.term, SearchTerm.documents).where(
            SearchTerm.community_id == community_id, SearchTerm.field == field
        )
    )
    return dict(rows.all())


async def _add(db: AsyncSession, community_id: int, title: str, body: str = "", tags: tuple[str, ...] = ()) -> int:
    item = await knowledge.keep(
        db,
        community_id=community_id,
        kind="document",
        title=title,
        body=body,
        tags=list(tags),
        source="test",
        added_by=None,
        now=START,
    )
    return item.id


async def test_library_words_are_counted_on_write_and_corrected_to_right_after(database_url: str) -> None:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    try:
        async with session_factory(engine)() as db:
            ours = await _community(db, CommunitySpec(slug="ops", name="Ops"))
            other = await _community(db, CommunitySpec(slug="other", name="Other"))
            first = await _add(db, ours.id, "Dashboards that people read", "Panels with data age", ("dashboards",))
            await db.commit()
            assert [i.id for i in await knowledge.search(db, ours.id, "telemetry", limit=5)] == []

            # Amina adds an item with a word nobody used before; Chidi misspells it a moment later and finds it.
            second = await _add(db, ours.id, "Telemetry pipelines", "Shipping telemetry from remote sites")
            await db.commit()
            words = await _vocabulary(db, ours.id, "library")
            assert words["dashboard"] == 1 and words["telemetri"] == 1 and words["pipelin"] == 1
            assert "telemetri" in await spelling.corrected(db, ours.id, "library", ["telemtry"])
            assert [i.id for i in await knowledge.search(db, ours.id, "telemtry", limit=5)] == [second]
            assert [i.id for i in await knowledge.search(db, ours.id, "dashbords", limit=5)] == [first]

            # Words are counted per document, and one community's words are not offered to another.
            third = await _add(db, ours.id, "Telemetry budgets")
            await db.commit()
            assert (await _vocabulary(db, ours.id, "library"))["telemetri"] == 2
            assert await _vocabulary(db, other.id, "library") == {}
            assert await spelling.corrected(db, other.id, "library", ["telemtry"]) == ["telemtry"]

            # Removing the items lets their words go, letter pairs included.
            for item_id in (second, third):
                item = await knowledge.by_id(db, item_id)
                assert item is not None
                await knowledge.remove(db, item)
            await db.commit()
            words = await _vocabulary(db, ours.id, "library")
            assert "telemetri" not in words and "budget" not in words and words["dashboard"] == 1
            assert await spelling.corrected(db, ours.id, "library", ["telemtry"]) == ["telemtry"]
            pairs = await db.scalar(select(SearchTermGram.grams).join(SearchTerm).where(SearchTerm.term == "dashboard"))
            assert pairs == 10
            assert not (await db.scalars(select(SearchTermGram.term_id).where(SearchTermGram.gram == "y "))).all()
    finally:
        await engine.dispose()


async def test_directory_words_follow_an_edited_introduction(database_url: str) -> None:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    try:
        async with session_factory(engine)() as db:
            community = await _community(db, CommunitySpec(slug="ops", name="Ops"))
            baraka, _ = await members.get_or_create(db, "console", "", "baraka", "Baraka", None, START)
            await directory.save(
                db, community.id, baraka.id, expertise=["grafana"], offer="Dashboards", learn="alerting", now=START
            )
            await db.commit()
            assert set(await _vocabulary(db, community.id, "knows")) == {"grafana", "dashboard"}
            assert set(await _vocabulary(db, community.id, "learns")) == {"alert"}

            await directory.save(
                db, community.id, baraka.id, expertise=["kubernetes"], offer="Dashboards", learn="", now=START
            )
            await db.commit()
            assert await _vocabulary(db, community.id, "knows") == {"kubernet": 1, "dashboard": 1}
            assert await _vocabulary(db, community.id, "learns") == {}
            found = await directory.search(db, community.id, "kubernets")
            assert [m.member_id for m in found] == [baraka.id]
            assert await directory.search(db, community.id, "grafana") == []
    finally:
        await engine.dispose()


async def test_a_community_removed_takes_its_words_along(database_url: str) -> None:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    try:
        async with session_factory(engine)() as db:
            community = await _community(db, CommunitySpec(slug="gone", name="Gone"))
            baraka, _ = await members.get_or_create(db, "console", "", "baraka", "Baraka", None, START)
            await directory.save(db, community.id, baraka.id, expertise=["grafana"], offer="", learn="", now=START)
            await _add(db, community.id, "Telemetry pipelines")
            await db.commit()
            await db.delete(community)
            await db.commit()
            assert (await db.scalars(select(SearchTerm.term))).all() == []
            assert (await db.scalars(select(SearchTermGram.gram))).all() == []
    finally:
        await engine.dispose()


@pytest.mark.skipif(not on_postgres(), reason="TRUNCATE skips delete triggers on PostgreSQL; SQLite has none")
async def test_a_truncated_table_takes_its_words_along(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with session_factory(engine)() as db:
            community = await _community(db, CommunitySpec(slug="ops", name="Ops"))
            await _add(db, community.id, "Telemetry pipelines")
            await db.commit()
            await db.execute(text("TRUNCATE knowledge_item CASCADE"))
            await db.commit()
            assert await _vocabulary(db, community.id, "library") == {}
    finally:
        await engine.dispose()


async def test_an_existing_database_with_data_gains_its_vocabulary_on_upgrade(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        await migrate.upgrade(engine, "0016")  # the revision before the vocabulary
        async with engine.begin() as conn:
            # Written as SQL: the models describe today's schema, not this older one.
            when = {"at": START.replace(tzinfo=None) if engine.dialect.name == "sqlite" else START}
            await conn.execute(
                text(
                    "INSERT INTO community (slug, name, domain, topics, timezone, settings, created_at) "
                    "VALUES ('ops', 'Ops', '', '[]', 'UTC', '{}', :at)"
                ),
                when,
            )
            await conn.execute(
                text("INSERT INTO member (display_name, profile, created_at) VALUES ('Baraka', '{}', :at)"), when
            )
            community_id = (await conn.execute(text("SELECT id FROM community WHERE slug = 'ops'"))).scalar_one()
            member_id = (await conn.execute(text("SELECT id FROM member"))).scalar_one()
            await conn.execute(
                text(
                    "INSERT INTO directory_entry (community_id, member_id, expertise, offer, learn, updated_at) "
                    "VALUES (:c, :m, 'grafana, dashboards', 'Dashboard reviews', 'alerting', :at)"
                ),
                {"c": community_id, "m": member_id, **when},
            )
            for title in ("Dashboards that people read", "Alerting guide"):
                await conn.execute(
                    text(
                        "INSERT INTO knowledge_item (community_id, kind, title, body, tags, created_at) "
                        "VALUES (:c, 'link', :t, '', '[\"ops\"]', :at)"
                    ),
                    {"c": community_id, "t": title, **when},
                )
        await migrate.upgrade(engine)
        async with session_factory(engine)() as db:
            assert await _vocabulary(db, community_id, "knows") == {"grafana": 1, "dashboard": 1, "review": 1}
            assert await _vocabulary(db, community_id, "learns") == {"alert": 1}
            library = await _vocabulary(db, community_id, "library")
            assert library["dashboard"] == 1 and library["alert"] == 1 and library["op"] == 2
            assert [m.member_id for m in await directory.search(db, community_id, "dashbords")] == [member_id]
            assert [i.title for i in await knowledge.search(db, community_id, "alertng guide", limit=5)] == [
                "Alerting guide"
            ]
            # Writes after the upgrade keep counting.
            await _add(db, community_id, "Dashboards for control rooms")
            await db.commit()
            assert (await _vocabulary(db, community_id, "library"))["dashboard"] == 2
    finally:
        await engine.dispose()


async def _community(db: AsyncSession, spec: CommunitySpec) -> Community:
    """The community the spec describes, seeded as the configuration file would."""
    await communities.seed(db, spec, START)
    found = await communities.by_slug(db, spec.slug)
    assert found is not None
    return found

"""First contact, joining and opening a form are insert-or-get at the database: two sessions racing for the same
row both succeed, and one row is kept (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage import communities, conversations, members, migrate
from storage.communities import CommunitySpec
from storage.db import create_engine, session_factory
from storage.models import Community, Conversation, Identity, Member, Membership
from tests.conftest import START

T = TypeVar("T")
# Long enough for the second session to reach the row the first one holds and wait on it.
HEAD_START = 0.3


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    yield session_factory(engine)
    await engine.dispose()


async def race(sessions: async_sessionmaker[AsyncSession], work: Callable[[AsyncSession], Awaitable[T]]) -> tuple[T, T]:
    """The same work in two sessions: the first does it and holds its transaction open while the second starts
    and runs into it; then the first commits and the second finishes."""
    async with sessions() as first, sessions() as second:
        done_first = await work(first)
        racing = asyncio.ensure_future(_committed(second, work))
        await asyncio.sleep(HEAD_START)
        await first.commit()
        return done_first, await asyncio.wait_for(racing, timeout=30)


async def _committed(db: AsyncSession, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    done = await work(db)
    await db.commit()
    return done


async def count(sessions: async_sessionmaker[AsyncSession], model: Any) -> int:
    async with sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def test_two_first_contacts_of_one_new_member_make_one_member(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async def contact(db: AsyncSession) -> tuple[int, bool]:
        member, created = await members.get_or_create(db, "slack", "T1", "U7", "Zawadi", None, START)
        return member.id, created

    (first_id, first_new), (second_id, second_new) = await race(sessions, contact)
    assert first_id == second_id and (first_new, second_new) == (True, False)
    assert await count(sessions, Member) == 1 and await count(sessions, Identity) == 1


async def test_two_joins_at_once_make_one_membership_and_one_of_them_is_the_change(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as db:
        community = await _community(db, CommunitySpec("rtm", "Real-time monitoring"))
        member, _new = await members.get_or_create(db, "slack", "T1", "U7", "Zawadi", None, START)
        await db.commit()

    async def join(db: AsyncSession) -> tuple[int, bool]:
        mine = await communities.by_id(db, community.id)
        who = await members.by_id(db, member.id)
        assert mine is not None and who is not None
        membership, changed = await communities.join(db, mine, who, START)
        return membership.id, changed

    (first_id, first_changed), (second_id, second_changed) = await race(sessions, join)
    assert first_id == second_id and (first_changed, second_changed) == (True, False)
    assert await count(sessions, Membership) == 1


async def test_the_same_form_opened_twice_at_once_keeps_one_conversation(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as db:
        member, _new = await members.get_or_create(db, "slack", "T1", "U7", "Zawadi", None, START)
        await db.commit()

    async def open_form(db: AsyncSession) -> int:
        conversation, _replaced = await conversations.start(
            db, member.id, "slack", None, {"form_id": "intro"}, START, native=True
        )
        return conversation.id

    first, second = await race(sessions, open_form)
    assert first == second and await count(sessions, Conversation) == 1
    async with sessions() as db:
        kept = await conversations.current(db, member.id, "slack")
        assert kept is not None and kept.form == {"form_id": "intro"} and kept.native


async def test_a_new_form_replaces_the_unfinished_one_and_says_which(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as db:
        member, _new = await members.get_or_create(db, "slack", "T1", "U7", "Zawadi", None, START)
        first, replaced = await conversations.start(db, member.id, "slack", None, {"form_id": "a"}, START)
        assert replaced is None
        await conversations.save(db, first, {"x": 1}, 1, START)
        second, replaced = await conversations.start(db, member.id, "slack", None, {"form_id": "b"}, START)
        await db.commit()
        assert replaced is not None and replaced.form == {"form_id": "a"} and replaced.answers == {"x": 1}
        assert second.form == {"form_id": "b"} and second.answers == {} and second.position == 0


async def _community(db: AsyncSession, spec: CommunitySpec) -> Community:
    """The community the spec describes, seeded as the configuration file would."""
    await communities.seed(db, spec, START)
    found = await communities.by_slug(db, spec.slug)
    assert found is not None
    return found

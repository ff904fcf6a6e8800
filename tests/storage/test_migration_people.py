"""Migration 0015 adds columns to tables others refer to: upgrading an existing database keeps every row."""

from __future__ import annotations

from sqlalchemy import text

from storage import migrate
from storage.db import create_engine

TABLES = ("community", "member", "membership", "identity", "community_channel")


COMMUNITY = (
    "INSERT INTO community (id, slug, name, domain, topics, timezone, settings, created_at) "
    "VALUES (1, 'rtm', 'RTM', '', '[]', 'UTC', '{}', CURRENT_TIMESTAMP)"
)
ROWS = (
    COMMUNITY,
    "INSERT INTO community_channel (community_id, platform, tenant, channel) VALUES (1, 'slack', '', 'C1')",
    "INSERT INTO member (id, display_name, profile, created_at) VALUES (1, 'Amina', '{}', CURRENT_TIMESTAMP)",
    "INSERT INTO identity (member_id, platform, tenant, user_id) VALUES (1, 'slack', 'T1', 'U1')",
    "INSERT INTO membership (community_id, member_id, role, joined_at) VALUES (1, 1, 3, CURRENT_TIMESTAMP)",
)


async def test_upgrading_a_database_in_use_keeps_members_identities_and_memberships(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        await migrate.upgrade(engine, "0018")
        async with engine.begin() as conn:
            for row in ROWS:
                await conn.execute(text(row))
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            counts = {t: (await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar() for t in TABLES}
            language = (await conn.execute(text("SELECT language FROM community"))).scalar()
        assert counts == dict.fromkeys(TABLES, 1)
        assert language == "en"
        await migrate.upgrade(engine, "0018")  # and back down, keeping them too
        async with engine.connect() as conn:
            counts = {t: (await conn.execute(text(f"SELECT count(*) FROM {t}"))).scalar() for t in TABLES}
        assert counts == dict.fromkeys(TABLES, 1)
    finally:
        await engine.dispose()

"""Retention: handled events, unfinished conversations, finished deliveries and sent messages are deleted once older
than their settings say, by the scheduler's daily job; pending work never is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.settings import Settings, SettingsError
from storage.models import Conversation, Delivery, InboundEntry, LinkCode, Member, OutboundMessage
from tests.conftest import START
from tests.harness import ConsoleBot


def test_retention_settings_have_defaults_and_refuse_nonsense() -> None:
    defaults = Settings.from_env({})
    assert (defaults.retain_events_days, defaults.retain_conversations_days, defaults.retain_deliveries_days) == (
        3,
        30,
        90,
    )
    chosen = Settings.from_env({"CULTIVATE_RETAIN_DELIVERIES_DAYS": "30", "CULTIVATE_RETAIN_EVENTS_DAYS": ""})
    assert chosen.retention.deliveries == timedelta(days=30) and chosen.retention.events == timedelta(days=3)
    for value in ("0", "-1", "two", "99999"):
        with pytest.raises(SettingsError, match="CULTIVATE_RETAIN_CONVERSATIONS_DAYS must be a whole number of days"):
            Settings.from_env({"CULTIVATE_RETAIN_CONVERSATIONS_DAYS": value})


async def test_the_daily_job_keeps_what_is_recent_and_deletes_what_is_old(database_url: str) -> None:
    settings = Settings(
        database_url=database_url, retain_events_days=2, retain_conversations_days=10, retain_deliveries_days=30
    )
    bot = await ConsoleBot.open(database_url, START, settings=settings)
    now, old = START, START - timedelta(days=45)
    try:
        async with bot.runtime.services.sessions() as db:
            member = Member(display_name="Amina", profile={}, created_at=old)
            db.add(member)
            await db.flush()
            db.add_all(
                [
                    *(
                        InboundEntry(
                            platform="slack",
                            event_id=name,
                            lane="slack:T:U",
                            event={},
                            status=status,
                            received_at=at,
                        )
                        for name, status, at in (
                            ("old", "done", now - timedelta(days=3)),
                            ("new", "done", now - timedelta(hours=1)),
                            ("old-but-waiting", "pending", now - timedelta(days=3)),
                        )
                    ),
                    *(
                        OutboundMessage(
                            platform="slack",
                            message={"text": name},
                            lane="slack:T:C",
                            status=status,
                            not_before=at,
                            created_at=at,
                            origin=name,
                        )
                        for name, status, at in (
                            ("sent-old", "done", old),
                            ("sent-new", "done", now),
                            ("waiting-old", "pending", old),
                        )
                    ),
                    Conversation(
                        member_id=member.id,
                        platform="console",
                        form={},
                        answers={},
                        started_at=old,
                        updated_at=now - timedelta(days=11),
                    ),
                    Conversation(
                        member_id=member.id,
                        platform="slack",
                        form={},
                        answers={},
                        started_at=old,
                        updated_at=now - timedelta(days=1),
                    ),
                    Delivery(kind="x", key="sent-old", due_at=old, status="sent", finished_at=old, created_at=old),
                    Delivery(kind="x", key="skipped-old", due_at=old, status="skipped", created_at=old),
                    Delivery(kind="x", key="sent-new", due_at=now, status="sent", finished_at=now, created_at=now),
                    Delivery(kind="x", key="pending-old", due_at=old, status="pending", created_at=old),
                    LinkCode(
                        member_id=member.id,
                        code_hash="h",
                        platform="slack",
                        created_at=old,
                        expires_at=old + timedelta(minutes=10),
                    ),
                ]
            )
            await db.commit()
        await bot.runtime.scheduler.forget_old_work()
        async with bot.runtime.services.sessions() as db:
            events = sorted((await db.scalars(select(InboundEntry.event_id))).all())
            messages = sorted((await db.scalars(select(OutboundMessage.origin))).all())
            conversations = (await db.scalars(select(Conversation.platform))).all()
            deliveries = sorted((await db.scalars(select(Delivery.key))).all())
            codes = (await db.scalars(select(LinkCode.id))).all()
        assert events == ["new", "old-but-waiting"] and conversations == ["slack"] and codes == []
        assert messages == ["sent-new", "waiting-old"]
        assert deliveries == ["pending-old", "sent-new"]
    finally:
        await bot.close()

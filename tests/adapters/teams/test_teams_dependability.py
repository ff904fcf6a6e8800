"""Proactive messages after a restart, retries, duplicates, unreachable members and authentication."""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.context import DeliveryContext
from bot.events import Place
from bot.messages import Outgoing, say
from bot.platform import Unreachable
from storage import teams_conversations
from tests.adapters.teams.conftest import HOME_CONFIG
from tests.adapters.teams.fake_connector import FakeConnector
from tests.adapters.teams.harness import BOT, TENANT, TeamsBot
from tests.conftest import START


async def test_a_reminder_reaches_a_member_proactively_after_a_restart(
    database_url: str, tmp_path: Path, teams_sdk: str
) -> None:
    config = tmp_path / "cultivate.yaml"
    config.write_text(HOME_CONFIG)
    fake = FakeConnector()
    first = await TeamsBot.open(database_url, fake=fake, config_path=str(config), teams_sdk=teams_sdk)
    await first.members_added("29:chidi", BOT)
    assert [c.conversation for c in fake.called("send")] == ["a:personal-29:chidi"], "welcomed in a new personal chat"
    await first.close(keep_fake=True)

    later = await TeamsBot.open(
        database_url,
        fake=fake,
        config_path=str(config),
        clock=ManualClock(START + timedelta(days=3, hours=1)),
        teams_sdk=teams_sdk,
    )
    try:
        assert await later.runtime.settle() >= 1
        nudge = fake.called("send")[-1]
        assert nudge.conversation == "a:personal-29:chidi" and "introduce" in nudge.text.lower()
        assert len(fake.called("create")) == 1, "the stored conversation reference was used, not a new chat"
        assert nudge.body["serviceUrl"] == later.service_url
    finally:
        await later.close()


async def test_a_rate_limited_send_is_retried_and_nothing_is_lost(teams: TeamsBot) -> None:
    teams.fake.failures["send"] = [429, 502]
    await teams.say("29:amina", "help")
    assert [c.method for c in teams.fake.calls] == ["send:429", "send:502", "send"]
    assert "What you can do" in teams.fake.called("send")[0].text


async def test_the_same_activity_delivered_twice_is_answered_once(teams: TeamsBot) -> None:
    activity = teams.activity("message", "29:amina", teams.personal("29:amina"), text="help")
    await teams.post(activity)
    await teams.post(activity)
    assert len(teams.fake.called("send")) == 1


async def test_a_member_who_cannot_be_reached_is_reported_to_coordinators(teams: TeamsBot) -> None:
    await teams.members_added("29:chidi")
    teams.fake.failures["send"] = [403]
    teams.runtime.services.clock.advance(timedelta(days=3, hours=1))  # type: ignore[attr-defined]
    await teams.runtime.settle()
    await teams.say("29:amina", "deliveries")
    report = teams.fake.called("send")[-1].text
    assert "failed" in report and "29:chidi" in report and "cannot be reached" in report


async def test_with_an_app_id_a_request_without_a_valid_token_gets_401_and_changes_nothing(
    database_url: str, teams_sdk: str
) -> None:
    bot = await TeamsBot.open(
        database_url,
        teams_app_id="00000000-0000-0000-0000-000000000001",
        teams_app_password="secret",
        teams_sdk=teams_sdk,
    )
    try:
        activity = bot.activity("message", "29:amina", bot.personal("29:amina"), text="help")
        missing = await bot.post(activity)
        junk = await bot.post(activity, headers={"Authorization": "Bearer not-a-token"})
        assert missing.status == 401 and junk.status == 401
        assert bot.fake.calls == []
        async with bot.runtime.services.sessions() as db:
            assert await teams_conversations.latest_in_tenant(db, TENANT) is None
    finally:
        await bot.close()


async def test_channel_chatter_not_addressed_to_cultivate_is_ignored(teams: TeamsBot) -> None:
    activity = teams.activity("message", "29:amina", teams.channel(), text="lunch anyone?")
    response = await teams.post(activity)
    assert response.status == 201 and teams.fake.calls == []


async def test_messages_to_one_conversation_are_paced_others_are_not_held_up(database_url: str) -> None:
    teams = await TeamsBot.open(database_url, interval=0.2)
    try:
        await teams.say("29:amina", "help")  # references to two conversations are known from here on
        await teams.say("29:baraka", "help")
        one, two = teams.personal("29:amina")["id"], teams.personal("29:baraka")["id"]
        async with teams.runtime.services.sessions() as db:
            ctx = DeliveryContext(services=teams.runtime.services, db=db)
            for n in range(3):
                await ctx.post(Place("teams", TENANT, one, direct=True), f"one {n}")
            await ctx.post(Place("teams", TENANT, two, direct=True), "other conversation")
            await db.commit()
        before = len(teams.fake.called("send"))
        await teams.settled()
        sent = teams.fake.called("send")[before:]
        first = [c.at for c in sent if c.conversation == one]
        second = [c.at for c in sent if c.conversation == two]
        assert len(first) == 3 and len(second) == 1
        assert all(later - earlier >= 0.19 for earlier, later in itertools.pairwise(first))
        assert second[0] - first[0] < 0.19
    finally:
        await teams.close()


async def test_a_member_the_app_cannot_reach_is_unreachable_with_the_reason(teams: TeamsBot) -> None:
    await teams.say("29:amina", "help")  # Cultivate is installed in the tenant
    teams.fake.forbidden.add("29:ghost")
    with pytest.raises(Unreachable, match="29:ghost cannot be reached"):
        await teams.adapter.send(Place.direct_to("teams", TENANT, "29:ghost"), Outgoing(say("hello")))

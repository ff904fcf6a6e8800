"""One person with an account on the console, on Slack and on Teams links them into one member: everything from
every side is kept once, a code works once, within ten minutes, and only on another platform; messages then reach
the person where they chose, or where they last spoke; unlinking separates an account again."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage import communities, members
from storage.member_columns import MEMBER_COLUMNS
from storage.models import Member, TopicFollow
from tests.adapters.everywhere import Everywhere
from tests.records import give_everything, orphans, rows_of, shared

CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")


@pytest.fixture
async def everywhere(database_url: str, tmp_path: Path) -> AsyncIterator[Everywhere]:
    bot = await Everywhere.open(database_url, tmp_path)
    yield bot
    await bot.close()


async def _member(bot: Everywhere, platform: str, tenant: str, user: str) -> Member:
    async with bot.runtime.services.sessions() as db:
        found = await members.by_identity(db, platform, tenant, user)
        assert found is not None, f"no member for {platform}:{user}"
        return found


async def _slack_code(bot: Everywhere, user: str = "U1") -> str:
    since = len(bot.slack.fake.calls)
    await bot.slack.command(user, "link")
    await bot.settled()
    found = CODE.search(bot.slack_said(since))
    assert found is not None, bot.slack_said(since)
    return found.group(0)


async def _teams(bot: Everywhere, user: str, line: str) -> str:
    since = len(bot.teams.fake.calls)
    await bot.teams.say(user, line)
    return "\n".join(c.text for c in bot.teams.fake.calls[since:])


async def _slack(bot: Everywhere, user: str, line: str) -> str:
    since = len(bot.slack.fake.calls)
    await bot.slack.command(user, line)
    await bot.settled()
    return bot.slack_said(since)


async def test_console_slack_and_teams_accounts_with_everything_become_one_person(everywhere: Everywhere) -> None:
    bot = everywhere
    await _slack(bot, "U1", "accounts")  # each account speaks once, so each is a member
    await _teams(bot, "29:amina", "accounts")
    await bot.console.say("Amina", "/cop join")
    slack, teams = await _member(bot, "slack", "T1", "U1"), await _member(bot, "teams", "tenant-1", "29:amina")
    async with bot.runtime.services.sessions() as db:
        rtm = await communities.by_slug(db, "rtm")
        assert rtm is not None
        on = await shared(db, rtm, bot.runtime.services.clock.now())
        for member, tag, answer in ((slack, "slack", "going"), (teams, "teams", "no")):
            await give_everything(
                db, await db.get(Member, member.id), on, bot.runtime.services.clock.now(), tag=tag, answer=answer
            )  # type: ignore[arg-type]
        await db.commit()
    code = await _slack_code(bot)

    # Teams types the code while Slack keeps acting as the account being merged.
    linked, *_ = await asyncio.gather(
        _teams(bot, "29:amina", f"link {code}"),
        bot.slack.command("U1", "discuss follow dashboards"),
        bot.slack.command("U1", "discuss follow data quality", trigger="trig-2"),
    )
    await bot.settled()
    assert "Linked: your account here and your Slack account are one." in linked
    assert "Dashboards that work" in linked, "the two RSVPs disagreed; the answer kept is listed"
    await bot.console.wait(timedelta(minutes=11))  # late writes for the merged account are swept over

    one = await _member(bot, "slack", "T1", "U1")
    assert (await _member(bot, "teams", "tenant-1", "29:amina")).id == one.id
    async with bot.runtime.services.sessions() as db:
        gone = slack.id if one.id == teams.id else teams.id
        assert await db.get(Member, gone) is None
        assert await orphans(db) == []
        mine = await rows_of(db, one.id)
        follows = (await db.scalars(select(TopicFollow.topic).where(TopicFollow.member_id == one.id))).all()
    assert sorted(follows) == ["alerting", "dashboards", "data quality"], "nothing written meanwhile was lost"
    assert all(mine[s.name] for s in MEMBER_COLUMNS if s.on_merge != "drop" and s.export), mine

    # The console account joins too, with a code given on the console and typed on Slack.
    console_code = CODE.search(await bot.console.say("Amina", "/cop link"))
    assert console_code is not None
    assert "Linked" in await _slack(bot, "U1", f"link {console_code.group(0)}")
    assert (await _member(bot, "console", "local", "amina")).id == one.id
    accounts = await _teams(bot, "29:amina", "accounts")
    assert "Slack" in accounts and "Microsoft Teams" in accounts and "console:" in accounts

    # A code works once.
    assert "used already" in await _teams(bot, "29:baraka", f"link {console_code.group(0)}")


async def test_a_code_typed_on_its_own_platform_expired_or_guessed_is_refused(everywhere: Everywhere) -> None:
    bot = everywhere
    code = await _slack_code(bot, "U1")
    bot.slack.fake.users["U2"] = {"id": "U2", "name": "baraka", "profile": {"display_name": "Baraka"}}
    assert "type it on your *other* platform" in await _slack(bot, "U2", f"link {code}")
    assert "That code is yours" in await _slack(bot, "U1", f"link {code}")
    await bot.console.wait(timedelta(minutes=11))
    assert "has expired" in await _teams(bot, "29:amina", f"link {code}")
    for _ in range(4):
        assert "I don't know that code" in await _teams(bot, "29:amina", "link AAAA-BBBB")
    assert "Too many wrong codes" in await _teams(bot, "29:amina", f"link {await _slack_code(bot)}")
    assert "eight letters and digits" in await _teams(bot, "29:chidi", "link 1234")


async def test_messages_reach_the_member_where_they_chose_or_last_spoke_and_unlink_separates(
    everywhere: Everywhere,
) -> None:
    bot = everywhere
    await _slack(bot, "U1", "join")
    code = await _slack_code(bot)
    await _teams(bot, "29:amina", f"link {code}")
    assert "no Yammer account linked" in await _slack(bot, "U1", "reach me on yammer")
    assert "Email is not available here yet" in await _slack(bot, "U1", "reach me on email")
    assert "Choose one of" in await _slack(bot, "U1", "reach me on pigeon")
    assert "reach you on Microsoft Teams from now on" in await _slack(bot, "U1", "reach me on teams")

    # Ada, on the console, makes Amina a moderator: Amina is told on Teams, as she chose.
    since = len(bot.teams.fake.calls)
    await bot.console.say("Ada", "/cop role grant U1 moderator")
    assert "You are now a moderator" in "\n".join(c.text for c in bot.teams.fake.calls[since:])

    # Back to "where I last spoke": she speaks on Slack last, and the next message goes there.
    await _slack(bot, "U1", "reach me on auto")
    bot.console.clock.advance(timedelta(minutes=5))
    await _slack(bot, "U1", "community")
    since_slack, since_teams = len(bot.slack.fake.calls), len(bot.teams.fake.calls)
    await bot.console.say("Ada", "/cop role grant U1 coordinator")
    assert "You are now a coordinator" in bot.slack_said(since_slack)
    assert "You are now a coordinator" not in "\n".join(c.text for c in bot.teams.fake.calls[since_teams:])

    # Unlinking Teams: it starts afresh, the history stays with the Slack account.
    separated = await _slack(bot, "U1", "unlink teams")
    assert "Your Microsoft Teams account is separate again" in separated
    slack, teams = await _member(bot, "slack", "T1", "U1"), await _member(bot, "teams", "tenant-1", "29:amina")
    assert slack.id != teams.id
    async with bot.runtime.services.sessions() as db:
        rtm = await communities.by_slug(db, "rtm")
        assert rtm is not None
        assert await communities.role_of(db, rtm, slack) is not None
        assert await communities.role_of(db, rtm, teams) is None
        assert await db.scalar(select(func.count()).select_from(Member)) >= 3
    assert "only account" in await _slack(bot, "U1", "unlink slack")

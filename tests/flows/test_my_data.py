"""A member's own data: all of it, sent privately; forgetting, with seven days to change one's mind and the traces
left behind as "a former member"; coordinators' exports logged and shown with /cop audit."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import timedelta

from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app
from storage import communities, members
from storage.models import Activity, AssistRequest, Delivery, DiscussionReply, Member, Story
from tests.flows.test_peer_assist import QUESTION, community_of_experts, introduce
from tests.harness import ConsoleBot
from tests.records import give_everything, shared

PART = re.compile(r"Your data, part (\d+) of (\d+) \(JSON\):\n((?:    .*\n?)*)")


def _data(printed: str) -> dict[str, object]:
    """The parts printed in DM, put back together in order."""
    parts = {int(m[1]): "\n".join(line[4:] for line in m[3].splitlines()) for m in PART.finditer(printed)}
    assert parts and sorted(parts) == list(range(1, len(parts) + 1)), printed[:500]
    return dict(json.loads("\n".join(parts[n] for n in sorted(parts))))


async def test_my_data_sends_everything_privately_in_parts(bot: ConsoleBot) -> None:
    await bot.say("Amina", "/cop join")
    await bot.say("Amina", "/cop discuss follow onboarding")
    async with bot.runtime.services.sessions() as db:
        amina = await members.by_identity(db, "console", "local", "amina")
        practice = await communities.by_slug(db, "practice")
        assert amina is not None and practice is not None
        for n in range(60):  # a long history: more than one message
            db.add(
                Activity(
                    community_id=practice.id,
                    member_id=amina.id,
                    kind="command",
                    subject=f"x{n}",
                    at=bot.clock.now(),
                    data={},
                )
            )
        await db.commit()
    printed = await bot.say("Amina", "/cop my-data")
    assert "DM to Amina" in printed and "only Amina sees this" in printed and "DM to Ada" not in printed
    assert "I have sent you everything I keep about you in" in printed
    data = _data(printed)
    assert data["member"]["display_name"] == "Amina"  # type: ignore[index]
    records = data["records"]
    assert isinstance(records, dict)
    assert {
        "identity.member_id",
        "membership.member_id",
        "introduction.member_id",
        "topic_follow.member_id",
        "activity.member_id",
    } <= set(records)
    assert len(records["activity.member_id"]) >= 60
    assert len(PART.findall(printed)) > 1


async def _forget_me(bot: ConsoleBot, who: str) -> str:
    asked = await bot.say(who, "/cop forget-me")
    assert "Forget you?" in asked and "a former member" in asked and "[1] Continue   [2] Keep me" in asked
    assert "Last check: are you sure?" in await bot.say(who, "1")
    return await bot.say(who, "1")


async def test_any_command_in_the_seven_days_calls_forgetting_off(bot: ConsoleBot) -> None:
    await bot.say("Amina", "/cop join")
    assert "Good: nothing changes" in await bot.say("Amina", "/cop forget-me") + await bot.say("Amina", "2")
    confirmed = await _forget_me(bot, "Amina")
    assert "On Mon 9 Mar 2026, 09:00 (UTC) I delete what I keep about you" in confirmed
    assert "it happens on Mon 9 Mar 2026" in await bot.say("Amina", "/cop forget-me")
    await bot.wait(timedelta(days=3))
    back = await bot.say("Amina", "/cop timezone")
    assert "Your timezone is" in back and "Welcome back: your request to be forgotten is called off" in back
    assert "nothing to call off" in await bot.say("Amina", "/cop forget-me cancel")
    nothing = await bot.wait(timedelta(days=5))
    assert "forgotten you" not in nothing and "Tomorrow I delete" not in nothing
    assert "Amina" in await bot.say("Ada", "/cop profile Amina")
    assert "You are the last coordinator of Community of Practice" in await bot.say("Ada", "/cop forget-me")

    await _forget_me(bot, "Amina")
    assert "is called off" in await bot.say("Amina", "/cop forget-me cancel")
    async with bot.runtime.services.sessions() as db:
        pending = await db.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.kind.like("privacy.%"), Delivery.status == "pending")
        )
    assert pending == 0


async def test_forgotten_after_seven_days_with_the_traces_others_depend_on_kept(bot: ConsoleBot) -> None:
    await community_of_experts(bot)
    await introduce(bot, "Amina", "dashboards", "reviews")
    await bot.say("Amina", f"/cop ask {QUESTION}")
    await bot.say("Baraka", "1")  # offers help
    await bot.say("Amina", "/cop ask close 1")
    await bot.say("Amina", "1")
    await bot.say("Amina", "Pin a refresh panel with data age")
    async with bot.runtime.services.sessions() as db:
        amina = await members.by_identity(db, "console", "local", "amina")
        practice = await communities.by_slug(db, "practice")
        assert amina is not None and practice is not None
        on = await shared(db, practice, bot.clock.now())
        db.add(DiscussionReply(discussion_id=on.discussion.id, member_id=amina.id, at=bot.clock.now()))
        db.add(
            Story(
                community_id=practice.id,
                teller_id=amina.id,
                situation="Told to all",
                outcome="o",
                consent="community",
                created_at=bot.clock.now(),
                updated_at=bot.clock.now(),
            )
        )
        db.add(
            Story(
                community_id=practice.id,
                teller_id=amina.id,
                situation="Told to coordinators",
                outcome="o",
                consent="coordinators",
                created_at=bot.clock.now(),
                updated_at=bot.clock.now(),
            )
        )
        await db.commit()
        amina_id = amina.id

    await _forget_me(bot, "Amina")
    reminded = await bot.wait(timedelta(days=6, minutes=1))
    assert "DM to Amina" in reminded and "Tomorrow I delete what I keep about you" in reminded
    gone = await bot.wait(timedelta(days=1))
    assert "As you asked, I have now forgotten you" in gone
    assert "updated in #general" in gone and "This introduction was removed at the member's request" in gone

    async with bot.runtime.services.sessions() as db:
        shell = await db.get(Member, amina_id)
        assert shell is not None and shell.display_name == "a former member" and shell.identities == []
        request = await db.scalar(select(AssistRequest).where(AssistRequest.id == 1))
        assert request is not None and request.asker_id == amina_id and request.status == "resolved"
        replies = await db.scalar(
            select(func.count()).select_from(DiscussionReply).where(DiscussionReply.member_id == amina_id)
        )
        stories = (await db.scalars(select(Story.situation).where(Story.teller_id == amina_id))).all()
    assert replies == 1 and stories == ["Told to all"]
    assert "#1 · How do you keep control-room dashboards" in await bot.say("Baraka", "/cop asks all")
    assert "I don't know anyone called “Amina”" in await bot.say("Baraka", "/cop profile Amina")
    # Typing again, she is someone new: nothing of before comes back.
    assert "Type /cop join" in await bot.say("Amina", "/cop help")


async def test_coordinators_see_who_exported_personal_data(bot: ConsoleBot, database_url: str) -> None:
    assert "No exports of personal data so far" in await bot.say("Ada", "/cop audit")
    # The command line runs its own event loop: in a thread of its own.
    result = await asyncio.to_thread(
        CliRunner().invoke,
        app,
        ["export", "stories", "--format", "json", "--include-private"],
        env={"DATABASE_URL": database_url, "CULTIVATE_CONFIG": ""},
    )
    assert result.exit_code == 0, result.output
    audit = await bot.say("Ada", "/cop audit")
    assert "cli:" in audit and "stories" in audit and "include_private: True" in audit and "characters: 3" in audit
    await bot.say("Baraka", "/cop join")
    assert "Only a coordinator can do that" in await bot.say("Baraka", "/cop audit")
    assert "The page is a number" in await bot.say("Ada", "/cop audit two")


async def test_every_kind_of_record_of_a_forgotten_member_is_handled(bot: ConsoleBot) -> None:
    """The whole schema, not only what the commands above made (see tests/storage/test_member_columns.py)."""
    await bot.say("Amina", "/cop timezone")
    async with bot.runtime.services.sessions() as db:
        amina = await members.by_identity(db, "console", "local", "amina")
        practice = await communities.by_slug(db, "practice")
        assert amina is not None and practice is not None
        await give_everything(db, amina, await shared(db, practice, bot.clock.now()), bot.clock.now(), tag="a")
        await db.commit()
    await _forget_me(bot, "Amina")
    assert "forgotten you" in await bot.wait(timedelta(days=7, minutes=1))

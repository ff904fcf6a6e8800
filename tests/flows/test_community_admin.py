"""Communities managed from chat: create, edit, home channels, archive, merge — and the configuration file, which
seeds them at start without undoing what was changed in chat."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import _
from storage import communities
from storage.community_columns import COMMUNITY_COLUMNS
from storage.models import Activity, Community, Delivery, KnowledgeItem
from tests.conftest import START
from tests.harness import ConsoleBot
from tests.records import orphans


async def say_in(bot: ConsoleBot, channel: str, who: str, line: str) -> str:
    """`who` types in console channel #`channel` (the harness keeps each person in the channel they first used)."""
    await bot.say(who, "# a note, to open the session")
    session = bot.sessions[who]
    before, session.channel = session.channel, channel
    try:
        return await bot.say(who, line)
    finally:
        session.channel = before


async def test_a_coordinator_creates_a_community_gives_it_a_channel_and_says_what_it_is_about(bot: ConsoleBot) -> None:
    created = await bot.say("Ada", "/cop community create volunteers Volunteer network")
    assert "Created Volunteer network (volunteers); you are its coordinator." in created
    assert "/cop community channel add volunteers" in created
    assert "already a community" in await bot.say("Ada", "/cop community create volunteers Again")
    assert "cannot be a slug" in await bot.say("Ada", "/cop community create Vol_unteers! Bad")
    assert "cannot be a slug" in await bot.say("Ada", "/cop community create edit Reserved word")
    assert "Give a short slug" in await bot.say("Ada", "/cop community create onlyslug")

    assert "is now a home of Volunteer network" in await bot.say(
        "Ada", "/cop community channel add volunteers console:field"
    )
    assert "already a home of" in await bot.say("Ada", "/cop community channel add volunteers console:field")
    assert "already the home of Community of Practice" in await bot.say(
        "Ada", "/cop community channel add volunteers console:general"
    )
    edited = await bot.say("Ada", "/cop community edit volunteers topics first aid, logistics, first aid")
    assert "new topics: “first aid, logistics”" in edited
    assert "new timezone: “Africa/Nairobi”" in await bot.say(
        "Ada", "/cop community edit volunteers timezone africa/nairobi"
    )
    assert "new language: “fr”" in await bot.say("Ada", "/cop community edit volunteers language fr")
    assert "don't know the language" in await bot.say("Ada", "/cop community edit volunteers language klingon")
    assert "Choose one of: name, domain, topics, timezone, language" in await bot.say(
        "Ada", "/cop community edit volunteers colour blue"
    )
    # In its own channel, the community is the one concerned without naming it; and there Ada, who chose no language
    # of her own, is answered in the community's.
    done = _("Done: *{name}* has a new {field}: “{value}”.", "fr").format(
        name="Volunteer network", field="domain", value="Volunteers who run the field clinics"
    )
    assert done.replace("*", "") in await say_in(
        bot, "field", "Ada", "/cop community edit domain Volunteers who run the field clinics"
    )
    card = await bot.say("Baraka", "/cop community volunteers")
    assert "Topics: first aid, logistics" in card and "console: field" in card and "Coordinators: Ada" in card
    assert "Volunteers who run the field clinics" in card and "Language: fr" in card


async def test_only_coordinators_of_the_community_concerned_manage_it(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop community create volunteers Volunteer network")
    await bot.say("Baraka", "/cop join")
    assert "Only a coordinator can do that" in await bot.say("Baraka", "/cop community create mine Mine")
    await bot.say("Ada", "/cop role grant Baraka coordinator")
    # Baraka coordinates Community of Practice, not Volunteer network.
    refused = await bot.say("Baraka", "/cop community edit volunteers name Taken over")
    assert "Only a coordinator of Volunteer network can do that" in refused
    assert "Only a coordinator of Volunteer network" in await bot.say("Baraka", "/cop community archive volunteers")
    assert "Only a coordinator of Volunteer network" in await bot.say(
        "Baraka", "/cop community merge volunteers into practice"
    )


async def test_removing_a_channel_and_archiving_stop_what_they_should(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop community create volunteers Volunteer network")
    await say_in(bot, "volunteers", "Chidi", "/cop join")
    assert "is no longer a home of Volunteer network" in await bot.say(
        "Ada", "/cop community channel remove volunteers console:volunteers"
    )
    assert "It has no home channel now" in await bot.say("Ada", "/cop community channel add volunteers console:v2") + (
        await bot.say("Ada", "/cop community channel remove volunteers console:v2")
    )
    assert "is not a home of" in await bot.say("Ada", "/cop community channel remove volunteers console:v2")

    archived = await bot.say("Ada", "/cop community archive volunteers")
    assert "Volunteer network is archived" in archived and "/cop community unarchive volunteers" in archived
    async with bot.runtime.services.sessions() as db:
        volunteers = await communities.by_slug(db, "volunteers")
        assert volunteers is not None
        pending = await db.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.community_id == volunteers.id, Delivery.status == "pending")
        )
    assert pending == 0, "Chidi's introduction reminders stopped with the community"
    assert "takes no new members" in await bot.say("Dede", "/cop join volunteers")
    assert "Other communities here" not in await bot.say("Ada", "/cop community")
    assert "Archived:" in await bot.say("Ada", "/cop community volunteers")
    assert "is archived already" in await bot.say("Ada", "/cop community archive volunteers")
    assert "is open again" in await bot.say("Ada", "/cop community unarchive volunteers")
    assert "Welcome to Volunteer network" in await bot.say("Dede", "/cop join volunteers")


async def _table_counts(db: AsyncSession, community_id: int) -> dict[str, int]:
    out = {}
    for spec in COMMUNITY_COLUMNS:
        n = await db.scalar(select(func.count()).select_from(spec.column.class_).where(spec.column == community_id))
        out[spec.name] = n or 0
    return out


async def test_merging_two_communities_with_overlapping_members_topics_and_library(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop community create volunteers Volunteer network")
    await bot.say("Ada", "/cop community edit volunteers topics onboarding, first aid")
    for who, where in (("Baraka", "general"), ("Baraka", "volunteers"), ("Chidi", "volunteers"), ("Dede", "general")):
        await say_in(bot, where, who, "/cop join")
    await say_in(bot, "volunteers", "Ada", "/cop role grant Baraka moderator")
    await say_in(bot, "volunteers", "Baraka", "/cop library add https://example.org/triage Triage cards #first-aid")
    await say_in(bot, "general", "Baraka", "/cop library add https://example.org/onboarding Onboarding kit")
    await say_in(bot, "volunteers", "Ada", "/cop agenda add onboarding")
    await say_in(bot, "volunteers", "Ada", "/cop agenda add first aid")
    await say_in(bot, "general", "Ada", "/cop agenda add onboarding")
    await say_in(bot, "general", "Ada", "/cop agenda add facilitation")
    await say_in(bot, "general", "Baraka", "/cop discuss follow onboarding")
    await say_in(bot, "volunteers", "Baraka", "/cop discuss follow onboarding")
    asked = await bot.say("Ada", "/cop community merge volunteers into practice")
    assert "Merge Volunteer network into Community of Practice?" in asked
    assert "3 members of Volunteer network (2 of them also in Community of Practice)" in asked
    assert "Nothing was merged" in await bot.say("Ada", "2")
    await bot.say("Ada", "/cop community merge volunteers into practice")
    async with bot.runtime.services.sessions() as db:
        volunteers, practice = await communities.by_slug(db, "volunteers"), await communities.by_slug(db, "practice")
        assert volunteers is not None and practice is not None
        theirs, ours = await _table_counts(db, volunteers.id), await _table_counts(db, practice.id)

    told = await bot.say("Ada", "1")

    # Both communities are told, each member once (Ada, who merged, is answered instead).
    assert told.count("DM to Baraka") == 1 and told.count("DM to Chidi") == 1 and told.count("DM to Dede") == 1
    assert "Volunteer network is now part of Community of Practice: you are a member there" in told
    assert "3 other members were told, each once" in told
    async with bot.runtime.services.sessions() as db:
        after, left = await _table_counts(db, practice.id), await _table_counts(db, volunteers.id)
        items = (await db.scalars(select(KnowledgeItem.title).where(KnowledgeItem.community_id == practice.id))).all()
        assert await orphans(db) == []
        merged = await db.get(Community, volunteers.id)
        target = await db.get(Community, practice.id)
        assert merged is not None and target is not None
    # Nothing is left behind, and what arrived is all there but the duplicates: the membership, introduction and
    # follow of Baraka (a member of both), and the agenda topic both had.
    assert {name: n for name, n in left.items() if n} == {}
    duplicates = {
        "membership.community_id": 2,  # Ada (who created it) and Baraka were members of both
        "introduction.community_id": 1,  # Baraka's (Ada has none: she did not join through a welcome)
        "topic_follow.community_id": 1,
        "agenda_item.community_id": 1,
    }
    made = {"delivery.community_id": 1, "activity.community_id": 1}  # the sweep to come, and the merge's own record
    for name in after:
        if name in ("community.merged_into_id", "outbound.community_id"):
            continue  # (the outbound queue holds what the merge itself told both communities)
        assert after[name] == ours[name] + theirs[name] - duplicates.get(name, 0) + made.get(name, 0), name
    assert sorted(items) == ["Onboarding kit", "Triage cards"]
    assert merged.merged_into_id == target.id and merged.archived_at is not None
    assert target.topics == ["facilitation", "knowledge sharing", "onboarding", "first aid"]
    agenda = await bot.say("Ada", "/cop agenda")
    assert agenda.index("onboarding") < agenda.index("facilitation") < agenda.index("first aid")
    card = await bot.say("Chidi", "/cop community")
    assert "Community of Practice" in card and "console: volunteers" in card and "Moderators: Baraka" in card
    assert "was merged into Community of Practice: type /cop join practice" in await bot.say(
        "Eve", "/cop join volunteers"
    )
    # What an event already under way wrote for the merged community is moved a few minutes later.
    async with bot.runtime.services.sessions() as db:
        db.add(Activity(community_id=merged.id, member_id=None, kind="command", subject="late", at=START, data={}))
        await db.commit()
    await bot.wait(timedelta(minutes=11))
    async with bot.runtime.services.sessions() as db:
        late = await db.scalar(select(Activity).where(Activity.subject == "late"))
        assert late is not None and late.community_id == target.id


CONFIG = """
communities:
  - slug: practice
    name: Community of Practice
    domain: From the file.
    topics: [facilitation]
    channels: {console: general}
  - slug: rtm
    name: Real-time monitoring
    channels: {console: rtm}
  - slug: water
    name: Water
    channels: {console: water}
"""


async def test_the_configuration_file_seeds_but_never_undoes_what_was_changed_in_chat(
    database_url: str, tmp_path: Path
) -> None:
    from bot.settings import Settings

    config = tmp_path / "cultivate.yaml"
    config.write_text(CONFIG)
    settings = Settings(database_url=database_url, config_path=str(config))
    bot = await ConsoleBot.open(database_url, START, settings=settings)
    try:
        await bot.say("Ada", "/cop community edit name Practice Commons")
        await bot.say("Ada", "/cop community channel add rtm console:extra")
        await bot.say("Ada", "/cop community channel remove rtm console:rtm")
        await bot.say("Ada", "/cop community merge water into practice")
        await bot.say("Ada", "1")
    finally:
        await bot.close()
    again = await ConsoleBot.open(database_url, START + timedelta(days=1), settings=settings)
    try:
        card = await again.say("Ada", "/cop community")
        assert "Practice Commons" in card and "From the file." in card and "console: water" in card
        rtm = await again.say("Ada", "/cop community rtm")
        assert "console: extra" in rtm and "console: rtm" not in rtm
        assert "was merged into Practice Commons" in await again.say("Ada", "/cop join water")
    finally:
        await again.close()

"""Introductions: welcome, form, card, welcomes counted once, gentle nudges never at night, opting out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.settings import Settings
from tests.harness import ConsoleBot

ANSWERS = [
    "keep",
    "Data engineer, Kenya Power",
    "Nairobi",
    "Africa/Nairobi",
    "skip",
    "1, grafana",
    "alerting at scale",
    "SQL for dashboards",
    "skip",
]


async def introduce(bot: ConsoleBot, who: str, answers: list[str] = ANSWERS) -> str:
    out = await bot.say(who, "/cop intro")
    for answer in answers:
        out = await bot.say(who, answer)
    return out


async def test_a_newcomer_is_welcomed_in_dm_and_their_card_is_posted(bot: ConsoleBot) -> None:
    joined = await bot.say("Baraka", "/cop join")
    assert "DM to Baraka" in joined and "[1] Introduce myself" in joined
    assert "1/9 · How should we call you?" in await bot.say("Baraka", "1")
    for answer in ANSWERS[:-1]:
        await bot.say("Baraka", answer)
    posted = await bot.say("Baraka", "skip")
    assert "says in #general [" in posted and "Please welcome Baraka" in posted
    assert "Role: Data engineer, Kenya Power" in posted and "Expertise: facilitation, grafana" in posted
    assert "[1] Welcome   [2] Connect" in posted and "Your introduction is posted" in posted
    assert "Timezone" not in posted


async def test_welcomes_are_counted_once_and_not_by_the_newcomer(bot: ConsoleBot) -> None:
    await bot.say("Baraka", "/cop join")
    await introduce(bot, "Baraka")
    assert "Welcomed by 1" in await bot.say("Ada", "1")
    card = next(s for s in bot.adapter.shown if s.buttons and s.buttons[0].action_id == "intro.welcome")
    await bot.say("Ada", "/cop community")
    bot.adapter.shown.append(card)  # Ada scrolls back up to the card and presses Welcome again
    assert "You have already welcomed Baraka" in await bot.say("Ada", "1")
    bot.adapter.shown.append(card)
    assert "your own introduction" in await bot.say("Baraka", "1")
    bot.adapter.shown.append(card)
    refused = await bot.say("Zawadi", "1")  # she has not joined
    assert (
        "Join the community first (/cop join), then you can welcome Baraka" in refused
        and "Welcomed by 2" not in refused
    )


async def test_connect_tells_the_newcomer_who_wants_to_meet(bot: ConsoleBot) -> None:
    await bot.say("Baraka", "/cop join")
    await introduce(bot, "Baraka")
    answer = await bot.say("Ada", "2")
    assert "DM to Baraka" in answer and "Ada would like to connect with you" in answer
    assert "I told Baraka you would like to connect" in answer


async def test_each_answer_is_checked_when_given_and_a_city_is_read_as_its_timezone(bot: ConsoleBot) -> None:
    await bot.say("Baraka", "/cop join")
    await introduce(bot, "Baraka", ["keep", "skip", "skip"])
    out = await bot.say("Baraka", "Mars/Base")
    assert "⚠ I don't know the timezone “Mars/Base”" in out and "4/9" in out
    out = await bot.say("Baraka", "Nairobi")
    assert "Read as the timezone Africa/Nairobi; say back to change it." in out and "5/9" in out
    for answer in ("skip", "skip", "skip", "skip"):  # the language, then three more
        await bot.say("Baraka", answer)
    out = await bot.say("Baraka", "not a link")
    assert "⚠ A link starts with https://" in out and "9/9" in out
    assert "Please welcome Baraka" in await bot.say("Baraka", "https://example.org")
    assert "Africa/Nairobi" in await bot.say("Baraka", "/cop profile Baraka")


async def test_editing_saves_without_reposting_unless_asked(bot: ConsoleBot) -> None:
    await bot.say("Baraka", "/cop join")
    await introduce(bot, "Baraka")
    quiet = await introduce(bot, "Baraka", ["keep"] * 3 + ["keep", "keep", "keep", "keep", "keep", "keep", "1"])
    assert "not posted again" in quiet and "Please welcome" not in quiet
    loud = await introduce(bot, "Baraka", ["keep"] * 9 + ["2"])
    assert "Please welcome Baraka" in loud


async def test_nudges_after_three_and_seven_days_then_silence(bot: ConsoleBot) -> None:
    await bot.say("Zawadi", "/cop join")
    assert await bot.wait(timedelta(days=2, hours=23)) == ""
    first = await bot.wait(timedelta(hours=1))
    assert "DM to Zawadi" in first and "a gentle reminder" in first
    last = await bot.wait(timedelta(days=4))
    assert "Last reminder" in last
    assert await bot.wait(timedelta(days=30)) == ""


async def test_no_nudge_after_introducing_or_opting_out(bot: ConsoleBot) -> None:
    await bot.say("Baraka", "/cop join")
    await introduce(bot, "Baraka")
    await bot.say("Zawadi", "/cop join")
    assert "no more reminders" in await bot.say("Zawadi", "/cop intro skip")
    assert await bot.wait(timedelta(days=8)) == ""
    assert "already introduced yourself" in await bot.say("Baraka", "/cop intro skip")


async def test_nudges_never_arrive_in_the_members_night_in_two_timezones(bot: ConsoleBot) -> None:
    # Amina in Nairobi (UTC+3) joins at 22:30 her time; Joana in Sao Paulo (UTC-3) joins at 22:00 hers.
    bot.clock.advance(datetime(2026, 3, 2, 19, 30, tzinfo=UTC) - bot.clock.now())
    await bot.say("Amina", "/cop timezone Africa/Nairobi")
    await bot.say("Amina", "/cop join")
    bot.clock.advance(datetime(2026, 3, 3, 1, 0, tzinfo=UTC) - bot.clock.now())
    await bot.say("Joana", "/cop timezone America/Sao_Paulo")
    await bot.say("Joana", "/cop join")

    # Three days after joining would be 22:30 in Nairobi: it waits for 08:00 there (05:00 UTC).
    assert "Amina" not in await bot.wait(datetime(2026, 3, 6, 4, 59, tzinfo=UTC) - bot.clock.now())
    assert "DM to Amina" in await bot.wait(timedelta(minutes=1))
    # ...and for Joana, 08:00 in Sao Paulo (11:00 UTC), not 01:00 UTC.
    assert "Joana" not in await bot.wait(datetime(2026, 3, 6, 10, 59, tzinfo=UTC) - bot.clock.now())
    assert "DM to Joana" in await bot.wait(timedelta(minutes=1))


async def test_many_joins_at_once_are_one_channel_welcome(database_url: str, tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        "communities:\n  - slug: practice\n    name: Practice\n    channels: {console: general}\n"
        "    channel_welcome: true\n"
    )
    bot = await ConsoleBot.open(
        database_url,
        datetime(2026, 3, 2, 9, 1, tzinfo=UTC),
        settings=Settings(database_url=database_url, config_path=str(config)),
    )
    try:
        for n in range(12):
            await bot.say(f"Newcomer{n}", "/cop join")
        assert "Please welcome our" not in "\n".join(bot.lines)
        greeted = await bot.wait(timedelta(minutes=9))
        assert greeted.count("Please welcome our") == 1
        assert "Please welcome our 12 new members: Newcomer0, Newcomer1" in greeted and "and 2 more" in greeted
        assert await bot.wait(timedelta(hours=1)) == ""
    finally:
        await bot.close()

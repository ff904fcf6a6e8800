"""Moderated eDiscussions: scheduled, opened at their instant, nudged "
"when quiet, closed and summarised into the library."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from tests.conftest import START
from tests.harness import ConsoleBot

QUESTION = "What wakes you at night that should not?"


async def community(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop agenda add alert fatigue")
    for name, zone in (("Baraka", "America/Sao_Paulo"), ("Chidi", "Europe/Lisbon"), ("Dembe", "Africa/Kampala")):
        await bot.say(name, "/cop join")
        await bot.say(name, f"/cop timezone {zone}")
    assert "Only a coordinator" in await bot.say("Baraka", "/cop role grant Baraka moderator")
    assert "moderator" in await bot.say("Ada", "/cop role grant Baraka moderator")
    await bot.say("Chidi", "/cop discuss follow alert fatigue")


async def schedule(
    bot: ConsoleBot,
    who: str = "Ada",
    opens: str = "2026-03-05 14:00 Africa/Nairobi",
    days: str = "4",
    moderators: str = "Baraka",
) -> str:
    out = await bot.say(who, "/cop discuss schedule")
    for answer in ("1", QUESTION, "Think of last week's night shifts.", opens, days, moderators):
        out = await bot.say(who, answer)
    return out


def opening_ref(bot: ConsoleBot) -> str:
    for line in reversed(bot.lines):
        if "Discussion: alert fatigue" in line or "Cultivate says in #general [" in line:
            m = re.search(r"\[(m\d+)\]", line)
            if m and "Discussion" in "\n".join(bot.lines[bot.lines.index(line) : bot.lines.index(line) + 1]):
                return m[1]
    raise AssertionError("no opening post")


async def until(bot: ConsoleBot, moment: datetime) -> str:
    return await bot.wait(moment - bot.clock.now())


async def test_scheduled_echoed_in_the_schedulers_zone_and_followers_told(bot: ConsoleBot) -> None:
    await community(bot)
    answer = await schedule(bot)
    assert "Discussion #1 on “alert fatigue” is scheduled." in answer
    assert (
        "It opens Thu 5 Mar 2026, 14:00 (Africa/Nairobi) and closes Mon 9 Mar 2026, 14:00 (Africa/Nairobi)." in answer
    )
    assert "1 follower of the topic was told" in answer
    told = "\n".join(bot.lines)
    assert "DM to Chidi" in told and "a topic you follow, opens Thu 5 Mar 2026, 11:00 (Europe/Lisbon)" in told
    listed = await bot.say("Chidi", "/cop discuss list")
    assert "Upcoming" in listed and "#1 alert fatigue — Thu 5 Mar 2026, 11:00 (Europe/Lisbon)" in listed


async def test_a_discussion_opens_is_nudged_prompted_closed_and_summarised(bot: ConsoleBot) -> None:
    await community(bot)
    await schedule(bot)  # opens 11:00 UTC on 5 March, closes 11:00 UTC on 9 March
    assert "Discussion: alert fatigue" not in await until(bot, datetime(2026, 3, 5, 10, 59, tzinfo=UTC))
    opened = await until(bot, datetime(2026, 3, 5, 11, 0, tzinfo=UTC))
    assert "says in #general" in opened and "Discussion: alert fatigue" in opened and QUESTION in opened
    assert "moderated by Ada, Baraka" in opened
    # The card is read by all: the community's time first, then the zone it was planned in.
    assert "open until Mon 9 Mar 2026, 11:00 (UTC) — Mon 9 Mar 2026, 14:00 (Africa/Nairobi)" in opened
    assert "DM to Chidi" in opened and "is open until" in opened
    root = re.search(r"says in #general \[(m\d+)\]:\n    💬 Discussion", opened)
    assert root, opened
    # Nobody replies for a day: both moderators are nudged, once.
    quiet = await until(bot, datetime(2026, 3, 6, 11, 0, tzinfo=UTC))
    assert quiet.count("has been quiet for 24 hours") == 2 and "DM to Ada" in quiet and "DM to Baraka" in quiet
    # Replies count, and push the next nudge back a day from the last one.
    await bot.wait(timedelta(hours=2))
    await bot.say("Chidi", f"/reply {root[1]} Disk alerts every night, all false.")
    await bot.say("Dembe", f"/reply {root[1]} Same here.")
    assert "quiet" not in await until(bot, datetime(2026, 3, 7, 10, 0, tzinfo=UTC))
    mid = await until(bot, datetime(2026, 3, 7, 11, 0, tzinfo=UTC))
    assert mid.count("is half way") == 2 and "2 replies · 2 people" in mid
    assert "quiet for 24 hours" in await until(bot, datetime(2026, 3, 7, 13, 0, tzinfo=UTC))
    closed = await until(bot, datetime(2026, 3, 9, 11, 0, tzinfo=UTC))
    assert "Discussion (closed): alert fatigue" in closed and "This discussion is closed" in closed
    assert closed.count("Please write its summary") == 2
    assert "the summary is in the thread" not in closed and "summary will follow in the thread" in closed
    # Baraka writes the summary from the button in his DM.
    await bot.say("Baraka", "1")
    for answer in ("Most night pages are disk alerts.", "Route disk alerts to the day queue.", "skip"):
        done = await bot.say("Baraka", answer)
    item = re.search(r"The summary is posted and kept in the library as #(\d+)", done)
    assert item, done
    assert f"Discussion #1 · kept in the library as #{item[1]} " in done, "the card and the DM name the same item"
    assert f"the summary is in the thread (library #{item[1]})" in done, "the closed card, updated"
    assert "Summary of the discussion “alert fatigue”" in done and "› thread" in done
    assert "Next champion? Chidi replied once" in done or "Next champion? Dembe" in done
    found = await bot.say("Dembe", "/cop library search disk alerts")
    assert "Discussion: alert fatigue" in found
    again = await bot.say("Ada", "/cop discuss summary 1")
    assert "already summarised" in again
    assert "Closed" in await bot.say("Ada", "/cop discuss list")


async def test_close_by_command_asks_the_closer_for_the_summary_at_once(bot: ConsoleBot) -> None:
    await community(bot)
    await schedule(bot)
    await until(bot, datetime(2026, 3, 5, 11, 0, tzinfo=UTC))
    assert "Only a moderator" in await bot.say("Dembe", "/cop discuss close 1")
    closing = await bot.say("Baraka", "/cop discuss close 1")
    assert "Summary of discussion #1" in closing and "DM to Ada" in closing and "Please write its summary" in closing
    assert "not open" in await bot.say("Baraka", "/cop discuss close 1")
    # Nothing scheduled for the old closing time fires.
    later = await until(bot, datetime(2026, 3, 10, tzinfo=UTC))
    assert "half way" not in later and "quiet" not in later and "is closed" not in later


async def test_edit_reschedules_and_cancel_silences(bot: ConsoleBot) -> None:
    await community(bot)
    await schedule(bot)
    await bot.say("Ada", "/cop discuss edit 1")
    for answer in ("keep", "keep", "keep", "2026-03-06 10:00 Africa/Nairobi", "keep"):
        await bot.say("Ada", answer)
    edited = await bot.say("Ada", "keep")
    assert (
        "Discussion #1 on “alert fatigue” is changed." in edited and "Fri 6 Mar 2026, 10:00 (Africa/Nairobi)" in edited
    )
    assert "has changed: it opens" in "\n".join(bot.lines)
    assert "Discussion: alert fatigue" not in await until(bot, datetime(2026, 3, 6, 6, 59, tzinfo=UTC))
    assert "Discussion: alert fatigue" in await until(bot, datetime(2026, 3, 6, 7, 0, tzinfo=UTC))
    refused = await bot.say("Ada", "/cop discuss edit 1")
    assert "opened Fri 6 Mar 2026" in refused and "can no longer be edited" in refused
    await schedule(bot, opens="2026-03-20 09:00 Africa/Nairobi")
    cancelled = await bot.say("Baraka", "/cop discuss cancel 2")
    assert "Discussion #2 is cancelled" in cancelled
    assert "cancelled" in "\n".join(bot.lines[-6:]) and "DM to Chidi" in "\n".join(bot.lines[-6:])
    later = await until(bot, datetime(2026, 4, 30, tzinfo=UTC))
    assert later.count("Discussion: alert fatigue") == 0


async def test_bad_input_gets_clear_answers(bot: ConsoleBot) -> None:
    await community(bot)
    assert "Only a moderator can do that" in await bot.say("Dembe", "/cop discuss schedule")
    await bot.say("Ada", "/cop discuss schedule")
    for answer in ("1", QUESTION, "Think of last week's night shifts."):
        await bot.say("Ada", answer)
    out = await bot.say("Ada", "2026-03-01 09:00")
    assert "⚠ That is in the past" in out and "4/6 · Opening time" in out
    assert "YYYY-MM-DD" in await bot.say("Ada", "2026-02-30 09:00")
    assert "I do not know the timezone Mars/Olympus" in await bot.say("Ada", "2026-03-05 09:00 Mars/Olympus")
    assert "5/6 · Length in days" in await bot.say("Ada", "2026-03-05 09:00")
    out = await bot.say("Ada", "in 2 hours")
    assert "Only a number from 1 to 30 here" in out and "5/6 · Length in days" in out
    assert "Only a number from 1 to 30 here" in await bot.say("Ada", "45")
    await bot.say("Ada", "5")
    out = await bot.say("Ada", "Nobody Here")
    assert "I find no member called Nobody Here" in out
    assert "Co-moderators" in out and "Now: Nobody Here" in out
    done = await bot.say("Ada", "Baraka, Dembe")
    assert "is scheduled" in done
    assert "There is no discussion #9 here" in await bot.say("Ada", "/cop discuss cancel 9")
    unknown = await bot.say("Ada", "/cop discuss frobnicate")
    assert "I don't know “frobnicate” after discuss." in unknown
    assert "/cop discuss schedule — Schedule a discussion" in unknown and "/cop discuss following" in unknown
    assert "already follow" in await bot.say("Chidi", "/cop discuss follow Alert Fatigue")


async def test_an_ambiguous_time_is_resolved_and_stated(bot: ConsoleBot) -> None:
    await community(bot)
    await bot.say("Ada", "/cop timezone Europe/London")
    bot.clock.advance(datetime(2026, 10, 20, tzinfo=UTC) - START)
    out = await schedule(bot, opens="2026-10-25 01:30")
    assert "01:30 happens twice on 2026-10-25 in Europe/London" in out and "I took the first, 01:30 BST" in out


async def test_a_restart_between_scheduling_and_opening_loses_nothing(database_url: str) -> None:
    first = await ConsoleBot.open(database_url, START)
    await community(first)
    await schedule(first)
    await first.close()
    second = await ConsoleBot.open(database_url, START)
    try:
        out = ""
        for day in (5, 6, 7, 8, 9, 10):
            out += await until(second, datetime(2026, 3, day, 11, 0, tzinfo=UTC))
        assert out.count("Discussion: alert fatigue") == 1 and out.count("is half way") == 2
        assert out.count("Please write its summary") == 2
    finally:
        await second.close()


async def test_moderators_are_not_prompted_in_their_night(bot: ConsoleBot) -> None:
    await community(bot)
    await schedule(bot, opens="2026-03-05 09:00 Africa/Nairobi")  # 06:00 UTC: Ada (UTC) and Baraka (Sao Paulo) asleep
    await until(bot, datetime(2026, 3, 5, 6, 0, tzinfo=UTC))
    assert "quiet" not in await until(bot, datetime(2026, 3, 6, 7, 59, tzinfo=UTC))
    ada = await until(bot, datetime(2026, 3, 6, 8, 0, tzinfo=UTC))
    assert "DM to Ada" in ada and "has been quiet for 26 hours" in ada and "DM to Baraka" not in ada
    # Someone replies before Baraka wakes: his nudge no longer applies and is not sent.
    root = re.search(r"\[(m\d+)\]:\n    💬 Discussion", "\n".join(bot.lines))
    assert root
    await bot.wait(timedelta(hours=1))
    await bot.say("Chidi", f"/reply {root[1]} We silenced the disk alerts at night.")
    assert "quiet" not in await until(bot, datetime(2026, 3, 6, 11, 30, tzinfo=UTC))


async def test_following_a_misspelt_topic_follows_the_topic_and_one_choice_is_said_plainly(bot: ConsoleBot) -> None:
    await community(bot)
    followed = await bot.say("Dembe", "/cop discuss follow alert fatique")
    assert "I took “alert fatique” as “alert fatigue”" in followed
    assert "DM to Dembe" in await schedule(bot), "a follower of the misspelt topic is told"
    assert "alert fatigue" in await bot.say("Dembe", "/cop discuss following")
    await bot.say("Ada", "/cop discuss schedule")
    assert "There is one choice: answer 1." in await bot.say("Ada", "2")

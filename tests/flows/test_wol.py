"""Working out loud through the console: members opt in, share in two or three lines (or skip in one tap), the
shares are posted together in one thread per cycle, and "help welcome" goes to peers who know."""

from __future__ import annotations

from datetime import timedelta

from storage import activity
from tests.flows.test_checkins import ZONES, dms, focal_points
from tests.harness import ConsoleBot


async def share(bot: ConsoleBot, name: str, *lines: str) -> str:
    out = await bot.say(name, "/cop wol share")
    for line in lines:
        out = await bot.say(name, line)
    return out


async def test_a_cycle_is_compiled_into_one_thread_with_help_routed(bot: ConsoleBot) -> None:
    await focal_points(bot)
    assert "Only a moderator" in await bot.say("Amina", "/cop wol start data quality")
    started = await bot.say("Ada", "/cop wol start data quality weekly")
    assert "says in #general [" in started and "Working out loud on “data quality”, every week." in started
    assert "Circle #1 on “data quality” is started, every week" in started
    for name in ZONES:
        joined = await bot.say(name, "/cop wol join")
        assert "You are in circle #1 on “data quality”" in joined
    assert "already in circle #1" in await bot.say("Amina", "/cop wol join 1")
    asked = await bot.wait(timedelta(hours=3))  # São Paulo wakes up
    assert "Baraka" in dms(asked, "what are you working on")

    kept = await share(
        bot,
        "Amina",
        "Cleaning survey data from three districts",
        "Validation rules catch most typos",
        "data quality checks",
    )
    assert "Your share is posted with the others Wed 4 Mar 2026, 12:00 (Africa/Nairobi)." in kept
    await share(bot, "Chidi", "A stock-out dashboard", "skip", "none")
    assert "Skipped — see you next time." in await bot.say("Baraka", "2")  # "Skip this time" in his DM

    compiled = await bot.wait(timedelta(days=2))
    assert compiled.count("Working out loud — data quality") == 1, "one post for the whole cycle"
    post = compiled[compiled.index("Working out loud — data quality") :]
    assert "Amina\n    Working on: Cleaning survey data from three districts" in post
    assert "Learned: Validation rules catch most typos" in post and "Help welcome: data quality checks" in post
    assert "→ peer assist #1: I asked Tomás (listed data quality)" in post
    assert "Chidi\n    Working on: A stock-out dashboard" in post and "Baraka" not in post
    assert "2 shares · circle #1" in post and "Tomás" in dms(compiled, "Amina could use your help")

    late = await share(bot, "Ada", "Planning the next webinar", "skip", "skip")
    assert "updated in #general [" in late and "3 shares · circle #1" in late, "a late share joins the same post"
    assert "says in #general [" not in late

    following = await bot.wait(timedelta(days=5))
    assert dms(following, "what are you working on") == {"Ada", "Amina", "Baraka", "Chidi"}
    assert "You have left circle #1" in await bot.say("Chidi", "/cop wol leave")
    third = await bot.wait(timedelta(days=7))
    assert "Chidi" not in dms(third, "what are you working on")
    async with bot.runtime.services.sessions() as db:
        assert await activity.count(db, "wol.shared") == 3


async def test_circles_listed_joined_and_stopped(bot: ConsoleBot) -> None:
    await focal_points(bot)
    assert "No working-out-loud circle yet" in await bot.say("Amina", "/cop wol")
    await bot.say("Ada", "/cop wol start monitoring dashboards fortnightly")
    await bot.say("Ada", "/cop wol start alerting")
    listed = await bot.say("Amina", "/cop wol")
    assert "#1 monitoring dashboards — every two weeks · 1 member" in listed and "#2 alerting — every week" in listed
    assert "Say which circle, by its number" in await bot.say("Amina", "/cop wol join")
    assert "There is no circle #9 here." in await bot.say("Amina", "/cop wol join 9")
    assert "Circle #2 on “alerting” is stopped." in await bot.say("Ada", "/cop wol stop 2")
    assert "Circle #2 is stopped." in await bot.say("Amina", "/cop wol join 2")
    assert "Say the topic" in await bot.say("Ada", "/cop wol start x")

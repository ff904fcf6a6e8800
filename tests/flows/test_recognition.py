"""Thanks with a reason, in public, credited and shown on the profile; empty praise is refused kindly."""

from __future__ import annotations

from tests.harness import ConsoleBot


async def test_a_thanks_with_a_reason_is_posted_credited_and_shown(bot: ConsoleBot) -> None:
    await bot.say("Baraka Otieno", "/cop join")
    await bot.say("Amina", "/cop join")
    answer = await bot.say("Amina", "/cop thanks Baraka Otieno for the Grafana alert templates")
    assert "says in #general [" in answer and "🙏 Amina thanks Baraka Otieno for the Grafana alert templates" in answer
    assert "DM to Baraka Otieno" in answer and "Amina thanked you" in answer
    profile = await bot.say("Ada", "/cop profile Baraka Otieno")
    assert "Thanked: 1 time" in profile and "Recently thanked for: the Grafana alert templates" in profile


async def test_thanks_without_a_reason_or_to_oneself_is_refused_kindly(bot: ConsoleBot) -> None:
    await bot.say("Baraka", "/cop join")
    await bot.say("Amina", "/cop join")
    empty = await bot.say("Amina", "/cop thanks Baraka")
    assert "Say what you thank Baraka for" in empty and "Usage: /cop thanks <member> <for what>" in empty
    assert "Say what you thank" in await bot.say("Amina", "/cop thanks Baraka for")
    assert "Thanking yourself" in await bot.say("Amina", "/cop thanks Amina for being great")
    assert "I don't know anyone called “Zed”" in await bot.say("Amina", "/cop thanks Zed for the help")
    assert "Thanked" not in await bot.say("Ada", "/cop profile Baraka")


async def test_member_text_in_a_thanks_cannot_ping_the_channel(bot: ConsoleBot) -> None:
    await bot.say("Baraka", "/cop join")
    await bot.say("Amina", "/cop join")
    answer = await bot.say("Amina", "/cop thanks Baraka for waking @everyone up")
    assert "@everyone" not in answer and "@\u2060everyone" in answer


async def test_no_leaderboard_until_a_coordinator_turns_it_on(bot: ConsoleBot) -> None:
    for name in ("Baraka", "Amina", "Chidi"):
        await bot.say(name, "/cop join")
    await bot.say("Amina", "/cop thanks Baraka for the alert templates")
    await bot.say("Chidi", "/cop thanks Baraka for reviewing my dashboard")
    await bot.say("Baraka", "/cop thanks Chidi for the on-call rota")
    assert "There is no leaderboard" in await bot.say("Amina", "/cop thanks board")
    assert "Only a coordinator" in await bot.say("Amina", "/cop thanks board on")
    assert "now on" in await bot.say("Ada", "/cop thanks board on")
    board = await bot.say("Amina", "/cop thanks board")
    assert board.index("Baraka: thanked 2 times") < board.index("Chidi: thanked 1 time")

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

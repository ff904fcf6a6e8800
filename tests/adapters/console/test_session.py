"""The console's own controls: who is typing, moving time, leaving, and what is not a control."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from adapters.console.repl import run_console
from bot.runtime import StartupError
from bot.settings import Settings
from flows import all_routines
from tests.harness import ConsoleBot


async def test_controls_answer_plainly(bot: ConsoleBot) -> None:
    assert "Console controls" in await bot.say("Ada", "/help")
    assert "“/foo” is not a console control" in await bot.say("Ada", "/foo bar")
    assert "usage: /as NAME" in await bot.say("Ada", "/as")
    assert "You are now Baraka Otieno." in await bot.say("Ada", "/as   Baraka   Otieno")
    assert "usage: /time +90m" in await bot.say("Ada", "/time tomorrow")


async def test_time_moves_forward_and_says_when_it_is(bot: ConsoleBot) -> None:
    before = bot.clock.now()
    answer = await bot.say("Ada", "/time +90m")
    assert bot.clock.now() - before == timedelta(minutes=90)
    assert "It is now Mon 2 Mar 2026, 10:30 (UTC)" in answer
    await bot.say("Ada", "/time +3d")
    assert bot.clock.now() - before == timedelta(days=3, minutes=90)


async def test_a_script_prints_a_transcript_with_each_speaker(database_url: str) -> None:
    lines: list[str] = []
    script = io.StringIO("/cop join\n/as Baraka\n/cop join\n/cop role grant Ada moderator\n")
    status = await run_console(
        Settings(database_url=database_url),
        all_routines(),
        name="Ada",
        community=None,
        stdin=script,
        write=lines.append,
        interactive=False,
    )
    transcript = "\n".join(lines)
    assert status == 0
    assert "Ada> /cop join" in transcript and "Baraka> /cop role grant Ada moderator" in transcript
    assert "Only a coordinator can do that" in transcript


async def test_an_unknown_community_is_refused(database_url: str) -> None:
    with pytest.raises(StartupError, match="no community called “nope”"):
        await run_console(
            Settings(database_url=database_url),
            all_routines(),
            name="Ada",
            community="nope",
            stdin=io.StringIO(""),
            write=lambda _line: None,
            interactive=False,
        )


async def test_a_huge_time_move_is_refused_and_the_console_goes_on(bot: ConsoleBot) -> None:
    before = bot.clock.now()
    answer = await bot.say("Ada", "/time +99999999d")
    assert "at most 3650 days" in answer
    assert "at most 3650 days" in await bot.say("Ada", "/time +99999999999999999999999d")
    assert bot.clock.now() == before
    assert "Cultivate" in await bot.say("Ada", "/cop help")
    assert "It is now Fri 29 Feb 2036" in await bot.say("Ada", "/time +3651d")


async def test_names_in_any_script_are_different_members(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop community")
    await bot.say("Амина", "/cop join")
    answer = await bot.say("李娜", "/cop join")
    assert "already a member" not in answer
    assert bot.sessions["Амина"].user != bot.sessions["李娜"].user

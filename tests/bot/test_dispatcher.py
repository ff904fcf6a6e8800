"""The router: events once, answers instead of stack traces, buttons, direct messages."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.context import Context
from bot.events import ActionClicked, Actor, CommandInvoked, MemberJoined, Place
from bot.messages import Button, Message
from bot.registry import DuplicateRegistration, Registry, Routine
from bot.runtime import Runtime
from bot.settings import Settings
from flows import all_routines
from storage.models import Role
from tests.conftest import START
from tests.fakes import RecordingAdapter
from tests.harness import ConsoleBot

AMINA = Actor("fake", "T1", "U1", "Amina")
CHANNEL = Place("fake", "T1", "C1")

playground = Routine("playground")
pressed: list[str] = []


@playground.command("crash", usage="crash", help="Fails on purpose", role=None)
async def crash(ctx: Context, text: str) -> None:
    raise RuntimeError("boom")


@playground.command("vote", usage="vote", help="Shows buttons", role=None)
async def vote(ctx: Context, text: str) -> None:
    await ctx.reply(
        Message("Which?", buttons=(Button("Yes", "playground.pick", "yes"), Button("No", "playground.pick", "no")))
    )


@playground.action("playground.pick")
async def pick(ctx: Context, value: str) -> None:
    pressed.append(value)
    await ctx.reply(f"You picked {value}.")


@pytest.fixture
async def runtime(database_url: str) -> AsyncIterator[tuple[Runtime, RecordingAdapter]]:
    pressed.clear()
    rt = await Runtime.open(
        Settings(database_url=database_url), all_routines() + [playground], clock=ManualClock(START)
    )
    adapter = RecordingAdapter()
    rt.add_adapter(adapter)
    yield rt, adapter
    await rt.close()


async def test_a_retried_event_is_processed_once(runtime: tuple[Runtime, RecordingAdapter]) -> None:
    rt, adapter = runtime
    event = CommandInvoked(actor=AMINA, place=CHANNEL, name="help", event_id="Ev123")
    first = await rt.handle(event)
    again = await rt.handle(event)
    assert not first.duplicate and again.duplicate
    assert len(adapter.sent) == 1
    assert b'cultivate_duplicate_events_total{platform="fake"} 1.0' in rt.services.metrics.exposition()


async def test_an_unexpected_error_is_an_apology_with_a_reference_and_is_counted(
    runtime: tuple[Runtime, RecordingAdapter],
) -> None:
    rt, adapter = runtime
    await rt.handle(CommandInvoked(actor=AMINA, place=CHANNEL, name="crash"))
    _place, out = adapter.sent[-1]
    assert "something went wrong on my side" in out.message.text and "ref " in out.message.text
    assert out.only_for == "U1"
    assert b'cultivate_handler_errors_total{kind="CommandInvoked"} 1.0' in rt.services.metrics.exposition()


async def test_an_unknown_button_says_it_no_longer_works(runtime: tuple[Runtime, RecordingAdapter]) -> None:
    rt, adapter = runtime
    await rt.handle(ActionClicked(actor=AMINA, place=CHANNEL, action_id="gone.away"))
    assert "no longer does anything" in adapter.texts()[-1]


async def test_a_member_joining_the_home_channel_becomes_a_member(database_url: str) -> None:
    harness = await ConsoleBot.open(database_url, START)
    try:
        joiner = Actor("console", "local", "zawadi", "Zawadi")
        await harness.runtime.handle(MemberJoined(actor=joiner, place=Place("console", "local", "general")))
        assert "Members: 1" in await harness.say("Zawadi", "/cop community")
    finally:
        await harness.close()


async def test_buttons_on_the_console_are_pressed_by_number(database_url: str) -> None:
    harness = await ConsoleBot.open(database_url, START, routines=all_routines() + [playground])
    try:
        shown = await harness.say("Amina", "/cop vote")
        assert "[1] Yes   [2] No" in shown
        assert "Choose a button from 1 to 2" in await harness.say("Amina", "5")
        assert "You picked no." in await harness.say("Amina", "2")
        assert pressed == ["no"]
    finally:
        await harness.close()


async def test_a_direct_message_outside_a_conversation_points_to_help(database_url: str) -> None:
    harness = await ConsoleBot.open(database_url, START)
    try:
        assert "I answer commands: try /cop help." in await harness.say("Amina", "hello there")
        assert "at most 4000 characters" in await harness.say("Amina", "y" * 4001)
    finally:
        await harness.close()


def test_two_routines_cannot_claim_the_same_verb() -> None:
    a, b = Routine("a"), Routine("b")

    async def handler(ctx: Context, text: str) -> None: ...

    a.command("same", usage="same", help="x")(handler)
    b.command("same", usage="same", help="y")(handler)
    with pytest.raises(DuplicateRegistration):
        Registry([a, b])


def test_help_is_filtered_by_role() -> None:
    registry = Registry(all_routines())
    visitor = {c.verb for c in registry.visible_commands(None)}
    coordinator = {c.verb for c in registry.visible_commands(Role.COORDINATOR)}
    assert "role grant" not in visitor and "join" in visitor
    assert {"role grant", "role revoke", "deliveries", "leave"} <= coordinator

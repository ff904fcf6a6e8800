"""Sub-commands: the longest declared prefix wins, a group's default runs alone, roles are checked by the core."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.help import command_help
from bot.plaintext import render
from bot.registry import DuplicateRegistration, Registry, Routine, encode_payload
from storage.models import Role
from tests.harness import ConsoleBot

toy = Routine("toy")


async def _noop(ctx: object, text: str) -> None:
    return None


toy.command("kite", usage="kite <words>", help="Fly a kite")(_noop)
toy.command("kite list", usage="kite list", help="List kites", default=True)(_noop)
toy.command("kite cut", usage="kite cut <id>", help="Cut a string", role=Role.MODERATOR, aliases=("kite snip",))(_noop)


def test_the_longest_declared_prefix_wins_and_keeps_the_rest_as_typed() -> None:
    registry = Registry([toy])
    found = registry.resolve("Kite  CUT #3   now\nplease")
    assert found.command is not None and found.command.verb == "kite cut" and found.rest == "#3   now\nplease"
    assert registry.resolve("kite snip 3").command is registry.commands["kite cut"]
    assert registry.resolve("kite red and blue").command is registry.commands["kite"]
    assert registry.resolve("kite").command is registry.commands["kite"]  # a bare verb beats the default


def test_a_group_without_a_bare_verb_runs_its_default_alone_and_names_the_unknown_sub_verb() -> None:
    group = Routine("group")
    group.command("tent list", usage="tent [list]", help="List tents", default=True)(_noop)
    group.command("tent pitch", usage="tent pitch", help="Pitch one")(_noop)
    registry = Registry([group])
    assert registry.resolve("tent").command is registry.commands["tent list"]
    unknown = registry.resolve("tent fold up")
    assert unknown.command is None and unknown.group == "tent" and unknown.rest == "fold up"
    assert registry.resolve("canoe").command is None and registry.resolve("canoe").group is None


def test_duplicates_and_two_defaults_are_refused() -> None:
    twice = Routine("twice")
    twice.command("a b", usage="a b", help="x", default=True)(_noop)
    with pytest.raises(DuplicateRegistration):
        twice.command("a b", usage="a b", help="y")(_noop)
    twice.command("a c", usage="a c", help="z", default=True)(_noop)
    with pytest.raises(DuplicateRegistration):
        Registry([twice])
    with pytest.raises(ValueError):
        Routine("long").command("one two three four", usage="", help="")


def test_help_for_a_verb_lists_its_forms_with_the_role_each_needs() -> None:
    text = render(command_help(Registry([toy]), "kite", Role.MEMBER))  # type: ignore[arg-type]
    assert "/cop kite cut <id> — Cut a string · moderators and coordinators" in text
    assert "/cop kite list — List kites" in text and "kite snip" not in text


def test_payloads_are_dataclasses_stored_as_dicts_and_read_back_ignoring_old_keys() -> None:
    @dataclass(frozen=True)
    class Ping:
        request: int
        note: str = ""

    pings = Routine("pings")
    pings.delivery("ping", payload=Ping)(_noop)
    kind = Registry([pings]).deliveries["ping"]
    assert encode_payload(Ping(3, "hi")) == {"request": 3, "note": "hi"}
    assert kind.decode({"request": 3, "gone": True}) == Ping(3)
    with pytest.raises(TypeError):
        encode_payload(3)


async def test_help_webinar_in_the_console_shows_each_sub_verb_and_who_may_use_it(bot: ConsoleBot) -> None:
    answer = await bot.say("Ada", "/cop help webinar")
    assert "/cop webinar [list] — The webinar series" in answer
    assert "/cop webinar move <id> <when> — Move a session to another time · moderators and coordinators" in answer
    refused = await bot.say("Zawadi", "/cop join") and await bot.say("Zawadi", "/cop webinar cancel 1")
    assert "Only a moderator can do that" in refused


async def test_a_routine_route_is_served_with_the_running_services(database_url: str) -> None:
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from bot.runtime import Runtime
    from bot.server import build_app
    from bot.settings import Settings
    from flows import all_routines

    pages = Routine("pages")

    @pages.route("GET", "/hello")
    async def hello(request: web.Request, services: object) -> web.Response:
        return web.Response(text=f"hello {request.query.get('who', '')} from {type(services).__name__}")

    runtime = await Runtime.open(Settings(database_url=database_url), [*all_routines(), pages])
    try:
        async with TestClient(TestServer(build_app(runtime))) as client:
            response = await client.get("/hello?who=Amina")
            assert response.status == 200 and await response.text() == "hello Amina from Services"
    finally:
        await runtime.close()

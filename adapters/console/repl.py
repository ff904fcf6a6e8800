"""Running the console: an interactive terminal, or a plain transcript when input is a script."""
from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import TextIO

from adapters.console.adapter import ConsoleAdapter
from adapters.console.session import CONTROLS, ConsoleSession, _user_id
from bot.clock import ShiftedClock
from bot.community_config import CONSOLE_CHANNEL
from bot.i18n import _
from bot.registry import Routine
from bot.runtime import Runtime
from bot.settings import Settings
from storage import communities


async def run_console(
    settings: Settings, routines: list[Routine], *, name: str, community: str | None,
    stdin: TextIO = sys.stdin, write: Callable[[str], None] = print, interactive: bool | None = None,
) -> int:
    """Chat until /quit or end of input; returns the exit status."""
    interactive = stdin.isatty() if interactive is None else interactive
    clock = ShiftedClock()
    # With no configuration, whoever runs the console coordinates the built-in community.
    starter = () if settings.config_path else (f"console:{_user_id(name)}",)
    runtime = await Runtime.open(settings, routines, clock=clock, extra_coordinators=starter)
    try:
        channel = await _channel(runtime, community)
        if channel is None:
            write(_("There is no community called “{name}”.").format(name=community))
            return 2
        adapter = ConsoleAdapter(write=write)
        runtime.add_adapter(adapter)
        session = ConsoleSession(runtime, adapter, clock, name, channel)
        if interactive:
            runtime.scheduler.start()
            write(_("Cultivate console — you are {name} in #{channel}. Type /cop help to begin.").format(name=name, channel=channel))
            write(_(CONTROLS) + "\n")
        while True:
            try:
                line = await _read(stdin, session.prompt if interactive else None)
            except (EOFError, KeyboardInterrupt):
                break
            if line is None:
                break
            if not interactive:
                write(f"{session.prompt}{line.rstrip()}")
            if not await session.line(line):
                break
        if interactive:
            write(_("Bye."))
        return 0
    finally:
        await runtime.close()


async def _channel(runtime: Runtime, slug: str | None) -> str | None:
    async with runtime.services.sessions() as db:
        if slug is None:
            found = await communities.all_communities(db)
            chosen = next((c for c in found if c.slug == "practice"), found[0] if found else None)
        else:
            chosen = await communities.by_slug(db, slug)
        if chosen is None:
            return None
        console = communities.home_channels(chosen, "console")
        return console[0].channel if console else CONSOLE_CHANNEL


async def _read(stdin: TextIO, prompt: str | None) -> str | None:
    if prompt is not None:
        return await asyncio.to_thread(input, prompt)
    line = await asyncio.to_thread(stdin.readline)
    return line if line else None

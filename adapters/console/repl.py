"""Running the console: an interactive terminal, or a plain transcript when input is a script."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TextIO

from aiohttp import web

from adapters.console.adapter import ConsoleAdapter
from adapters.console.session import CONTROLS, ConsoleSession, _user_id
from bot.clock import ShiftedClock
from bot.community_config import CONSOLE_CHANNEL
from bot.i18n import _
from bot.registry import Routine
from bot.runtime import Runtime, StartupError
from bot.server import build_app
from bot.settings import Settings
from storage import communities

log = logging.getLogger(__name__)


async def run_console(
    settings: Settings,
    routines: list[Routine],
    *,
    name: str,
    community: str | None,
    stdin: TextIO = sys.stdin,
    write: Callable[[str], None] = print,
    interactive: bool | None = None,
    start: datetime | None = None,
    web_port: int | None = None,
) -> int:
    """Chat until /quit or end of input; returns the exit status. `start` sets the clock (demos, scripts); with
    `web_port`, the web pages are served on 127.0.0.1 beside the console (a busy port is said, not fatal)."""
    interactive = stdin.isatty() if interactive is None else interactive
    clock = ShiftedClock(start)
    # With no configuration, whoever runs the console coordinates the built-in community.
    starter = () if settings.config_path else (f"console:{_user_id(name)}",)
    runtime = await Runtime.open(settings, routines, clock=clock, extra_coordinators=starter)
    pages: web.AppRunner | None = None
    try:
        channel = await _channel(runtime, community)
        if channel is None:
            raise StartupError(_("there is no community called “{name}”").format(name=community))
        adapter = ConsoleAdapter(write=write)
        runtime.add_adapter(adapter)
        session = ConsoleSession(runtime, adapter, clock, name, channel)
        if web_port is not None:
            pages = await _serve_pages(runtime, web_port, write)
        if interactive:
            runtime.scheduler.start()
            write(
                _("Cultivate console — you are {name} in #{channel}. Type /cop help to begin.").format(
                    name=name, channel=channel
                )
            )
            write(_(CONTROLS) + "\n")
        while True:
            try:
                line = await _read(stdin, session.prompt if interactive else None)
            except (EOFError, KeyboardInterrupt):
                if interactive:
                    write("")  # the prompt is still on the line
                break
            if line is None:
                break
            if not interactive:
                write(f"{session.prompt}{line.rstrip()}")
            try:
                if not await session.line(line):
                    break
            except Exception:
                log.exception("console line failed: %r", line[:80])
                write(_("  (console) Sorry, that line failed on our side; it has been logged."))
        if interactive:
            write(_("Bye."))
        return 0
    finally:
        if pages is not None:
            await pages.cleanup()
        await runtime.close()


async def _serve_pages(runtime: Runtime, port: int, write: Callable[[str], None]) -> web.AppRunner | None:
    """The web pages on loopback beside the console; None (and a line saying so) when they cannot be served."""
    if not runtime.services.registry.sites:
        write(_("  (console) The web pages are not installed, so --web has nothing to serve."))
        return None
    runner = web.AppRunner(build_app(runtime), handle_signals=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", port).start()
    except OSError as e:
        await runner.cleanup()
        write(
            _("  (console) The web pages cannot use port {port} ({reason}); going on without them.").format(
                port=port, reason=e.strerror or e
            )
        )
        return None
    write(
        _("  (console) Web pages at http://127.0.0.1:{port}/c/ — type /cop web for your sign-in link.").format(
            port=port
        )
    )
    return runner


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
    """One line of input; None at end of input. Reads in a daemon thread so Ctrl-C leaves at once."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str | None] = loop.create_future()

    def read() -> None:
        try:
            line: str | None = input(prompt) if prompt is not None else (stdin.readline() or None)
            loop.call_soon_threadsafe(_settle, future, line, None)
        except BaseException as e:  # noqa: BLE001 - EOFError and friends are handed to the reader
            loop.call_soon_threadsafe(_settle, future, None, e)

    threading.Thread(target=read, name="console-input", daemon=True).start()
    return await future


def _settle(future: asyncio.Future[str | None], line: str | None, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(line)

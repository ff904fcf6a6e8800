"""The console as a plug-in (entry point `cultivate.adapters: console`): never part of `serve`; `cultivate console`
runs it in the terminal."""

from __future__ import annotations

from typing import Any

from adapters.console.adapter import ConsoleAdapter
from adapters.console.repl import run_console
from bot.host import Host
from bot.registry import Routine
from bot.settings import Settings


class ConsolePlatform:
    name = "console"

    def configured(self, settings: Settings) -> bool:
        return False  # a terminal is not a server's platform

    def create(self, host: Host) -> ConsoleAdapter:
        return ConsoleAdapter(write=print)

    async def run(self, settings: Settings, routines: list[Routine], options: dict[str, Any]) -> int:
        return await run_console(settings, routines, **options)


platform = ConsolePlatform()

"""Drive the bot as people do, through the console adapter, and read what it answered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from adapters.console.adapter import ConsoleAdapter
from adapters.console.session import ConsoleSession
from bot.clock import ManualClock
from bot.registry import Routine
from bot.runtime import Runtime
from bot.settings import Settings
from flows import all_routines


@dataclass
class ConsoleBot:
    runtime: Runtime
    adapter: ConsoleAdapter
    clock: ManualClock
    lines: list[str] = field(default_factory=list)
    sessions: dict[str, ConsoleSession] = field(default_factory=dict)

    @classmethod
    async def open(
        cls,
        database_url: str,
        start: datetime,
        *,
        routines: list[Routine] | None = None,
        coordinators: tuple[str, ...] = ("console:ada",),
        settings: Settings | None = None,
    ) -> ConsoleBot:
        clock = ManualClock(start)
        settings = settings or Settings(database_url=database_url)
        runtime = await Runtime.open(settings, routines or all_routines(), clock=clock, extra_coordinators=coordinators)
        lines: list[str] = []
        adapter = ConsoleAdapter(write=lines.append)
        runtime.add_adapter(adapter)
        return cls(runtime, adapter, clock, lines)

    async def say(self, who: str, text: str, channel: str = "general") -> str:
        """`who` types `text`; returns everything the bot printed in answer."""
        session = self.sessions.get(who)
        if session is None:
            session = self.sessions[who] = ConsoleSession(self.runtime, self.adapter, self.clock, who, channel)
        before = len(self.lines)
        await session.line(text)
        return "\n".join(self.lines[before:])

    async def wait(self, by: timedelta) -> str:
        """Let time pass and run what falls due; returns what was printed."""
        before = len(self.lines)
        self.clock.advance(by)
        await self.runtime.settle()
        return "\n".join(self.lines[before:])

    async def close(self) -> None:
        await self.runtime.close()

"""What an adapter may use of the core: settings, the clock, its own tables, and the way in for events."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.dispatcher import Outcome
from bot.events import Event
from bot.intake import Intake, Receipt
from bot.metrics import Metrics
from bot.registry import Registry
from bot.settings import Settings


@dataclass
class Host:
    settings: Settings
    clock: Clock
    # For an adapter's own tables (Teams conversation references, Yammer cursors), through storage/ modules.
    sessions: async_sessionmaker[AsyncSession]
    metrics: Metrics
    intake: Intake
    registry: Registry

    async def submit(self, event: Event, *, want_outcome: bool = False) -> Receipt:
        """Journal an authenticated event before acknowledging the platform; raises intake.DatabaseUnavailable
        when it cannot be kept, so the platform can be told to try again."""
        return await self.intake.submit(event, want_outcome=want_outcome)

    async def outcome(self, receipt: Receipt, timeout: float) -> Outcome | None:
        """How a submitted event turned out, if this process handled it within `timeout` seconds."""
        return await self.intake.outcome(receipt, timeout)

    def command_words(self) -> frozenset[str]:
        """The first words of every command (a bare "help" in a chat with the bot is a command)."""
        return frozenset(self.registry.groups)

"""What a running bot is made of, handed to every handler's context; built once in bot.runtime."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.metrics import Metrics
from bot.platform import Adapter
from bot.registry import Registry
from bot.settings import Settings


@dataclass
class Services:
    settings: Settings
    sessions: async_sessionmaker[AsyncSession]
    registry: Registry
    clock: Clock
    metrics: Metrics
    adapters: dict[str, Adapter] = field(default_factory=dict)
    # "platform:user_id" of configured first coordinators, by community slug ("*": every community).
    first_coordinators: dict[str, frozenset[str]] = field(default_factory=dict)
    # Set when work has committed messages to the outbound queue: the sender wakes at once instead of polling.
    queued: asyncio.Event = field(default_factory=asyncio.Event)

    def adapter(self, platform: str) -> Adapter | None:
        return self.adapters.get(platform)

"""Cultivate's runtime with the Yammer adapter, polling a local fake of Yammer's REST API."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from adapters.yammer.app import YammerAdapter
from adapters.yammer.budget import Budget
from bot.clock import ManualClock
from bot.runtime import Runtime
from bot.settings import Settings
from flows import all_routines
from tests.adapters.yammer.fake_yammer import NETWORK, FakeYammer
from tests.conftest import START

GROUP = 5
AMINA, BARAKA, CHIDI = 11, 12, 13
CONFIG = f"""
communities:
  - slug: rtm
    name: Real-time monitoring
    domain: Monitoring systems in real time.
    topics: [dashboards, alerting]
    timezone: Africa/Nairobi
    channels: {{yammer: {NETWORK}/{GROUP}}}
    coordinators: ["yammer:{AMINA}"]
"""
# The fake's window is short so tests stay fast; the adapter's budget is the same shape as in production.
WINDOW = 0.4


@dataclass
class YammerBot:
    runtime: Runtime
    adapter: YammerAdapter
    fake: FakeYammer
    clock: ManualClock

    @classmethod
    async def open(
        cls,
        database_url: str,
        tmp_path: Path,
        fake: FakeYammer | None = None,
        *,
        token: str = "tok-1",
        clock: ManualClock | None = None,
        groups: tuple[str, ...] = (str(GROUP),),
    ) -> YammerBot:
        """A bot on the fake (a new one unless given: a restart passes the old one), first poll done."""
        if fake is None:
            fake = FakeYammer(window=WINDOW)
            fake.users.update({AMINA: "Amina Wanjiru", BARAKA: "Baraka Otieno", CHIDI: "Chidi Okeke"})
            fake.groups[GROUP] = {AMINA, BARAKA}
            await fake.start()
        assert fake.server is not None
        config = tmp_path / "cultivate.yaml"
        config.write_text(CONFIG)
        settings = Settings(
            database_url=database_url,
            config_path=str(config),
            yammer_access_token=token,
            yammer_group_ids=groups,
            yammer_api_url=str(fake.server.make_url("/api/v1/")),
            yammer_poll_seconds=1,
            send_retry_base_seconds=0.01,
        )
        clock = clock or ManualClock(START)
        runtime = await Runtime.open(settings, all_routines(), clock=clock)
        adapter = YammerAdapter(runtime.host, budget=Budget(10, WINDOW), backoff=0.05, poll_seconds=0.05)
        runtime.add_adapter(adapter)
        runtime.start_workers()  # as `serve` does
        bot = cls(runtime, adapter, fake, clock)
        return bot

    async def poll(self) -> int:
        """One polling round, as the adapter's loop runs it every YAMMER_POLL_SECONDS, and what it causes."""
        read = await self.adapter.poller.poll_once()
        await self.runtime.settle(patience=5.0)
        return read

    async def until(self, done: Callable[[], bool], timeout: float = 15) -> None:
        """Wait (bounded) while the adapter's own loop polls."""
        for _ in range(int(timeout / 0.02)):
            if done():
                return
            await asyncio.sleep(0.02)
        raise AssertionError("the bot did not get there in time")

    async def close(self, *, fake_too: bool = True) -> None:
        await self.runtime.close()
        if fake_too:
            await self.fake.close()

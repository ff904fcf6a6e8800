"""Assembling a running Cultivate: database, migrations, communities, routines, adapters, dispatcher, scheduler."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import community_config, i18n
from bot.clock import Clock, SystemClock, wall
from bot.dispatcher import Dispatcher, Outcome
from bot.events import Event
from bot.host import Host
from bot.intake import Intake
from bot.metrics import Metrics
from bot.outbox import Outbox
from bot.platform import Adapter, Closes, Starts
from bot.registry import Registry, Routine
from bot.scheduler import Scheduler
from bot.sender import Sender
from bot.services import Services
from bot.settings import Settings, SettingsError
from storage import communities, journal, migrate, outbound
from storage.db import DatabaseUrlError, create_engine, ping, session_factory

log = logging.getLogger(__name__)


# On SIGTERM: how long events being handled and messages being sent may take to finish; the rest is handed back.
SHUTDOWN_GRACE_SECONDS = 5.0
# Events handled at once: SQLite has one writer, so a few is plenty; PostgreSQL takes more.
WORKERS = {"sqlite": 4, "postgresql": 8}
# /healthz answers within this even when the database hangs (probes give up after a second or a few).
HEALTH_TIMEOUT_SECONDS = 2.0


class StartupError(Exception):
    """Cultivate cannot start; the message is one line for the operator."""


class Runtime:
    def __init__(self, engine: AsyncEngine, services: Services) -> None:
        self.engine = engine
        self.services = services
        self.dispatcher = Dispatcher(services)
        self.intake = Intake(services, self.dispatcher, workers=WORKERS.get(engine.dialect.name, 2))
        self.sender = Sender(services)
        self.outbox = Outbox(services)
        self.scheduler = Scheduler(services, self.outbox)
        self.host = Host(
            settings=services.settings,
            clock=services.clock,
            sessions=services.sessions,
            metrics=services.metrics,
            intake=self.intake,
            registry=services.registry,
        )
        self.health_timeout = HEALTH_TIMEOUT_SECONDS
        self.grace = SHUTDOWN_GRACE_SECONDS
        self._running = False

    @classmethod
    async def open(
        cls,
        settings: Settings,
        routines: Iterable[Routine],
        *,
        clock: Clock | None = None,
        extra_coordinators: Iterable[str] = (),
    ) -> Runtime:
        """Connect, migrate, load communities; raises StartupError with a one-line reason."""
        try:
            configs = community_config.load(settings.config_path)
        except SettingsError as e:
            raise StartupError(str(e)) from None
        engine = await open_database(settings.database_url)
        # Each catalogue compiled now (into the cache, when missing or changed), not on a member's first message in
        # that language; after the database, so a bad DATABASE_URL is the one line an operator sees.
        log.info("languages ready: %s", ", ".join(i18n.compile_all()))
        clock = clock or SystemClock()
        sessions = session_factory(engine)
        first = {c.spec.slug: frozenset(c.coordinators) for c in configs}
        first["*"] = frozenset(settings.admins) | frozenset(extra_coordinators)
        try:
            async with sessions() as db:
                for config in configs:
                    for note in await communities.seed(db, config.spec, clock.now()):
                        log.info("%s", note)
                await db.commit()
        except (communities.ChannelTaken, SQLAlchemyError, OSError) as e:
            await engine.dispose()
            reason = (
                str(e) if isinstance(e, communities.ChannelTaken) else f"the communities cannot be saved: {_reason(e)}"
            )
            raise StartupError(reason) from None
        services = Services(
            settings=settings,
            sessions=sessions,
            registry=Registry(routines),
            clock=clock,
            metrics=Metrics(),
            first_coordinators=first,
        )
        return cls(engine, services)

    def add_adapter(self, adapter: Adapter) -> None:
        self.services.adapters[adapter.platform] = adapter

    async def database_ok(self) -> bool:
        """Whether the database answers SELECT 1 within `health_timeout` seconds."""
        try:
            await asyncio.wait_for(ping(self.engine), timeout=self.health_timeout)
            return True
        except (SQLAlchemyError, OSError, TimeoutError):
            return False

    async def settle(self, *, patience: float = 0.0) -> int:
        """Handle every journaled event, run every due delivery and send every message that can go now, until
        nothing is left (the console after each line, and tests); returns how much was done here. With `patience`,
        also wait for messages the platform asked to retry within that many seconds. When the background workers
        run, they do the handling and sending, and this waits for them."""
        total = 0
        deadline = time.monotonic() + patience
        while True:
            if self._running:
                done = await self.scheduler.drain()
                done += await self._background_busy()
            else:
                done = await self.intake.run_pending()
                done += await self.scheduler.drain()
                done += await self.sender.flush()
            total += done
            if done:
                continue
            retry_in = await self._next_send_in()
            if retry_in is None or time.monotonic() + retry_in > deadline:
                return total
            await asyncio.sleep(max(retry_in, 0.005))

    async def _background_busy(self) -> int:
        """1 if the background workers still have something to do now (after a short wait for them), else 0."""
        self.services.queued.set()
        await self.intake.idle()
        await self.sender.idle()
        async with self.services.sessions() as db:
            waiting = await journal.unfinished(db) + await outbound.due(db, wall())
        if waiting:
            await asyncio.sleep(0.01)
        return 1 if waiting else 0

    async def _next_send_in(self) -> float | None:
        async with self.services.sessions() as db:
            due = await outbound.next_due(db)
        return None if due is None else (due - wall()).total_seconds()

    async def handle(self, event: Event) -> Outcome:
        """Journal an event and settle all it causes (the console, scripts, tests); returns how it turned out."""
        receipt = await self.intake.submit(event, want_outcome=True)
        await self.settle()
        if receipt.duplicate:
            return Outcome(duplicate=True)
        return await self.intake.outcome(receipt, 0) or Outcome()

    def start_workers(self) -> None:
        """Handle journaled events and send queued messages in the background, as they come."""
        self._running = True
        self.intake.start()
        self.sender.start()

    async def start(self) -> None:
        """Work in the background (serve): event workers, the sender, the scheduler, then the adapters' own work."""
        self.start_workers()
        self.scheduler.start()
        for adapter in self.services.adapters.values():
            if isinstance(adapter, Starts):
                await adapter.start()

    async def close(self) -> None:
        """Stop taking work, finish what is in flight within the grace (handing back the rest), close the adapters,
        then the database."""
        if self._running:
            await self.intake.stop(self.grace)
        await self.scheduler.stop()
        if self._running:
            await self.sender.stop(self.grace)
        for adapter in self.services.adapters.values():
            if isinstance(adapter, Closes):
                try:
                    await adapter.close()
                except Exception:
                    log.exception("closing the %s adapter failed", adapter.platform)
        await self.engine.dispose()


async def open_database(url: str) -> AsyncEngine:
    """Connect and bring the schema up to date; raises StartupError with a one-line reason."""
    try:
        engine = create_engine(url)
    except DatabaseUrlError as e:
        raise StartupError(str(e)) from None
    try:
        await ping(engine)
        await migrate.upgrade(engine)
    except (SQLAlchemyError, OSError) as e:
        await engine.dispose()
        # aiosqlite's worker thread may still be handing back its failure: let it finish before the loop closes,
        # or it prints a traceback after our one line.
        await asyncio.sleep(0.2)
        raise StartupError(f"the database at {_safe(url)} cannot be used: {_reason(e)}") from None
    return engine


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for an error message
        return "the configured URL"


def _reason(error: BaseException) -> str:
    if isinstance(error, DBAPIError) and error.orig is not None:
        error = error.orig
    text_ = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text_[:200]

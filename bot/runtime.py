"""Assembling a running Cultivate: database, migrations, communities, routines, adapters, dispatcher, scheduler."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import community_config
from bot.clock import Clock, SystemClock
from bot.dispatcher import CONCURRENT_EVENTS, Dispatcher
from bot.metrics import Metrics
from bot.outbox import Outbox
from bot.platform import Adapter
from bot.registry import Registry, Routine
from bot.scheduler import Scheduler
from bot.services import Services
from bot.settings import Settings, SettingsError
from storage import communities, migrate
from storage.db import DatabaseUrlError, create_engine, ping, session_factory

log = logging.getLogger(__name__)


SHUTDOWN_GRACE_SECONDS = 20
# /healthz answers within this even when the database hangs (probes give up after a second or a few).
HEALTH_TIMEOUT_SECONDS = 2.0


class StartupError(Exception):
    """Cultivate cannot start; the message is one line for the operator."""


class Runtime:
    def __init__(self, engine: AsyncEngine, services: Services) -> None:
        self.engine = engine
        self.services = services
        self.dispatcher = Dispatcher(services, CONCURRENT_EVENTS.get(engine.dialect.name, 2))
        self.outbox = Outbox(services)
        self.scheduler = Scheduler(services, self.outbox)
        self.health_timeout = HEALTH_TIMEOUT_SECONDS

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

    async def start_adapters(self) -> None:
        """Connect adapters that keep a connection of their own (Slack Socket Mode, polling)."""
        for adapter in self.services.adapters.values():
            start = getattr(adapter, "start", None)
            if start is not None:
                await start()

    async def close(self) -> None:
        """Finish the events and the delivery in flight, close the adapters, then the database."""
        try:
            await asyncio.wait_for(self.dispatcher.idle(), timeout=SHUTDOWN_GRACE_SECONDS)
        except TimeoutError:
            log.warning("stopping with events still being handled after %s s", SHUTDOWN_GRACE_SECONDS)
        await self.scheduler.stop()
        for adapter in self.services.adapters.values():
            close = getattr(adapter, "close", None)
            if close is not None:
                try:
                    await close()
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

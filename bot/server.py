"""The one aiohttp application: health, metrics and the adapters' routes; a clean stop on SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import Awaitable, Callable, Iterable

from aiohttp import web

from bot.metrics import CONTENT_TYPE
from bot.platform import ReportsProblems
from bot.registry import PageHandler
from bot.runtime import Runtime
from bot.services import Services

log = logging.getLogger(__name__)
RUNTIME = web.AppKey("runtime", Runtime)


def build_app(runtime: Runtime, routes: Iterable[web.AbstractRouteDef] = (), *, sites: bool = True) -> web.Application:
    """Health and metrics, the adapters' routes, and the routes routines declare (`@routine.route`); with `sites`,
    also the sub-applications they declare (`routine.site`: the web pages)."""
    app = web.Application(client_max_size=1024 * 1024)
    app[RUNTIME] = runtime
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    app.router.add_routes(list(routes))
    services = runtime.services
    for (method, path), handler in services.registry.routes.items():
        app.router.add_route(method, path, _with_services(handler, services))
    if sites:
        for prefix, factory in services.registry.sites.items():
            app.add_subapp(prefix, factory(services))
    return app


def _with_services(handler: PageHandler, services: Services) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def answer(request: web.Request) -> web.StreamResponse:
        return await handler(request, services)

    return answer


async def healthz(request: web.Request) -> web.Response:
    runtime = request.app[RUNTIME]
    database = await runtime.database_ok()
    body: dict[str, object] = {
        "status": "ok" if database else "unavailable",
        "database": "ok" if database else "unreachable",
        "platforms": sorted(runtime.services.adapters),
    }
    # A platform that refuses us (a revoked token) is shown but keeps the process alive: restarting cannot fix it.
    problems = {
        name: text
        for name, adapter in runtime.services.adapters.items()
        if isinstance(adapter, ReportsProblems) and (text := adapter.problem()) is not None
    }
    if problems:
        body["problems"] = problems
        if database:
            body["status"] = "degraded"
    return web.json_response(body, status=200 if database else 503)


async def metrics(request: web.Request) -> web.Response:
    body = request.app[RUNTIME].services.metrics.exposition()
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})


def settle_memory() -> None:
    """After start-up: move what exists now out of the collector's sight, and collect young objects less often.
    A full collection over every start-up object took up to 150 ms under load, stalling acks (bench/slack_ack)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 50)


async def serve(
    runtime: Runtime,
    host: str,
    port: int,
    routes: Iterable[web.AbstractRouteDef] = (),
    ready: asyncio.Event | None = None,
    stop: asyncio.Event | None = None,
    *,
    sites: bool = True,
) -> None:
    """Serve until SIGTERM/SIGINT (or `stop`): then stop accepting, finish requests and deliveries in flight, close.
    The runtime is closed however this ends, also when the port cannot be opened."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    # From here on a signal means "stop when you can", even while still starting.
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    # Requests in progress get a moment to finish; each is journaled within milliseconds, so little is needed.
    runner = web.AppRunner(build_app(runtime, routes, sites=sites), handle_signals=False, shutdown_timeout=2)
    try:
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        await runtime.start()
        settle_memory()
        log.info(
            "Cultivate is listening on http://%s:%s (platforms: %s)",
            host,
            port,
            ", ".join(runtime.services.adapters) or "none",
        )
        if ready is not None:
            ready.set()
        await stop.wait()
        log.info("stopping: no new work; finishing what is in flight")
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        await runner.cleanup()
        await runtime.close()
    log.info("stopped cleanly")

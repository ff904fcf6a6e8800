"""The `cultivate` command: console, serve, db upgrade, export, manifest. This is the composition root: it wires the
installed platforms and routines (plug-ins, see bot.plugins) to the core."""

from __future__ import annotations

import asyncio
import atexit
import dataclasses
import getpass
import ipaddress
import logging
import secrets
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import typer
from aiohttp import web

from bot import logs, plugins
from bot.exports import FORMATS, ExportError, ExportRequest
from bot.platform import HasRoutes
from bot.registry import Routine
from bot.runtime import Runtime, StartupError, open_database
from bot.settings import Settings, SettingsError

log = logging.getLogger(__name__)
app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Cultivate: the routines of a community of practice, in the chat tools it uses.",
)
db_app = typer.Typer(no_args_is_help=True, help="Database maintenance.")
app.add_typer(db_app, name="db")
manifest_app = typer.Typer(no_args_is_help=True, help="App manifests and packages for the chat platforms.")
app.add_typer(manifest_app, name="manifest")


def _fail(message: str) -> NoReturn:
    typer.echo(f"cultivate: {message}", err=True)
    raise typer.Exit(2)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        _fail(f"--start must be a date and time with its zone, like 2026-03-02T09:00Z, not {text!r}")
    return moment


def _settings() -> Settings:
    try:
        settings = Settings.from_env()
        settings.check_platforms()
        return settings
    except SettingsError as e:
        _fail(str(e))


def _routines() -> list[Routine]:
    try:
        return plugins.routines()
    except plugins.PluginError as e:
        _fail(str(e))


def _platforms() -> dict[str, plugins.Platform]:
    try:
        return plugins.platforms()
    except plugins.PluginError as e:
        _fail(str(e))


@app.command()
def console(
    as_: str = typer.Option("Ada", "--as", help="Who you are typing as (a new name is a new member)."),
    community: str | None = typer.Option(None, "--community", help="The community's slug to start in."),
    start: str | None = typer.Option(
        None, "--start", help="Set the clock to this moment first, e.g. 2026-03-02T09:00Z (for demos and scripts)."
    ),
    web_pages: bool = typer.Option(
        False, "--web", help="Also serve the web pages on this machine (127.0.0.1), to sign in to with /cop web."
    ),
    web_port: int = typer.Option(3000, "--web-port", help="The port for --web."),
    fresh: bool = typer.Option(
        False, "--fresh", help="Start from an empty database, thrown away at the end (DATABASE_URL is left alone)."
    ),
) -> None:
    """Chat with Cultivate in this terminal (no accounts needed); reads a script when input is not a terminal.
    Without --fresh what you do is kept in DATABASE_URL (./cultivate.db unless set)."""
    logs.configure(logging.WARNING, "%(levelname)s %(name)s: %(message)s", sys.stderr)
    settings = _settings()
    if fresh:
        # A throwaway file rather than ":memory:": the runtime opens several connections, which must share it.
        scratch = tempfile.TemporaryDirectory(prefix="cultivate-")
        atexit.register(scratch.cleanup)
        settings = dataclasses.replace(
            settings, database_url=f"sqlite+aiosqlite:///{Path(scratch.name) / 'cultivate.db'}"
        )
    moment = _moment(start) if start else None
    terminal = next((p for p in _platforms().values() if isinstance(p, plugins.Interactive)), None)
    if terminal is None:
        _fail("no console is installed (the cultivate.adapters entry point 'console' is missing)")
    options: dict[str, object] = {"name": as_, "community": community, "start": moment}
    if web_pages:
        if not 1 <= web_port <= 65535:
            _fail(f"--web-port must be a number from 1 to 65535, not {web_port}")
        options["web_port"] = web_port
        # Pages on loopback only: a key for this process, and links that point at this machine.
        settings = dataclasses.replace(
            settings,
            secret_key=settings.secret_key or secrets.token_urlsafe(32),
            public_url=settings.public_url or f"http://127.0.0.1:{web_port}",
        )
    try:
        status = asyncio.run(terminal.run(settings, _routines(), options))
    except StartupError as e:
        _fail(str(e))
    except KeyboardInterrupt:
        typer.echo("\nBye.")
        status = 0
    raise typer.Exit(status)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(3000, help="Port to listen on."),
) -> None:
    """Run the bot: the HTTP endpoints, the platforms that are configured, and the scheduler."""
    from bot.server import serve as run_server  # aiohttp's server is only needed here

    logs.configure(logging.INFO, "%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The scheduler's housekeeping (a job every few seconds) is not news: only its problems are.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    if not 0 <= port <= 65535:
        _fail(f"--port must be a number from 0 to 65535, not {port}")
    settings = _settings()
    if settings.teams_local_no_auth and not _loopback(host):
        _fail(f"TEAMS_LOCAL_NO_AUTH=1 turns off Teams authentication, so serve only listens on loopback, not {host}")
    for note in settings.warnings():
        log.warning("%s", note)
    settings, sites, web_note = _web_pages(settings, host)
    platforms = [p for p in _platforms().values() if p.configured(settings)]
    routines = _routines()

    async def main() -> None:
        runtime = await Runtime.open(settings, routines)
        if web_note:  # said once the database is known to be good: a bad one is the one line to read
            log.warning("%s", web_note)
        routes: list[web.RouteDef] = []
        try:
            for platform in platforms:
                adapter = platform.create(runtime.host)
                runtime.add_adapter(adapter)
                if isinstance(adapter, HasRoutes):
                    routes += adapter.routes()
        except BaseException:
            await runtime.close()
            raise
        await run_server(runtime, host, port, routes, sites=sites)

    try:
        asyncio.run(main())
    except StartupError as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"cannot listen on {host}:{port}: {e.strerror or e}")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (serve and console also do this at start)."""
    from storage import migrate

    settings = _settings()

    async def main() -> str | None:
        engine = await open_database(settings.database_url)
        try:
            return await migrate.current_revision(engine)
        finally:
            await engine.dispose()

    try:
        revision = asyncio.run(main())
    except StartupError as e:
        _fail(str(e))
    typer.echo(f"Database is at revision {revision}.")


@app.command("export")
def export(
    what: str = typer.Argument(..., help="What to export: stories, or another report a routine offers."),
    format: str = typer.Option("csv", "--format", help="csv or json"),
    since: str | None = typer.Option(None, "--since", help="Only what happened on or after this date (YYYY-MM-DD)."),
    community: str | None = typer.Option(None, "--community", help="Only this community (its slug)."),
    period: str | None = typer.Option(None, "--period", help="30d, 90d, quarter or year, for reports over a period."),
    include_private: bool = typer.Option(False, "--include-private", help="Also what was shared with coordinators."),
) -> None:
    """Write a report to standard output (CSV cells that a spreadsheet would run are made inert)."""
    from storage import audit
    from storage.db import session_factory

    exports = {name: found for r in _routines() for name, found in r.exports.items()}
    if what not in exports:
        _fail(f"there is no export called {what!r}; there are: {', '.join(sorted(exports)) or 'none'}")
    if format not in FORMATS:
        _fail(f"--format is csv or json, not {format!r}")
    start = None
    if since is not None:
        try:
            start = datetime.fromisoformat(since).replace(tzinfo=UTC)
        except ValueError:
            _fail(f"--since takes a date like 2026-01-31, not {since!r}")
    settings = _settings()
    exporter, _help = exports[what]
    if since is not None and period is not None:
        _fail("give --since or --period, not both")
    request = ExportRequest(
        format=format,
        since=start,
        community=community,
        include_private=include_private,
        period=period,
        settings=settings,
    )

    async def main() -> str:
        engine = await open_database(settings.database_url)
        try:
            async with session_factory(engine)() as db:
                written: str = await exporter(db, request)
                # Exports carry members' names and words: who took them out, and when, is kept (/cop audit).
                await audit.log_export(
                    db,
                    what=what,
                    actor=f"cli:{_operator()}",
                    now=datetime.now(UTC),
                    detail={
                        "format": format,
                        "since": since,
                        "community": community,
                        "period": period,
                        "include_private": include_private,
                        "characters": len(written),
                    },
                )
                await db.commit()
                return written
        finally:
            await engine.dispose()

    try:
        typer.echo(asyncio.run(main()), nl=False)
    except (StartupError, ExportError) as e:
        _fail(str(e))


def _operator() -> str:
    """Who runs this command, as the operating system knows them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _web_pages(settings: Settings, host: str) -> tuple[Settings, bool, str]:
    """Whether serve offers the web pages, the settings to run with, and what to tell the operator about it. Sign-in
    links are signed with CULTIVATE_SECRET_KEY; without one the pages are off, except on loopback, where a key made
    for this process is enough (links it signs stop working when the process ends)."""
    if settings.secret_key:
        return settings, True, ""
    if _loopback(host):
        note = (
            "CULTIVATE_SECRET_KEY is not set: the web pages use a random key for this process only (sign-in links "
            "stop working when it ends); set CULTIVATE_SECRET_KEY before serving beyond this machine"
        )
        return dataclasses.replace(settings, secret_key=secrets.token_urlsafe(32)), True, note
    note = f"the web pages are off: CULTIVATE_SECRET_KEY is not set, and serve listens on {host}, beyond this machine"
    return settings, False, note


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _platform_commands() -> None:
    """Platforms' own commands (`cultivate manifest slack`), added only when asked for: loading every platform's
    SDK would slow every other command down."""
    line = plugins.CommandLine(routines=_routines, fail=_fail)
    for platform in _platforms().values():
        if isinstance(platform, plugins.HasCommands):
            platform.add_commands(manifest_app, line)


def main() -> None:
    if sys.argv[1:2] == ["manifest"]:
        _platform_commands()
    app()

"""The `cultivate` command: console, serve, db upgrade. This is the composition root: it alone wires
adapters and routines together."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import sys
from datetime import datetime

import typer

from bot.runtime import Runtime, StartupError
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
export_app = typer.Typer(no_args_is_help=True, help="Write what the community gathered, for leadership.")
app.add_typer(export_app, name="export")
manifest_app = typer.Typer(no_args_is_help=True, help="App manifests and packages for the chat platforms.")
app.add_typer(manifest_app, name="manifest")


def _fail(message: str) -> None:
    typer.echo(f"cultivate: {message}", err=True)
    raise typer.Exit(2)


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        _fail(f"--start must be a date and time with its zone, like 2026-03-02T09:00Z, not {text!r}")
        raise AssertionError  # unreachable: _fail exits
    return moment


def _settings() -> Settings:
    try:
        settings = Settings.from_env()
        settings.check_platforms()
        return settings
    except SettingsError as e:
        _fail(str(e))
        raise  # unreachable


@app.command()
def console(
    as_: str = typer.Option("Ada", "--as", help="Who you are typing as (a new name is a new member)."),
    community: str | None = typer.Option(None, "--community", help="The community's slug to start in."),
    start: str | None = typer.Option(
        None, "--start", help="Set the clock to this moment first, e.g. 2026-03-02T09:00Z (for demos and scripts)."
    ),
) -> None:
    """Chat with Cultivate in this terminal (no accounts needed); reads a script when input is not a terminal."""
    from adapters.console.repl import run_console
    from flows import all_routines

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    settings = _settings()
    moment = _moment(start) if start else None
    try:
        status = asyncio.run(run_console(settings, all_routines(), name=as_, community=community, start=moment))
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
    from bot.server import serve as run_server
    from flows import all_routines

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not 0 <= port <= 65535:
        _fail(f"--port must be a number from 0 to 65535, not {port}")
    settings = _settings()
    if settings.teams_local_no_auth and not _loopback(host):
        _fail(f"TEAMS_LOCAL_NO_AUTH=1 turns off Teams authentication, so serve only listens on loopback, not {host}")
    for note in settings.warnings():
        log.warning("%s", note)

    async def main() -> None:
        runtime = await Runtime.open(settings, all_routines())
        routes = []
        try:
            if settings.slack_on:
                from adapters.slack.app import SlackAdapter

                slack = SlackAdapter(settings, runtime.dispatcher)
                runtime.add_adapter(slack)
                routes += slack.routes()
            if settings.teams_on:
                from adapters.teams.app import TeamsAdapter

                teams = TeamsAdapter(settings, runtime.dispatcher)
                runtime.add_adapter(teams)
                routes += teams.routes()
            if settings.yammer_on:
                from adapters.yammer.app import YammerAdapter

                runtime.add_adapter(YammerAdapter(runtime.services, runtime.dispatcher))
        except BaseException:
            await runtime.close()
            raise
        await run_server(runtime, host, port, routes)

    try:
        asyncio.run(main())
    except StartupError as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"cannot listen on {host}:{port}: {e.strerror or e}")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (serve and console also do this at start)."""
    from bot.runtime import open_database
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


@export_app.command("stories")
def export_stories(
    format: str = typer.Option("csv", "--format", help="csv or json"),
    since: str | None = typer.Option(
        None, "--since", help="Only stories told on or after this date (YYYY-MM-DD, UTC)."
    ),
    include_private: bool = typer.Option(False, "--include-private", help="Also stories told for coordinators only."),
) -> None:
    """Print the stories to standard output, honouring consent (anonymous stays anonymous)."""
    from datetime import UTC, datetime

    from bot import story_export
    from bot.runtime import open_database
    from storage import audit
    from storage.db import session_factory

    if format not in ("csv", "json"):
        _fail(f"--format is csv or json, not {format!r}")
    start = None
    if since is not None:
        try:
            start = datetime.fromisoformat(since).replace(tzinfo=UTC)
        except ValueError:
            _fail(f"--since takes a date like 2026-01-31, not {since!r}")
    settings = _settings()

    async def main() -> str:
        engine = await open_database(settings.database_url)
        try:
            async with session_factory(engine)() as db:
                data = await story_export.rows(db, since=start, include_private=include_private)
                # Stories carry tellers' names and words: who took them out, and when, is kept (/cop audit).
                await audit.log_export(
                    db,
                    what="stories",
                    actor=f"cli:{_operator()}",
                    now=datetime.now(UTC),
                    detail={"format": format, "since": since, "include_private": include_private, "rows": len(data)},
                )
                await db.commit()
            return story_export.render(data, format)
        finally:
            await engine.dispose()

    try:
        typer.echo(asyncio.run(main()), nl=False)
    except StartupError as e:
        _fail(str(e))


@manifest_app.command("slack")
def manifest_slack(
    url: str = typer.Option(..., "--url", help="Public https address Slack will call, e.g. https://cop.example.org"),
) -> None:
    """Print the Slack app manifest with this address filled in (paste it at api.slack.com/apps)."""
    from adapters.slack.manifest import manifest_yaml

    if not url.startswith("https://"):
        _fail(f"Slack only calls https addresses; --url {url!r} should start with https://")
    typer.echo(manifest_yaml(url), nl=False)


@manifest_app.command("teams")
def manifest_teams(
    app_id: str = typer.Option(
        ..., "--app-id", help="The Azure Bot's Microsoft App ID (a GUID), the same as MicrosoftAppId."
    ),
    out: str = typer.Option("cultivate-teams.zip", "--out", help="Where to write the app package (.zip)."),
) -> None:
    """Write the Teams app package (manifest, command list, icons) to upload in Teams or its developer portal."""
    import uuid
    from pathlib import Path

    from adapters.teams.manifest import package
    from bot.i18n import _ as translate
    from bot.registry import Registry
    from flows import all_routines
    from storage.models import Role

    try:
        uuid.UUID(app_id)
    except ValueError:
        _fail(
            f"--app-id is the bot's Microsoft App ID, a GUID like 00000000-0000-0000-0000-000000000000, not {app_id!r}"
        )
    # What every member may do, in the order help lists it (Teams shows the first ten).
    commands = [(c.verb, translate(c.help)) for c in Registry(all_routines()).visible_commands(Role.MEMBER)]
    try:
        Path(out).write_bytes(package(app_id.lower(), commands))
    except OSError as e:
        _fail(f"cannot write {out}: {e.strerror or e}")
    typer.echo(f"Wrote {out}: upload it in Teams (Apps > Manage your apps > Upload an app).")


def _operator() -> str:
    """Who runs this command, as the operating system knows them."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main() -> None:
    app()

"""Microsoft Teams as a plug-in (entry point `cultivate.adapters: teams`): on with an app id, or local no-auth."""

from __future__ import annotations

import uuid
from pathlib import Path

import typer

from adapters.teams.app import TeamsAdapter
from adapters.teams.manifest import package
from bot.host import Host
from bot.plugins import CommandLine
from bot.registry import Registry
from bot.settings import Settings
from storage.models import Role


class TeamsPlatform:
    name = "teams"

    def configured(self, settings: Settings) -> bool:
        return settings.teams_on

    def create(self, host: Host) -> TeamsAdapter:
        return TeamsAdapter(host)

    def add_commands(self, manifest: typer.Typer, line: CommandLine) -> None:
        @manifest.command("teams")
        def manifest_teams(
            app_id: str = typer.Option(
                ..., "--app-id", help="The Azure Bot's Microsoft App ID (a GUID), the same as MicrosoftAppId."
            ),
            out: str = typer.Option("cultivate-teams.zip", "--out", help="Where to write the app package (.zip)."),
        ) -> None:
            """Write the Teams app package (manifest, command list, icons) to upload in Teams."""
            try:
                uuid.UUID(app_id)
            except ValueError:
                line.fail(
                    "--app-id is the bot's Microsoft App ID, a GUID like 00000000-0000-0000-0000-000000000000, "
                    f"not {app_id!r}"
                )
            # What every member may do, in the order help lists it (Teams shows the first ten).
            # Help texts as marked (N_): the package translates them into each language it carries.
            commands = [(c.verb, c.help) for c in Registry(line.routines()).visible_commands(Role.MEMBER)]
            try:
                Path(out).write_bytes(package(app_id.lower(), commands))
            except OSError as e:
                line.fail(f"cannot write {out}: {e.strerror or e}")
            typer.echo(f"Wrote {out}: upload it in Teams (Apps > Manage your apps > Upload an app).")


platform = TeamsPlatform()

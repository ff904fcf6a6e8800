"""Slack as a plug-in (entry point `cultivate.adapters: slack`): on when a bot token is set."""

from __future__ import annotations

import typer

from adapters.slack.app import SlackAdapter
from adapters.slack.manifest import manifest_yaml
from bot.host import Host
from bot.i18n import available_languages, supported
from bot.plugins import CommandLine
from bot.settings import Settings


class SlackPlatform:
    name = "slack"

    def configured(self, settings: Settings) -> bool:
        return settings.slack_on

    def create(self, host: Host) -> SlackAdapter:
        return SlackAdapter(host)

    def add_commands(self, manifest: typer.Typer, line: CommandLine) -> None:
        @manifest.command("slack")
        def manifest_slack(
            url: str = typer.Option(
                ..., "--url", help="Public https address Slack will call, e.g. https://cop.example.org"
            ),
            language: str = typer.Option(
                "en",
                "--language",
                help="The language of the /cop command's description and hint (Slack keeps one): the community's.",
            ),
        ) -> None:
            """Print the Slack app manifest with this address filled in (paste it at api.slack.com/apps)."""
            if not url.startswith("https://"):
                line.fail(f"Slack only calls https addresses; --url {url!r} should start with https://")
            known = supported(language)
            if known is None:
                line.fail(f"Cultivate does not speak {language!r}; choose one of {', '.join(available_languages())}")
            typer.echo(manifest_yaml(url, known or "en"), nl=False)


platform = SlackPlatform()

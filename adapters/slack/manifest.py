"""The Slack app manifest: what Cultivate asks of a workspace, and why. `manifest.yaml` at the repository root is
this, printed with a placeholder host (`cultivate manifest slack --url https://your.host` fills in yours).

Slack manifests hold one text per field, with no translations: the slash command's description and usage hint are
written in one language, the community's (`--language fr`), English by default."""

from __future__ import annotations

from typing import Any

import yaml

from adapters.slack.app import EVENTS_PATH
from bot.i18n import DEFAULT_LOCALE, N_, _

PLACEHOLDER = "https://your.host"

# Each bot scope and the reason it is needed; README shows the same list.
SCOPES: dict[str, str] = {
    "commands": "the /cop slash command",
    "app_mentions:read": "answer '@Cultivate <verb>' in channels (app_mention)",
    "chat:write": "post cards, answers only the caller sees, direct messages, and update a card after a button press",
    "im:history": "read the answers members give in their direct conversation with Cultivate (message.im)",
    "users:read": "each member's display name, timezone and language, so reminders are in local time and in their "
    "language (users.info, team_join)",
    "channels:read": "notice members joining a community's public channel (member_joined_channel)",
    "groups:read": "notice members joining a community's private channel (member_joined_channel)",
}
BOT_EVENTS = ("app_mention", "message.im", "member_joined_channel", "team_join")


COMMAND_DESCRIPTION = N_("Your community's routines — try /cop help")
USAGE_HINT = N_("help | join | community | role grant @member moderator")


def manifest(url: str = PLACEHOLDER, language: str = DEFAULT_LOCALE) -> dict[str, Any]:
    endpoint = url.rstrip("/") + EVENTS_PATH
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": "Cultivate",
            "description": "Runs your community of practice's routines: "
            "introductions, discussions, webinars, peer assists, stories.",
            "background_color": "#2e5e3e",
        },
        "features": {
            "app_home": {"messages_tab_enabled": True, "messages_tab_read_only_enabled": False},
            "bot_user": {"display_name": "Cultivate", "always_online": True},
            "slash_commands": [
                {
                    "command": "/cop",
                    "url": endpoint,
                    "description": _(COMMAND_DESCRIPTION, language)[:100],
                    "usage_hint": _(USAGE_HINT, language)[:100],
                    "should_escape": True,
                }
            ],
        },
        "oauth_config": {"scopes": {"bot": sorted(SCOPES)}},
        "settings": {
            "event_subscriptions": {"request_url": endpoint, "bot_events": list(BOT_EVENTS)},
            "interactivity": {"is_enabled": True, "request_url": endpoint},
            "org_deploy_enabled": False,
            "socket_mode_enabled": False,
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(url: str = PLACEHOLDER, language: str = DEFAULT_LOCALE) -> str:
    header = (
        "# Slack app manifest for Cultivate. Create the app at api.slack.com/apps > From a manifest.\n"
        "# Regenerate with your host: cultivate manifest slack --url https://your.host\n"
    )
    return header + yaml.safe_dump(manifest(url, language), sort_keys=False, allow_unicode=True, width=120)

"""The Slack manifest asks for exactly what the code uses: every event and Web API method covered, nothing spare."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from adapters.slack.manifest import COMMAND_DESCRIPTION, USAGE_HINT, manifest, manifest_yaml
from bot.i18n import _

ROOT = Path(__file__).resolve().parents[3]
SLACK_CODE = "\n".join(p.read_text() for p in (ROOT / "adapters" / "slack").glob("*.py"))

# What Slack requires (api.slack.com/methods and /events): method or event -> bot scopes.
METHOD_SCOPES = {
    "chat.postMessage": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "chat.update": {"chat:write"},
    "conversations.open": {"im:write"},
    "users.info": {"users:read"},
    "views.open": set(),
    "auth.test": set(),
}
EVENT_SCOPES = {
    "app_mention": ("app_mention", {"app_mentions:read"}),
    "message": ("message.im", {"im:history"}),  # only direct messages are subscribed
    "member_joined_channel": ("member_joined_channel", {"channels:read", "groups:read"}),
    "team_join": ("team_join", {"users:read"}),
}


def _used() -> tuple[set[str], set[str], set[str]]:
    methods = set(re.findall(r'\.call\(\s*"([a-z]+\.[A-Za-z]+)"', SLACK_CODE))
    events = set(re.findall(r'@app\.event\("([a-z_]+)"\)', SLACK_CODE))
    commands = set(re.findall(r'@app\.command\("(/[a-z]+)"\)', SLACK_CODE))
    return methods, events, commands


def test_declared_scopes_and_events_match_what_the_code_uses() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yaml").read_text())
    methods, events, commands = _used()
    assert methods and events and commands == {"/cop"}
    unknown = methods - METHOD_SCOPES.keys()
    assert not unknown, f"add the scopes these methods need to the test's table: {unknown}"
    needed = set().union(*(METHOD_SCOPES[m] for m in methods), *(EVENT_SCOPES[e][1] for e in events), {"commands"})
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {EVENT_SCOPES[e][0] for e in events}
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/cop"]
    assert manifest["settings"]["interactivity"]["is_enabled"]


def test_the_committed_manifest_is_the_generated_one() -> None:
    assert (ROOT / "manifest.yaml").read_text() == manifest_yaml(), (
        "regenerate manifest.yaml from adapters/slack/manifest.py"
    )


def test_the_cli_fills_in_the_host() -> None:
    cultivate = Path(sys.executable).parent / "cultivate"
    out = subprocess.run(
        [str(cultivate), "manifest", "slack", "--url", "https://cop.example.org/"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0
    urls = {yaml.safe_load(out.stdout)["settings"]["event_subscriptions"]["request_url"]}
    assert urls == {"https://cop.example.org/slack/events"} and "your.host" not in out.stdout.split("\n", 2)[2]
    refused = subprocess.run(
        [str(cultivate), "manifest", "slack", "--url", "http://insecure"], capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2 and "https" in refused.stderr


def test_the_command_hint_is_written_in_the_communitys_language() -> None:
    """Slack keeps one description and hint per command, with no translations: the community's language is used."""
    [french] = manifest(language="fr")["features"]["slash_commands"]
    assert french["command"] == "/cop"
    assert french["description"] == _(COMMAND_DESCRIPTION, "fr")[:100]
    assert french["usage_hint"] == _(USAGE_HINT, "fr")[:100]

"""Whatever leaves for Slack — blocks and the notification text alike — cannot mention a user, a group or a
channel, or carry a disguised link, whoever wrote it: a member, or a platform's display name."""

from __future__ import annotations

import json

from adapters.slack import render
from bot.messages import Button, Fact, Message, Section
from bot.text import content
from tests.adapters.slack.harness import SlackBot

HOSTILE = "<!subteam^S0DEVS|devs> <https://evil.example|click me> <@U0ALICE> <!channel> <!here|here> &lt;"
FORBIDDEN = ("<!subteam", "<@", "<!channel>", "<!here", "<https://", "<http")


def forbidden_in(payload: object) -> list[str]:
    """What Slack would read as markup in the text it formats: notification text and mrkdwn (plain_text labels and
    button values are shown as given)."""
    text = json.dumps(list(_formatted(payload)), ensure_ascii=False)
    return [f for f in FORBIDDEN if f in text]


def _formatted(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [t for item in node for t in _formatted(item)]
    if isinstance(node, dict):
        if node.get("type") == "plain_text":
            return []
        found = [node["text"]] if node.get("type") == "mrkdwn" else []
        return found + [t for key, value in node.items() if key not in ("value", "type") for t in _formatted(value)]
    return []


def test_the_notification_text_is_as_inert_as_the_blocks() -> None:
    for message in (
        Message(f"You said: {content(HOSTILE)}"),
        Message(HOSTILE),  # a routine that forgot content(): the adapter still holds
        Message("x", sections=(Section(HOSTILE, title=HOSTILE, facts=(Fact(HOSTILE, HOSTILE),)),), footer=HOSTILE),
        Message("\n".join([HOSTILE] * 400), buttons=(Button(HOSTILE, "a", HOSTILE),)),
    ):
        for payload in render.payloads(message):
            assert not forbidden_in(payload["text"]) and not forbidden_in(payload["blocks"]), payload["text"][:200]


def test_entities_are_not_cut_when_the_text_is() -> None:
    [payload] = render.payloads(Message("<" * 5000))
    assert payload["text"].endswith("&lt;…") and "&lt" in payload["text"]


async def test_echoed_member_text_cannot_mention_or_link_in_any_field(slack: SlackBot) -> None:
    await slack.command("U1", f"echo {HOSTILE}")
    [post] = await slack.fake.wait_for("chat.postMessage")
    assert not forbidden_in(post.args), forbidden_in(post.args)
    assert "&lt;https://evil.example|click me&gt;" in post.args["text"]


async def test_a_display_name_from_users_info_is_content_too(slack: SlackBot) -> None:
    slack.fake.users["U2"]["profile"]["display_name"] = "<@U0ALICE> <!subteam^S0DEVS> <https://evil.example|Baraka>"
    await slack.command("U2", "join")
    await slack.fake.wait_for("chat.postEphemeral")
    await slack.settled()
    await slack.command("U1", "role grant U2 moderator")
    await slack.fake.wait_for("chat.postEphemeral", 2)
    await slack.settled()
    said = [c.args for c in slack.fake.calls if c.method.startswith("chat.")]
    assert any("is now a moderator" in args["text"] for args in said)
    assert not forbidden_in(said), forbidden_in(said)

"""A Slack member's language is their Slack locale (users.info with include_locale) unless they choose one."""

from __future__ import annotations

from bot.i18n import _
from tests.adapters.slack.harness import SlackBot


async def test_a_member_whose_slack_is_in_portuguese_is_answered_in_portuguese(slack: SlackBot) -> None:
    slack.fake.users["U2"]["locale"] = "pt-BR"
    await slack.command("U2", "help")
    await slack.fake.wait_for("chat.postEphemeral")
    await slack.settled()
    [asked] = [c for c in slack.fake.called("users.info") if c.args.get("user") == "U2"]
    assert str(asked.args.get("include_locale")).lower() in ("true", "1")
    assert _("What you can do here", "pt") in slack.blocks_text("chat.postEphemeral")
    # Their own choice wins over Slack's.
    await slack.command("U2", "language fr")
    await slack.fake.wait_for("chat.postEphemeral", 2)
    await slack.settled()
    await slack.command("U2", "help")
    await slack.fake.wait_for("chat.postEphemeral", 3)
    assert _("What you can do here", "fr") in slack.blocks_text("chat.postEphemeral")


async def test_a_slack_locale_cultivate_does_not_speak_falls_back_to_the_communitys(slack: SlackBot) -> None:
    slack.fake.users["U1"]["locale"] = "de-DE"
    await slack.command("U1", "help")
    await slack.fake.wait_for("chat.postEphemeral")
    assert "What you can do here" in slack.blocks_text("chat.postEphemeral")

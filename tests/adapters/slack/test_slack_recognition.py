"""Thanks, stories and the library through Slack: the public thanks lands in the home channel, safely escaped."""
from __future__ import annotations

from tests.adapters.slack.harness import SlackBot
from tests.adapters.slack.test_slack_peer_assist import slack_home  # noqa: F401 - the fixture


async def test_a_thanks_by_mention_is_posted_in_the_home_channel(slack_home: SlackBot) -> None:  # noqa: F811
    slack = slack_home
    await slack.command("U2", "join")
    await slack.settled()
    await slack.command("U1", "thanks <@U2|baraka> for the <!here> alert templates")
    await slack.fake.wait_for("chat.postMessage", 2)
    await slack.settled()
    public = [c for c in slack.fake.called("chat.postMessage") if c.args["channel"] == "C1"]
    assert public and "thanks Baraka O. for the" in public[-1].args["text"]
    assert "<!here>" not in str(public[-1].args["blocks"])


async def test_the_library_answers_on_slack(slack_home: SlackBot) -> None:  # noqa: F811
    slack = slack_home
    await slack.command("U1", "library add https://example.org/runbook.pdf Alerting runbook #alerting")
    await slack.fake.wait_for("chat.postEphemeral")
    await slack.settled()
    await slack.command("U1", "library search runbok")
    await slack.fake.wait_for("chat.postEphemeral", 2)
    assert "[document] *Alerting runbook*" in slack.blocks_text("chat.postEphemeral")

"""Thanks, stories and the library through Slack: the public thanks lands in the home channel, safely escaped."""

from __future__ import annotations

from tests.adapters.slack.harness import SlackBot


async def test_a_thanks_by_mention_is_posted_in_the_home_channel(slack_home: SlackBot) -> None:
    slack = slack_home
    await slack.command("U2", "join")
    await slack.settled()
    await slack.command("U1", "thanks <@U2|baraka> for the <!here> alert templates")
    await slack.fake.wait_for("chat.postMessage", 2)
    await slack.settled()
    public = [c for c in slack.fake.called("chat.postMessage") if c.args["channel"] == "C1"]
    assert public and "thanks Baraka O. for the" in public[-1].args["text"]
    assert "<!here>" not in str(public[-1].args["blocks"])


async def test_the_library_answers_on_slack(slack_home: SlackBot) -> None:
    slack = slack_home
    await slack.command("U1", "library add https://example.org/runbook.pdf Alerting runbook #alerting")
    await slack.fake.wait_for("chat.postEphemeral")
    await slack.settled()
    await slack.command("U1", "library search runbok")
    await slack.fake.wait_for("chat.postEphemeral", 2)
    assert "[document] *Alerting runbook*" in slack.blocks_text("chat.postEphemeral")


async def test_a_story_told_in_a_modal_respects_anonymity(slack_home: SlackBot) -> None:
    slack = slack_home
    await slack.command("U2", "join")
    await slack.settled()
    await slack.command("U2", "story", trigger="trig-s")
    [opened] = await slack.fake.wait_for("views.open")
    consent = next(b for b in opened.args["view"]["blocks"] if b.get("block_id") == "consent")
    assert [o["value"] for o in consent["element"]["options"]] == [
        "coordinators",
        "community",
        "public_anonymous",
        "public_named",
    ]
    await slack.settled()
    response = await slack.interact(
        {
            "type": "view_submission",
            "team": {"id": "T1"},
            "user": {"id": "U2"},
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": "story",
                "private_metadata": "{}",
                "state": {
                    "values": {
                        "situation": {
                            "value": {"type": "plain_text_input", "value": "Phones could not show our dashboards"}
                        },
                        "helped": {"value": {"type": "multi_static_select", "selected_options": [{"value": "person"}]}},
                        "outcome": {"value": {"type": "plain_text_input", "value": "A mobile layout in two days"}},
                        "value_number": {"value": {"type": "plain_text_input", "value": "8"}},
                        "value_unit": {"value": {"type": "plain_text_input", "value": "days saved"}},
                        "consent": {
                            "value": {"type": "static_select", "selected_option": {"value": "public_anonymous"}}
                        },
                    }
                },
            },
        }
    )
    assert response.status == 200 and await response.text() == ""
    await slack.settled()
    await slack.command("U1", "library search mobile layout")
    await slack.fake.wait_for("chat.postEphemeral", 2)
    found = slack.blocks_text("chat.postEphemeral")
    assert "[story] *Story: A mobile layout in two days*" in found and "Baraka" not in found

"""Introductions on Slack: joining the home channel brings a welcome "
"DM; the button opens a modal; the card is posted."""

from __future__ import annotations

from tests.adapters.slack.harness import SlackBot


async def test_joining_the_home_channel_leads_to_a_card_with_welcomes(slack_home: SlackBot) -> None:
    slack = slack_home
    await slack.event({"type": "member_joined_channel", "user": "U2", "channel": "C1", "team": "T1"}, event_id="EvJoin")
    [welcome] = await slack.fake.wait_for("chat.postMessage")
    assert (
        welcome.answer.get("channel") == "D2" and "Welcome to Real-time monitoring, Baraka O.!" in welcome.args["text"]
    )
    button = welcome.args["blocks"][-2]["elements"][0]
    assert button["action_id"] == "intro.start#0"
    await slack.settled()

    await slack.interact(
        {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": "U2"},
            "channel": {"id": "D2"},
            "message": {"ts": "1.1"},
            "trigger_id": "trig-intro",
            "actions": [{"action_id": button["action_id"], "value": button["value"], "type": "button"}],
        }
    )
    [opened] = await slack.fake.wait_for("views.open")
    view = opened.args["view"]
    assert view["callback_id"] == "intro"
    expertise = next(b for b in view["blocks"] if b.get("block_id") == "expertise")
    assert [o["value"] for o in expertise["element"]["options"]] == ["dashboards", "alerting"]
    await slack.settled()

    response = await slack.interact(
        {
            "type": "view_submission",
            "team": {"id": "T1"},
            "user": {"id": "U2"},
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": "intro",
                "private_metadata": view["private_metadata"],
                "state": {
                    "values": {
                        "name": {"value": {"type": "plain_text_input", "value": "Baraka"}},
                        "timezone": {"value": {"type": "plain_text_input", "value": "Europe/Lisbon"}},
                        "expertise": {
                            "value": {"type": "multi_static_select", "selected_options": [{"value": "dashboards"}]}
                        },
                        "offer": {"value": {"type": "plain_text_input", "value": "Grafana <!channel> tips"}},
                    }
                },
            },
        }
    )
    assert response.status == 200 and await response.text() == ""
    posts = await slack.fake.wait_for("chat.postMessage", 3)
    [card] = [p for p in posts if p.args["channel"] == "C1"]
    assert posts[-1].answer.get("channel") == "D2" and "Your introduction is posted" in posts[-1].args["text"]
    assert card.args["channel"] == "C1" and "Please welcome Baraka" in card.args["text"]
    text = slack.blocks_text("chat.postMessage", posts.index(card))
    assert "<!channel>" not in text and "dashboards" in text
    await slack.settled()

    welcome_button = card.args["blocks"][-2]["elements"][0]
    press = {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "channel": {"id": "C1"},
        "message": {"ts": "1700000000.000002"},
        "trigger_id": "t",
        "actions": [{"action_id": welcome_button["action_id"], "value": welcome_button["value"], "type": "button"}],
    }
    await slack.interact(press)
    [update] = await slack.fake.wait_for("chat.update")
    await slack.settled()
    assert update.args["ts"] == "1700000000.000002" and "Welcomed by 1" in str(update.args["blocks"])
    await slack.interact(press)
    await slack.fake.wait_for("chat.postEphemeral", 2)
    assert "already welcomed Baraka" in slack.blocks_text("chat.postEphemeral")
    assert len(slack.fake.called("chat.update")) == 1


async def test_a_slow_form_is_acked_in_time_and_still_finishes(slack_home: SlackBot) -> None:
    slack = slack_home
    slack.adapter.view_ack_budget = 0.0  # as if posting the card took longer than Slack waits
    await slack.command("U2", "join")
    await slack.settled()
    await slack.command("U2", "intro", trigger="trig-slow")
    [opened] = await slack.fake.wait_for("views.open")
    await slack.settled()
    response = await slack.interact(
        {
            "type": "view_submission",
            "team": {"id": "T1"},
            "user": {"id": "U2"},
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": "intro",
                "private_metadata": opened.args["view"]["private_metadata"],
                "state": {"values": {"name": {"value": {"type": "plain_text_input", "value": "Baraka"}}}},
            },
        }
    )
    assert response.status == 200 and await response.text() == ""
    await slack.settled()
    assert any(
        c.args["channel"] == "C1" and "Please welcome Baraka" in c.args["text"]
        for c in slack.fake.called("chat.postMessage")
    )

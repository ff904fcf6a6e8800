"""Peer assist on Slack: the request card in the home channel, experts asked in DM, the offer in the card's thread."""

from __future__ import annotations

from typing import Any

from tests.adapters.slack.harness import SlackBot


def intro_submission(user: str, expertise: list[str], offer: str) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": user},
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": "intro",
            "private_metadata": "{}",
            "state": {
                "values": {
                    "name": {"value": {"type": "plain_text_input", "value": "Baraka"}},
                    "expertise": {
                        "value": {"type": "multi_static_select", "selected_options": [{"value": e} for e in expertise]}
                    },
                    "offer": {"value": {"type": "plain_text_input", "value": offer}},
                }
            },
        },
    }


async def test_ask_routes_to_an_expert_whose_offer_lands_in_the_thread(slack_home: SlackBot) -> None:
    slack = slack_home
    await slack.event({"type": "member_joined_channel", "user": "U2", "channel": "C1"}, event_id="EvJoin2")
    await slack.settled()
    await slack.command("U2", "intro", trigger="trig-b")
    await slack.fake.wait_for("views.open")
    await slack.settled()
    assert (await slack.interact(intro_submission("U2", ["dashboards"], "Grafana for control rooms"))).status == 200
    await slack.settled()
    before = len(slack.fake.called("chat.postMessage"))

    await slack.command("U1", "ask How do you keep control-room dashboards from going stale?")
    posts = await slack.fake.wait_for("chat.postMessage", before + 2)
    await slack.settled()
    card = next(p for p in posts[before:] if p.args["channel"] == "C1")
    ask = next(p for p in posts[before:] if p.answer.get("channel") == "D2")
    assert "asks: How do you keep control-room dashboards" in card.args["text"]
    assert "because you listed dashboards" in ask.args["text"]
    offer_button = ask.args["blocks"][-2]["elements"][0]

    await slack.interact(
        {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": "U2"},
            "channel": {"id": "D2"},
            "message": {"ts": "9.9"},
            "trigger_id": "t",
            "actions": [{"action_id": offer_button["action_id"], "value": offer_button["value"], "type": "button"}],
        }
    )
    await slack.fake.wait_for("chat.update")
    await slack.settled()
    threaded = [p for p in slack.fake.called("chat.postMessage") if p.args.get("thread_ts")]
    card_ts = next(c.args["ts"] for c in slack.fake.called("chat.update"))
    assert threaded and threaded[0].args["channel"] == "C1" and threaded[0].args["thread_ts"] == card_ts
    assert "Baraka offered to help." in threaded[0].args["text"]
    told = [p for p in slack.fake.called("chat.postMessage") if p.answer.get("channel") == "D1"]
    assert told and "Baraka can help with your request #1" in told[-1].args["text"]


async def test_the_directory_answers_on_slack_forgiving_a_typo(slack_home: SlackBot) -> None:
    slack = slack_home
    await slack.command("U2", "join")
    await slack.settled()
    await slack.command("U2", "intro", trigger="trig-b")
    await slack.fake.wait_for("views.open")
    await slack.settled()
    await slack.interact(intro_submission("U2", ["dashboards"], "Grafana for control rooms"))
    await slack.settled()
    count = len(slack.fake.called("chat.postEphemeral"))
    await slack.command("U1", "who dashbord")
    await slack.fake.wait_for("chat.postEphemeral", count + 1)
    answer = slack.blocks_text("chat.postEphemeral")
    assert "Members who know about “dashbord”" in answer and "*Baraka*" in answer and "knows dashboards" in answer

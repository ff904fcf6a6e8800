"""Slack through the real /slack/events endpoint: signed requests in, Web API calls out to a local fake."""

from __future__ import annotations

import json
import time

from tests import routines
from tests.adapters.slack.harness import SlackBot


async def test_a_slash_command_gets_its_answer_only_the_caller_sees(slack: SlackBot) -> None:
    response = await slack.command("U1", "help")
    assert response.status == 200
    [call] = await slack.fake.wait_for("chat.postEphemeral")
    assert call.args["channel"] == "C1" and call.args["user"] == "U1" and call.token == "xoxb-test"
    assert "What you can do" in slack.blocks_text("chat.postEphemeral") and "/cop role" in slack.blocks_text(
        "chat.postEphemeral"
    )


async def test_the_members_name_and_timezone_come_from_users_info_once(slack: SlackBot) -> None:
    await slack.command("U1", "timezone")
    await slack.fake.wait_for("chat.postEphemeral")
    await slack.settled()
    assert "Your timezone is Africa/Nairobi" in slack.blocks_text("chat.postEphemeral")
    await slack.command("U1", "community")
    await slack.fake.wait_for("chat.postEphemeral", 2)
    assert len(slack.fake.called("users.info")) == 1, "the profile is cached in the database"


async def test_bad_and_stale_signatures_get_401_and_change_nothing(slack: SlackBot) -> None:
    forged = await slack.post(
        "text=help&user_id=U9&channel_id=C1&team_id=T1&command=/cop",
        "application/x-www-form-urlencoded",
        signature="v0=" + "0" * 64,
    )
    stale = await slack.post(
        "text=help&user_id=U9&channel_id=C1&team_id=T1&command=/cop",
        "application/x-www-form-urlencoded",
        timestamp=int(time.time()) - 600,
    )
    assert forged.status == 401 and stale.status == 401
    await slack.command("U1", "community")
    await slack.fake.wait_for("chat.postEphemeral")
    assert "*Members*\n1" in slack.blocks_text("chat.postEphemeral"), "only Amina: the forged caller was never seen"
    assert not any(c.args.get("user") == "U9" for c in slack.fake.calls)


async def test_an_event_retried_by_slack_is_processed_once(slack: SlackBot) -> None:
    mention = {"type": "app_mention", "user": "U1", "text": "<@UBOT> help", "channel": "C1", "ts": "1.1"}
    first = await slack.event(mention, event_id="EvDup")
    again = await slack.event(mention, event_id="EvDup", retry=1)
    assert first.status == 200 and again.status == 200
    await slack.fake.wait_for("chat.postEphemeral")
    await slack.event(
        {"type": "app_mention", "user": "U1", "text": "<@UBOT> community", "channel": "C1", "ts": "1.2"},
        event_id="EvNext",
    )
    calls = await slack.fake.wait_for("chat.postEphemeral", 2)
    assert len(calls) == 2, "the retried help was not answered twice"


async def test_a_button_press_updates_the_card(slack: SlackBot) -> None:
    await slack.command("U1", "rsvp")
    [card] = await slack.fake.wait_for("chat.postMessage")
    button = card.args["blocks"][-1]["elements"][0]
    assert button["action_id"] == "pg.rsvp#0" and button["value"] == "going"
    await slack.interact(
        {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": "U2", "name": "baraka"},
            "channel": {"id": "C1"},
            "message": {"ts": "1700000000.000001"},
            "container": {"type": "message", "message_ts": "1700000000.000001"},
            "trigger_id": "trig-2",
            "actions": [{"action_id": "pg.rsvp#0", "value": "going", "type": "button"}],
        }
    )
    [update] = await slack.fake.wait_for("chat.update")
    assert update.args["ts"] == "1700000000.000001" and "1 going" in update.args["text"]


async def test_a_modal_submission_is_checked_inline_then_stored(slack: SlackBot) -> None:
    await slack.command("U1", "join")
    await slack.fake.wait_for("chat.postEphemeral")
    await slack.settled()
    await slack.command("U1", "trip", trigger="trig-9")
    [opened] = await slack.fake.wait_for("views.open")
    view = opened.args["view"]
    assert opened.args["trigger_id"] == "trig-9" and view["callback_id"] == "trip"
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == [
        "place",
        "topics",
        "mood",
        "day",
        "notes",
    ]

    def submission(place: str, day: str) -> dict[str, object]:
        return {
            "type": "view_submission",
            "team": {"id": "T1"},
            "user": {"id": "U1", "name": "amina"},
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": "trip",
                "private_metadata": view["private_metadata"],
                "state": {
                    "values": {
                        "place": {"value": {"type": "plain_text_input", "value": place}},
                        "topics": {
                            "value": {"type": "multi_static_select", "selected_options": [{"value": "alerting"}]}
                        },
                        "mood": {"value": {"type": "static_select", "selected_option": {"value": "good"}}},
                        "day": {"value": {"type": "datepicker", "selected_date": day}},
                        "notes": {"value": {"type": "plain_text_input", "value": None}},
                    }
                },
            },
        }

    refused = await slack.interact(submission("Nowhere", "2026-02-27"))
    assert refused.status == 200
    assert json.loads(await refused.text()) == {
        "response_action": "errors",
        "errors": {"place": "Nowhere is not a place we can file."},
    }
    accepted = await slack.interact(submission("Kisumu", "2026-02-27"))
    assert accepted.status == 200 and (await accepted.text()) == ""
    assert routines.received[0]["place"] == "Kisumu" and routines.received[0]["topics"] == ["alerting"]


async def test_an_expired_trigger_falls_back_to_questions_in_dm(slack: SlackBot) -> None:
    await slack.command("U1", "join")
    await slack.fake.wait_for("chat.postEphemeral")
    await slack.settled()
    await slack.command("U1", "trip", trigger="expired")
    questions = await slack.fake.wait_for("chat.postMessage", 2)
    await slack.settled()
    assert questions[-1].answer.get("channel") == "D1" and "1/5" in questions[-1].args["text"]
    assert questions[-1].args["channel"] == "U1" and not slack.fake.called("conversations.open"), "sent by user id"
    await slack.event(
        {"type": "message", "channel_type": "im", "user": "U1", "text": "Kisumu", "channel": "D1", "ts": "2.1"},
        event_id="EvDM",
    )
    await slack.fake.wait_for("chat.postMessage", 3)
    assert "2/5" in slack.fake.called("chat.postMessage")[-1].args["text"]


async def test_a_rate_limit_delays_then_delivers(slack: SlackBot) -> None:
    slack.fake.rate_limited["chat.postEphemeral"] = 1
    await slack.command("U1", "help")
    await slack.fake.wait_for("chat.postEphemeral")
    assert [c.method for c in slack.fake.calls if c.method.startswith("chat.")] == [
        "chat.postEphemeral:429",
        "chat.postEphemeral",
    ]


async def test_a_long_list_is_split_within_block_kit_limits(slack: SlackBot) -> None:
    await slack.command("U1", "many 120")
    posts = await slack.fake.wait_for("chat.postMessage", 3)
    assert len(posts) == 3
    for post in posts:
        assert len(post.args["blocks"]) <= 50
        assert all(
            len(b["text"]["text"]) <= 3000 for b in post.args["blocks"] if b["type"] == "section" and "text" in b
        )


async def test_member_text_with_channel_mentions_is_reposted_harmlessly(slack: SlackBot) -> None:
    await slack.command("U1", "echo <!channel> *urgent* <https://evil.example|your bank> @here")
    [_post] = await slack.fake.wait_for("chat.postMessage")
    text = slack.blocks_text("chat.postMessage")
    assert "<!channel>" not in text and "&lt;!\u2060channel&gt;" in text
    assert "<https://" not in text and "@here" not in text.replace("@\u2060here", "")


async def test_a_role_is_granted_by_mentioning_the_member(slack: SlackBot) -> None:
    await slack.command("U2", "join")
    await slack.fake.wait_for("chat.postEphemeral")
    await slack.settled()
    await slack.command("U1", "role grant <@U2|baraka> moderator")
    await slack.fake.wait_for("chat.postEphemeral", 2)
    assert "Baraka O. is now a moderator" in slack.blocks_text("chat.postEphemeral")
    dms = await slack.fake.wait_for("chat.postMessage", 2)
    assert "Welcome to Community of Practice" in dms[0].args["text"]
    assert dms[-1].answer.get("channel") == "D2" and "You are now a moderator" in dms[-1].args["text"]

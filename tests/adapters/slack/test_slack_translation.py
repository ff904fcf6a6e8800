"""Slack translators as pure functions, and Socket Mode requests through the same Bolt app."""

from __future__ import annotations

from typing import Any

from slack_bolt.request.async_request import AsyncBoltRequest

from adapters.slack import inbound, render
from bot.events import CommandInvoked, MemberJoined, MessagePosted
from bot.forms import Choice, FieldKind, Form, FormField
from bot.messages import Button, Fact, Message, Section
from bot.text import content
from tests.adapters.slack.harness import SlackBot


def test_a_mention_in_a_channel_is_a_command_and_the_echo_as_message_is_ignored() -> None:
    body: dict[str, Any] = {
        "team_id": "T1",
        "event_id": "Ev1",
        "event": {
            "type": "app_mention",
            "user": "U1",
            "channel": "C1",
            "text": "<@UBOT> cop role grant <@U2|baraka> moderator",
            "ts": "1.0",
        },
    }
    event = inbound.event(body, "UBOT")
    assert isinstance(event, CommandInvoked) and event.name == "role" and event.event_id == "Ev1"
    echo = {"team_id": "T1", "event": {**body["event"], "type": "message", "channel_type": "channel"}}
    assert inbound.event(echo, "UBOT") is None


def test_direct_messages_are_answers_unless_they_start_with_cop() -> None:
    dm: dict[str, Any] = {
        "team_id": "T1",
        "event": {"type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "text": "2"},
    }
    assert isinstance(inbound.event(dm, "UBOT"), MessagePosted)
    dm["event"]["text"] = "cop help"
    command = inbound.event(dm, "UBOT")
    assert isinstance(command, CommandInvoked) and command.name == "help" and command.place.direct


def test_bots_edits_and_our_own_messages_are_ignored() -> None:
    base = {"type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "text": "hi"}
    assert inbound.event({"event": {**base, "bot_id": "B9"}}, "UBOT") is None
    assert inbound.event({"event": {**base, "subtype": "message_changed"}}, "UBOT") is None
    assert inbound.event({"event": {**base, "user": "UBOT"}}, "UBOT") is None


def test_joins_are_member_joined() -> None:
    joined = inbound.event(
        {"team_id": "T1", "event": {"type": "member_joined_channel", "user": "U3", "channel": "C1"}}, "UBOT"
    )
    team = inbound.event({"team_id": "T1", "event": {"type": "team_join", "user": {"id": "U4"}}}, "UBOT")
    assert isinstance(joined, MemberJoined) and joined.place.channel == "C1"
    assert isinstance(team, MemberJoined) and team.actor.user_id == "U4"


def test_buttons_get_unique_action_ids_that_translate_back() -> None:
    blocks = render.blocks(Message("x", buttons=(Button("Going", "rsvp", "going"), Button("Maybe", "rsvp", "maybe"))))
    ids = [e["action_id"] for e in blocks[-1]["elements"]]
    assert ids == ["rsvp#0", "rsvp#1"] and {render.action_id(i) for i in ids} == {"rsvp"}


def test_facts_become_fields_ten_at_a_time_and_footer_context() -> None:
    message = Message(
        "lead", sections=(Section("body", facts=tuple(Fact(f"L{i}", "v") for i in range(12))),), footer="foot"
    )
    blocks = render.blocks(message)
    assert [b["type"] for b in blocks] == ["section", "section", "section", "section", "context"]
    assert len(blocks[2]["fields"]) == 10 and len(blocks[3]["fields"]) == 2


def test_a_huge_text_is_split_into_sections_under_3000_characters() -> None:
    [payload] = render.payloads(Message("line\n" * 2000))
    assert all(len(b["text"]["text"]) <= 3000 for b in payload["blocks"]) and len(payload["blocks"]) == 4
    assert len(payload["text"]) <= 3000


def test_member_text_cannot_ping_or_forge_links() -> None:
    text = render.mrkdwn(content("<!here> <@U1> <https://x.example|click> &amp; *b*"))
    assert "<" not in text and ">" not in text and "&amp;amp;" in text and "*\u200bb*\u200b" in text


def test_forms_become_modals_with_typed_inputs_and_limits() -> None:
    form = Form(
        "f",
        "A title far longer than Slack allows",
        (
            FormField("a", "A", help="why"),
            FormField("b", "B", FieldKind.SINGLE_SELECT, choices=(Choice("x", "X"),), initial="x"),
            FormField("c", "C", FieldKind.LONG_TEXT, required=False),
            FormField("d", "D", FieldKind.DATE),
        ),
    )
    view = render.modal(form, {"direct": True})
    assert len(view["title"]["text"]) <= 24
    inputs = view["blocks"]
    assert [b["element"]["type"] for b in inputs] == [
        "plain_text_input",
        "static_select",
        "plain_text_input",
        "datepicker",
    ]
    assert inputs[0]["hint"]["text"] == "why" and inputs[2]["optional"] and inputs[2]["element"]["multiline"]
    assert inputs[1]["element"]["initial_option"]["value"] == "x"


def test_submitted_values_are_read_by_element_type() -> None:
    body = {
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "view": {
            "callback_id": "f",
            "private_metadata": "",
            "state": {
                "values": {
                    "when": {"value": {"type": "datetimepicker", "selected_date_time": 1772445600}},
                    "at": {"value": {"type": "timepicker", "selected_time": "14:30"}},
                }
            },
        },
    }
    submitted = inbound.view_submission(body)
    assert submitted.values == {"when": "@1772445600", "at": "14:30"} and submitted.form_id == "f"


async def test_socket_mode_requests_take_the_same_path(slack: SlackBot) -> None:
    body = {
        "token": "x",
        "team_id": "T1",
        "user_id": "U1",
        "user_name": "amina",
        "channel_id": "C1",
        "channel_name": "general",
        "command": "/cop",
        "text": "help",
        "trigger_id": "t",
    }
    response = await slack.adapter.bolt.async_dispatch(AsyncBoltRequest(body=body, mode="socket_mode"))
    assert response.status == 200
    await slack.fake.wait_for("chat.postEphemeral")
    assert "What you can do" in slack.blocks_text("chat.postEphemeral")

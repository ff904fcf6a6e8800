"""Signed payloads whose fields are not what Slack promises: each gets a quiet 200 or a clear answer, never a 500,
a traceback or "Sorry, something went wrong"."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest

from tests.adapters.slack.harness import SlackBot
from tests.log_lines import assert_quiet_and_short


def press(actions: Any, **extra: Any) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": "T1"},
        "user": {"id": "U1", "name": "amina"},
        "channel": {"id": "C1"},
        "message": {"ts": "1700000000.000001"},
        "trigger_id": "trig-2",
        "actions": actions,
        **extra,
    }


def everything_said(slack: SlackBot) -> str:
    """The text and blocks of every message Cultivate sent."""
    return "\n".join(json.dumps(c.args, ensure_ascii=False) for c in slack.fake.calls if c.method.startswith("chat."))


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


async def test_block_actions_without_a_usable_action_are_acked_quietly(
    slack: SlackBot, log: pytest.LogCaptureFixture
) -> None:
    for actions in ([], [{}], [None, 3], "pressed", [{"action_id": 7}], [{"action_id": ""}]):
        response = await slack.interact(press(actions))
        assert response.status == 200, actions
    for broken in ({"user": "U1"}, {"user": {"id": ["U1"]}}, {"team": "T1", "channel": 5, "message": []}):
        response = await slack.interact(press([{"action_id": "pg.rsvp#0", "value": "going"}], **broken))
        assert response.status == 200, broken
    await slack.settled()
    assert_quiet_and_short(log.records)
    assert "Sorry" not in everything_said(slack)


async def test_a_button_value_beyond_32_bits_gets_the_ordinary_answer(
    slack: SlackBot, log: pytest.LogCaptureFixture
) -> None:
    await slack.command("U1", "join")
    await slack.fake.wait_for("chat.postEphemeral")
    await slack.settled()
    response = await slack.interact(press([{"action_id": "assist.offer#0", "value": "9" * 40}]))
    assert response.status == 200
    await slack.fake.wait_for("chat.postEphemeral", 2)
    await slack.settled()
    assert "There is no request #" in everything_said(slack)
    assert_quiet_and_short(log.records)


async def test_nul_and_control_characters_in_text_are_dropped_at_the_door(
    slack: SlackBot, log: pytest.LogCaptureFixture
) -> None:
    await slack.command("U1", "echo a\x00b\x1b[31mc\x7f and more")
    [post] = await slack.fake.wait_for("chat.postMessage")
    await slack.event(  # JSON can carry what no UTF-8 can: a lone surrogate
        {"type": "app_mention", "user": "U1", "text": "<@UBOT> echo x\ud800y\u0000z", "channel": "C1", "ts": "1.1"}
    )
    [_post, surrogate] = await slack.fake.wait_for("chat.postMessage", 2)
    await slack.settled()
    assert "You said: abc and more" in post.args["text"].replace("[31m", "")
    assert "You said: xyz" in surrogate.args["text"]
    assert "\\u0000" not in json.dumps([post.args, surrogate.args])
    assert_quiet_and_short(log.records)


async def test_an_event_without_a_user_or_with_odd_fields_is_ignored(
    slack: SlackBot, log: pytest.LogCaptureFixture
) -> None:
    odd: list[dict[str, Any]] = [
        {"type": "app_mention", "text": "<@UBOT> help", "channel": "C1"},
        {"type": "app_mention", "user": {"id": "U1"}, "text": "<@UBOT> help", "channel": "C1"},
        {"type": "app_mention", "user": "U" * 500, "text": "<@UBOT> help", "channel": "C1"},
        {"type": "message", "channel_type": "im", "user": "U1", "text": ["help"], "channel": "D1"},
        {"type": "member_joined_channel", "user": None, "channel": "C1"},
        {"type": "team_join", "user": {"name": "nobody"}},
    ]
    for n, event in enumerate(odd):
        response = await slack.event(event, event_id=f"EvOdd{n}")
        assert response.status == 200, event
    await slack.settled()
    assert_quiet_and_short(log.records)
    assert "Sorry" not in everything_said(slack)


async def test_a_command_without_a_caller_is_acked_and_dropped(slack: SlackBot, log: pytest.LogCaptureFixture) -> None:
    response = await slack.post(
        "command=%2Fcop&text=help&team_id=T1&channel_id=C1", "application/x-www-form-urlencoded"
    )
    assert response.status == 200
    await slack.settled()
    assert not slack.fake.called("chat.postEphemeral")
    assert_quiet_and_short(log.records)


def submission(private_metadata: Any, values: dict[str, Any], **view: Any) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": "U1", "name": "amina"},
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": "trip",
            "private_metadata": private_metadata,
            "state": {"values": values},
            **view,
        },
    }


def trip_values(day: dict[str, Any]) -> dict[str, Any]:
    return {
        "place": {"value": {"type": "plain_text_input", "value": "Kisumu"}},
        "mood": {"value": {"type": "static_select", "selected_option": {"value": "good"}}},
        "day": {"value": day},
        "when": {"value": {"type": "datetimepicker", "selected_date_time": "soon"}},
    }


async def test_malformed_picker_values_and_metadata_get_a_clear_answer_in_the_form(
    slack: SlackBot, log: pytest.LogCaptureFixture
) -> None:
    await slack.command("U1", "join")
    await slack.fake.wait_for("chat.postEphemeral")
    await slack.settled()
    await slack.command("U1", "trip", trigger="trig-9")
    await slack.fake.wait_for("views.open")
    await slack.settled()
    answers = []
    for metadata, day in [
        ("{not json", {"type": "datepicker", "selected_date": 27.5}),
        ("[1, 2]", {"type": "datepicker", "selected_date": "27/02/2026"}),
        (None, {"type": "datepicker", "selected_date": {"y": 2026}}),
        ('{"direct": "yes", "channel": 5}', {"type": "datetimepicker", "selected_date_time": 10**30}),
    ]:
        response = await slack.interact(submission(metadata, trip_values(day)))
        assert response.status == 200
        answers.append(json.loads(await response.text()))
    assert all(a["response_action"] == "errors" and "day" in a["errors"] for a in answers), answers
    assert_quiet_and_short(log.records)


async def test_view_submissions_naming_no_form_or_no_member_are_closed_quietly(
    slack: SlackBot, log: pytest.LogCaptureFixture
) -> None:
    for body in (
        submission("{}", {}, callback_id=None),
        {**submission("{}", {}), "user": None},
        {**submission("{}", {}), "view": "trip"},
        submission("{}", {"day": "2026-02-27", "place": [1]}, state="none"),
    ):
        response = await slack.interact(body)
        assert response.status == 200
    await slack.settled()
    assert_quiet_and_short(log.records)
    assert "Sorry" not in everything_said(slack)


async def test_two_first_contacts_at_once_are_both_answered(slack: SlackBot, log: pytest.LogCaptureFixture) -> None:
    """U1 is a configured coordinator: both first commands create the member and the membership at once."""
    first, second = await asyncio.gather(
        slack.command("U1", "help", trigger="t-1"), slack.command("U1", "community", trigger="t-2")
    )
    assert first.status == second.status == 200
    await slack.fake.wait_for("chat.postEphemeral", 2)
    await slack.settled()
    said = everything_said(slack)
    assert "What you can do" in said and "*Members*" in said and "Sorry" not in said
    assert_quiet_and_short(log.records)


async def test_the_same_form_button_pressed_twice_at_once_opens_it_once_without_errors(
    slack: SlackBot, log: pytest.LogCaptureFixture
) -> None:
    await slack.command("U1", "join")
    await slack.fake.wait_for("chat.postEphemeral")
    await slack.settled()
    first, second = await asyncio.gather(
        slack.command("U1", "trip", trigger="trig-a"), slack.command("U1", "trip", trigger="trig-b")
    )
    assert first.status == second.status == 200
    await slack.fake.wait_for("views.open", 2)
    await slack.settled()
    assert_quiet_and_short(log.records)
    assert "Sorry" not in everything_said(slack)

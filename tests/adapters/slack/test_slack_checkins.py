"""Check-ins on Slack: the schedule form and the recap form as modals, the question in DM with its button, and the
agenda in the home channel as Block Kit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.adapters.slack.harness import SlackBot


def submission(callback_id: str, values: dict[str, str], user: str = "U1") -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": "T1"},
        "user": {"id": user},
        "view": {
            "id": "V1",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": "{}",
            "state": {
                "values": {
                    name: {"value": {"type": "plain_text_input", "value": value}} for name, value in values.items()
                }
            },
        },
    }


async def until(slack: SlackBot, moment: datetime) -> None:
    clock = slack.runtime.services.clock
    clock.advance(moment - clock.now())  # type: ignore[attr-defined]
    await slack.runtime.settle()


async def test_a_check_in_asked_answered_and_compiled_on_slack(slack_home: SlackBot) -> None:
    slack = slack_home
    await slack.event({"type": "member_joined_channel", "user": "U2", "channel": "C1"}, event_id="EvJoin2")
    await slack.settled()

    await slack.command("U1", "checkin schedule", trigger="trig-s")
    [opened] = await slack.fake.wait_for("views.open")
    blocks = {b["block_id"]: b for b in opened.args["view"]["blocks"] if b["type"] == "input"}
    assert list(blocks) == ["title", "participants", "cadence", "call_url", "questions", "lead"]
    assert blocks["questions"]["element"]["multiline"] is True and blocks["call_url"]["optional"] is True
    assert "What support do you need? (optional, support)" in blocks["questions"]["element"]["initial_value"]
    await slack.settled()
    response = await slack.interact(
        submission(
            "checkin.schedule",
            {
                "title": "Focal points call",
                "participants": "Amina, Baraka O.",
                "cadence": "every Monday 09:00 UTC",
                "call_url": "https://meet.example.org/rtm",
                "questions": blocks["questions"]["element"]["initial_value"],
                "lead": "1 day",
            },
        )
    )
    assert response.status == 200 and await response.text() == ""
    await slack.settled()

    await until(slack, datetime(2026, 3, 6, 12, tzinfo=UTC))  # Friday: asked in the morning, Lisbon's and Nairobi's
    ask = [c for c in slack.fake.called("chat.postMessage") if c.answer.get("channel") == "D2"][-1]
    assert "Focal points call* is Mon 9 Mar 2026, 09:00 (Europe/Lisbon)" in ask.args["blocks"][0]["text"]["text"]
    button = ask.args["blocks"][-2]["elements"][0]
    assert button["action_id"] == "checkin.answer#0" and button["text"]["text"] == "Answer"

    await slack.interact(
        {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": "U2"},
            "channel": {"id": "D2"},
            "message": {"ts": "9.9"},
            "trigger_id": "trig-a",
            "actions": [{"action_id": button["action_id"], "value": button["value"], "type": "button"}],
        }
    )
    opened_forms = await slack.fake.wait_for("views.open", 2)
    await slack.settled()
    view = opened_forms[-1].args["view"]
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["label"]["text"] for b in inputs] == [
        "What progress since last time?",
        "What challenges?",
        "What support do you need?",
    ]
    assert [b["optional"] for b in inputs] == [False, True, True] and inputs[0]["element"]["multiline"] is True
    assert view["callback_id"] == "checkin.answer" and "change them until the call" in view["blocks"][0]["text"]["text"]
    answered = await slack.interact(
        submission("checkin.answer", {"q1": "Two regions live", "q2": "Late survey data"}, user="U2")
    )
    assert answered.status == 200 and await answered.text() == ""
    await slack.settled()

    await until(slack, datetime(2026, 3, 8, 10, tzinfo=UTC))
    [agenda] = [
        c for c in slack.fake.called("chat.postMessage") if c.args["channel"] == "C1" and "Agenda" in c.args["text"]
    ]
    text = "\n".join(b["text"]["text"] for b in agenda.args["blocks"] if b["type"] == "section")
    assert "📋 *Agenda — Focal points call*, Mon 9 Mar 2026, 09:00 (UTC)" in text
    assert "*What progress since last time?*\n*Baraka O.*: Two regions live" in text
    assert "*What challenges?*\n*Baraka O.*: Late survey data" in text
    assert "Not answered yet: Amina" in text
    labels = [e["text"]["text"] for b in agenda.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Add or change my answers", "Take minutes"]
    footer = agenda.args["blocks"][-1]["elements"][0]["text"]
    assert "1 of 2 participants answered" in footer

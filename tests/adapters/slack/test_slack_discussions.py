"""Discussions on Slack: scheduled in a modal, opened as a thread root in the home channel, thread replies counted,
closed with the summary modal, the summary posted in the thread and the channel."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tests.adapters.slack.harness import SlackBot


def text_of(call: object) -> str:
    return json.dumps(call.args, ensure_ascii=False)  # type: ignore[attr-defined]


async def submit(slack: SlackBot, callback: str, values: dict[str, dict[str, object]], metadata: str = "{}") -> None:
    response = await slack.interact(
        {
            "type": "view_submission",
            "team": {"id": "T1"},
            "user": {"id": "U1"},
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": callback,
                "private_metadata": metadata,
                "state": {"values": {name: {"value": value} for name, value in values.items()}},
            },
        }
    )
    assert response.status == 200 and await response.text() == ""
    await slack.settled()
    await slack.settled()


async def advance_to(slack: SlackBot, moment: datetime) -> None:
    clock = slack.runtime.services.clock
    clock.advance(moment - clock.now())  # type: ignore[attr-defined]
    await slack.runtime.settle()


async def test_a_discussion_through_slack(slack_home: SlackBot) -> None:
    slack = slack_home
    await slack.command("U2", "join")
    await slack.settled()
    await slack.command("U2", "discuss follow alerting")
    await slack.settled()
    await slack.command("U1", "discuss schedule", trigger="trig-d")
    [opened] = await slack.fake.wait_for("views.open")
    blocks = {b["block_id"]: b for b in opened.args["view"]["blocks"] if b.get("block_id")}
    assert blocks["topic"]["element"]["type"] == "plain_text_input"  # a new topic can be typed
    assert blocks["opens"]["element"]["type"] == "datetimepicker"
    await slack.settled()
    opens = datetime(2026, 3, 5, 6, tzinfo=UTC)
    await submit(
        slack,
        "discussion.schedule",
        {
            "topic": {"type": "plain_text_input", "value": "alerting"},
            "question": {"type": "plain_text_input", "value": "Which alert woke you for nothing last week?"},
            "opens": {"type": "datetimepicker", "selected_date_time": int(opens.timestamp())},
            "days": {"type": "plain_text_input", "value": "2"},
        },
        metadata=opened.args["view"].get("private_metadata", "{}"),
    )
    confirmation = text_of(slack.fake.called("chat.postEphemeral")[-1]) + text_of(
        slack.fake.called("chat.postMessage")[-1]
    )
    # The picker gives an instant; it is echoed in the scheduler's own zone (Amina's Slack zone is Nairobi).
    assert "Thu 5 Mar 2026, 09:00 (Africa/Nairobi)" in confirmation
    told = [c for c in slack.fake.called("chat.postMessage") if c.answer.get("channel") == "D2"]
    assert told and "opens Thu 5 Mar 2026, 06:00 (Europe/Lisbon)" in text_of(told[-1])

    await advance_to(slack, opens)
    [root] = [
        c for c in slack.fake.called("chat.postMessage") if c.args["channel"] == "C1" and "Discussion" in text_of(c)
    ]
    ts = root.answer["ts"]
    await slack.event(
        {
            "type": "message",
            "channel": "C1",
            "user": "U2",
            "text": "Disk alerts, every night.",
            "ts": "1700000100.000001",
            "thread_ts": ts,
            "channel_type": "channel",
        },
        event_id="Ev-reply",
    )
    await slack.event(
        {
            "type": "message",
            "channel": "C1",
            "user": "U2",
            "text": "Disk alerts, every night.",
            "ts": "1700000100.000001",
            "thread_ts": ts,
            "channel_type": "channel",
        },
        event_id="Ev-reply",
        retry=1,
    )
    await slack.settled()

    await advance_to(slack, opens + timedelta(days=1))  # the mid-point: Amina is prompted, with one reply counted
    prompts = [
        c for c in slack.fake.called("chat.postMessage") if c.answer.get("channel") == "D1" and "half way" in text_of(c)
    ]
    assert prompts and "1 reply · 1 person" in text_of(prompts[-1])

    await slack.command("U1", "discuss close 1", trigger="trig-close")
    summary_view = (await slack.fake.wait_for("views.open", count=2))[-1]
    assert summary_view.args["view"]["callback_id"] == "discussion.summary"
    await slack.settled()
    await submit(
        slack,
        "discussion.summary",
        {
            "points": {"type": "plain_text_input", "value": "Disk alerts page people at night for nothing."},
            "practices": {"type": "plain_text_input", "value": "Route disk alerts to the day queue."},
        },
        metadata=summary_view.args["view"].get("private_metadata", "{}"),
    )
    summaries = [c for c in slack.fake.called("chat.postMessage") if "Summary of the discussion" in text_of(c)]
    assert {c.args.get("thread_ts") for c in summaries} == {ts, None}
    assert any(c.args["channel"] == "C1" for c in summaries)
    # The card is updated when closed, and again once the summary is written (only then does it say it is there).
    closing, summarised = [c for c in slack.fake.called("chat.update") if "closed" in text_of(c)]
    assert closing.args["ts"] == summarised.args["ts"] == ts
    assert "summary will follow" in text_of(closing) and "the summary is in the thread" in text_of(summarised)

"""Webinars on Slack: the card in the home channel, RSVP updating its counts in place, reminders in DM."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.adapters.slack.harness import SlackBot


async def test_announce_rsvp_and_remind_through_slack(slack_home: SlackBot) -> None:
    slack = slack_home
    await slack.command("U1", "webinar add", trigger="trig-w")
    [opened] = await slack.fake.wait_for("views.open")
    start = next(b for b in opened.args["view"]["blocks"] if b.get("block_id") == "start")
    assert start["element"]["type"] == "datetimepicker"
    await slack.settled()
    response = await slack.interact(
        {
            "type": "view_submission",
            "team": {"id": "T1"},
            "user": {"id": "U1"},
            "view": {
                "id": "V1",
                "type": "modal",
                "callback_id": "webinar.add",
                "private_metadata": "{}",
                "state": {
                    "values": {
                        "title": {"value": {"type": "plain_text_input", "value": "Alerting that people trust"}},
                        "start": {
                            "value": {
                                "type": "datetimepicker",
                                "selected_date_time": int(datetime(2026, 3, 10, 11, tzinfo=UTC).timestamp()),
                            }
                        },
                        "minutes": {"value": {"type": "plain_text_input", "value": "60"}},
                        "join_url": {"value": {"type": "plain_text_input", "value": "https://meet.example.org/rtm"}},
                    }
                },
            },
        }
    )
    assert response.status == 200 and await response.text() == ""
    await slack.settled()
    [card] = [c for c in slack.fake.called("chat.postMessage") if c.args["channel"] == "C1"]
    going = card.args["blocks"][-2]["elements"][0]
    assert going["action_id"] == "webinar.rsvp#0" and going["value"] == "1:going"

    await slack.interact(
        {
            "type": "block_actions",
            "team": {"id": "T1"},
            "user": {"id": "U2"},
            "channel": {"id": "C1"},
            "message": {"ts": "1700000000.000001"},
            "trigger_id": "t",
            "actions": [{"action_id": going["action_id"], "value": going["value"], "type": "button"}],
        }
    )
    [update] = await slack.fake.wait_for("chat.update")
    await slack.settled()
    assert "1 going · 0 maybe · 0 not going" in str(update.args["blocks"])

    slack.runtime.services.clock.advance(datetime(2026, 3, 9, 11, tzinfo=UTC) - slack.runtime.services.clock.now())  # type: ignore[attr-defined]
    await slack.runtime.settle()
    reminder = [c for c in slack.fake.called("chat.postMessage") if c.answer.get("channel") == "D2"][-1]
    assert "starts Tue 10 Mar 2026, 11:00 (Europe/Lisbon)" in reminder.args["text"]

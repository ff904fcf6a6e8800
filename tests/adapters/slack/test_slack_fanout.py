"""A reminder fan-out on Slack: every DM goes to the member's user id, and no Tier 3 method is called per member."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.context import DeliveryContext
from bot.events import Place
from tests.adapters.slack.harness import SlackBot

MEMBERS = [f"U{n}" for n in range(2, 8)]


def _webinar_form() -> dict[str, object]:
    start = int(datetime(2026, 3, 10, 11, tzinfo=UTC).timestamp())
    return {
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
                    "start": {"value": {"type": "datetimepicker", "selected_date_time": start}},
                    "minutes": {"value": {"type": "plain_text_input", "value": "60"}},
                    "join_url": {"value": {"type": "plain_text_input", "value": "https://meet.example.org/rtm"}},
                }
            },
        },
    }


async def test_reminders_fan_out_by_user_id_without_opening_conversations(slack_home: SlackBot) -> None:
    slack = slack_home
    await slack.command("U1", "webinar add", trigger="trig-w")
    await slack.fake.wait_for("views.open")
    await slack.settled()
    await slack.interact(_webinar_form())
    await slack.settled()
    [card] = [c for c in slack.fake.called("chat.postMessage") if c.args["channel"] == "C1"]
    going = card.args["blocks"][-2]["elements"][0]
    for user in MEMBERS:
        await slack.interact(
            {
                "type": "block_actions",
                "team": {"id": "T1"},
                "user": {"id": user},
                "channel": {"id": "C1"},
                "message": {"ts": "1700000000.000001"},
                "trigger_id": "t",
                "actions": [{"action_id": going["action_id"], "value": going["value"], "type": "button"}],
            }
        )
        await slack.settled()
    before = len(slack.fake.calls)

    clock = slack.runtime.services.clock
    clock.advance(datetime(2026, 3, 9, 11, tzinfo=UTC) - clock.now())  # type: ignore[attr-defined]
    await slack.runtime.settle()

    fan_out = slack.fake.calls[before:]
    reminders = [c for c in fan_out if c.method == "chat.postMessage" and "starts" in c.args.get("text", "")]
    assert sorted(c.args["channel"] for c in reminders) == MEMBERS, "one reminder each, addressed by user id"
    assert not slack.fake.called("conversations.open"), "no conversation opened for anyone"
    assert not [c for c in fan_out if c.method.startswith(("users.", "conversations."))], "no per-member look-up"


async def test_commands_are_answered_while_a_throttled_fan_out_drains(slack_home: SlackBot) -> None:
    slack = slack_home
    services = slack.runtime.services
    async with services.sessions() as db:
        ctx = DeliveryContext(services=services, db=db, origin="delivery:test")
        for n in range(40):
            await ctx.post(Place.direct_to("slack", "T1", f"UF{n}"), f"Reminder {n}")
        await db.commit()
    slack.fake.rate_limited["chat.postMessage"] = 15  # Slack says "wait" to the first fifteen posts
    services.queued.set()
    for n in range(5):
        response = await slack.command(f"U{n + 20}", "help", channel="C1")
        assert response.status == 200
    await slack.runtime.settle(patience=30.0)
    answered = sorted(c.args["user"] for c in slack.fake.called("chat.postEphemeral"))
    assert answered == sorted(f"U{n + 20}" for n in range(5)), "every command answered, once"
    delivered = {c.args["channel"] for c in slack.fake.called("chat.postMessage") if c.args["channel"].startswith("UF")}
    assert delivered == {f"UF{n}" for n in range(40)}, "and every DM of the fan-out went out after the waits"
    assert slack.fake.called("chat.postMessage:429")

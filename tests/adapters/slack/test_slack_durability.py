"""What members say and what Cultivate answers survive rate limits, unreachable members, failing routines, a busy
channel and a database that goes away — through Slack's real endpoint, against the local fake of its Web API."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from flows import all_routines
from storage import communities, deliveries, directory, members
from storage.models import AssistRequest, OutboundMessage, WorkStatus
from tests.adapters.slack.conftest import HOME_CONFIG
from tests.adapters.slack.harness import SlackBot
from tests.adapters.slack.playground import playground


@pytest.fixture
async def home(database_url: str, tmp_path: Path) -> AsyncIterator[SlackBot]:
    """Slack with C1 as the community's home channel (U1 coordinates), and the playground's test commands."""
    config = tmp_path / "cultivate.yaml"
    config.write_text(HOME_CONFIG)
    bot = await SlackBot.open(database_url, all_routines() + [playground], config_path=str(config))
    yield bot
    await bot.close()


def posted(slack: SlackBot, channel: str, starting: str) -> list[float]:
    return [
        c.at
        for c in slack.fake.called("chat.postMessage")
        if c.args.get("channel") == channel and c.args.get("text", "").startswith(starting)
    ]


async def test_a_rate_limit_storm_loses_no_answer_and_holds_reminders_only_for_as_long(home: SlackBot) -> None:
    async with home.runtime.services.sessions() as db:
        now = home.runtime.services.clock.now()
        await deliveries.schedule(db, kind="pg.remind", key="r", due_at=now, now=now, payload={"text": "webinar"})
        await db.commit()
    storm_ends = time.monotonic() + 3.0
    home.fake.storm_until = storm_ends  # every chat.* call answers 429 (Retry-After: 1) for three seconds
    for n in range(10):
        response = await home.command(f"U{n + 10}", "help", channel=f"C{n + 10}")
        assert response.status == 200, "acknowledged at once, storm or not"
    await home.runtime.settle(patience=30.0)
    answered = [c.args["user"] for c in home.fake.called("chat.postEphemeral")]
    assert sorted(answered) == sorted(f"U{n + 10}" for n in range(10)), "every command answered, once"
    assert home.fake.called("chat.postEphemeral:429") and home.fake.called("chat.postMessage:429")
    [reminded] = posted(home, "C1", "Reminder: webinar")
    assert storm_ends <= reminded < storm_ends + 3.0, "the reminder waited for the storm, not much longer"


async def test_one_unreachable_expert_does_not_stop_the_request_or_the_others(home: SlackBot) -> None:
    now = home.runtime.services.clock.now()
    async with home.runtime.services.sessions() as db:
        [community] = await communities.all_communities(db)
        for user in ("U7", "U8", "U9"):
            expert, _created = await members.get_or_create(db, "slack", "T1", user, f"Expert {user}", None, now)
            await communities.join(db, community, expert, now)
            await directory.save(db, community.id, expert.id, expertise=["dashboards"], offer="", learn="", now=now)
        await db.commit()
    home.fake.refuse["U8"] = "account_inactive"
    await home.command("U1", "join")
    await home.command("U1", "ask How do you alert on stale dashboards at night?")
    await home.settled()
    cards = posted(home, "C1", "")
    assert len([c for c in home.fake.called("chat.postMessage") if c.args["channel"] == "C1"]) == 1 == len(cards)
    asked = {c.args["channel"] for c in home.fake.called("chat.postMessage") if c.args["channel"] in ("U7", "U9")}
    assert asked == {"U7", "U9"}, "the other experts were asked"
    async with home.runtime.services.sessions() as db:
        assert len((await db.scalars(select(AssistRequest))).all()) == 1, "the request is saved"
        failed = (await db.scalars(select(OutboundMessage).where(OutboundMessage.status == WorkStatus.FAILED))).all()
        assert [f.to_user for f in failed] == ["U8"] and "account_inactive" in (failed[0].error or "")
    # A second request is not poisoned by the first failure.
    await home.command("U1", "ask Which alert thresholds do you use for disk space?")
    await home.settled()
    assert len([c for c in home.fake.called("chat.postMessage") if c.args["channel"] == "C1"]) == 2
    report = await home.command("U1", "deliveries")
    await home.settled()
    text = home.fake.called("chat.postEphemeral")[-1].args["text"]
    assert report.status == 200 and "account_inactive" in text


async def test_nothing_is_said_for_work_that_rolled_back(home: SlackBot) -> None:
    await home.command("U2", "halfway")
    await home.settled()
    said = [c.args.get("text", "") for c in home.fake.calls if c.method.startswith("chat.")]
    assert len(said) == 1 and "something went wrong on my side" in said[0]
    assert not any("Announcing" in t or "will not get" in t for t in said)


async def test_a_busy_channel_does_not_hold_up_answers_elsewhere(database_url: str, tmp_path: Path) -> None:
    config = tmp_path / "cultivate.yaml"
    config.write_text(HOME_CONFIG)
    slack = await SlackBot.open(
        database_url, all_routines() + [playground], config_path=str(config), channel_interval=0.3
    )
    try:
        for n in range(12):  # 12 public posts in C1: at one each 0.3 s, the channel is busy for over 3 s
            await slack.command("U2", f"shout number {n}")
        started = time.monotonic()
        await slack.command("U3", "help", channel="C2")
        await slack.event(
            {"type": "message", "channel_type": "im", "user": "U4", "channel": "D4", "text": "hello", "ts": "9.1"},
            event_id="Ev-dm",
        )
        await slack.fake.wait_for("chat.postEphemeral")
        elsewhere = [c.at for c in slack.fake.calls if c.args.get("channel") in ("C2", "D4")]
        await slack.settled()
        shouts = posted(slack, "C1", "Shout:")
        assert len(shouts) == 12 and shouts[-1] - shouts[0] >= 11 * 0.29, "the busy channel kept its pace"
        assert len(elsewhere) >= 1 and max(elsewhere) - started < 1.5, "other answers did not wait for it"
    finally:
        await slack.close()


async def test_a_database_outage_loses_no_acknowledged_event(home: SlackBot) -> None:
    real = home.runtime.services.sessions

    def unavailable() -> object:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("the database is down"))

    home.runtime.intake.services.sessions = unavailable  # type: ignore[assignment]
    try:
        command = await home.command("U2", "help")
        event = await home.event(
            {"type": "message", "channel_type": "im", "user": "U2", "channel": "D2", "text": "hi", "ts": "5.1"},
            event_id="Ev-outage",
        )
        press = await home.interact(
            {
                "type": "block_actions",
                "team": {"id": "T1"},
                "user": {"id": "U2"},
                "channel": {"id": "C1"},
                "trigger_id": "t-out",
                "actions": [{"action_id": "pg.rsvp#0", "value": "going"}],
                "message": {"ts": "3.3"},
            }
        )
    finally:
        home.runtime.intake.services.sessions = real
    assert command.status == 200 and "cannot reach its database" in await command.text()
    assert event.status >= 500 and press.status >= 500, "not acknowledged: Slack will send them again"
    # Slack retries; now the database answers and nothing is lost.
    retried = await home.event(
        {"type": "message", "channel_type": "im", "user": "U2", "channel": "D2", "text": "hi", "ts": "5.1"},
        event_id="Ev-outage",
        retry=1,
    )
    await home.settled()
    assert retried.status == 200
    assert any("I answer commands" in c.args.get("text", "") for c in home.fake.called("chat.postMessage"))

"""Discussions on Teams: scheduled with a form card, opened as a post in the team's channel at its instant, replies
in its thread counted, closed and summarised into the thread and the channel."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.adapters.teams.harness import TEAM_CHANNEL, TENANT, TeamsBot


async def advance_to(teams: TeamsBot, moment: datetime) -> None:
    clock = teams.runtime.services.clock
    clock.advance(moment - clock.now())  # type: ignore[attr-defined]
    await teams.runtime.settle()
    await teams.settled()


async def test_a_discussion_through_teams(teams: TeamsBot) -> None:
    await teams.say("29:baraka", "join")
    await teams.say("29:baraka", "discuss follow alerting")
    await teams.say("29:amina", "discuss schedule")
    form = teams.fake.called("send")[-1]
    inputs = [b.get("id") for b in form.card["body"] if b["type"].startswith("Input.")]
    assert "opens__date" in inputs and "opens__time" in inputs
    data = {
        **form.card["actions"][0]["data"],
        "topic": "alerting",
        "question": "Which alert woke you for nothing?",
        "opens__date": "2026-03-05",
        "opens__time": "14:00",
        "days": "2",
    }
    await teams.submit("29:amina", teams.personal("29:amina"), str(form.answered), data)
    confirmation = [c for c in teams.fake.called("send") if "is scheduled" in c.text]
    assert confirmation and "Thu 5 Mar 2026, 14:00 (Africa/Nairobi)" in confirmation[-1].text  # Amina's Teams zone
    assert any("a topic you follow, opens Thu 5 Mar 2026" in c.text for c in teams.fake.called("send"))

    await advance_to(teams, datetime(2026, 3, 5, 11, tzinfo=UTC))
    [root] = [c for c in teams.fake.called("send") if c.conversation == TEAM_CHANNEL and "Discussion" in c.text]
    reply = teams.activity(
        "message",
        "29:baraka",
        teams.channel(str(root.answered)),
        text="Disk alerts, every night.",
        textFormat="plain",
        replyToId=str(root.answered),
        channelData={"tenant": {"id": TENANT}, "team": {"id": "19:team@thread.tacv2"}, "channel": {"id": TEAM_CHANNEL}},
    )
    await teams.post(reply)
    await teams.post(reply)  # Teams retried: counted once

    await advance_to(teams, datetime(2026, 3, 6, 11, tzinfo=UTC))
    halfway = [c for c in teams.fake.called("send") if "half way" in c.text]
    assert halfway and "1 reply · 1 person" in halfway[-1].text

    await teams.mention("29:amina", "discuss close 1")
    summary_form = [c for c in teams.fake.called("send") if "Summary of discussion #1" in c.text][-1]
    data = {**summary_form.card["actions"][0]["data"], "points": "Disk alerts page people at night for nothing."}
    await teams.submit("29:amina", teams.personal("29:amina"), str(summary_form.answered), data)
    posted = [
        c
        for c in teams.fake.called("send") + teams.fake.called("reply")
        if "Summary of the discussion" in c.text and c.conversation.startswith(TEAM_CHANNEL)
    ]
    assert len(posted) == 2, "in the thread and in the channel"
    assert any(u.activity_id == root.answered and "closed" in u.text for u in teams.fake.called("update"))

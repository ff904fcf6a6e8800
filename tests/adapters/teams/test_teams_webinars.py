"""Webinars on Teams: a form card with date and time, the announcement card in the team's channel with RSVP counts
updated in place, and the reminder in each member's personal chat."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.adapters.teams.harness import TEAM_CHANNEL, TeamsBot


async def test_announce_rsvp_and_remind_through_teams(teams: TeamsBot) -> None:
    await teams.say("29:amina", "webinar add")
    form = teams.fake.called("send")[-1]
    ids = [b.get("id") for b in form.card["body"] if b["type"].startswith("Input.")]
    assert "start__date" in ids and "start__time" in ids, "a date and a time input stand for the datetime field"
    data = {
        **form.card["actions"][0]["data"],
        "title": "Alerting that people trust",
        "start__date": "2026-03-10",
        "start__time": "14:00",
        "minutes": "60",
        "join_url": "https://meet.example.org/rtm",
    }
    await teams.submit("29:amina", teams.personal("29:amina"), str(form.answered), data)
    assert "Sent" in teams.fake.called("update")[0].text, "the form card closed once the webinar was stored"

    [card] = [c for c in teams.fake.called("send") if c.conversation == TEAM_CHANNEL]
    assert "Alerting that people trust" in card.text, "announced in the community's home channel"
    going = card.card["actions"][0]
    await teams.submit("29:baraka", teams.channel(), str(card.answered), going["data"])
    [update] = [u for u in teams.fake.called("update") if u.conversation == TEAM_CHANNEL]
    assert update.activity_id == card.answered, "the announcement itself is updated, not a new post"
    assert "1 going · 0 maybe · 0 not going" in update.text

    teams.runtime.services.clock.advance(datetime(2026, 3, 9, 11, tzinfo=UTC) - teams.runtime.services.clock.now())  # type: ignore[attr-defined]
    await teams.runtime.settle()
    reminder = [c for c in teams.fake.called("send") if c.conversation == "a:personal-29:baraka"][-1]
    assert "starts Tue 10 Mar 2026" in reminder.text

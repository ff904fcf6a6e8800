"""Check-ins on Teams: the schedule and recap forms as Adaptive Cards, the question in each participant's personal
chat with its button, and the agenda card in the team's channel."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.adapters.teams.harness import TEAM_CHANNEL, TeamsBot


async def advance_to(teams: TeamsBot, moment: datetime) -> None:
    clock = teams.runtime.services.clock
    clock.advance(moment - clock.now())  # type: ignore[attr-defined]
    await teams.runtime.settle()
    await teams.settled()


def inputs(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["id"]: b for b in card["body"] if b["type"].startswith("Input.")}


async def test_a_check_in_asked_answered_and_compiled_on_teams(teams: TeamsBot) -> None:
    await teams.say("29:baraka", "join")
    await teams.say("29:chidi", "join")
    await teams.say("29:amina", "checkin schedule")
    form = teams.fake.called("send")[-1]
    fields = inputs(form.card)
    assert list(fields) == ["title", "participants", "cadence", "call_url", "questions", "lead"]
    assert fields["questions"]["isMultiline"] is True and "(optional, support)" in fields["questions"]["value"]
    data = {
        **form.card["actions"][0]["data"],
        "title": "Focal points call",
        "participants": "Baraka O., Chidi",
        "cadence": "every Monday 09:00 UTC",
        "call_url": "",
        "questions": fields["questions"]["value"],
        "lead": "1 day",
    }
    await teams.submit("29:amina", teams.personal("29:amina"), str(form.answered), data)
    assert any("Check-in #1 “Focal points call” is scheduled" in c.text for c in teams.fake.called("send"))

    await advance_to(teams, datetime(2026, 3, 6, 12, tzinfo=UTC))
    [ask] = [c for c in teams.fake.to("a:chat-29:baraka") if "Your recap for the agenda" in c.text]
    assert "Focal points call" in ask.text and "Mon 9 Mar 2026, 12:00 (Africa/Nairobi)" in ask.text
    answer = ask.card["actions"][0]
    assert answer["title"] == "Answer"

    await teams.submit("29:baraka", teams.personal("29:baraka"), str(ask.answered), answer["data"])
    recap = [c for c in teams.fake.called("send") if c.body.get("attachments") and "Recap for" in c.text][-1]
    questions = inputs(recap.card)
    assert list(questions) == ["q1", "q2", "q3"] and questions["q1"]["isMultiline"] is True
    assert "What support do you need?" in recap.text and "change them until the call" in recap.text
    data = {**recap.card["actions"][0]["data"], "q1": "Two regions live", "q2": "", "q3": ""}
    await teams.submit("29:baraka", teams.personal("29:baraka"), str(recap.answered), data)
    assert any("your recap for “Focal points call” is in" in c.text for c in teams.fake.called("send"))

    await advance_to(teams, datetime(2026, 3, 8, 10, tzinfo=UTC))
    [agenda] = [c for c in teams.fake.called("send") if c.conversation == TEAM_CHANNEL and "Agenda" in c.text]
    assert "Agenda — Focal points call" in agenda.text and "What progress since last time?" in agenda.text
    assert "Baraka O.: Two regions live" in agenda.text.replace("**", "")
    assert "Not answered yet: Chidi" in agenda.text and "1 of 2 participants answered" in agenda.text
    titles = [a["title"] for a in agenda.card["actions"]]
    assert titles == ["Add or change my answers", "Take minutes"]

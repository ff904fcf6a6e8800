"""A Teams member's language is the locale their Teams client states on each activity."""

from __future__ import annotations

from bot.i18n import _
from tests.adapters.teams.harness import TeamsBot


async def test_a_member_whose_teams_is_in_french_is_answered_in_french(teams: TeamsBot) -> None:
    await teams.post(
        teams.activity(
            "message",
            "29:baraka",
            teams.personal("29:baraka"),
            text="help",
            textFormat="plain",
            locale="fr-FR",
        )
    )
    answer = teams.fake.called("send")[-1]
    assert answer.conversation == "a:chat-29:baraka"
    assert _("What you can do here", "fr") in str(answer.card) + answer.text
    await teams.say("29:amina", "help")  # her client says en-GB
    assert "What you can do here" in str(teams.fake.called("send")[-1].card) + teams.fake.called("send")[-1].text

"""What leaves for Teams — text messages and every text of a card — cannot mention, link or act, whoever wrote it:
a member, or the display name Teams gave us."""

from __future__ import annotations

from adapters.teams import render
from bot.messages import Fact, Message, Section
from tests.adapters.teams.harness import TeamsBot

HOSTILE = "[click me](https://evil.example) <at>Everyone</at> [see][1]"


def test_no_text_of_a_card_or_message_can_form_a_link_or_a_mention() -> None:
    for message in (
        Message(HOSTILE),
        Message("x", sections=(Section(HOSTILE, title=HOSTILE, facts=(Fact(HOSTILE, HOSTILE),)),), footer=HOSTILE),
    ):
        for activity in render.activities(message):
            text = str(activity)
            assert "](" not in text and "<at>" not in text, text[:300]


async def test_a_display_name_from_teams_is_shown_inert(teams: TeamsBot) -> None:
    name = "[Baraka](https://evil.example) <at>Everyone</at>"
    joining = teams.activity("message", "29:baraka", teams.personal("29:baraka"), text="join")
    joining["from"]["name"] = name
    await teams.post(joining)
    await teams.mention("29:amina", "cop role grant @29:baraka moderator")
    said = "\n".join(c.text for c in teams.fake.calls if c.method in ("send", "reply", "update"))
    assert "is now a moderator" in said
    assert "](" not in said and "<at>" not in said

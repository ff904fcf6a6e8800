"""The digest on Teams: a busy month cut to fit, posted as an Adaptive Card within Teams' size, with its RSVP and
I-can-help buttons as card actions, six to a row."""

from __future__ import annotations

import json

from adapters.teams import render
from tests.adapters.teams.harness import TEAM_CHANNEL, TeamsBot
from tests.digest_records import busy_month


async def test_a_busy_months_digest_fits_a_teams_card(teams: TeamsBot) -> None:
    await busy_month(teams.runtime, "rtm")
    await teams.say("29:amina", "digest send")
    await teams.settled()
    posts = [c for c in teams.fake.called("send") if c.conversation == TEAM_CHANNEL]
    assert posts, "the digest is posted in the team's channel"
    text = "\n".join(p.text for p in posts)
    assert "Coming up" in text and "Can you help?" in text and "New in the library" in text
    assert 0 < text.count("https://example.org/guides/") < 30, "cut to fit, the rest left for next time"
    for post in posts:
        card = post.card
        assert len(json.dumps(card)) <= render.MAX_CARD_JSON
        assert len(card["body"]) <= render.MAX_ELEMENTS
    actions = [a for p in posts for a in p.card.get("actions", [])]
    assert actions and all(len(p.card.get("actions", [])) <= render.MAX_ACTIONS for p in posts)
    assert any(a["title"].startswith("Going:") for a in actions) and any("I can help" in a["title"] for a in actions)

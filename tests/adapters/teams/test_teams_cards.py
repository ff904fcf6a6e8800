"""Adaptive Cards through /api/messages: buttons update their card in place, forms are checked and stored."""

from __future__ import annotations

from adapters.teams.inbound import ACTION, KIND, VALUE
from tests import routines
from tests.adapters.teams.harness import TEAM_CHANNEL, TeamsBot


async def test_a_button_press_updates_the_card_in_place(teams: TeamsBot) -> None:
    await teams.mention("29:amina", "rsvp", root="1800")
    [card] = teams.fake.called("reply")
    assert card.conversation == TEAM_CHANNEL and card.activity_id == "1800", "posted in the thread it was asked in"
    going = card.card["actions"][0]
    assert going["type"] == "Action.Submit" and going["data"] == {KIND: "action", ACTION: "pg.rsvp", VALUE: "going"}
    card_id = str(card.answered)
    await teams.submit("29:baraka", teams.channel("1800"), card_id, going["data"])
    [update] = teams.fake.called("update")
    assert update.conversation == TEAM_CHANNEL and update.activity_id == card_id
    assert "1 going" in update.text


async def test_a_form_card_submission_is_checked_stored_and_the_card_updated(teams: TeamsBot) -> None:
    await teams.say("29:amina", "join")
    await teams.say("29:amina", "trip")
    form = teams.fake.called("send")[-1]
    assert form.conversation == "a:chat-29:amina"
    body = form.card["body"]
    inputs = {b["id"]: b for b in body if b["type"].startswith("Input.")}
    assert list(inputs) == ["place", "topics", "topics__other", "mood", "day", "notes"]
    assert inputs["place"]["isRequired"] and inputs["place"]["errorMessage"]
    assert inputs["topics"]["isMultiSelect"] and inputs["day"]["type"] == "Input.Date"
    submit = form.card["actions"][0]
    card_id = str(form.answered)

    def sent(place: str) -> dict[str, object]:
        return {
            **submit["data"],
            "place": place,
            "topics": "alerting",
            "topics__other": "maps",
            "mood": "good",
            "day": "2026-02-27",
            "notes": "",
        }

    await teams.submit("29:amina", teams.personal("29:amina"), card_id, sent("Nowhere"))
    [refused] = teams.fake.called("update")
    assert refused.activity_id == card_id and "Nowhere is not a place we can file." in refused.text
    assert any(b.get("id") == "place" and b.get("value") == "Nowhere" for b in refused.card["body"]), (
        "what was typed stays"
    )
    assert routines.received == []

    await teams.submit("29:amina", teams.personal("29:amina"), card_id, sent("Kisumu"))
    assert routines.received[0]["place"] == "Kisumu" and routines.received[0]["topics"] == ["alerting", "maps"]
    accepted = teams.fake.called("update")[-1]
    assert accepted.activity_id == card_id and not any(b["type"].startswith("Input.") for b in accepted.card["body"])
    assert "Thanks, filed your report on Kisumu." in teams.fake.called("send")[-1].text


async def test_a_long_list_is_split_into_cards_teams_accepts(teams: TeamsBot) -> None:
    await teams.say("29:amina", "many 300")
    cards = teams.fake.called("send")
    assert len(cards) >= 2
    for call in cards:
        assert call.card["version"] == "1.5" and len(str(call.card)) < 28_000


async def test_a_form_card_sent_again_after_it_was_stored_is_refused_and_left_alone(teams: TeamsBot) -> None:
    await teams.say("29:amina", "join")
    await teams.say("29:amina", "trip")
    data = teams.fake.called("send")[-1].card["actions"][0]["data"]
    values = {**data, "place": "Kisumu", "mood": "good", "day": "2026-02-27"}
    card_id = str(teams.fake.called("send")[-1].answered)
    await teams.submit("29:amina", teams.personal("29:amina"), card_id, values)
    assert len(teams.fake.called("update")) == 1
    await teams.submit("29:amina", teams.personal("29:amina"), card_id, values)
    assert "expired" in teams.fake.called("send")[-1].text
    assert len(teams.fake.called("update")) == 1 and len(routines.received) == 1

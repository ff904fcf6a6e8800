"""Activities -> events and messages -> cards, as pure functions: the shapes Teams really sends and accepts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from adapters.teams import inbound, render
from bot.events import ActionClicked, CommandInvoked, FormSubmitted, MessagePosted
from bot.forms import FieldKind, Form, FormField
from bot.messages import Button, ButtonStyle, Fact, Message, Section
from bot.text import content

BOT = {"id": "28:bot", "name": "Cultivate"}


def _message(text: str, conversation: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "id": "1",
        "text": text,
        "from": {"id": "29:u", "name": "Amina"},
        "recipient": BOT,
        "conversation": conversation,
        "channelData": {"tenant": {"id": "t"}},
        "serviceUrl": "http://127.0.0.1:1",
        **extra,
    }


PERSONAL: dict[str, Any] = {"id": "a:chat", "conversationType": "personal"}
CHANNEL: dict[str, Any] = {"id": "19:c@thread.tacv2;messageid=42", "conversationType": "channel"}


def test_the_three_ways_of_giving_a_command() -> None:
    verbs = frozenset({"help", "join"})
    bare = inbound.message(_message("help", PERSONAL), verbs)
    cop = inbound.message(_message("cop join rtm", PERSONAL), verbs)
    mention = inbound.message(
        _message(
            "<at>Cultivate</at> join rtm",
            CHANNEL,
            entities=[{"type": "mention", "text": "<at>Cultivate</at>", "mentioned": BOT}],
        ),
        verbs,
    )
    assert isinstance(bare, CommandInvoked) and bare.name == "help" and bare.place.direct
    assert isinstance(cop, CommandInvoked) and (cop.name, cop.text) == ("join", "rtm")
    assert isinstance(mention, CommandInvoked) and (mention.name, mention.text) == ("join", "rtm")
    assert mention.place.channel == "19:c@thread.tacv2" and mention.place.thread == "42" and not mention.place.direct


def test_other_mentions_become_user_ids_and_plain_words_stay_words() -> None:
    grant = inbound.message(
        _message(
            "cop role grant <at>Baraka O.</at> moderator",
            CHANNEL,
            entities=[
                {"type": "mention", "text": "<at>Baraka O.</at>", "mentioned": {"id": "29:baraka", "name": "Baraka O."}}
            ],
        )
    )
    assert isinstance(grant, CommandInvoked) and grant.text == "grant @29:baraka moderator"
    said = inbound.message(_message("Kisumu &amp; Nakuru", PERSONAL))
    assert isinstance(said, MessagePosted) and said.text == "Kisumu & Nakuru"
    reply = inbound.message(_message("lunch?", CHANNEL))  # a reply in a thread: seen, to count participation
    assert isinstance(reply, MessagePosted) and reply.place.thread == "42" and not reply.place.direct
    assert inbound.message(_message("lunch?", {"id": "19:c@thread.tacv2", "conversationType": "channel"})) is None


def test_card_submissions_are_actions_or_forms() -> None:
    clicked = inbound.message(
        _message(
            "",
            CHANNEL,
            replyToId="card-1",
            value={inbound.KIND: "action", inbound.ACTION: "pg.rsvp", inbound.VALUE: "going"},
        )
    )
    assert isinstance(clicked, ActionClicked) and (clicked.action_id, clicked.value, clicked.message_id) == (
        "pg.rsvp",
        "going",
        "card-1",
    )
    form = Form(
        "f", "F", (FormField("when", "When", FieldKind.DATETIME), FormField("tags", "Tags", FieldKind.MULTI_SELECT))
    )
    data = render.form_card(form)["actions"][0]["data"] | {
        "when__date": "2026-03-10",
        "when__time": "14:00",
        "tags": "a,b",
    }
    submitted = inbound.message(_message("", PERSONAL, replyToId="card-2", value=data))
    assert isinstance(submitted, FormSubmitted) and submitted.values == {"when": "2026-03-10 14:00", "tags": ["a", "b"]}


def test_members_added_skip_the_bot_and_duplicate_ids_are_per_conversation() -> None:
    update = {
        "type": "conversationUpdate",
        "id": "9",
        "recipient": BOT,
        "conversation": {"id": "19:g@thread.tacv2", "conversationType": "channel"},
        "membersAdded": [{"id": "28:bot"}, {"id": "29:new"}],
        "channelData": {"tenant": {"id": "t"}},
    }
    [joined] = inbound.members_added(update)
    assert joined.actor.user_id == "29:new" and joined.place.thread is None
    assert inbound.bot_added(update)
    other = {**update, "conversation": {"id": "19:other@thread.tacv2"}}
    assert inbound.event_id(update) != inbound.event_id(other)


def test_member_text_cannot_mention_link_or_act() -> None:
    said = content("<at>Everyone</at> *now* [pay here](https://evil.example)")
    message = Message("You said: " + said, buttons=(Button("Yes", "vote", "1", ButtonStyle.PRIMARY),))
    [activity] = render.activities(message)
    card = activity["attachments"][0]["content"]
    text = card["body"][0]["text"]
    assert "<at>" not in text and "](" not in text and "**now**" not in text
    assert card["actions"] == [
        {
            "type": "Action.Submit",
            "title": "Yes",
            "style": "positive",
            "data": {inbound.KIND: "action", inbound.ACTION: "vote", inbound.VALUE: "1"},
        }
    ]


def test_text_only_messages_are_plain_markdown_and_sections_are_cards() -> None:
    [plain] = render.activities(Message("Hello *there*"))
    assert plain == {"type": "message", "textFormat": "markdown", "text": "Hello **there**"}
    [card] = render.activities(
        Message("Intro", sections=(Section("Body", title="Title", facts=(Fact("Where", "Kisumu"),)),), footer="small")
    )
    body = card["attachments"][0]["content"]["body"]
    assert [b["type"] for b in body] == ["TextBlock", "TextBlock", "TextBlock", "FactSet", "TextBlock"]
    assert body[3]["facts"] == [{"title": "Where", "value": "Kisumu"}]


SDK_IMPORT = re.compile(r"^\s*(from|import)\s+(botbuilder|botframework|msrest|azure|microsoft_agents)\b", re.MULTILINE)
# The external client plays Teams from outside, with the activity types Microsoft publishes for channels and clients.
EXTERNAL_CLIENT = "tests/adapters/teams/external_client.py"


def test_only_the_teams_adapter_knows_which_sdk_carries_the_activity_protocol() -> None:
    root = Path(__file__).resolve().parents[3]
    outside = [
        str(path.relative_to(root))
        for package in ("bot", "flows", "storage", "adapters", "tests", "bench")
        for path in (root / package).rglob("*.py")
        if not path.relative_to(root).as_posix().startswith("adapters/teams/")
        and path.relative_to(root).as_posix() != EXTERNAL_CLIENT
        and SDK_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert outside == []


def test_within_the_teams_adapter_each_sdk_stays_behind_the_seam() -> None:
    """Translation, cards, references, pacing and token checks are the same whichever SDK carries them."""
    teams = Path(__file__).resolve().parents[3] / "adapters" / "teams"
    imports = {
        path.name: {m[2] for m in SDK_IMPORT.finditer(path.read_text(encoding="utf-8"))} for path in teams.glob("*.py")
    }
    assert {name: found for name, found in imports.items() if found} == {
        "sdk_botbuilder.py": {"botbuilder", "botframework", "msrest", "azure"},
        "sdk_agents.py": {"microsoft_agents"},
    }

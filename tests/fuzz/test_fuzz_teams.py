"""Generated activities at POST /api/messages. With authentication off (TEAMS_LOCAL_NO_AUTH), any shape in any field:
never a 5xx or a traceback, and nothing Cultivate sends can mention or link. With an app id, junk tokens and junk
bodies: a 4xx, and nothing stored. (Tokens are never shaped to pass for Microsoft's: that would send botbuilder
to fetch Microsoft's keys, which the fuzz suite must not reach.)"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from adapters.teams.app import MESSAGES_PATH
from flows import all_routines
from tests import routines
from tests.adapters.slack.playground import playground
from tests.adapters.teams.harness import BOT, PEOPLE, TEAM_CHANNEL, TENANT, TeamsBot
from tests.fuzz import tally
from tests.fuzz.conftest import FUZZ, ONCE
from tests.fuzz.stored import rows
from tests.fuzz.strategies import anything_or, json_values, shaped, texts

pytestmark = ONCE

APP_ID = "00000000-0000-0000-0000-0000000000a1"
USERS = [*PEOPLE, "29:stranger"]
CONVERSATIONS = ["a:chat-29:amina", "a:chat-29:baraka", TEAM_CHANNEL, TEAM_CHANNEL + ";messageid=1699"]


@pytest.fixture
async def teams(database_url: str) -> AsyncIterator[TeamsBot]:
    bot = await TeamsBot.open(database_url, all_routines() + [routines.routine, playground])
    yield bot
    await bot.close()


@pytest.fixture
async def guarded(database_url: str) -> AsyncIterator[TeamsBot]:
    """Teams with an app id: every request needs a valid Bot Framework token."""
    bot = await TeamsBot.open(database_url, teams_app_id=APP_ID, teams_app_password="secret")
    yield bot
    await bot.close()


account = shaped({"id": st.sampled_from(USERS)}, name=st.sampled_from([*PEOPLE.values(), "[x](https://e.example)"]))
conversation = shaped(
    {"id": st.sampled_from(CONVERSATIONS), "conversationType": st.sampled_from(["personal", "channel", "groupChat"])},
    tenantId=st.just(TENANT),
    isGroup=st.booleans(),
)
entity = shaped(
    {"type": st.sampled_from(["mention", "clientInfo"])},
    mentioned=shaped({"id": st.sampled_from([BOT, *USERS])}, name=st.text(max_size=20)),
    text=st.sampled_from(["<at>Cultivate</at>", "<at>Amina</at>", "<at></at>"]),
    timezone=st.sampled_from(["Africa/Nairobi", "Mars/Olympus", "../../etc/passwd", ""]),
)
form = shaped(
    {
        "form_id": st.sampled_from(["trip", "intro", "nope"]),
        "title": st.text(max_size=20),
        "fields": st.lists(
            shaped(
                {"name": st.sampled_from(["place", "mood", "day", "notes"]), "label": st.text(max_size=10)},
                kind=st.sampled_from(["short_text", "date", "datetime", "multi_select", "nope"]),
                choices=st.lists(shaped({"value": st.text(max_size=5), "label": st.text(max_size=5)}), max_size=2),
                max_length=st.integers(min_value=-5, max_value=10**6),
            ),
            max_size=3,
        ),
    }
)
value = shaped(
    {"_cultivate": st.sampled_from(["action", "form"])},
    _action=st.sampled_from(["pg.rsvp", "assist.offer", "intro.welcome", "webinar.rsvp", "nope"]),
    _value=st.one_of(st.sampled_from(["going", "9" * 40, "1|x"]), texts()),
    _form=form,
    place=texts(),
    day=st.sampled_from(["2026-02-27", "2026-02-30", ""]),
    day__date=st.sampled_from(["2026-02-27", "x"]),
    day__time=st.sampled_from(["14:30", "99:99"]),
)


def activities(service_url: str) -> st.SearchStrategy[Any]:
    return anything_or(
        shaped(
            {
                "type": st.sampled_from(["message", "message", "conversationUpdate", "invoke", "typing"]),
                "id": st.sampled_from(["1700000000001", "1700000000002", "x" * 300]),
                # An address that is not one is tried; a Connector that is down is an outage, not hostile input.
                "serviceUrl": st.sampled_from([service_url, service_url, service_url, "not a url", "ftp://x.y"]),
                "channelId": st.just("msteams"),
                "from": account,
                "recipient": shaped({"id": st.just(BOT)}, name=st.just("Cultivate")),
                "conversation": conversation,
                "text": st.one_of(texts(), texts().map(lambda t: "<at>Cultivate</at> " + t)),
            },
            channelData=shaped({"tenant": shaped({"id": st.just(TENANT)})}),
            entities=st.lists(entity, max_size=2),
            value=value,
            membersAdded=st.lists(shaped({"id": st.sampled_from([BOT, *USERS])}), max_size=2),
            replyToId=st.sampled_from(["1699", "card-1"]),
            localTimezone=st.sampled_from(["Europe/Lisbon", "Nowhere/Else"]),
            textFormat=st.sampled_from(["plain", "markdown"]),
            timestamp=st.sampled_from(["2026-03-02T09:00:00.000Z", "yesterday"]),
        )
    )


def _markup_sent(calls: list[Any]) -> list[str]:
    said = "\n".join(c.text for c in calls if c.method in ("send", "reply", "update"))
    return [m for m in ("<at>", "](") if m in said]


@settings(FUZZ, max_examples=90)
@given(data=st.data())
async def test_activities_of_any_shape_never_fail(
    teams: TeamsBot, log: pytest.LogCaptureFixture, data: st.DataObject
) -> None:
    activity = data.draw(activities(teams.service_url))
    seen, calls = len(log.records), len(teams.fake.calls)
    response = await teams.client.post(MESSAGES_PATH, json=activity)
    await teams.settled()
    records = log.records[seen:]
    markup = _markup_sent(teams.fake.calls[calls:])
    event(f"{response.status}, {'answered' if len(teams.fake.calls) > calls else 'no answer'}")
    counts = tally.note("teams: no auth (local)", status=response.status, records=records, unescaped=bool(markup))
    assert response.status < 500, (response.status, json.dumps(activity)[:300])
    assert not counts.tracebacks and not counts.long_lines, [r.getMessage()[:300] for r in records]
    assert not markup, markup
    assert not any("something went wrong" in c.text for c in teams.fake.calls[calls:])


def _b64(part: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


# Issuers botbuilder trusts would make it fetch Microsoft's signing keys: never generated.
_TRUSTED = ("botframework", "microsoftonline", "sts.windows.net", "login.microsoft", "api.botframework")
issuers = st.one_of(st.text(max_size=30), st.sampled_from(["https://evil.example", ""]), json_values).filter(
    lambda issuer: not any(t in str(issuer).casefold() for t in _TRUSTED)
)
jwt_shaped = st.tuples(
    shaped({"alg": st.sampled_from(["RS256", "none", "HS256"]), "kid": st.text(max_size=10)}),
    shaped({"iss": issuers}, aud=st.just(APP_ID), exp=st.integers(), serviceUrl=st.text(max_size=20)),
    st.text(alphabet="abcdefABCDEF0123456789-_", max_size=40),
).map(lambda parts: f"{_b64(parts[0])}.{_b64(parts[1])}.{parts[2]}")
authorizations = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.text(max_size=60).map(lambda t: "Bearer " + t),
    jwt_shaped.map(lambda t: "Bearer " + t),
    st.sampled_from(["Bearer", "Basic YTpi", "Bearer a.b.c", "bearer " + "x" * 2000]),
)
bodies = st.one_of(st.binary(max_size=500), json_values.map(lambda v: json.dumps(v).encode()))


@settings(FUZZ, max_examples=70)
@given(data=st.data(), authorization=authorizations, content_type=st.sampled_from(["application/json", "text/plain"]))
async def test_no_junk_token_gets_in(
    guarded: TeamsBot, log: pytest.LogCaptureFixture, data: st.DataObject, authorization: Any, content_type: str
) -> None:
    body = data.draw(st.one_of(activities(guarded.service_url).map(lambda a: json.dumps(a).encode()), bodies))
    before, seen = await rows(guarded.runtime.services.sessions), len(log.records)
    headers = {"Content-Type": content_type}
    if authorization is not None:
        headers["Authorization"] = authorization
    try:
        response = await guarded.client.post(MESSAGES_PATH, data=body, headers=headers)
    except ValueError:  # a header aiohttp itself will not send: nothing to test
        return
    await guarded.settled()
    stored = await rows(guarded.runtime.services.sessions) - before
    records = log.records[seen:]
    event(str(response.status))
    counts = tally.note("teams: app id, junk tokens", status=response.status, records=records, stored=stored)
    assert 400 <= response.status < 500, response.status
    assert not counts.tracebacks and not counts.long_lines and not stored
    assert not guarded.fake.calls

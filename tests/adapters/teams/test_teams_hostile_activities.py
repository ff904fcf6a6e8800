"""Activities whose fields are not what Teams sends: a 400 when botbuilder could not read them, otherwise a quiet
201 or a clear answer — never a 500, a traceback, or a row for someone who is not there."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.models import Identity, TeamsConversation
from tests.adapters.teams.harness import TeamsBot
from tests.log_lines import assert_quiet_and_short


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


async def rows(teams: TeamsBot, model: Any) -> int:
    async with teams.runtime.services.sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def test_activities_botbuilder_cannot_read_are_refused_with_400(
    teams: TeamsBot, log: pytest.LogCaptureFixture
) -> None:
    base = teams.activity("message", "29:amina", teams.personal("29:amina"), text="help")
    for broken in (
        {"from": "29:amina"},
        {"conversation": ["a:chat"]},
        {"entities": "clientInfo"},
        {"entities": ["mention"]},
        {"membersAdded": ["29:chidi", 5]},
        {"recipient": 28},
        {"timestamp": "yesterday"},
    ):
        response = await teams.post({**base, **broken})
        assert response.status == 400, broken
    assert_quiet_and_short(log.records)
    assert await rows(teams, Identity) == 0 and await rows(teams, TeamsConversation) == 0
    assert not teams.fake.calls


async def test_odd_fields_botbuilder_accepts_are_read_safely(teams: TeamsBot, log: pytest.LogCaptureFixture) -> None:
    base = teams.activity("message", "29:amina", teams.personal("29:amina"), text="help")
    for odd in (
        {"text": 5},
        {"channelData": "tenant"},
        {"value": [1]},
        {"value": {"_cultivate": "form", "_form": {"fields": "none"}}},
        {"value": {"_cultivate": "form", "_form": {"form_id": "f", "title": 1, "fields": [{"name": "a"}]}}},
        {"value": {"_cultivate": "action", "_action": {"x": 1}, "_value": ["9" * 40]}},
        {"localTimezone": "Mars/Olympus_Mons", "serviceUrl": 5},
        {"from": {"id": "29:" + "x" * 500, "name": "n" * 1000}},
        {"from": {"id": None}},
        {"type": 5},
    ):
        response = await teams.post({**base, **odd})
        assert response.status < 500, odd
    assert_quiet_and_short(log.records)
    assert not any("Sorry" in c.text for c in teams.fake.called("send"))


async def test_control_characters_never_reach_the_database(teams: TeamsBot, log: pytest.LogCaptureFixture) -> None:
    await teams.say("29:amina", "echo a\u0000b\u001bc &#0; &#x1b; done")
    [answer] = teams.fake.called("send")
    assert "You said: abc" in answer.text and "done" in answer.text and "\x00" not in answer.text
    assert_quiet_and_short(log.records)


async def test_an_invoke_is_acknowledged_and_an_activity_without_an_address_is_dropped(
    teams: TeamsBot, log: pytest.LogCaptureFixture
) -> None:
    invoke = teams.activity("invoke", "29:amina", teams.personal("29:amina"), name="adaptiveCard/action")
    assert (await teams.post(invoke)).status == 200  # not botbuilder's 501: Cultivate offers no invoke
    for address in ("not a url", "http://[::1", "ftp://connector.example", "http://x:port"):
        lost = teams.activity("message", "29:amina", teams.personal("29:amina"), text="help", serviceUrl=address)
        assert (await teams.post(lost)).status < 500
    assert not teams.fake.calls and await rows(teams, TeamsConversation) == 0
    assert_quiet_and_short(log.records)

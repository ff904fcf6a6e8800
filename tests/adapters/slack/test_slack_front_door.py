"""/slack/events checks what it is sent before anything reads it: strangers get a 4xx and one short log line, never
a 500, a traceback or a row in the database."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import pytest
from aiohttp import ClientResponse
from sqlalchemy import func, select

from adapters.slack.app import EVENTS_PATH
from adapters.slack.door import MAX_BODY
from storage.models import Identity
from tests.adapters.slack.harness import SECRET, SlackBot
from tests.log_lines import assert_quiet_and_short


def signed_headers(raw: bytes, *, stamp: str | None = None, content_type: str = "application/json") -> dict[str, str]:
    stamp = stamp if stamp is not None else str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=" + digest}


async def send(slack: SlackBot, raw: bytes, headers: dict[str, str]) -> ClientResponse:
    return await slack.client.post(EVENTS_PATH, data=raw, headers=headers)


async def identities(slack: SlackBot) -> int:
    async with slack.runtime.services.sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(Identity)) or 0)


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


async def test_unsigned_junk_is_refused_with_one_short_line(slack: SlackBot, log: pytest.LogCaptureFixture) -> None:
    junk = [
        (b"payload=%7Bnot+json", {"Content-Type": "application/x-www-form-urlencoded"}),
        (b"[1, 2, 3]", {"Content-Type": "application/json"}),
        (b"\xff\xfe\x00garbage", {"Content-Type": "application/json"}),
        (b'{"type": "event_callback"}', {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=abc"}),
        (b'{"type": "event_callback"}', {"X-Slack-Request-Timestamp": "1" * 40, "X-Slack-Signature": "v0=" + "0" * 64}),
        (b'{"type": "event_callback"}', {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "é"}),
    ]
    for raw, headers in junk:
        response = await send(slack, raw, headers)
        assert response.status == 401, (raw, headers)
    refusals = [r for r in log.records if r.name == "adapters.slack.app"]
    assert len(refusals) == len(junk)
    assert_quiet_and_short(log.records)
    assert await identities(slack) == 0 and not slack.fake.calls


async def test_an_oversized_body_is_refused_unread(slack: SlackBot, log: pytest.LogCaptureFixture) -> None:
    big = b"text=" + b"A" * 900_000
    declared = await send(slack, big, signed_headers(big, content_type="application/x-www-form-urlencoded"))

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the reading itself stops at the cap
        for _ in range(20):
            yield b"A" * 50_000

    looks_signed = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64}
    streamed = await slack.client.post(EVENTS_PATH, data=chunks(), headers=looks_signed)
    assert declared.status == 413 and streamed.status == 413
    assert_quiet_and_short(log.records)
    assert MAX_BODY == 512 * 1024


async def test_signed_but_unreadable_bodies_get_400(slack: SlackBot, log: pytest.LogCaptureFixture) -> None:
    bodies = [
        (b"\xff\xfe not utf-8", "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b'"a string"', "application/json"),
        (b"{not json", "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
        (b"payload=%7Bbroken", "application/x-www-form-urlencoded"),
        (b"payload=%5B1%2C2%5D", "application/x-www-form-urlencoded"),
    ]
    for raw, content_type in bodies:
        response = await send(slack, raw, signed_headers(raw, content_type=content_type))
        assert response.status == 400, raw[:40]
    assert_quiet_and_short(log.records)
    assert await identities(slack) == 0


async def test_a_stale_signed_request_is_refused(slack: SlackBot) -> None:
    raw = urlencode({"command": "/cop", "text": "help", "user_id": "U1", "channel_id": "C1"}).encode()
    stale = signed_headers(raw, stamp=str(int(time.time()) - 600), content_type="application/x-www-form-urlencoded")
    assert (await send(slack, raw, stale)).status == 401
    assert await identities(slack) == 0


async def test_a_body_just_under_the_cap_still_gets_through(slack: SlackBot) -> None:
    body = json.dumps(
        {
            "type": "event_callback",
            "team_id": "T1",
            "event_id": "EvBig",
            "event": {"type": "reaction_added", "user": "U1", "filler": "x" * (MAX_BODY - 200)},
        }
    ).encode()
    assert len(body) <= MAX_BODY
    response = await send(slack, body, signed_headers(body))
    assert response.status < 500 and response.status != 413

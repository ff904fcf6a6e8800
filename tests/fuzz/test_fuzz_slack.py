"""Generated requests at POST /slack/events. Unsigned (or wrongly signed, or stale): a 4xx, one short log line,
nothing stored. Signed, with any shape in any field: never a 5xx or a traceback, and whatever Cultivate answers
carries no Slack markup from the input."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from adapters.slack.app import EVENTS_PATH
from flows import all_routines
from tests import routines
from tests.adapters.slack.harness import SECRET, SlackBot
from tests.adapters.slack.playground import playground
from tests.fuzz import tally
from tests.fuzz.conftest import FUZZ, ONCE
from tests.fuzz.slack_payloads import anything_signed, event_callbacks, interactivity, slash_commands
from tests.fuzz.stored import rows
from tests.fuzz.strategies import json_values

pytestmark = ONCE

CONTENT_TYPES = [
    "application/json",
    "application/x-www-form-urlencoded",
    "text/plain",
    "application/json; charset=utf-8",
    "multipart/form-data; boundary=x",
    "",
]


@pytest.fixture
async def slack(database_url: str) -> AsyncIterator[SlackBot]:
    bot = await SlackBot.open(database_url, all_routines() + [routines.routine, playground])
    yield bot
    await bot.close()


def sign(raw: bytes, stamp: str, secret: str = SECRET) -> str:
    return "v0=" + hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256).hexdigest()


# -- unsigned, stale or wrongly signed ---------------------------------------------------------------------------

bodies = st.one_of(
    st.binary(max_size=3000),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.sampled_from(["payload", "command", "text", "user_id"]), st.text(max_size=50)).map(
        lambda form: urlencode(form, errors="surrogatepass").encode()
    ),
    st.sampled_from([b"x" * (600 * 1024), b"[" * 50_000, b"\xff\xfe\xfd", b'{"type": "url_verification"}']),
)
stamps = st.one_of(
    st.just("now"),
    st.just("stale"),
    st.text(max_size=15),
    st.integers(min_value=-(2**40), max_value=2**40).map(str),
    st.sampled_from(["", "１２３", "1" * 30, "-0", " 1"]),
)
signatures = st.one_of(
    st.just("wrong secret"),
    st.text(max_size=80),
    st.text(alphabet="0123456789abcdef", min_size=64, max_size=64).map(lambda h: "v0=" + h),
    st.sampled_from(["", "v0=", "v1=" + "0" * 64, "é" * 67]),
)


@settings(FUZZ, max_examples=120)
@given(raw=bodies, stamp=stamps, signature=signatures, content_type=st.sampled_from(CONTENT_TYPES))
async def test_no_unsigned_request_gets_in(
    slack: SlackBot, log: pytest.LogCaptureFixture, raw: bytes, stamp: str, signature: str, content_type: str
) -> None:
    before, seen = await rows(slack.runtime.services.sessions), len(log.records)
    now = str(int(time.time()))
    stamp = {"now": now, "stale": str(int(time.time()) - 301)}.get(stamp, stamp)
    if signature == "wrong secret":
        signature = sign(raw, stamp, "not-" + SECRET)
    headers = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}
    if content_type:
        headers["Content-Type"] = content_type
    try:
        response = await slack.client.post(EVENTS_PATH, data=raw, headers=headers)
    except ValueError:  # a header aiohttp itself will not send (a control character): nothing to test
        return
    await slack.settled()
    stored = await rows(slack.runtime.services.sessions) - before
    records = log.records[seen:]
    counts = tally.note("slack: unsigned", status=response.status, records=records, stored=stored)
    event(f"{response.status} {records[-1].getMessage().split(': ')[-1] if records else ''}"[:60])
    assert 400 <= response.status < 500, response.status
    assert not counts.tracebacks and not counts.long_lines and not stored
    assert not slack.fake.calls or all(c.method == "auth.test" for c in slack.fake.calls)


# -- signed, any shape -----------------------------------------------------------------------------------------

MARKUP = ("<!subteam", "<@", "<!channel", "<!here", "<!everyone", "<http", "<#")


def _markup_sent(calls: list[Any]) -> list[str]:
    """Slack markup in any text Slack formats (notification text, mrkdwn) of the messages Cultivate sent."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "plain_text":
                return
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.extend(m for m in MARKUP if m in value)
                elif key != "value":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for call in calls:
        if call.method.startswith("chat."):
            walk(call.args)
    return found


async def _signed(slack: SlackBot, log: pytest.LogCaptureFixture, door: str, request: tuple[str, str]) -> None:
    """Send one request signed as Slack signs it; check the answer, the log and what Cultivate sent."""
    content_type, body = request
    raw = body.encode("utf-8", "surrogatepass")
    seen, calls = len(log.records), len(slack.fake.calls)
    stamp = str(int(time.time()))
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": sign(raw, stamp)}
    response = await slack.client.post(EVENTS_PATH, data=raw, headers=headers)
    for _ in range(3):  # Bolt acks first and runs the listener after: let it reach the dispatcher
        await asyncio.sleep(0)
    await slack.settled()
    records = log.records[seen:]
    markup = _markup_sent(slack.fake.calls[calls:])
    event(f"{response.status}, {'answered' if len(slack.fake.calls) > calls else 'no answer'}")
    counts = tally.note(door, status=response.status, records=records, unescaped=bool(markup))
    assert response.status < 500, (response.status, body[:300])
    assert not counts.tracebacks and not counts.long_lines, [r.getMessage()[:300] for r in records]
    assert not markup, markup
    sent = json.dumps([c.args for c in slack.fake.calls[calls:]], ensure_ascii=False)
    assert "something went wrong" not in sent


@settings(FUZZ, max_examples=40)
@given(request=slash_commands)
async def test_signed_slash_commands_with_any_fields(
    slack: SlackBot, log: pytest.LogCaptureFixture, request: tuple[str, str]
) -> None:
    await _signed(slack, log, "slack: signed commands", request)


@settings(FUZZ, max_examples=40)
@given(request=event_callbacks)
async def test_signed_events_with_any_fields(
    slack: SlackBot, log: pytest.LogCaptureFixture, request: tuple[str, str]
) -> None:
    await _signed(slack, log, "slack: signed events", request)


@settings(FUZZ, max_examples=50)
@given(request=interactivity)
async def test_signed_buttons_and_forms_with_any_fields(
    slack: SlackBot, log: pytest.LogCaptureFixture, request: tuple[str, str]
) -> None:
    await _signed(slack, log, "slack: signed interactivity", request)


@settings(FUZZ, max_examples=30)
@given(request=anything_signed)
async def test_signed_bodies_of_any_shape(
    slack: SlackBot, log: pytest.LogCaptureFixture, request: tuple[str, str]
) -> None:
    await _signed(slack, log, "slack: signed junk", request)

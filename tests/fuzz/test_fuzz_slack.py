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
from tests.fuzz.stored import rows
from tests.fuzz.strategies import HOSTILE_TEXT, anything_or, json_values, shaped, texts

pytestmark = ONCE

ACTION_IDS = [
    "pg.rsvp#0",
    "assist.offer#0",
    "assist.follow#1",
    "intro.start#0",
    "intro.welcome#0",
    "intro.connect#2",
    "webinar.rsvp#0",
    "webinar.feedback#4",
    "library.more#0",
    "directory.more#0",
    "nobody.knows#0",
]
ELEMENTS = ["plain_text_input", "static_select", "multi_static_select", "datepicker", "timepicker", "datetimepicker"]
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

users = st.sampled_from(["U1", "U2", "U3"])
user = shaped({"id": users}, name=st.text(max_size=30))
team = shaped({"id": st.just("T1")})
channel = shaped({"id": st.sampled_from(["C1", "D1", "C2"])})

slash_commands = st.fixed_dictionaries(
    {
        "command": st.sampled_from(["/cop", "/cop", "/cop", "/other"]),
        "text": texts(),
        "user_id": st.sampled_from(["U1", "U2", "U3", "U1", "", "U" * 300, "U1\x00"]),
        "channel_id": st.sampled_from(["C1", "C1", "D1", "", "C" * 300]),
        "team_id": st.sampled_from(["T1", "T1", ""]),
    },
    optional={
        "user_name": st.text(max_size=30),
        "channel_name": st.sampled_from(["general", "directmessage", ""]),
        "trigger_id": st.sampled_from(["trig-1", "expired", ""]),
    },
).map(lambda form: ("application/x-www-form-urlencoded", urlencode(form, errors="surrogatepass")))

events = shaped(
    {
        "type": st.sampled_from(["app_mention", "message", "message", "member_joined_channel", "team_join"]),
        "user": st.one_of(users, user),
        "text": st.one_of(texts(), texts().map(lambda t: "<@UBOT> " + t)),
        "channel": st.sampled_from(["C1", "D1"]),
    },
    channel_type=st.sampled_from(["im", "channel", "group"]),
    ts=st.sampled_from(["1.1", "2.5"]),
    thread_ts=st.sampled_from(["1.0", ""]),
    subtype=st.sampled_from(["bot_message", "message_changed"]),
    bot_id=st.just("B1"),
)
event_callbacks = shaped(
    {"type": st.just("event_callback"), "team_id": st.just("T1"), "event_id": st.uuids().map(str), "event": events},
    authorizations=st.lists(shaped({"team_id": st.just("T1"), "user_id": st.just("UBOT")}), max_size=2),
).map(lambda body: ("application/json", json.dumps(body)))

action = shaped(
    {
        "action_id": st.sampled_from(ACTION_IDS),
        "value": st.one_of(st.sampled_from(["going", "1", "9" * 40, "1|dashboards", "9" * 30 + ":5"]), texts()),
    },
    selected_option=shaped({"value": st.text(max_size=20)}),
    type=st.sampled_from(["button", "static_select"]),
    block_id=st.text(max_size=10),
)
block_actions = shaped(
    {
        "type": st.just("block_actions"),
        "user": user,
        "team": team,
        "channel": channel,
        "actions": st.lists(action, max_size=2),
    },
    message=shaped({"ts": st.just("1700000000.000001")}, thread_ts=st.just("1.0")),
    container=shaped({"channel_id": st.just("C1")}, message_ts=st.just("1.1")),
    trigger_id=st.sampled_from(["trig-2", "expired"]),
)
element = shaped(
    {"type": st.sampled_from(ELEMENTS)},
    value=st.one_of(texts(), json_values),
    selected_option=shaped({"value": st.sampled_from(["good", "bad", "x"])}),
    selected_options=st.lists(shaped({"value": st.sampled_from(["alerting", "dashboards", "new"])}), max_size=3),
    selected_date=st.sampled_from(["2026-02-27", "2026-02-30", "27/02", ""]),
    selected_time=st.sampled_from(["14:30", "25:99", ""]),
    selected_date_time=st.one_of(st.integers(min_value=-(2**62), max_value=2**62), st.text(max_size=12)),
)
view_submissions = shaped(
    {
        "type": st.just("view_submission"),
        "user": user,
        "team": team,
        "view": shaped(
            {
                "type": st.just("modal"),
                "callback_id": st.sampled_from(["trip", "trip", "intro", "story", "assist.new", "nope"]),
                "private_metadata": st.one_of(
                    st.sampled_from(['{"direct": true}', "{not json", "[1, 2]", '"text"', "null", ""]),
                    json_values.map(json.dumps),
                ),
                "state": shaped(
                    {
                        "values": st.dictionaries(
                            st.sampled_from(["place", "topics", "mood", "day", "notes", "when", "x"]),
                            shaped({"value": element}),
                            max_size=5,
                        )
                    }
                ),
            }
        ),
    },
)
interactivity = anything_or(st.one_of(block_actions, view_submissions)).map(
    lambda payload: ("application/x-www-form-urlencoded", urlencode({"payload": json.dumps(payload)}))
)
anything_signed = st.one_of(
    json_values.map(lambda v: ("application/json", json.dumps(v))),
    st.text(max_size=300).map(lambda t: ("application/x-www-form-urlencoded", t)),
)

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


def test_hostile_text_samples_reach_the_generator() -> None:
    """The fixed seed still tries the markup that matters (a guard against the strategies drifting)."""
    assert any("<!subteam" in t for t in HOSTILE_TEXT) and any("\x00" in t for t in HOSTILE_TEXT)

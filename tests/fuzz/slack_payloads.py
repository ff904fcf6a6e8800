"""Slack payloads as Slack sends them — slash commands, Events API callbacks, block actions, view submissions —
with any field possibly hostile, for the fuzz suite."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from hypothesis import strategies as st

from tests.fuzz.strategies import anything_or, json_values, shaped, texts

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

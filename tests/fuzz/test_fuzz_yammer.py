"""Generated Yammer answers through the translation (adapters/yammer/inbound.py) and through a real poll round:
nothing raises, what comes out is within range and clean, and what Cultivate posts back cannot mention or tag."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from adapters.yammer import inbound, render
from bot.messages import Button, Message
from bot.text import content
from tests.adapters.yammer.fake_yammer import BOT, NETWORK
from tests.adapters.yammer.harness import AMINA, BARAKA, GROUP, YammerBot
from tests.fuzz import tally
from tests.fuzz.conftest import FUZZ, ONCE
from tests.fuzz.strategies import anything_or, json_values, shaped, texts

pytestmark = ONCE

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
ids = st.one_of(
    st.integers(min_value=1, max_value=2**40),
    st.sampled_from([0, -1, 2**63, 2**70, "12", "x", 1.5, True]),
)
body = shaped({"plain": texts()}, parsed=st.one_of(texts(), texts().map(lambda t: f"[[user:{BOT}]] {t}")), rich=texts())
message = shaped(
    {"id": ids, "sender_id": st.one_of(st.sampled_from([AMINA, BARAKA, BOT]), ids), "body": body},
    network_id=st.just(NETWORK),
    group_id=st.one_of(st.just(GROUP), ids),
    thread_id=ids,
    replied_to_id=ids,
    direct_message=st.booleans(),
    message_type=st.just("update"),
)
reference = shaped(
    {"type": st.sampled_from(["user", "group", "thread"]), "id": ids},
    full_name=st.one_of(texts(), st.just("[[user:1]] <!channel>")),
    name=st.text(max_size=10),
)
payloads = anything_or(shaped({"messages": st.lists(message, max_size=4)}, references=st.lists(reference, max_size=3)))


@settings(FUZZ, max_examples=150)
@given(payload=payloads)
def test_any_answer_translates_to_clean_posts_or_none(payload: Any) -> None:
    posts = inbound.posts(payload) if isinstance(payload, dict) else []
    event(f"{len(posts)} post(s)")
    problems = []
    for post in posts:
        if not (0 < post.id < 2**63 and 0 < post.thread_id < 2**63):
            problems.append(f"id out of range: {post.id}")
        if _CONTROL.search(post.text) or _CONTROL.search(post.sender_name):
            problems.append(f"control characters: {post.text!r}")
        inbound.command(post, str(BOT), ("cultivate", "Cultivate"))
        inbound.number(post.text)
        for text in render.bodies(Message(f"{post.sender_name}: {content(post.text)}", buttons=(Button("1", "a"),))):
            if "[[" in text or "]]" in text:
                problems.append(f"a live mention or tag: {text[:80]!r}")
    tally.note("yammer: translation", unescaped=any("mention" in p for p in problems))
    assert not problems, problems


@pytest.fixture
async def yammer(database_url: str, tmp_path: Path) -> AsyncIterator[YammerBot]:
    bot = await YammerBot.open(database_url, tmp_path)
    await bot.poll()  # the cursors start from now
    yield bot
    await bot.close()


posted = st.lists(
    st.tuples(
        st.sampled_from([AMINA, BARAKA]),
        st.one_of(texts(), st.sampled_from(["/cop help", "/cop join", "#cop community", "2"])),
        st.sampled_from(["group", "dm", "mention"]),
        st.one_of(st.none(), json_values),
    ),
    min_size=1,
    max_size=3,
)


@settings(FUZZ, max_examples=25)
@given(messages=posted)
async def test_a_poll_round_reads_anything_members_post(
    yammer: YammerBot, log: pytest.LogCaptureFixture, messages: list[tuple[int, str, str, Any]]
) -> None:
    seen, sent = len(log.records), len(yammer.fake.bot_messages())
    for user, text, where, oddity in messages:
        if where == "dm":
            added = yammer.fake.dm(user, text)
        else:
            added = yammer.fake.post(user, text, GROUP, mention=where == "mention")
        if oddity is not None:  # one field of the stored message is made strange
            yammer.fake.messages[-1]["body"]["parsed"] = oddity
        assert added
    await yammer.poll()
    await yammer.runtime.settle()
    records = log.records[seen:]
    replies = [m["body"]["plain"] for m in yammer.fake.bot_messages()[sent:]]
    live = [r for r in replies if "[[" in r]
    event(f"{len(replies)} repl{'y' if len(replies) == 1 else 'ies'}")
    counts = tally.note("yammer: poll round", records=records, unescaped=bool(live))
    assert not counts.tracebacks and not counts.long_lines, [r.getMessage()[:300] for r in records]
    assert not live, live
    assert not any("something went wrong" in r for r in replies)

"""The parts without a bot: Yammer payloads in, plain text out, the request budget's order, the client's refusals."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from adapters.yammer import inbound, render
from adapters.yammer.budget import Budget, Priority
from adapters.yammer.client import YammerClient
from bot.messages import Button, Fact, Message, Section
from bot.platform import DeliveryError
from bot.text import content
from tests.adapters.yammer.fake_yammer import FakeYammer


def _payload(*messages: dict[str, object]) -> dict[str, object]:
    return {
        "messages": list(messages),
        "references": [
            {"type": "user", "id": 11, "full_name": "Amina Wanjiru"},
            {"type": "user", "id": 1000, "full_name": "Cultivate"},
        ],
    }


def test_posts_come_oldest_first_with_names_threads_and_mentions() -> None:
    found = inbound.posts(
        _payload(
            {
                "id": 9,
                "sender_id": 11,
                "network_id": 7,
                "group_id": 5,
                "thread_id": 8,
                "replied_to_id": 8,
                "body": {"plain": "@Cultivate ask why", "parsed": "[[user:1000]] ask why"},
            },
            {"id": 8, "sender_id": 11, "network_id": 7, "group_id": 5, "thread_id": 8, "body": {"plain": "#cop help"}},
        )
    )
    assert [p.id for p in found] == [8, 9]
    reply = found[1]
    assert reply.place.thread == "8" and reply.place.channel == "5" and not reply.place.direct
    assert reply.actor.display_name == "Amina Wanjiru" and reply.mentions == {"1000"}
    assert inbound.command(reply, "1000", ("cultivate", "Cultivate")) == ("ask", "why")
    assert inbound.command(found[0], "1000") == ("help", "")


def test_a_private_message_is_direct_and_a_command_needs_its_prefix() -> None:
    (post,) = inbound.posts(
        _payload(
            {
                "id": 3,
                "sender_id": 11,
                "network_id": 7,
                "direct_message": True,
                "body": {"plain": "Copenhagen is where I am"},
            }
        )
    )
    assert post.place.direct and post.place.channel == "11"
    assert inbound.command(post, "1000") is None
    assert [inbound.number(t) for t in ("2", " #3 ", "1.", "12 apples", "1, 3")] == [2, 3, 1, None, None]


def test_buttons_become_numbered_replies_and_member_text_cannot_mention() -> None:
    message = Message(
        f"*{content('Amina [[user:1]] asks')}*",
        sections=(Section(title="Topics", facts=(Fact("Needed by", "Friday"),)),),
        buttons=(Button("Going", "rsvp", "1"), Button("Not going", "rsvp", "0")),
        footer="Webinar #4",
    )
    (body,) = render.bodies(message)
    assert body.splitlines()[-1] == "Reply 1 to Going · 2 to Not going"
    assert "Needed by: Friday" in body and "Webinar #4" in body
    assert "[[" not in body and "Amina [\u200b[user:1]\u200b] asks" in body


def test_long_text_is_split_within_the_limit() -> None:
    parts = render.bodies(Message("\n".join(f"line {n} " + "x" * 90 for n in range(100))))
    assert len(parts) > 1 and all(len(p) <= render.MAX_BODY for p in parts)


async def test_people_go_before_background_work_when_the_budget_is_short() -> None:
    budget = Budget(3, 0.2, reserve=1)
    order: list[str] = []

    async def request(name: str, priority: Priority) -> None:
        async with budget.slot(priority):
            order.append(name)

    await asyncio.gather(request("poll-1", Priority.BACKGROUND), request("poll-2", Priority.BACKGROUND))
    assert budget.used == 2  # background may not take the last slot
    await asyncio.gather(request("poll-3", Priority.BACKGROUND), request("reply", Priority.PERSON))
    assert order == ["poll-1", "poll-2", "reply", "poll-3"]


async def test_a_request_yammer_refuses_as_malformed_is_not_sent_again() -> None:
    fake = FakeYammer()
    api = await fake.start()
    try:
        async with aiohttp.ClientSession() as session:
            client = YammerClient(api, "tok-1", session, Budget(10, 0.2), backoff=0.01)
            with pytest.raises(DeliveryError) as refused:
                await client.post_message({"body": "  "})
            assert not refused.value.retry
            assert fake.requests == [("POST", "messages.json")]  # asked once
    finally:
        await fake.close()


def test_messages_without_a_usable_id_or_sender_are_left_out_and_text_is_cleaned() -> None:
    found = inbound.posts(
        {
            "messages": [
                {"id": "x", "sender_id": 11, "body": {"plain": "no id"}},
                {"id": 2**70, "sender_id": 11, "body": {"plain": "id beyond 64 bits"}},
                {"id": 4, "body": {"plain": "no sender"}},
                {"id": 5, "sender_id": [11], "body": {"plain": "odd sender"}},
                "not a message",
                {"id": 6, "sender_id": 11, "group_id": 5, "thread_id": "zz", "body": {"plain": "a\x00b\x1bc"}},
                {"id": 7, "sender_id": 11, "group_id": {"id": 5}, "body": "text", "direct_message": "yes"},
            ],
            "references": [{"type": "user", "id": 11, "full_name": ["Amina"]}, "x"],
        }
    )
    assert [(p.id, p.text) for p in found] == [(6, "abc"), (7, "")]
    assert found[0].thread_id == 6 and found[0].sender_name == "" and found[1].direct
    assert inbound.posts({"messages": "none", "references": 5}) == []

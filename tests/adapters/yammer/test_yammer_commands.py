"""Commands on Yammer: a post starting with /cop (or #cop, or mentioning the bot) is answered in its thread."""

from __future__ import annotations

from tests.adapters.yammer.fake_yammer import BOT
from tests.adapters.yammer.harness import AMINA, BARAKA, GROUP, YammerBot


async def test_cop_help_is_answered_in_the_thread(yammer: YammerBot) -> None:
    post = yammer.fake.post(AMINA, "/cop help", GROUP)
    assert await yammer.poll() == 1
    replies = yammer.fake.bot_messages(thread=post)
    assert len(replies) == 1
    assert replies[0]["group_id"] == GROUP and replies[0]["replied_to_id"] == post
    assert "/cop" in replies[0]["body"]["plain"]


async def test_hash_cop_and_a_mention_are_commands_too_and_chatter_is_not(yammer: YammerBot) -> None:
    first = yammer.fake.post(BARAKA, "#cop join", GROUP)
    second = yammer.fake.post(AMINA, "help", GROUP, mention=True)
    yammer.fake.post(BARAKA, "Lovely weather in Kisumu today", GROUP)
    await yammer.poll()
    assert "Welcome to Real-time monitoring!" in yammer.fake.texts(thread=first)[0]  # plain text: no asterisks
    assert "What you can do in Real-time monitoring" in yammer.fake.texts(thread=second)[0]
    assert len(yammer.fake.bot_messages(group=GROUP)) == 2


async def test_the_bots_own_posts_are_not_read_back_as_commands(yammer: YammerBot) -> None:
    yammer.fake.post(AMINA, "/cop help", GROUP)
    await yammer.poll()
    count = len(yammer.fake.bot_messages())
    assert await yammer.poll() == 0
    assert len(yammer.fake.bot_messages()) == count and all(m["sender_id"] == BOT for m in yammer.fake.bot_messages())


async def test_answers_only_the_caller_may_see_go_privately_with_a_word_in_the_thread(yammer: YammerBot) -> None:
    post = yammer.fake.post(AMINA, "/cop deliveries", GROUP)
    await yammer.poll()
    assert yammer.fake.texts(thread=post) == ["I have answered you in a private message."]
    assert "Nothing has failed or been skipped." in yammer.fake.texts(to=AMINA)[-1]


async def test_replies_in_a_thread_the_bot_started_count_as_participation(yammer: YammerBot) -> None:
    post = yammer.fake.post(AMINA, "/cop ask How do you keep control-room dashboards from going stale?", GROUP)
    await yammer.poll()
    card = next(m for m in yammer.fake.bot_messages(group=GROUP) if m["replied_to_id"] is None)
    yammer.fake.post(BARAKA, "We alert when the newest point is too old", GROUP, replied_to=card["id"])
    yammer.fake.post(BARAKA, "Me too", GROUP, replied_to=post)  # a thread a member started: not the bot's business
    assert await yammer.poll() == 1
    assert yammer.runtime.services.metrics.events.labels("yammer", "MessagePosted")._value.get() == 1

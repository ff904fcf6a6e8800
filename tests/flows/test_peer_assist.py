"""Peer assist through the console: ask, routed DMs with reasons, offer, thread, resolved, thanks, credit, knowledge."""

from __future__ import annotations

from datetime import timedelta

from storage import knowledge
from tests.harness import ConsoleBot

EXPERTS = {
    "Baraka": ("dashboards, grafana", "Grafana dashboards for control rooms"),
    "Chidi": ("alerting", "on-call rotas"),
    "Dembe": ("dashboards", "dashboard reviews"),
}
QUESTION = "How do you keep control-room dashboards from going stale?"


async def introduce(bot: ConsoleBot, name: str, expertise: str, offer: str) -> None:
    await bot.say(name, "/cop join")
    await bot.say(name, "/cop intro")
    for answer in ("keep", "skip", "skip", "keep", "skip", expertise, "skip", offer, "skip"):
        await bot.say(name, answer)


async def community_of_experts(bot: ConsoleBot) -> None:
    for name, (expertise, offer) in EXPERTS.items():
        await introduce(bot, name, expertise, offer)
    await bot.say("Amina", "/cop join")


async def test_the_whole_life_of_a_request(bot: ConsoleBot) -> None:
    await community_of_experts(bot)
    asked = await bot.say("Amina", f"/cop ask {QUESTION}")
    assert "says in #general [" in asked and "Amina asks: How do you keep" in asked
    assert "DM to Baraka" in asked and "because you listed dashboards" in asked
    assert "DM to Dembe" in asked and "DM to Chidi" not in asked and "DM to Amina" not in asked
    assert "I asked Baraka (listed dashboards); Dembe (listed dashboards) directly" in asked

    offered = await bot.say("Baraka", "1")  # "I can help" in his DM
    assert "DM to Amina" in offered and "Baraka can help with your request #1" in offered
    assert "› thread m" in offered and "Baraka offered to help." in offered and "1 offer so far" in offered
    assert "already offered" in await _press_offer_again(bot), "a button pressed twice counts once"

    await bot.say("Amina", "/cop ask close 1")
    await bot.say("Amina", "1")
    closed = await bot.say("Amina", "Pin a refresh panel with data age")
    assert "Resolved. Thank you Baraka! What worked: Pin a refresh panel with data age" in closed
    assert "✅ Resolved" in closed and "kept in the library" in closed
    assert "Thanked: 1 time" in await bot.say("Baraka", "/cop profile")
    async with bot.runtime.services.sessions() as db:
        [item] = await knowledge.by_source(db, "assist:1")
    assert item.title == QUESTION and "What worked: Pin a refresh panel" in item.body and item.kind == "lesson"
    assert "is already resolved" in await _press_offer_again(bot)


async def _press_offer_again(bot: ConsoleBot) -> str:
    card = next(s for s in reversed(bot.adapter.shown) if s.buttons and s.buttons[0].action_id == "assist.offer")
    bot.adapter.shown.append(card)
    return await bot.say("Baraka", "1")


async def test_no_offer_in_a_day_asks_the_next_experts_and_tells_moderators(bot: ConsoleBot) -> None:
    await community_of_experts(bot)
    await bot.say("Ada", "/cop community")  # Ada coordinates
    for n in range(6):
        await introduce(bot, f"Expert{n}", "dashboards", "dashboards advice")
    first = await bot.say("Amina", f"/cop ask {QUESTION}")
    assert first.count("I thought of you") == 5
    later = await bot.wait(timedelta(hours=24))
    assert later.count("I thought of you") == 3, "the three not asked the first time"
    assert "DM to Ada" in later and "has had no offer for a day. I asked 3 more members." in later
    assert "DM to Amina" in later and "No offer yet on your request #1, so I asked 3 more members." in later


async def test_when_nobody_new_can_be_asked_the_asker_is_told_what_to_do(bot: ConsoleBot) -> None:
    await community_of_experts(bot)
    await bot.say("Ada", "/cop community")  # Ada coordinates
    await bot.say("Amina", f"/cop ask {QUESTION}")
    later = await bot.wait(timedelta(hours=24))
    assert "I asked 0" not in later and "nobody new matches it" in later
    assert "DM to Amina" in later and "I found nobody new to ask" in later and "/cop ask cancel 1" in later
    assert "#1 · How do you keep" in (listed := await bot.say("Amina", "/cop asks")) and "0 offers" in listed


async def test_experts_are_spread_so_the_same_people_are_not_always_asked(bot: ConsoleBot) -> None:
    for n in range(8):
        await introduce(bot, f"Expert{n}", "dashboards", "dashboards advice")
    await bot.say("Amina", "/cop join")
    first = await bot.say("Amina", "/cop ask How should dashboards show data age?")
    second = await bot.say("Amina", "/cop ask Which dashboards tool works offline well?")
    asked_first = {line.split("DM to ")[1].split(" ")[0] for line in first.splitlines() if "DM to Expert" in line}
    asked_second = {line.split("DM to ")[1].split(" ")[0] for line in second.splitlines() if "DM to Expert" in line}
    assert len(asked_first) == 5 and len(asked_second) == 5
    assert len(asked_first & asked_second) == 2, "the three never asked go first the second time"


async def test_bad_questions_get_clear_answers(bot: ConsoleBot) -> None:
    await community_of_experts(bot)
    assert "Tell a bit more" in await bot.say("Amina", "/cop ask dashboards help")
    await bot.say("Amina", f"/cop ask {QUESTION}")
    assert "You asked this a moment ago: request #1 is open" in await bot.say("Amina", f"/cop ask {QUESTION}")
    assert "Join the community first" in await bot.say("Zed", f"/cop ask {QUESTION}")
    assert "Only the person who asked" in await bot.say("Baraka", "/cop ask close 1")
    assert "There is no request #99 here" in await bot.say("Amina", "/cop ask close 99")
    assert "Say which request" in await bot.say("Amina", "/cop ask close soon")


async def test_nobody_listing_the_topic_is_said_plainly(bot: ConsoleBot) -> None:
    await bot.say("Amina", "/cop join")
    answer = await bot.say("Amina", "/cop ask Where do I find good tide tables for Mombasa?")
    assert "Nobody lists" in answer and "members will see it in the channel" in answer


async def test_opted_out_members_are_never_asked(bot: ConsoleBot) -> None:
    await community_of_experts(bot)
    assert "I will not ask you" in await bot.say("Baraka", "/cop ask optout")
    asked = await bot.say("Amina", f"/cop ask {QUESTION}")
    assert "DM to Baraka" not in asked and "DM to Dembe" in asked


async def test_withdrawing_stops_the_follow_ups(bot: ConsoleBot) -> None:
    await community_of_experts(bot)
    await bot.say("Amina", f"/cop ask {QUESTION}")
    assert "Request #1 is withdrawn" in await bot.say("Amina", "/cop ask cancel 1")
    later = await bot.wait(timedelta(days=8))
    assert "#1" not in later and "no offer" not in later
    listing = await bot.say("Amina", "/cop asks all")
    assert "#1 · How do you keep" in listing and "cancelled" in listing
    assert "No requests to show" in await bot.say("Amina", "/cop asks open")


async def test_a_week_with_offers_but_no_closing_gets_a_nudge(bot: ConsoleBot) -> None:
    await community_of_experts(bot)
    await bot.say("Amina", f"/cop ask {QUESTION}")
    await bot.say("Baraka", "1")
    nudged = await bot.wait(timedelta(days=7))
    assert "DM to Amina" in nudged and "did request #1 get resolved?" in nudged and "[1] Resolved" in nudged


async def test_needed_by_reads_days_in_words_and_refuses_a_day_gone(bot: ConsoleBot) -> None:
    await bot.say("Amina", "/cop join")
    await bot.say("Amina", "/cop ask")
    for answer in (QUESTION, "skip", "skip"):
        await bot.say("Amina", answer)
    assert "Sun 1 Mar 2026 has already passed" in await bot.say("Amina", "2026-03-01")
    assert "has already passed" in await bot.say("Amina", "yesterday")
    assert "Write the day as YYYY-MM-DD" in await bot.say("Amina", "next blue moon")
    asked = await bot.say("Amina", "friday")
    assert "Needed by 2026-03-06" in asked


async def test_the_asker_is_told_where_the_request_went_or_that_there_is_no_channel(bot: ConsoleBot) -> None:
    await community_of_experts(bot)
    asked = await bot.say("Amina", f"/cop ask {QUESTION}")
    assert "Request #1 is posted in Community of Practice (#general on console)" in asked
    await bot.say("Ada", "/cop community channel remove")
    unposted = await bot.say("Amina", "/cop ask How do you route night alerts to the day queue?")
    assert "is posted in" not in unposted and "has no channel here to post it in" in unposted, unposted
    assert "/cop community channel add practice" in unposted

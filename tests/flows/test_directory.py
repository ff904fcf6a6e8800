"""The directory: who knows what, best first, forgiving case, plurals and small typos, on both databases."""

from __future__ import annotations

from storage import directory
from tests.harness import ConsoleBot

PEOPLE = {
    # name: (expertise answer, hopes to learn, can offer)
    "Baraka": ("grafana, dashboards", "alerting", "Dashboards for control rooms"),
    "Chidi": ("alerting", "dashboards", "On-call rotas"),
    "Dembe": ("data quality", "skip", "Dashboard reviews"),
    "Esi": ("facilitation", "data quality", "skip"),
}


async def introduce_everyone(bot: ConsoleBot) -> None:
    for name, (expertise, learn, offer) in PEOPLE.items():
        await bot.say(name, "/cop join")
        await bot.say(name, "/cop intro")
        for answer in ("keep", "skip", "skip", "keep", "skip", expertise, learn, offer, "skip"):
            await bot.say(name, answer)


async def test_who_ranks_expertise_above_offers_and_forgives_case_plurals_and_typos(bot: ConsoleBot) -> None:
    await introduce_everyone(bot)
    for query in ("dashboards", "Dashboard", "dashbords"):
        answer = await bot.say("Esi", f"/cop who {query}")
        lines = [line for line in answer.splitlines() if line.strip().startswith("- ")]
        assert [line.split("—")[0].strip("- ").strip() for line in lines] == ["Baraka", "Dembe"], (query, answer)
    assert "Chidi" in await bot.say("Esi", "/cop who alertng")


async def test_nobody_found_and_empty_topics_get_helpful_answers(bot: ConsoleBot) -> None:
    await introduce_everyone(bot)
    assert "Nobody in Community of Practice lists “astronomy” yet" in await bot.say("Esi", "/cop who astronomy")
    assert "Say which topic" in await bot.say("Esi", "/cop who   ")


async def test_long_results_are_paginated_with_a_more_button(bot: ConsoleBot) -> None:
    for n in range(7):
        name = f"Member{n}"
        await bot.say(name, "/cop join")
        await bot.say(name, "/cop intro")
        for answer in ("keep", "skip", "skip", "keep", "skip", "facilitation", "skip", "skip", "skip"):
            await bot.say(name, answer)
    first = await bot.say("Ada", "/cop who facilitation")
    assert first.count("knows facilitation") == 5 and "[1] More" in first
    second = await bot.say("Ada", "1")
    assert second.count("knows facilitation") == 2 and "More" not in second


async def test_a_profile_shows_the_introduction_and_local_time(bot: ConsoleBot) -> None:
    await introduce_everyone(bot)
    await bot.say("Baraka", "/cop timezone Africa/Nairobi")
    card = await bot.say("Esi", "/cop profile baraka")
    assert "Expertise: grafana, dashboards" in card and "Can offer: Dashboards for control rooms" in card
    assert "Local time: Mon 2 Mar 2026, 12:00 (Africa/Nairobi)" in card
    assert "No introduction yet" in await bot.say("Ada", "/cop profile")
    assert "I don't know anyone called “Zed”" in await bot.say("Ada", "/cop profile Zed")


async def test_after_introducing_a_newcomer_is_offered_matching_people(bot: ConsoleBot) -> None:
    await introduce_everyone(bot)
    await bot.say("Fatuma", "/cop join")
    await bot.say("Fatuma", "/cop intro")
    out = ""
    for answer in ("keep", "skip", "skip", "keep", "skip", "skip", "dashboards", "data quality checks", "skip"):
        out = await bot.say("Fatuma", answer)
    assert "People you may want to meet:" in out
    assert "Baraka — offers Dashboards\n" in out and "Esi — hopes to learn data" in out
    assert "dashboards, dashboard" not in out.casefold(), "a word and its spelling correction are one"
    assert "Connect with Baraka" in out


async def test_search_says_which_words_matched_and_ignores_stopwords(bot: ConsoleBot) -> None:
    await introduce_everyone(bot)
    async with bot.runtime.services.sessions() as db:
        found = await directory.search(db, 1, "dashboards", limit=1)
        assert [m.member_id for m in found] and found[0].matched
        assert await directory.search(db, 1, "the and of") == []


async def test_short_acronyms_are_searched_for(bot: ConsoleBot) -> None:
    await bot.say("Fatuma", "/cop join")
    await bot.say("Fatuma", "/cop intro")
    for answer in ("keep", "skip", "skip", "keep", "skip", "M&E, R", "skip", "skip", "skip"):
        await bot.say("Fatuma", answer)
    await introduce_everyone(bot)
    for query in ("M&E", "m&e", "R"):
        answer = await bot.say("Esi", f"/cop who {query}")
        assert "Say which topic" not in answer and "- Fatuma — knows M&E, R" in answer, (query, answer)
        assert "Baraka" not in answer and "Dembe" not in answer
    assert "Nobody in Community of Practice lists “R&D”" in await bot.say("Esi", "/cop who R&D")

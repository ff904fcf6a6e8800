"""A story campaign round: a sample across participation levels, nobody asked twice, one reminder, rates kept."""

from __future__ import annotations

import random
from datetime import timedelta

from flows.story_campaigns import allocate, strata
from storage import campaigns
from tests.harness import ConsoleBot

ACTIVE, OCCASIONAL, SILENT = ["Amina", "Baraka", "Chidi"], ["Dembe", "Esi", "Fatuma"], ["Gift", "Hawa", "Idris"]


async def community(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop community")
    for name in ACTIVE + OCCASIONAL + SILENT:
        await bot.say(name, "/cop join")
    for name in ACTIVE:
        for _ in range(6):
            await bot.say(name, "/cop community")
    for name in OCCASIONAL:
        await bot.say(name, "/cop community")


async def start_campaign(bot: ConsoleBot, sample: str = "3") -> str:
    await bot.say("Ada", "/cop stories campaign start")
    out = ""
    for answer in ("keep", "weekly", sample, "keep"):
        out = await bot.say("Ada", answer)
    return out


def invited(out: str, containing: str = "") -> set[str]:
    """Who got a direct message (whose text contains `containing`) in this stretch of transcript."""
    names = set()
    for block in out.split("  Cultivate ")[1:]:
        header, _sep, body = block.partition("\n")
        if header.startswith("→ DM to ") and containing in body:
            names.add(header.removeprefix("→ DM to ").split(" [")[0])
    return names


async def test_a_round_asks_across_participation_levels_reminds_once_and_keeps_the_rate(bot: ConsoleBot) -> None:
    await community(bot)
    started = await start_campaign(bot)
    assert "Campaign started. First round: Mon 2 Mar 2026, 10:00 (UTC)" in started
    first = await bot.wait(timedelta(hours=1))
    asked = invited(first, "helped you lately")
    # Ada, the coordinator, took part a little too: she is one of the occasional.
    assert len(asked) == 3 and all(len(asked & set(group)) == 1 for group in (ACTIVE, [*OCCASIONAL, "Ada"], SILENT)), (
        asked
    )
    assert "Has something from the community helped you lately?" in first and "[1] Tell my story" in first

    teller = sorted(asked)[0]
    assert "1/8 · What was the situation?" in await bot.say(teller, "1")
    for answer in ("Stale dashboards", "1", "Fixed in two days", "3", "skip", "skip", "skip", "2"):
        await bot.say(teller, answer)
    reminders = await bot.wait(timedelta(days=3))
    assert invited(reminders, "A gentle reminder —") == asked - {teller}
    assert "A gentle reminder —" not in await bot.wait(timedelta(days=3))

    status = await bot.say("Ada", "/cop stories campaign")
    assert "1 of 3 answered (33%)" in status

    second = await bot.wait(timedelta(days=1))
    again = invited(second, "helped you lately")
    assert len(again) == 3 and not again & asked, "nobody asked twice within 90 days"


async def test_an_answer_after_the_round_ended_is_kept_and_marked_late(bot: ConsoleBot) -> None:
    await community(bot)
    await start_campaign(bot, "1")
    out = await bot.say("Ada", "/cop stories campaign run")
    assert "A round has started: 1 member asked." in out
    [late_teller] = invited(out)
    await bot.wait(timedelta(days=8))
    bot.adapter.shown.append(
        next(s for s in reversed(bot.adapter.shown) if s.buttons and s.buttons[0].action_id == "campaign.tell")
    )
    await bot.say(late_teller, "1")
    for answer in ("Late but true", "1", "It worked", "skip", "skip", "skip", "skip", "2"):
        out = await bot.say(late_teller, answer)
    assert "story #1 is kept" in out
    async with bot.runtime.services.sessions() as db:
        [round_] = await campaigns.rounds(db, 1)
        [invitation] = await campaigns.invites(db, round_.id)
    assert invitation.late and round_.responded == 1


async def test_a_sample_bigger_than_the_community_is_said_and_asks_everyone(bot: ConsoleBot) -> None:
    await community(bot)
    started = await start_campaign(bot, "50")
    assert "fewer than the sample: each round asks everyone not asked recently" in started
    assert len(invited(await bot.say("Ada", "/cop stories campaign run"))) == 10


async def test_only_coordinators_run_campaigns_and_bad_cadences_are_refused(bot: ConsoleBot) -> None:
    await community(bot)
    assert "Only a coordinator" in await bot.say("Amina", "/cop stories campaign start")
    await bot.say("Ada", "/cop stories campaign start")
    for answer in ("keep", "every full moon"):
        out = await bot.say("Ada", answer)
    for answer in ("3", "keep"):
        out = await bot.say("Ada", answer)
    assert "⚠ That is not a cadence I can read" in out and "2/4" in out
    assert "No story campaign is running" in await bot.say("Ada", "/cop stories campaign")


def test_strata_and_allocation_share_the_sample_evenly() -> None:
    counts = {1: 20, 2: 9, 3: 1, 4: 2, 5: 0, 6: 0}
    groups = strata(counts)
    assert groups == {"active": [1, 2], "occasional": [3, 4], "silent": [5, 6]}
    picked = allocate(groups, 4, random.Random(1))
    assert sorted(name for _m, name in picked).count("silent") >= 1 and len(picked) == 4
    assert len(allocate(groups, 50, random.Random(1))) == 6

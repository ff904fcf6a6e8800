"""The library: add with tags, search ranked and typo-tolerant, recent, remove; lessons arrive from peer assists."""

from __future__ import annotations

from tests.flows.test_peer_assist import QUESTION, community_of_experts
from tests.harness import ConsoleBot


async def fill(bot: ConsoleBot) -> None:
    await bot.say("Amina", "/cop join")
    await bot.say(
        "Amina",
        "/cop library add https://example.org/alerting-guide.pdf Alerting guide for control rooms #alerting #ops",
    )
    await bot.say("Amina", "/cop library add https://youtu.be/abc Dashboards that people read #dashboards")
    await bot.say("Amina", "/cop library add https://example.org/notes Meeting notes mentioning dashboards once")


async def test_items_are_added_with_kind_and_tags_and_duplicates_are_shown(bot: ConsoleBot) -> None:
    await bot.say("Amina", "/cop join")
    added = await bot.say(
        "Amina", "/cop library add https://example.org/alerting-guide.pdf Alerting guide #alerting #OPS"
    )
    assert "Added to the library as #1: [document] Alerting guide" in added and "#alerting #ops" in added
    assert "- #1" not in added, "the number is said once"
    again = await bot.say("Amina", "/cop library add https://example.org/alerting-guide.pdf")
    assert "already in the library" in again and "#1" in again
    assert "Start with a web address" in await bot.say("Amina", "/cop library add example dot org")
    assert "[video]" in await bot.say("Amina", "/cop library add https://youtu.be/xyz Demo")


async def test_search_ranks_titles_first_and_forgives_typos_and_plurals(bot: ConsoleBot) -> None:
    await fill(bot)
    for query in ("dashboards", "dashbord", "DASHBOARD"):
        answer = await bot.say("Amina", f"/cop library search {query}")
        lines = [line for line in answer.splitlines() if line.strip().startswith("- #")]
        assert len(lines) == 2 and "Dashboards that people read" in lines[0] and "Meeting notes" in lines[1], answer
    assert "Nothing in the library matches “astronomy”" in await bot.say("Amina", "/cop library search astronomy")
    assert "Say what to look for" in await bot.say("Amina", "/cop library search   ")


async def test_recent_pages_and_removal_rights(bot: ConsoleBot) -> None:
    await fill(bot)
    for n in range(4):
        await bot.say("Amina", f"/cop library add https://example.org/{n} Item {n}")
    recent = await bot.say("Amina", "/cop library recent")
    assert recent.count("- #") == 5 and "Item 3" in recent and "[1] More" in recent
    assert (await bot.say("Amina", "1")).count("- #") == 2
    await bot.say("Baraka", "/cop join")
    assert "Only Amina or a moderator can remove #1" in await bot.say("Baraka", "/cop library remove 1")
    assert "Removed #1" in await bot.say("Ada", "/cop library remove 1")
    assert "There is no item #1" in await bot.say("Amina", "/cop library remove 1")
    unknown = await bot.say("Amina", "/cop library burn")
    assert "I don't know “burn” after library." in unknown
    assert "/cop library add <url> [title] [#tags]" in unknown and "/cop library remove <id>" in unknown


async def test_a_resolved_peer_assist_becomes_a_searchable_lesson(bot: ConsoleBot) -> None:
    await community_of_experts(bot)
    await bot.say("Amina", f"/cop ask {QUESTION}")
    await bot.say("Baraka", "1")
    await bot.say("Amina", "/cop ask close 1")
    await bot.say("Amina", "1")
    await bot.say("Amina", "Pin a refresh panel with data age")
    found = await bot.say("Chidi", "/cop library search stale dashbords")
    assert "[lesson] How do you keep control-room dashboards from going stale?" in found
    assert "from peer-assist request #1" in found


async def test_what_was_learned_is_read_in_full_and_searches_show_a_piece_of_it(bot: ConsoleBot) -> None:
    await community_of_experts(bot)
    await bot.say("Amina", f"/cop ask {QUESTION}")
    await bot.say("Baraka", "1")
    await bot.say("Amina", "/cop ask close 1")
    await bot.say("Amina", "1")
    worked = "Pin a refresh panel with data age, and alert when the data is older than ten minutes"
    await bot.say("Amina", worked)
    found = await bot.say("Chidi", "/cop library search refresh panel")
    assert "[lesson] How do you keep" in found and "“What worked: Pin a refresh panel" in found
    assert "/cop library show <id>" in found
    shown = await bot.say("Chidi", "/cop library show 1")
    assert "#1 [lesson] How do you keep control-room dashboards from going stale?" in shown
    assert f"What worked: {worked}" in shown and "from peer-assist request #1" in shown
    assert "There is no item #7 in the library" in await bot.say("Chidi", "/cop library show 7")
    assert "Say which item" in await bot.say("Chidi", "/cop library show")

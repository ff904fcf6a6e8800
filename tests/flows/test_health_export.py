"""The health export: the same figures as /cop health, as CSV safe to open in a spreadsheet or as strict JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest

from flows import health_export
from tests.bot.test_cli import assert_one_line_refusal, run
from tests.flows.test_health import a_community_a_month_on, press
from tests.flows.test_stories import tell
from tests.harness import ConsoleBot

HOSTILE_TOPIC = '=HYPERLINK("http://evil.example/x","click")'


async def figures(bot: ConsoleBot, **options: object) -> health_export.Health:
    async with bot.runtime.services.sessions() as db:
        return await health_export.gather(db, "practice", bot.clock.now(), **options)  # type: ignore[arg-type]


async def hostile_community(bot: ConsoleBot) -> None:
    """A month of life, with member-written text that a spreadsheet would run: a discussion topic, a webinar title,
    a library item's title."""
    await a_community_a_month_on(bot)
    await bot.say("Ada", f"/cop agenda add {HOSTILE_TOPIC}")
    await bot.say("Ada", "/cop discuss schedule")
    for answer in ("1", "What should we do?", "skip", "2026-04-03 12:00 UTC", "1", "skip"):
        await bot.say("Ada", answer)
    await bot.wait(timedelta(days=2))
    await bot.say("Ada", "/cop webinar add")
    for answer in ("+SUM(A1:A9) for operators", "skip", "skip", "2026-04-05 10:00 UTC", "keep"):
        await bot.say("Ada", answer)
    for answer in ("https://meet.example.org/x", "skip", "skip"):
        await bot.say("Ada", answer)
    await bot.say("Chidi", "/cop library add https://example.org/a.pdf @attack -2+3 checklist")
    await bot.say("Dembe", "/cop library search checklist")  # found by someone else: reused
    await press(bot, "Amina", "webinar.rsvp")
    await bot.wait(timedelta(days=3))
    await tell(bot, "Amina", "Shorter onboarding", "community", cycle="4")


async def test_csv_has_every_figure_on_a_row_and_neutralises_formulas(bot: ConsoleBot) -> None:
    await hostile_community(bot)
    text = health_export.render(await figures(bot), "csv")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["section", "item", "metric", "value"]
    found = {(section, item, metric): value for section, item, metric, value in table[1:]}
    assert found[("levels", "", "core")] == "1" and found[("levels", "", "newcomer")] == "1"
    assert found[("funnel", "", "joined")] == "6" and found[("peer_assist", "", "asked")] == "3"
    assert found[("webinars", "", "coming")] == "1" and found[("stories", "", "realised")] == "1"
    assert found[("library", "", "reused_items")] == "1"
    cells = [cell for row in table for cell in row]
    assert f"'#1 {HOSTILE_TOPIC}" not in cells  # the item label starts with "#": harmless as it is
    assert f"#1 {HOSTILE_TOPIC}" in cells
    assert "'+SUM(A1:A9) for operators" not in cells and "#1 +SUM(A1:A9) for operators" in cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@")), cell
    # A value that does begin with one is neutralised with a leading apostrophe.
    assert health_export._cell("=1+1") == "'=1+1" and health_export._cell("@me") == "'@me"
    assert health_export._cell("-3") == "'-3" and health_export._cell("+3") == "'+3" and health_export._cell(-3) == -3
    assert health_export._cell(float("nan")) == "" and health_export._cell(None) == ""


async def test_json_is_strict_with_finite_numbers_only(bot: ConsoleBot) -> None:
    await hostile_community(bot)
    text = health_export.render(await figures(bot, period="30d"), "json")

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON")

    data = json.loads(text, parse_constant=refuse)
    assert data["community"] == "practice" and data["period"]["name"] == "30d"
    assert data["levels"]["now"]["core"] == 1 and data["levels"]["percent_now"]["core"] == pytest.approx(20.0)
    assert data["funnel"]["days_to_introduce"] is None  # nobody who joined in these 30 days introduced themselves
    assert data["webinars"]["items"][0]["title"] == "+SUM(A1:A9) for operators"
    assert data["stories"]["by_cycle"]["realised"] == 1 and data["invitations"]["sent"] == 0


async def test_the_since_date_and_private_stories(bot: ConsoleBot) -> None:
    await hostile_community(bot)
    await tell(bot, "Chidi", "Quiet win", "coordinators", cycle="1")
    now = bot.clock.now()
    shared = await figures(bot, since=now - timedelta(days=10))
    assert shared.period.name == "since" and shared.stories is not None and shared.stories.total == 1
    everything = await figures(bot, since=now - timedelta(days=10), include_private=True)
    assert everything.stories is not None and everything.stories.by_cycle["immediate"] == 1
    with pytest.raises(health_export.ExportError, match="there is no community 'nowhere'"):
        async with bot.runtime.services.sessions() as db:
            await health_export.gather(db, "nowhere", now)
    with pytest.raises(health_export.ExportError, match="--period is 30d"):
        await figures(bot, period="fortnight")


def test_the_command_writes_csv_or_json_and_refuses_mistakes_in_one_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cultivate.db'}"
    assert run("console", cwd=tmp_path, stdin="/cop join\n/quit\n", DATABASE_URL=url).returncode == 0
    out = run("export", "health", "--community", "practice", cwd=tmp_path, DATABASE_URL=url)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "section,item,metric,value" and "levels,,core,0" in out.stdout
    data = json.loads(
        run("export", "health", "--community", "practice", "--format", "json", cwd=tmp_path, DATABASE_URL=url).stdout
    )
    assert data["period"]["name"] == "90d"
    since = run("export", "health", "--community", "practice", "--since", "2026-01-01", cwd=tmp_path, DATABASE_URL=url)
    assert since.returncode == 0 and "period,,name,since" in since.stdout
    assert_one_line_refusal(
        run("export", "health", "--community", "nowhere", cwd=tmp_path, DATABASE_URL=url), "no community 'nowhere'"
    )
    assert_one_line_refusal(
        run("export", "health", "--community", "practice", "--format", "xls", cwd=tmp_path, DATABASE_URL=url),
        "--format is csv or json",
    )
    assert_one_line_refusal(
        run("export", "health", "--community", "practice", "--period", "1y", cwd=tmp_path, DATABASE_URL=url),
        "--period is 30d",
    )
    assert_one_line_refusal(
        run("export", "health", "--community", "practice", "--since", "soon", cwd=tmp_path, DATABASE_URL=url),
        "--since takes a date",
    )

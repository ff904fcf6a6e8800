"""The pages in a real browser: headless Chromium from the system's packages (Debian's `chromium`), driven by
Playwright. Sign in through the link from a console DM, read the overview's charts and table, search the library and
open an AAR, RSVP from the calendar, move through a page with the keyboard; and the refusals. A screenshot of each
page is saved in artifacts/web/ (not committed).

They run on SQLite only: a browser costs seconds per test, and the database is exercised on both by the HTTP tests."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from storage import communities
from tests.databases import on_postgres
from tests.web.site import Site, free_port, opened, people, webinar
from tests.web.site import library as fill_library

playwright = pytest.importorskip("playwright.async_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs the system's chromium (apt-get install chromium)"),
    pytest.mark.skipif(on_postgres(), reason="browser tests run once, on SQLite"),
]
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "web"


@pytest.fixture
async def browser() -> AsyncIterator[playwright.Browser]:
    async with playwright.async_playwright() as p:
        launched = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        await launched.close()


@pytest.fixture
async def site(database_url: str) -> AsyncIterator[Site]:
    async with opened(database_url, port=free_port()) as opened_site:
        await people(opened_site)
        yield opened_site


async def shot(page: playwright.Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


async def sign_in(site: Site, browser: playwright.Browser, who: str) -> playwright.Page:
    """`who` opens the link from their DM in a new browser and presses Sign in."""
    said = await site.bot.say(who, "/cop web")
    link = next(word for word in said.split() if "/signin?t=" in word)
    page = await (await browser.new_context(viewport={"width": 390, "height": 844})).new_page()  # a phone
    await page.goto(link)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/c/practice/")
    return page


async def test_ada_signs_in_reads_the_overview_searches_the_library_and_rsvps(
    site: Site, browser: playwright.Browser
) -> None:
    aar = await fill_library(site)
    await webinar(site)
    page = await sign_in(site, browser, "Ada")
    assert await page.get_by_role("heading", name="Health at a glance").is_visible()
    charts = page.locator("img.chart")
    assert await charts.count() == 3
    for i in range(3):  # every chart image decoded and drawn (an SVG the browser could not read has no width)
        assert await charts.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    levels = page.get_by_role("table", name="Participation levels")
    assert await levels.get_by_role("rowheader", name="core").is_visible()
    await shot(page, "overview")

    await page.get_by_role("link", name="Library", exact=True).click()
    await page.get_by_label("Search the library").fill("flood drill")
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/library?q=flood+drill")
    await shot(page, "library-search")
    await page.get_by_role("link", name="AAR: Flood alert drill").click()
    await page.wait_for_url(f"**/library/{aar}")
    assert await page.get_by_role("heading", name="AAR: Flood alert drill").is_visible()
    assert "Lesson: test the SMS gateway weekly." in await page.inner_text("article")
    await shot(page, "aar")

    await page.get_by_role("link", name="Calendar").click()
    await page.get_by_role("button", name="You are going").click()
    await page.wait_for_url("**/calendar?answered=*")
    assert await page.get_by_text("Your answer: You are going.").is_visible()
    assert await page.get_by_role("button", name="You are going").get_attribute("aria-pressed") == "true"
    await shot(page, "calendar")

    await page.goto(page.url.split("/c/")[0] + "/c/practice/health")
    assert await page.get_by_role("heading", name="Newcomer funnel").is_visible()
    await shot(page, "health")
    for name in ("champions", "deliveries", "exports", "directory", "stories"):
        await page.goto(page.url.split("/c/")[0] + f"/c/practice/{name}")
        assert await page.locator("h1").count() == 1
        await shot(page, name)


async def test_the_overview_can_be_used_with_the_keyboard(site: Site, browser: playwright.Browser) -> None:
    page = await sign_in(site, browser, "Baraka")
    await page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert await focused.inner_text() == "Skip to the content"
    assert await focused.is_visible()  # the skip link shows itself when focused
    outline = await focused.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"  # focus is visible
    names = []
    for _ in range(7):  # the community's name, the pages, sign out: in reading order
        await page.keyboard.press("Tab")
        names.append(await page.locator(":focus").inner_text())
    assert names[1:] == ["Overview", "Library", "Directory", "Calendar", "Stories", "Sign out"], names
    # Enter on a focused link follows it.
    await page.locator("nav").get_by_role("link", name="Library").focus()
    await page.keyboard.press("Enter")
    await page.wait_for_url("**/library")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")  # the skip link: straight to the content
    await shot(page, "keyboard")


async def test_refusals_in_the_browser(site: Site, browser: playwright.Browser) -> None:
    context = await browser.new_context()
    page = await context.new_page()
    said = await site.bot.say("Baraka", "/cop web")
    link = next(word for word in said.split() if "/signin?t=" in word)
    await page.goto(link[:-4] + ("AAAA" if not link.endswith("AAAA") else "BBBB"))  # tampered
    await page.get_by_role("button", name="Sign in").click()
    assert await page.get_by_role("heading", name="This link is not valid").is_visible()
    await shot(page, "refused-tampered")

    await site.bot.wait(timedelta(minutes=11))
    await page.goto(link)
    await page.get_by_role("button", name="Sign in").click()
    assert await page.get_by_role("heading", name="This link has expired").is_visible()
    await shot(page, "refused-expired")

    said = await site.bot.say("Baraka", "/cop web")
    link = next(word for word in said.split() if "/signin?t=" in word)
    await page.goto(link)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url("**/c/practice/")
    base = page.url.split("/c/")[0]
    await page.goto(link)  # the same link again, already spent
    await page.get_by_role("button", name="Sign in").click()
    assert await page.get_by_role("heading", name="This link was already used").is_visible()
    await shot(page, "refused-reused")

    answer = await page.goto(base + "/c/practice/health")
    assert answer is not None and answer.status == 403
    assert await page.get_by_text("Only a coordinator can do that").is_visible()
    await shot(page, "refused-member-on-health")

    async with site.bot.runtime.services.sessions() as db:
        await communities.create(db, "other", "Other", timezone="UTC", language="en", now=site.bot.clock.now())
        await db.commit()
    answer = await page.goto(base + "/c/other/")
    assert answer is not None and answer.status == 403
    assert await page.get_by_text("You are not a member of this community.").is_visible()
    await shot(page, "refused-other-community")

    session = await webinar(site)
    posted = await page.request.post(base + f"/c/practice/calendar/{session}/rsvp", form={"choice": "going"})
    assert posted.status == 403 and "This form has expired" in await posted.text()
    await page.goto(base + "/c/practice/calendar")
    assert await page.get_by_text("0 going, 0 maybe.").is_visible()
    await context.close()

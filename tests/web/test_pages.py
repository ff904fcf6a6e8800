"""What each role sees, checked on every request: the overview with charts beside their numbers, the library with
search and full text, the directory, calendar and stories; the coordinators' pages and downloads."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from storage import communities, members, outbound
from storage.models import OutboundMessage, WorkStatus
from tests.web.site import library as fill_library
from tests.web.site import opened, people, webinar

MAX_PAGE = 150 * 1024


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert found is not None
    return found[1]


async def test_a_coordinators_overview_has_charts_with_their_numbers_beside_them(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        await fill_library(site)
        ada = await site.signed_in("Ada")
        answer = await ada.get("/c/practice/", headers={"Accept-Encoding": "gzip"})
        page = await answer.text()
        assert answer.status == 200
        policy = answer.headers["Content-Security-Policy"]
        assert "script-src" not in policy and "default-src 'none'" in policy and "unsafe-inline" not in policy
        markup = re.sub(r'src="data:[^"]*"', "", page)  # the charts' SVG is an image: it runs nothing
        assert "<script" not in markup and " style=" not in markup
        assert answer.headers["Cache-Control"] == "no-store"
        assert answer.headers.get("Content-Encoding") == "gzip"
        assert page.count('<img class="chart" src="data:image/svg+xml') == 3
        assert "<caption>Participation levels" in page and '<th scope="row">core</th>' in page
        assert "Against 90-9-1" in page
        assert "AAR: Flood alert drill" in page  # recently in the library
        assert len(page.encode()) < MAX_PAGE
        await ada.close()


async def test_a_member_reads_the_library_searches_it_and_opens_an_aar_in_full(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        aar = await fill_library(site)
        baraka = await site.signed_in("Baraka")
        overview = await (await baraka.get("/c/practice/")).text()
        assert "Health at a glance" not in overview and "/health" not in overview  # not a coordinator
        found = await (await baraka.get("/c/practice/library", params={"q": "flood drill"})).text()
        assert f'href="/c/practice/library/{aar}"' in found and "Dashboard design guide" not in found
        assert "Found for “flood drill”" in found
        item = await baraka.get(f"/c/practice/library/{aar}")
        text = await item.text()
        assert item.status == 200
        assert "Lesson: test the SMS gateway weekly." in text and "added by Ada" in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "<script>" not in text  # members' words escaped
        assert (await baraka.get("/c/practice/library/99999")).status == 404
        await baraka.close()


async def test_a_member_is_refused_the_coordinators_pages(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        baraka = await site.signed_in("Baraka")
        for path in ("/c/practice/health", "/c/practice/champions", "/c/practice/deliveries", "/c/practice/exports"):
            answer = await baraka.get(path)
            assert answer.status == 403, path
            assert "Only a coordinator can do that" in await answer.text()
        assert (await baraka.get("/c/practice/exports/stories.csv")).status == 403
        await baraka.close()


async def test_another_communitys_pages_are_refused(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        async with site.bot.runtime.services.sessions() as db:
            await communities.create(db, "other", "Other", timezone="UTC", language="en", now=site.bot.clock.now())
            await db.commit()
        baraka = await site.signed_in("Baraka")
        answer = await baraka.get("/c/other/library")
        assert answer.status == 403 and "You are not a member of this community." in await answer.text()
        await baraka.close()


async def test_a_post_without_its_csrf_token_is_refused(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        session = await webinar(site)
        baraka = await site.signed_in("Baraka")
        for data in ({"choice": "going"}, {"choice": "going", "csrf": "0" * 64}):
            answer = await baraka.post(f"/c/practice/calendar/{session}/rsvp", data=data, allow_redirects=False)
            assert answer.status == 403 and "This form has expired" in await answer.text()
        page = await (await baraka.get("/c/practice/calendar")).text()
        assert "Your answer" not in page
        await baraka.close()


async def test_rsvp_from_the_calendar_and_subscribe_to_its_feed(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        session = await webinar(site)
        baraka = await site.signed_in("Baraka")
        page = await (await baraka.get("/c/practice/calendar")).text()
        assert "Alerting that people trust" in page and "0 going, 0 maybe." in page
        answer = await baraka.post(
            f"/c/practice/calendar/{session}/rsvp", data={"choice": "going", "csrf": csrf_of(page)}
        )
        page = await answer.text()
        assert "1 going, 0 maybe." in page and "Your answer: You are going." in page and "Saved." in page
        feed = re.search(r'value="http://127\.0\.0\.1:3000(/c/practice/calendar\.ics\?k=[^"]+)"', page)
        assert feed is not None
        other = site.client()  # a calendar app: no cookie
        ics = await other.get(feed[1])
        assert ics.status == 200 and ics.headers["Content-Type"].startswith("text/calendar")
        body = await ics.text()
        assert "BEGIN:VCALENDAR" in body and "SUMMARY:Alerting that people trust" in body
        assert (await other.get("/c/practice/calendar.ics?k=guess")).status == 403
        assert (await other.get("/c/practice/calendar.ics")).status == 403
        await other.close()
        await baraka.close()


async def test_directory_and_stories(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        async with site.bot.runtime.services.sessions() as db:
            from storage import directory

            community = await communities.by_slug(db, "practice")
            assert community is not None
            ada = (await members.find_in_community(db, community.id, "Ada"))[0]
            await directory.save(
                db,
                community.id,
                ada.id,
                expertise=["flood dashboards"],
                offer="reviews",
                learn="",
                now=site.bot.clock.now(),
            )
            await db.commit()
        baraka = await site.signed_in("Baraka")
        page = await (await baraka.get("/c/practice/directory", params={"q": "dashboards"})).text()
        assert "<h2>Ada</h2>" in page and "flood dashboards" in page
        page = await (await baraka.get("/c/practice/directory")).text()
        assert "flood dashboards" in page
        stories = await baraka.get("/c/practice/stories")
        assert stories.status == 200 and "No stories you may read yet." in await stories.text()
        await baraka.close()


async def test_coordinators_see_health_champions_exports_and_retry_a_failed_message(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        ada = await site.signed_in("Ada")
        health = await ada.get("/c/practice/health", params={"period": "30d"})
        page = await health.text()
        assert health.status == 200 and "Newcomer funnel" in page and "Value stories by cycle" in page
        assert 'href="/c/practice/health/levels.csv?period=30d"' in page
        assert len(page.encode()) < MAX_PAGE
        table = await ada.get("/c/practice/health/levels.csv", params={"period": "30d"})
        assert table.headers["Content-Type"].startswith("text/csv")
        assert (await table.text()).splitlines()[0] == "level,members_now,members_at_start"
        assert (await ada.get("/c/practice/health/levels.json")).status == 200
        assert (await ada.get("/c/practice/health/nothing.json")).status == 404
        assert (await ada.get("/c/practice/champions")).status == 200
        exports = await (await ada.get("/c/practice/exports")).text()
        assert "/c/practice/exports/stories.csv" in exports
        stories = await ada.get("/c/practice/exports/stories.csv")
        assert stories.status == 200 and "attachment" in stories.headers["Content-Disposition"]
        async with site.bot.runtime.services.sessions() as db:
            community = await communities.by_slug(db, "practice")
            assert community is not None
            failed = await outbound.add(
                db,
                community_id=community.id,
                platform="console",
                channel="general",
                message={"text": "hello"},
                lane="console:general",
                not_before=site.bot.clock.now(),
                created_at=site.bot.clock.now(),
                error="channel_not_found",
            )
            await db.execute(
                update(OutboundMessage).where(OutboundMessage.id == failed).values(status=WorkStatus.FAILED)
            )
            await db.commit()
        page = await (await ada.get("/c/practice/deliveries")).text()
        assert "channel_not_found" in page
        retried = await ada.post(
            f"/c/practice/deliveries/message/{failed}/retry", data={"csrf": csrf_of(page)}, allow_redirects=False
        )
        assert retried.status == 303
        async with site.bot.runtime.services.sessions() as db:
            assert await outbound.failures(db, None, limit=5) == []
        again = await ada.post(f"/c/practice/deliveries/message/{failed}/retry", data={"csrf": csrf_of(page)})
        assert again.status == 404
        await site.bot.wait(timedelta(seconds=1))
        await ada.close()


async def test_a_moderator_sees_their_own_discussions_and_webinars(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        await site.bot.say("Ada", "/cop role grant Baraka moderator")
        baraka = await site.signed_in("Baraka")
        page = await (await baraka.get("/c/practice/")).text()
        assert "Your discussions and webinars" in page and "<caption>Discussions" in page
        assert "Health at a glance" not in page
        assert (await baraka.get("/c/practice/health")).status == 403
        await baraka.close()


async def test_the_pages_are_in_the_members_language(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        await site.bot.say("Baraka", "/cop language fr")
        baraka = await site.signed_in("Baraka")
        page = await (await baraka.get("/c/practice/library")).text()
        assert '<html lang="fr">' in page
        assert "Skip to the content" not in page and "Aller au contenu" in page
        ada = await site.signed_in("Ada")
        assert '<html lang="en">' in await (await ada.get("/c/practice/library")).text()
        await baraka.close()
        await ada.close()

"""Signing in from chat: a private one-time link, a session cookie, sign-out; and every refusal on the way."""

from __future__ import annotations

from datetime import timedelta

from flows import all_routines
from storage import communities
from tests.conftest import START
from tests.harness import ConsoleBot
from tests.web.site import opened, people
from web.routine import routine as web_routine


async def test_ada_signs_in_from_her_dm_and_lands_on_the_overview(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        said = await site.bot.say("Ada", "/cop web")
        assert "I sent you a sign-in link in a direct message." in said
        assert "It works once, within 10 minutes" in said
        client = site.client()
        path = await site.link_for("Ada")
        form = await client.get(path)
        assert form.status == 200
        page = await form.text()
        assert 'method="post"' in page and "Sign in" in page
        assert form.headers["Referrer-Policy"] == "same-origin"  # the token must not leak to another site
        token = path.split("t=", 1)[1]
        signed = await client.post(path.split("?")[0], data={"t": token}, allow_redirects=False)
        assert signed.status == 303 and signed.headers["Location"] == "/c/practice/"
        cookie = signed.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/c/" in cookie
        assert "Secure" not in cookie  # the public address is not https
        assert f"Max-Age={14 * 86400}" in cookie
        overview = await client.get("/c/practice/")
        assert overview.status == 200
        assert "Health at a glance" in await overview.text()
        await client.close()


async def test_the_cookie_is_secure_when_the_public_address_is_https(database_url: str) -> None:
    async with opened(database_url, public_url="https://cop.example.org", web_session_days=2) as site:
        await people(site)
        said = await site.bot.say("Ada", "/cop web")
        assert "https://cop.example.org/c/practice/signin?t=" in said
        client = site.client()
        path = await site.link_for("Ada")
        answer = await client.post(path.split("?")[0], data={"t": path.split("t=", 1)[1]}, allow_redirects=False)
        assert "Secure" in answer.headers["Set-Cookie"] and "Max-Age=172800" in answer.headers["Set-Cookie"]
        await client.close()


async def test_a_link_works_once(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        client = site.client()
        path = await site.link_for("Baraka")
        data = {"t": path.split("t=", 1)[1]}
        first = await client.post(path.split("?")[0], data=data, allow_redirects=False)
        assert first.status == 303
        again = await client.post(path.split("?")[0], data=data, allow_redirects=False)
        assert again.status == 400
        assert "This link was already used" in await again.text()
        await client.close()


async def test_an_expired_link_is_refused(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        client = site.client()
        path = await site.link_for("Baraka")
        await site.bot.wait(timedelta(minutes=11))
        answer = await client.post(path.split("?")[0], data={"t": path.split("t=", 1)[1]}, allow_redirects=False)
        assert answer.status == 400
        assert "This link has expired" in await answer.text()
        assert "Set-Cookie" not in answer.headers
        await client.close()


async def test_a_tampered_link_is_refused(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        client = site.client()
        path = await site.link_for("Baraka")
        token = path.split("t=", 1)[1]
        tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
        answer = await client.post(path.split("?")[0], data={"t": tampered}, allow_redirects=False)
        assert answer.status == 400
        assert "This link is not valid" in await answer.text()
        # A good link for one community does not open another.
        async with site.bot.runtime.services.sessions() as db:
            await communities.create(db, "other", "Other", timezone="UTC", language="en", now=site.bot.clock.now())
            await db.commit()
        answer = await client.post("/c/other/signin", data={"t": token}, allow_redirects=False)
        assert answer.status == 400
        await client.close()


async def test_without_a_session_the_pages_say_how_to_sign_in(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        client = site.client()
        answer = await client.get("/c/practice/library")
        assert answer.status == 401
        assert "Type /cop web" in await answer.text()
        assert (await client.get("/c/nowhere/")).status == 404
        await client.close()


async def test_signing_out_here_and_everywhere(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        phone = await site.signed_in("Baraka")
        laptop = await site.signed_in("Baraka")
        page = await (await laptop.get("/c/practice/library")).text()
        csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        out = await laptop.post("/c/practice/signout", data={"csrf": csrf})
        assert out.status == 200 and "You are signed out" in await out.text()
        assert (await laptop.get("/c/practice/library")).status == 401
        assert (await phone.get("/c/practice/library")).status == 200
        said = await site.bot.say("Baraka", "/cop web signout")
        assert "Signed out of the web pages everywhere (1 session closed)." in said
        assert (await phone.get("/c/practice/library")).status == 401
        await phone.close()
        await laptop.close()


async def test_sessions_end_after_the_configured_days(database_url: str) -> None:
    async with opened(database_url, web_session_days=1) as site:
        await people(site)
        client = await site.signed_in("Baraka")
        assert (await client.get("/c/practice/")).status == 200
        await site.bot.wait(timedelta(days=1, minutes=1))
        assert (await client.get("/c/practice/")).status == 401
        await client.close()


async def test_web_needs_a_secret_key(database_url: str) -> None:

    bot = await ConsoleBot.open(database_url, START, routines=[*all_routines(), web_routine])
    try:
        said = await bot.say("Ada", "/cop web")
        assert "The web pages are not set up here" in said
    finally:
        await bot.close()


async def test_expired_links_and_sessions_are_swept(database_url: str) -> None:
    from storage import retention, web_sessions

    async with opened(database_url, web_session_days=1) as site:
        await people(site)
        client = await site.signed_in("Baraka")
        await site.link_for("Baraka")  # never used
        later = site.bot.clock.now() + timedelta(days=2)
        async with site.bot.runtime.services.sessions() as db:
            purged = await retention.purge(db, site.bot.runtime.services.settings.retention, later)
            await db.commit()
            assert purged.web_sign_ins == 3  # the used link, the unused one, the session
            assert await web_sessions.sweep(db, later) == 0
        await client.close()


async def test_another_site_cannot_post_a_link_to_sign_this_browser_in(database_url: str) -> None:
    async with opened(database_url) as site:
        await people(site)
        client = site.client()
        path = await site.link_for("Baraka")
        answer = await client.post(
            path.split("?")[0],
            data={"t": path.split("t=", 1)[1]},
            headers={"Origin": "https://evil.example"},
            allow_redirects=False,
        )
        assert answer.status == 400 and "Set-Cookie" not in answer.headers
        hidden = await client.post(
            path.split("?")[0], data={"t": path.split("t=", 1)[1]}, headers={"Origin": "null"}, allow_redirects=False
        )
        assert hidden.status == 400
        same = await client.post(
            path.split("?")[0],
            data={"t": path.split("t=", 1)[1]},
            headers={"Origin": str(site.server.make_url("")).rstrip("/")},
            allow_redirects=False,
        )
        assert same.status == 303  # the refused try did not spend the link
        await client.close()

"""The web pages in tests: the console bot with a secret key, its `serve` application on a local test server, and
sign-in through the link Cultivate sends in a console DM."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import ClientSession, CookieJar
from aiohttp.test_utils import TestServer

from bot.server import build_app
from bot.settings import Settings
from flows import all_routines
from storage import communities, knowledge, members, webinars
from tests.conftest import START
from tests.harness import ConsoleBot
from web.routine import routine as web_routine

SECRET = "test-secret-key-for-the-web-pages"
LINK = re.compile(r"https?://\S+(/c/\S+/signin\?t=\S+)")


@dataclass
class Site:
    bot: ConsoleBot
    server: TestServer

    def client(self) -> ClientSession:
        """A browser of its own (its own cookies) on the test server."""
        return ClientSession(base_url=str(self.server.make_url("")), cookie_jar=CookieJar(unsafe=True))

    async def link_for(self, who: str) -> str:
        """`who` types /cop web; the path of the link in the DM they get."""
        said = await self.bot.say(who, "/cop web")
        found = LINK.search(said)
        assert found is not None, said
        assert f"DM to {who}" in said or f"message privé à {who}" in said  # the console's frame is in their language
        return found[1]

    async def signed_in(self, who: str) -> ClientSession:
        client = self.client()
        path = await self.link_for(who)
        token = path.split("t=", 1)[1]
        answer = await client.post(path.split("?")[0], data={"t": token}, allow_redirects=False)
        assert answer.status == 303, await answer.text()
        return client


@asynccontextmanager
async def opened(database_url: str, *, port: int | None = None, **settings: object) -> AsyncIterator[Site]:
    """The bot and its pages; with `port`, the pages listen there and the links Cultivate sends point there."""
    if port is not None:
        settings["public_url"] = f"http://127.0.0.1:{port}"
    bot = await ConsoleBot.open(
        database_url,
        START,
        routines=[*all_routines(), web_routine],
        settings=Settings(database_url=database_url, secret_key=SECRET, **settings),  # type: ignore[arg-type]
    )
    server = TestServer(build_app(bot.runtime), host="127.0.0.1", port=port)
    await server.start_server()
    try:
        yield Site(bot, server)
    finally:
        await server.close()
        await bot.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def people(site: Site) -> None:
    """Ada coordinates; Baraka is a member."""
    await site.bot.say("Ada", "/cop join")
    await site.bot.say("Baraka", "/cop join")


async def library(site: Site) -> int:
    """An After Action Review and a link in the library; returns the AAR's id."""
    async with site.bot.runtime.services.sessions() as db:
        community = await communities.by_slug(db, "practice")
        assert community is not None
        ada = (await members.find_in_community(db, community.id, "Ada"))[0]
        aar = await knowledge.keep(
            db,
            community_id=community.id,
            kind="lesson",
            title="AAR: Flood alert drill",
            body="Expected: alerts within 5 minutes.\nActual: 12 minutes <script>alert(1)</script>.\n"
            "Lesson: test the SMS gateway weekly.",
            tags=["alerting"],
            source=f"aar:{ada.id}",
            added_by=ada.id,
            now=START,
        )
        await knowledge.keep(
            db,
            community_id=community.id,
            kind="link",
            title="Dashboard design guide",
            body="",
            tags=["dashboards"],
            source=f"member:{ada.id}",
            added_by=ada.id,
            now=START,
            url="https://example.org/guide.pdf",
        )
        await db.commit()
        return aar.id


async def webinar(site: Site) -> int:
    async with site.bot.runtime.services.sessions() as db:
        community = await communities.by_slug(db, "practice")
        assert community is not None
        session = await webinars.add(
            db,
            community_id=community.id,
            title="Alerting that people trust",
            starts_at=START + timedelta(days=3),
            timezone="UTC",
            minutes=60,
            join_url="https://meet.example.org/rtm",
            created_at=START,
        )
        await db.commit()
        return session.id

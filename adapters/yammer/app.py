"""The Yammer adapter: sends the core's messages as plain-text posts, and polls for what members said."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime

import aiohttp

from adapters import shapes
from adapters.yammer import render
from adapters.yammer.budget import Budget
from adapters.yammer.client import YammerClient
from adapters.yammer.inbound import PLATFORM, message_id
from adapters.yammer.poller import Poller
from bot.events import Actor, Place
from bot.forms import Form
from bot.host import Host
from bot.messages import Outgoing
from bot.platform import Capability, DeliveryError, Sent
from storage import yammer

log = logging.getLogger(__name__)
# On stop, the poller may finish journaling the message in hand; a round cut short after that loses nothing
# (the cursor moves only past journaled messages, and a message read again is a duplicate the journal drops).
STOP_GRACE_SECONDS = 1.0


@dataclass(frozen=True)
class _Posted:
    post_id: int
    thread_id: int
    group_id: str | None
    audience: str | None
    buttons: list[tuple[str, str]]
    at: datetime


class YammerAdapter:
    platform = PLATFORM
    # EPHEMERAL: Yammer cannot whisper, but its communities answer a post in its thread, so an answer meant for the
    # caller goes there (the core would otherwise send every answer to a command as a private message).
    # UPDATES: Yammer cannot edit a post either; an update (new counts, a closed request) is posted in the first
    # post's thread, where its readers see it, instead of as one more copy in the group's feed.
    # No whispering: answers are read by all in the command's thread (private ones go privately, see Context._send);
    # "updates" are new versions posted as replies in the card's own thread, since Yammer cannot edit a post.
    capabilities = frozenset({Capability.THREADS, Capability.PUBLIC_REPLIES, Capability.UPDATES})

    def __init__(
        self,
        host: Host,
        *,
        budget: Budget | None = None,
        backoff: float | None = None,
        poll_seconds: float | None = None,
    ) -> None:
        settings = host.settings
        assert settings.yammer_access_token is not None
        self.host = host
        self.poll_seconds = poll_seconds if poll_seconds is not None else float(settings.yammer_poll_seconds)
        self._session = aiohttp.ClientSession()
        extra = {} if backoff is None else {"backoff": backoff}
        self.client = YammerClient(
            settings.yammer_api_url, settings.yammer_access_token, self._session, budget or Budget(), **extra
        )
        self.poller = Poller(self.client, host, settings.yammer_group_ids, self.remember_posts)
        # Posts sent while a handler's transaction is open are saved after it (SQLite has one writer at a time).
        self._posted: list[_Posted] = []
        self._task: asyncio.Task[None] | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    async def start(self) -> None:
        self._task = asyncio.create_task(self.poller.run(self.poll_seconds), name="yammer-poller")

    async def close(self) -> None:
        """Let the poller finish the message in hand (briefly), then stop it where it is."""
        if self._task is not None:
            self.poller.stopping.set()
            _done, pending = await asyncio.wait([self._task], timeout=STOP_GRACE_SECONDS)
            for task in pending:
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.remember_posts()
        await self._session.close()

    def problem(self) -> str | None:
        """What keeps Yammer from working right now, for /healthz; None when all is well."""
        if self.client.problem is not None:
            return self.client.problem
        return "; ".join(f"{what}: {why}" for what, why in self.poller.problems.items()) or None

    # -- outbound ------------------------------------------------------------------------------
    async def send(self, place: Place, outgoing: Outgoing) -> Sent:
        if place.direct and not place.channel:
            place = Place(PLATFORM, place.tenant, place.to_user or "", direct=True, to_user=place.to_user)
        try:
            return Sent(await self._post(place, outgoing), place.channel)
        finally:
            await self.remember_posts()  # a number replied to it can be read from the next poll on

    def pacing(self, place: Place, outgoing: Outgoing) -> float:
        return 0.0  # the client's shared budget (10 requests per 30 s) paces every call

    async def _post(self, place: Place, outgoing: Outgoing) -> str | None:
        first: str | None = None
        buttons = [(b.action_id, b.value) for b in outgoing.message.buttons]
        for body in render.bodies(outgoing.message):
            fields = {"body": body}
            if place.direct:
                fields["direct_to_user_ids"] = place.channel
            else:
                fields["group_id"] = place.channel
                if outgoing.replaces or place.thread:
                    fields["replied_to_id"] = outgoing.replaces or place.thread or ""
            data = await self.client.post_message(fields)
            posted = next(iter(shapes.objects(data, "messages")), {})
            post_id = message_id(posted.get("id"))
            if post_id is None:
                raise DeliveryError("Yammer POST messages.json answered without a message id")
            self._posted.append(
                _Posted(
                    post_id,
                    message_id(posted.get("thread_id")) or post_id,
                    None if place.direct else place.channel,
                    place.channel if place.direct else None,
                    buttons,
                    self.host.clock.now(),
                )
            )
            first = first or str(post_id)
        # An update keeps the first post's id: later updates and replies still go to its thread.
        return outgoing.replaces if outgoing.replaces and not place.direct else first

    async def remember_posts(self) -> None:
        """Save the posts sent since last time: threads the bot started, the numbers its choices accept."""
        if not self._posted:
            return
        posted, self._posted = self._posted, []
        try:
            async with self.host.sessions() as db:
                for p in posted:
                    await yammer.record_post(
                        db,
                        post_id=p.post_id,
                        thread_id=p.thread_id,
                        group_id=p.group_id,
                        audience=p.audience,
                        buttons=p.buttons,
                        now=p.at,
                    )
                await db.commit()
        except Exception:
            self._posted[:0] = posted  # kept for the next try, ahead of what was sent meanwhile
            raise

    async def open_form(self, actor: Actor, form: Form, trigger: str | None) -> bool:
        return False  # no forms on Yammer: the core asks field by field in private messages

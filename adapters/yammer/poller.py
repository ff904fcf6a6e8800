"""Yammer has no push: read each group's feed and the bot's private messages with `newer_than`, turn what is new
into events, and move each feed's cursor in the database only once its message has been handled."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from adapters import shapes
from adapters.yammer import inbound
from adapters.yammer.client import TokenRejected, YammerClient
from adapters.yammer.inbound import PLATFORM, Post
from bot.events import (
    ActionClicked,
    Actor,
    CommandInvoked,
    Event,
    MemberJoined,
    MessagePosted,
    Place,
)
from bot.host import Host
from bot.intake import DatabaseUnavailable
from bot.platform import DeliveryError
from storage import yammer

log = logging.getLogger(__name__)
PAGE = 20  # Yammer returns at most 20 messages per request
MEMBERS_EVERY = timedelta(days=1)  # group member lists are compared once a day
MEMBER_PAGES = 50  # 50 users a page: up to 2,500 members per group
# A member list that failed is asked again after 1, 2, 4 … rounds, at most this many: it is background work, and
# each try spends the request budget the feeds (members' commands) need.
MAX_REST_ROUNDS = 32


@dataclass(frozen=True)
class Me:
    """The bot's own account: its messages are skipped, mentions of it are commands."""

    user_id: str
    network: str
    names: tuple[str, ...]


class Poller:
    def __init__(
        self,
        client: YammerClient,
        host: Host,
        groups: tuple[str, ...],
        before_each: Callable[[], Awaitable[None]],
    ) -> None:
        self.client = client
        self.host = host
        self.groups = groups
        # Saves what the bot posted meanwhile, so a number replied to it can be read.
        self.before_each = before_each
        self.me: Me | None = None
        # Set when the bot stops: the message in hand is finished (a cut-off one would be lost, being recorded as
        # processed already), the rest wait for the next start.
        self.stopping = asyncio.Event()
        # What could not be read in the last round, and why (for /healthz).
        self.problems: dict[str, str] = {}
        # Member lists that failed: group -> (rounds to skip still, failures in a row).
        self._resting: dict[str, tuple[int, int]] = {}

    async def poll_once(self) -> int:
        """One round: every group, the private messages, and a member comparison when one is due.
        Returns how many messages were handled. Raises TokenRejected while the token is refused."""
        if self.me is None:
            self.me = await self._whoami()
        handled = 0
        for group in self.groups:
            handled += await self._isolated(
                f"group {group}", self._feed(f"group:{group}", f"messages/in_group/{group}.json")
            )
        handled += await self._isolated("private messages", self._feed("private", "messages/private.json"))
        await self._members_when_due()
        return handled

    async def _whoami(self) -> Me:
        data = await self.client.get("users/current.json")
        user_id = shapes.ident(data, "id", inbound.MAX_YAMMER_ID)
        if user_id is None:
            raise DeliveryError("Yammer GET users/current.json answered without the bot's user id")
        names = tuple(n for n in (shapes.name(data, "name"), shapes.name(data, "full_name")) if n)
        return Me(user_id, shapes.ident(data, "network_id") or "", names)

    async def _isolated(self, what: str, work: Awaitable[int | None]) -> int:
        """One feed failing (a group the bot cannot read) must not keep the others from being read; it is logged
        when it starts failing and shown in /healthz until it works again. A refused token stops the round."""
        try:
            done = await work
        except TokenRejected:
            raise
        except DeliveryError as e:
            if self.problems.get(what) != str(e):
                log.warning("reading Yammer's %s failed: %s", what, e)
            self.problems[what] = str(e)
            return 0
        self.problems.pop(what, None)
        return done or 0

    async def run(self, seconds: float) -> None:
        """Poll every `seconds` until stopped; after failures wait longer, up to 16 rounds."""
        failures = 0
        while not self.stopping.is_set():
            failures = 0 if await self.run_round() else failures + 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), timeout=seconds * min(2**failures, 16))

    async def run_round(self) -> bool:
        """One round that never raises: False if it failed (logged). A refused token is retried every round."""
        try:
            await self.poll_once()
            return True
        except TokenRejected:
            return False  # logged once by the client, shown in /healthz
        except DeliveryError as e:
            log.warning("polling Yammer failed: %s", e)
        except DatabaseUnavailable:
            pass  # said once by the intake; the cursor did not move, so nothing is missed
        except Exception:  # the poller must outlive any one bad round
            log.exception("polling Yammer failed")
        return False

    # -- feeds ---------------------------------------------------------------------------------
    async def _feed(self, feed: str, path: str) -> int:
        async with self.host.sessions() as db:
            since = await yammer.last_seen(db, feed)
        if since is None:
            # A feed read for the first time: start from now, not from its whole history.
            newest = inbound.posts(await self.client.get(path, limit=1))
            async with self.host.sessions() as db:
                await yammer.seen_up_to(db, feed, newest[-1].id if newest else 0)
                await db.commit()
            return 0
        handled = 0
        for post in await self._newer(path, since):
            if self.stopping.is_set():
                break
            await self.before_each()
            event = await self._event(post)
            if event is not None:
                # Journaled before the cursor moves: if the database cannot take it, the round stops here and
                # the next one reads it again.
                await self.host.submit(event)
                handled += 1
            async with self.host.sessions() as db:
                await yammer.seen_up_to(db, feed, post.id)
                await db.commit()
        await self.before_each()
        return handled

    async def _newer(self, path: str, since: int) -> list[Post]:
        """Everything after `since`, oldest first: pages of 20 are read backwards until they reach it."""
        found: dict[int, Post] = {}
        older_than: int | None = None
        while True:
            page = inbound.posts(await self.client.get(path, newer_than=since, older_than=older_than))
            found.update((p.id, p) for p in page if p.id > since)
            if len(page) < PAGE:
                break
            older_than = page[0].id
        return [found[i] for i in sorted(found)]

    async def _event(self, post: Post) -> Event | None:
        me = self.me
        assert me is not None
        if post.sender_id == me.user_id:
            return None
        actor, place, event_id = post.actor, post.place, f"message:{post.id}"
        words = inbound.command(post, me.user_id, me.names)
        if words is not None:
            return CommandInvoked(actor=actor, place=place, name=words[0], text=words[1], event_id=event_id)
        pressed = inbound.number(post.text)
        async with self.host.sessions() as db:
            if pressed is not None:
                # A number replied to a message with choices presses one of those; a bare private number, one of
                # the last private message's (as long as no question was asked since).
                choices = None
                if post.replied_to_id is not None or not post.direct:
                    choices = await yammer.choices_in_thread(db, post.replied_to_id, post.thread_id)
                if choices is None and post.direct:
                    choices = await yammer.choices_for(db, post.sender_id)
                if choices is not None and 1 <= pressed <= len(choices.buttons):
                    action_id, value = choices.buttons[pressed - 1]
                    return ActionClicked(
                        actor=actor,
                        place=place,
                        action_id=action_id,
                        value=value,
                        message_id=str(choices.post_id),
                        event_id=event_id,
                    )
            if post.direct:
                return MessagePosted(
                    actor=actor, place=place, text=post.text, message_id=str(post.id), event_id=event_id
                )
            if await yammer.started_thread(db, post.thread_id):
                # A reply in a discussion or request the bot started: participation.
                return MessagePosted(
                    actor=actor, place=place, text=post.text, message_id=str(post.id), event_id=event_id
                )
        return None

    # -- newcomers -----------------------------------------------------------------------------
    async def _members_when_due(self) -> None:
        """Compare at most one group's members per round, each once a day, so the lists never crowd out the feeds.
        A list that fails rests for a growing number of rounds (the feeds are read meanwhile, every round)."""
        now = self.host.clock.now()
        resting = self._rest_a_round()
        for group in self.groups:
            if group in resting:
                continue
            async with self.host.sessions() as db:
                known, checked = await yammer.member_baseline(db, group)
            if checked is not None and now - checked < MEMBERS_EVERY:
                continue
            if await self._isolated(f"members of group {group}", self._compare(group, known)):
                self._resting.pop(group, None)
                return
            _rounds, failures = self._resting.get(group, (0, 0))
            self._resting[group] = (min(2**failures, MAX_REST_ROUNDS), failures + 1)

    def _rest_a_round(self) -> set[str]:
        """The groups whose member list sits this round out (one round of their rest passes)."""
        resting = set()
        for group, (rounds, failures) in self._resting.items():
            if rounds > 0:
                self._resting[group] = (rounds - 1, failures)
                resting.add(group)
        return resting

    async def _compare(self, group: str, known: set[str] | None) -> int:
        """Raise member-joined for whoever is new since the last comparison (the first one only notes who is there)."""
        now = self.host.clock.now()
        users = await self._members(group)
        async with self.host.sessions() as db:
            await yammer.save_members(db, group, set(users), now)
            await db.commit()
        if known is not None:
            assert self.me is not None
            for user_id in sorted(set(users) - known):
                await self.host.submit(
                    MemberJoined(
                        actor=Actor(PLATFORM, self.me.network, user_id, users[user_id]),
                        place=Place(PLATFORM, self.me.network, group),
                        event_id=f"joined:{group}:{user_id}:{now:%Y%m%d}",
                    )
                )
        return 1

    async def _members(self, group: str) -> dict[str, str]:
        users: dict[str, str] = {}
        for page in range(1, MEMBER_PAGES + 1):
            data = await self.client.get(f"users/in_group/{group}.json", page=page)
            for user in shapes.objects(data, "users"):
                user_id = shapes.ident(user, "id", inbound.MAX_YAMMER_ID)
                if user_id is not None:
                    users[user_id] = shapes.name(user, "full_name") or shapes.name(user, "name")
            if not shapes.flag(data, "more_available"):
                break
        return users

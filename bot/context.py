"""The context a handler acts through: who, where, which community, the database, the clock, and the verbs."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import Answer
from bot.events import Actor, Event, Place
from bot.forms import Form
from bot.i18n import DEFAULT_LOCALE, _, local_time
from bot.messages import Message, Outgoing, say
from bot.platform import Capability, DeliveryError
from bot.services import Services
from storage import activity, communities, conversations, deliveries, members
from storage.models import Community, Member, Role

log = logging.getLogger(__name__)


@dataclass
class Context:
    services: Services
    db: AsyncSession
    community: Community | None
    member: Member | None = None
    actor: Actor | None = None
    event: Event | None = None
    role: Role | None = None
    # Routine data carried by the form being submitted (Form.state).
    form_state: dict[str, Any] = field(default_factory=dict)
    _said_private: bool = field(default=False, repr=False)

    # -- facts ---------------------------------------------------------------------------------
    @property
    def now(self) -> datetime:
        return self.services.clock.now()

    @property
    def locale(self) -> str:
        return DEFAULT_LOCALE

    @property
    def timezone(self) -> str:
        """The caller's timezone, else the community's, else UTC."""
        return self.zone_of(self.member)

    def zone_of(self, member: Member | None) -> str:
        """A member's timezone, else the community's, else UTC: the zone a message to them is written in."""
        if member is not None and member.timezone:
            return member.timezone
        return self.community.timezone if self.community is not None else "UTC"

    def when(self, moment: datetime, timezone: str | None = None) -> str:
        """A moment written for the caller (or for `timezone`)."""
        return local_time(moment, timezone or self.timezone, self.locale)

    def require_community(self) -> Community:
        if self.community is None:
            raise Answer(_("You are not in any community yet. Type /cop join to join one."))
        return self.community

    # -- saying things -------------------------------------------------------------------------
    async def reply(self, message: Message | str, *, public: bool = False, private: bool = False) -> None:
        """Answer the caller where they spoke; only they see it unless `public` (where the platform can).
        `private` answers show what only the caller may see: on a platform that cannot whisper, they go to a direct
        conversation even where other answers are read by all."""
        assert self.event is not None, "reply() needs an inbound event; use post() or dm() from deliveries"
        message = say(message) if isinstance(message, str) else message
        place = self.event.place
        only_for = None if public or place.direct else self.event.actor.user_id
        await self._send(place, Outgoing(message, only_for=only_for, private=private and only_for is not None))

    async def post(self, place: Place, message: Message | str) -> str | None:
        message = say(message) if isinstance(message, str) else message
        return await self._send(place, Outgoing(message))

    async def update(self, place: Place, ref: str, message: Message | str) -> str | None:
        """Replace a message sent earlier (a count after a button press); platforms that cannot edit post anew."""
        message = say(message) if isinstance(message, str) else message
        adapter = self.services.adapter(place.platform)
        replaces = ref if adapter is not None and Capability.UPDATES in adapter.capabilities else None
        return await self._send(place, Outgoing(message, replaces=replaces))

    async def post_home(self, message: Message | str, community: Community | None = None) -> list[dict[str, str]]:
        """Post to the community's home channel on every platform that is running.

        Returns where it went ({platform, tenant, channel, ref}), to keep with a card so that `update_posts` and
        `reply_in_threads` can find it again later (even after a restart)."""
        community = community or self.require_community()
        posts = []
        for channel in communities.home_channels(community):
            if self.services.adapter(channel.platform) is None:
                continue
            ref = await self.post(Place(channel.platform, channel.tenant, channel.channel), message)
            posts.append(
                {"platform": channel.platform, "tenant": channel.tenant, "channel": channel.channel, "ref": ref or ""}
            )
        return posts

    async def update_posts(self, posts: list[dict[str, str]], message: Message | str) -> None:
        """Replace each copy of a card posted with `post_home` (new counts, a closed state)."""
        for post in self._reachable(posts):
            await self.update(Place(post["platform"], post["tenant"], post["channel"]), post["ref"], message)

    async def reply_in_threads(
        self, posts: list[dict[str, str]], message: Message | str, *, in_thread: bool = True
    ) -> None:
        """Say something under each copy of a card (in its thread), or beside it in its channel."""
        for post in self._reachable(posts):
            thread = post["ref"] if in_thread else None
            await self.post(Place(post["platform"], post["tenant"], post["channel"], thread=thread), message)

    def _reachable(self, posts: list[dict[str, str]]) -> list[dict[str, str]]:
        return [p for p in posts if p.get("ref") and self.services.adapter(p["platform"]) is not None]

    async def dm(self, member: Member, message: Message | str) -> bool:
        """A direct message, on the platform the member is using now if they have an identity there."""
        place = await self.direct_place(member)
        if place is None:
            log.warning("member %s has no identity on a running platform", member.id)
            return False
        await self.post(place, message)
        return True

    async def direct_place(self, member: Member) -> Place | None:
        platforms = [self.actor.platform] if self.actor is not None else []
        platforms += [i.platform for i in member.identities]
        for platform in platforms:
            identity = members.identity_on(member, platform)
            adapter = self.services.adapter(platform)
            if identity is not None and adapter is not None:
                return await adapter.direct_place(identity.user_id, identity.tenant)
        return None

    async def _send(self, place: Place, outgoing: Outgoing) -> str | None:
        adapter = self.services.adapter(place.platform)
        if adapter is None:
            raise DeliveryError(f"no {place.platform} adapter is running", retry=False)
        reader = outgoing.only_for
        if reader and Capability.EPHEMERAL not in adapter.capabilities and not place.direct:
            if Capability.PUBLIC_REPLIES in adapter.capabilities and not outgoing.private:
                outgoing = replace(outgoing, only_for=None)  # read by all, in the command's thread
            else:
                # The platform cannot whisper in a channel: answer in a direct conversation instead.
                if Capability.PUBLIC_REPLIES in adapter.capabilities and not self._said_private:
                    self._said_private = True  # where answers are public, say once why this one is not
                    await adapter.send(place, Outgoing(say(_("I have answered you in a private message."))))
                place = await adapter.direct_place(reader, place.tenant)
        ref = await adapter.send(place, outgoing)
        self.services.metrics.sent.labels(place.platform).inc()
        return ref

    # -- forms, schedules, records -------------------------------------------------------------
    async def open_form(self, form: Form) -> None:
        """Show the form natively if the caller's platform can right now; otherwise ask it field by field in DM."""
        from bot import conversation

        assert self.actor is not None and self.member is not None
        adapter = self.services.adapter(self.actor.platform)
        trigger = self.event.trigger if self.event is not None else None
        if (
            adapter is not None
            and Capability.FORMS in adapter.capabilities
            and await adapter.open_form(self.actor, form, trigger)
        ):
            await conversations.start(
                self.db,
                self.member.id,
                self.actor.platform,
                self.community.id if self.community else None,
                form.to_json(),
                self.now,
                native=True,
            )
            return
        await conversation.start(self, form)

    async def schedule(
        self,
        kind: str,
        *,
        at: datetime,
        key: str,
        payload: dict[str, Any] | None = None,
        useful_for: timedelta | None = None,
        replace: bool = False,
    ) -> bool:
        """Durably schedule a delivery handled by `@routine.delivery(kind)`; the key makes it happen once."""
        if kind not in self.services.registry.deliveries:
            raise KeyError(f"no routine handles deliveries of kind {kind!r}")
        return await deliveries.schedule(
            self.db,
            kind=kind,
            key=key,
            due_at=at,
            now=self.now,
            payload=payload,
            community_id=self.community.id if self.community else None,
            useful_for=useful_for,
            replace=replace,
        )

    async def cancel(self, key: str) -> bool:
        return await deliveries.cancel(self.db, key, self.now)

    async def record(self, kind: str, subject: str | None = None, **data: Any) -> None:
        """Log that the caller did something, for participation measures."""
        await activity.record(
            self.db,
            kind,
            self.now,
            community_id=self.community.id if self.community else None,
            member_id=self.member.id if self.member else None,
            subject=subject,
            data=data,
        )

"""The contexts handlers act through: the database, the clock, the community, and the verbs for saying things.

`MemberContext` serves what a member did (a command, a button, a form, a message): its member, actor, event and
community are always there. `DeliveryContext` serves a scheduled delivery: no one is speaking, so there is no one
to reply to."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot import conversation
from bot.clock import wall
from bot.errors import Answer
from bot.events import Actor, Event, Place
from bot.forms import Form
from bot.help import needs_role
from bot.i18n import _, current_locale, local_time, reading
from bot.languages import community_language, language_for
from bot.messages import Message, Outgoing, say
from bot.platform import Capability, DeliveryError
from bot.registry import encode_payload
from bot.serialize import message_to_json
from bot.services import Services
from storage import activity, communities, conversations, deliveries, members, outbound
from storage.models import Community, Member, PostedCard, Role

log = logging.getLogger(__name__)

# What a handler says: a message, or a function that writes it — called in the language of whoever reads it (the
# member a direct message goes to, the community for its channels), so callers need not switch language themselves.
Written = Message | str | Callable[[], Message | str]


@dataclass(kw_only=True)
class Context:
    """What every handler has: services, a database session in its transaction, the community (if any)."""

    services: Services
    db: AsyncSession
    community: Community | None = None
    # Where what is said comes from ("event:12", "delivery:webinar.remind"), kept on each queued message.
    origin: str = ""
    # 0: answers to a person (sent first); 1: a routine's own messages, such as a reminder's fan-out.
    priority: int = 0
    _said_private: bool = field(default=False, repr=False)
    # Work that must wait for the commit (opening a native form); dropped if the work rolls back.
    _effects: list[Callable[[], Awaitable[None]]] = field(default_factory=list, repr=False)

    # -- facts ---------------------------------------------------------------------------------
    @property
    def now(self) -> datetime:
        return self.services.clock.now()

    @property
    def locale(self) -> str:
        """The language of whoever the text being written now is for."""
        return current_locale()

    def language(self, member: Member | None) -> str:
        """The language `member` reads (None: the community's, for its channels)."""
        return language_for(member, self.community)

    @contextmanager
    def language_of(self, member: Member) -> Iterator[str]:
        """Write for `member` inside the block: a direct message, a reminder, an invitation."""
        with reading(self.language(member)) as locale:
            yield locale

    @contextmanager
    def community_language(self, community: Community | None = None) -> Iterator[str]:
        """Write for the community's channel inside the block: a card everyone reads."""
        with reading(community_language(community or self.community)) as locale:
            yield locale

    def zone_of(self, member: Member | None) -> str:
        """A member's timezone, else the community's, else UTC: the zone a message to them is written in."""
        if member is not None and member.timezone:
            return member.timezone
        return self.community.timezone if self.community is not None else "UTC"

    def when(self, moment: datetime, timezone: str | None = None) -> str:
        """A moment written in `timezone` (default: the community's)."""
        return local_time(moment, timezone or self.zone_of(None), self.locale)

    def require_community(self) -> Community:
        if self.community is None:
            raise Answer(_("You are not in any community yet. Type /cop join to join one."))
        return self.community

    # -- saying things -------------------------------------------------------------------------
    async def post(self, place: Place, message: Written) -> str:
        """Post in a channel (or a thread of it, or a direct conversation); returns the message's reference. A
        function is written in the community's language (a channel is read by all)."""
        return await self._named(place, Outgoing(self._for_channel(message)))

    async def update(self, place: Place, ref: str, message: Written) -> str:
        """Replace a message sent earlier (a count after a button press); platforms that cannot edit post anew."""
        adapter = self.services.adapter(place.platform)
        replaces = ref if adapter is not None and Capability.UPDATES in adapter.capabilities else None
        return await self._named(place, Outgoing(self._for_channel(message), replaces=replaces))

    def _for_channel(self, message: Written, community: Community | None = None) -> Message:
        if callable(message):
            with self.community_language(community):
                return _message(message())
        return _message(message)

    async def post_home(self, message: Written, community: Community | None = None) -> list[PostedCard]:
        """Post to the community's home channel on every platform that is running; returns where it went, to keep
        with the record so that `update_posts` and `reply_in_threads` find it again (even after a restart)."""
        community = community or self.require_community()
        message = self._for_channel(message, community)
        posted = []
        for channel in communities.home_channels(community):
            if self.services.adapter(channel.platform) is None:
                continue
            ref = await self.post(Place(channel.platform, channel.tenant, channel.channel), message)
            posted.append(PostedCard(channel.platform, channel.tenant, channel.channel, ref))
        return posted

    async def update_posts(self, cards: list[PostedCard], message: Written) -> None:
        """Replace each copy of a card posted with `post_home` (new counts, a closed state)."""
        message = self._for_channel(message)
        for card in self._reachable(cards):
            await self.update(Place(card.platform, card.tenant, card.channel), card.ref, message)

    async def reply_in_threads(self, cards: list[PostedCard], message: Written, *, in_thread: bool = True) -> None:
        """Say something under each copy of a card (in its thread), or beside it in its channel."""
        message = self._for_channel(message)
        for card in self._reachable(cards):
            thread = card.ref if in_thread else None
            await self.post(Place(card.platform, card.tenant, card.channel, thread=thread), message)

    def _reachable(self, cards: list[PostedCard]) -> list[PostedCard]:
        return [c for c in cards if c.ref and self.services.adapter(c.platform) is not None]

    async def dm(self, member: Member, message: Written) -> bool:
        """A direct message, on the platform the member is using now if they have an identity there. A function is
        written in the member's language."""
        place = await self.direct_place(member)
        if place is None:
            log.warning("member %s has no identity on a running platform", member.id)
            return False
        with self.language_of(member):  # also what the platform adds to it, when it is sent
            written = message() if callable(message) else message
            await self._send(place, Outgoing(_message(written)), named=False)
        return True

    def _current_platform(self, member: Member) -> str | None:
        return None

    async def direct_place(self, member: Member) -> Place | None:
        """The member's direct conversation with the bot: where they are speaking now, else where they chose to be
        reached, else where they last spoke (storage.members.preferred_identity)."""
        identity = members.preferred_identity(member, self.services.adapters, self._current_platform(member))
        if identity is None:
            return None
        return Place.direct_to(identity.platform, identity.tenant, identity.user_id)

    async def _named(self, place: Place, outgoing: Outgoing) -> str:
        name = await self._send(place, outgoing, named=True)
        assert name is not None
        return name

    async def _send(self, place: Place, outgoing: Outgoing, *, named: bool) -> str | None:
        """Queue the message in this transaction; it leaves after commit. When `named`, returns its name in the queue
        ("o:<id>"), which later messages may use as a thread to reply in or a message to replace; messages nobody
        refers to (DMs of a fan-out, answers) are not written one by one but together, at the next flush."""
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
                    await self._queue(place, Outgoing(say(_("I have answered you in a private message."))), named=False)
                place = Place.direct_to(place.platform, place.tenant, reader)
        return await self._queue(place, outgoing, named=named)

    async def _queue(self, place: Place, outgoing: Outgoing, *, named: bool) -> str | None:
        values = self._row(
            place, outgoing, {**message_to_json(outgoing.message), "locale": self._written_in(place, outgoing)}
        )
        if named:
            return outbound.logical(await outbound.add(self.db, **values))
        outbound.queue(self.db, **values)
        return None

    @contextlib.asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A savepoint for the routine's work: if it fails, what it said is dropped with what it wrote."""
        mark = outbound.queued_mark(self.db)
        try:
            async with self.db.begin_nested():
                yield
        except BaseException:
            outbound.drop_queued_since(self.db, mark)
            raise

    def _row(
        self, place: Place, outgoing: Outgoing, message: dict[str, Any], origin: str | None = None
    ) -> dict[str, Any]:
        return {
            "community_id": self._community_id,
            "platform": place.platform,
            "tenant": place.tenant,
            "channel": place.channel,
            "to_user": place.to_user,
            "direct": place.direct,
            "thread": place.thread,
            "replaces": outgoing.replaces,
            "only_for": outgoing.only_for,
            "private": outgoing.private,
            "message": message,
            "lane": _lane(place, outgoing),
            "priority": self.priority,
            "not_before": wall(),
            "origin": (self.origin if origin is None else origin)[:100],
            "created_at": self.now,
        }

    async def post_all(self, letters: Iterable[tuple[Place, Message]], *, origin: str | None = None) -> int:
        """Queue many messages to direct places at once (a newsletter's fan-out): one insert, no references back,
        each distinct message serialized once. Returns how many were queued."""
        rows: list[dict[str, Any]] = []
        serialized: dict[int, tuple[Message, dict[str, Any]]] = {}  # the message is kept, so its id stays its own
        for place, message in letters:
            if self.services.adapter(place.platform) is None:
                raise DeliveryError(f"no {place.platform} adapter is running", retry=False)
            known = serialized.get(id(message))
            if known is None:
                data = {**message_to_json(message), "locale": self._written_in(place, Outgoing(message))}
                known = serialized[id(message)] = (message, data)
            data = known[1]
            rows.append(self._row(place, Outgoing(message), data, origin))
        await outbound.add_many(self.db, rows)
        return len(rows)

    def _written_in(self, place: Place, outgoing: Outgoing) -> str:
        """The language a queued message is in: its reader's for a direct or whispered one, else the community's."""
        if place.direct or outgoing.only_for:
            return current_locale()
        return community_language(self.community)

    @property
    def _community_id(self) -> int | None:
        # Read without loading: after a savepoint rolled back, the community may be expired in the session.
        community = self.community
        if community is None:
            return None
        identity = community.__dict__.get("id")
        return int(identity) if identity is not None else community.id

    # -- after commit --------------------------------------------------------------------------
    def after_commit(self, effect: Callable[[], Awaitable[None]]) -> None:
        """Run `effect` once the work has committed (never if it rolls back)."""
        self._effects.append(effect)

    def forget_effects(self) -> None:
        self._effects.clear()

    async def run_effects(self) -> None:
        effects, self._effects = self._effects, []
        for effect in effects:
            try:
                await effect()
            except Exception:
                log.exception("work after commit failed (%s)", self.origin)

    # -- schedules and records -----------------------------------------------------------------
    async def schedule(
        self,
        kind: str,
        *,
        at: datetime,
        key: str,
        payload: Any = None,
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
            payload=encode_payload(payload),
            community_id=self.community.id if self.community else None,
            useful_for=useful_for,
            replace=replace,
        )

    async def cancel(self, key: str) -> bool:
        return await deliveries.cancel(self.db, key, self.now)

    async def record(self, kind: str, subject: str | None = None, *, member: Member | None = None, **data: Any) -> None:
        """Log that someone did something, for participation measures."""
        await activity.record(
            self.db,
            kind,
            self.now,
            community_id=self.community.id if self.community else None,
            member_id=member.id if member else None,
            subject=subject,
            data=data,
        )


@dataclass(kw_only=True)
class MemberContext(Context):
    """A member acted: they typed a command, pressed a button, submitted a form or wrote to the bot."""

    community: Community
    member: Member
    actor: Actor
    event: Event
    role: Role | None = None
    # Routine data carried by the form being submitted (Form.state).
    form_state: dict[str, Any] = field(default_factory=dict)

    @property
    def timezone(self) -> str:
        """The caller's timezone, else the community's, else UTC."""
        return self.zone_of(self.member)

    def when(self, moment: datetime, timezone: str | None = None) -> str:
        """A moment written for the caller (or in `timezone`)."""
        return local_time(moment, timezone or self.timezone, self.locale)

    def has_role(self, role: Role) -> bool:
        """Whether the caller holds `role` (or a higher one) in this community."""
        return self.role is not None and self.role >= role

    def require_role(self, role: Role) -> None:
        """Stop with the usual refusal unless the caller holds `role`."""
        if not self.has_role(role):
            raise Answer(needs_role(role))

    def _current_platform(self, member: Member) -> str | None:
        return self.actor.platform if member.id == self.member.id else None

    async def reply(self, message: Message | str, *, public: bool = False, private: bool = False) -> None:
        """Answer the caller where they spoke; only they see it unless `public` (where the platform can).
        `private` answers show what only the caller may see: on a platform that cannot whisper, they go to a direct
        conversation even where other answers are read by all."""
        place = self.event.place
        if place.direct and place.to_user is None:
            place = replace(place, to_user=self.actor.user_id)  # one lane per member's direct conversation
        only_for = None if public or place.direct else self.event.actor.user_id
        outgoing = Outgoing(_message(message), only_for=only_for, private=private and only_for is not None)
        await self._send(place, outgoing, named=False)

    async def open_form(self, form: Form) -> None:
        """Show the form natively where the caller's platform can (once this work commits); otherwise, or if that
        fails, ask it field by field in a direct conversation."""
        adapter = self.services.adapter(self.actor.platform)
        if adapter is None or Capability.FORMS not in adapter.capabilities:
            await conversation.start(self, form)
            return
        await conversations.start(
            self.db, self.member.id, self.actor.platform, self.community.id, form.to_json(), self.now, native=True
        )
        self.after_commit(lambda: self._show_form(form))

    async def _show_form(self, form: Form) -> None:
        adapter = self.services.adapter(self.actor.platform)
        if adapter is not None and await adapter.open_form(self.actor, form, self.event.trigger):
            return
        # The platform would not show it now (an expired trigger, say): ask field by field instead.
        async with self.services.sessions() as db:
            member = await members.by_id(db, self.member.id)
            community = await communities.by_id(db, self.community.id)
            if member is None or community is None:
                return
            await conversations.abandon(db, member.id, self.actor.platform, form.form_id)
            ctx = replace(self, db=db, member=member, community=community, _effects=[])
            await conversation.start(ctx, form)
            await db.commit()
        self.services.queued.set()

    async def record(self, kind: str, subject: str | None = None, *, member: Member | None = None, **data: Any) -> None:
        """Log that the caller (or `member`) did something, for participation measures."""
        await super().record(kind, subject, member=member or self.member, **data)


@dataclass(kw_only=True)
class DeliveryContext(Context):
    """A scheduled delivery is running: its kind and key say which."""

    kind: str = ""
    key: str = ""
    priority: int = 1


def _message(message: Message | str) -> Message:
    return say(message) if isinstance(message, str) else message


def _lane(place: Place, outgoing: Outgoing) -> str:
    """Messages of one lane go out in order: one conversation (a channel, or a member's direct one), or one member's
    whispers in a channel, which are not held up behind the channel's own posts."""
    where = f"{place.platform}:{place.tenant}:"
    if place.direct:
        return where + "@" + (place.to_user or place.channel)
    if outgoing.only_for:
        return where + f"{place.channel}:{outgoing.only_for}"
    return where + place.channel

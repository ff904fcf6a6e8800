"""Where Cultivate can write in Teams: conversation references captured from every inbound activity, kept in the
database (so proactive messages survive a restart) and cached in this process."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters import shapes
from adapters.teams import inbound
from adapters.teams.sender import TeamsSender
from bot.clock import Clock
from bot.platform import Unreachable
from storage import teams_conversations
from storage.teams_conversations import ConversationRef

Defer = Callable[[Coroutine[Any, Any, Any]], None]
KINDS = ("personal", "channel", "groupChat")  # what Teams calls its conversations; the column holds 16 characters
MAX_USER = 200  # as the conversation table keeps it


class ConversationBook:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, sender: TeamsSender, defer: Defer
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.sender = sender
        self.defer = defer
        self._known: dict[str, ConversationRef] = {}  # seen or made by this process
        self._stored: dict[str, ConversationRef] = {}  # ... and written to the database as they are
        self._personal: dict[tuple[str, str], str] = {}  # (tenant, user) -> personal conversation id

    async def capture(self, activity: dict[str, Any], reference: dict[str, Any]) -> None:
        """Remember the conversation an activity came from (the thread part of a channel's id left out)."""
        place = inbound.place_of(activity)
        service_url = shapes.ident(activity, "serviceUrl", inbound.MAX_SERVICE_URL)
        if not place.channel or not service_url:
            return
        kind = shapes.text(shapes.obj(activity, "conversation"), "conversationType") or "personal"
        if kind not in KINDS:
            return
        user = shapes.ident(shapes.obj(activity, "from"), "id", MAX_USER) if kind == "personal" else None
        reference["conversation"] = {**(reference.get("conversation") or {}), "id": place.channel}
        bot = shapes.ident(shapes.obj(activity, "recipient"), "id", MAX_USER) or ""
        await self.store(ConversationRef(place.channel, place.tenant, kind, user, service_url, bot, reference))

    def _know(self, ref: ConversationRef) -> None:
        self._known[ref.conversation_id] = ref
        if ref.kind == "personal" and ref.user_id:
            self._personal[(ref.tenant, ref.user_id)] = ref.conversation_id

    async def store(self, ref: ConversationRef) -> None:
        self._know(ref)
        if self._stored.get(ref.conversation_id) == ref:
            return  # most activities change nothing
        self._stored[ref.conversation_id] = ref
        async with self.sessions() as db:
            await teams_conversations.remember(db, ref, self.clock.now())
            await db.commit()

    async def find(self, conversation_id: str, tenant: str = "") -> ConversationRef:
        """The reference; for a channel never written to yet (a configured home channel), the service URL and bot id
        of the same tenant, which is all the connector needs."""
        ref = self._known.get(conversation_id)
        if ref is not None:
            return ref
        async with self.sessions() as db:
            ref = await teams_conversations.find(db, conversation_id)
            nearby = await teams_conversations.latest_in_tenant(db, tenant) if ref is None and tenant else None
        if ref is not None:
            self._know(ref)
            return ref
        if nearby is None:
            raise Unreachable(f"Teams: Cultivate has no conversation {conversation_id} (not installed there)")
        return ConversationRef(
            conversation_id,
            tenant,
            "channel",
            None,
            nearby.service_url,
            nearby.bot_id,
            {**nearby.reference, "conversation": {"id": conversation_id}},
        )

    async def personal(self, user_id: str, tenant: str) -> ConversationRef:
        """The personal chat with a member: remembered from their own messages, else opened (POST /v3/conversations)."""
        known = self._personal.get((tenant, user_id))
        if known is not None:
            return self._known[known]
        async with self.sessions() as db:
            ref = await teams_conversations.personal(db, tenant, user_id)
            nearby = await teams_conversations.latest_in_tenant(db, tenant) if ref is None else None
        if ref is not None:
            self._know(ref)
            return ref
        if nearby is None:
            raise Unreachable(
                f"Teams member {user_id} cannot be reached: Cultivate is not installed in tenant {tenant or '?'}"
            )
        try:
            conversation_id = await self.sender.create_personal(nearby.service_url, tenant, nearby.bot_id, user_id)
        except Unreachable as e:
            raise Unreachable(
                f"Teams member {user_id} cannot be reached (Cultivate not installed for them?): {e}"
            ) from None
        reference = {
            "conversation": {"id": conversation_id, "conversationType": "personal"},
            "user": {"id": user_id},
            "bot": {"id": nearby.bot_id},
            "channelId": nearby.reference.get("channelId", "msteams"),
            "serviceUrl": nearby.service_url,
        }
        ref = ConversationRef(
            conversation_id, tenant, "personal", user_id, nearby.service_url, nearby.bot_id, reference
        )
        self._know(ref)
        # Written after the handler's own transaction: SQLite has one writer, and the handler holds it now.
        self.defer(self.store(ref))
        return ref

    async def near(self, user_id: str, tenant: str) -> ConversationRef | None:
        """A conversation the member is in (their personal chat, else any in their tenant), for looking them up."""
        known = self._personal.get((tenant, user_id))
        if known is not None:
            return self._known[known]
        async with self.sessions() as db:
            return await teams_conversations.personal(
                db, tenant, user_id
            ) or await teams_conversations.latest_in_tenant(db, tenant)

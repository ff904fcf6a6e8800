"""Wires a Bot Framework SDK (adapters.teams.sdk: botbuilder or the Microsoft 365 Agents SDK) to the core dispatcher
at POST /api/messages, and carries the core's messages back through the Bot Connector, using conversation references
kept in the database. Tokens are checked by adapters.teams.auth, whichever the SDK."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from aiohttp import web

from adapters.teams import inbound, render
from adapters.teams import sdk as teams_sdk
from adapters.teams.auth import TokenCheck, Unauthorized
from adapters.teams.conversations import ConversationBook
from adapters.teams.keys import SigningKeys
from adapters.teams.sdk import BadActivity, Connector
from adapters.teams.sender import BASE_DELAY, PER_CONVERSATION_INTERVAL, TeamsSender
from bot.dispatcher import Dispatcher, Outcome
from bot.events import Actor, Event, FormSubmitted, Place
from bot.forms import Form
from bot.i18n import _
from bot.messages import Outgoing
from bot.platform import Capability, DeliveryError, Profile, Unreachable
from bot.settings import Settings
from storage import conversations, members
from storage.teams_conversations import ConversationRef

log = logging.getLogger(__name__)
MESSAGES_PATH = "/api/messages"


class TeamsAdapter:
    platform = inbound.PLATFORM
    # No ephemeral messages in Teams: the core answers a channel command privately in the personal chat.
    capabilities = frozenset({Capability.FORMS, Capability.BUTTONS, Capability.THREADS, Capability.UPDATES})

    def __init__(
        self,
        settings: Settings,
        dispatcher: Dispatcher,
        *,
        interval: float = PER_CONVERSATION_INTERVAL,
        retry_delay: float = BASE_DELAY,
        signing_keys: SigningKeys | None = None,
    ) -> None:
        assert settings.teams_app_id or settings.teams_local_no_auth
        self.settings = settings
        self.dispatcher = dispatcher
        self.sessions = dispatcher.services.sessions
        self.clock = dispatcher.services.clock
        self.app_id = settings.teams_app_id or ""
        self.sdk = teams_sdk.load(settings)
        # No app id: authentication off, allowed only with TEAMS_LOCAL_NO_AUTH (settings).
        self.tokens = TokenCheck(self.app_id, (signing_keys or SigningKeys()) if self.app_id else None)
        self.sender = TeamsSender(self._connector, interval=interval, base_delay=retry_delay)
        self.book = ConversationBook(self.sessions, self.clock, self.sender, self._spawn)
        self._tasks: set[asyncio.Task[Any]] = set()
        self._names: dict[tuple[str, str], str] = {}  # (tenant, user) -> the name their last activity carried

    # -- inbound -------------------------------------------------------------------------------
    def routes(self) -> list[web.RouteDef]:
        return [web.post(MESSAGES_PATH, self.handle_http)]

    async def handle_http(self, request: web.Request) -> web.StreamResponse:
        """POST /api/messages: authenticate (unless disabled), remember the conversation, answer at once;
        the work happens after, as with Slack's acks."""
        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.Response(status=415, text="activities are JSON")
        try:
            raw = await request.json()
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(raw, dict) or not raw.get("type"):
            return web.Response(status=400, text="not an activity")
        try:
            identity = await self.tokens.identify(request.headers.get("Authorization"), raw)
        except Unauthorized as e:
            log.info("Teams request refused (401): %s", e)
            raise web.HTTPUnauthorized() from None
        try:
            answer = await self.sdk.turn(identity, raw, self.on_activity)
        except BadActivity as e:
            log.info("Teams request refused (400): %s", e)
            return web.Response(status=400, text="not an activity")
        if answer is not None:
            return web.json_response(answer.body, status=answer.status)
        return web.Response(status=201)

    async def on_activity(self, activity: dict[str, Any], reference: dict[str, Any]) -> None:
        """One authenticated activity, within the SDK's turn. Read from the request's JSON: an SDK's model may drop
        what it does not declare (a mention's `mentioned`, Teams' channelData details)."""
        await self.book.capture(activity, reference)
        sender = activity.get("from") or {}
        if sender.get("id") and sender.get("name"):
            self._names[(inbound.tenant_of(activity), sender["id"])] = sender["name"]
        for event in self._events(activity):
            self._spawn(self._handle(event, activity))

    def _events(self, activity: dict[str, Any]) -> list[Event]:
        match activity.get("type"):
            case "message":
                event = inbound.message(activity, frozenset(self.dispatcher.services.registry.commands))
                return [event] if event is not None else []
            case "conversationUpdate":
                return list(inbound.members_added(activity))
        return []  # installationUpdate, typing, reactions: the reference is all Cultivate keeps

    async def _handle(self, event: Event, activity: dict[str, Any]) -> None:
        if not isinstance(event, FormSubmitted):
            await self.dispatcher.handle(event)
            return
        was_open = await self._form_open(event)
        outcome = await self.dispatcher.handle(event)
        if not outcome.duplicate:
            await self._settle_form(event, activity, outcome, accepted=was_open and not await self._form_open(event))

    async def _form_open(self, event: FormSubmitted) -> bool:
        """Whether the member has this form open: before and after tells a stored submission from a refused one
        (an expired form, a failing routine), which keeps its inputs."""
        async with self.sessions() as db:
            member = await members.by_identity(db, self.platform, event.actor.tenant, event.actor.user_id)
            current = await conversations.current(db, member.id, self.platform) if member is not None else None
        return current is not None and current.form.get("form_id") == event.form_id

    async def _settle_form(
        self, event: FormSubmitted, activity: dict[str, Any], outcome: Outcome, *, accepted: bool
    ) -> None:
        """The form's card shows the errors next to the fields, or becomes a short 'sent' note (no second send)."""
        card_id = event.state.get("card")
        if not card_id or not (accepted or outcome.form_errors):
            return
        form = Form.from_json(activity["value"][inbound.FORM])
        if outcome.form_errors:
            content = render.form_card(form, outcome.form_errors, event.values)
        else:
            content = render.done_card(form, _("Sent. Thank you!"))
        message = {"type": "message", "attachments": [render.attachment(content)]}
        try:
            await self._put(event.place, card_id, message)
        except DeliveryError as e:
            log.warning("the form card %s was not updated: %s", card_id, e)

    def _spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Teams work failed", exc_info=task.exception())

    async def settled(self) -> None:
        """Wait until the work started after each answered request has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # -- outbound ------------------------------------------------------------------------------
    async def _connector(self, service_url: str) -> Connector:
        return await self.sdk.connector(service_url)

    def _addressed(self, ref: ConversationRef, activity: dict[str, Any]) -> dict[str, Any]:
        return {
            **activity,
            "from": {"id": ref.bot_id},
            "channelId": ref.reference.get("channelId", "msteams"),
            "serviceUrl": ref.service_url,
        }

    async def _put(self, place: Place, activity_id: str, activity: dict[str, Any]) -> None:
        ref = await self.book.find(place.channel, place.tenant)
        await self.sender.update(ref.service_url, place.channel, activity_id, self._addressed(ref, activity))

    async def send(self, place: Place, outgoing: Outgoing) -> str | None:
        ref = await self.book.find(place.channel, place.tenant)
        try:
            return await self._send(ref, place, outgoing)
        except Unreachable as e:
            if ref.kind == "personal":  # say who, so coordinators reading /cop deliveries know whom to ask
                raise Unreachable(f"Teams member {ref.user_id} cannot be reached (Cultivate removed?): {e}") from None
            raise

    async def _send(self, ref: ConversationRef, place: Place, outgoing: Outgoing) -> str | None:
        first: str | None = None
        for n, activity in enumerate(render.activities(outgoing.message)):
            activity = self._addressed(ref, activity)
            if outgoing.replaces and n == 0:
                await self.sender.update(ref.service_url, place.channel, outgoing.replaces, activity)
                sent: str | None = outgoing.replaces
            else:
                sent = await self.sender.send(ref.service_url, place.channel, activity, reply_to=place.thread)
            first = first or sent
        return first

    async def direct_place(self, user_id: str, tenant: str) -> Place:
        """The personal chat: remembered from the member's own messages, else opened (POST /v3/conversations)."""
        ref = await self.book.personal(user_id, tenant)
        return Place(self.platform, tenant, ref.conversation_id, direct=True)

    async def profile(self, user_id: str, tenant: str) -> Profile | None:
        """The member's name: from their own messages when they have written, else asked of Teams (a member added
        to a team arrives with an id only). Teams does not tell timezones here; messages carry them."""
        name = self._names.get((tenant, user_id))
        if name:
            return Profile(display_name=name, timezone=None)
        where = await self.book.near(user_id, tenant)
        if where is None:
            return None
        member = await self.sender.member(where.service_url, where.conversation_id, user_id)
        return Profile(display_name=str(member.get("name") or ""), timezone=None) if member.get("name") else None

    async def open_form(self, actor: Actor, form: Form, trigger: str | None) -> bool:
        """A card with inputs in the member's personal chat (a form in a channel would be seen by everyone)."""
        try:
            place = await self.direct_place(actor.user_id, actor.tenant)
            ref = await self.book.find(place.channel)
            card = {
                "type": "message",
                "summary": form.title[: render.MAX_SUMMARY],
                "attachments": [render.attachment(render.form_card(form))],
            }
            await self.sender.send(ref.service_url, place.channel, self._addressed(ref, card))
        except DeliveryError as e:
            log.info("form card not sent (%s); asking field by field", e)
            return False
        return True

    async def close(self) -> None:
        await self.settled()
        await self.sdk.close()
        await self.tokens.close()

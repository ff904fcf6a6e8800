"""Wires botbuilder's CloudAdapter to the core's journal at POST /api/messages (an activity is journaled before it is
answered), and carries the core's messages back through the Bot Connector, using conversation references kept in
the database."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from types import SimpleNamespace
from typing import Any

import jwt
from aiohttp import web
from botbuilder.core import InvokeResponse, TurnContext
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
)
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.aio import ConnectorClient

from adapters import shapes
from adapters.teams import inbound, render, shape
from adapters.teams.conversations import ConversationBook
from adapters.teams.sender import PER_CONVERSATION_INTERVAL, TeamsSender
from bot.dispatcher import Outcome
from bot.events import Actor, Event, FormSubmitted, Place
from bot.forms import Form
from bot.host import Host
from bot.i18n import _
from bot.intake import DatabaseUnavailable, Receipt
from bot.messages import Outgoing
from bot.platform import Capability, DeliveryError, Profile, Sent, Unreachable
from storage.teams_conversations import ConversationRef

log = logging.getLogger(__name__)
MESSAGES_PATH = "/api/messages"
FORM_SETTLE_SECONDS = 10.0  # how long a submitted form card waits to show "Sent" or its errors


class TeamsAdapter:
    platform = inbound.PLATFORM
    # No ephemeral messages in Teams: the core answers a channel command privately in the personal chat.
    capabilities = frozenset({Capability.FORMS, Capability.BUTTONS, Capability.THREADS, Capability.UPDATES})

    def __init__(self, host: Host, *, interval: float = PER_CONVERSATION_INTERVAL) -> None:
        settings = host.settings
        assert settings.teams_app_id or settings.teams_local_no_auth
        self.host = host
        self.settings = settings
        self.interval = interval
        self.sessions = host.sessions
        self.clock = host.clock
        self.app_id = settings.teams_app_id or ""
        # An empty app id is botbuilder's "authentication disabled": allowed only with TEAMS_LOCAL_NO_AUTH (settings).
        self.auth = ConfigurationBotFrameworkAuthentication(
            SimpleNamespace(
                APP_ID=self.app_id,
                APP_PASSWORD=settings.teams_app_password or "",
                APP_TYPE=settings.teams_app_type or "MultiTenant",
                APP_TENANTID=settings.teams_tenant_id or "",
            )
        )
        self.cloud = CloudAdapter(self.auth)
        self.sender = TeamsSender(self._connector)
        self.book = ConversationBook(self.sessions, self.clock, self.sender, self._spawn)
        self._connectors: dict[str, ConnectorClient] = {}
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
        if not isinstance(raw, dict):
            return web.Response(status=400, text="not an activity")
        if (unreadable := shape.unreadable(raw)) is not None:
            log.warning("refused a request to %s from %s: %s (400)", MESSAGES_PATH, request.remote, unreadable)
            return web.Response(status=400, text="not an activity")
        try:
            response = await self.cloud.process(request, _Turn(self, raw))
        except (PermissionError, jwt.PyJWTError):
            raise web.HTTPUnauthorized() from None
        except DatabaseUnavailable:
            return web.Response(status=503, text="try again")  # nothing was kept: the channel may send it again
        return response or web.Response(status=201)

    async def on_turn(self, turn: TurnContext, activity: dict[str, Any]) -> None:
        """One authenticated activity. Read from the request's JSON: botbuilder's model drops what it does not
        declare (a mention's `mentioned`, Teams' channelData details)."""
        if activity.get("type") == "invoke":
            # Cultivate offers nothing invoked (Action.Execute, message extensions): acknowledged, nothing done,
            # rather than botbuilder's 501 for an invoke nobody answered.
            await turn.send_activity(Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200)))
            return
        if not inbound.answerable(activity):
            return  # no address to answer at (nor to remember): nothing Cultivate can do with it
        await self.book.capture(activity, TurnContext.get_conversation_reference(turn.activity).serialize())
        sender = inbound.actor_of(activity)
        if sender.user_id and sender.display_name:
            self._names[(sender.tenant, sender.user_id)] = sender.display_name
        for event in self._events(activity):
            receipt = await self.host.submit(event, want_outcome=isinstance(event, FormSubmitted))
            if isinstance(event, FormSubmitted) and not receipt.duplicate:
                self._spawn(self._settle_form(event, activity, receipt))

    def _events(self, activity: dict[str, Any]) -> list[Event]:
        match activity.get("type"):
            case "message":
                event = inbound.message(activity, self.host.command_words())
                return [event] if event is not None else []
            case "conversationUpdate":
                return list(inbound.members_added(activity))
        return []  # installationUpdate, typing, reactions: the reference is all Cultivate keeps

    async def _settle_form(self, event: FormSubmitted, activity: dict[str, Any], receipt: Receipt) -> None:
        """The form's card shows the errors next to the fields, or becomes a short 'sent' note (no second send);
        a refused submission (an expired form, a failing routine) leaves the card as it was, inputs kept."""
        card_id = event.state.get("card")
        outcome: Outcome | None = await self.host.outcome(receipt, FORM_SETTLE_SECONDS)
        if not card_id or outcome is None or not (outcome.form_accepted or outcome.form_errors):
            return
        form = inbound.submitted_form(activity)
        if form is None:
            return
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
    async def _connector(self, service_url: str) -> ConnectorClient:
        """One connector per service URL; botbuilder fetches its tokens when an app id is set."""
        client = self._connectors.get(service_url)
        if client is None:
            factory = self.auth.create_connector_factory(self.cloud.create_claims_identity(self.app_id))
            client = await factory.create(service_url, None)
            client.config.retry_policy.retries = 0  # the sender retries, with pacing and jitter
            self._connectors[service_url] = client
        return client

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

    async def send(self, place: Place, outgoing: Outgoing) -> Sent:
        if place.direct and not place.channel and place.to_user:
            ref = await self.book.personal(place.to_user, place.tenant)  # opened once, then kept
        else:
            ref = await self.book.find(place.channel, place.tenant)
        try:
            return Sent(await self._send(ref, place, outgoing), ref.conversation_id)
        except Unreachable as e:
            if ref.kind == "personal":  # say who, so coordinators reading /cop deliveries know whom to ask
                raise Unreachable(f"Teams member {ref.user_id} cannot be reached (Cultivate removed?): {e}") from None
            raise

    async def _send(self, ref: ConversationRef, place: Place, outgoing: Outgoing) -> str | None:
        first: str | None = None
        for n, activity in enumerate(render.activities(outgoing.message)):
            activity = self._addressed(ref, activity)
            if n:
                await asyncio.sleep(self.interval)  # a long message's parts keep the conversation's pace
            if outgoing.replaces and n == 0:
                await self.sender.update(ref.service_url, ref.conversation_id, outgoing.replaces, activity)
                sent: str | None = outgoing.replaces
            else:
                sent = await self.sender.send(ref.service_url, ref.conversation_id, activity, reply_to=place.thread)
            first = first or sent
        return first

    def pacing(self, place: Place, outgoing: Outgoing) -> float:
        return self.interval  # about seven messages a second per conversation

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
        name = shapes.name(member, "name")
        return Profile(display_name=name, timezone=None) if name else None

    async def open_form(self, actor: Actor, form: Form, trigger: str | None) -> bool:
        """A card with inputs in the member's personal chat (a form in a channel would be seen by everyone)."""
        try:
            ref = await self.book.personal(actor.user_id, actor.tenant)
            card = {
                "type": "message",
                "summary": form.title[: render.MAX_SUMMARY],
                "attachments": [render.attachment(render.form_card(form))],
            }
            await self.sender.send(ref.service_url, ref.conversation_id, self._addressed(ref, card))
        except DeliveryError as e:
            log.info("form card not sent (%s); asking field by field", e)
            return False
        return True

    async def close(self) -> None:
        await self.settled()
        for client in self._connectors.values():
            try:
                await client.close()
            except Exception:
                log.debug("closing a connector failed", exc_info=True)


class _Turn:
    """The bot botbuilder calls back for one request, carrying the activity as it arrived."""

    def __init__(self, adapter: TeamsAdapter, activity: dict[str, Any]) -> None:
        self.adapter = adapter
        self.activity = activity

    async def on_turn(self, turn: TurnContext) -> None:
        await self.adapter.on_turn(turn, self.activity)

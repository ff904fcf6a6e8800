"""Wires a Bot Framework SDK (adapters.teams.sdk: botbuilder or the Microsoft 365 Agents SDK) to the core's journal
at POST /api/messages (an activity is journaled before it is answered), and carries the core's messages back through
the Bot Connector, using conversation references kept in the database. Tokens are checked by adapters.teams.auth,
whichever the SDK."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from aiohttp import web

from adapters import shapes
from adapters.teams import inbound, render, shape
from adapters.teams import sdk as teams_sdk
from adapters.teams.auth import TokenCheck, Unauthorized
from adapters.teams.conversations import ConversationBook
from adapters.teams.keys import SigningKeys
from adapters.teams.sdk import BadActivity, Connector
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

    def __init__(
        self,
        host: Host,
        *,
        interval: float = PER_CONVERSATION_INTERVAL,
        signing_keys: SigningKeys | None = None,
    ) -> None:
        settings = host.settings
        assert settings.teams_app_id or settings.teams_local_no_auth
        self.host = host
        self.settings = settings
        self.interval = interval
        self.sessions = host.sessions
        self.clock = host.clock
        self.app_id = settings.teams_app_id or ""
        self.sdk = teams_sdk.load(settings)
        # No app id: authentication off, allowed only with TEAMS_LOCAL_NO_AUTH (settings).
        self.tokens = TokenCheck(self.app_id, (signing_keys or SigningKeys()) if self.app_id else None)
        self.sender = TeamsSender(self._connector)
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
        if (unreadable := shape.unreadable(raw)) is not None:
            log.warning("refused a request to %s from %s: %s (400)", MESSAGES_PATH, request.remote, unreadable)
            return web.Response(status=400, text="not an activity")
        try:
            identity = await self.tokens.identify(request.headers.get("Authorization"), raw)
        except Unauthorized as e:
            log.info("Teams request refused (401): %s", e)
            raise web.HTTPUnauthorized() from None
        if raw.get("type") == "invoke":
            # Cultivate offers nothing invoked (Action.Execute, message extensions): acknowledged, nothing done,
            # rather than an SDK's 501 for an invoke nobody answered.
            return web.json_response({}, status=200)
        try:
            answer = await self.sdk.turn(identity, raw, self.on_activity)
        except BadActivity as e:
            log.info("Teams request refused (400): %s", e)
            return web.Response(status=400, text="not an activity")
        except DatabaseUnavailable:
            return web.Response(status=503, text="try again")  # nothing was kept: the channel may send it again
        if answer is not None:
            return web.json_response(answer.body, status=answer.status)
        return web.Response(status=201)

    async def on_activity(self, activity: dict[str, Any], reference: dict[str, Any]) -> None:
        """One authenticated activity, within the SDK's turn. Read from the request's JSON: an SDK's model may drop
        what it does not declare (a mention's `mentioned`, Teams' channelData details)."""
        if not inbound.answerable(activity):
            return  # no address to answer at (nor to remember): nothing Cultivate can do with it
        await self.book.capture(activity, reference)
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
        await self.sdk.close()
        await self.tokens.close()

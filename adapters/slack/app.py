"""Wires Bolt's listeners to the core's journal — each event is written before Slack is acknowledged — and carries
the core's messages back to Slack."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import replace
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient

from adapters import shapes
from adapters.slack import door, inbound, render, shape
from adapters.slack.sender import PER_CHANNEL_INTERVAL, SlackSender, web_client
from bot.events import Actor, Event, Place
from bot.forms import Form
from bot.host import Host
from bot.i18n import _
from bot.intake import DatabaseUnavailable, Receipt
from bot.messages import Outgoing
from bot.platform import Capability, DeliveryError, Profile, Sent

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
VIEW_ACK_BUDGET = 2.5  # seconds of Slack's 3 spent checking a form before acking it


class SlackAdapter:
    platform = inbound.PLATFORM
    capabilities = frozenset(
        {Capability.FORMS, Capability.BUTTONS, Capability.THREADS, Capability.EPHEMERAL, Capability.UPDATES}
    )

    def __init__(
        self,
        host: Host,
        *,
        client: AsyncWebClient | None = None,
        channel_interval: float = PER_CHANNEL_INTERVAL,
    ) -> None:
        settings = host.settings
        assert settings.slack_bot_token is not None
        self.host = host
        self.settings = settings
        # One HTTP session for all Web API calls (made here, inside the running loop; closed in close()).
        self._session = aiohttp.ClientSession() if client is None else None
        self.client = client or web_client(settings.slack_bot_token, settings.slack_api_url, self._session)
        self.sender = SlackSender(self.client)
        self.channel_interval = channel_interval
        # process_before_response: a listener finishes (the event is journaled) before Bolt acknowledges Slack;
        # events are not acknowledged first, and nothing polls for the ack.
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret or "",
            # The door (door.admit) has checked the signature on the raw bytes already; once is enough.
            request_verification_enabled=False,
            process_before_response=True,
            name="cultivate",
        )
        self._socket: Any = None
        self.view_ack_budget = VIEW_ACK_BUDGET
        self._listen()

    # -- inbound -------------------------------------------------------------------------------
    def _listen(self) -> None:
        app = self.bolt

        @app.command("/cop")
        async def on_command(ack: Any, body: dict[str, Any]) -> None:
            command = inbound.command(body)
            try:
                if command is not None:
                    await self.host.submit(command)
            except DatabaseUnavailable:
                # Slack does not retry a slash command: say so in the answer itself.
                await ack(text=_("Cultivate cannot reach its database; try again in a minute."))
                return
            await ack()  # within 3 s; the work happens after

        @app.event("app_mention")
        @app.event("message")
        @app.event("member_joined_channel")
        @app.event("team_join")
        async def on_event(ack: Any, body: dict[str, Any], context: Any) -> None:
            event = inbound.event(body, context.get("bot_user_id"))
            if event is not None:
                await self._submit(event)  # not acknowledged unless kept: Slack retries
            await ack()

        @app.action(re.compile(".+"))
        async def on_action(ack: Any, body: dict[str, Any]) -> None:
            pressed = inbound.block_action(body) if body.get("type") == "block_actions" else None
            if pressed is not None:
                await self._submit(pressed)
            await ack()

        @app.view(re.compile(".+"))
        async def on_submission(ack: Any, body: dict[str, Any]) -> None:
            # Answered before the ack when it can be, so errors show inline in the modal; answers go to the DM.
            submitted = inbound.view_submission(body)
            if submitted is None:
                await ack()  # not a form of ours, or nobody to answer: closed quietly
                return
            user = submitted.actor.user_id
            event = replace(submitted, place=Place.direct_to(self.platform, submitted.actor.tenant, user))
            receipt = await self._submit(event, want_outcome=True)
            outcome = await self.host.outcome(receipt, self.view_ack_budget)
            if outcome is None and not receipt.duplicate:
                log.info("form %s not handled within %ss; acked before it was", event.form_id, self.view_ack_budget)
            if outcome is not None and outcome.form_errors:
                await ack(response_action="errors", errors=outcome.form_errors)
            else:
                await ack()

        @app.error
        async def on_error(error: Exception) -> None:
            if isinstance(error, DatabaseUnavailable):
                return  # the intake has said so once; Slack gets a 5xx and sends the event again
            log.error("a Slack request failed: %s: %s", type(error).__name__, str(error)[:300], exc_info=error)

    async def _submit(self, event: Event, *, want_outcome: bool = False) -> Receipt:
        """Journal the event; if the database cannot take it, the request fails so Slack sends it again."""
        return await self.host.submit(event, want_outcome=want_outcome)

    async def handle_http(self, request: web.Request) -> web.Response:
        """POST /slack/events: commands, events and interactivity on one URL. Checked (size, signature, encoding,
        shape) before Bolt reads it; what fails gets a 4xx and one short log line."""
        try:
            admitted = await door.admit(request, self.settings.slack_signing_secret)
        except door.Refused as e:
            log.warning("refused a request to %s from %s: %s (%d)", EVENTS_PATH, request.remote, e.reason, e.status)
            return web.Response(status=e.status, text=e.reason)
        unreadable = shape.unreadable(admitted.body)
        if unreadable is not None:
            # Signed, so from Slack: acknowledged (Slack would retry or show an error), and left alone.
            log.warning("ignored a signed Slack payload Bolt cannot read: %s", unreadable)
            return web.Response(status=200)
        bolt_request = AsyncBoltRequest(body=admitted.text, query=request.query_string, headers=dict(request.headers))
        return await to_aiohttp_response(await self.bolt.async_dispatch(bolt_request))

    def routes(self) -> list[web.RouteDef]:
        return [web.post(EVENTS_PATH, self.handle_http)]

    async def start(self) -> None:
        """Socket Mode when an app token is set: Slack pushes over a websocket, no public URL needed."""
        if self.settings.slack_app_token:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self._socket = AsyncSocketModeHandler(self.bolt, self.settings.slack_app_token)
            await self._socket.connect_async()

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()
        if self._session is not None:
            await self._session.close()

    # -- outbound ------------------------------------------------------------------------------
    async def send(self, place: Place, outgoing: Outgoing) -> Sent:
        # A direct message may be addressed by user id: chat.postMessage delivers it to the app's DM with them,
        # with no conversations.open (a Tier 3 method) per member.
        channel = place.channel or place.to_user or ""
        first: str | None = None
        landed: str | None = None
        for n, payload in enumerate(render.payloads(outgoing.message)):
            if n:
                await asyncio.sleep(self.pacing(place, outgoing))  # a long message's parts keep the channel's pace
            if outgoing.replaces and n == 0:
                data = await self.sender.call("chat.update", channel=channel, ts=outgoing.replaces, **payload)
            elif outgoing.only_for and not place.direct:
                data = await self.sender.call(
                    "chat.postEphemeral", channel=channel, user=outgoing.only_for, **_thread(place), **payload
                )
            else:
                data = await self.sender.call("chat.postMessage", channel=channel, **_thread(place), **payload)
            first = first or data.get("ts") or data.get("message_ts")
            landed = landed or data.get("channel")
        return Sent(first, landed)

    def pacing(self, place: Place, outgoing: Outgoing) -> float:
        """About one message a second per channel; answers only one member sees are not counted that way."""
        return 0.0 if outgoing.only_for and not place.direct else self.channel_interval

    async def open_form(self, actor: Actor, form: Form, trigger: str | None) -> bool:
        if not trigger:
            return False
        try:
            await self.sender.call("views.open", trigger_id=trigger, view=render.modal(form, {"direct": True}))
        except DeliveryError as e:
            # An expired trigger (over 3 s old) is normal after slow work: the core asks in DM instead.
            log.info("modal not opened (%s); asking field by field", e)
            return False
        return True

    async def profile(self, user_id: str, tenant: str) -> Profile | None:
        data = await self.sender.call("users.info", user=user_id, include_locale=True)
        user = shapes.obj(data, "user")
        names = shapes.obj(user, "profile")
        name = (
            shapes.name(names, "display_name")
            or shapes.name(names, "real_name")
            or shapes.name(user, "real_name")
            or shapes.name(user, "name")
        )
        return Profile(
            display_name=name, timezone=shapes.zone(user.get("tz")), locale=shapes.locale(user.get("locale"))
        )


def _thread(place: Place) -> dict[str, str]:
    return {"thread_ts": place.thread} if place.thread else {}

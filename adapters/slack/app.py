"""Wires Bolt's listeners to the core dispatcher, and carries the core's messages back to Slack."""

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
from adapters.slack.sender import SlackSender, web_client
from bot.dispatcher import Dispatcher
from bot.events import Actor, Event, Place
from bot.forms import Form
from bot.messages import Outgoing
from bot.platform import Capability, DeliveryError, Profile
from bot.settings import Settings

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
        settings: Settings,
        dispatcher: Dispatcher,
        *,
        client: AsyncWebClient | None = None,
        channel_interval: float | None = None,
    ) -> None:
        assert settings.slack_bot_token is not None
        self.settings = settings
        self.dispatcher = dispatcher
        # One HTTP session for all Web API calls (made here, inside the running loop; closed in close()).
        self._session = aiohttp.ClientSession() if client is None else None
        self.client = client or web_client(settings.slack_bot_token, settings.slack_api_url, self._session)
        self.sender = (
            SlackSender(self.client) if channel_interval is None else SlackSender(self.client, channel_interval)
        )
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret or "",
            request_verification_enabled=settings.slack_signing_secret is not None,
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
            await ack()  # within 3 s; the work happens after
            command = inbound.command(body)
            if command is not None:
                await self._dispatch(command)

        @app.event("app_mention")
        @app.event("message")
        @app.event("member_joined_channel")
        @app.event("team_join")
        async def on_event(ack: Any, body: dict[str, Any], context: Any) -> None:
            await ack()
            event = inbound.event(body, context.get("bot_user_id"))
            if event is not None:
                await self._dispatch(event)

        @app.action(re.compile(".+"))
        async def on_action(ack: Any, body: dict[str, Any]) -> None:
            await ack()
            pressed = inbound.block_action(body) if body.get("type") == "block_actions" else None
            if pressed is not None:
                await self._dispatch(pressed)

        @app.view(re.compile(".+"))
        async def on_submission(ack: Any, body: dict[str, Any]) -> None:
            # Checked before the ack, so errors show inline in the modal. Answers go to the member's DM.
            submitted = inbound.view_submission(body)
            if submitted is None:
                await ack()  # not a form of ours, or nobody to answer: closed quietly
                return
            event = replace(submitted, place=await self.direct_place(submitted.actor.user_id, submitted.actor.tenant))
            work = asyncio.ensure_future(self.dispatcher.handle(event))
            try:
                # Slack drops a view submission not acked within 3 s; what the form does after that goes on unseen.
                outcome = await asyncio.wait_for(asyncio.shield(work), timeout=self.view_ack_budget)
            except TimeoutError:
                log.warning(
                    "form %s took longer than %ss; acked before it finished", event.form_id, self.view_ack_budget
                )
                await ack()
                await work
                return
            if outcome.form_errors:
                await ack(response_action="errors", errors=outcome.form_errors)
            else:
                await ack()

    async def _dispatch(self, event: Event) -> None:
        await self.dispatcher.handle(event)

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
    async def send(self, place: Place, outgoing: Outgoing) -> str | None:
        first: str | None = None
        for n, payload in enumerate(render.payloads(outgoing.message)):
            if outgoing.replaces and n == 0:
                data = await self.sender.call("chat.update", channel=place.channel, ts=outgoing.replaces, **payload)
            elif outgoing.only_for and not place.direct:
                data = await self.sender.call(
                    "chat.postEphemeral", channel=place.channel, user=outgoing.only_for, **_thread(place), **payload
                )
            else:
                data = await self.sender.call("chat.postMessage", channel=place.channel, **_thread(place), **payload)
            first = first or data.get("ts") or data.get("message_ts")
        return first

    async def direct_place(self, user_id: str, tenant: str) -> Place:
        return Place(self.platform, tenant, await self.sender.open_dm(user_id), direct=True)

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
        data = await self.sender.call("users.info", user=user_id)
        user = shapes.obj(data, "user")
        names = shapes.obj(user, "profile")
        name = (
            shapes.name(names, "display_name")
            or shapes.name(names, "real_name")
            or shapes.name(user, "real_name")
            or shapes.name(user, "name")
        )
        return Profile(display_name=name, timezone=shapes.zone(user.get("tz")))


def _thread(place: Place) -> dict[str, str]:
    return {"thread_ts": place.thread} if place.thread else {}

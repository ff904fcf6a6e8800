"""The seam on the Microsoft 365 Agents SDK for Python (microsoft-agents-*, botbuilder's maintained successor): its
CloudAdapter runs the turn, its ConnectorClient calls the Bot Connector with tokens from its MSAL connection manager,
configured from the operators' MicrosoftApp* settings. Inbound tokens are checked by adapters.teams.auth: the SDK's
own validator does not block the loop (PyJWKClient in a thread) but waits up to 30 s per key read, one request at a
time behind a lock, at fixed Microsoft addresses."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import aiohttp
import jwt
from microsoft_agents.activity import Activity, ConversationParameters, load_configuration_from_env
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import AuthenticationConstants, ClaimsIdentity, TurnContext
from microsoft_agents.hosting.core.connector.client import ConnectorClient, UserTokenClient
from pydantic import ValidationError

from adapters.teams.auth import Identity
from adapters.teams.sdk import BadActivity, ConnectorError, ConnectorOffline, InvokeAnswer, OnActivity
from bot.settings import Settings

T = TypeVar("T")
log = logging.getLogger(__name__)

BOT_CONNECTOR = "https://api.botframework.com"  # the audience of tokens that call the Bot Connector
SERVICE_CONNECTION = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
CALL_TIMEOUT = 30.0  # seconds per Bot Connector call; the sender retries
TOKEN_TIMEOUT = 30.0  # seconds to get a token from Entra
RENEW_BEFORE = 300.0  # a token is renewed this many seconds before it expires


def configuration(settings: Settings) -> dict[str, Any]:
    """The operators' MicrosoftApp* settings as the Agents SDK's configuration: what its samples read from
    CONNECTIONS__SERVICE_CONNECTION__SETTINGS__* variables."""
    kind = (settings.teams_app_type or "MultiTenant").casefold()
    values = {
        "CLIENTID": settings.teams_app_id,
        "CLIENTSECRET": settings.teams_app_password,
        # botbuilder asks the botframework.com tenant for a multi-tenant bot's tokens; so does this
        "TENANTID": "botframework.com" if kind == "multitenant" else settings.teams_tenant_id,
        "AUTHTYPE": "UserManagedIdentity" if kind == "userassignedmsi" else "ClientSecret",
    }
    return load_configuration_from_env({SERVICE_CONNECTION + name: v for name, v in values.items() if v})


class AgentsSdk:
    name = "agents"

    def __init__(self, settings: Settings) -> None:
        self.app_id = settings.teams_app_id or ""
        # The SDK logs each send at INFO, conversation ids included; the sender logs what an operator needs.
        logging.getLogger("microsoft_agents").setLevel(logging.WARNING)
        self.tokens = Tokens(MsalConnectionManager(**configuration(settings))) if self.app_id else None
        self.cloud = CloudAdapter(channel_service_client_factory=TurnClients())
        # The SDK's default sends the exception's text to the member; a failing turn is a 500 the channel retries.
        self.cloud.on_turn_error = None
        self._connectors: dict[str, AgentsConnector] = {}

    async def turn(self, identity: Identity, activity: dict[str, Any], on_activity: OnActivity) -> InvokeAnswer | None:
        try:
            typed = _typed(activity)
        except ValueError as e:
            raise BadActivity(str(e)[:200]) from None
        claims = ClaimsIdentity(dict(identity.claims), "anonymous" if identity.anonymous else "Bearer")

        async def logic(turn: TurnContext) -> None:
            try:
                reference = turn.activity.get_conversation_reference()
            except ValidationError:
                # No recipient or service URL: nothing can be sent back there, so nothing is worth remembering.
                await on_activity(activity, {})
                return
            await on_activity(activity, reference.model_dump(mode="json", by_alias=True, exclude_none=True))

        invoke = await self.cloud.process_activity(claims, typed, logic)
        return InvokeAnswer(invoke.status, invoke.body) if invoke is not None else None

    async def connector(self, service_url: str) -> AgentsConnector:
        connector = self._connectors.get(service_url)
        if connector is None:
            connector = self._connectors[service_url] = AgentsConnector(service_url, self.tokens)
        return connector

    async def close(self) -> None:
        for connector in self._connectors.values():
            await connector.close()


class TurnClients:
    """The clients the SDK gives each turn (its ChannelServiceClientFactoryBase). Cultivate answers after the ack,
    through the sender, so they are never used: they are made without tokens, where the SDK's default factory would
    fetch two from Entra before each ack."""

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClient:
        return ConnectorClient(service_url, "")

    async def create_user_token_client(
        self, context: TurnContext, claims_identity: ClaimsIdentity, use_anonymous: bool = False
    ) -> UserTokenClient:
        # Without authentication there is no app id; the SDK warns on each turn without one.
        app_id = claims_identity.get_app_id() or "anonymous"
        return UserTokenClient(AuthenticationConstants.AGENTS_SDK_OAUTH_URL, "", app_id=app_id)


class Tokens:
    """Bearer tokens for the Bot Connector from the SDK's MSAL connection, kept until shortly before they expire."""

    def __init__(self, connections: MsalConnectionManager) -> None:
        self.connections = connections
        self._token = ""
        self._expires = 0.0
        self._lock = asyncio.Lock()

    async def bearer(self) -> str:
        async with self._lock:
            if self._token and self._expires - time.time() > RENEW_BEFORE:
                return self._token
            provider = self.connections.get_default_connection()

            def fetch() -> str:
                # MsalAuth builds its MSAL client (a blocking HTTP discovery) on the loop that calls it: give it a
                # loop of its own in a worker thread, so that no request of ours waits on Entra.
                return asyncio.run(provider.get_access_token(BOT_CONNECTOR, [f"{BOT_CONNECTOR}/.default"]))

            try:
                token = await asyncio.wait_for(asyncio.to_thread(fetch), TOKEN_TIMEOUT)
            except Exception as e:  # MSAL, requests and the SDK each raise their own
                raise ConnectorOffline(f"no token for the Bot Connector: {type(e).__name__}: {str(e)[:200]}") from e
            self._token, self._expires = token, _expiry(token)
            return token


def _expiry(token: str) -> float:
    try:
        return float(jwt.decode(token, options={"verify_signature": False})["exp"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return time.time() + 600  # not a JWT we can read: ask again in ten minutes


class AgentsConnector:
    def __init__(self, service_url: str, tokens: Tokens | None) -> None:
        base = service_url if service_url.endswith("/") else service_url + "/"
        # A session of our own, for a timeout (the SDK's has none) and a token renewed in place.
        self.session = aiohttp.ClientSession(base_url=base, timeout=aiohttp.ClientTimeout(total=CALL_TIMEOUT))
        self.client = ConnectorClient(base, "", session=self.session)
        self.tokens = tokens

    async def _call(self, call: Callable[[ConnectorClient], Awaitable[T]]) -> T:
        """The one place the SDK's exceptions become the seam's."""
        if self.tokens is not None:
            self.session.headers["Authorization"] = f"Bearer {await self.tokens.bearer()}"
        try:
            return await call(self.client)
        except aiohttp.ClientResponseError as e:
            raise ConnectorError(e.status, _reason(e.message), _retry_after(e.headers)) from None
        except (aiohttp.ClientError, TimeoutError, OSError) as e:
            raise ConnectorOffline(f"{type(e).__name__}: {e}") from None

    async def send(self, conversation_id: str, activity: dict[str, Any]) -> str | None:
        outgoing = _typed(activity)
        sent = await self._call(lambda c: c.conversations.send_to_conversation(conversation_id, outgoing))
        return sent.id

    async def reply(self, conversation_id: str, reply_to: str, activity: dict[str, Any]) -> str | None:
        outgoing = _typed(activity)
        sent = await self._call(lambda c: c.conversations.reply_to_activity(conversation_id, reply_to, outgoing))
        return sent.id

    async def update(self, conversation_id: str, activity_id: str, activity: dict[str, Any]) -> None:
        outgoing = _typed(activity)
        await self._call(lambda c: c.conversations.update_activity(conversation_id, activity_id, outgoing))

    async def create_conversation(self, parameters: dict[str, Any]) -> str | None:
        typed = ConversationParameters.model_validate(parameters)
        created = await self._call(lambda c: c.conversations.create_conversation(typed))
        return created.id

    async def member(self, conversation_id: str, user_id: str) -> dict[str, Any]:
        account = await self._call(lambda c: c.conversations.get_conversation_member(conversation_id, user_id))
        found: dict[str, Any] = account.model_dump(mode="json", by_alias=True, exclude_none=True)
        return found

    async def close(self) -> None:
        await self.session.close()


def _typed(activity: dict[str, Any]) -> Activity:
    # The SDK's types refuse an empty string where botbuilder's took one (a continuation card's summary, say);
    # an empty field says nothing, so it is left out.
    return Activity.model_validate({key: value for key, value in activity.items() if value != ""})


def _reason(body: str) -> str:
    """The Bot Connector's error message from its JSON answer ({"error": {"message": ...}}), else the text."""
    try:
        message = json.loads(body)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        message = body
    return str(message)[:200]


def _retry_after(headers: Mapping[str, str] | None) -> float | None:
    try:
        return float(headers["Retry-After"]) if headers and "Retry-After" in headers else None
    except ValueError:
        return None

"""The seam on botbuilder-python 4.17 (archived; its last line): CloudAdapter runs the turn, its ConnectorClient
calls the Bot Connector. botbuilder's own token check is bypassed: the request arrives checked by adapters.teams.auth,
because botbuilder's reads Microsoft's keys with a blocking, unbounded `requests.get` on the event loop."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from types import SimpleNamespace
from typing import Any, TypeVar

from azure.core.exceptions import DeserializationError  # what msrest raises for a shape it cannot read
from botbuilder.core import TurnContext, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity, CallerIdConstants, ConversationParameters, ErrorResponseException
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import AuthenticateRequestResult, AuthenticationConstants, ClaimsIdentity
from msrest.exceptions import ClientRequestError

from adapters.teams.auth import Identity
from adapters.teams.sdk import BadActivity, ConnectorError, ConnectorOffline, InvokeAnswer, OnActivity
from bot.settings import Settings

T = TypeVar("T")
log = logging.getLogger(__name__)


class BotbuilderSdk:
    name = "botbuilder"

    def __init__(self, settings: Settings) -> None:
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
        self._connectors: dict[str, BotbuilderConnector] = {}

    async def turn(self, identity: Identity, activity: dict[str, Any], on_activity: OnActivity) -> InvokeAnswer | None:
        try:
            typed = Activity().deserialize(activity)
        except DeserializationError as e:
            raise BadActivity(str(e)[:200]) from None
        claims = ClaimsIdentity(
            identity.claims, True, AuthenticationConstants.ANONYMOUS_AUTH_TYPE if identity.anonymous else "Bearer"
        )
        # What botbuilder's own authenticate_request would give for this identity, minus its blocking check.
        checked = AuthenticateRequestResult()
        checked.claims_identity = claims
        checked.audience = AuthenticationConstants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE
        checked.caller_id = None if identity.anonymous else CallerIdConstants.public_azure_channel
        checked.connector_factory = self.auth.create_connector_factory(claims)

        async def logic(turn: TurnContext) -> None:
            await on_activity(activity, TurnContext.get_conversation_reference(turn.activity).serialize())

        invoke = await self.cloud.process_activity(checked, typed, logic)
        return InvokeAnswer(invoke.status, serializer_helper(invoke.body)) if invoke else None

    async def connector(self, service_url: str) -> BotbuilderConnector:
        """One connector per service URL; botbuilder fetches its tokens when an app id is set."""
        connector = self._connectors.get(service_url)
        if connector is None:
            factory = self.auth.create_connector_factory(self.cloud.create_claims_identity(self.app_id))
            client = await factory.create(service_url, None)
            client.config.retry_policy.retries = 0  # the sender retries, with pacing and jitter
            connector = self._connectors[service_url] = BotbuilderConnector(client)
        return connector

    async def close(self) -> None:
        for connector in self._connectors.values():
            try:
                await connector.close()
            except Exception:
                log.debug("closing a connector failed", exc_info=True)


class BotbuilderConnector:
    def __init__(self, client: ConnectorClient) -> None:
        self.client = client

    async def send(self, conversation_id: str, activity: dict[str, Any]) -> str | None:
        sent = await _call(self.client.conversations.send_to_conversation(conversation_id, _activity(activity)))
        return getattr(sent, "id", None)

    async def reply(self, conversation_id: str, reply_to: str, activity: dict[str, Any]) -> str | None:
        sent = await _call(self.client.conversations.reply_to_activity(conversation_id, reply_to, _activity(activity)))
        return getattr(sent, "id", None)

    async def update(self, conversation_id: str, activity_id: str, activity: dict[str, Any]) -> None:
        await _call(self.client.conversations.update_activity(conversation_id, activity_id, _activity(activity)))

    async def create_conversation(self, parameters: dict[str, Any]) -> str | None:
        created = await _call(
            self.client.conversations.create_conversation(ConversationParameters().deserialize(parameters))
        )
        return getattr(created, "id", None)

    async def member(self, conversation_id: str, user_id: str) -> dict[str, Any]:
        account = await _call(self.client.conversations.get_conversation_member(conversation_id, user_id))
        return dict(account.serialize()) if account is not None else {}

    async def close(self) -> None:
        await self.client.close()


def _activity(data: dict[str, Any]) -> Activity:
    return Activity().deserialize(data)


async def _call(call: Awaitable[T]) -> T:
    """The one place botbuilder's exceptions become the seam's."""
    try:
        return await call
    except ErrorResponseException as e:
        status = e.response.status_code if e.response is not None else 0
        raise ConnectorError(status, _reason(e), _retry_after(e)) from None
    except (TimeoutError, ClientRequestError, OSError) as e:
        raise ConnectorOffline(f"{type(e).__name__}: {e}") from None


def _retry_after(error: ErrorResponseException) -> float | None:
    headers = error.response.headers if error.response is not None else {}
    value = headers.get("Retry-After") if headers else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _reason(error: ErrorResponseException) -> str:
    inner = getattr(error, "error", None)
    message = getattr(getattr(inner, "error", None), "message", None)
    return str(message or error.message or "")[:200]

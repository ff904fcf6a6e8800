"""The seam between the Teams adapter and a Bot Framework SDK. Everything above it (translation, cards, conversation
references, pacing, token checks) is Cultivate's own; below it, an SDK runs an authenticated activity through its
turn and gives a connector per service URL. Activities cross the seam as the JSON the wire carries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from adapters.teams.auth import Identity
from bot.runtime import StartupError
from bot.settings import Settings

# The activity as it arrived, and its conversation reference in the Bot Framework's JSON shape.
OnActivity = Callable[[dict[str, Any], dict[str, Any]], Awaitable[None]]


class BadActivity(ValueError):
    """The SDK cannot read the request as an activity (a 400, not a 500)."""


class ConnectorError(Exception):
    """The Bot Connector answered with an error status."""

    def __init__(self, status: int, reason: str, retry_after: float | None = None) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason
        self.retry_after = retry_after


class ConnectorOffline(Exception):
    """No answer from the Bot Connector: refused, timed out, or no token to call it with."""


@dataclass(frozen=True)
class InvokeAnswer:
    """What an invoke activity is answered with, in the HTTP response itself."""

    status: int
    body: Any


class Connector(Protocol):
    """The Bot Connector calls Cultivate makes, for one service URL; failures raise ConnectorError/ConnectorOffline."""

    async def send(self, conversation_id: str, activity: dict[str, Any]) -> str | None: ...

    async def reply(self, conversation_id: str, reply_to: str, activity: dict[str, Any]) -> str | None: ...

    async def update(self, conversation_id: str, activity_id: str, activity: dict[str, Any]) -> None: ...

    async def create_conversation(self, parameters: dict[str, Any]) -> str | None: ...

    async def member(self, conversation_id: str, user_id: str) -> dict[str, Any]: ...


class TeamsSdk(Protocol):
    name: str

    async def turn(self, identity: Identity, activity: dict[str, Any], on_activity: OnActivity) -> InvokeAnswer | None:
        """Run an activity whose token was checked through the SDK's turn; `on_activity` is called within it."""
        ...

    async def connector(self, service_url: str) -> Connector:
        """The connector for a service URL, authenticated with the bot's credentials when it has them."""
        ...

    async def close(self) -> None: ...


def load(settings: Settings) -> TeamsSdk:
    """The SDK TEAMS_SDK names; StartupError when the Agents SDK is asked for but not installed."""
    if settings.teams_sdk == "agents":
        try:
            from adapters.teams.sdk_agents import AgentsSdk
        except ImportError as e:
            raise StartupError(
                f"TEAMS_SDK=agents needs the Microsoft 365 Agents SDK ({e.name} is missing): "
                "pip install 'cultivate-bot[teams-agents]'"
            ) from None
        return AgentsSdk(settings)
    from adapters.teams.sdk_botbuilder import BotbuilderSdk

    return BotbuilderSdk(settings)

"""On the Agents SDK, the tokens Cultivate calls the Bot Connector with come from the SDK's MSAL connection: fetched
off the event loop (MSAL blocks), reused until shortly before they expire, sent with every call, and a refusal from
Entra is a delivery failure the sender retries, not a crash."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import jwt
import pytest

from adapters.teams.sdk import ConnectorOffline
from adapters.teams.sdk_agents import AgentsConnector, Tokens
from tests.adapters.teams.fake_connector import FakeConnector


class BlockingEntra:
    """Stands for MsalAuth: its MSAL calls block the thread they run on."""

    def __init__(self) -> None:
        self.calls = 0
        self.refuse = False

    async def get_access_token(self, resource: str, scopes: list[str], force_refresh: bool = False) -> str:
        self.calls += 1
        time.sleep(0.3)  # noqa: ASYNC251 (MSAL's blocking HTTP, which is the point)
        if self.refuse:
            raise ValueError("AADSTS7000215: Invalid client secret provided")
        return jwt.encode(
            {"aud": resource, "exp": int(time.time()) + 3600, "n": self.calls}, "k" * 32, algorithm="HS256"
        )


class Connections:
    def __init__(self, entra: BlockingEntra) -> None:
        self.entra = entra

    def get_default_connection(self) -> BlockingEntra:
        return self.entra


@pytest.fixture
async def fake() -> AsyncIterator[FakeConnector]:
    connector = FakeConnector()
    await connector.start()
    yield connector
    await connector.close()


async def test_tokens_are_fetched_off_the_loop_reused_and_sent_with_every_call(fake: FakeConnector) -> None:
    entra = BlockingEntra()
    tokens = Tokens(Connections(entra))  # type: ignore[arg-type]
    assert fake.server is not None
    connector = AgentsConnector(str(fake.server.make_url("")), tokens)
    ticks: list[float] = []

    async def tick() -> None:
        while True:
            started = time.monotonic()
            await asyncio.sleep(0.01)
            ticks.append(time.monotonic() - started)

    ticker = asyncio.create_task(tick())
    try:
        message = {"type": "message", "text": "hi", "from": {"id": "28:bot"}}
        await asyncio.gather(*(connector.send(f"a:{n}", message) for n in range(3)))
        assert entra.calls == 1, "one token for all three, fetched once"
        bearer = await tokens.bearer()
        assert [c.authorization for c in fake.calls] == [f"Bearer {bearer}"] * 3
        assert max(ticks) < 0.2, f"the loop waited {max(ticks):.2f} s for Entra"

        entra.refuse, tokens._expires = True, 0.0  # the token is due for renewal, and Entra refuses
        with pytest.raises(ConnectorOffline, match="no token for the Bot Connector: ValueError: AADSTS7000215"):
            await connector.send("a:1", message)
        assert len(fake.calls) == 3
    finally:
        ticker.cancel()
        await connector.close()

"""What every local fake of a platform's HTTP API shares: a server of its own on 127.0.0.1, and the calls it
answered, to be read (and waited for) by the tests."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from aiohttp import web
from aiohttp.test_utils import TestServer


class Recorded(Protocol):
    method: str


C = TypeVar("C", bound=Recorded)


@dataclass
class RecordingServer(Generic[C]):
    calls: list[C] = field(default_factory=list)
    server: TestServer | None = None

    async def serve(self, app: web.Application, path: str = "") -> str:
        """Start the fake; returns its base URL (with `path`)."""
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return str(self.server.make_url(path))

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def called(self, method: str) -> list[C]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10) -> list[C]:
        """Work runs after the platform's request is answered: wait (bounded) until the calls have arrived."""
        for _ in range(int(timeout / 0.02)):
            if len(self.called(method)) >= count:
                return self.called(method)
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {count} call(s) to {method}, got {[_short(c) for c in self.calls]}")


def _short(call: Any) -> str:
    return f"{call.method} {getattr(call, 'conversation', '') or ''}".strip()

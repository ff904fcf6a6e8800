"""The fuzz suite: generated requests and payloads at every front door, on a fixed seed and a bounded number of
examples so CI time stays flat. It runs once, on SQLite: the doors are what it tests, not the database."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.databases import on_postgres
from tests.fuzz import tally

ONCE = pytest.mark.skipif(on_postgres(), reason="the fuzz suite runs once, in the SQLite run")

# Same examples every run (derandomize), nothing written to a .hypothesis database, no per-example deadline (a
# request may wait on SQLite), and the app built once per test rather than per example.
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
_LOCAL = ("127.0.0.1", "localhost", "::1", None)


@pytest.fixture(autouse=True)
def no_real_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing generated may make Cultivate (or an SDK) call a real Slack, Microsoft or Yammer host."""
    resolve = socket.getaddrinfo

    def local_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in _LOCAL and not str(host).startswith("127."):
            raise OSError(f"the fuzz suite calls no real host ({host})")
        return resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", local_only)


@pytest.fixture
def log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.INFO)
    yield caplog


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if tally.COUNTS:
        terminalreporter.section("fuzz: inputs tried and what went wrong")
        for line in tally.summary():
            terminalreporter.write_line(line)

"""`cultivate console --web`: the pages on loopback beside the console, so a newcomer sees them with no accounts."""

from __future__ import annotations

import re
import socket
import urllib.request
from collections.abc import Callable

from adapters.console.repl import run_console
from bot.settings import Settings
from flows import all_routines
from tests.web.site import SECRET, free_port
from web.routine import routine as web_routine


class Script:
    """Lines typed into the console; before typing `then`, `before_then` runs (in the console's input thread)."""

    def __init__(self, lines: list[str], before_last: Callable[[], None]) -> None:
        self.lines = lines
        self.before_last = before_last

    def readline(self) -> str:
        if not self.lines:
            return ""
        if len(self.lines) == 1:
            self.before_last()
        return self.lines.pop(0) + "\n"

    def isatty(self) -> bool:
        return False


async def test_the_console_serves_the_pages_and_its_link_opens_them(database_url: str) -> None:
    port = free_port()
    said: list[str] = []
    fetched: list[int] = []

    def open_the_link() -> None:
        link = re.search(r"http://127\.0\.0\.1:\d+/c/\S+/signin\?t=\S+", "\n".join(said))
        assert link is not None
        with urllib.request.urlopen(link[0], timeout=10) as answer:
            fetched.append(answer.status)

    settings = Settings(database_url=database_url, secret_key=SECRET, public_url=f"http://127.0.0.1:{port}")
    status = await run_console(
        settings,
        [*all_routines(), web_routine],
        name="Ada",
        community=None,
        stdin=Script(["/cop join", "/cop web", "/quit"], open_the_link),  # type: ignore[arg-type]
        write=said.append,
        interactive=False,
        web_port=port,
    )
    assert status == 0
    assert f"Web pages at http://127.0.0.1:{port}/c/" in "\n".join(said)
    assert fetched == [200]


async def test_a_busy_port_is_said_and_the_console_goes_on(database_url: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        said: list[str] = []
        status = await run_console(
            Settings(database_url=database_url, secret_key=SECRET),
            [*all_routines(), web_routine],
            name="Ada",
            community=None,
            stdin=Script(["/cop help", "/quit"], lambda: None),  # type: ignore[arg-type]
            write=said.append,
            interactive=False,
            web_port=port,
        )
    transcript = "\n".join(said)
    assert status == 0
    assert f"The web pages cannot use port {port}" in transcript and "going on without them" in transcript
    assert "/cop web" in transcript  # help was answered all the same

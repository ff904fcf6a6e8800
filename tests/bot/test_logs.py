"""Log lines stay readable and bounded whatever a record carries."""

from __future__ import annotations

import logging
import sys

from bot.logs import MAX_LINE, MAX_TRACEBACK_LINES, CappedFormatter, one_line

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def record(message: str, *args: object, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord("adapters.slack.app", logging.WARNING, __file__, 1, message, args, exc_info)  # type: ignore[arg-type]


def test_a_huge_message_becomes_one_capped_line() -> None:
    line = CappedFormatter(FORMAT).format(record("refused %s", "A" * 900_000))
    assert "\n" not in line and len(line) <= MAX_LINE and line.endswith("…")


def test_newlines_and_escapes_in_a_message_cannot_forge_a_line() -> None:
    line = CappedFormatter(FORMAT).format(record("user %s", "x\n2026-01-01 ERROR bot: forged\x1b[2J\x00"))
    assert "\n" not in line and "\\n2026-01-01 ERROR bot: forged\\x1b[2J\\x00" in line


def test_a_deep_traceback_keeps_its_end_and_each_line_is_capped() -> None:
    def ping(n: int) -> None:  # two functions in turn: Python folds only a frame repeated as it is
        if n:
            pong(n - 1)
        raise ValueError("v" * 5000)

    def pong(n: int) -> None:
        ping(n)

    try:
        ping(60)
    except ValueError:
        info = sys.exc_info()
    text = CappedFormatter(FORMAT).format(record("failed", exc_info=info))
    lines = text.split("\n")
    assert len(lines) <= MAX_TRACEBACK_LINES + 2 and all(len(line) <= MAX_LINE for line in lines)
    assert lines[-1].startswith("ValueError: vvv") and "lines left out" in lines[1]


def test_other_handlers_see_the_record_unchanged() -> None:
    original = record("body %s", "B" * 1000)
    CappedFormatter(FORMAT).format(original)
    assert original.getMessage() == "body " + "B" * 1000


def test_one_line_keeps_short_text_as_it_is() -> None:
    assert one_line("Zürich 🌍") == "Zürich 🌍" and one_line("abc", limit=2) == "a…"

"""What the log may hold after hostile input: no traceback, and every line short once formatted as `cultivate`
formats it."""

from __future__ import annotations

import logging

from bot.logs import CappedFormatter

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # as `cultivate serve` logs
LIMIT = 500  # characters a log line stays under, whatever came in


def tracebacks(records: list[logging.LogRecord]) -> list[logging.LogRecord]:
    return [r for r in records if r.exc_info or r.exc_text or "Traceback" in r.getMessage()]


def long_lines(records: list[logging.LogRecord]) -> list[str]:
    formatter = CappedFormatter(FORMAT)
    return [line for r in records for line in formatter.format(r).split("\n") if len(line) >= LIMIT]


def assert_quiet_and_short(records: list[logging.LogRecord]) -> None:
    """No traceback, every formatted line under LIMIT characters, and Cultivate's own messages short as written."""
    assert not tracebacks(records), [r.getMessage()[:200] for r in tracebacks(records)]
    assert not long_lines(records)
    ours = [r for r in records if r.name.split(".")[0] in ("adapters", "bot", "flows", "storage")]
    assert all(len(r.getMessage()) < LIMIT for r in ours), [r.getMessage()[:200] for r in ours]

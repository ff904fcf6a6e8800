"""Log lines an operator can read and a stranger cannot flood: every message on one line of at most MAX_LINE
characters (control characters shown escaped, so nothing typed can forge a line), tracebacks cut to their end."""

from __future__ import annotations

import logging
import re
from typing import TextIO

MAX_LINE = 480  # characters, the timestamp and level included
MAX_TRACEBACK_LINES = 40  # the end of a traceback says where it failed; its start is mostly the event loop
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def one_line(text: str, limit: int = MAX_LINE) -> str:
    """The text on one line, control characters escaped, cut at `limit` characters with the cut marked."""
    text = _CONTROL.sub(lambda m: repr(m[0])[1:-1], text[: limit + 1])
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CappedFormatter(logging.Formatter):
    """A formatter whose output is bounded whatever a record holds: a request body, a huge exception message."""

    def format(self, record: logging.LogRecord) -> str:
        copy = logging.makeLogRecord(record.__dict__)  # other handlers still see the record as it was
        copy.msg, copy.args = one_line(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            copy.exc_text = self.formatException(record.exc_info)
        lines = super().format(copy).split("\n")
        head, rest = lines[0], lines[1:]
        if len(rest) > MAX_TRACEBACK_LINES:
            rest = [f"… ({len(rest) - MAX_TRACEBACK_LINES} lines left out)", *rest[-MAX_TRACEBACK_LINES:]]
        return "\n".join(one_line(line) for line in (head, *rest))


def configure(level: int, fmt: str, stream: TextIO | None = None) -> None:
    """Log to `stream` (stderr by default) through the capped formatter; what `cultivate` calls at start."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(CappedFormatter(fmt))
    logging.basicConfig(level=level, handlers=[handler])

"""Saying once that the database is away, and once that it is back: not a log line every few seconds."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class OutageLog:
    def __init__(self, what: str) -> None:
        self.what = what
        self.down = False

    def failed(self, error: BaseException) -> None:
        if not self.down:
            self.down = True
            reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
            log.error("%s: the database cannot be reached (%s); retrying quietly until it answers", self.what, reason)

    def recovered(self) -> None:
        if self.down:
            self.down = False
            log.warning("%s: the database answers again", self.what)

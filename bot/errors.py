"""Errors a member can cause: they become answers, never stack traces."""

from __future__ import annotations


class Answer(Exception):
    """Stop the handler and tell the caller this sentence."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class UsageError(Answer):
    """The arguments do not fit the command; the caller gets the reason, the usage line and an example."""

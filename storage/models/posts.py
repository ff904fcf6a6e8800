"""Where a message the bot posted lives, kept with the record it shows (a request's card in each home channel)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, TypeDecorator


@dataclass(frozen=True)
class PostedCard:
    """One copy of a card: the platform, its tenant and channel, and the message's reference there. The reference
    is the outbox's logical id until the platform's own is known; either is resolved when the card is used."""

    platform: str
    tenant: str
    channel: str
    ref: str

    def to_json(self) -> dict[str, str]:
        return {"platform": self.platform, "tenant": self.tenant, "channel": self.channel, "ref": self.ref}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PostedCard:
        return cls(str(data["platform"]), str(data.get("tenant", "")), str(data["channel"]), str(data.get("ref", "")))


class PostedCards(TypeDecorator[list[PostedCard]]):
    """A list of PostedCard stored as JSON (the same shape as before it had a type)."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: list[PostedCard] | None, dialect: Any) -> list[dict[str, str]] | None:
        return None if value is None else [card.to_json() for card in value]

    def process_result_value(self, value: list[dict[str, Any]] | None, dialect: Any) -> list[PostedCard]:
        return [PostedCard.from_json(item) for item in value or []]

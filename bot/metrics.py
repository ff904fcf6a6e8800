"""Prometheus measures of the bot, in a registry of its own (no global state)."""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.events = Counter(
            "cultivate_events", "Inbound events handled", ["platform", "kind"], registry=self.registry
        )
        self.duplicates = Counter(
            "cultivate_duplicate_events",
            "Inbound events dropped as already processed",
            ["platform"],
            registry=self.registry,
        )
        self.errors = Counter(
            "cultivate_handler_errors", "Handlers that raised unexpectedly", ["kind"], registry=self.registry
        )
        self.handler_seconds = Histogram(
            "cultivate_handler_seconds", "Time to handle an inbound event", ["kind"], registry=self.registry
        )
        self.deliveries = Counter(
            "cultivate_deliveries", "Scheduled deliveries by outcome", ["kind", "outcome"], registry=self.registry
        )
        self.sent = Counter(
            "cultivate_messages_sent", "Messages handed to a platform", ["platform"], registry=self.registry
        )
        self.outbound = Counter(
            "cultivate_outbound",
            "Outbound messages by outcome (sent, retry, failed)",
            ["platform", "outcome"],
            registry=self.registry,
        )
        self.journaled = Counter(
            "cultivate_journaled_events", "Inbound events written to the journal", ["platform"], registry=self.registry
        )
        self.ack_refused = Counter(
            "cultivate_unjournaled_events",
            "Inbound events refused because the database could not take them (the platform retries)",
            ["platform"],
            registry=self.registry,
        )

    def exposition(self) -> bytes:
        return generate_latest(self.registry)

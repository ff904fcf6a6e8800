"""The community routines; each module declares one `routine` with decorators. They reach the core through the
`cultivate.routines` entry point (pyproject.toml), in this order — the order help lists them."""

from __future__ import annotations

from bot.registry import Routine
from flows import (
    aar,
    agenda,
    community,
    delivery_report,
    directory,
    discussion_life,
    discussions,
    help,
    introductions,
    library,
    peer_assist,
    preferences,
    recognition,
    stories,
    story_campaigns,
    webinar_after,
    webinars,
)

MODULES = (
    help,
    community,
    introductions,
    directory,
    peer_assist,
    agenda,
    discussions,
    discussion_life,
    webinars,
    webinar_after,
    recognition,
    stories,
    story_campaigns,
    library,
    aar,
    preferences,
    delivery_report,
)


def all_routines() -> list[Routine]:
    """Every routine this package ships, in the order help lists them."""
    return [module.routine for module in MODULES]

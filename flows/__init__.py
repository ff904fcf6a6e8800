"""The community routines; each module declares one `routine` with decorators. They reach the core through the
`cultivate.routines` entry point (pyproject.toml), in this order — the order help lists them."""

from __future__ import annotations

from bot.registry import Routine
from flows import (
    aar,
    agenda,
    checkin_answers,
    checkin_cycle,
    checkin_minutes,
    checkin_people,
    checkins,
    community,
    community_admin,
    delivery_report,
    directory,
    discussion_life,
    discussions,
    forget_me,
    health,
    help,
    introductions,
    invitations,
    library,
    link_proposals,
    linking,
    merge_communities,
    my_data,
    peer_assist,
    preferences,
    recognition,
    stories,
    story_campaigns,
    webinar_after,
    webinar_attendance,
    webinars,
    wol,
    wol_cycle,
)

MODULES = (
    help,
    community,
    community_admin,
    merge_communities,
    linking,
    link_proposals,
    introductions,
    directory,
    peer_assist,
    agenda,
    discussions,
    discussion_life,
    webinars,
    webinar_after,
    webinar_attendance,
    checkins,
    checkin_people,
    checkin_answers,
    checkin_minutes,
    checkin_cycle,
    wol,
    wol_cycle,
    recognition,
    stories,
    story_campaigns,
    library,
    aar,
    health,
    invitations,
    preferences,
    delivery_report,
    my_data,
    forget_me,
)


def all_routines() -> list[Routine]:
    """Every routine this package ships, in the order help lists them."""
    return [module.routine for module in MODULES]

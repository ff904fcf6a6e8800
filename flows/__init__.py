"""The community routines; each module declares one `routine` with decorators."""

from __future__ import annotations

from bot.registry import Routine


def all_routines() -> list[Routine]:
    """Every routine this build ships, in the order help lists them."""
    from flows import (
        aar,
        agenda,
        checkin_answers,
        checkin_cycle,
        checkin_minutes,
        checkin_people,
        checkins,
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
        wol,
        wol_cycle,
    )

    return [
        help.routine,
        community.routine,
        introductions.routine,
        directory.routine,
        peer_assist.routine,
        agenda.routine,
        discussions.routine,
        discussion_life.routine,
        webinars.routine,
        webinar_after.routine,
        checkins.routine,
        checkin_people.routine,
        checkin_answers.routine,
        checkin_minutes.routine,
        checkin_cycle.routine,
        wol.routine,
        wol_cycle.routine,
        recognition.routine,
        stories.routine,
        story_campaigns.routine,
        library.routine,
        aar.routine,
        preferences.routine,
        delivery_report.routine,
    ]

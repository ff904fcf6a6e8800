"""The community routines; each module declares one `routine` with decorators."""

from __future__ import annotations

from bot.registry import Routine


def all_routines() -> list[Routine]:
    """Every routine this build ships, in the order help lists them."""
    from flows import (
        aar,
        agenda,
        community,
        community_admin,
        delivery_report,
        directory,
        discussion_life,
        discussions,
        forget_me,
        help,
        introductions,
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
        webinars,
    )

    return [
        help.routine,
        community.routine,
        community_admin.routine,
        merge_communities.routine,
        linking.routine,
        link_proposals.routine,
        introductions.routine,
        directory.routine,
        peer_assist.routine,
        agenda.routine,
        discussions.routine,
        discussion_life.routine,
        webinars.routine,
        webinar_after.routine,
        recognition.routine,
        stories.routine,
        story_campaigns.routine,
        library.routine,
        aar.routine,
        preferences.routine,
        delivery_report.routine,
        my_data.routine,
        forget_me.routine,
    ]

"""Keeping members' names and timezones as their platform states them, re-read when the copy grows old."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.events import Actor
from bot.platform import DeliveryError, KnowsProfiles, Profile
from bot.services import Services
from storage.models import Member

log = logging.getLogger(__name__)
PROFILE_TTL = timedelta(hours=12)


async def refresh(services: Services, member: Member, actor: Actor, now: datetime) -> bool:
    """Ask the platform (if it can tell) for the member's name and timezone once the stored copy expires;
    True when the member was refreshed."""
    adapter: object = services.adapter(actor.platform)
    if not isinstance(adapter, KnowsProfiles):
        return False
    if member.refreshed_at is not None and now - member.refreshed_at < PROFILE_TTL:
        return False
    try:
        profile: Profile | None = await adapter.profile(actor.user_id, actor.tenant)
    except DeliveryError as e:
        log.warning("could not read the profile of %s on %s: %s", actor.user_id, actor.platform, e)
        return False
    if profile is not None:
        member.display_name = profile.display_name or member.display_name
        member.timezone = profile.timezone or member.timezone
        member.platform_locale = (profile.locale or "")[:16] or member.platform_locale
    member.refreshed_at = now
    return True

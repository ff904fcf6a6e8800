"""Yammer / Viva Engage as a plug-in (entry point `cultivate.adapters: yammer`): on when an access token is set."""

from __future__ import annotations

from adapters.yammer.app import YammerAdapter
from bot.host import Host
from bot.settings import Settings


class YammerPlatform:
    name = "yammer"

    def configured(self, settings: Settings) -> bool:
        return settings.yammer_on

    def create(self, host: Host) -> YammerAdapter:
        return YammerAdapter(host)


platform = YammerPlatform()

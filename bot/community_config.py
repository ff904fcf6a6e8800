"""Communities and their first coordinators, from the YAML file named by CULTIVATE_CONFIG.

communities:
  - slug: rtm
    name: Real-time monitoring
    domain: Monitoring systems in real time across four countries
    topics: [dashboards, alerting, data quality]
    timezone: Africa/Nairobi
    language: en              # messages to its members (a locale: en, fr, pt_BR, ...)
    channels: {slack: C0123, console: general}
    coordinators: ["slack:U0123", "console:amina"]
    channel_welcome: true     # also greet newcomers in the home channel, a batch at a time
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from babel import Locale, UnknownLocaleError

from bot.settings import SettingsError
from storage.communities import CommunitySpec

CONSOLE_CHANNEL = "general"


@dataclass(frozen=True)
class CommunityConfig:
    spec: CommunitySpec
    # "platform:user_id" of the first coordinators
    coordinators: tuple[str, ...] = ()


def language_code(text: str) -> str | None:
    """A language as a locale code ("en", "pt_BR"; "pt-br" is read as "pt_BR"), or None if Babel knows no such."""
    try:
        return str(Locale.parse(text.strip().replace("-", "_")))
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def default_communities() -> list[CommunityConfig]:
    """The built-in community the console starts in when no configuration is given."""
    spec = CommunitySpec(
        slug="practice",
        name="Community of Practice",
        domain="A place to try Cultivate: introduce yourself, ask peers, share what worked.",
        topics=("facilitation", "knowledge sharing", "onboarding"),
        timezone="UTC",
        channels=(("console", "local", CONSOLE_CHANNEL),),
    )
    return [CommunityConfig(spec)]


def load(path: str | None) -> list[CommunityConfig]:
    if path is None:
        return default_communities()
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as e:
        raise SettingsError(f"CULTIVATE_CONFIG names {path!r}, which cannot be read: {e.strerror or e}") from None
    except UnicodeDecodeError:
        raise SettingsError(f"CULTIVATE_CONFIG {path!r} is not UTF-8 text") from None
    except yaml.YAMLError as e:
        raise SettingsError(f"CULTIVATE_CONFIG {path!r} is not valid YAML: {e}".replace("\n", " ")) from None
    entries = data.get("communities") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SettingsError(f"CULTIVATE_CONFIG {path!r} must have a non-empty 'communities:' list")
    configs = [_community(entry, i) for i, entry in enumerate(entries, 1)]
    _check_unique(configs)
    return configs


def _check_unique(configs: list[CommunityConfig]) -> None:
    """One entry per slug, and a channel is the home of one community only."""
    slugs: set[str] = set()
    homes: dict[tuple[str, str, str], str] = {}
    for config in configs:
        slug = config.spec.slug
        if slug.lower() in slugs:
            raise SettingsError(f"community {slug!r} appears twice in CULTIVATE_CONFIG")
        slugs.add(slug.lower())
        for channel in config.spec.channels:
            other = homes.setdefault(channel, slug)
            if other != slug:
                raise SettingsError(
                    f"communities {other!r} and {slug!r} both have {channel[0]} channel "
                    f"{channel[2]!r}; a channel is the home of one community"
                )


def _strings(entry: dict[str, Any], key: str, slug: str) -> tuple[str, ...]:
    value = entry.get(key) or ()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str | int) for v in value):
        raise SettingsError(f"community {slug!r}: {key!r} must be a list, like [a, b]")
    return tuple(str(v) for v in value)


def _community(entry: Any, n: int) -> CommunityConfig:
    if not isinstance(entry, dict) or not entry.get("slug"):
        raise SettingsError(f"community #{n} in CULTIVATE_CONFIG needs at least a 'slug'")
    slug = str(entry["slug"])
    timezone = str(entry.get("timezone") or "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"community {slug!r}: unknown timezone {timezone!r} (use a name like Africa/Nairobi)"
        ) from None
    written = str(entry.get("language") or "en")
    language = language_code(written)
    if language is None:
        raise SettingsError(f"community {slug!r}: unknown language {written!r} (use a locale like en, fr or pt_BR)")
    raw_channels = entry.get("channels") or {}
    if not isinstance(raw_channels, dict):
        raise SettingsError(f"community {slug!r}: 'channels' must map a platform to a channel, like {{slack: C0123}}")
    channels = []
    for platform, channel in raw_channels.items():
        tenant, _sep, channel_id = str(channel).rpartition("/")
        channels.append((str(platform), tenant or ("local" if platform == "console" else ""), channel_id))
    if not any(platform == "console" for platform, _t, _c in channels):
        # Every community can be tried in the console: its channel there is named after its slug.
        channels.append(("console", "local", slug))
    spec = CommunitySpec(
        slug=slug,
        name=str(entry.get("name") or slug),
        domain=str(entry.get("domain") or ""),
        topics=_strings(entry, "topics", slug),
        timezone=timezone,
        channels=tuple(channels),
        # Only switches the file names: others stay as coordinators set them with commands.
        settings=tuple((key, bool(entry[key])) for key in ("channel_welcome", "leaderboard") if key in entry),
        language=language,
    )
    coordinators = _strings(entry, "coordinators", slug)
    for c in coordinators:
        if ":" not in c:
            raise SettingsError(
                f"community {slug!r}: coordinator {c!r} must be written platform:user_id, e.g. slack:U0123"
            )
    return CommunityConfig(spec, coordinators)

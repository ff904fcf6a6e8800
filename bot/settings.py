"""The one place settings are read: environment variables (empty counts as unset)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from bot import smtp_url
from storage.db import DEFAULT_URL
from storage.retention import Retention

# The SDKs the Teams adapter can run on: botbuilder (archived at 4.17) and its successor, Microsoft's 365 Agents SDK.
TEAMS_SDKS = ("botbuilder", "agents")


class SettingsError(ValueError):
    """A setting an operator must fix; the message is one line naming it."""


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def _csv(value: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (value or "").split(",") if v.strip())


def _offsets(env: Mapping[str, str], name: str, default: str) -> tuple[timedelta, ...]:
    """ "24h,1h" -> durations, longest first; "none" for no reminders at all."""
    raw = _get(env, name) or default
    if raw.strip().casefold() == "none":
        return ()
    found = []
    for part in _csv(raw):
        m = re.fullmatch(r"(\d{1,4})\s*([mhd])", part.strip().casefold())
        if not m or int(m[1]) == 0:
            raise SettingsError(f"{name} must be durations like 24h,1h,15m (or none), not {raw!r}")
        found.append(timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[m[2]]: int(m[1])}))
    return tuple(sorted(set(found), reverse=True))


def _whole(value: str) -> int | None:
    """A whole number written in ASCII digits, or None ("²".isdigit() is true, but int("²") fails)."""
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() else None


def _days(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of days from 1 to 3650 (ten years)."""
    raw = _get(env, name) or str(default)
    days = _whole(raw)
    if days is None or not 1 <= days <= 3650:
        raise SettingsError(f"{name} must be a whole number of days from 1 to 3650, not {raw!r}")
    return days


def _mail(env: Mapping[str, str]) -> tuple[str | None, str | None]:
    """CULTIVATE_SMTP_URL and CULTIVATE_MAIL_FROM, checked together: both or neither."""
    url, sender = _get(env, "CULTIVATE_SMTP_URL"), _get(env, "CULTIVATE_MAIL_FROM")
    if url is None and sender is None:
        return None, None
    if url is None:
        raise SettingsError("email is half-configured: CULTIVATE_MAIL_FROM is set but CULTIVATE_SMTP_URL is missing")
    if sender is None:
        raise SettingsError("email is half-configured: CULTIVATE_SMTP_URL is set but CULTIVATE_MAIL_FROM is missing")
    try:
        smtp_url.parse(url)
    except smtp_url.SmtpUrlError as e:
        raise SettingsError(str(e)) from None
    address = parseaddr(sender)[1]
    if "@" not in address or " " in address:
        raise SettingsError(f"CULTIVATE_MAIL_FROM must be an address like Cultivate <cop@example.org>, not {sender!r}")
    if not _get(env, "CULTIVATE_SECRET_KEY"):
        raise SettingsError("email needs CULTIVATE_SECRET_KEY: every digest by email carries a signed unsubscribe link")
    return url, sender


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_URL
    config_path: str | None = None
    admins: tuple[str, ...] = ()
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = "https://slack.com/api/"
    teams_app_id: str | None = None
    teams_app_password: str | None = None
    teams_app_type: str | None = None
    teams_tenant_id: str | None = None
    teams_local_no_auth: bool = False
    teams_sdk: str = "botbuilder"  # or "agents": the Microsoft 365 Agents SDK (extra teams-agents)
    yammer_access_token: str | None = None
    yammer_group_ids: tuple[str, ...] = ()
    yammer_api_url: str = "https://www.yammer.com/api/v1/"
    yammer_poll_seconds: int = 60
    # How often the dispatcher looks for due deliveries, and how it retries failed sends.
    dispatch_seconds: float = 5.0
    max_attempts: int = 5
    retry_base_seconds: int = 30
    # First wait before a message the platform refused for now is sent again (doubled each time).
    send_retry_base_seconds: float = 2.0
    # How long work a crashed process was doing (an event, a message) waits before another process takes it over;
    # live processes renew theirs every third of it.
    lease_seconds: float = 30.0
    # Days after joining when a newcomer who has not introduced themselves is reminded.
    intro_nudge_days: tuple[int, ...] = (3, 7)
    # Nobody is nudged between these hours of their own day (from 21:00 to 08:00 by default).
    quiet_hours: tuple[int, int] = (21, 8)
    # Hours without a reply after which an open discussion's moderators are nudged.
    discussion_quiet_hours: int = 24
    # How long before a webinar those coming get a DM, and the channel a reminder.
    webinar_member_reminders: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=1))
    webinar_channel_reminders: tuple[timedelta, ...] = (timedelta(minutes=15),)
    # Community health: the rolling window participation levels are read over, and how long a member has been
    # silent before they may get a personal invitation (never more than one a month).
    health_window_days: int = 90
    invite_after_silent_days: int = 60
    # Days processed event ids, unfinished conversations and finished deliveries are kept.
    retain_events_days: int = 3
    retain_conversations_days: int = 30
    retain_deliveries_days: int = 90
    # Signs links sent to members (web sign-in, unsubscribe); the web pages need it off loopback.
    secret_key: str | None = None
    # Where `serve` is reached from outside ("https://cop.example.org"): the base of links sent to members.
    public_url: str | None = None
    # How long a web session lasts after signing in from chat.
    web_session_days: int = 14
    # The digest by email: where mail goes out (bot.smtp_url) and who it is from; unset, email is off.
    smtp_url: str | None = None
    mail_from: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        nudges = _csv(_get(env, "CULTIVATE_INTRO_NUDGE_DAYS")) or ("3", "7")
        if not all((_whole(n) or 0) > 0 for n in nudges):
            raise SettingsError(
                "CULTIVATE_INTRO_NUDGE_DAYS must be whole days separated by "
                f"commas, like 3,7 (not {','.join(nudges)!r})"
            )
        quiet = (_get(env, "CULTIVATE_QUIET_HOURS") or "21-8").split("-")
        hours = [_whole(q) for q in quiet]
        if len(hours) != 2 or not all(h is not None and 0 <= h <= 23 for h in hours) or hours[0] == hours[1]:
            raise SettingsError(
                f"CULTIVATE_QUIET_HOURS must be two hours like 21-8 (from-until), not {'-'.join(quiet)!r}"
            )
        silence = _get(env, "CULTIVATE_DISCUSSION_QUIET_HOURS") or "24"
        if not 1 <= (_whole(silence) or 0) <= 24 * 14:
            raise SettingsError(f"CULTIVATE_DISCUSSION_QUIET_HOURS must be whole hours from 1 to 336, not {silence!r}")
        members_before = _offsets(env, "CULTIVATE_WEBINAR_REMINDERS", "24h,1h")
        channel_before = _offsets(env, "CULTIVATE_WEBINAR_CHANNEL_REMINDERS", "15m")
        lease = _get(env, "CULTIVATE_LEASE_SECONDS") or "30"
        if not 1 <= (_whole(lease) or 0) <= 3600:
            raise SettingsError(f"CULTIVATE_LEASE_SECONDS must be whole seconds from 1 to 3600, not {lease!r}")
        sdk = (_get(env, "TEAMS_SDK") or "botbuilder").casefold()
        if sdk not in TEAMS_SDKS:
            raise SettingsError(f"TEAMS_SDK must be {' or '.join(TEAMS_SDKS)}, not {_get(env, 'TEAMS_SDK')!r}")
        window = _get(env, "CULTIVATE_HEALTH_DAYS") or "90"
        if not 7 <= (_whole(window) or 0) <= 730:
            raise SettingsError(f"CULTIVATE_HEALTH_DAYS must be whole days from 7 to 730, not {window!r}")
        silent = _get(env, "CULTIVATE_INVITE_AFTER_DAYS") or "60"
        if not 14 <= (_whole(silent) or 0) <= 730:
            raise SettingsError(f"CULTIVATE_INVITE_AFTER_DAYS must be whole days from 14 to 730, not {silent!r}")
        retain = {
            name: _days(env, f"CULTIVATE_RETAIN_{name.upper()}_DAYS", default)
            for name, default in (("events", 3), ("conversations", 30), ("deliveries", 90))
        }
        public_url = _get(env, "CULTIVATE_PUBLIC_URL")
        if public_url is not None and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", public_url):
            raise SettingsError(
                f"CULTIVATE_PUBLIC_URL must be a web address like https://cop.example.org, not {public_url!r}"
            )
        poll = _get(env, "YAMMER_POLL_SECONDS") or "60"
        if (_whole(poll) or 0) < 1:
            raise SettingsError(f"YAMMER_POLL_SECONDS must be a whole number of seconds, not {poll!r}")
        smtp_url, mail_from = _mail(env)
        return cls(
            database_url=_get(env, "DATABASE_URL") or DEFAULT_URL,
            config_path=_get(env, "CULTIVATE_CONFIG"),
            admins=_csv(_get(env, "CULTIVATE_ADMINS")),
            slack_bot_token=_get(env, "SLACK_BOT_TOKEN"),
            slack_signing_secret=_get(env, "SLACK_SIGNING_SECRET"),
            slack_app_token=_get(env, "SLACK_APP_TOKEN"),
            slack_api_url=_get(env, "SLACK_API_URL") or cls.slack_api_url,
            teams_app_id=_get(env, "MicrosoftAppId"),
            teams_app_password=_get(env, "MicrosoftAppPassword"),
            teams_app_type=_get(env, "MicrosoftAppType"),
            teams_tenant_id=_get(env, "MicrosoftAppTenantId"),
            teams_local_no_auth=_get(env, "TEAMS_LOCAL_NO_AUTH") == "1",
            teams_sdk=sdk,
            yammer_access_token=_get(env, "YAMMER_ACCESS_TOKEN"),
            yammer_group_ids=_csv(_get(env, "YAMMER_GROUP_IDS")),
            yammer_api_url=_get(env, "YAMMER_API_URL") or cls.yammer_api_url,
            yammer_poll_seconds=int(poll),
            intro_nudge_days=tuple(int(n) for n in nudges),
            quiet_hours=(int(quiet[0]), int(quiet[1])),
            discussion_quiet_hours=int(silence),
            webinar_member_reminders=members_before,
            webinar_channel_reminders=channel_before,
            lease_seconds=float(int(lease)),
            health_window_days=int(window),
            invite_after_silent_days=int(silent),
            retain_events_days=retain["events"],
            retain_conversations_days=retain["conversations"],
            retain_deliveries_days=retain["deliveries"],
            secret_key=_get(env, "CULTIVATE_SECRET_KEY"),
            public_url=public_url.rstrip("/") if public_url else None,
            web_session_days=_days(env, "CULTIVATE_WEB_SESSION_DAYS", 14),
            smtp_url=smtp_url,
            mail_from=mail_from,
        )

    def check_platforms(self) -> None:
        """Stop on a half-configured platform, naming what is missing."""
        if self.slack_bot_token and not (self.slack_signing_secret or self.slack_app_token):
            raise SettingsError("Slack is half-configured: SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is missing")
        if (self.slack_signing_secret or self.slack_app_token) and not self.slack_bot_token:
            raise SettingsError("Slack is half-configured: SLACK_BOT_TOKEN is missing")
        managed = (self.teams_app_type or "").lower() == "userassignedmsi"  # a managed identity has no password
        if self.teams_app_id and not self.teams_app_password and not managed:
            raise SettingsError("Teams is half-configured: MicrosoftAppId is set but MicrosoftAppPassword is missing")
        if self.teams_app_type and self.teams_app_type.lower() not in (
            "multitenant",
            "singletenant",
            "userassignedmsi",
        ):
            raise SettingsError(
                f"MicrosoftAppType must be MultiTenant, SingleTenant or UserAssignedMSI, not {self.teams_app_type!r}"
            )
        if (
            self.teams_app_id
            and self.teams_app_type
            and self.teams_app_type.lower() != "multitenant"
            and not self.teams_tenant_id
        ):
            raise SettingsError(
                f"Teams is half-configured: MicrosoftAppType={self.teams_app_type} needs MicrosoftAppTenantId"
            )
        if self.yammer_access_token and not self.yammer_group_ids:
            raise SettingsError("Yammer is half-configured: YAMMER_ACCESS_TOKEN is set but YAMMER_GROUP_IDS is missing")
        if self.yammer_group_ids and not self.yammer_access_token:
            raise SettingsError("Yammer is half-configured: YAMMER_ACCESS_TOKEN is missing")

    def warnings(self) -> list[str]:
        """Settings that work but that an operator should know about; serve logs them at start."""
        notes = []
        if self.teams_local_no_auth and not self.teams_app_id:
            notes.append(
                "TEAMS_LOCAL_NO_AUTH=1: Teams runs without authentication (anyone reaching /api/messages is "
                "believed), for local testing only; serve only listens on loopback"
            )
        elif self.teams_local_no_auth:
            notes.append("TEAMS_LOCAL_NO_AUTH=1 is ignored: MicrosoftAppId is set, so Teams requests are authenticated")
        if self.yammer_on and self.yammer_poll_seconds < 60:
            notes.append(
                f"YAMMER_POLL_SECONDS={self.yammer_poll_seconds}: below 60 is for tests only "
                "(Yammer allows one poll a minute)"
            )
        return notes

    @property
    def retention(self) -> Retention:
        return Retention(
            events=timedelta(days=self.retain_events_days),
            conversations=timedelta(days=self.retain_conversations_days),
            deliveries=timedelta(days=self.retain_deliveries_days),
        )

    @property
    def email_on(self) -> bool:
        return bool(self.smtp_url and self.mail_from)

    @property
    def web_address(self) -> str:
        """The base of links to the web pages: the public URL, else serve's loopback default."""
        return self.public_url or "http://127.0.0.1:3000"

    @property
    def secure_cookies(self) -> bool:
        return (self.public_url or "").startswith("https://")

    @property
    def slack_on(self) -> bool:
        return bool(self.slack_bot_token)

    @property
    def teams_on(self) -> bool:
        return bool(self.teams_app_id) or self.teams_local_no_auth

    @property
    def yammer_on(self) -> bool:
        return bool(self.yammer_access_token)

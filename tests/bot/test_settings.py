"""Settings from the environment and communities from CULTIVATE_CONFIG: empty counts as unset, platforms switch on
only when fully configured, and every mistake is named in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import community_config
from bot.settings import Settings, SettingsError
from storage.db import DEFAULT_URL


def test_nothing_set_means_the_embedded_default() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == DEFAULT_URL
    assert not (settings.slack_on or settings.teams_on or settings.yammer_on)
    assert (
        settings.yammer_poll_seconds == 60 and settings.quiet_hours == (21, 8) and settings.intro_nudge_days == (3, 7)
    )
    settings.check_platforms()
    assert settings.warnings() == []


def test_empty_variables_count_as_unset() -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL": " ",
            "SLACK_BOT_TOKEN": "",
            "SLACK_SIGNING_SECRET": "",
            "MicrosoftAppId": "",
            "YAMMER_ACCESS_TOKEN": "",
            "YAMMER_GROUP_IDS": ",",
            "YAMMER_POLL_SECONDS": "",
            "CULTIVATE_ADMINS": "",
            "CULTIVATE_CONFIG": "",
            "CULTIVATE_QUIET_HOURS": "",
            "TEAMS_LOCAL_NO_AUTH": "",
        }
    )
    assert settings.database_url == DEFAULT_URL and settings.config_path is None
    assert not (settings.slack_on or settings.teams_on or settings.yammer_on)
    assert settings.yammer_group_ids == () and settings.yammer_poll_seconds == 60 and settings.quiet_hours == (21, 8)
    settings.check_platforms()


def test_lists_are_comma_separated_and_trimmed() -> None:
    settings = Settings.from_env(
        {"CULTIVATE_ADMINS": " U1, console:ada ,", "YAMMER_GROUP_IDS": "11,22", "YAMMER_ACCESS_TOKEN": "t"}
    )
    assert settings.admins == ("U1", "console:ada") and settings.yammer_group_ids == ("11", "22")
    assert settings.yammer_on and settings.yammer_poll_seconds == 60


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is missing"),
        ({"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": ""}, "SLACK_BOT_TOKEN is missing"),
        ({"MicrosoftAppId": "app", "MicrosoftAppPassword": " "}, "MicrosoftAppPassword is missing"),
        ({"YAMMER_ACCESS_TOKEN": "t"}, "YAMMER_GROUP_IDS is missing"),
        ({"YAMMER_GROUP_IDS": "11"}, "YAMMER_ACCESS_TOKEN is missing"),
    ],
)
def test_a_half_configured_platform_is_named(env: dict[str, str], missing: str) -> None:
    with pytest.raises(SettingsError, match=missing):
        Settings.from_env(env).check_platforms()


def test_socket_mode_needs_no_signing_secret_and_teams_can_run_locally_without_auth() -> None:
    Settings.from_env({"SLACK_BOT_TOKEN": "xoxb", "SLACK_APP_TOKEN": "xapp"}).check_platforms()
    local = Settings.from_env({"TEAMS_LOCAL_NO_AUTH": "1"})
    assert local.teams_on and any("without authentication" in w for w in local.warnings())


@pytest.mark.parametrize("value", ["0", "-5", "soon", "1.5", "²"])
def test_a_poll_interval_must_be_a_positive_whole_number(value: str) -> None:
    with pytest.raises(SettingsError, match="YAMMER_POLL_SECONDS"):
        Settings.from_env({"YAMMER_POLL_SECONDS": value})


def test_polling_yammer_faster_than_once_a_minute_is_allowed_with_a_warning() -> None:
    fast = {"YAMMER_POLL_SECONDS": "5", "YAMMER_ACCESS_TOKEN": "t", "YAMMER_GROUP_IDS": "11"}
    assert Settings.from_env(fast).yammer_poll_seconds == 5
    assert [w for w in Settings.from_env(fast).warnings() if "YAMMER_POLL_SECONDS=5" in w]
    assert Settings.from_env({"YAMMER_POLL_SECONDS": "5"}).warnings() == []  # Yammer is off: nothing to warn about


def test_quiet_hours_and_nudge_days_are_read_leniently() -> None:
    settings = Settings.from_env({"CULTIVATE_QUIET_HOURS": "22 - 7", "CULTIVATE_INTRO_NUDGE_DAYS": "2, 5,10"})
    assert settings.quiet_hours == (22, 7) and settings.intro_nudge_days == (2, 5, 10)


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"CULTIVATE_QUIET_HOURS": "21"}, "CULTIVATE_QUIET_HOURS"),
        ({"CULTIVATE_QUIET_HOURS": "8-8"}, "CULTIVATE_QUIET_HOURS"),
        ({"CULTIVATE_QUIET_HOURS": "21-24"}, "CULTIVATE_QUIET_HOURS"),
        ({"CULTIVATE_QUIET_HOURS": "²-8"}, "CULTIVATE_QUIET_HOURS"),
        ({"CULTIVATE_INTRO_NUDGE_DAYS": "3,0"}, "CULTIVATE_INTRO_NUDGE_DAYS"),
        ({"CULTIVATE_INTRO_NUDGE_DAYS": "a week"}, "CULTIVATE_INTRO_NUDGE_DAYS"),
    ],
)
def test_a_malformed_schedule_setting_is_named(env: dict[str, str], name: str) -> None:
    with pytest.raises(SettingsError, match=name) as refused:
        Settings.from_env(env)
    assert "\n" not in str(refused.value)


CONFIG = """
communities:
  - slug: rtm
    name: Real-time monitoring
    topics: [dashboards, alerting]
    timezone: Africa/Nairobi
    channels: {slack: T01/C0123, console: monitoring}
    coordinators: ["slack:U0123", "console:amina"]
    channel_welcome: true
  - slug: water
"""


def _config(tmp_path: Path, content: str | bytes) -> str:
    path = tmp_path / "cultivate.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


def test_no_config_means_the_built_in_practice_community() -> None:
    [practice] = community_config.load(None)
    assert practice.spec.slug == "practice" and practice.coordinators == ()


def test_a_config_names_communities_channels_and_first_coordinators(tmp_path: Path) -> None:
    rtm, water = community_config.load(_config(tmp_path, CONFIG))
    assert rtm.spec.name == "Real-time monitoring" and rtm.spec.timezone == "Africa/Nairobi"
    assert rtm.spec.topics == ("dashboards", "alerting") and rtm.spec.settings == (("channel_welcome", True),)
    assert rtm.spec.channels == (("slack", "T01", "C0123"), ("console", "local", "monitoring"))
    assert rtm.coordinators == ("slack:U0123", "console:amina")
    # A community without a console channel can still be tried there, in a channel named after it.
    assert water.spec.name == "water" and water.spec.channels == (("console", "local", "water"),)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("communities: [", "is not valid YAML"),
        (b"communities:\n  - slug: caf\xe9\n", "is not UTF-8 text"),
        ("- slug: rtm\n", "non-empty 'communities:' list"),
        ("communities:\n  - name: No slug\n", "community #1 in CULTIVATE_CONFIG needs at least a 'slug'"),
        ("communities:\n  - slug: x\n    timezone: Mars/Olympus\n", "unknown timezone 'Mars/Olympus'"),
        ("communities:\n  - slug: x\n    channels: [console]\n", "'channels' must map a platform to a channel"),
        ("communities:\n  - slug: x\n    topics: 5\n", "'topics' must be a list"),
        ("communities:\n  - slug: x\n    coordinators: console:amina\n", "'coordinators' must be a list"),
        ("communities:\n  - slug: x\n    coordinators: [amina]\n", "must be written platform:user_id"),
        ("communities:\n  - slug: x\n  - slug: X\n", "community 'X' appears twice"),
        (
            "communities:\n  - slug: a\n    channels: {slack: C1}\n  - slug: b\n    channels: {slack: C1}\n",
            "communities 'a' and 'b' both have slack channel 'C1'",
        ),
    ],
)
def test_a_broken_config_is_refused_in_one_line(tmp_path: Path, content: str | bytes, needle: str) -> None:
    with pytest.raises(SettingsError) as refused:
        community_config.load(_config(tmp_path, content))
    assert needle in str(refused.value) and "\n" not in str(refused.value)


def test_a_config_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="cannot be read: No such file or directory"):
        community_config.load(str(tmp_path / "missing.yaml"))
    with pytest.raises(SettingsError, match="cannot be read: Is a directory"):
        community_config.load(str(tmp_path))


def test_the_health_window_and_the_silence_before_an_invitation() -> None:
    assert (Settings.from_env({}).health_window_days, Settings.from_env({}).invite_after_silent_days) == (90, 60)
    custom = Settings.from_env({"CULTIVATE_HEALTH_DAYS": "180", "CULTIVATE_INVITE_AFTER_DAYS": "45"})
    assert (custom.health_window_days, custom.invite_after_silent_days) == (180, 45)
    with pytest.raises(SettingsError, match="CULTIVATE_HEALTH_DAYS must be whole days from 7 to 730, not '3'"):
        Settings.from_env({"CULTIVATE_HEALTH_DAYS": "3"})
    with pytest.raises(SettingsError, match="CULTIVATE_INVITE_AFTER_DAYS must be whole days from 14 to 730"):
        Settings.from_env({"CULTIVATE_INVITE_AFTER_DAYS": "a month"})

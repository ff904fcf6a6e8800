"""Settings from the environment: empty counts as unset, and platforms switch on only when fully configured."""
from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError
from storage.db import DEFAULT_URL


def test_nothing_set_means_the_embedded_default() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == DEFAULT_URL
    assert not (settings.slack_on or settings.teams_on or settings.yammer_on)
    settings.check_platforms()


def test_empty_variables_count_as_unset() -> None:
    settings = Settings.from_env({"DATABASE_URL": " ", "SLACK_BOT_TOKEN": "", "YAMMER_GROUP_IDS": ",", "CULTIVATE_ADMINS": ""})
    assert settings.database_url == DEFAULT_URL and not settings.slack_on and settings.yammer_group_ids == ()
    settings.check_platforms()


def test_lists_are_comma_separated_and_trimmed() -> None:
    settings = Settings.from_env({"CULTIVATE_ADMINS": " U1, console:ada ,", "YAMMER_GROUP_IDS": "11,22", "YAMMER_ACCESS_TOKEN": "t"})
    assert settings.admins == ("U1", "console:ada") and settings.yammer_group_ids == ("11", "22")
    assert settings.yammer_on and settings.yammer_poll_seconds == 60


def test_socket_mode_needs_no_signing_secret_and_teams_can_run_locally_without_auth() -> None:
    Settings.from_env({"SLACK_BOT_TOKEN": "xoxb", "SLACK_APP_TOKEN": "xapp"}).check_platforms()
    assert Settings.from_env({"TEAMS_LOCAL_NO_AUTH": "1"}).teams_on


@pytest.mark.parametrize("value", ["0", "-5", "soon"])
def test_a_poll_interval_must_be_a_positive_number(value: str) -> None:
    with pytest.raises(SettingsError, match="YAMMER_POLL_SECONDS"):
        Settings.from_env({"YAMMER_POLL_SECONDS": value})

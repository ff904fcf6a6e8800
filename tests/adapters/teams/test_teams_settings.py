"""Teams settings: credentials named as in Microsoft's samples; a half-configured bot stops serve with one line."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError


def _check(**env: str) -> Settings:
    settings = Settings.from_env(env)
    settings.check_platforms()
    return settings


def test_an_app_id_turns_teams_on_with_authentication() -> None:
    settings = _check(MicrosoftAppId="00000000-0000-0000-0000-000000000001", MicrosoftAppPassword="s")
    assert settings.teams_on and not any("without authentication" in w for w in settings.warnings())


def test_single_tenant_needs_the_tenant_and_a_managed_identity_needs_no_password() -> None:
    with pytest.raises(SettingsError, match="MicrosoftAppTenantId"):
        _check(MicrosoftAppId="a", MicrosoftAppPassword="s", MicrosoftAppType="SingleTenant")
    assert _check(MicrosoftAppId="a", MicrosoftAppType="UserAssignedMSI", MicrosoftAppTenantId="t").teams_on
    with pytest.raises(SettingsError, match="MicrosoftAppType"):
        _check(MicrosoftAppId="a", MicrosoftAppPassword="s", MicrosoftAppType="Sometimes")


def test_the_no_auth_switch_is_ignored_when_an_app_id_is_set() -> None:
    settings = _check(MicrosoftAppId="a", MicrosoftAppPassword="s", TEAMS_LOCAL_NO_AUTH="1")
    assert any("ignored" in w for w in settings.warnings())

"""Teams settings: credentials named as in Microsoft's samples; a half-configured bot stops serve with one line."""

from __future__ import annotations

import sys

import pytest

from adapters.teams import sdk as teams_sdk
from bot.runtime import StartupError
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


def test_teams_sdk_chooses_botbuilder_or_the_agents_sdk_in_one_line() -> None:
    assert _check().teams_sdk == "botbuilder" and _check(TEAMS_SDK="").teams_sdk == "botbuilder"
    assert _check(TEAMS_SDK="Agents").teams_sdk == "agents"
    with pytest.raises(SettingsError, match=r"^TEAMS_SDK must be botbuilder or agents, not 'bot-framework'$"):
        _check(TEAMS_SDK="bot-framework")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"MicrosoftAppPassword": "s"}, {"TENANT_ID": "botframework.com", "AUTH_TYPE": "ClientSecret"}),
        (
            {"MicrosoftAppPassword": "s", "MicrosoftAppType": "SingleTenant", "MicrosoftAppTenantId": "t-1"},
            {"TENANT_ID": "t-1", "AUTH_TYPE": "ClientSecret"},
        ),
        (
            {"MicrosoftAppType": "UserAssignedMSI", "MicrosoftAppTenantId": "t-1"},
            {"TENANT_ID": "t-1", "AUTH_TYPE": "UserManagedIdentity", "CLIENT_SECRET": None},
        ),
    ],
)
def test_the_operators_settings_become_the_agents_sdks_service_connection(
    env: dict[str, str], expected: dict[str, str | None]
) -> None:
    from adapters.teams.sdk_agents import AgentsSdk

    tokens = AgentsSdk(_check(MicrosoftAppId="app-1", TEAMS_SDK="agents", **env)).tokens
    assert tokens is not None
    connection = tokens.connections.get_default_connection().configuration
    found = {name: getattr(connection, name) for name in ("CLIENT_ID", "CLIENT_SECRET", *expected)}
    assert found == {"CLIENT_ID": "app-1", "CLIENT_SECRET": env.get("MicrosoftAppPassword"), **expected}


def test_the_agents_sdk_asked_for_but_not_installed_stops_serve_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "adapters.teams.sdk_agents", raising=False)
    monkeypatch.setitem(sys.modules, "microsoft_agents.activity", None)
    with pytest.raises(StartupError, match=r"^TEAMS_SDK=agents needs .*pip install 'cultivate-bot\[teams-agents\]'$"):
        teams_sdk.load(_check(TEAMS_LOCAL_NO_AUTH="1", TEAMS_SDK="agents"))

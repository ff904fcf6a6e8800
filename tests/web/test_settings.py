"""The web pages' settings, and when `serve` offers the pages at all."""

from __future__ import annotations

import pytest

from bot.cli import _web_pages
from bot.settings import Settings, SettingsError


def test_the_web_settings_are_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "CULTIVATE_SECRET_KEY": "s3cret",
            "CULTIVATE_PUBLIC_URL": "https://cop.example.org/",
            "CULTIVATE_WEB_SESSION_DAYS": "30",
        }
    )
    assert settings.secret_key == "s3cret" and settings.public_url == "https://cop.example.org"
    assert settings.web_session_days == 30 and settings.secure_cookies
    default = Settings.from_env({})
    assert default.secret_key is None and default.web_session_days == 14
    assert default.web_address == "http://127.0.0.1:3000" and not default.secure_cookies


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CULTIVATE_PUBLIC_URL", "cop.example.org"),
        ("CULTIVATE_WEB_SESSION_DAYS", "0"),
        ("CULTIVATE_WEB_SESSION_DAYS", "x"),
    ],
)
def test_a_wrong_web_setting_is_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_serve_needs_a_secret_key_beyond_loopback() -> None:
    settings, pages, note = _web_pages(Settings(), "127.0.0.1")
    assert pages and settings.secret_key  # a key for this process only
    assert "CULTIVATE_SECRET_KEY is not set" in note and "random key" in note
    again, _pages, _note = _web_pages(Settings(), "localhost")
    assert again.secret_key != settings.secret_key
    settings, pages, note = _web_pages(Settings(), "0.0.0.0")
    assert not pages and settings.secret_key is None
    assert "the web pages are off" in note
    settings, pages, note = _web_pages(Settings(secret_key="k"), "0.0.0.0")
    assert pages and settings.secret_key == "k" and not note

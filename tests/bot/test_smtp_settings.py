"""CULTIVATE_SMTP_URL and CULTIVATE_MAIL_FROM: both or neither, TLS unless on loopback, one clear line when wrong."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError
from bot.smtp_url import parse

KEY = {"CULTIVATE_SECRET_KEY": "k"}


def test_the_three_shapes_of_the_url() -> None:
    plain = parse("smtp://user:p%40ss@mail.example.org")
    assert (plain.host, plain.port, plain.username, plain.password) == ("mail.example.org", 587, "user", "p@ss")
    assert plain.starttls and not plain.implicit_tls
    tls = parse("smtps://mail.example.org")
    assert tls.port == 465 and tls.implicit_tls and not tls.starttls
    relay = parse("smtp://127.0.0.1:25?starttls=off")
    assert relay.port == 25 and not relay.starttls


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"CULTIVATE_SMTP_URL": "smtp://mail.example.org"}, "CULTIVATE_MAIL_FROM is missing"),
        ({"CULTIVATE_MAIL_FROM": "cop@example.org"}, "CULTIVATE_SMTP_URL is missing"),
        ({"CULTIVATE_SMTP_URL": "http://mail.example.org", "CULTIVATE_MAIL_FROM": "a@b.org", **KEY}, "smtp://"),
        (
            {"CULTIVATE_SMTP_URL": "smtp://mail.example.org?starttls=off", "CULTIVATE_MAIL_FROM": "a@b.org", **KEY},
            "only for a relay on loopback",
        ),
        (
            {"CULTIVATE_SMTP_URL": "smtps://mail.example.org?starttls=off", "CULTIVATE_MAIL_FROM": "a@b.org", **KEY},
            "does not apply",
        ),
        ({"CULTIVATE_SMTP_URL": "smtp://mail.example.org:99999", "CULTIVATE_MAIL_FROM": "a@b.org", **KEY}, "port"),
        ({"CULTIVATE_SMTP_URL": "smtp://mail.example.org", "CULTIVATE_MAIL_FROM": "nobody", **KEY}, "an address"),
        ({"CULTIVATE_SMTP_URL": "smtp://mail.example.org", "CULTIVATE_MAIL_FROM": "a@b.org"}, "CULTIVATE_SECRET_KEY"),
    ],
)
def test_wrong_mail_settings_stop_with_one_line(env: dict[str, str], says: str) -> None:
    with pytest.raises(SettingsError) as stopped:
        Settings.from_env(env)
    assert says in str(stopped.value) and "\n" not in str(stopped.value)
    assert "p@ss" not in str(stopped.value)


def test_mail_on_when_both_are_set() -> None:
    settings = Settings.from_env(
        {
            "CULTIVATE_SMTP_URL": "smtp://u:secret@mail.example.org",
            "CULTIVATE_MAIL_FROM": "Cop <cop@example.org>",
            **KEY,
        }
    )
    assert settings.email_on and settings.web_address == "http://127.0.0.1:3000"
    assert not Settings.from_env({}).email_on

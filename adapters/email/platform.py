"""Email as a plug-in (entry point `cultivate.adapters: email`): on when CULTIVATE_SMTP_URL and CULTIVATE_MAIL_FROM
are set."""

from __future__ import annotations

from adapters.email.adapter import EmailAdapter
from bot import smtp_url
from bot.host import Host
from bot.settings import Settings


class EmailPlatform:
    name = "email"

    def configured(self, settings: Settings) -> bool:
        return settings.email_on

    def create(self, host: Host) -> EmailAdapter:
        settings = host.settings
        assert settings.smtp_url and settings.mail_from  # configured() said so
        return EmailAdapter(smtp_url.parse(settings.smtp_url), settings.mail_from)


platform = EmailPlatform()

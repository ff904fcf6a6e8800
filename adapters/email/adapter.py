"""The one place that talks SMTP: one message per connection through aiosmtplib, its errors classified into ours —
a refused recipient is a hard bounce (not retried, counted against the address), a busy or unreachable server is
tried again later, a server that cannot be used as configured (no STARTTLS, wrong password) is said plainly."""

from __future__ import annotations

from dataclasses import dataclass

import aiosmtplib

from adapters.email import render
from bot.clock import wall
from bot.events import Actor, Place
from bot.forms import Form
from bot.messages import Outgoing
from bot.platform import Capability, DeliveryError, Sent, Unreachable
from bot.smtp_url import HARD_BOUNCE, SmtpServer

PLATFORM = "email"
TIMEOUT_SECONDS = 30.0


@dataclass
class EmailAdapter:
    server: SmtpServer
    sender: str
    platform: str = PLATFORM
    capabilities: frozenset[Capability] = frozenset()

    async def send(self, place: Place, outgoing: Outgoing) -> Sent:
        """Mail a message to the address its place names (`channel`)."""
        mail = render.email(outgoing.message, to=place.channel, sender=self.sender, now=wall())
        server = self.server
        try:
            await aiosmtplib.send(
                mail,
                hostname=server.host,
                port=server.port,
                username=server.username,
                password=server.password,
                use_tls=server.implicit_tls,
                start_tls=server.starttls,  # required when on: never fall back to clear text
                timeout=TIMEOUT_SECONDS,
            )
        except aiosmtplib.SMTPRecipientsRefused as e:
            refused = e.recipients[0] if e.recipients else None
            raise _refused(
                place.channel, refused.code if refused else 550, refused.message if refused else ""
            ) from None
        except (aiosmtplib.SMTPRecipientRefused, aiosmtplib.SMTPSenderRefused, aiosmtplib.SMTPDataError) as e:
            raise _refused(place.channel, e.code, e.message) from None
        except aiosmtplib.SMTPAuthenticationError as e:
            raise DeliveryError(
                f"the mail server at {server.where} refused the username and password in CULTIVATE_SMTP_URL "
                f"({e.code} {e.message})",
                retry=False,
            ) from None
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPTimeoutError, aiosmtplib.SMTPServerDisconnected) as e:
            raise DeliveryError(f"the mail server at {server.where} cannot be reached now: {e}") from None
        except aiosmtplib.SMTPException as e:
            if "STARTTLS" in str(e):
                raise DeliveryError(
                    f"the mail server at {server.where} does not offer STARTTLS, so nothing was sent in clear; use "
                    "smtps:// for a server that wants TLS from the start, or ?starttls=off only for a relay on "
                    "loopback",
                    retry=False,
                ) from None
            raise DeliveryError(f"the mail server at {server.where} failed: {e}") from None
        except OSError as e:
            raise DeliveryError(f"the mail server at {server.where} cannot be reached now: {e}") from None
        return Sent(str(mail["Message-ID"]), place.channel)

    def pacing(self, place: Place, outgoing: Outgoing) -> float:
        return 0.0  # one lane per address: the server's own limits answer with 4xx, retried later

    async def open_form(self, actor: Actor, form: Form, trigger: str | None) -> bool:
        return False


def _refused(to: str, code: int, message: str) -> DeliveryError:
    """5xx: the address will not take mail (a hard bounce); 4xx: not now (greylisting, a full mailbox)."""
    if 500 <= code < 600:
        return Unreachable(f"{HARD_BOUNCE}: the mail server refused {to}: {code} {message}".strip())
    return DeliveryError(f"the mail server put off mail to {to}: {code} {message}".strip())

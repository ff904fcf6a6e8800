"""The digest by email, against a real SMTP server on 127.0.0.1 (aiosmtpd): the address confirmed with a code, a
multipart message with List-Unsubscribe, unsubscribing by link and by command, a server without STARTTLS refused
plainly, and hard bounces counted until the address is set aside."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from aiosmtpd.controller import Controller
from sqlalchemy import select

from adapters.email.adapter import EmailAdapter
from bot import smtp_url
from bot.server import build_app
from bot.settings import Settings
from storage.models import DigestSubscription
from tests.conftest import START
from tests.harness import ConsoleBot

SENDER = "Cultivate <cop@example.org>"
PUBLIC = "https://cop.example.org"


@dataclass
class Mailbox:
    """What the SMTP server took, and the addresses it refuses for good (550)."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))  # type: ignore[arg-type]
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


async def _mail_bot(database_url: str, url: str) -> ConsoleBot:
    settings = Settings(
        database_url=database_url,
        smtp_url=url,
        mail_from=SENDER,
        secret_key="a test key that is long enough",
        public_url=PUBLIC,
        send_retry_base_seconds=0.01,
    )
    bot = await ConsoleBot.open(database_url, START, settings=settings)
    bot.runtime.add_adapter(EmailAdapter(smtp_url.parse(url), SENDER))
    return bot


@pytest.fixture
async def mail_bot(database_url: str, smtp: tuple[Mailbox, int]) -> AsyncIterator[ConsoleBot]:
    bot = await _mail_bot(database_url, f"smtp://127.0.0.1:{smtp[1]}?starttls=off")
    yield bot
    await bot.close()


def code_in(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    found = re.search(r"\b(\d{6})\b", body.get_content())
    assert found, "the mail carries a six-digit code"
    return found[1]


async def confirm(bot: ConsoleBot, box: Mailbox, who: str, address: str) -> str:
    asked = await bot.say(who, f"/cop digest email {address}")
    assert "Confirm your email" in asked and f"The six-digit code I mailed to {address}" in asked
    return await bot.say(who, code_in(box.to(address)[-1]))


async def subscription(bot: ConsoleBot, member_name: str) -> DigestSubscription:
    from storage.models import Member

    async with bot.runtime.services.sessions() as db:
        row = await db.scalar(
            select(DigestSubscription)
            .join(Member, Member.id == DigestSubscription.member_id)
            .where(Member.display_name == member_name)
        )
        assert row is not None
        return row


async def test_confirm_receive_and_unsubscribe_by_link_and_by_command(
    mail_bot: ConsoleBot, smtp: tuple[Mailbox, int]
) -> None:
    bot, box = mail_bot, smtp[0]
    await bot.say("Ada", "/cop community")
    await bot.say("Amina", "/cop join")
    await bot.say("Amina", "/cop digest email amina@example.org")
    [code_mail] = box.to("amina@example.org")
    assert "Your code for the Community of Practice digest" in str(code_mail["Subject"])
    wrong = "000000" if code_in(code_mail) != "000000" else "111111"
    assert "That is not the code I mailed" in await bot.say("Amina", wrong)
    confirmed = await bot.say("Amina", code_in(code_mail))
    assert "Confirmed: the digest of Community of Practice will come to amina@example.org" in confirmed
    assert "by email to amina@example.org" in await bot.say("Amina", "/cop digest")
    await bot.say("Amina", "/cop digest email amina@elsewhere.org")
    guess = "000000" if code_in(box.to("amina@elsewhere.org")[-1]) != "000000" else "111111"
    for _ in range(5):
        assert "That is not the code I mailed" in await bot.say("Amina", guess)
    late = code_in(box.to("amina@elsewhere.org")[-1])
    assert "No address is waiting" in await bot.say("Amina", late), "five wrong codes and the code is void"
    assert (await subscription(bot, "Amina")).email == "amina@example.org", "the confirmed address stays"

    await bot.say("Amina", "/cop library add https://example.org/guide Alerting guide")
    assert "1 email(s)" in await bot.say("Ada", "/cop digest send")
    mail = box.to("amina@example.org")[-1]
    assert str(mail["Subject"]).startswith("📰 Community of Practice — what happened")
    assert mail["From"] == SENDER and mail["Auto-Submitted"] == "auto-generated"
    link = str(mail["List-Unsubscribe"]).strip("<>")
    assert link.startswith(f"{PUBLIC}/digest/unsubscribe?token=")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.get_content_type() == "multipart/alternative"
    plain, html = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and html is not None
    assert "Alerting guide https://example.org/guide" in plain.get_content()
    assert f"Stop these emails: {link}" in plain.get_content()
    page = html.get_content()
    assert '<a href="https://example.org/guide">' in page and "<img" not in page and "<script" not in page

    client = TestClient(TestServer(build_app(bot.runtime)))
    await client.start_server()
    try:
        path = link.removeprefix(PUBLIC)
        opened = await client.get(path)
        assert opened.status == 200 and "Stop the digest emails" in await opened.text()
        assert (await subscription(bot, "Amina")).email == "amina@example.org", "opening the link changes nothing"
        one_click = await client.post(path, data={"List-Unsubscribe": "One-Click"})
        assert one_click.status == 200 and "no more digest emails" in await one_click.text()
        assert (await subscription(bot, "Amina")).email is None
        forged = await client.post(path[:-3] + "abc")
        assert forged.status == 400
    finally:
        await client.close()

    await bot.say("Amina", "/cop library add https://example.org/second Second guide")
    assert "0 email(s)" in await bot.say("Ada", "/cop digest send")

    await confirm(bot, box, "Amina", "amina@example.org")
    assert "no more digests by direct message or email" in await bot.say("Amina", "/cop digest unsubscribe")
    assert (await subscription(bot, "Amina")).email is None


async def test_three_hard_bounces_set_the_address_aside_and_the_member_is_told(
    mail_bot: ConsoleBot, smtp: tuple[Mailbox, int]
) -> None:
    bot, box = mail_bot, smtp[0]
    await bot.say("Ada", "/cop community")
    await bot.say("Chidi", "/cop join")
    await confirm(bot, box, "Chidi", "chidi@example.org")
    box.refuse.add("chidi@example.org")  # the mailbox is closed later
    for n in range(3):
        await bot.say("Ada", f"/cop library add https://example.org/{n} Guide {n}")
        assert "1 email(s)" in await bot.say("Ada", "/cop digest send")
        told = await bot.wait(timedelta(hours=1, minutes=1))
        if n < 2:
            assert "DM to Chidi" not in told
            assert (await subscription(bot, "Chidi")).email_failures == n + 1
    assert "DM to Chidi" in told and "could not be delivered to chidi@example.org three times in a row" in told
    assert "550" in told
    row = await subscription(bot, "Chidi")
    assert row.set_aside_at is not None and row.email == "chidi@example.org"
    report = await bot.say("Ada", "/cop deliveries")
    assert "failed · message on email (digest:mail)" in report and "hard bounce" in report
    await bot.say("Ada", "/cop library add https://example.org/x Guide x")
    assert "0 email(s)" in await bot.say("Ada", "/cop digest send"), "an address set aside is not used"


async def test_a_server_without_starttls_is_refused_with_a_clear_reason(
    database_url: str, smtp: tuple[Mailbox, int]
) -> None:
    box, port = smtp
    bot = await _mail_bot(database_url, f"smtp://127.0.0.1:{port}")  # STARTTLS required (the default)
    try:
        await bot.say("Ada", "/cop community")
        await bot.say("Amina", "/cop join")
        await bot.say("Amina", "/cop digest email amina@example.org")
        assert not box.messages, "nothing was sent in clear"
        report = await bot.say("Ada", "/cop deliveries")
        assert f"the mail server at 127.0.0.1:{port} does not offer STARTTLS" in report
    finally:
        await bot.close()


async def test_without_smtp_the_email_verbs_say_so(bot: ConsoleBot) -> None:
    await bot.say("Amina", "/cop join")
    said = await bot.say("Amina", "/cop digest email amina@example.org")
    assert "Email is not set up here" in said and "CULTIVATE_SMTP_URL" in said

"""The digest by email: an address confirmed with a six-digit code, a copy per reader through the outbound queue
(platform "email", one lane per address) with a signed unsubscribe link (served by flows/digest_unsubscribe.py),
and hard bounces counted — after three in a row the address is set aside and its member told in chat."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from bot import signing
from bot.context import Context, DeliveryContext, MemberContext
from bot.errors import Answer, UsageError
from bot.events import Place
from bot.forms import FieldKind, Form, FormErrors, FormField
from bot.i18n import N_, _
from bot.messages import Message
from bot.registry import Routine
from bot.services import Services
from bot.smtp_url import HARD_BOUNCE
from bot.text import content
from flows import digest_render
from flows.digest_compose import Digest
from storage import communities, digests, members
from storage.models import Community, Member, WorkStatus

log = logging.getLogger(__name__)
routine = Routine("digest_mail")
EMAIL = "email"  # the platform mail goes out on
VERIFY, CHECK = "digest.verify", "digest.mail_check"
PURPOSE = "digest-unsubscribe"
ORIGIN = "digest:mail"
PATH = "/digest/unsubscribe"
PLACEHOLDER = "\u2063unsubscribe\u2063"  # stands for each reader's own link until it is known
CODE_LIFE = timedelta(minutes=30)
CODE_TRIES = 5
SET_ASIDE_AFTER = 3  # hard failures in a row
CHECK_AFTER = timedelta(hours=1)
CHECK_ROUNDS = 6  # while mail is still being retried, look again (each an hour later)
_ADDRESS = re.compile(r"[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+")


@dataclass(frozen=True)
class MailCheck:
    community: int
    since: str  # ISO moment the mail was queued
    round: int = 1


def email_ready(ctx: Context) -> bool:
    """Whether mail can go: the email platform runs and links can be signed."""
    return ctx.services.adapter(EMAIL) is not None and bool(ctx.services.settings.secret_key)


def unsubscribe_link(ctx: Context, community: Community, member: Member) -> str:
    """A link that names the member and the community and nothing else, signed so it cannot be made up."""
    secret = ctx.services.settings.secret_key
    assert secret
    token = signing.sign(secret, PURPOSE, {"m": member.id, "c": community.id})
    return f"{ctx.services.settings.web_address}{PATH}?token={quote(token)}"


def _place(address: str, member: Member) -> Place:
    # One lane per member's address: a refusing mailbox holds up nobody else.
    return Place(EMAIL, "", address, direct=True, to_user=str(member.id))


class Mailing:
    """The email copies of one issue, queued with the rest of the send and checked an hour later."""

    def __init__(self, ctx: Context, community: Community, digest: Digest) -> None:
        self.ctx, self.community, self.digest = ctx, community, digest
        self.letters: list[tuple[Place, Message]] = []
        self.copies: dict[tuple[str, str], Message] = {}
        self.ready = email_ready(ctx)

    def add(self, member: Member, address: str, zone: str, locale: str) -> bool:
        """A copy for this reader (their own unsubscribe link in it); False when mail cannot go."""
        if not self.ready:
            return False
        link = unsubscribe_link(self.ctx, self.community, member)
        base = self.copies.get((zone, locale))
        if base is None:
            base = self.copies[(zone, locale)] = digest_render.render(
                self.digest, zone, locale, unsubscribe=PLACEHOLDER
            )
        # Only the link differs between two readers of one zone and language: no need to write the digest again.
        message = replace(base, footer=base.footer.replace(PLACEHOLDER, link), unsubscribe=link)
        self.letters.append((_place(address, member), message))
        return True

    async def done(self) -> int:
        """Queue the copies (marked, so the check finds them) and look at how they fared an hour later."""
        if not self.letters:
            return 0
        queued = await self.ctx.post_all(self.letters, origin=ORIGIN)
        now = self.ctx.now
        await self.ctx.schedule(
            CHECK,
            at=now + CHECK_AFTER,
            key=f"digest-mail:{self.community.id}:{now.isoformat()}",
            payload=MailCheck(self.community.id, now.isoformat()),
        )
        return queued


# -- confirming an address -----------------------------------------------------------------------------------------
def _hash(subscription_id: int, code: str) -> str:
    return hashlib.sha256(f"{subscription_id}:{code}".encode()).hexdigest()


@routine.command(
    "digest email",
    usage=N_("digest email <address>"),
    help=N_("Get the digest by email (I mail you a code to confirm the address)"),
    example="digest email amina@example.org",
)
async def email(ctx: MemberContext, text: str) -> None:
    if not email_ready(ctx):
        raise Answer(
            _(
                "Email is not set up here: the operator turns it on with CULTIVATE_SMTP_URL and CULTIVATE_MAIL_FROM. "
                "The digest can still come as a direct message: /cop digest subscribe"
            )
        )
    address = text.strip()
    if not _ADDRESS.fullmatch(address) or len(address) > 320:
        raise UsageError(_("That is not an email address, like amina@example.org"))
    code = f"{secrets.randbelow(10**6):06d}"
    row = await digests.subscription(ctx.db, ctx.community.id, ctx.member.id, ctx.now)
    row.pending_email, row.code_hash = address, _hash(row.id, code)
    row.code_expires_at, row.code_attempts, row.updated_at = ctx.now + CODE_LIFE, 0, ctx.now
    await ctx.post(
        _place(address, ctx.member),
        Message(
            _("Your code for the {name} digest: {code}").format(name=ctx.community.name, code=code),
            footer=_(
                "Type just these six digits in your conversation with Cultivate; they work for 30 minutes. "
                "If you did not ask for the digest, ignore this email: nothing will be sent."
            ),
        ),
    )
    await ctx.open_form(
        Form(
            VERIFY,
            _("Confirm your email"),
            (
                FormField(
                    "code",
                    _("The six-digit code I mailed to {address}").format(address=content(address)),
                    FieldKind.SHORT_TEXT,
                    max_length=20,
                ),
            ),
            state={"community": ctx.community.id},
        )
    )


@routine.form(VERIFY)
async def verified(ctx: MemberContext, values: dict[str, Any]) -> None:
    community = await communities.by_id(ctx.db, int(ctx.form_state.get("community", 0))) or ctx.community
    row = await digests.find_subscription(ctx.db, community.id, ctx.member.id)
    if row is None or row.pending_email is None or row.code_hash is None:
        raise Answer(_("No address is waiting to be confirmed: /cop digest email <address> starts again."))
    if row.code_expires_at is None or row.code_expires_at < ctx.now:
        row.pending_email = row.code_hash = None
        raise Answer(_("That code has expired: /cop digest email <address> sends a new one."))
    code = "".join(ch for ch in str(values.get("code") or "") if ch.isdigit())
    if not secrets.compare_digest(_hash(row.id, code), row.code_hash):
        # Counted after the commit: the refusal rolls back what this handler wrote, and the count must stay.
        subscription_id, services = row.id, ctx.services
        ctx.after_commit(lambda: _wrong_code(services, subscription_id))
        raise FormErrors({"code": _("That is not the code I mailed. Try again, or say cancel.")})
    row.email, row.pending_email, row.code_hash, row.code_expires_at = row.pending_email, None, None, None
    row.email_failures, row.set_aside_at, row.updated_at = 0, None, ctx.now
    await ctx.reply(
        _("Confirmed: the digest of *{name}* will come to {address}. Each one has a link to stop it.").format(
            name=content(community.name), address=content(row.email)
        )
    )


async def _wrong_code(services: Services, subscription_id: int) -> None:
    """One more wrong code; after a few the code is void (six digits are not guessed one message at a time)."""
    async with services.sessions() as db:
        row = await digests.subscription_by_id(db, subscription_id)
        if row is None or row.code_hash is None:
            return
        row.code_attempts += 1
        if row.code_attempts >= CODE_TRIES:
            row.pending_email = row.code_hash = row.code_expires_at = None
        await db.commit()


# -- how the mail fared --------------------------------------------------------------------------------------------
@routine.delivery(CHECK, payload=MailCheck)
async def check(ctx: DeliveryContext, due: MailCheck) -> None:
    """Count hard bounces per address; a good delivery resets the count; three in a row set the address aside."""
    community = await communities.by_id(ctx.db, due.community)
    if community is None:
        return
    ctx.community = community
    since = datetime.fromisoformat(due.since)
    results = await digests.mail_results(ctx.db, community.id, since, ORIGIN)
    if any(r.status not in (WorkStatus.DONE, WorkStatus.FAILED) for r in results) and due.round < CHECK_ROUNDS:
        # Some are still being retried: look again later rather than count half the story.
        await ctx.schedule(
            CHECK,
            at=ctx.now + CHECK_AFTER,
            key=f"digest-mail:{community.id}:{due.since}:{due.round + 1}",
            payload=replace(due, round=due.round + 1),
        )
        return
    rows = {
        r.member_id: r for r in await digests.subscriptions_of(ctx.db, community.id, {r.member_id for r in results})
    }
    for result in results:
        row = rows.get(result.member_id)
        if row is None or row.email is None or row.set_aside_at is not None:
            continue
        if result.status == WorkStatus.DONE:
            row.email_failures = 0
        elif result.status == WorkStatus.FAILED and (result.error or "").startswith(HARD_BOUNCE):
            row.email_failures += 1
            if row.email_failures >= SET_ASIDE_AFTER:
                row.set_aside_at = ctx.now
                await _tell_set_aside(ctx, community, result.member_id, row.email, result.error or "")


async def _tell_set_aside(ctx: Context, community: Community, member_id: int, address: str, error: str) -> None:
    member = await members.by_id(ctx.db, member_id)
    if member is None:
        return
    await ctx.dm(
        member,
        _(
            "The digest of *{name}* could not be delivered to {address} three times in a row (last: {error}), so I "
            "stopped mailing it there. `/cop digest email <address>` sets a working one; `/cop digest subscribe` "
            "brings it here instead."
        ).format(name=content(community.name), address=content(address), error=content(error[:160])),
    )

"""One person, several platforms: one-time link codes, coordinators' link proposals, and unlinking."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Activity, Identity, LinkCode, LinkProposal, Member

# No 0/O, 1/I/L: a code is read on one screen and typed on another.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_LIFETIME = timedelta(minutes=10)
PROPOSAL_LIFETIME = timedelta(days=7)
# Wrong codes a member may type within CODE_LIFETIME before being told to wait.
MAX_WRONG_CODES = 5
WRONG_CODE = "link.refused"


class Redeemed(StrEnum):
    LINKED = "linked"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    SAME_PLATFORM = "same_platform"
    SAME_MEMBER = "same_member"


def normalise(code: str) -> str:
    """A code as typed ("k7p4-qx2m", "K7P4 QX2M") in its one stored form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


async def issue_code(db: AsyncSession, member: Member, platform: str, now: datetime) -> str:
    """A new one-time code for the member, written XXXX-XXXX; an earlier unused code of theirs stops working."""
    await db.execute(delete(LinkCode).where(LinkCode.member_id == member.id, LinkCode.used_at.is_(None)))
    code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    db.add(
        LinkCode(
            member_id=member.id,
            code_hash=_hash(code),
            platform=platform,
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
    )
    await db.flush()
    return f"{code[:4]}-{code[4:]}"


@dataclass(frozen=True)
class Redemption:
    status: Redeemed
    # On LINKED: the member the code was given to, and on which platform.
    owner_id: int = 0
    given_on: str = ""


async def redeem(db: AsyncSession, code: str, member: Member, platform: str, now: datetime) -> Redemption:
    """Use a code typed by `member` on `platform`. Single use holds under concurrency: the code is claimed by one
    conditional update."""
    row = await db.scalar(select(LinkCode).where(LinkCode.code_hash == _hash(code)))
    if row is None:
        return Redemption(Redeemed.UNKNOWN)
    if row.used_at is not None:
        return Redemption(Redeemed.USED)
    if row.expires_at <= now:
        return Redemption(Redeemed.EXPIRED)
    if row.member_id == member.id:
        return Redemption(Redeemed.SAME_MEMBER)
    if row.platform == platform:
        return Redemption(Redeemed.SAME_PLATFORM)
    claimed = await db.execute(
        update(LinkCode)
        .where(LinkCode.id == row.id, LinkCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if not getattr(claimed, "rowcount", 0):
        return Redemption(Redeemed.USED)
    return Redemption(Redeemed.LINKED, row.member_id, row.platform)


async def wrong_codes(db: AsyncSession, member: Member, now: datetime) -> int:
    """Wrong codes the member typed lately (a guess at someone else's code is slowed down)."""
    return (
        await db.scalar(
            select(func.count())
            .select_from(Activity)
            .where(Activity.member_id == member.id, Activity.kind == WRONG_CODE, Activity.at > now - CODE_LIFETIME)
        )
        or 0
    )


async def propose(db: AsyncSession, first: Member, second: Member, by: Member, now: datetime) -> LinkProposal:
    """A coordinator's proposal that two members are one person; an open one between the same two is reused."""
    found = await db.scalar(
        select(LinkProposal).where(
            or_(
                (LinkProposal.first_id == first.id) & (LinkProposal.second_id == second.id),
                (LinkProposal.first_id == second.id) & (LinkProposal.second_id == first.id),
            ),
            LinkProposal.closed_at.is_(None),
            LinkProposal.expires_at > now,
        )
    )
    if found is not None:
        return found
    proposal = LinkProposal(
        first_id=first.id, second_id=second.id, proposed_by=by.id, created_at=now, expires_at=now + PROPOSAL_LIFETIME
    )
    db.add(proposal)
    await db.flush()
    return proposal


async def proposal(db: AsyncSession, proposal_id: int) -> LinkProposal | None:
    return await db.get(LinkProposal, proposal_id)


def confirm(found: LinkProposal, member_id: int, now: datetime) -> bool:
    """Note one account's yes; True once both have said it."""
    if member_id == found.first_id:
        found.first_confirmed_at = found.first_confirmed_at or now
    elif member_id == found.second_id:
        found.second_confirmed_at = found.second_confirmed_at or now
    return found.first_confirmed_at is not None and found.second_confirmed_at is not None


def close(found: LinkProposal, outcome: str, now: datetime) -> None:
    found.closed_at = now
    found.outcome = outcome


async def unlink(db: AsyncSession, member: Member, platform: str, now: datetime) -> Member:
    """Give the member's identities on `platform` to a new member of their own, who starts afresh; the history
    stays with `member`. The caller checks that `member` keeps at least one identity."""
    leaving = [i for i in member.identities if i.platform == platform]
    fresh = Member(display_name=member.display_name, timezone=member.timezone, profile={}, created_at=now)
    db.add(fresh)
    await db.flush()
    await db.execute(update(Identity).where(Identity.id.in_([i.id for i in leaving])).values(member_id=fresh.id))
    if member.reach_on == platform:
        member.reach_on = None
    await db.flush()
    await db.refresh(member, ["identities"])
    await db.refresh(fresh, ["identities"])
    return fresh


async def purge_expired(db: AsyncSession, now: datetime) -> int:
    """Codes and proposals past their time (and a day's grace, for the answer to a late try) are deleted."""
    cutoff = now - timedelta(days=1)
    codes = await db.execute(delete(LinkCode).where(LinkCode.expires_at < cutoff))
    proposals = await db.execute(delete(LinkProposal).where(LinkProposal.expires_at < cutoff))
    return int(getattr(codes, "rowcount", 0) or 0) + int(getattr(proposals, "rowcount", 0) or 0)

"""Web sign-in: one-time links (their nonces) and the sessions they open. Only hashes of secrets are stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import WebSession, WebSignIn

LINK_LIFETIME = timedelta(minutes=10)


class SignIn(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def issue_link(db: AsyncSession, member_id: int, community_id: int, now: datetime) -> str:
    """A new nonce for a sign-in link (the caller signs it into the link); valid once, for LINK_LIFETIME."""
    nonce = secrets.token_urlsafe(24)
    db.add(
        WebSignIn(
            member_id=member_id,
            community_id=community_id,
            nonce_hash=_hash(nonce),
            created_at=now,
            expires_at=now + LINK_LIFETIME,
        )
    )
    await db.flush()
    return nonce


async def redeem_link(db: AsyncSession, nonce: str, member_id: int, community_id: int, now: datetime) -> SignIn:
    """Use a sign-in link's nonce. Single use holds under concurrency: one conditional update claims it."""
    row = await db.scalar(select(WebSignIn).where(WebSignIn.nonce_hash == _hash(nonce)))
    if row is None or row.member_id != member_id or row.community_id != community_id:
        return SignIn.UNKNOWN
    if row.used_at is not None:
        return SignIn.USED
    if row.expires_at <= now:
        return SignIn.EXPIRED
    claimed = await db.execute(
        update(WebSignIn)
        .where(WebSignIn.id == row.id, WebSignIn.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return SignIn.OK if getattr(claimed, "rowcount", 0) else SignIn.USED


@dataclass(frozen=True)
class Session:
    id: int
    member_id: int
    expires_at: datetime


async def open_session(db: AsyncSession, member_id: int, now: datetime, lasts: timedelta) -> str:
    """A new session for the member; returns the token for the cookie (the database keeps only its hash)."""
    token = secrets.token_urlsafe(32)
    db.add(WebSession(member_id=member_id, token_hash=_hash(token), created_at=now, expires_at=now + lasts))
    await db.flush()
    return token


async def session_of(db: AsyncSession, token: str, now: datetime) -> Session | None:
    """The live session a cookie's token names, or None (unknown, expired, or signed out)."""
    row = await db.scalar(select(WebSession).where(WebSession.token_hash == _hash(token), WebSession.expires_at > now))
    return None if row is None else Session(row.id, row.member_id, row.expires_at)


async def close_session(db: AsyncSession, token: str) -> None:
    await db.execute(delete(WebSession).where(WebSession.token_hash == _hash(token)))


async def close_all(db: AsyncSession, member_id: int) -> int:
    """Sign the member out everywhere; returns how many sessions were open. Unused links stop working too."""
    await db.execute(delete(WebSignIn).where(WebSignIn.member_id == member_id, WebSignIn.used_at.is_(None)))
    closed = await db.execute(delete(WebSession).where(WebSession.member_id == member_id))
    return int(getattr(closed, "rowcount", 0) or 0)


async def sweep(db: AsyncSession, now: datetime) -> int:
    """Forget expired links and sessions; returns how many rows went."""
    links = await db.execute(delete(WebSignIn).where(WebSignIn.expires_at < now - LINK_LIFETIME))
    sessions = await db.execute(delete(WebSession).where(WebSession.expires_at < now))
    return int(getattr(links, "rowcount", 0) or 0) + int(getattr(sessions, "rowcount", 0) or 0)

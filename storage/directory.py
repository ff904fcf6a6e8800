"""The member directory: who knows what, found with the database's full-text search.

SQLite: FTS5 with porter stemming, ranked by bm25. PostgreSQL: english text search on stored, weighted tsvector
columns with GIN indexes, ranked by ts_rank. Small typos are forgiven by matching each query word against the
community's vocabulary first (storage.spelling: distinct words kept on write, not members), so the search itself
always runs in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DirectoryEntry
from storage.spelling import corrected
from storage.text_search import fts5_any, mentions, tsquery_any
from storage.text_search import words as words


class Looking(StrEnum):
    """Which side of a profile is searched."""

    KNOWS = "knows"  # expertise (weighted higher) and what they offer
    LEARNS = "learns"  # what they hope to learn


@dataclass(frozen=True)
class Match:
    member_id: int
    expertise: str
    offer: str
    learn: str
    # The query words (or their corrected forms) found in this member's entry.
    matched: tuple[str, ...]


async def save(
    db: AsyncSession, community_id: int, member_id: int, *, expertise: list[str], offer: str, learn: str, now: datetime
) -> None:
    entry = await db.scalar(
        select(DirectoryEntry).where(DirectoryEntry.community_id == community_id, DirectoryEntry.member_id == member_id)
    )
    if entry is None:
        entry = DirectoryEntry(community_id=community_id, member_id=member_id)
        db.add(entry)
    entry.expertise = ", ".join(expertise)
    entry.offer = offer
    entry.learn = learn
    entry.updated_at = now
    await db.flush()


async def search(
    db: AsyncSession,
    community_id: int,
    query: str,
    *,
    looking: Looking = Looking.KNOWS,
    limit: int = 5,
    offset: int = 0,
    exclude: tuple[int, ...] = (),
) -> list[Match]:
    """Members of the community matching `query`, best first."""
    wanted = words(query)
    if not wanted:
        return []
    terms = await corrected(db, community_id, looking.value, wanted)
    return await by_terms(db, community_id, terms, looking=looking, limit=limit, offset=offset, exclude=exclude)


async def by_terms(
    db: AsyncSession,
    community_id: int,
    terms: list[str],
    *,
    looking: Looking = Looking.KNOWS,
    limit: int = 5,
    offset: int = 0,
    exclude: tuple[int, ...] = (),
) -> list[Match]:
    """Members matching any of `terms` (query words already spelling-corrected), best first."""
    if db.get_bind().dialect.name == "postgresql":
        rows = await _search_postgres(db, community_id, terms, looking, limit + len(exclude), offset)
    else:
        rows = await _search_sqlite(db, community_id, terms, looking, limit + len(exclude), offset)
    matches = []
    for member_id, expertise, offer, learn in rows:
        if member_id in exclude:
            continue
        haystack = learn if looking is Looking.LEARNS else f"{expertise} {offer}"
        found = tuple(t for t in terms if mentions(haystack, t))
        matches.append(Match(member_id, expertise, offer, learn, found))
    return matches[:limit]


async def _search_postgres(
    db: AsyncSession, community_id: int, terms: list[str], looking: Looking, limit: int, offset: int
) -> list[tuple[int, str, str, str]]:
    # Stored generated columns (migration 0015): expertise weighted A and offers B; what they hope to learn.
    document = "directory_fts_learns" if looking is Looking.LEARNS else "directory_fts_knows"
    result = await db.execute(
        text(f"""
        SELECT member_id, expertise, offer, learn
        FROM directory_entry, to_tsquery('english', :query) AS q
        WHERE community_id = :community AND {document} @@ q
        ORDER BY ts_rank({document}, q) DESC, member_id
        LIMIT :limit OFFSET :offset"""),
        {"query": tsquery_any(terms), "community": community_id, "limit": limit, "offset": offset},
    )
    return [tuple(row) for row in result]


async def _search_sqlite(
    db: AsyncSession, community_id: int, terms: list[str], looking: Looking, limit: int, offset: int
) -> list[tuple[int, str, str, str]]:
    match = fts5_any(terms, "{learn}" if looking is Looking.LEARNS else "{expertise offer}")
    weights = "0.0, 0.0, 1.0" if looking is Looking.LEARNS else "3.0, 1.0, 0.0"
    result = await db.execute(
        text(f"""
        SELECT e.member_id, e.expertise, e.offer, e.learn
        FROM directory_fts JOIN directory_entry AS e ON e.id = directory_fts.rowid
        WHERE directory_fts MATCH :match AND e.community_id = :community
        ORDER BY bm25(directory_fts, {weights}), e.member_id
        LIMIT :limit OFFSET :offset"""),
        {"match": match, "community": community_id, "limit": limit, "offset": offset},
    )
    return [tuple(row) for row in result]


async def listing(db: AsyncSession, community_id: int, *, limit: int, offset: int = 0) -> list[DirectoryEntry]:
    """The community's directory entries, the most recently updated first (the web directory without a query)."""
    return list(
        (
            await db.scalars(
                select(DirectoryEntry)
                .where(DirectoryEntry.community_id == community_id)
                .order_by(DirectoryEntry.updated_at.desc(), DirectoryEntry.id.desc())
                .limit(limit)
                .offset(offset)
            )
        ).all()
    )

"""The community's knowledge items — the library: kept from routines or added by members, searched in full text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import KnowledgeItem
from storage.spelling import corrected
from storage.text_search import fts5_any, tsquery_any, words

__all__ = [
    "KINDS",
    "by_id",
    "by_source",
    "by_terms",
    "by_url",
    "in_community",
    "keep",
    "recent",
    "remove",
    "search",
    "snippet",
    "words",
]

KINDS = ("document", "video", "link", "summary", "lesson", "story")


async def keep(
    db: AsyncSession,
    *,
    community_id: int,
    kind: str,
    title: str,
    body: str,
    tags: list[str],
    source: str,
    added_by: int | None,
    now: datetime,
    url: str | None = None,
) -> KnowledgeItem:
    item = KnowledgeItem(
        community_id=community_id,
        kind=kind,
        title=title[:300],
        body=body,
        tags=tags,
        source=source,
        added_by=added_by,
        url=url,
        created_at=now,
    )
    db.add(item)
    await db.flush()
    return item


async def by_id(db: AsyncSession, item_id: int) -> KnowledgeItem | None:
    return await db.get(KnowledgeItem, item_id)


async def in_community(db: AsyncSession, community_id: int, item_id: int) -> KnowledgeItem | None:
    """One item of the community's library, or None (another community's items are not there to read)."""
    item = await db.get(KnowledgeItem, item_id)
    return item if item is not None and item.community_id == community_id else None


def snippet(body: str, query: str, width: int = 160) -> str:
    """A short piece of `body` to show under a search result: around the first word of `query` it holds, else its
    beginning; on one line, with … where it was cut."""
    flat = " ".join(body.split())
    if len(flat) <= width:
        return flat
    lowered = flat.casefold()
    hits = [i for w in words(query) if (i := lowered.find(w.split()[0][:5])) >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    if start:
        start = flat.rfind(" ", 0, start) + 1  # begin on a whole word
    piece = flat[start : start + width]
    if start + width < len(flat):
        piece = piece[: piece.rfind(" ")] if " " in piece else piece
    return ("…" if start else "") + piece + ("…" if start + len(piece) < len(flat) else "")


async def by_source(db: AsyncSession, source: str) -> Sequence[KnowledgeItem]:
    return (await db.scalars(select(KnowledgeItem).where(KnowledgeItem.source == source))).all()


async def by_url(db: AsyncSession, community_id: int, url: str) -> KnowledgeItem | None:
    return await db.scalar(
        select(KnowledgeItem).where(
            KnowledgeItem.community_id == community_id, func.lower(KnowledgeItem.url) == url.casefold()
        )
    )


async def remove(db: AsyncSession, item: KnowledgeItem) -> None:
    await db.delete(item)
    await db.flush()


async def recent(db: AsyncSession, community_id: int, *, limit: int, offset: int = 0) -> Sequence[KnowledgeItem]:
    return (
        await db.scalars(
            select(KnowledgeItem)
            .where(KnowledgeItem.community_id == community_id)
            .order_by(KnowledgeItem.created_at.desc(), KnowledgeItem.id.desc())
            .limit(limit)
            .offset(offset)
        )
    ).all()


async def search(
    db: AsyncSession, community_id: int, query: str, *, limit: int, offset: int = 0
) -> Sequence[KnowledgeItem]:
    """Items matching the words of `query`, best first; titles count most, then tags, then the body."""
    wanted = words(query)
    if not wanted:
        return []
    return await by_terms(
        db, community_id, await corrected(db, community_id, "library", wanted), limit=limit, offset=offset
    )


async def by_terms(
    db: AsyncSession, community_id: int, terms: list[str], *, limit: int, offset: int = 0
) -> Sequence[KnowledgeItem]:
    """Items matching any of `terms` (query words already spelling-corrected), best first."""
    if db.get_bind().dialect.name == "postgresql":
        # knowledge_fts: a stored generated column (migration 0015), titles weighted A, tags B, the body C.
        ids = await db.execute(
            text("""
            SELECT id FROM knowledge_item, to_tsquery('english', :query) AS q
            WHERE community_id = :community AND knowledge_fts @@ q
            ORDER BY ts_rank(knowledge_fts, q) DESC, id DESC LIMIT :limit OFFSET :offset"""),
            {"query": tsquery_any(terms), "community": community_id, "limit": limit, "offset": offset},
        )
    else:
        ids = await db.execute(
            text("""
            SELECT k.id FROM knowledge_fts JOIN knowledge_item AS k ON k.id = knowledge_fts.rowid
            WHERE knowledge_fts MATCH :match AND k.community_id = :community
            ORDER BY bm25(knowledge_fts, 5.0, 1.0, 3.0), k.id DESC LIMIT :limit OFFSET :offset"""),
            {"match": fts5_any(terms), "community": community_id, "limit": limit, "offset": offset},
        )
    order = [row[0] for row in ids]
    if not order:
        return []
    items = {i.id: i for i in (await db.scalars(select(KnowledgeItem).where(KnowledgeItem.id.in_(order)))).all()}
    return [items[i] for i in order if i in items]

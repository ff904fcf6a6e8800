"""Library reuse: an item found in a search by someone other than the one who added it is being used again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import KnowledgeItem, LibraryUse


async def found(db: AsyncSession, items: Sequence[KnowledgeItem], member_id: int, now: datetime) -> None:
    """Note who found which items (once per member and item: a repeated search is not more reuse)."""
    rows = [{"item_id": i.id, "member_id": member_id, "at": now} for i in items if i.added_by != member_id]
    if not rows:
        return
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    await db.execute(insert(LibraryUse).values(rows).on_conflict_do_nothing(index_elements=["item_id", "member_id"]))

"""Everything Cultivate keeps about one member, as plain JSON-ready data (/cop my-data)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import and_, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.member_columns import IDENTITY_KEYED, MEMBER_COLUMNS, MEMBER_ID_LISTS, IdentityKeyed
from storage.member_merge import listing, payload_member
from storage.models import Delivery, DeliveryStatus, Member, PostedCard

MEMBER_FIELDS = (
    "id",
    "display_name",
    "timezone",
    "profile",
    "created_at",
    "refreshed_at",
    "reach_on",
    "forget_due_at",
    "language",
    "platform_locale",
)


async def export(db: AsyncSession, member: Member) -> dict[str, Any]:
    """The member's own row, then every row that names them, by "table.column" (empty lists left out)."""
    records: dict[str, list[dict[str, Any]]] = {}
    for spec in MEMBER_COLUMNS:
        if not spec.export:
            continue
        model = spec.column.class_
        rows = (await db.scalars(select(model).where(spec.column == member.id).order_by(model.id))).all()
        if rows:
            records[spec.name] = [row_data(r) for r in rows]
    for column in MEMBER_ID_LISTS:
        rows = await listing(db, column, member.id)
        if rows:
            records[f"{column.class_.__tablename__}.{column.key}"] = [{"id": r.id} for r in rows]
    pending = (
        await db.scalars(
            select(Delivery)
            .where(Delivery.status == DeliveryStatus.PENDING, payload_member() == member.id)
            .order_by(Delivery.due_at)
        )
    ).all()
    if pending:
        records["delivery.payload.member"] = [
            {"kind": d.kind, "due_at": d.due_at.isoformat(), "payload": d.payload} for d in pending
        ]
    for keyed in IDENTITY_KEYED:
        rows = await identity_rows(db, keyed, member)
        if rows:
            records[keyed.name] = [row_data(r) for r in rows]
    return {"member": {f: to_json(getattr(member, f)) for f in MEMBER_FIELDS}, "records": records}


async def identity_rows(db: AsyncSession, keyed: IdentityKeyed, member: Member) -> list[Any]:
    """A platform's records about the member's accounts on it."""
    model = keyed.user_id.class_
    accounts = [i for i in member.identities if i.platform == keyed.platform]
    if not accounts:
        return []
    rows: list[Any] = []
    for identity in accounts:
        where = keyed.user_id == identity.user_id
        if keyed.tenant is not None:
            where = and_(where, keyed.tenant == identity.tenant)
        rows += (await db.scalars(select(model).where(where))).all()
    return rows


def row_data(row: Any) -> dict[str, Any]:
    return {attr.key: to_json(getattr(row, attr.key)) for attr in inspect(type(row)).column_attrs}


def to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, PostedCard):
        return value.to_json()
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value

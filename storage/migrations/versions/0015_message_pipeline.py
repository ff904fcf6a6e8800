"""the message pipeline: an inbound journal and an outbound queue; the journal replaces processed_event

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "inbound",
        sa.Column("id", _ID, nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("lane", sa.String(length=300), nullable=False),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "event_id"),
    )
    op.create_index("ix_inbound_work", "inbound", ["status", "lane", "id"])
    op.create_index("ix_inbound_received", "inbound", ["received_at"])
    op.create_table(
        "outbound",
        sa.Column("id", _ID, nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("tenant", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=400), nullable=False),
        sa.Column("to_user", sa.String(length=200), nullable=True),
        sa.Column("direct", sa.Boolean(), nullable=False),
        sa.Column("thread", sa.String(length=200), nullable=True),
        sa.Column("replaces", sa.String(length=200), nullable=True),
        sa.Column("only_for", sa.String(length=200), nullable=True),
        sa.Column("private", sa.Boolean(), nullable=False),
        sa.Column("message", sa.JSON(), nullable=False),
        sa.Column("lane", sa.String(length=700), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("platform_ref", sa.String(length=200), nullable=True),
        sa.Column("platform_channel", sa.String(length=400), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("origin", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["community_id"], ["community.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outbound_work", "outbound", ["status", "priority", "id"])
    op.create_index("ix_outbound_lane", "outbound", ["lane", "id"])
    op.create_index("ix_outbound_platform_ref", "outbound", ["platform", "channel", "platform_ref"])
    op.create_index("ix_outbound_created", "outbound", ["created_at"])
    op.drop_table("processed_event")


def downgrade() -> None:
    op.create_table(
        "processed_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "event_id"),
    )
    op.create_index("ix_processed_event_processed_at", "processed_event", ["processed_at"])
    op.drop_table("outbound")
    op.drop_table("inbound")

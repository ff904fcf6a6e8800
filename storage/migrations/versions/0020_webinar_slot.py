"""webinar slot: a moved session keeps the series' slot, so the sessions after it are not moved with it

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 22:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webinar", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slot_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webinar", schema=None) as batch_op:
        batch_op.drop_column("slot_at")

"""teams conversation references

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('teams_conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=400), nullable=False),
    sa.Column('tenant', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.String(length=200), nullable=True),
    sa.Column('service_url', sa.String(length=500), nullable=False),
    sa.Column('bot_id', sa.String(length=200), nullable=False),
    sa.Column('reference', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('conversation_id')
    )
    with op.batch_alter_table('teams_conversation', schema=None) as batch_op:
        batch_op.create_index('ix_teams_conversation_user', ['tenant', 'user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('teams_conversation', schema=None) as batch_op:
        batch_op.drop_index('ix_teams_conversation_user')

    op.drop_table('teams_conversation')

"""yammer feeds: last seen id per polled feed, member baselines, and the bot's own posts

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('yammer_feed',
    sa.Column('feed', sa.String(length=64), nullable=False),
    sa.Column('last_seen_id', sa.BigInteger(), nullable=True),
    sa.Column('members', sa.JSON(), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('feed')
    )
    op.create_table('yammer_post',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('thread_id', sa.BigInteger(), nullable=False),
    sa.Column('group_id', sa.String(length=64), nullable=True),
    sa.Column('audience', sa.String(length=64), nullable=True),
    sa.Column('buttons', sa.JSON(), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('yammer_post', schema=None) as batch_op:
        batch_op.create_index('ix_yammer_post_thread', ['thread_id'], unique=False)
        batch_op.create_index('ix_yammer_post_audience', ['audience', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('yammer_post', schema=None) as batch_op:
        batch_op.drop_index('ix_yammer_post_audience')
        batch_op.drop_index('ix_yammer_post_thread')

    op.drop_table('yammer_post')
    op.drop_table('yammer_feed')

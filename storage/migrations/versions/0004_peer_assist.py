"""peer assist

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assist_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('asker_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('context', sa.Text(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('needed_by', sa.String(length=10), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('cards', sa.JSON(), nullable=False),
    sa.Column('what_worked', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['asker_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('assist_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assist_request_asker_id'), ['asker_id'], unique=False)
        batch_op.create_index('ix_assist_request_community_status', ['community_id', 'status'], unique=False)

    op.create_table('knowledge_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('added_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by'], ['member.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('knowledge_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_item_community_id'), ['community_id'], unique=False)

    op.create_table('recognition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['member.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('recognition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recognition_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recognition_member_id'), ['member_id'], unique=False)

    op.create_table('assist_participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('part', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['assist_request.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('request_id', 'member_id', 'part')
    )
    with op.batch_alter_table('assist_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assist_participant_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assist_participant_request_id'), ['request_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('assist_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assist_participant_request_id'))
        batch_op.drop_index(batch_op.f('ix_assist_participant_member_id'))

    op.drop_table('assist_participant')
    with op.batch_alter_table('recognition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recognition_member_id'))
        batch_op.drop_index(batch_op.f('ix_recognition_community_id'))

    op.drop_table('recognition')
    with op.batch_alter_table('knowledge_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_item_community_id'))

    op.drop_table('knowledge_item')
    with op.batch_alter_table('assist_request', schema=None) as batch_op:
        batch_op.drop_index('ix_assist_request_community_status')
        batch_op.drop_index(batch_op.f('ix_assist_request_asker_id'))

    op.drop_table('assist_request')

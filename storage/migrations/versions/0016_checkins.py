"""check-ins: recurring recaps before a call, minutes and action items; working-out-loud circles

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('checkin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('rule', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('anchor', sa.DateTime(timezone=True), nullable=False),
    sa.Column('call_url', sa.String(length=1000), nullable=True),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('lead_minutes', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['member.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_community_id'), ['community_id'], unique=False)

    op.create_table('wol_circle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('every_days', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('started_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['started_by'], ['member.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('wol_circle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wol_circle_community_id'), ['community_id'], unique=False)

    op.create_table('checkin_call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checkin_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('prepared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('agenda_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('agenda_cards', sa.JSON(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=True),
    sa.Column('minutes_by', sa.Integer(), nullable=True),
    sa.Column('minutes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('knowledge_item_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['checkin_id'], ['checkin.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['knowledge_item_id'], ['knowledge_item.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['minutes_by'], ['member.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checkin_call', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_call_checkin_starts', ['checkin_id', 'starts_at'], unique=False)

    op.create_table('checkin_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checkin_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['checkin_id'], ['checkin.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('checkin_id', 'member_id')
    )
    with op.batch_alter_table('checkin_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_member_checkin_id'), ['checkin_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_member_member_id'), ['member_id'], unique=False)

    op.create_table('wol_cycle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('compiles_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('compiled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cards', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['circle_id'], ['wol_circle.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('wol_cycle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wol_cycle_circle_id'), ['circle_id'], unique=False)

    op.create_table('wol_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('circle_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['circle_id'], ['wol_circle.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('circle_id', 'member_id')
    )
    with op.batch_alter_table('wol_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wol_member_circle_id'), ['circle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wol_member_member_id'), ['member_id'], unique=False)

    op.create_table('checkin_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checkin_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('due_on', sa.String(length=10), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['checkin_call.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['checkin_id'], ['checkin.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('checkin_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_action_call_id'), ['call_id'], unique=False)
        batch_op.create_index('ix_checkin_action_checkin_done', ['checkin_id', 'done_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_action_owner_id'), ['owner_id'], unique=False)

    op.create_table('checkin_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('support_request_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['checkin_call.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['support_request_id'], ['assist_request.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('call_id', 'member_id')
    )
    with op.batch_alter_table('checkin_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_answer_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_answer_member_id'), ['member_id'], unique=False)

    op.create_table('wol_share',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('working_on', sa.Text(), nullable=False),
    sa.Column('learned', sa.Text(), nullable=False),
    sa.Column('help', sa.Text(), nullable=False),
    sa.Column('skipped', sa.Boolean(), nullable=False),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('help_request_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['wol_cycle.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['help_request_id'], ['assist_request.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('cycle_id', 'member_id')
    )
    with op.batch_alter_table('wol_share', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wol_share_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wol_share_member_id'), ['member_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('wol_share', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wol_share_member_id'))
        batch_op.drop_index(batch_op.f('ix_wol_share_cycle_id'))

    op.drop_table('wol_share')
    with op.batch_alter_table('checkin_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_answer_member_id'))
        batch_op.drop_index(batch_op.f('ix_checkin_answer_call_id'))

    op.drop_table('checkin_answer')
    with op.batch_alter_table('checkin_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_action_owner_id'))
        batch_op.drop_index('ix_checkin_action_checkin_done')
        batch_op.drop_index(batch_op.f('ix_checkin_action_call_id'))

    op.drop_table('checkin_action')
    with op.batch_alter_table('wol_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wol_member_member_id'))
        batch_op.drop_index(batch_op.f('ix_wol_member_circle_id'))

    op.drop_table('wol_member')
    with op.batch_alter_table('wol_cycle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wol_cycle_circle_id'))

    op.drop_table('wol_cycle')
    with op.batch_alter_table('checkin_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_member_member_id'))
        batch_op.drop_index(batch_op.f('ix_checkin_member_checkin_id'))

    op.drop_table('checkin_member')
    with op.batch_alter_table('checkin_call', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_call_checkin_starts')

    op.drop_table('checkin_call')
    with op.batch_alter_table('wol_circle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wol_circle_community_id'))

    op.drop_table('wol_circle')
    with op.batch_alter_table('checkin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_community_id'))

    op.drop_table('checkin')

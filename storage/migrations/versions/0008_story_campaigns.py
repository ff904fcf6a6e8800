"""story campaigns

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('story_campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('cron', sa.String(length=100), nullable=False),
    sa.Column('sample_size', sa.Integer(), nullable=False),
    sa.Column('rest_days', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('story_campaign', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_campaign_community_id'), ['community_id'], unique=False)

    op.create_table('campaign_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('invited', sa.Integer(), nullable=False),
    sa.Column('responded', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['story_campaign.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('campaign_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_round_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('round_invite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('stratum', sa.String(length=16), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['campaign_round.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_id', 'member_id')
    )
    with op.batch_alter_table('round_invite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_invite_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_invite_round_id'), ['round_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('round_invite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_invite_round_id'))
        batch_op.drop_index(batch_op.f('ix_round_invite_member_id'))

    op.drop_table('round_invite')
    with op.batch_alter_table('campaign_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_round_campaign_id'))

    op.drop_table('campaign_round')
    with op.batch_alter_table('story_campaign', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_campaign_community_id'))

    op.drop_table('story_campaign')

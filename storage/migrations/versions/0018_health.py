"""community health: the participation ledger, invitations, attendance, library reuse, champion offers; the value
cycle of stories and the presenters of webinars known as members

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contribution',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.create_index('ix_contribution_window', ['community_id', 'at', 'member_id', 'kind'], unique=False)
        batch_op.create_index('ix_contribution_member', ['member_id', 'community_id', 'at', 'kind'], unique=False)

    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index('ix_invitation_community_sent', ['community_id', 'sent_at'], unique=False)
        batch_op.create_index('ix_invitation_member', ['member_id', 'community_id', 'sent_at'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webinar_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webinar_id'], ['webinar.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('webinar_id', 'member_id')
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_member_id'), ['member_id'], unique=False)

    op.create_table('library_use',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['knowledge_item.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_id', 'member_id')
    )
    with op.batch_alter_table('library_use', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_library_use_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_library_use_member_id'), ['member_id'], unique=False)

    op.create_table('champion_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('offered_by', sa.Integer(), nullable=True),
    sa.Column('offered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.String(length=8), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offered_by'], ['member.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('champion_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_champion_offer_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_champion_offer_member_id'), ['member_id'], unique=False)

    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.add_column(sa.Column('value_cycle', sa.String(length=16), nullable=True))

    with op.batch_alter_table('webinar', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presenter_ids', sa.JSON(), server_default='[]', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('webinar', schema=None) as batch_op:
        batch_op.drop_column('presenter_ids')

    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.drop_column('value_cycle')

    with op.batch_alter_table('champion_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_champion_offer_member_id'))
        batch_op.drop_index(batch_op.f('ix_champion_offer_community_id'))
    op.drop_table('champion_offer')

    with op.batch_alter_table('library_use', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_library_use_member_id'))
        batch_op.drop_index(batch_op.f('ix_library_use_at'))
    op.drop_table('library_use')

    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_member_id'))
    op.drop_table('attendance')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index('ix_invitation_member')
        batch_op.drop_index('ix_invitation_community_sent')
    op.drop_table('invitation')

    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_index('ix_contribution_member')
        batch_op.drop_index('ix_contribution_window')
    op.drop_table('contribution')

"""web: one-time sign-in links and web sessions

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 22:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('web_sign_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('nonce_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nonce_hash')
    )
    op.create_index(op.f('ix_web_sign_in_member_id'), 'web_sign_in', ['member_id'], unique=False)
    op.create_index(op.f('ix_web_sign_in_community_id'), 'web_sign_in', ['community_id'], unique=False)
    op.create_index(op.f('ix_web_sign_in_expires_at'), 'web_sign_in', ['expires_at'], unique=False)
    op.create_table('web_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_index(op.f('ix_web_session_member_id'), 'web_session', ['member_id'], unique=False)
    op.create_index(op.f('ix_web_session_expires_at'), 'web_session', ['expires_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_web_session_expires_at'), table_name='web_session')
    op.drop_index(op.f('ix_web_session_member_id'), table_name='web_session')
    op.drop_table('web_session')
    op.drop_index(op.f('ix_web_sign_in_expires_at'), table_name='web_sign_in')
    op.drop_index(op.f('ix_web_sign_in_community_id'), table_name='web_sign_in')
    op.drop_index(op.f('ix_web_sign_in_member_id'), table_name='web_sign_in')
    op.drop_table('web_sign_in')

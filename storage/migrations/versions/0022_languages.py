"""languages: the language a member chose and the locale their platform states

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 22:40:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('platform_locale', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('platform_locale')
        batch_op.drop_column('language')

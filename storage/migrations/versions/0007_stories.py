"""stories

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('story',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('teller_id', sa.Integer(), nullable=False),
    sa.Column('situation', sa.Text(), nullable=False),
    sa.Column('helped', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('value_number', sa.Double(), nullable=True),
    sa.Column('value_unit', sa.String(length=40), nullable=True),
    sa.Column('consent', sa.String(length=24), nullable=False),
    sa.Column('knowledge_item_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['knowledge_item_id'], ['knowledge_item.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['teller_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_teller_id'), ['teller_id'], unique=False)


def downgrade() -> None:
    op.drop_table('story')

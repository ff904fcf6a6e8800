"""people: linked identities and where to reach a member, communities managed from chat, export log

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 19:00:39.736049
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def _add_merged_into(table: str) -> None:
    """A nullable self-reference. On SQLite not in batch mode: recreating the table drops it first, and with
    foreign keys on that deletes every row referring to it (memberships, identities, ...)."""
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE {table} ADD COLUMN merged_into_id INTEGER REFERENCES {table} (id)')
    else:
        op.add_column(table, sa.Column('merged_into_id', sa.Integer(), nullable=True))
        op.create_foreign_key(f'fk_{table}_merged_into', table, table, ['merged_into_id'], ['id'])


def _drop_merged_into(table: str) -> None:
    if op.get_bind().dialect.name == 'sqlite':
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('merged_into_id')
    else:
        op.drop_constraint(f'fk_{table}_merged_into', table, type_='foreignkey')
        op.drop_column(table, 'merged_into_id')


def upgrade() -> None:
    op.create_table('export_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('what', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('export_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_log_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_log_member_id'), ['member_id'], unique=False)

    op.create_table('link_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_hash')
    )
    with op.batch_alter_table('link_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_code_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_link_code_member_id'), ['member_id'], unique=False)

    op.create_table('link_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_id', sa.Integer(), nullable=False),
    sa.Column('second_id', sa.Integer(), nullable=False),
    sa.Column('proposed_by', sa.Integer(), nullable=True),
    sa.Column('first_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('second_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['first_id'], ['member.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by'], ['member.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['second_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('link_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_proposal_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_link_proposal_first_id'), ['first_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_link_proposal_second_id'), ['second_id'], unique=False)

    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=16), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('chat_fields', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('dropped_channels', sa.JSON(), server_default='[]', nullable=False))

    with op.batch_alter_table('community_channel', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_chat', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('identity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reach_on', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('forget_due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('forgotten_at', sa.DateTime(timezone=True), nullable=True))

    _add_merged_into('community')
    _add_merged_into('member')


def downgrade() -> None:
    # On SQLite the self-references can only go by recreating the tables: back up the database before a downgrade.
    _drop_merged_into('member')
    _drop_merged_into('community')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('forgotten_at')
        batch_op.drop_column('forget_due_at')
        batch_op.drop_column('reach_on')

    with op.batch_alter_table('identity', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')

    with op.batch_alter_table('community_channel', schema=None) as batch_op:
        batch_op.drop_column('from_chat')

    with op.batch_alter_table('community', schema=None) as batch_op:
        batch_op.drop_column('dropped_channels')
        batch_op.drop_column('chat_fields')
        batch_op.drop_column('archived_at')
        batch_op.drop_column('language')

    with op.batch_alter_table('link_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_proposal_second_id'))
        batch_op.drop_index(batch_op.f('ix_link_proposal_first_id'))
        batch_op.drop_index(batch_op.f('ix_link_proposal_expires_at'))

    op.drop_table('link_proposal')
    with op.batch_alter_table('link_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_code_member_id'))
        batch_op.drop_index(batch_op.f('ix_link_code_expires_at'))

    op.drop_table('link_code')
    with op.batch_alter_table('export_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_log_member_id'))
        batch_op.drop_index(batch_op.f('ix_export_log_community_id'))
        batch_op.drop_index(batch_op.f('ix_export_log_at'))

    op.drop_table('export_log')

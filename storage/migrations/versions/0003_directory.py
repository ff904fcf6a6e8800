"""member directory with full-text search

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

SQLITE_FTS = [
    # External-content FTS5 over directory_entry: porter stemming makes "dashboards" find "dashboard".
    """CREATE VIRTUAL TABLE directory_fts USING fts5(expertise, offer, learn, content='directory_entry',
       content_rowid='id', tokenize='porter unicode61')""",
    """CREATE VIRTUAL TABLE directory_vocab USING fts5vocab(directory_fts, 'col')""",
    """CREATE TRIGGER directory_ai AFTER INSERT ON directory_entry BEGIN
         INSERT INTO directory_fts(rowid, expertise, offer, learn) VALUES (new.id, new.expertise, new.offer, new.learn);
       END""",
    """CREATE TRIGGER directory_ad AFTER DELETE ON directory_entry BEGIN
         INSERT INTO directory_fts(directory_fts, rowid, expertise, offer, learn)
         VALUES ('delete', old.id, old.expertise, old.offer, old.learn);
       END""",
    """CREATE TRIGGER directory_au AFTER UPDATE ON directory_entry BEGIN
         INSERT INTO directory_fts(directory_fts, rowid, expertise, offer, learn)
         VALUES ('delete', old.id, old.expertise, old.offer, old.learn);
         INSERT INTO directory_fts(rowid, expertise, offer, learn) VALUES (new.id, new.expertise, new.offer, new.learn);
       END""",
]
POSTGRES_INDEXES = [
    """CREATE INDEX ix_directory_who ON directory_entry
       USING gin (to_tsvector('english', coalesce(expertise, '') || ' ' || coalesce(offer, '')))""",
    """CREATE INDEX ix_directory_learn ON directory_entry USING gin (to_tsvector('english', coalesce(learn, '')))""",
]


def upgrade() -> None:
    op.create_table('directory_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('expertise', sa.Text(), nullable=False),
    sa.Column('offer', sa.Text(), nullable=False),
    sa.Column('learn', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('community_id', 'member_id')
    )
    with op.batch_alter_table('directory_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_entry_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_entry_member_id'), ['member_id'], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_FTS if dialect == "sqlite" else POSTGRES_INDEXES if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("directory_ai", "directory_ad", "directory_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS directory_vocab")
        op.execute("DROP TABLE IF EXISTS directory_fts")
    op.drop_table('directory_entry')

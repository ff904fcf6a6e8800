"""full-text search over knowledge items (the library)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

SQLITE = [
    """CREATE VIRTUAL TABLE knowledge_fts USING fts5(title, body, tags, content='knowledge_item', content_rowid='id',
       tokenize='porter unicode61')""",
    """CREATE VIRTUAL TABLE knowledge_vocab USING fts5vocab(knowledge_fts, 'row')""",
    """CREATE TRIGGER knowledge_ai AFTER INSERT ON knowledge_item BEGIN
         INSERT INTO knowledge_fts(rowid, title, body, tags) VALUES (new.id, new.title, new.body, new.tags);
       END""",
    """CREATE TRIGGER knowledge_ad AFTER DELETE ON knowledge_item BEGIN
         INSERT INTO knowledge_fts(knowledge_fts, rowid, title, body, tags) VALUES ('delete', old.id, old.title, old.body, old.tags);
       END""",
    """CREATE TRIGGER knowledge_au AFTER UPDATE ON knowledge_item BEGIN
         INSERT INTO knowledge_fts(knowledge_fts, rowid, title, body, tags) VALUES ('delete', old.id, old.title, old.body, old.tags);
         INSERT INTO knowledge_fts(rowid, title, body, tags) VALUES (new.id, new.title, new.body, new.tags);
       END""",
]
POSTGRES = [
    """CREATE INDEX ix_knowledge_search ON knowledge_item USING gin (to_tsvector('english',
       coalesce(title, '') || ' ' || coalesce(body, '') || ' ' || coalesce(tags::text, '')))""",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE if dialect == "sqlite" else POSTGRES if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("knowledge_ai", "knowledge_ad", "knowledge_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS knowledge_vocab")
        op.execute("DROP TABLE IF EXISTS knowledge_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_knowledge_search")

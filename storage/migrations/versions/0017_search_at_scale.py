"""search at scale: a vocabulary kept on write for spelling correction, stored text-search vectors on PostgreSQL

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01

Until now spelling correction listed the whole index's vocabulary on every query (ts_stat over the table on
PostgreSQL, fts5vocab on SQLite) and PostgreSQL re-parsed every matching row to rank it. Now:

- search_term holds each community's words per index ("library", "knows", "learns") with a document count, and
  search_term_gram their letter pairs, both written by triggers, so any write keeps them right;
- PostgreSQL keeps the weighted tsvector in a stored generated column, indexed with GIN, so a search reads the
  index and ranks from the stored vector;
- SQLite learns a document's words from a contentless FTS5 "scratch" index with the same tokenizer as the real
  one: the trigger puts the one document in, reads its words through fts5vocab, and empties it again.
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

# Positions 1..100 for SQLite triggers, which may not use a recursive CTE: a term's letter pairs come from these.
_POSITIONS = json.dumps(list(range(1, 101)))

SQLITE_GRAMS = f"""
CREATE TRIGGER search_term_grams AFTER INSERT ON search_term BEGIN
  INSERT INTO search_term_gram(term_id, gram, community_id, field, length, grams)
  SELECT new.id, gram, new.community_id, new.field, length(new.term), count(*) OVER ()
  FROM (SELECT DISTINCT substr(' ' || new.term || ' ', p.value, 2) AS gram FROM json_each('{_POSITIONS}') AS p
        WHERE p.value <= length(new.term) + 1);
END"""


def _sqlite_terms(table: str, scratch: str, columns: str, fields: dict[str, str]) -> list[str]:
    """Triggers that count the words of `table`'s documents into search_term, per field.

    `fields` maps a field to the scratch columns it covers. On update the new words are counted before the old
    ones are let go, so a word kept by the edit never drops to zero and loses its row (and letter pairs)."""
    values = ", ".join(f"{{row}}.{c}" for c in columns.split(", "))
    put = f"INSERT INTO {scratch}(rowid, {columns}) VALUES ({{row}}.id, {values});"
    empty = f"INSERT INTO {scratch}({scratch}) VALUES ('delete-all');"

    def words(cols: str) -> str:
        return f"SELECT DISTINCT term FROM {scratch}_vocab WHERE col IN ({cols})"

    def count(row: str) -> str:
        return put.format(row=row) + "".join(
            f"""
            INSERT INTO search_term(community_id, field, term, documents)
              SELECT {row}.community_id, '{field}', term, 1 FROM ({words(cols)}) WHERE true
              ON CONFLICT(community_id, field, term) DO UPDATE SET documents = documents + 1;"""
            for field, cols in fields.items()
        ) + empty

    def forget(row: str) -> str:
        return put.format(row=row) + "".join(
            f"""
            UPDATE search_term SET documents = documents - 1
              WHERE community_id = {row}.community_id AND field = '{field}' AND term IN ({words(cols)});
            DELETE FROM search_term
              WHERE community_id = {row}.community_id AND field = '{field}' AND term IN ({words(cols)})
              AND documents <= 0;"""
            for field, cols in fields.items()
        ) + empty

    return [
        f"CREATE TRIGGER {table}_terms_ai AFTER INSERT ON {table} BEGIN {count('new')} END",
        f"CREATE TRIGGER {table}_terms_ad AFTER DELETE ON {table} BEGIN {forget('old')} END",
        f"CREATE TRIGGER {table}_terms_au AFTER UPDATE OF {columns}, community_id ON {table} BEGIN "
        f"{count('new')} {forget('old')} END",
    ]


SQLITE = [
    "DROP TABLE IF EXISTS knowledge_vocab",
    "DROP TABLE IF EXISTS directory_vocab",
    """CREATE VIRTUAL TABLE knowledge_fts_scratch USING fts5(title, body, tags, content='',
       tokenize='porter unicode61')""",
    "CREATE VIRTUAL TABLE knowledge_fts_scratch_vocab USING fts5vocab(knowledge_fts_scratch, 'col')",
    """CREATE VIRTUAL TABLE directory_fts_scratch USING fts5(expertise, offer, learn, content='',
       tokenize='porter unicode61')""",
    "CREATE VIRTUAL TABLE directory_fts_scratch_vocab USING fts5vocab(directory_fts_scratch, 'col')",
    SQLITE_GRAMS,
    *_sqlite_terms(
        "knowledge_item", "knowledge_fts_scratch", "title, body, tags", {"library": "'title', 'body', 'tags'"}
    ),
    *_sqlite_terms(
        "directory_entry",
        "directory_fts_scratch",
        "expertise, offer, learn",
        {"knows": "'expertise', 'offer'", "learns": "'learn'"},
    ),
    # The words already indexed, read once from the real indexes.
    "CREATE VIRTUAL TABLE temp.knowledge_fts_instance USING fts5vocab(main, knowledge_fts, 'instance')",
    """INSERT INTO search_term(community_id, field, term, documents)
       SELECT k.community_id, 'library', v.term, count(DISTINCT v.doc)
       FROM temp.knowledge_fts_instance AS v JOIN knowledge_item AS k ON k.id = v.doc
       GROUP BY k.community_id, v.term""",
    "DROP TABLE temp.knowledge_fts_instance",
    "CREATE VIRTUAL TABLE temp.directory_fts_instance USING fts5vocab(main, directory_fts, 'instance')",
    """INSERT INTO search_term(community_id, field, term, documents)
       SELECT e.community_id, CASE WHEN v.col = 'learn' THEN 'learns' ELSE 'knows' END AS side, v.term,
              count(DISTINCT v.doc)
       FROM temp.directory_fts_instance AS v JOIN directory_entry AS e ON e.id = v.doc
       GROUP BY e.community_id, side, v.term""",
    "DROP TABLE temp.directory_fts_instance",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_term_grams",
    *(f"DROP TRIGGER IF EXISTS {t}_terms_{e}" for t in ("knowledge_item", "directory_entry") for e in ("ai", "ad", "au")),
    "DROP TABLE IF EXISTS knowledge_fts_scratch_vocab",
    "DROP TABLE IF EXISTS knowledge_fts_scratch",
    "DROP TABLE IF EXISTS directory_fts_scratch_vocab",
    "DROP TABLE IF EXISTS directory_fts_scratch",
    "CREATE VIRTUAL TABLE knowledge_vocab USING fts5vocab(knowledge_fts, 'row')",
    "CREATE VIRTUAL TABLE directory_vocab USING fts5vocab(directory_fts, 'col')",
]


def _postgres_terms(table: str, vectors: dict[str, str]) -> list[str]:
    """A trigger function counting the words of `table`'s stored vectors (field -> column) into search_term, and
    its three statement-level triggers; rows added count +1 per word, rows removed -1."""
    def changes(vector: str) -> dict[str, str]:
        parts = {
            "added": f"SELECT community_id, word, 1 AS delta FROM added, unnest(tsvector_to_array({vector})) AS word",
            "removed": f"SELECT community_id, word, -1 AS delta FROM removed, unnest(tsvector_to_array({vector})) AS word",
        }
        body = {
            "INSERT": parts["added"],
            "DELETE": parts["removed"],
            "UPDATE": parts["added"] + " UNION ALL " + parts["removed"],
        }
        return {
            op: f"""SELECT array_agg(community_id), array_agg(word), array_agg(delta)
                    INTO communities, words, deltas
                    FROM (SELECT community_id, word, sum(delta)::integer AS delta FROM ({sql}) AS d
                          GROUP BY community_id, word HAVING sum(delta) <> 0) AS net;"""
            for op, sql in body.items()
        }

    branches = []
    for op in ("INSERT", "DELETE", "UPDATE"):
        steps = "".join(
            f"{changes(vector)[op]} PERFORM search_terms_apply('{field}', communities, words, deltas);"
            for field, vector in vectors.items()
        )
        branches.append(f"{'IF' if op == 'INSERT' else 'ELSIF'} TG_OP = '{op}' THEN {steps}")
    # TRUNCATE fires no delete triggers: the table's words go with it.
    fields = ", ".join(f"'{field}'" for field in vectors)
    branches.append(f"ELSIF TG_OP = 'TRUNCATE' THEN DELETE FROM search_term WHERE field IN ({fields});")
    return [
        f"""CREATE FUNCTION {table}_terms() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE communities integer[]; words text[]; deltas integer[];
        BEGIN
          {" ".join(branches)}
          END IF;
          RETURN NULL;
        END $$""",
        f"""CREATE TRIGGER {table}_terms_ai AFTER INSERT ON {table} REFERENCING NEW TABLE AS added
            FOR EACH STATEMENT EXECUTE FUNCTION {table}_terms()""",
        f"""CREATE TRIGGER {table}_terms_ad AFTER DELETE ON {table} REFERENCING OLD TABLE AS removed
            FOR EACH STATEMENT EXECUTE FUNCTION {table}_terms()""",
        f"""CREATE TRIGGER {table}_terms_au AFTER UPDATE ON {table} REFERENCING OLD TABLE AS removed
            NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {table}_terms()""",
        f"""CREATE TRIGGER {table}_terms_at AFTER TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION {table}_terms()""",
    ]


# The weighted documents that ts_rank ranked by, now stored; their lexemes are the ones the old unweighted
# expressions matched on, so matching and ranking stay as they were.
KNOWLEDGE_VECTOR = """setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(tags::text, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(body, '')), 'C')"""
KNOWS_VECTOR = """setweight(to_tsvector('english', coalesce(expertise, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(offer, '')), 'B')"""
LEARNS_VECTOR = "to_tsvector('english', coalesce(learn, ''))"

POSTGRES = [
    f"ALTER TABLE knowledge_item ADD COLUMN knowledge_fts tsvector GENERATED ALWAYS AS ({KNOWLEDGE_VECTOR}) STORED",
    "DROP INDEX IF EXISTS ix_knowledge_search",
    "CREATE INDEX ix_knowledge_search ON knowledge_item USING gin (knowledge_fts)",
    f"ALTER TABLE directory_entry ADD COLUMN directory_fts_knows tsvector GENERATED ALWAYS AS ({KNOWS_VECTOR}) STORED",
    f"ALTER TABLE directory_entry ADD COLUMN directory_fts_learns tsvector GENERATED ALWAYS AS ({LEARNS_VECTOR}) STORED",
    "DROP INDEX IF EXISTS ix_directory_who",
    "DROP INDEX IF EXISTS ix_directory_learn",
    "CREATE INDEX ix_directory_who ON directory_entry USING gin (directory_fts_knows)",
    "CREATE INDEX ix_directory_learn ON directory_entry USING gin (directory_fts_learns)",
    # Statement-level triggers with transition tables: a bulk insert is one set-based write, not a loop.
    """CREATE FUNCTION search_term_grams() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO search_term_gram(term_id, gram, community_id, field, length, grams)
      SELECT a.id, p.gram, a.community_id, a.field, length(a.term), count(*) OVER (PARTITION BY a.id)
      FROM added AS a, LATERAL (SELECT DISTINCT substr(' ' || a.term || ' ', i, 2) AS gram
                                FROM generate_series(1, least(length(a.term) + 1, 100)) AS i) AS p;
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER search_term_grams AFTER INSERT ON search_term REFERENCING NEW TABLE AS added
       FOR EACH STATEMENT EXECUTE FUNCTION search_term_grams()""",
    # Net changes in documents per (community, word): words are taken in sorted order, so that two writers
    # sharing words lock their rows in the same order; a word an edit keeps nets to zero and is left alone.
    """CREATE FUNCTION search_terms_apply(index_field text, communities integer[], words text[], deltas integer[])
    RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF -1 >= ANY(deltas) THEN
        PERFORM 1 FROM search_term AS s, unnest(communities, words, deltas) AS c(community_id, word, delta)
          WHERE s.community_id = c.community_id AND s.field = index_field AND s.term = c.word AND c.delta < 0
          ORDER BY s.community_id, s.term FOR UPDATE OF s;
        UPDATE search_term AS s SET documents = s.documents + c.delta
          FROM unnest(communities, words, deltas) AS c(community_id, word, delta)
          WHERE s.community_id = c.community_id AND s.field = index_field AND s.term = c.word AND c.delta < 0;
        DELETE FROM search_term AS s USING unnest(communities, words, deltas) AS c(community_id, word, delta)
          WHERE s.community_id = c.community_id AND s.field = index_field AND s.term = c.word AND c.delta < 0
            AND s.documents <= 0;
      END IF;
      INSERT INTO search_term(community_id, field, term, documents)
        SELECT c.community_id, index_field, c.word, c.delta
        FROM unnest(communities, words, deltas) AS c(community_id, word, delta)
        WHERE c.delta > 0 ORDER BY c.community_id, c.word
        ON CONFLICT (community_id, field, term) DO UPDATE SET documents = search_term.documents + excluded.documents;
    END $$""",
    *(
        trigger
        for table, vectors in (
            ("knowledge_item", {"library": "knowledge_fts"}),
            ("directory_entry", {"knows": "directory_fts_knows", "learns": "directory_fts_learns"}),
        )
        for trigger in _postgres_terms(table, vectors)
    ),
    # The words already indexed.
    """INSERT INTO search_term(community_id, field, term, documents)
       SELECT community_id, 'library', word, count(*)
       FROM knowledge_item, unnest(tsvector_to_array(knowledge_fts)) AS word GROUP BY community_id, word""",
    """INSERT INTO search_term(community_id, field, term, documents)
       SELECT community_id, 'knows', word, count(*)
       FROM directory_entry, unnest(tsvector_to_array(directory_fts_knows)) AS word GROUP BY community_id, word""",
    """INSERT INTO search_term(community_id, field, term, documents)
       SELECT community_id, 'learns', word, count(*)
       FROM directory_entry, unnest(tsvector_to_array(directory_fts_learns)) AS word GROUP BY community_id, word""",
]

POSTGRES_DOWN = [
    *(
        f"DROP TRIGGER IF EXISTS {t}_terms_{e} ON {t}"
        for t in ("knowledge_item", "directory_entry")
        for e in ("ai", "ad", "au", "at")
    ),
    "DROP TRIGGER IF EXISTS search_term_grams ON search_term",
    "DROP FUNCTION IF EXISTS knowledge_item_terms()",
    "DROP FUNCTION IF EXISTS directory_entry_terms()",
    "DROP FUNCTION IF EXISTS search_terms_apply(text, integer[], text[], integer[])",
    "DROP FUNCTION IF EXISTS search_term_grams()",
    "DROP INDEX IF EXISTS ix_knowledge_search",
    "DROP INDEX IF EXISTS ix_directory_who",
    "DROP INDEX IF EXISTS ix_directory_learn",
    "ALTER TABLE knowledge_item DROP COLUMN knowledge_fts",
    "ALTER TABLE directory_entry DROP COLUMN directory_fts_knows",
    "ALTER TABLE directory_entry DROP COLUMN directory_fts_learns",
    """CREATE INDEX ix_knowledge_search ON knowledge_item USING gin (to_tsvector('english',
       coalesce(title, '') || ' ' || coalesce(body, '') || ' ' || coalesce(tags::text, '')))""",
    """CREATE INDEX ix_directory_who ON directory_entry
       USING gin (to_tsvector('english', coalesce(expertise, '') || ' ' || coalesce(offer, '')))""",
    """CREATE INDEX ix_directory_learn ON directory_entry USING gin (to_tsvector('english', coalesce(learn, '')))""",
]


def upgrade() -> None:
    op.create_table('search_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=16), nullable=False),
    sa.Column('term', sa.Text(), nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['community.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('community_id', 'field', 'term')
    )
    op.create_table('search_term_gram',
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('gram', sa.String(length=8), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=16), nullable=False),
    sa.Column('length', sa.Integer(), nullable=False),
    sa.Column('grams', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['term_id'], ['search_term.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('term_id', 'gram')
    )
    with op.batch_alter_table('search_term_gram', schema=None) as batch_op:
        batch_op.create_index('ix_search_term_gram_lookup', ['community_id', 'field', 'gram', 'length', 'grams', 'term_id'], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in SQLITE if dialect == "sqlite" else POSTGRES if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_DOWN if dialect == "sqlite" else POSTGRES_DOWN if dialect == "postgresql" else []:
        op.execute(statement)
    with op.batch_alter_table('search_term_gram', schema=None) as batch_op:
        batch_op.drop_index('ix_search_term_gram_lookup')
    op.drop_table('search_term_gram')
    op.drop_table('search_term')

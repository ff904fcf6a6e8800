"""Alembic environment: always run from storage.migrate with a connection handed in."""

from alembic import context

from storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("Run migrations with `cultivate db upgrade`, which hands Alembic its connection.")

# Text-search structures made by hand in migration 0003 are not ORM models: autogenerate leaves them alone.
SEARCH_ONLY = (
    "directory_fts",
    "directory_vocab",
    "ix_directory_who",
    "ix_directory_learn",
    "knowledge_fts",
    "knowledge_vocab",
    "ix_knowledge_search",
)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    return not (name or "").startswith(SEARCH_ONLY)


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_name=include_name,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

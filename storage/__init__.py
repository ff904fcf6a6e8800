"""Storage: SQLAlchemy models, queries and Alembic migrations — the only place that speaks SQL."""

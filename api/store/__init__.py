"""Storage: SQLAlchemy tables, the database connection, Alembic migrations.

Nothing here knows HTTP; `api.app` calls `api.store.records` and `api.store.jobs`."""

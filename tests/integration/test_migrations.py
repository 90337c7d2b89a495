"""The Alembic revisions build exactly the models' schema, on SQLite and PostgreSQL,
and downgrade to an empty database."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import models  # noqa: F401
from tests.conftest import alembic_config, migrate
from tests.integration.conftest import reset_schema


def _diff(url: str) -> list:
    engine = create_engine(url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    engine.dispose()
    return diff


def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    return names


def _roundtrip(url: str) -> None:
    migrate(url)
    assert _diff(url) == [], "autogenerate found differences between migrations and models"
    assert set(SQLModel.metadata.tables) <= _tables(url)
    command.downgrade(alembic_config(url), "base")
    assert _tables(url) <= {"alembic_version"}
    # And back up again: the revisions are repeatable.
    migrate(url)
    assert _diff(url) == []


def test_sqlite_upgrade_matches_models_and_downgrades(tmp_path):
    _roundtrip(f"sqlite:///{tmp_path / 'm.db'}")


def test_postgresql_upgrade_matches_models_and_downgrades(pg_server):
    reset_schema(pg_server)
    try:
        _roundtrip(pg_server)
    finally:
        # Leave the shared database migrated for the other integration tests.
        reset_schema(pg_server)
        migrate(pg_server)

"""PostgreSQL fixtures. The database `test` is emptied and migrated fresh once per run.

With CI set, an unreachable server fails the run loudly instead of skipping.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import migrate

PG_URL = os.environ.get("NETSIGN_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")


def pg_available(url: str = PG_URL) -> str | None:
    """None when reachable, else the reason."""
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL unreachable at {url}: {exc.__class__.__name__}: {exc}"


def reset_schema(url: str = PG_URL) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def pg_server() -> str:
    reason = pg_available()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return PG_URL


@pytest.fixture(scope="session")
def pg_url(pg_server) -> str:
    """The `test` database, emptied and migrated to head through Alembic."""
    reset_schema(pg_server)
    migrate(pg_server)
    return pg_server

"""One engine per process and a transactional session helper.

Every multi-step change runs inside `session_scope()`: it commits once at the end or
rolls everything back, so nothing is ever saved half-way.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from pathlib import Path

from sqlalchemy import event, make_url
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from netsign_console.settings import settings

_engines: dict[str, Engine] = {}


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - driver callback
        cur = dbapi_conn.cursor()
        # WAL lets the console read while an import writes; foreign keys are off by default in SQLite.
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()


def _ensure_sqlite_folder(url: str) -> None:
    # A fresh checkout has no data/ folder yet; SQLite creates the file but not the folder.
    path = make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def get_engine(url: str | None = None) -> Engine:
    url = url or settings.db_url
    engine = _engines.get(url)
    if engine is None:
        if url.startswith("sqlite"):
            _ensure_sqlite_folder(url)
            engine = create_engine(url, connect_args={"check_same_thread": False})
            _configure_sqlite(engine)
        else:
            # psycopg2 runs an executemany UPDATE (a batch price change: a row per room) one
            # statement per round trip; values_plus_batch sends them in pages of 100.
            extra = {"executemany_mode": "values_plus_batch"} if url.startswith("postgresql+psycopg2") else {}
            engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, **extra)
        _engines[url] = engine
    return engine


def dispose_engines() -> None:
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session whose work commits together or not at all."""
    session = Session(get_engine(url), expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def analyze(url: str | None = None) -> None:
    """Refresh the planner's statistics. SQLite never gathers them by itself, and without
    them it picks the wrong index for filtered lists (docs/benchmarks.md, F4)."""
    from sqlalchemy import text

    engine = get_engine(url)
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()

"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent

# Tests never touch the developer's demo database, its private files or its signing keys.
os.environ.setdefault("NETSIGN_DB_URL", "sqlite:///" + str(ROOT / "data" / "test-default.db"))
os.environ.setdefault("NETSIGN_PRIVATE_DIR", str(ROOT / "data" / "test-private"))
os.environ.setdefault("NETSIGN_KEYS_DIR", str(ROOT / "data" / "test-keys"))


def alembic_config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", url)
    cfg.attributes["configure_logger"] = False
    return cfg


def migrate(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def _settled_copy(source: Path, target: Path) -> None:
    """Copy a SQLite file whose engine may still be open: fold its WAL in first."""
    with sqlite3.connect(source) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(source, target)


@pytest.fixture(scope="session", autouse=True)
def _signing_keys() -> None:
    """The test signing keys (NETSIGN_KEYS_DIR above), made once and kept between runs."""
    from netsign_console.documents.signing import ensure_keys

    ensure_keys()


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("migrated") / "netsign.db"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory, _migrated_template) -> Path:
    """The demo data set, loaded once per run (it walks D001 through three flows and renders a
    permit): every test gets its own copy of the file."""
    from netsign_console.demo.loader import load_demo_data

    path = tmp_path_factory.mktemp("demo") / "netsign.db"
    _settled_copy(_migrated_template, path)
    load_demo_data(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(tmp_path, _migrated_template) -> str:
    """A fresh SQLite file migrated to head through the real Alembic revisions (migrated once
    per run; tests/integration/test_migrations.py runs them on every database itself)."""
    target = tmp_path / "netsign.db"
    _settled_copy(_migrated_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def demo_url(tmp_path, _demo_template) -> str:
    target = tmp_path / "netsign.db"
    _settled_copy(_demo_template, target)
    return f"sqlite:///{target}"

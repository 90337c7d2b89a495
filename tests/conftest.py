"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent

# Tests never touch the developer's demo database.
os.environ.setdefault("NETSIGN_DB_URL", "sqlite:///" + str(ROOT / "data" / "test-default.db"))


def alembic_config(url: str) -> Config:
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("sqlalchemy.url", url)
    cfg.attributes["configure_logger"] = False
    return cfg


def migrate(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A fresh SQLite file migrated to head through the real Alembic revisions."""
    url = f"sqlite:///{tmp_path / 'netsign.db'}"
    migrate(url)
    return url


@pytest.fixture
def demo_url(sqlite_url) -> str:
    from netsign_console.demo.loader import load_demo_data

    load_demo_data(sqlite_url)
    return sqlite_url

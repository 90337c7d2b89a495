"""Fixtures of the document tests: the demo data set, private files and signing keys under
tmp, and the public address the QR codes name."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from sqlmodel import Session, select

import netsign_console.api.routes  # noqa: F401  imported before settings are swapped (modules keep what they import)
import netsign_console.workflow  # noqa: F401
from models.organization import Organization
from netsign_console import settings as config
from netsign_console.db import get_engine
from tests.unit.admin_fixtures import demo_db, demo_principal  # noqa: F401  re-exported: demo_db is a fixture

PUBLIC_URL = "https://wq.changsha.test"


@pytest.fixture(scope="session")
def keys_dir(tmp_path_factory) -> Path:
    from netsign_console.documents.signing import ensure_keys

    folder = tmp_path_factory.mktemp("keys")
    ensure_keys(folder)
    return folder


@pytest.fixture
def doc_settings(tmp_path, keys_dir, monkeypatch):
    swapped = dataclasses.replace(config.settings, private_dir=tmp_path / "private", keys_dir=keys_dir,
                                  public_url=PUBLIC_URL)
    monkeypatch.setattr(config, "settings", swapped)
    return swapped


@pytest.fixture
def doc_db(demo_db, doc_settings) -> str:
    """The demo data (its templates seeded by the demo loader), private dir and keys under tmp."""
    return demo_db


def org_id(url: str, name: str) -> int:
    with Session(get_engine(url)) as session:
        return session.exec(select(Organization.id).where(Organization.name == name)).one()


def pdf_text(data: bytes, tmp_path: Path, page: int | None = None) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    args = ["pdftotext", "-layout"] + (["-f", str(page), "-l", str(page)] if page else []) + [str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_pages(data: bytes, tmp_path: Path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))

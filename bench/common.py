"""What every benchmark module shares: the two databases, schema set-up, timing and principals."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path
from typing import Callable

from sqlalchemy import text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / "data"
SQLITE_URL = f"sqlite:///{DATA_DIR / 'netsign_bench.db'}"
# Never the test suite's `test` database: the bench owns `netsign_bench` and may drop it.
# NETSIGN_BENCH_PG_URL points a worktree's runs at a database of its own (several people share
# one server; a run with other migrations would rebuild the shared one under everybody's feet).
PG_URL = os.environ.get("NETSIGN_BENCH_PG_URL") or "postgresql+psycopg2://postgres@127.0.0.1:5432/netsign_bench"
DEFAULT_URLS = {"SQLite": SQLITE_URL, "PostgreSQL": PG_URL}


def is_pg(url: str) -> bool:
    return url.startswith("postgresql")


def db_label(url: str) -> str:
    return "PostgreSQL" if is_pg(url) else "SQLite"


def _pg_admin_conn(url: str):
    """An autocommit connection to the `postgres` database (CREATE/DROP DATABASE need one)."""
    import psycopg2

    u = make_url(url)
    conn = psycopg2.connect(host=u.host, port=u.port or 5432, user=u.username, password=u.password,
                            dbname="postgres")
    conn.autocommit = True
    return conn


def ensure_database(url: str, *, reset: bool = False) -> None:
    """Create the bench database (PostgreSQL) or its directory (SQLite); drop it first on reset."""
    from netsign_console.db import dispose_engines

    dispose_engines()  # pooled connections would block DROP DATABASE / keep a deleted file open
    if is_pg(url):
        name = make_url(url).database
        if name in ("test", "postgres", "template0", "template1"):
            raise SystemExit(f"refusing to use database {name!r}: the bench needs its own")
        conn = _pg_admin_conn(url)
        try:
            cur = conn.cursor()
            if reset:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        return
    path = Path(make_url(url).database)
    path.parent.mkdir(parents=True, exist_ok=True)
    if reset:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def migrate(url: str) -> None:
    """The schema comes from the real Alembic revisions (what tests.conftest.migrate does,
    without importing conftest, which would point NETSIGN_DB_URL at the test database)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    cfg.set_main_option("sqlalchemy.url", url)
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "head")


def schema_id() -> str:
    """A fingerprint of the migrations: data generated under other migrations is stale."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((ROOT / "alembic" / "versions").glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def row_count(url: str, table: str) -> int:
    from netsign_console.db import get_engine

    with get_engine(url).connect() as conn:
        try:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
        except Exception:  # no schema yet
            return 0


# ---------------------------------------------------------------- timing
def time_ms(fn: Callable[[], object], *, runs: int, warmup: int) -> list[float]:
    """Wall-clock milliseconds of `fn` for `runs` calls after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile: with 20 samples, the 19th smallest."""
    ordered = sorted(samples)
    rank = max(1, -(-95 * len(ordered) // 100))  # ceil(0.95 n)
    return ordered[rank - 1]


# ---------------------------------------------------------------- who is looking
def principals(url: str) -> dict[str, object]:
    """The first developer's admin and a regulator reviewer, as the console would build them."""
    from models.enums import OrgType, Role
    from netsign_console.auth.principal import Principal
    from netsign_console.db import get_engine

    sql = text(
        "SELECT u.id, u.username, u.display_name, o.id, o.name FROM app_user u "
        "JOIN organization o ON o.id = u.organization_id "
        "WHERE u.role = :role AND o.org_type = :org_type ORDER BY o.id, u.id LIMIT 1"
    )
    out = {}
    with get_engine(url).connect() as conn:
        for key, role, org_type in (("developer", Role.DEVELOPER_ADMIN, OrgType.DEVELOPER),
                                    ("regulator", Role.REGULATOR, OrgType.REGULATOR)):
            uid, username, name, org_id, org_name = conn.execute(
                sql, {"role": role.value, "org_type": org_type.value}).one()
            out[key] = Principal(uid, username, name, role, org_id, org_type, org_name)
    return out


def cli(prog: str, run: Callable[..., list], argv: list[str] | None = None) -> None:
    """`python -m bench.<suite> [--db URL] [--runs N] [--warmup N]`: one suite, printed as a table."""
    import argparse

    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--db", default=PG_URL)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args(argv)
    from bench.report import table

    print("\n".join(table(run(args.db, runs=args.runs, warmup=args.warmup))))

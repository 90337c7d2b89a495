"""Fill a database with the generated city (bench/city.py).

    python -m bench.generate --db URL [--rooms 1000000] [--tasks 100000] [--archived 50000] [--reset]

The schema comes from the Alembic migrations; rows go in with COPY (PostgreSQL) or
executemany (SQLite), 50,000 per batch, one transaction per table. A database that already
holds data is refused unless --reset drops and rebuilds it.
"""

from __future__ import annotations

import argparse
import io
import json
import secrets
import sqlite3
import time
from datetime import date, datetime
from decimal import Decimal
from typing import Iterable, Iterator, Sequence

from sqlalchemy.engine import make_url

from bench import city as c
from bench.common import DATA_DIR, DEFAULT_URLS, PG_URL, ensure_database, is_pg, migrate, row_count, schema_id

CHUNK = 50_000


def _chunks(rows: Iterable[tuple], size: int = CHUNK) -> Iterator[list[tuple]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# ---------------------------------------------------------------- writers
def _copy_text(value) -> str:
    """One value in COPY's text format (tab-separated, \\N for NULL)."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)  # int, Decimal, date


class PgWriter:
    def __init__(self, url: str):
        import psycopg2

        u = make_url(url)
        self.conn = psycopg2.connect(host=u.host, port=u.port or 5432, user=u.username, password=u.password,
                                     dbname=u.database)

    def load(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        count = 0
        with self.conn.cursor() as cur:
            for batch in _chunks(rows):
                buf = io.StringIO()
                buf.writelines("\t".join(map(_copy_text, row)) + "\n" for row in batch)
                buf.seek(0)
                cur.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buf)
                count += len(batch)
        self.conn.commit()
        return count

    def finish(self, tables: Sequence[str]) -> None:
        """Ids were given explicitly: move each serial sequence past them, then VACUUM
        ANALYZE, which autovacuum would do soon after a load this size anyway."""
        with self.conn.cursor() as cur:
            for table in tables:
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")
        self.conn.commit()
        self.conn.autocommit = True
        with self.conn.cursor() as cur:
            cur.execute("VACUUM ANALYZE")
        self.conn.close()


def _sqlite_value(value):
    """What SQLAlchemy's SQLite dialect would bind: floats for Numeric, 1/0, ISO text."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")  # UTC, as UTCDateTime stores it
    if isinstance(value, date):
        return value.isoformat()
    return value  # bool is an int to sqlite3


class SqliteWriter:
    def __init__(self, url: str):
        self.conn = sqlite3.connect(make_url(url).database)
        # Only for this loading connection: no fsync per commit and a big page cache, so the
        # seven room indexes are built in memory rather than by re-reading pages.
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute("PRAGMA cache_size=-1000000")
        self.conn.execute("PRAGMA foreign_keys=ON")

    def load(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        count = 0
        with self.conn:  # one transaction per table
            for batch in _chunks(rows):
                self.conn.executemany(sql, [tuple(map(_sqlite_value, row)) for row in batch])
                count += len(batch)
        return count

    def finish(self, tables: Sequence[str]) -> None:
        # The console runs ANALYZE after loading data (netsign_console.db.analyze); so does the
        # bench, or SQLite would plan without statistics (docs/benchmarks.md, F4).
        self.conn.execute("ANALYZE")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()


# ---------------------------------------------------------------- the run
def has_data(url: str) -> bool:
    return row_count(url, "organization") > 0 or row_count(url, "room") > 0


def _review_roles() -> str:
    """Exactly what the engine stores in Task.roles for the NetworkAccess review stage."""
    from netsign_console.workflow import get_flow

    return get_flow("network_access", 1).stage("review").roles_code


def generate(url: str, rooms: int = 1_000_000, tasks: int = 100_000, archived: int = 50_000,
             reset: bool = False) -> dict[str, float]:
    from netsign_console.auth.passwords import hash_password
    from netsign_console.db import dispose_engines

    started = time.perf_counter()
    ensure_database(url, reset=reset)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    migrate(url)
    if has_data(url):
        raise SystemExit(f"{url} already holds data: use --reset to drop and rebuild it")
    dispose_engines()
    writer = PgWriter(url) if is_pg(url) else SqliteWriter(url)
    city = c.City(rooms=rooms, tasks=tasks, archived=archived)
    # A random password nobody knows: the generated accounts cannot log in.
    password_hash = hash_password(secrets.token_urlsafe(24))
    stats: dict[str, float] = {}

    def step(table, columns, rows):
        t0 = time.perf_counter()
        stats[table] = writer.load(table, columns, rows)
        print(f"  {table:<22} {stats[table]:>10,} rows  {time.perf_counter() - t0:7.1f} s", flush=True)

    print(f"generating into {url}: {rooms:,} rooms, {tasks:,} open tasks, {archived:,} archived cases")
    step("organization", c.ORG_COLUMNS, c.organizations(city))
    step("app_user", c.USER_COLUMNS, c.users(city, password_hash))
    step("project", c.PROJECT_COLUMNS, c.projects(city))
    buildings, room_rows = c.buildings_and_rooms(city)
    step("building", c.BUILDING_COLUMNS, buildings)
    step("room", c.ROOM_COLUMNS, room_rows)
    cases, task_rows, sequences = c.cases_and_tasks(city, _review_roles())
    step("case_record", c.CASE_COLUMNS, cases)
    step("case_task", c.TASK_COLUMNS, task_rows)
    step("case_number_sequence", c.SEQUENCE_COLUMNS, sequences)
    t0 = time.perf_counter()
    writer.finish(["organization", "app_user", "project", "building", "room", "case_record", "case_task"])
    print(f"  {'finish (vacuum/analyze)' if is_pg(url) else 'finish (analyze/checkpoint)':<33} "
          f"{time.perf_counter() - t0:7.1f} s")
    stats["seconds"] = round(time.perf_counter() - started, 1)
    stats["when"] = time.strftime("%Y-%m-%d %H:%M %Z")
    stats["schema"] = schema_id()
    print(f"done in {stats['seconds']:.1f} s")
    if url in DEFAULT_URLS.values():  # a test's scratch city must not speak for the bench databases
        stats_file(url).write_text(json.dumps(stats), encoding="utf-8")
    return stats


def stats_file(url: str):
    """Where the last generation's counts and time are kept, so a reused database can say. One
    file per database URL: a small city generated elsewhere (the smoke test) must not pass
    for the bench's own data."""
    import hashlib

    digest = hashlib.sha256(url.encode()).hexdigest()[:10]
    return DATA_DIR / f"generated-{'postgresql' if is_pg(url) else 'sqlite'}-{digest}.json"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=PG_URL, help="database URL (default: the netsign_bench PostgreSQL db)")
    parser.add_argument("--rooms", type=int, default=1_000_000)
    parser.add_argument("--tasks", type=int, default=100_000, help="open network-access review tasks")
    parser.add_argument("--archived", type=int, default=50_000, help="archived network-access cases")
    parser.add_argument("--reset", action="store_true", help="drop and rebuild the database first")
    args = parser.parse_args(argv)
    stats = generate(args.db, args.rooms, args.tasks, args.archived, args.reset)
    print(json.dumps(stats, ensure_ascii=False))


if __name__ == "__main__":
    main()

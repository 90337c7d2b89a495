"""What lets an index serve a search for ANY part of the room number ("0101" finds 3-0101).

A btree serves a prefix only. The two databases get different structures, each declared for
its own dialect (`info["dialects"]`, honoured by alembic/env.py and the migration test):

* PostgreSQL: a pg_trgm GIN index on room.room_number; `ILIKE '%0101%'` uses it.
* SQLite (no trigram index): a side table of every suffix of every room number, upper-cased,
  kept in sync by triggers on room. "contains t" is "some suffix starts with t", a range on
  the side table's primary key: `room.id IN (SELECT room_id ... WHERE suffix >= t AND
  suffix < t')`. About 6 rows per room; measured in docs/benchmarks.md.

admin/fragment.py writes the matching condition for each database.
"""

from __future__ import annotations

from sqlalchemy import DDL, Index, String, event
from sqlmodel import Field, SQLModel

from models.building import ROOM_NUMBER_LENGTH, Room

ONLY = "dialects"  # info key: the dialects an object exists on (absent: all)

ROOM_NUMBER_TRGM = Index(
    "ix_room_room_number_trgm",
    Room.__table__.c.room_number,
    postgresql_using="gin",
    postgresql_ops={"room_number": "gin_trgm_ops"},
    info={ONLY: ("postgresql",)},
).ddl_if(dialect="postgresql")


class RoomNumberSuffix(SQLModel, table=True):
    """Every suffix of every room number (SQLite only). No foreign key on purpose: the
    triggers own these rows, and a key would count them as a room's dependents on delete."""

    __tablename__ = "room_number_suffix"
    __table_args__ = {"info": {ONLY: ("sqlite",)}, "sqlite_with_rowid": False}

    suffix: str = Field(sa_type=String(ROOM_NUMBER_LENGTH), primary_key=True)
    room_id: int = Field(primary_key=True)


def _positions() -> str:
    # json_each over 1..n: SQLite does not allow a recursive CTE inside a trigger.
    return "[" + ",".join(str(i) for i in range(1, ROOM_NUMBER_LENGTH + 1)) + "]"


def _insert_suffixes(row: str) -> str:
    return (f"INSERT INTO room_number_suffix (suffix, room_id) "
            f"SELECT upper(substr({row}.room_number, value)), {row}.id FROM json_each('{_positions()}') "
            f"WHERE value <= length({row}.room_number);")


SUFFIX_TRIGGERS = (
    "CREATE TRIGGER trg_room_number_suffix_insert AFTER INSERT ON room BEGIN "
    + _insert_suffixes("NEW") + " END",
    "CREATE TRIGGER trg_room_number_suffix_update AFTER UPDATE OF room_number, id ON room "
    "WHEN NEW.room_number IS NOT OLD.room_number OR NEW.id IS NOT OLD.id BEGIN "
    "DELETE FROM room_number_suffix WHERE room_id = OLD.id; " + _insert_suffixes("NEW") + " END",
    "CREATE TRIGGER trg_room_number_suffix_delete AFTER DELETE ON room BEGIN "
    "DELETE FROM room_number_suffix WHERE room_id = OLD.id; END",
)
SUFFIX_BACKFILL = (
    "WITH RECURSIVE s(room_id, rest) AS (SELECT id, room_number FROM room "
    "UNION ALL SELECT room_id, substr(rest, 2) FROM s WHERE length(rest) > 1) "
    "INSERT INTO room_number_suffix (suffix, room_id) SELECT upper(rest), room_id FROM s WHERE rest <> ''"
)

# The triggers name room: create_all must make it first (there is no foreign key to say so).
RoomNumberSuffix.__table__.add_is_dependent_on(Room.__table__)
# create_all (tests) builds the same as the migration: triggers on SQLite, the extension on PostgreSQL.
for _statement in SUFFIX_TRIGGERS:
    event.listen(RoomNumberSuffix.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
event.listen(Room.__table__, "before_create",
             DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))


def include_for(dialect: str):
    """Alembic `include_object` hook: leave out what is declared for other dialects only."""

    def include(obj, name, type_, reflected, compare_to) -> bool:
        dialects = getattr(obj, "info", {}).get(ONLY)
        return dialects is None or dialect in dialects

    return include

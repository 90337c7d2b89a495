"""What lets an index serve a search for ANY part of the room number ("0101" finds 3-0101).

A btree serves a prefix only. Beside `room` there is a table of every suffix of every room
number, upper-cased (ASCII), kept in sync by triggers on room: "contains t" is then "some
suffix starts with t", a range on the side table's primary key:
`room.id IN (SELECT room_id FROM room_number_suffix WHERE suffix >= T AND suffix < T')`.
The row also carries the room number itself, so a search's count and its page in number
order come from the side table's index alone. About 6 rows per room; docs/benchmarks.md.

Why not pg_trgm on PostgreSQL: trigrams keep only letters and digits, so a fragment such as
"4-0" yields none worth having and the index hands back 360,000 candidates of a million to
recheck; the suffix range reads exactly the matches, whatever characters they hold, and the
two databases run the same query. admin/fragment.py writes the condition.
"""

from __future__ import annotations

from sqlalchemy import DDL, String, event
from sqlmodel import Field, SQLModel

from models.building import ROOM_NUMBER_LENGTH, Room

# Bytewise on PostgreSQL, as on SQLite: only then is "starts with T" the range [T, T').
SUFFIX = String(ROOM_NUMBER_LENGTH).with_variant(String(ROOM_NUMBER_LENGTH, collation="C"), "postgresql")


class RoomNumberSuffix(SQLModel, table=True):
    """Every suffix of every room number. No foreign key on purpose: the triggers own these
    rows, and a key would count them as a room's dependents on delete (admin/dependents.py)."""

    __tablename__ = "room_number_suffix"
    __table_args__ = {"sqlite_with_rowid": False}

    # (suffix, room_number, room_id): the range on suffix, and what a page in number order
    # needs, all in the key; (suffix, room_id) alone is unique already.
    suffix: str = Field(sa_type=SUFFIX, primary_key=True)
    room_number: str = Field(sa_type=SUFFIX, primary_key=True)
    room_id: int = Field(primary_key=True)


# ---------------------------------------------------------------- SQLite: row triggers
def _positions() -> str:
    # json_each over 1..n: SQLite does not allow a recursive CTE inside a trigger.
    return "[" + ",".join(str(i) for i in range(1, ROOM_NUMBER_LENGTH + 1)) + "]"


def _sqlite_insert(row: str) -> str:
    return (f"INSERT INTO room_number_suffix (suffix, room_number, room_id) "
            f"SELECT upper(substr({row}.room_number, value)), {row}.room_number, {row}.id "
            f"FROM json_each('{_positions()}') WHERE value <= length({row}.room_number);")


SQLITE_TRIGGERS = (
    "CREATE TRIGGER trg_room_number_suffix_insert AFTER INSERT ON room BEGIN "
    + _sqlite_insert("NEW") + " END",
    "CREATE TRIGGER trg_room_number_suffix_update AFTER UPDATE OF room_number, id ON room "
    "WHEN NEW.room_number IS NOT OLD.room_number OR NEW.id IS NOT OLD.id BEGIN "
    "DELETE FROM room_number_suffix WHERE room_id = OLD.id; " + _sqlite_insert("NEW") + " END",
    "CREATE TRIGGER trg_room_number_suffix_delete AFTER DELETE ON room BEGIN "
    "DELETE FROM room_number_suffix WHERE room_id = OLD.id; END",
)

# ---------------------------------------------------------------- PostgreSQL: statement triggers
# Statement-level with transition tables: a COPY of 50,000 rooms is one INSERT ... SELECT here,
# not 50,000 trigger calls. translate() upper-cases ASCII only, as SQLite's upper() and
# admin.fragment.ascii_upper do.
_PG_UPPER = "translate({0}, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')"
_PG_FILL = ("INSERT INTO room_number_suffix (suffix, room_number, room_id) SELECT "
            + _PG_UPPER.format("substr(r.room_number, i)")
            + ", r.room_number, r.id FROM {rows} r, generate_series(1, length(r.room_number)) AS i")
PG_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION room_number_suffix_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    + _PG_FILL.format(rows="new_rows") + "; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION room_number_suffix_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "DELETE FROM room_number_suffix s USING (SELECT id, room_number FROM old_rows EXCEPT "
    "SELECT id, room_number FROM new_rows) AS gone WHERE s.room_id = gone.id; "
    + _PG_FILL.format(rows="(SELECT id, room_number FROM new_rows EXCEPT SELECT id, room_number FROM old_rows)")
    + "; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION room_number_suffix_delete() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "DELETE FROM room_number_suffix s USING old_rows o WHERE s.room_id = o.id; RETURN NULL; END $$",
    "CREATE TRIGGER trg_room_number_suffix_insert AFTER INSERT ON room REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION room_number_suffix_insert()",
    "CREATE TRIGGER trg_room_number_suffix_update AFTER UPDATE ON room REFERENCING OLD TABLE AS old_rows "
    "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION room_number_suffix_update()",
    "CREATE TRIGGER trg_room_number_suffix_delete AFTER DELETE ON room REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION room_number_suffix_delete()",
)

# The triggers name room: create_all must make it first (there is no foreign key to say so).
RoomNumberSuffix.__table__.add_is_dependent_on(Room.__table__)
# create_all (tests) builds the same as the migration does.
for _statement in SQLITE_TRIGGERS:
    event.listen(RoomNumberSuffix.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in PG_TRIGGERS:
    event.listen(RoomNumberSuffix.__table__, "after_create",
                 DDL(_statement.replace("%", "%%")).execute_if(dialect="postgresql"))

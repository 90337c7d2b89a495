"""accounts hardening: one-time passwords, idle sessions, room search by any part of the number

Revision ID: 0007_accounts
Revises: 0006_permits
Create Date: 2026-12-02 06:00:00

* app_user.must_change_password / password_changed_at: a one-time password must be replaced
  at first login; existing accounts keep the password they have (False).
* user_session.last_seen_at: idle expiry.
* Room number search by any fragment, served by an index (models/search.py): a table of
  every suffix of every room number, kept by triggers (row triggers on SQLite, statement
  triggers with transition tables on PostgreSQL), filled here for the rooms that exist.
  The DDL is written out here (not imported) so this revision stays what it was.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import models.base


revision: str = "0007_accounts"
down_revision: Union[str, None] = "0006_permits"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ROOM_NUMBER_LENGTH = 30
_POSITIONS = "[" + ",".join(str(i) for i in range(1, ROOM_NUMBER_LENGTH + 1)) + "]"


def _sqlite_insert(row: str) -> str:
    return (f"INSERT INTO room_number_suffix (suffix, room_number, room_id) "
            f"SELECT upper(substr({row}.room_number, value)), {row}.room_number, {row}.id "
            f"FROM json_each('{_POSITIONS}') WHERE value <= length({row}.room_number);")


SQLITE_TRIGGERS = (
    "CREATE TRIGGER trg_room_number_suffix_insert AFTER INSERT ON room BEGIN "
    + _sqlite_insert("NEW") + " END",
    "CREATE TRIGGER trg_room_number_suffix_update AFTER UPDATE OF room_number, id ON room "
    "WHEN NEW.room_number IS NOT OLD.room_number OR NEW.id IS NOT OLD.id BEGIN "
    "DELETE FROM room_number_suffix WHERE room_id = OLD.id; " + _sqlite_insert("NEW") + " END",
    "CREATE TRIGGER trg_room_number_suffix_delete AFTER DELETE ON room BEGIN "
    "DELETE FROM room_number_suffix WHERE room_id = OLD.id; END",
)
SQLITE_BACKFILL = (
    "WITH RECURSIVE s(room_id, room_number, rest) AS (SELECT id, room_number, room_number FROM room "
    "UNION ALL SELECT room_id, room_number, substr(rest, 2) FROM s WHERE length(rest) > 1) "
    "INSERT INTO room_number_suffix (suffix, room_number, room_id) "
    "SELECT upper(rest), room_number, room_id FROM s WHERE rest <> ''"
)

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
PG_BACKFILL = _PG_FILL.format(rows="room")


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('password_changed_at', models.base.UTCDateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', models.base.UTCDateTime(timezone=True), nullable=True))

    suffix = sa.String(length=ROOM_NUMBER_LENGTH).with_variant(
        sa.String(length=ROOM_NUMBER_LENGTH, collation="C"), "postgresql")
    op.create_table(
        'room_number_suffix',
        sa.Column('suffix', suffix, nullable=False),
        sa.Column('room_number', suffix, nullable=False),
        sa.Column('room_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('suffix', 'room_number', 'room_id', name=op.f('pk_room_number_suffix')),
        sqlite_with_rowid=False,
    )
    dialect = op.get_bind().dialect.name
    triggers, backfill = (PG_TRIGGERS, PG_BACKFILL) if dialect == "postgresql" else (SQLITE_TRIGGERS, SQLITE_BACKFILL)
    op.execute(backfill)  # rooms that exist already; the triggers take over from here
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS trg_room_number_suffix_{name}" + (" ON room" if dialect == "postgresql" else ""))
        if dialect == "postgresql":
            op.execute(f"DROP FUNCTION IF EXISTS room_number_suffix_{name}()")
    op.drop_table('room_number_suffix')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('password_changed_at')
        batch_op.drop_column('must_change_password')

"""accounts hardening: one-time passwords, idle sessions, room search by any part of the number

Revision ID: 0003_accounts
Revises: 0002
Create Date: 2026-12-02 06:00:00

* app_user.must_change_password / password_changed_at: a one-time password must be replaced
  at first login; existing accounts keep the password they have (False).
* user_session.last_seen_at: idle expiry.
* Room number search by any fragment, served by an index (models/search.py):
  PostgreSQL a pg_trgm GIN index; SQLite a trigger-maintained table of suffixes.
  The DDL is written out here (not imported) so this revision stays what it was.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import models.base


revision: str = '0003_accounts'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ROOM_NUMBER_LENGTH = 30
_POSITIONS = "[" + ",".join(str(i) for i in range(1, ROOM_NUMBER_LENGTH + 1)) + "]"


def _insert_suffixes(row: str) -> str:
    return (f"INSERT INTO room_number_suffix (suffix, room_id) "
            f"SELECT upper(substr({row}.room_number, value)), {row}.id FROM json_each('{_POSITIONS}') "
            f"WHERE value <= length({row}.room_number);")


SQLITE_TRIGGERS = (
    "CREATE TRIGGER trg_room_number_suffix_insert AFTER INSERT ON room BEGIN "
    + _insert_suffixes("NEW") + " END",
    "CREATE TRIGGER trg_room_number_suffix_update AFTER UPDATE OF room_number, id ON room "
    "WHEN NEW.room_number IS NOT OLD.room_number OR NEW.id IS NOT OLD.id BEGIN "
    "DELETE FROM room_number_suffix WHERE room_id = OLD.id; " + _insert_suffixes("NEW") + " END",
    "CREATE TRIGGER trg_room_number_suffix_delete AFTER DELETE ON room BEGIN "
    "DELETE FROM room_number_suffix WHERE room_id = OLD.id; END",
)
SQLITE_BACKFILL = (
    "WITH RECURSIVE s(room_id, rest) AS (SELECT id, room_number FROM room "
    "UNION ALL SELECT room_id, substr(rest, 2) FROM s WHERE length(rest) > 1) "
    "INSERT INTO room_number_suffix (suffix, room_id) SELECT upper(rest), room_id FROM s WHERE rest <> ''"
)


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('password_changed_at', models.base.UTCDateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', models.base.UTCDateTime(timezone=True), nullable=True))

    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index('ix_room_room_number_trgm', 'room', ['room_number'], unique=False,
                        postgresql_using='gin', postgresql_ops={'room_number': 'gin_trgm_ops'})
    elif dialect == "sqlite":
        op.create_table(
            'room_number_suffix',
            sa.Column('suffix', sa.String(length=ROOM_NUMBER_LENGTH), nullable=False),
            sa.Column('room_id', sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint('suffix', 'room_id', name=op.f('pk_room_number_suffix')),
            sqlite_with_rowid=False,
        )
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
        op.execute(SQLITE_BACKFILL)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.drop_index('ix_room_room_number_trgm', table_name='room')
        # The extension stays: other databases objects may use it, and it holds no data.
    elif dialect == "sqlite":
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_room_number_suffix_{name}")
        op.drop_table('room_number_suffix')
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('password_changed_at')
        batch_op.drop_column('must_change_password')

"""construction mortgages (MORT-01): a mortgage row from the moment its 设立 case is accepted

Revision ID: 0008_mortgage
Revises: 0007_accounts
Create Date: 2026-12-02 07:32:19

* construction_mortgage: the bank, amount, term and start date may be empty while the row is
  申请中 (the case's form fills them in, the bank's approval names the bank);
  authorised_count (已签约授权户数) is new, 0 for existing rows.
* room_restriction: an index on (source_type, source_id), the restrictions one mortgage made.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = "0008_mortgage"
down_revision: Union[str, None] = "0007_accounts"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("construction_mortgage", schema=None) as batch_op:
        batch_op.add_column(sa.Column("authorised_count", sa.Integer(), server_default="0", nullable=False))
        batch_op.alter_column("bank_org_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.alter_column("amount", existing_type=sa.NUMERIC(precision=18, scale=2), nullable=True)
        batch_op.alter_column("term_months", existing_type=sa.INTEGER(), nullable=True)
        batch_op.alter_column("starts_on", existing_type=sa.DATE(), nullable=True)

    with op.batch_alter_table("room_restriction", schema=None) as batch_op:
        batch_op.create_index("ix_room_restriction_source", ["source_type", "source_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("room_restriction", schema=None) as batch_op:
        batch_op.drop_index("ix_room_restriction_source")

    # Applications still open (or withdrawn) have no bank or terms yet; the old schema cannot hold them.
    op.execute("DELETE FROM construction_mortgage WHERE bank_org_id IS NULL OR amount IS NULL "
               "OR term_months IS NULL OR starts_on IS NULL")
    with op.batch_alter_table("construction_mortgage", schema=None) as batch_op:
        batch_op.alter_column("starts_on", existing_type=sa.DATE(), nullable=False)
        batch_op.alter_column("term_months", existing_type=sa.INTEGER(), nullable=False)
        batch_op.alter_column("amount", existing_type=sa.NUMERIC(precision=18, scale=2), nullable=False)
        batch_op.alter_column("bank_org_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("authorised_count")

"""the signing flow's payments in the fund ledger (issue 11): fund_ledger_entry.sale_contract_id

Revision ID: 0011_contract_flow
Revises: 0010_signing
Create Date: 2026-12-02 10:05:00

A payment recorded against a signed contract's 资金缴款通知单 becomes an 入账 entry of the
building's agreement that names the contract (nullable: backfilled entries name their
fund_contract instead).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = "0011_contract_flow"
down_revision: Union[str, None] = "0010_signing"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('fund_ledger_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sale_contract_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_fund_ledger_entry_sale_contract_id'), ['sale_contract_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_fund_ledger_entry_sale_contract_id_contract'), 'contract',
                                    ['sale_contract_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('fund_ledger_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_fund_ledger_entry_sale_contract_id_contract'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_fund_ledger_entry_sale_contract_id'))
        batch_op.drop_column('sale_contract_id')

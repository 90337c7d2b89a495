"""退房 (issue 11, RET-01 to RET-04): the unwind application of a filed contract

Revision ID: 0012_unwind
Revises: 0011_contract_flow
Create Date: 2026-12-02 09:53:19

One new table, nothing existing altered, so the revision can be re-chained after another
branch's revision by changing down_revision alone. contract_unwind.open_contract_id is unique:
the contract while its unwind is open, NULL after, so two open unwinds of one contract cannot
both be written.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import models.base


revision: str = '0012_unwind'
down_revision: Union[str, None] = '0011_contract_flow'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('contract_unwind',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('open_contract_id', sa.Integer(), nullable=True),
    sa.Column('developer_org_id', sa.Integer(), nullable=False),
    sa.Column('case_number', sa.String(length=16), nullable=False),
    sa.Column('applicant_party_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('archived_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applicant_party_id'], ['contract_party.id'], name=op.f('fk_contract_unwind_applicant_party_id_contract_party')),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_contract_unwind_contract_id_contract')),
    sa.ForeignKeyConstraint(['developer_org_id'], ['organization.id'], name=op.f('fk_contract_unwind_developer_org_id_organization')),
    sa.ForeignKeyConstraint(['open_contract_id'], ['contract.id'], name=op.f('fk_contract_unwind_open_contract_id_contract')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_unwind')),
    sa.UniqueConstraint('case_number', name=op.f('uq_contract_unwind_case_number')),
    sa.UniqueConstraint('open_contract_id', name=op.f('uq_contract_unwind_open_contract_id'))
    )
    with op.batch_alter_table('contract_unwind', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_unwind_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_unwind_developer_org_id'), ['developer_org_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('contract_unwind', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_unwind_developer_org_id'))
        batch_op.drop_index(batch_op.f('ix_contract_unwind_contract_id'))

    op.drop_table('contract_unwind')

"""new-house contracts (issue 11): contract, its parties, instalments and payments; the SMS
outbox and one-time code state; developers' seals

Revision ID: 0010_signing
Revises: 0009_fund
Create Date: 2026-12-02 08:53:14

Only new tables, nothing existing is altered: the revision can be re-chained after another
branch's revision (0009_fund) by changing down_revision alone.

* contract.active_room_id is unique: the room while the contract is live, NULL once unwound
  or withdrawn, so the database refuses a second live contract for one room.
* sms_code: one row per (purpose, subject, phone), only a salted HMAC of the code.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import models.base


revision: str = "0010_signing"
down_revision: Union[str, None] = "0009_fund"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('sms_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('salt', sa.String(length=32), nullable=False),
    sa.Column('issued_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_code')),
    sa.UniqueConstraint('purpose', 'subject_type', 'subject_id', 'phone', name=op.f('uq_sms_code_purpose_subject_type_subject_id_phone'))
    )
    op.create_table('sms_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('subject_type', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('case_number', sa.String(length=16), nullable=True),
    sa.Column('sender', sa.String(length=32), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_message'))
    )
    with op.batch_alter_table('sms_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_message_case_number'), ['case_number'], unique=False)
        batch_op.create_index('ix_sms_message_created_at_id', ['created_at', 'id'], unique=False)
        batch_op.create_index('ix_sms_message_phone_created_at', ['phone', 'created_at'], unique=False)

    op.create_table('seal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('developer_org_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('image_file', sa.String(length=200), nullable=False),
    sa.Column('authorised_user_id', sa.Integer(), nullable=True),
    sa.Column('authorised_phone', sa.String(length=20), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['authorised_user_id'], ['app_user.id'], name=op.f('fk_seal_authorised_user_id_app_user')),
    sa.ForeignKeyConstraint(['developer_org_id'], ['organization.id'], name=op.f('fk_seal_developer_org_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seal'))
    )
    with op.batch_alter_table('seal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_seal_developer_org_id'), ['developer_org_id'], unique=False)

    op.create_table('contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_number', sa.String(length=32), nullable=True),
    sa.Column('case_number', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('variant', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('active_room_id', sa.Integer(), nullable=True),
    sa.Column('building_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('permit_id', sa.Integer(), nullable=True),
    sa.Column('developer_org_id', sa.Integer(), nullable=False),
    sa.Column('gross_area', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.Column('inner_area', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.Column('shared_area', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('computed_total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('agreed_total', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('total_price', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('payment_method', sa.String(length=24), nullable=True),
    sa.Column('down_payment', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('commercial_loan_amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('fund_loan_amount', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('mortgagor', sa.String(length=200), nullable=True),
    sa.Column('mortgage_bank_org_id', sa.Integer(), nullable=True),
    sa.Column('fund_center_org_id', sa.Integer(), nullable=True),
    sa.Column('appraisal_price', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('delivery_date', sa.Date(), nullable=True),
    sa.Column('filing_number', sa.String(length=32), nullable=True),
    sa.Column('filed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('buyers_locked', sa.Boolean(), nullable=False),
    sa.Column('signed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sealed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('unwound_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('unwind_case_number', sa.String(length=16), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['active_room_id'], ['room.id'], name=op.f('fk_contract_active_room_id_room')),
    sa.ForeignKeyConstraint(['building_id'], ['building.id'], name=op.f('fk_contract_building_id_building')),
    sa.ForeignKeyConstraint(['developer_org_id'], ['organization.id'], name=op.f('fk_contract_developer_org_id_organization')),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], name=op.f('fk_contract_document_id_document')),
    sa.ForeignKeyConstraint(['fund_center_org_id'], ['organization.id'], name=op.f('fk_contract_fund_center_org_id_organization')),
    sa.ForeignKeyConstraint(['mortgage_bank_org_id'], ['organization.id'], name=op.f('fk_contract_mortgage_bank_org_id_organization')),
    sa.ForeignKeyConstraint(['permit_id'], ['permit.id'], name=op.f('fk_contract_permit_id_permit')),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_contract_project_id_project')),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_contract_room_id_room')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract')),
    sa.UniqueConstraint('active_room_id', name=op.f('uq_contract_active_room_id')),
    sa.UniqueConstraint('contract_number', name=op.f('uq_contract_contract_number')),
    sa.UniqueConstraint('filing_number', name=op.f('uq_contract_filing_number'))
    )
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.create_index('ix_contract_building_status', ['building_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_case_number'), ['case_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_developer_org_id'), ['developer_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_fund_center_org_id'), ['fund_center_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_mortgage_bank_org_id'), ['mortgage_bank_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_permit_id'), ['permit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_project_id'), ['project_id'], unique=False)
        batch_op.create_index('ix_contract_room_id_id', ['room_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contract_status'), ['status'], unique=False)

    op.create_table('contract_instalment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_contract_instalment_contract_id_contract')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_instalment')),
    sa.UniqueConstraint('contract_id', 'ordinal', name=op.f('uq_contract_instalment_contract_id_ordinal'))
    )
    op.create_table('contract_party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('id_type', sa.String(length=24), nullable=False),
    sa.Column('id_number', sa.String(length=32), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('share', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_contract_party_contract_id_contract')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_party')),
    sa.UniqueConstraint('contract_id', 'ordinal', name=op.f('uq_contract_party_contract_id_ordinal'))
    )
    with op.batch_alter_table('contract_party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_party_id_number'), ['id_number'], unique=False)

    op.create_table('contract_payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('voucher_number', sa.String(length=64), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_contract_payment_contract_id_contract')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['app_user.id'], name=op.f('fk_contract_payment_recorded_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_payment'))
    )
    with op.batch_alter_table('contract_payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_payment_contract_id'), ['contract_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('contract_payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_payment_contract_id'))

    op.drop_table('contract_payment')
    with op.batch_alter_table('contract_party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_party_id_number'))

    op.drop_table('contract_party')
    op.drop_table('contract_instalment')
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_status'))
        batch_op.drop_index('ix_contract_room_id_id')
        batch_op.drop_index(batch_op.f('ix_contract_project_id'))
        batch_op.drop_index(batch_op.f('ix_contract_permit_id'))
        batch_op.drop_index(batch_op.f('ix_contract_mortgage_bank_org_id'))
        batch_op.drop_index(batch_op.f('ix_contract_fund_center_org_id'))
        batch_op.drop_index(batch_op.f('ix_contract_developer_org_id'))
        batch_op.drop_index(batch_op.f('ix_contract_case_number'))
        batch_op.drop_index('ix_contract_building_status')

    op.drop_table('contract')
    with op.batch_alter_table('seal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seal_developer_org_id'))

    op.drop_table('seal')
    with op.batch_alter_table('sms_message', schema=None) as batch_op:
        batch_op.drop_index('ix_sms_message_phone_created_at')
        batch_op.drop_index('ix_sms_message_created_at_id')
        batch_op.drop_index(batch_op.f('ix_sms_message_case_number'))

    op.drop_table('sms_message')
    op.drop_table('sms_code')

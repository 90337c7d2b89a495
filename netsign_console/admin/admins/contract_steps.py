"""The signing flow's entry forms (购房合同录入, 资金缴款通知单): admins without a menu entry,
used only by the flow's sub-tasks (FormStep / RecordListStep), which fix the contract the rows
belong to. Their validation is the contract rules of domain/contract.py and contracts/entry.py,
per row here and over the whole set when the step is finished (contracts/flow_steps.py)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func
from sqlmodel import select

from models.bank import BankLink, BankLinkKind
from models.enums import Role
from models.contract import Contract, ContractInstalment, ContractParty, ContractPayment
from netsign_console.admin.base import ModelAdmin
from netsign_console.auth.permissions import Perm
from netsign_console.errors import ValidationFailed


class _StepAdmin(ModelAdmin):
    abstract = True
    menu_group = None
    view_perm = Perm.CASE_HANDLE
    edit_perm = Perm.CASE_HANDLE
    # Written only through the case's sub-task (holding its task is the right); the standalone
    # pages are read-only lists in the developer's scope.
    view_roles = frozenset({Role.SYSTEM_ADMIN, Role.REGULATOR, Role.DEVELOPER_ADMIN, Role.OPERATOR})
    org_field = "contract_id.developer_org_id"
    can_create = False
    can_edit = False
    can_delete = False
    can_export = False


class ContractBuyerAdmin(_StepAdmin, model=ContractParty):
    """One buyer or co-owner, checked on its own (ID number by its type, phone, share)."""

    slug = "contract-buyers"
    title = "买受人及共有人"
    verbose_name = "购房人"
    list_columns = form_fields = ("role", "name", "id_type", "id_number", "phone", "address", "share")
    masked_fields = ("id_number", "phone")

    def before_save(self, session, principal, obj, data) -> None:
        from netsign_console.domain.contract import Party, check_parties

        party = Party(name=obj.name or "", id_type=obj.id_type or "", id_number=obj.id_number or "",
                      phone=obj.phone or "", address=obj.address or "", share=obj.share, role=obj.role or "buyer")
        normalised, errors = check_parties([party])
        # Set rules (the first is a buyer, shares add up to 100 %) are checked when the list is finished.
        errors = {k.removeprefix("parties.0."): v for k, v in errors.items() if k.startswith("parties.0.")
                  and k != "parties.0.role"}
        if errors:
            raise ValidationFailed(errors)
        p = normalised[0]
        obj.name, obj.id_number, obj.phone, obj.address = p.name, p.id_number, p.phone, p.address or None
        obj.share = p.share
        if obj.ordinal is None:
            last = session.exec(select(func.max(ContractParty.ordinal))
                                .where(ContractParty.contract_id == obj.contract_id)).one()
            obj.ordinal = (last or 0) + 1


class ContractTermsAdmin(_StepAdmin, model=Contract):
    """价款与付款: the method, an agreed total, the loans and their mortgagees, the delivery date;
    the total, down payment and mortgagor follow (contracts/entry.apply_terms)."""

    slug = "contract-terms"
    org_field = "developer_org_id"
    title = "合同价款与付款方式"
    verbose_name = "合同条款"
    list_columns = ("contract_number", "total_price")
    form_fields = ("unit_price", "gross_area", "computed_total", "payment_method", "agreed_total",
                   "commercial_loan_amount", "mortgage_bank_org_id", "fund_loan_amount", "fund_center_org_id",
                   "delivery_date", "total_price", "down_payment", "mortgagor")
    readonly_fields = ("unit_price", "gross_area", "computed_total", "total_price", "down_payment", "mortgagor")
    fk_filters = {"mortgage_bank_org_id": {"org_type": "bank"},
                  "fund_center_org_id": {"org_type": "provident_fund_center"}}
    labels = {"agreed_total": "约定总价(元)（不填则按面积×单价）"}

    def before_save(self, session, principal, obj, data) -> None:
        from netsign_console.contracts import entry

        instalments = [(i.due_date, i.amount) for i in session.exec(
            select(ContractInstalment).where(ContractInstalment.contract_id == obj.id)
            .order_by(ContractInstalment.ordinal)).all()]
        terms = entry.Terms(payment_method=obj.payment_method or "", agreed_total=obj.agreed_total,
                            commercial_loan_amount=obj.commercial_loan_amount, fund_loan_amount=obj.fund_loan_amount,
                            mortgage_bank_org_id=obj.mortgage_bank_org_id, fund_center_org_id=obj.fund_center_org_id,
                            delivery_date=obj.delivery_date, instalments=instalments)
        errors, total = entry.terms_errors(session, obj, terms)
        errors.pop("instalments", None)  # the schedule is its own list, checked when that list is finished
        if obj.mortgage_bank_org_id and "mortgage_bank_org_id" not in errors:
            linked = session.exec(select(BankLink.id).where(
                BankLink.organization_id == obj.developer_org_id, BankLink.kind == BankLinkKind.MORTGAGE.value,
                BankLink.bank_org_id == obj.mortgage_bank_org_id)).first()
            if linked is None:
                errors["mortgage_bank_org_id"] = "所选银行不是本企业的按揭银行，请先在按揭银行中维护"
        if errors:
            raise ValidationFailed(errors)
        entry.apply_terms(session, obj, terms, total)


class ContractInstalmentAdmin(_StepAdmin, model=ContractInstalment):
    slug = "contract-instalments"
    title = "分期付款计划"
    verbose_name = "付款期"
    list_columns = form_fields = ("due_date", "amount", "note")

    def before_save(self, session, principal, obj, data) -> None:
        if obj.amount is None or obj.amount <= 0:
            raise ValidationFailed({"amount": "金额应大于0"})
        if obj.ordinal is None:
            last = session.exec(select(func.max(ContractInstalment.ordinal))
                                .where(ContractInstalment.contract_id == obj.contract_id)).one()
            obj.ordinal = (last or 0) + 1


class ContractPaymentAdmin(_StepAdmin, model=ContractPayment):
    """A payment into the supervision account against the notice; never more than is still due."""

    slug = "contract-payments"
    title = "缴款记录"
    verbose_name = "缴款"
    list_columns = form_fields = ("paid_on", "amount", "voucher_number", "remarks")

    def before_save(self, session, principal, obj, data) -> None:
        from netsign_console.contracts.flow_steps import due_of
        from netsign_console.domain.contract import check_payment

        contract = session.get(Contract, obj.contract_id)
        try:
            due = due_of(session, contract)
        except ValueError as exc:
            raise ValidationFailed({"amount": str(exc)}) from None
        paid = session.exec(select(func.coalesce(func.sum(ContractPayment.amount), 0))
                            .where(ContractPayment.contract_id == obj.contract_id,
                                   ContractPayment.id != obj.id if obj.id else True)).one()
        problem = check_payment(due, Decimal(paid), obj.amount)
        if problem:
            raise ValidationFailed({"amount": problem})
        if not (obj.voucher_number or "").strip():
            raise ValidationFailed({"voucher_number": "请填写缴款凭证号"})
        obj.recorded_by_id = principal.user_id


class ContractLoanAdmin(_StepAdmin, model=Contract):
    """The lender's review (SIGN-15, FIN-01/02): the appraisal, the mortgagor and its own loan;
    the loan base min(contract price, appraisal) is shown with it (the flow's subject rows)."""

    slug = "contract-loans"
    title = "贷款审核信息"
    verbose_name = "贷款信息"
    org_field = None  # the lender edits it through its routed review only; the list page shows nothing else
    view_roles = frozenset({Role.SYSTEM_ADMIN, Role.REGULATOR})
    list_columns = ("contract_number", "total_price", "appraisal_price")
    form_fields = ("total_price", "appraisal_price", "mortgagor", "commercial_loan_amount", "fund_loan_amount")
    readonly_fields = ("total_price",)

    def before_save(self, session, principal, obj, data) -> None:
        from netsign_console.domain.loan import loan_base

        errors = {}
        if obj.appraisal_price is not None and obj.appraisal_price <= 0:
            errors["appraisal_price"] = "评估价应大于0"
        base = loan_base(obj.total_price, obj.appraisal_price if obj.appraisal_price and obj.appraisal_price > 0
                         else None)
        loans = (obj.commercial_loan_amount or 0) + (obj.fund_loan_amount or 0)
        for name in ("commercial_loan_amount", "fund_loan_amount"):
            value = getattr(obj, name)
            if value is not None and value <= 0:
                errors[name] = "贷款金额应大于0"
        if not errors and loans > base:
            errors["commercial_loan_amount" if obj.commercial_loan_amount else "fund_loan_amount"] = \
                f"贷款金额合计不能超过贷款基数{base:,}元（合同价与评估价孰低）"
        if not (obj.mortgagor or "").strip():
            errors["mortgagor"] = "请填写抵押人"
        if errors:
            raise ValidationFailed(errors)
        obj.down_payment = obj.total_price - loans

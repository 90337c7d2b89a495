"""在建工程抵押设立 (MORT-01): a developer mortgages rooms of a building under construction to one
of its loan banks; the bank and then the regulator review it."""

from __future__ import annotations

from sqlmodel import Session

from models.mortgage import ConstructionMortgage, MortgageStatus
from models.workflow import Case
from netsign_console.mortgage import rooms as mortgage_rooms
from netsign_console.workflow.flows import _mortgage
from netsign_console.workflow.nodes import End, Stage, Start
from netsign_console.workflow.routing import initiating_org
from netsign_console.workflow.subtasks import FormStep, RecordPickStep, RoomPickStep

TERMS = ("amount", "term_months", "starts_on")


class ConstructionMortgageCreate(_mortgage.MortgageFlow):
    """在建工程抵押设立"""

    code = _mortgage.CREATE

    start = Start(_mortgage.DEVELOPER, subject="building",
                  checks=(_mortgage.survey_filed, _mortgage.has_free_rooms, _mortgage.no_open_create),
                  initial_data=_mortgage.create_data,
                  hint="选择测绘成果已备案的楼栋；受理后选择贷款银行、抵押户室（全选即整栋抵押），填写抵押金额、期限与起始日期。")
    entry = Stage("抵押信息填写", _mortgage.DEVELOPER, org=initiating_org, subtasks=(
        RecordPickStep("贷款银行", admin="loan-banks", data_field="bank_link_id", choices=_mortgage.loan_banks,
                       label=_mortgage.bank_link_label, derive=_mortgage.bank_of_link,
                       add_fields=("bank_org_id", "contact_person", "contact_phone"),
                       defaults=_mortgage.bank_link_defaults),
        RoomPickStep("选择抵押户室", rooms=_mortgage.building_rooms, data_field="room_ids", action="设定抵押",
                     eligible=_mortgage.may_mortgage),
        FormStep("抵押金额与期限", admin="construction-mortgages", record=_mortgage.mortgage_of, fields=TERMS,
                 required_fields=TERMS),
    ))
    bank_review = _mortgage.bank_review("贷款银行审核")
    review = _mortgage.regulator_review()
    end = End()

    def on_accept(self, session: Session, case: Case, subject) -> None:
        m = ConstructionMortgage(building_id=subject.id, project_id=subject.project_id,
                                 developer_org_id=subject.developer_org_id, case_number=case.number,
                                 status=MortgageStatus.APPLYING.value)
        session.add(m)
        session.flush()
        self.set_data(case, mortgage_id=m.id)
        session.add(case)

    def on_cancel(self, session: Session, case: Case) -> None:
        m = self.mortgage(session, case)
        if m.status == MortgageStatus.APPLYING.value:
            m.status = MortgageStatus.WITHDRAWN.value
            session.add(m)

    def on_archive(self, session: Session, case: Case, decision: str | None) -> None:
        data = self.data_of(case)
        mortgage_rooms.establish(session, self.mortgage(session, case), data.room_ids, bank_org_id=data.bank_org_id,
                                 now=case.archived_at)

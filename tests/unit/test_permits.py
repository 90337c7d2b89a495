"""预售许可 (PERMIT-01 to PERMIT-05) at the service level: who may apply, the supplements (the
property manager and the four certificates picked or added, the scope picked on the grid),
the regulator's review, the permit number and PDF, archive turning the scope saleable (物管用房
never), and a change that blocks signing while open, re-issues the PDF and moves rooms."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from sqlmodel import select

from models.building import Building, Room
from models.document import Document
from models.permit import Permit, PermitRoom
from models.project import ProjectCertificate
from netsign_console import documents
from netsign_console.db import session_scope
from netsign_console.errors import PermissionDenied, UserError, ValidationFailed
from netsign_console.workflow import acceptance, document_step, record_pick
from netsign_console.workflow import engine as wf
from netsign_console.workflow import subtask_service as st
from netsign_console.workflow.times import local_date
from tests.unit.document_fixtures import doc_settings, keys_dir  # noqa: F401  fixtures
from tests.unit.survey_fixtures import principal
from tests.unit.test_survey_filing import _building, _file_forecast, _rooms

PICK, CERTS, MANAGER, DOC = "pick-room_ids", "records-certificate_ids", "records-property_manager_id", "document-presale_permit"


@pytest.fixture(autouse=True)
def _documents_under_tmp(doc_settings):  # noqa: F811  private files and signing keys under tmp
    return doc_settings


def _permit(s, building="D003") -> Permit:
    return s.exec(select(Permit).where(Permit.building_id == _building(s, building).id)).one()


def _certificates(s, building) -> dict[str, str]:
    rows = s.exec(select(ProjectCertificate).where(ProjectCertificate.project_id == building.project_id)).all()
    return {r.kind: str(r.id) for r in rows}


def _next(s, who, case_id):
    """Dispatch the open stage and take the next one (the same developer operator)."""
    wf.dispatch(s, who, wf.open_task(s, case_id).id)
    wf.claim(s, who, wf.open_task(s, case_id).id)


def _regulator_stage(url, case_id, *, decide=None):
    with session_scope(url) as s:
        reg = principal(s, "regulator")
        task = wf.open_task(s, case_id)
        wf.claim(s, reg, task.id)
        if decide:
            wf.decide(s, reg, task.id, decision=decide, opinion="符合预售条件，同意")
        return task.id


def _apply(url, building="D003", *, flow="presale_permit", scope=None) -> int:
    """Accept and complete the developer's two stages; returns the case id."""
    with session_scope(url) as s:
        dev = principal(s, "dev_operator")
        b = _building(s, building)
        case_id = wf.accept(s, dev, flow, subject_id=b.id).id
    with session_scope(url) as s:
        dev = principal(s, "dev_operator")
        b = _building(s, building)
        if flow.endswith("_change"):
            st.confirm(s, dev, case_id, "original", "original")
            _next(s, dev, case_id)
        st.confirm(s, dev, case_id, "project", "project")
        sub, slots, editable = record_pick.view(s, dev, case_id, "project", MANAGER)
        assert editable and slots[0].options, "the developer's saved property managers are offered"
        record_pick.save(s, dev, case_id, "project", MANAGER, {"": slots[0].options[0][0]})
        _next(s, dev, case_id)
        rooms = _rooms(s, b)
        ids = [r.id for r in rooms.values()] if scope is None else [rooms[n].id for n in scope]
        st.pick_save(s, dev, case_id, "building", PICK, ids)
        record_pick.save(s, dev, case_id, "building", CERTS, _certificates(s, b))
        wf.dispatch(s, dev, wf.open_task(s, case_id).id)
    return case_id


def _generate_and_archive(url, case_id) -> Document:
    _regulator_stage(url, case_id, decide="approve")
    with session_scope(url) as s:
        reg = principal(s, "regulator")
        task = wf.open_task(s, case_id)
        wf.claim(s, reg, task.id)
        doc = document_step.generate(s, reg, case_id, "generate", DOC)
        doc_id = doc.id
        wf.dispatch(s, reg, task.id)
    with session_scope(url) as s:
        return s.get(Document, doc_id)


def test_who_may_apply(demo_url):
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        # 东方名苑 1栋 was completed by 户室信息补录, without a filed survey; D001 went through the chain.
        _rows, refusals = acceptance.preview(s, dev, "presale-permit", _building(s, "1栋").id)
        assert refusals == ["该楼栋的测绘成果尚未备案，不能申请预售许可"]
        _rows, refusals = acceptance.preview(s, dev, "presale-permit", _building(s, "D001").id)
        assert refusals == [f"该楼栋已取得预售许可证（{local_date().year}-0001），请办理变更"]
    _file_forecast(demo_url)
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        b = _building(s)
        _rows, refusals = acceptance.preview(s, dev, "spot-sale-permit", b.id)
        assert refusals == ["该楼栋的实测成果尚未备案，不能申请现售许可（期房请申请预售许可）"]
        _rows, refusals = acceptance.preview(s, dev, "presale-permit-change", b.id)
        assert refusals == ["该楼栋尚未取得预售许可证"]
        case = wf.accept(s, dev, "presale_permit", subject_id=b.id)
        _rows, refusals = acceptance.preview(s, dev, "presale-permit", b.id)
        assert refusals == [f"该楼栋已有正在办理的许可业务（{case.number}）"]


def test_supplements_refuse_what_does_not_fit(demo_url):
    _file_forecast(demo_url)
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        b = _building(s)
        case_id = wf.accept(s, dev, "presale_permit", subject_id=b.id).id
        # A property manager of another developer is not among the choices, whatever id is sent.
        with pytest.raises(ValidationFailed) as refused:
            record_pick.save(s, dev, case_id, "project", MANAGER, {"": "999999"})
        assert refused.value.errors == {"records-": "所选物业信息不在可选范围内，请重新选择"}
        with pytest.raises(UserError, match="未填写的必填|物业信息|栋项目信息确认"):
            wf.dispatch(s, dev, wf.open_task(s, case_id).id)
        # Added on the spot, through the admin's validation, and picked at once.
        with pytest.raises(ValidationFailed) as refused:
            record_pick.add(s, dev, case_id, "project", MANAGER, "", {"name": ""})
        assert "name" in refused.value.errors
        new_id = record_pick.add(s, dev, case_id, "project", MANAGER, "", {"name": "长沙湘江物业管理有限公司",
                                                                       "contact_phone": "0731-88886666"})
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        sub, slots, _ = record_pick.view(s, dev, case_id, "project", MANAGER)
        assert slots[0].picked == str(new_id)
        st.confirm(s, dev, case_id, "project", "project")
        _next(s, dev, case_id)
        rooms = _rooms(s, _building(s))
        # N3: a room must have its price filed before it enters the scope.
        rooms["1-0101"].sale_price = None
        s.add(rooms["1-0101"])
        with pytest.raises(UserError, match="1-0101：未申报销售价格"):
            st.pick_save(s, dev, case_id, "building", PICK, [rooms["1-0101"].id])
        # Three certificates only: the fourth slot is required.
        certs = _certificates(s, _building(s))
        with pytest.raises(ValidationFailed) as refused:
            record_pick.save(s, dev, case_id, "building", CERTS, {k: v for k, v in certs.items() if k != "construction"})
        assert refused.value.errors == {"records-construction": "请选择建筑工程施工许可证"}
        # A certificate added here belongs to the case's project, whatever the form says.
        cert_id = record_pick.add(s, dev, case_id, "building", CERTS, "construction",
                                  {"number": "430103202611200001", "issued_on": "2026-11-20"})
        assert s.get(ProjectCertificate, cert_id).project_id == _building(s).project_id


def test_initial_approval_to_archive_and_a_change(demo_url, tmp_path):
    _file_forecast(demo_url)
    with session_scope(demo_url) as s:
        rooms = _rooms(s, _building(s))
        rooms["2-0102"].designation = "property_mgmt"  # as a PMR determination leaves it
        s.add(rooms["2-0102"])
    case_id = _apply(demo_url)
    with session_scope(demo_url) as s:
        # The developer cannot generate the permit, nor read the regulator's stage as its own.
        with pytest.raises(PermissionDenied):
            document_step.generate(s, principal(s, "dev_operator"), case_id, "generate", DOC)
    doc = _generate_and_archive(demo_url, case_id)
    year = local_date().year
    # The demo's D001 permit took the year's first number (the demo is loaded in the same run).
    assert doc.number == f"{year}-0002" and doc.status == "valid" and doc.signed
    with session_scope(demo_url) as s:
        permit = _permit(s)
        b = _building(s)
        rooms = _rooms(s, b)
        assert (permit.number, permit.kind, permit.status, permit.version) == (f"{year}-0002", "presale", "valid", 1)
        assert permit.room_count == len(rooms) == 24 and permit.document_id == doc.id
        assert {r.trade_status for n, r in rooms.items() if n != "2-0102"} == {"saleable"}
        assert rooms["2-0102"].trade_status == "not_for_sale"  # 物管用房: in the scope, never for sale
        assert len(s.exec(select(PermitRoom).where(PermitRoom.permit_id == permit.id)).all()) == 24
        pdf = documents.read_pdf(doc)
    path = tmp_path / "permit.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert f"{year}-0002" in text and "湖南星城置业有限公司" in text and "24 套" in text

    # The change: 1-0101 is signed meanwhile and cannot leave; 1-0102 leaves the scope.
    with session_scope(demo_url) as s:
        rooms = _rooms(s, _building(s))
        rooms["1-0101"].trade_status = "signed"
        s.add(rooms["1-0101"])
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        change_id = wf.accept(s, dev, "presale_permit_change", subject_id=_building(s).id).id
        assert _permit(s).status == "changing"  # PERMIT-03: signing waits
        table = st.confirm_table(s, dev, change_id, "original", "original")
        assert (("许可证号", f"{year}-0002") in table.rows and ("许可套数", "24") in table.rows
                and "暂停预售签约" in table.note)
        st.confirm(s, dev, change_id, "original", "original")
        _next(s, dev, change_id)
        st.confirm(s, dev, change_id, "project", "project")
        _sub, slots, _ = record_pick.view(s, dev, change_id, "project", MANAGER)
        assert slots[0].picked, "a change starts from the permit's property manager"
        record_pick.save(s, dev, change_id, "project", MANAGER, {"": slots[0].picked})
        _next(s, dev, change_id)
        _sub, slots, _ = record_pick.view(s, dev, change_id, "building", CERTS)
        assert all(slot.picked for slot in slots), "and from its four certificates"
        record_pick.save(s, dev, change_id, "building", CERTS, {slot.code: slot.picked for slot in slots})
        keep = [r.id for n, r in rooms.items() if n not in ("1-0101", "1-0102")]
        with pytest.raises(UserError, match="以下户室不能移出：1-0101：已签约"):
            st.pick_save(s, dev, change_id, "building", PICK, keep)
        st.pick_save(s, dev, change_id, "building", PICK, keep + [rooms["1-0101"].id])
        wf.dispatch(s, dev, wf.open_task(s, change_id).id)
    new_doc = _generate_and_archive(demo_url, change_id)
    with session_scope(demo_url) as s:
        permit = _permit(s)
        old = s.get(Document, doc.id)
        assert (new_doc.number, new_doc.version, new_doc.status) == (f"{year}-0002", 2, "valid")
        assert (old.status, old.superseded_by_id) == ("superseded", new_doc.id)
        assert (permit.status, permit.version, permit.room_count, permit.document_id) == ("valid", 2, 23, new_doc.id)
        rooms = _rooms(s, _building(s))
        assert rooms["1-0102"].trade_status == "not_for_sale" and rooms["1-0101"].trade_status == "signed"


def test_a_cancelled_change_gives_the_permit_back(demo_url):
    _file_forecast(demo_url)
    _generate_and_archive(demo_url, _apply(demo_url, scope=["1-0301", "1-0302"]))
    with session_scope(demo_url) as s:
        dev = principal(s, "dev_operator")
        change = wf.accept(s, dev, "presale_permit_change", subject_id=_building(s).id)
        assert _permit(s).status == "changing"
        wf.cancel(s, dev, change.id, reason="申请有误")
        assert _permit(s).status == "valid"

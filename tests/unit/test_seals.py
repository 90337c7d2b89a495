"""印章管理 (SIGN-12): seal images are checked on their content and size, the developer admin keeps
its own organisation's seals only, the 印章授权人 is one of its users, and the demo developers
have drawn seals."""

from __future__ import annotations

import dataclasses
import io

import pytest
from PIL import Image
from sqlmodel import select

import netsign_console.admin.admins  # noqa: F401  registers the console's admins
from models.seal import Seal
from models.user import User
from netsign_console import settings as config
from netsign_console.admin import files, service
from netsign_console.admin.base import get_admin
from netsign_console.admin.query import ListParams, list_records
from netsign_console.contracts.seals import check_seal_image, draw_company_seal, draw_legal_rep_seal, seal_image
from netsign_console.db import session_scope
from netsign_console.errors import PermissionDenied, ValidationFailed
from tests.unit.admin_fixtures import demo_db, demo_principal  # noqa: F401  demo_db is a fixture


def _image(fmt: str, size: int = 200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (size, size), (200, 16, 28)).save(out, format=fmt)
    return out.getvalue()


def test_a_seal_image_is_a_real_png_or_jpeg_of_sensible_size(monkeypatch):
    check_seal_image(draw_company_seal("湖南星城置业有限公司"))
    check_seal_image(_image("JPEG"))
    for data, message in (
        (b"%PDF-1.4 not an image", "印章图片应为PNG或JPEG格式"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "印章图片已损坏或不是有效的PNG/JPEG图片"),
        (_image("GIF"), "印章图片应为PNG或JPEG格式"),
        (_image("PNG", 20), "印章图片太小，至少64×64像素"),
        (_image("PNG", 2400), "印章图片尺寸不能超过2000×2000像素"),
    ):
        with pytest.raises(ValueError, match=message):
            check_seal_image(data)
    monkeypatch.setattr(config, "settings", dataclasses.replace(config.settings, seal_max_bytes=1024))
    with pytest.raises(ValueError, match="印章图片不能超过1KB"):
        check_seal_image(draw_legal_rep_seal("王建国"))


def test_the_upload_checks_type_content_and_the_seal_rule(demo_db):
    dev = demo_principal(demo_db, "dev_admin")
    rule = get_admin("seals").file_rule("image_file")
    assert rule.types == ("png", "jpg", "jpeg") and rule.hint == "支持PNG、JPG，最大1MB；文件保存在非公开目录，仅有权限的用户可查看。"
    for name, data, message in (
        ("seal.pdf", b"%PDF-1.4", "文件类型不支持，请上传JPEG、JPG、PNG文件"),
        ("seal.png", _image("JPEG"), "文件内容不是PNG格式"),
        ("seal.png", _image("PNG", 20), "印章图片太小"),
    ):
        with pytest.raises(files.FileRefused, match=message):
            files.stage_upload(name, data, dev, rule)
    # Every file column checks content against its type, scans included.
    with pytest.raises(files.FileRefused, match="文件内容不是PDF格式"):
        files.stage_upload("四证.pdf", b"<html>", dev)


def _create(url: str, username: str, **values) -> str:
    who = demo_principal(url, username)
    token = files.stage_upload("合同章.png", draw_company_seal("湖南星城置业有限公司"), who,
                               get_admin("seals").file_rule("image_file"))
    data = {"kind": "company", "name": "湖南星城置业有限公司合同专用章（二）", "image_file": token, "active": "1", **values}
    return service.create_record("seals", who, data, url=url)


def test_the_developer_admin_keeps_its_own_seals(demo_db):
    with session_scope(demo_db) as s:
        own = s.exec(select(User).where(User.username == "dev_operator")).one()
        other = s.exec(select(User).where(User.username == "dev2_admin")).one()
    seal_id = _create(demo_db, "dev_admin", authorised_user_id=str(own.id))
    with session_scope(demo_db) as s:
        seal = s.get(Seal, int(seal_id))
        assert seal.authorised_phone == own.phone and seal.image_file.startswith("files/seal/")
        assert seal_image(seal).startswith(b"\x89PNG")
    dev, dev2 = demo_principal(demo_db, "dev_admin"), demo_principal(demo_db, "dev2_admin")
    names = [r["name"] for r in list_records("seals", dev, ListParams(), url=demo_db).rows]
    assert "湖南星城置业有限公司合同专用章（二）" in names
    assert all("星城" not in r["name"] for r in list_records("seals", dev2, ListParams(), url=demo_db).rows)
    row = next(r for r in list_records("seals", dev, ListParams(), url=demo_db).rows if r["_id"] == seal_id)
    assert row["authorised_phone"] == "139****0006"
    with pytest.raises(PermissionDenied):
        service.get_form("seals", dev2, seal_id, url=demo_db)
    with pytest.raises(PermissionDenied):
        list_records("seals", demo_principal(demo_db, "dev_operator"), ListParams(), url=demo_db)
    # The 印章授权人 is one of the organisation's users: the picker offers no one else ...
    offered = {label for _key, label in service.fk_search("seals", dev, "authorised_user_id", "", url=demo_db)}
    assert own.display_name in offered and other.display_name not in offered
    # ... and a guessed id of another developer's user is refused at the field.
    with pytest.raises(ValidationFailed) as refused:
        _create(demo_db, "dev_admin", authorised_user_id=str(other.id))
    assert "authorised_user_id" in refused.value.errors
    with pytest.raises(ValidationFailed) as refused:
        _create(demo_db, "dev_admin")
    assert refused.value.errors == {"authorised_user_id": "请选择印章授权人或填写授权人手机号"}


def test_the_demo_developers_have_drawn_seals(demo_url):
    with session_scope(demo_url) as s:
        seals = s.exec(select(Seal).order_by(Seal.developer_org_id, Seal.kind)).all()
        kinds = {(seal.developer_org_id, seal.kind) for seal in seals}
        assert len(kinds) == 4 and {k for _org, k in kinds} == {"company", "legal_rep"}
        for seal in seals:
            check_seal_image(seal_image(seal))
            assert seal.authorised_user_id is not None and seal.active

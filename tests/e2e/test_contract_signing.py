"""预售签约 in the browser (issue 11), a combined loan end to end: the developer accepts room
1-1001 of D001 found by permit number + room number (a seized room is flagged in the search),
enters two buyers (a bad ID refused at the field; the set locked once finished), the terms (组合贷:
the bank from its 按揭银行, the provident-fund centre), prints the 资金缴款通知单 and records it
paid in two parts, generates the contract; each buyer confirms with the code the regulator reads
in the SMS outbox; the seal holder's code stamps the seals; the centre and then the bank enter an
appraisal and approve; the regulator files it. The filed PDF downloads from the contract page:
pdftotext finds the buyer, the price in 大写 and the verification code, pyHanko validates the
signature, and /verify says 已备案. Then an unwind of that contract returns the room to 可售 and
the same code says 已退房."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e

BUYERS = (("买受人", "王小明", "11010519491231002X", "13800138000", "60"),
          ("共有人", "李小红", "110105198001010016", "13800138001", "40"))


def _open(page, number: str) -> None:
    page.goto(f"/case/{number}")
    expect(page.locator("#case-number")).to_have_text(number)


def _done(page, code: str, text: str) -> None:
    expect(page.locator(f"#subtask-{code}").locator("xpath=..")).to_contain_text(text)


def _select(page, field: str, option: str) -> None:
    page.locator(f"#field-{field}").click()
    page.get_by_role("option", name=option, exact=True).click()


def _fk(page, field: str, typed: str) -> None:
    page.locator(f"#field-{field}").fill(typed)
    page.locator(f"#options-{field} .fk-option").first.click()


def _latest_code(reader, phone_tail: str) -> str:
    """The newest code sent to a phone ending so, read on the 短信发件箱 page (regulator side)."""
    table = reader.locator("#admin-table")
    # The list page may first show the rows of the reader's last visit, before its reload lands.
    for _attempt in range(10):
        reader.goto("/admin/sms-outbox")
        expect(table).to_contain_text("验证码")
        for line in table.inner_text().splitlines():  # newest first
            found = re.search(r"验证码为(\d{6})", line)
            if found and phone_tail in line:
                return found.group(1)
        reader.wait_for_timeout(500)
    raise AssertionError(f"no code for *{phone_tail} in the outbox:\n{table.inner_text()[:2000]}")


def _confirm_codes(dev, reader, code: str, shot: str | None = None) -> None:
    dev.locator(f"#subtask-{code}").click()
    sends = dev.locator("[id^=codes-send-]")
    expect(sends.first).to_be_visible()
    keys = [el.get_attribute("id").removeprefix("codes-send-") for el in sends.all()]
    phones = {}
    for key in keys:
        line = dev.locator(f"#codes-send-{key}").locator("xpath=../..")
        phones[key] = re.search(r"\*+(\d{4})", line.inner_text()).group(1)
    for i, key in enumerate(keys):
        dev.locator(f"#codes-send-{key}").click()
        expect(dev.locator(f"#codes-message-{key}")).to_contain_text("验证码已发送")
        if i == 0 and code.endswith("contract_signing"):
            dev.locator(f"#codes-input-{key}").fill("000000")
            dev.locator(f"#codes-verify-{key}").click()
            expect(dev.locator(f"#codes-message-{key}")).to_have_text("验证码错误，还可尝试4次")
        dev.locator(f"#codes-input-{key}").fill(_latest_code(reader, phones[key]))
        if shot and i == len(keys) - 1:
            screenshot(dev, shot)
        dev.locator(f"#codes-verify-{key}").click()
        expect(dev.locator(f"#codes-confirmed-{key}")).to_be_visible()
    expect(dev.locator("#codes-done")).to_be_visible()


def _lender_review(page, number: str, form: str, values: dict[str, str], shot: str) -> None:
    _open(page, number)
    page.locator("#act-claim").click()
    page.locator(f"#subtask-{form}").click()
    for field, value in values.items():
        page.locator(f"#field-{field}").fill(value)
    page.locator("#subtask-save").click()
    _done(page, form, "已保存")
    page.reload()
    expect(page.locator("#case-number")).to_have_text(number)
    expect(page.locator("body")).to_contain_text("贷款基数(元)")
    screenshot(page, shot)
    page.locator("#decision-approve").click()
    page.locator("#archive-opinion").fill("同意")
    page.locator("#act-decide").click()


def test_a_combined_loan_from_acceptance_to_a_filed_verified_contract(new_page, tmp_path, e2e_work, monkeypatch):
    dev = new_page()
    login(dev, "dev_operator")
    reader = new_page()
    login(reader, "regulator")

    # 受理: permit number + room number; a seized room is flagged with its refusal.
    dev.goto("/accept/presale-contract-signing")
    dev.locator("#subject-search").fill("2026-0001 1-08")
    expect(dev.locator("#pick-D001-1-0801")).to_contain_text("不可签约：该户室已司法查封或行政限制")
    screenshot(dev, "contract-accept-search")
    dev.locator("#subject-search").fill("2026-0001 1-1001")
    dev.locator("#pick-D001-1-1001").click()
    expect(dev.locator("#accept-ok")).to_be_visible(timeout=15_000)
    dev.locator("#accept-picked").click()
    dev.wait_for_url("**/case/F*")
    number = dev.url.rstrip("/").rsplit("/", 1)[-1]
    expect(dev.locator("#case-stage")).to_have_text("购房合同录入")

    # 买受人及共有人: a bad ID refused at the field; the set locked once finished.
    dev.locator("#subtask-list-contract-buyers").click()
    for i, (role, name, id_number, phone, share) in enumerate(BUYERS):
        dev.locator("#list-add").click()
        if role != "买受人":
            _select(dev, "role", role)
        dev.locator("#field-name").fill(name)
        dev.locator("#field-id_number").fill(id_number[:-1] + ("0" if id_number[-1] != "0" else "1") if i == 0
                                             else id_number)
        dev.locator("#field-phone").fill(phone)
        dev.locator("#field-share").fill(share)
        dev.locator("#list-save").click()
        if i == 0:
            expect(dev.locator("#error-id_number")).to_contain_text("校验")
            dev.locator("#field-id_number").fill(id_number)
            dev.locator("#field-address").fill("长沙市岳麓区麓山南路1号")
            dev.locator("#list-save").click()
        expect(dev.locator("#list-table")).to_contain_text(name)
    dev.locator("#list-finish").click()
    expect(dev.locator("#list-locked")).to_contain_text("锁定")
    screenshot(dev, "contract-buyers-locked")

    # 合同价款与付款方式: 组合贷.
    dev.locator("#subtask-form-contract-terms").click()
    _select(dev, "payment_method", "组合贷")
    dev.locator("#field-commercial_loan_amount").fill("300000")
    _fk(dev, "mortgage_bank_org_id", "建设")
    dev.locator("#field-fund_loan_amount").fill("300000")
    _fk(dev, "fund_center_org_id", "公积金")
    dev.locator("#field-delivery_date").fill("2028-06-30")
    dev.locator("#subtask-save").click()
    _done(dev, "form-contract-terms", "已保存")
    total = Decimal(dev.locator("#field-total_price").input_value().replace(",", ""))
    due = Decimal(dev.locator("#field-down_payment").input_value().replace(",", ""))
    assert due == total - 600000
    screenshot(dev, "contract-terms")
    dev.locator("#subtask-list-instalments").click()
    dev.locator("#list-finish").click()
    _done(dev, "list-instalments", "共0条")

    # 资金缴款通知单, paid in two parts.
    dev.locator("#subtask-document-notice").click()
    dev.locator("#document-generate").click()
    expect(dev.locator("#document-number")).to_have_text(f"JK{number[1:]}")
    dev.locator("#subtask-list-payments").click()
    first = (due / 2).quantize(Decimal("0.01"))
    for paid, voucher in ((first, "PZ20261202001"), (due - first, "PZ20261202002")):
        dev.locator("#list-add").click()
        dev.locator("#field-paid_on").fill("2026-12-02")
        dev.locator("#field-amount").fill(str(paid))
        dev.locator("#field-voucher_number").fill(voucher)
        dev.locator("#list-save").click()
        expect(dev.locator("#list-table")).to_contain_text(voucher)
    expect(dev.locator("#list-figures")).to_contain_text("尚需缴纳：0.00元")
    dev.locator("#list-finish").click()
    expect(dev.locator("#list-done")).to_be_visible()
    screenshot(dev, "contract-payments")

    # 签订购房合同: the electronic template, generated (the number taken now).
    dev.locator("#subtask-document-contract").click()
    dev.locator("#document-generate").click()
    expect(dev.locator("#document-number")).to_have_text(re.compile(r"YS430100-\d{4}-\d{6}"))
    contract_number = dev.locator("#document-number").inner_text()
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#case-stage")).to_have_text("签约（电子签名）")
    dev.locator("#act-claim").click()
    _confirm_codes(dev, reader, "codes-contract_signing", "contract-esign")
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#case-stage")).to_have_text("合同盖章")
    dev.locator("#act-claim").click()
    _confirm_codes(dev, reader, "codes-seal_authorisation", "contract-seal")
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#case-stage")).to_have_text("公积金中心审核")

    appraisal = str(total - 50000)
    centre = new_page()
    login(centre, "fund_center")
    _lender_review(centre, number, "form-fund-loan", {"appraisal_price": appraisal}, "contract-fund-review")
    expect(centre.locator("#case-stage")).to_have_text("按揭银行审核")
    bank = new_page()
    login(bank, "mortgage_bank")
    _lender_review(bank, number, "form-bank-loan", {"appraisal_price": appraisal}, "contract-bank-review")
    expect(bank.locator("#case-stage")).to_have_text("备案归档")

    _open(reader, number)
    reader.locator("#act-claim").click()
    reader.locator("#decision-approve").click()
    reader.locator("#archive-opinion").fill("合同内容齐全，同意备案")
    reader.locator("#act-archive").click()
    expect(reader.locator("#case-status")).to_have_text("已办结")

    # The contract page, its filed PDF and the verify page.
    dev.goto("/admin/contracts")
    dev.get_by_role("link", name="合同详情").first.click()
    expect(dev.locator("#contract-title")).to_contain_text(contract_number)
    expect(dev.locator("#contract-status")).to_have_text("已备案")
    expect(dev.locator("#contract-payments")).to_contain_text("PZ20261202002")
    expect(dev.locator("#contract-reviews")).to_contain_text("按揭银行审核")
    screenshot(dev, "contract-page")
    line = dev.locator("#contract-documents").get_by_text("商品房买卖合同（预售）").locator("xpath=..")
    href = line.get_by_role("link", name="下载PDF").get_attribute("href")
    code = line.locator("code").inner_text()
    response = dev.request.get(href)
    assert response.ok and response.body().startswith(b"%PDF")
    pdf = tmp_path / "contract.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    from netsign_console.documents.helpers import money_words

    flat = text.replace("\n", "").replace(" ", "")
    assert "王小明" in flat and money_words(total) in flat and code in text, text[:3000]
    import dataclasses

    from netsign_console import settings as config
    from netsign_console.documents.signing import validate_pdf

    # Validated against the app's own trust root (its keys folder), as pyHanko would with it.
    monkeypatch.setattr(config, "settings", dataclasses.replace(config.settings, keys_dir=e2e_work / "keys"))
    assert validate_pdf(pdf.read_bytes()).valid
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(tmp_path / "contract")], check=True)
    verify = new_page()
    verify.goto(f"/verify/{code}")
    expect(verify.locator("#verify-table")).to_contain_text("已备案")
    expect(verify.locator("#verify-table")).to_contain_text(contract_number)
    expect(verify.locator("#verify-table")).to_contain_text("有效")
    screenshot(verify, "contract-verify")

    # 退房 of this very contract (RET-01 to RET-03): the room is 可售 again and the code printed on
    # the filed PDF now says 已退房.
    dev.goto("/accept?group=商品房合同")
    dev.locator("#start-contract-unwind").click()
    dev.locator("#subject-search").fill(contract_number)
    dev.locator(f"#pick-{contract_number}").click()
    expect(dev.locator("#accept-ok")).to_be_visible(timeout=15_000)
    dev.locator("#accept-picked").click()
    dev.wait_for_url("**/case/T*")
    unwind = dev.url.rstrip("/").rsplit("/", 1)[-1]
    dev.locator("#subtask-records-applicant_party_id").click()
    dev.locator("#subtask-screen").get_by_role("combobox").first.click()
    dev.get_by_role("option", name=re.compile("王小明")).click()
    dev.locator("#records-save").click()
    _done(dev, "records-applicant_party_id", "已选择")
    dev.locator("#subtask-form-contract-unwinds").click()
    dev.locator("#field-reason").fill("买受人贷款未获批准，双方协商解除合同")
    dev.locator("#subtask-save").click()
    _done(dev, "form-contract-unwinds", "已保存")
    dev.locator("#act-dispatch").click()
    expect(dev.locator("#case-stage")).to_have_text("主管部门审核")
    _open(reader, unwind)
    reader.locator("#act-claim").click()
    reader.locator("#subtask-upload").click()
    proof = tmp_path / "proof.pdf"
    proof.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    reader.locator("#subtask-upload-files input[type=file]").set_input_files(str(proof))
    reader.locator("#subtask-upload-send").click()
    _done(reader, "upload", "已上传")
    reader.locator("#decision-approve").click()
    reader.locator("#archive-opinion").fill("退房凭证齐全，同意退房")
    reader.locator("#act-archive").click()
    expect(reader.locator("#case-status")).to_have_text("已办结")
    dev.goto("/admin/buildings")
    dev.locator(".admin-row", has_text="D001").locator("a.row-extra-link", has_text="楼盘表").click()
    expect(dev.locator('#grid-table td[data-room="1-1001"]')).to_have_attribute("data-status", "saleable")
    verify.goto(f"/verify/{code}")
    expect(verify.locator("#verify-status")).to_have_text("已退房（合同已解除）")
    expect(verify.locator("#verify-table")).to_contain_text(contract_number)

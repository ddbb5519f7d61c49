"""Journey 2, in Chinese: a double-random spot check from its plan to its public result.

demo-regulator plans a check of the service outlets of one district, sees the seed's SHA-256
fingerprint before drawing, draws and verifies the draw; an inspector the draw assigned opens
"My checks" on a phone, fetches the checklist PDF, records one failed item with a photo and
completes; the regulator issues a rectification notice from the failed item; the enterprise
acknowledges it and reports the correction; the regulator closes the notice and publishes the
result, which then shows on /public/checks.
"""

import datetime as dt
import re
import struct
import zlib
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .conftest import PHONE, pdf_text, sign_in

pytestmark = pytest.mark.e2e

PLAN = "端到端测试：泽州县服务网点专项抽查"
DISTRICT = "140525"  # 泽州县: only enterprise A (晋康源, demo-enterprise) has an outlet there
ITEMS = ("A02", "A03", "A07")
FAILED = "A03"
INSPECTORS = {"李明": "demo-inspector", "赵丽": "demo-inspector2", "郑华": "demo-inspector5"}
ENTERPRISE_ADMINS = {"晋康源健康科技股份有限公司": "demo-enterprise",
                     "太行优品日用品有限公司": "demo-enterprise2"}
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def tiny_png(path):
    """A valid 2×2 grey PNG, written to *path*."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\x80\x80" for _ in range(2))  # filter byte + 2 grey pixels
    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return path


def test_spot_check_journey(new_page, journey, tmp_path):
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    regulator = new_page()
    sign_in(regulator, "demo-regulator")

    # Plan: the seed's fingerprint is shown before the draw.
    regulator.goto("/inspections/plans/new")
    regulator.get_by_label("计划名称").fill(PLAN)
    regulator.get_by_label("检查对象类型").select_option(label="服务网点")
    regulator.get_by_label("抽查区域").select_option(DISTRICT)
    regulator.get_by_label("按数量抽取").check()
    regulator.get_by_label("抽取数量").fill("1")
    regulator.get_by_label("每个对象的检查人员数").fill("2")
    regulator.get_by_label("检查开始日期").fill(today.isoformat())
    regulator.get_by_label("检查截止日期").fill((today + dt.timedelta(days=30)).isoformat())
    items = regulator.get_by_role("group", name="抽查事项")
    for box in items.get_by_role("checkbox").all():  # all are ticked at first: keep three
        box.set_checked(box.evaluate("e => e.labels[0].textContent.trim().slice(0, 3)") in ITEMS)
    regulator.get_by_role("button", name="保存计划").click()
    expect(regulator.get_by_role("heading", level=1, name=PLAN)).to_be_visible()
    fingerprint = regulator.locator("dt", has_text="随机种子指纹（SHA-256）").locator(
        "xpath=following-sibling::dd[1]").inner_text().strip()
    assert SHA256.match(fingerprint), fingerprint
    expect(regulator.get_by_role("button", name="立即抽取")).to_be_visible()
    journey.shot(regulator, "plan-before-draw")

    # Draw, then verify the draw.
    regulator.get_by_role("button", name="立即抽取").click()
    expect(regulator.locator(".badge", has_text="已抽取")).to_be_visible()
    expect(regulator.locator("code", has_text=fingerprint)).to_be_visible()  # unchanged
    row = regulator.get_by_role("table").get_by_role("row").nth(1)  # the one check drawn
    check_number = row.get_by_role("link").first.inner_text().strip()
    enterprise_name = row.get_by_role("cell").nth(1).inner_text().splitlines()[0].strip()
    names = row.get_by_role("cell").nth(2).inner_text().strip().split("、")
    assert len(names) == 2, names
    inspector = INSPECTORS[names[0]]
    enterprise_admin = ENTERPRISE_ADMINS[enterprise_name]
    journey.shot(regulator, "plan-drawn")
    regulator.get_by_role("link", name="验证本次抽取").click()
    expect(regulator.get_by_role("status")).to_contain_text("验证通过")
    journey.shot(regulator, "draw-verified")
    journey.axe(regulator, "verify the draw")

    # The inspector, on a phone: My checks, the checklist PDF, the results.
    phone = new_page(viewport=PHONE)
    sign_in(phone, inspector)
    phone.get_by_role("button", name="显示导航").click()
    phone.get_by_role("link", name="我的检查任务").click()
    expect(phone.get_by_role("heading", level=1, name="我的检查任务")).to_be_visible()
    entry = phone.get_by_role("listitem").filter(has_text=check_number)
    journey.shot(phone, "my-checks-phone")
    journey.axe(phone, "my checks on a phone")
    checklist_url = entry.get_by_role("link", name="检查表（PDF）").get_attribute("href")
    answer = phone.request.get(checklist_url)
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    checklist = tmp_path / "checklist.pdf"
    checklist.write_bytes(answer.body())
    text = pdf_text(checklist)
    assert check_number in text
    assert enterprise_name in text
    assert "检查" in text and "服务网点" in text

    entry.get_by_role("link", name=re.compile(check_number)).click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(check_number)
    journey.axe(phone, "check page on a phone")
    for code in ITEMS:
        item = phone.get_by_role("group", name=re.compile(f"^{code} "))
        item.get_by_label("不合格" if code == FAILED else "合格", exact=True).check()
    failed = phone.get_by_role("group", name=re.compile(f"^{FAILED} "))
    failed.get_by_label("说明（不合格时必填）").fill("网点未公示退换货制度，价目表缺失。")
    failed.get_by_label("证据材料：照片（JPEG、PNG）或 PDF").set_input_files(
        tiny_png(tmp_path / "现场照片.png"))
    journey.shot(phone, "results-recorded-phone")
    phone.get_by_role("button", name="完成检查").click()
    expect(phone.get_by_text("已完成，待公示")).to_be_visible()
    expect(phone.get_by_role("link", name="现场照片.png")).to_be_visible()
    journey.shot(phone, "check-completed-phone")

    # The regulator issues a rectification notice from the failed item.
    regulator.goto("/inspections/plans")
    regulator.get_by_role("link", name=PLAN).click()
    regulator.get_by_role("link", name=check_number).click()
    regulator.get_by_role("link", name="就不合格事项开具责令改正通知书").click()
    expect(regulator.get_by_label("查明的事实")).to_contain_text("网点未公示退换货制度")
    provisions = regulator.get_by_role("group", name="违反的规定")
    if not provisions.get_by_role("checkbox", checked=True).count():
        provisions.get_by_role("checkbox").first.check()
    regulator.get_by_label("责令改正事项").fill("在服务网点显著位置公示退换货制度和产品价格。")
    regulator.get_by_label("自送达之日起若干个工作日").check()
    regulator.get_by_label("自送达之日起的工作日数").fill("15")
    journey.axe(regulator, "new notice form")
    regulator.get_by_role("button", name="开具通知书").click()
    expect(regulator.get_by_text("已开具，未送达")).to_be_visible()
    notice_url = regulator.url
    journey.shot(regulator, "notice-issued")

    # The enterprise acknowledges receipt and reports the correction.
    enterprise = new_page()
    sign_in(enterprise, enterprise_admin)
    enterprise.goto(notice_url)
    enterprise.get_by_role("button", name="我单位已收到本通知书").click()
    expect(enterprise.get_by_text("已送达", exact=True)).to_be_visible()
    report = enterprise.get_by_role("region", name="报送整改情况")
    report.get_by_label("改正了什么、如何改正").fill(
        "已在网点入口处张贴退换货制度和产品价目表，见照片。")
    report.get_by_label("证明材料（照片或PDF，可多选）").set_input_files(
        tiny_png(tmp_path / "整改照片.png"))
    journey.axe(enterprise, "notice (enterprise)")
    report.get_by_role("button", name="提交整改报告").click()
    expect(enterprise.get_by_text("已报送整改", exact=True)).to_be_visible()
    journey.shot(enterprise, "correction-reported")

    # The regulator verifies and closes the notice.
    regulator.reload()
    verify = regulator.get_by_role("region", name="复查整改情况")
    verify.get_by_label("书面审查").check()
    verify.get_by_label("已改正：结案").check()
    verify.get_by_role("button", name="记录复查结果").click()
    expect(regulator.get_by_text("已改正（结案）", exact=True)).to_be_visible()
    journey.shot(regulator, "notice-closed")

    # The regulator publishes the result; the public sees it.
    regulator.goto("/inspections/plans")
    regulator.get_by_role("link", name=PLAN).click()
    regulator.get_by_role("link", name=check_number).click()
    regulator.get_by_role("button", name="公示检查结果").click()
    expect(regulator.get_by_text("已公示", exact=True).first).to_be_visible()

    visitor = new_page()
    visitor.goto("/public/checks")
    published = visitor.get_by_role("link", name=f"{check_number} · {enterprise_name}")
    expect(published).to_be_visible()
    published.click()
    expect(visitor.get_by_role("main")).to_contain_text("不合格")
    journey.shot(visitor, "public-result")
    journey.axe(visitor, "public check result")

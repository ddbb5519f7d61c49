"""Journey 1, in Chinese: a training meeting from a banned claim to its approved receipt.

demo-enterprise files a meeting whose agenda promises 包治百病, sees the claims warning,
corrects it and submits; demo-regulator returns it with a reason; the enterprise corrects and
resubmits; the regulator approves; the enterprise downloads the receipt PDF.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .conftest import pdf_text, sign_in, sign_out

pytestmark = pytest.mark.e2e

TITLE = "端到端测试：产品知识讲解会"
BANNED_TOPIC = "本产品包治百病"
FIXED_TOPIC = "产品成分与正确使用"
DISTRICT = "140525"  # 泽州县 (Jincheng): enterprise A has an approved outlet there


def expect_status(page, label: str) -> None:
    """The filing's status badge (beside its number, under the title) reads *label*."""
    expect(page.locator("main .badge[class*='status-']").first).to_have_text(label)


def fill_meeting(page, starts: dt.datetime) -> None:
    """The new-meeting form, with a banned claim in the first agenda item."""
    page.get_by_label("会议类型").select_option(label="产品知识讲解")
    page.get_by_label("名称", exact=True).fill(TITLE)
    page.get_by_label("开始时间").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("结束时间").fill((starts + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("预计参会人数").fill("40")
    page.get_by_label("参会对象").fill("本企业晋城地区直销员")
    page.get_by_label("会场类型").select_option(label="酒店或会议场所")
    page.get_by_label("会场名称", exact=True).fill("泽州宾馆三楼会议室")
    page.get_by_label("所在区县").select_option(DISTRICT)
    page.get_by_label("会场地址").fill("泽州县建设路88号")
    page.get_by_label("直销培训员").select_option(label="王立军（已通过）")
    page.get_by_label("第1项的主题").fill(BANNED_TOPIC)
    page.get_by_label("第1项的讲授人").fill("王立军")
    page.get_by_label("第1项的时长（分钟）").fill("90")
    page.get_by_label("联系电话").fill("13800138000")


def test_meeting_filing_journey(new_page, journey, tmp_path):
    enterprise = new_page()
    enterprise.goto("/auth/login")
    expect(enterprise.get_by_role("heading", name="登录")).to_be_visible()
    journey.shot(enterprise, "login")
    journey.axe(enterprise, "login")
    sign_in(enterprise, "demo-enterprise")
    journey.shot(enterprise, "enterprise-home")

    # File the meeting: the claims checker warns about the agenda.
    enterprise.goto("/enterprise/meetings/new")
    starts = (dt.datetime.now(ZoneInfo("Asia/Shanghai")) + dt.timedelta(days=21)).replace(
        hour=9, minute=0, second=0, microsecond=0)
    fill_meeting(enterprise, starts)
    journey.axe(enterprise, "new meeting form")
    enterprise.get_by_role("button", name="保存").click()
    expect(enterprise.get_by_role("status").or_(enterprise.get_by_role("alert")).first
           ).to_contain_text("已保存为草稿")
    number = re.search(r"编号 (\S+?)。", enterprise.get_by_text("已保存为草稿").inner_text())[1]
    rule_check = enterprise.get_by_role("region", name="规则检查")
    expect(rule_check).to_contain_text("包治")
    journey.shot(enterprise, "claims-warning")
    journey.axe(enterprise, "filing page with a warning")
    filing_url = enterprise.url

    # Correct the agenda: the warning is gone; submit.
    enterprise.get_by_role("link", name="编辑", exact=True).click()
    enterprise.get_by_label("第1项的主题").fill(FIXED_TOPIC)
    enterprise.get_by_role("button", name="保存").click()
    expect(enterprise.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(enterprise.get_by_text("包治")).to_have_count(0)
    enterprise.get_by_role("button", name="提交", exact=True).click()
    expect_status(enterprise, "已提交")
    journey.shot(enterprise, "submitted")

    # The regulator finds it in the queue and returns it with a reason.
    regulator = new_page()
    sign_in(regulator, "demo-regulator")
    regulator.goto("/review/queue")
    journey.axe(regulator, "review queue")
    regulator.get_by_label("备案编号或企业名称").fill(number)
    regulator.get_by_role("button", name="筛选").click()
    regulator.get_by_role("link", name=number).click()
    expect(regulator.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    journey.shot(regulator, "regulator-filing")
    journey.axe(regulator, "filing page (regulator)")
    reasons = regulator.get_by_role("group", name="理由（至少一项，企业可见）")
    reasons.get_by_role("checkbox").first.check()
    regulator.get_by_label("补充说明（选填）").fill("请补充会议材料中的讲授提纲。")
    regulator.get_by_role("button", name="退回补正").click()
    expect_status(regulator, "退回补正")

    # The enterprise sees the reasons, corrects and resubmits.
    enterprise.goto(filing_url)
    reasons_alert = enterprise.get_by_role("alert").filter(has_text="监管部门给出的理由")
    expect(reasons_alert).to_contain_text("请补充会议材料中的讲授提纲。")
    journey.shot(enterprise, "returned")
    enterprise.get_by_role("link", name="编辑", exact=True).click()
    enterprise.get_by_label("第2项的主题").fill("讲授提纲：产品成分、适用人群与注意事项")
    enterprise.get_by_label("第2项的讲授人").fill("王立军")
    enterprise.get_by_label("第2项的时长（分钟）").fill("30")
    enterprise.get_by_role("button", name="保存").click()
    enterprise.get_by_role("button", name="重新提交").click()
    expect_status(enterprise, "已提交")

    # The regulator approves.
    regulator.reload()
    regulator.get_by_role("button", name="通过", exact=True).click()
    expect_status(regulator, "已通过")
    journey.shot(regulator, "approved")
    sign_out(regulator)

    # The enterprise downloads the receipt: the PDF names the meeting and its number.
    enterprise.goto(filing_url)
    expect_status(enterprise, "已通过")
    with enterprise.expect_download() as download:
        enterprise.get_by_role("link", name="回执（PDF）").click()
    receipt = tmp_path / "receipt.pdf"
    download.value.save_as(receipt)
    text = pdf_text(receipt)
    assert number in text
    assert TITLE in text
    journey.shot(enterprise, "receipt-downloaded")

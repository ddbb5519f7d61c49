"""Journey 3, in English: an anonymous visitor searches the disclosure pages and works out a
return window."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .conftest import PHONE

pytestmark = pytest.mark.e2e

ENTERPRISE = "晋康源健康科技股份有限公司"


def test_public_search_and_return_window(new_page, journey):
    page = new_page()
    page.goto("/public/enterprises?lang=en")
    expect(page.get_by_role("heading", name="Licensed enterprises")).to_be_visible()
    journey.axe(page, "public enterprises")

    search = page.get_by_role("search")
    search.get_by_label("Name, credit code or licence number").fill("晋康源")
    search.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=%E6%99%8B"))
    results = page.get_by_role("link", name=ENTERPRISE)
    expect(results).to_have_count(1)
    expect(page.get_by_role("link", name="太行优品日用品有限公司")).to_have_count(0)
    journey.shot(page, "search")

    results.click()
    expect(page.get_by_role("heading", level=1, name=ENTERPRISE)).to_be_visible()
    expect(page.get_by_role("heading", name="Return and exchange policy in force")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Service outlets"))).to_be_visible()
    expect(page.get_by_role("heading", name="Spot-check results")).to_be_visible()
    journey.shot(page, "enterprise")
    journey.axe(page, "public enterprise page")

    page.get_by_role("link", name="Work out your return window").click()
    expect(page.get_by_role("heading", name="Returning a product")).to_be_visible()
    expect(page.get_by_label("Enterprise (optional)")).to_have_value(
        re.compile(r"^\d+$"))  # the enterprise comes preselected from its page
    journey.axe(page, "return helper")

    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    page.get_by_label("Date of purchase").fill((today - dt.timedelta(days=10)).isoformat())
    page.get_by_label("Date you ask to return it").fill(today.isoformat())
    page.get_by_role("button", name="Work it out").click()
    result = page.get_by_role("region", name="Your return window")
    expect(result).to_be_visible()
    expect(result).to_contain_text("Last day to return")
    expect(result).to_contain_text("in time")
    expect(result).to_contain_text("Refund or exchange due by")
    expect(result).to_contain_text(ENTERPRISE)  # the policy in force was applied
    journey.shot(page, "return-window")
    journey.axe(page, "return helper with a result")

    # The same helper on a phone, in Chinese: a purchase long ago is too late.
    phone = new_page(viewport=PHONE)
    long_ago = (today - dt.timedelta(days=120)).isoformat()
    phone.goto(f"/public/returns?lang=zh&purchased_on={long_ago}")
    expect(phone.get_by_role("region", name="您的退换货期限")).to_contain_text("已超过期限")
    journey.shot(phone, "return-window-phone")
    journey.axe(phone, "return helper on a phone")

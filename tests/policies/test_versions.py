"""Policy versions: which one is current, the list of versions, and comparing two of them."""

import re
from datetime import date, timedelta

import pytest

from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.models import Enterprise, Filing, User
from portal.policies.operations import current_policy, local_today, roles_of
from portal.rules.policies import VersionRole
from portal.rules.workflow import Action, Side, Status

from ..factories import USERNAMES, make_policy


class People:
    """Enterprise A and B with their staff, and the regulators of both bureaus."""

    def __init__(self, world):
        self.a = db.session.get(Enterprise, world.enterprise_a)
        self.b = db.session.get(Enterprise, world.enterprise_b)
        self.staff = db.session.get(User, world.users["enterprise_staff"])
        self.staff_b = db.session.get(User, world.users["enterprise2_staff"])
        self.regulator = db.session.get(User, world.users["regulator"])
        self.regulator_b = db.session.get(User, world.users["regulator2"])


@pytest.fixture
def people(world, app_ctx):
    return People(world)


def policy(people, status="approved", enterprise="a", **changes) -> Filing:
    if enterprise == "a":
        return make_policy(people.a, people.staff, status, people.regulator, **changes)
    return make_policy(people.b, people.staff_b, status, people.regulator_b, **changes)


def test_current_policy_is_the_latest_approved_one_already_in_effect(people):
    today = local_today()
    older = policy(people, effective_on=date(2024, 1, 1))
    current = policy(people, effective_on=date(2025, 6, 1))
    future = policy(people, effective_on=today + timedelta(days=30))
    policy(people, "submitted", effective_on=today - timedelta(days=1))  # under review
    policy(people, "withdrawn", effective_on=today - timedelta(days=2))  # replaced, withdrawn
    policy(people, "returned", effective_on=today - timedelta(days=3))
    policy(people, enterprise="b", effective_on=today - timedelta(days=1))  # another enterprise
    db.session.commit()

    assert current_policy(people.a.id).filing_id == current.id
    assert current_policy(people.a.id, on=today + timedelta(days=30)).filing_id == future.id
    assert current_policy(people.a.id, on=date(2024, 6, 1)).filing_id == older.id
    assert current_policy(people.a.id, on=date(2023, 12, 31)) is None
    assert roles_of(people.a.id) == {older.id: VersionRole.PREVIOUS,
                                     current.id: VersionRole.CURRENT,
                                     future.id: VersionRole.SCHEDULED}


def test_a_newly_approved_version_supersedes_the_previous_one(people):
    first = policy(people, effective_on=date(2025, 1, 1))
    second = policy(people, "submitted", effective_on=date(2025, 9, 1))
    db.session.commit()
    assert current_policy(people.a.id).filing_id == first.id
    filing_ops.apply(second, Action.APPROVE, people.regulator, Side.BUREAU)
    db.session.commit()
    assert current_policy(people.a.id).filing_id == second.id
    assert db.session.get(Filing, first.id).status is Status.APPROVED  # kept, as a version
    assert roles_of(people.a.id)[first.id] is VersionRole.PREVIOUS


def test_the_same_effective_date_goes_to_the_later_decision(people):
    earlier = policy(people, "submitted", effective_on=date(2025, 3, 1))
    later = policy(people, "submitted", effective_on=date(2025, 3, 1))
    filing_ops.apply(later, Action.APPROVE, people.regulator, Side.BUREAU)
    filing_ops.apply(earlier, Action.APPROVE, people.regulator, Side.BUREAU)
    db.session.commit()
    assert current_policy(people.a.id).filing_id == earlier.id  # decided last
    assert roles_of(people.a.id)[earlier.id] is VersionRole.CURRENT


@pytest.fixture
def versions(world, app):
    """Enterprise A: a previous version, the current one, a new one under review, a draft.

    Built in an app context of its own: requests made while one is pushed would share it
    (and its remembered locale).
    """
    with app.app_context():
        return _versions(People(world))


def _versions(people):
    old = policy(people, effective_on=date(2024, 1, 1), refund_days=7,
                 consumer_return_days=30, title="退换货制度（2024年版）")
    current = policy(people, effective_on=date(2025, 6, 1), refund_days=5,
                     consumer_return_days=45, title="退换货制度（2025年版）")
    pending = policy(people, "submitted", effective_on=local_today() + timedelta(days=20),
                     refund_days=3, consumer_return_days=45, title="退换货制度（2025年版）")
    draft = policy(people, "draft", title="退换货制度（草稿）")
    other = policy(people, enterprise="b", effective_on=date(2025, 1, 1))
    db.session.commit()
    return {"old": old.id, "current": current.id, "pending": pending.id, "draft": draft.id,
            "other": other.id}


def signed_in(app, role):
    client = app.test_client()
    client.post("/auth/login", data={"username": USERNAMES.get(role, role),
                                     "password": "Correct-horse-42"})
    return client


def test_the_version_list_shows_dates_statuses_and_standing(app, versions):
    page = signed_in(app, "enterprise_staff").get("/enterprise/policies/?lang=en").get_data(
        as_text=True)
    for key in ("old", "current", "pending", "draft"):
        assert f"/filings/{versions[key]}" in page
    assert f"/filings/{versions['other']}" not in page
    assert "Current version" in page and "Previous version" in page
    assert "June 1, 2025" in page and "January 1, 2024" in page
    assert "Submitted" in page
    assert f"/enterprise/policies/new?from={versions['current']}" in page
    assert 'name="a"' in page and 'name="b"' in page


def rows_of(page):
    """{term label: (row classes, cells)} of the comparison table."""
    rows = {}
    for classes, label, cells in re.findall(
            r'<tr class="([^"]*)">\s*<th scope="row">([^<]*)</th>(.*?)</tr>', page, re.S):
        rows[label.strip()] = (classes, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cells)))
    return rows


def test_comparison_marks_changed_key_terms(app, versions):
    url = f"/filings/policies/compare?a={versions['old']}&b={versions['current']}&lang=en"
    response = signed_in(app, "enterprise_staff").get(url)
    assert response.status_code == 200
    rows = rows_of(response.get_data(as_text=True))
    classes, cells = rows["Refund or exchange within"]
    assert "term-changed" in classes
    assert "7 days after the request" in cells and "5 days after the request" in cells
    assert "Changed" in cells
    classes, cells = rows["Consumer return window"]
    assert "term-changed" in classes and "30 days after purchase" in cells
    assert "45 days after purchase" in cells
    classes, cells = rows["Direct seller return window"]
    assert "term-changed" not in classes and "Same" in cells
    assert "term-changed" in rows["Effective from"][0]
    assert "term-changed" in rows["Policy document"][0]  # a new file
    assert "term-changed" not in rows["Where consumers may return"][0]
    assert len(rows) == 9


def test_the_filing_page_links_to_a_comparison_with_the_current_version(app, versions):
    regulator = signed_in(app, "regulator")
    page = regulator.get(f"/filings/{versions['pending']}?lang=en").get_data(as_text=True)
    link = f"/filings/policies/compare?a={versions['current']}&amp;b={versions['pending']}"
    assert link in page and "Compare with the current version" in page
    compared = regulator.get(link.replace("&amp;", "&") + "&lang=en")
    assert compared.status_code == 200
    rows = rows_of(compared.get_data(as_text=True))
    assert "term-changed" in rows["Refund or exchange within"][0]
    assert "term-changed" not in rows["Title"][0]
    current = regulator.get(f"/filings/{versions['current']}?lang=en").get_data(as_text=True)
    assert "Current version" in current and "Compare with the current version" not in current


@pytest.mark.parametrize("role, pair, expected", [
    ("enterprise_staff", ("old", "draft"), 200),
    ("regulator", ("old", "current"), 200),
    ("inspector", ("old", "current"), 200),
    ("admin", ("old", "current"), 200),
    ("regulator", ("old", "draft"), 404),  # drafts stay with the enterprise
    ("regulator2", ("old", "current"), 404),  # another bureau's jurisdiction
    ("enterprise2_staff", ("old", "current"), 404),  # another enterprise
    ("enterprise2_staff", ("other", "other"), 200),
    ("enterprise_staff", ("other", "other"), 404),
    ("admin", ("old", "other"), 404),  # two enterprises' policies are not compared
])
def test_who_may_compare(app, versions, role, pair, expected):
    a, b = (versions[key] for key in pair)
    response = signed_in(app, role).get(f"/filings/policies/compare?a={a}&b={b}")
    assert response.status_code == expected


def test_another_enterprise_cannot_open_or_base_a_version_on_your_policies(app, versions):
    other = signed_in(app, "enterprise2_staff")
    assert other.get(f"/filings/{versions['current']}").status_code == 404
    assert other.get(f"/enterprise/policies/{versions['draft']}/edit").status_code == 404
    assert other.get(f"/enterprise/policies/new?from={versions['current']}").status_code == 404
    page = other.get("/enterprise/policies/").get_data(as_text=True)
    assert f"/filings/{versions['current']}\"" not in page


def option_values(page, name):
    """The options of the comparison form's select *name*: [(value, selected)]."""
    select = re.search(rf'<select[^>]*name="{name}">(.*?)</select>', page, re.S).group(1)
    return [(value, bool(selected)) for value, selected
            in re.findall(r'<option value="(\d+)"( selected)?>', select)]


def test_the_current_version_is_shown_and_offered_when_it_is_on_another_page(app, versions,
                                                                              monkeypatch):
    # Two versions a page: the draft and the pending one; the current one is on page 2.
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    staff = signed_in(app, "enterprise_staff")
    first = staff.get("/enterprise/policies/?lang=en").get_data(as_text=True)
    with app.app_context():
        current_number = db.session.get(Filing, versions["current"]).number
    in_force = first.split('id="current-heading"')[1].split("</section>")[0]
    assert f'href="/filings/{versions["current"]}">{current_number}</a>' in in_force
    assert "effective from June 1, 2025" in in_force
    table = first.split("<tbody>")[1].split("</tbody>")[0]
    assert f"/filings/{versions['current']}" not in table
    newest = [str(versions[key]) for key in ("draft", "pending", "current")]
    assert [value for value, _ in option_values(first, "a")] == newest
    # The current version against the latest other one.
    assert [value for value, selected in option_values(first, "a") if selected] == newest[2:]
    assert [value for value, selected in option_values(first, "b") if selected] == newest[:1]
    second = staff.get("/enterprise/policies/?page=2&lang=en").get_data(as_text=True)
    rows = re.findall(r'<tr>\s*<td><a href="/filings/(\d+)">.*?</tr>',
                      second.split("<tbody>")[1], re.S)
    assert rows == [str(versions["current"]), str(versions["old"])]
    assert "Current version" in second and "Previous version" in second


def test_the_standing_on_the_list_is_what_roles_of_says(people):
    from portal.policies import operations

    _versions(people)
    scheduled = policy(people, effective_on=local_today() + timedelta(days=40))
    db.session.commit()
    today = local_today()
    rows = db.session.execute(operations.visible_versions(people.a.id, people.staff)).all()
    in_force = operations.current_version(people.a.id, today)
    assert in_force.id == operations.current_policy(people.a.id, today).filing_id
    roles = operations.roles_of_versions(rows, in_force.id, today)
    assert roles == operations.roles_of(people.a.id, today)
    assert roles[scheduled.id] is VersionRole.SCHEDULED


def test_an_enterprise_without_policies_gets_the_empty_list_and_no_second_page(app, world):
    staff = signed_in(app, "enterprise_staff")
    page = staff.get("/enterprise/policies/?lang=en")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "No return and exchange policy has been filed yet." in html
    assert "No approved policy is in force today." in html
    assert 'href="/enterprise/policies/new"' in html and 'name="a"' not in html
    assert staff.get("/enterprise/policies/?page=2").status_code == 404

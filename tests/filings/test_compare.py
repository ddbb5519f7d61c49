"""Comparing two versions of a filing side by side (filings.compare), for every kind."""

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.filings import versions
from portal.models import Filing, FilingEvent, User
from portal.rules.workflow import Action, Side

from ..factories import USERNAMES, id_number, make_trainer


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def outlet_data(**changes):
    data = {"name": "晋城城区服务网点", "premises_type": "shop", "region_code": "140502",
            "address": "测试路2号", "person_in_charge": "负责人", "phone": "13800000000",
            "opening_hours": "9:00-18:00"}
    data.update(changes)
    return data


@pytest.fixture
def amended(world, app, client, login):
    """World's outlet A: submitted, approved, then amended (address and premises changed)."""
    with app.app_context():
        filing = db.session.get(Filing, world.filing_a)
        filing_ops.apply(filing, Action.APPROVE, user("regulator"), Side.BUREAU)
        db.session.commit()
        version = filing.version
    login(USERNAMES["enterprise_staff"])
    response = client.post(f"/enterprise/outlets/{world.filing_a}/edit", data=outlet_data(
        name=filing.title, premises_type="office", address="晋城市城区新市西街8号",
        version=version))
    assert response.status_code == 302
    with app.app_context():
        return [e.id for e in db.session.scalars(
            select(FilingEvent).where(FilingEvent.filing_id == world.filing_a)
            .order_by(FilingEvent.id))]


def rows(page: str) -> dict[str, tuple[str, bool]]:
    """{field label: (row html, changed)} of the comparison table."""
    found = {}
    for attrs, body in re.findall(r'<tr class="([^"]*)">\s*<th scope="row">(.*?)</tr>', page,
                                  re.S):
        label = body.split("</th>")[0].strip()
        found[label] = (body, "diff-changed" in attrs)
    return found


def table_of(response) -> str:
    """The summary and table of a compare page (the rest repeats the URL's arguments)."""
    page = response.get_data(as_text=True)
    return page[page.index('<p role="status">'):page.index("</table>")]


def test_default_compares_the_latest_version_with_the_previous_submission(amended, client,
                                                                         world):
    submit, approve, amend = amended
    page = client.get(f"/filings/{world.filing_a}/compare?lang=en").get_data(as_text=True)
    assert "2 fields changed." in page
    table = rows(page)
    body, changed = table["Address"]
    assert changed and "测试路2号" in body and "晋城市城区新市西街8号" in body
    assert "Changed" in body  # a text marker, not colour alone
    body, changed = table["Type of premises"]
    assert changed and "Shop or store front" in body and "Office building" in body
    body, changed = table["District"]
    assert not changed and "Unchanged" in body and "(140502)" in body
    assert "Phone" in table and "Title" not in table  # an outlet's title is its name
    assert re.search(rf'<option value="{submit}" selected', page)
    assert re.search(rf'<option value="{amend}" selected', page)


def test_chosen_versions_in_either_order(amended, client, world):
    submit, approve, amend = amended
    page = client.get(f"/filings/{world.filing_a}/compare?a={submit}&b={approve}&lang=en")
    assert "No field changed between these versions." in page.get_data(as_text=True)
    url = f"/filings/{world.filing_a}/compare?lang=en"
    forward = table_of(client.get(f"{url}&a={approve}&b={amend}"))
    assert "2 fields changed." in forward
    assert table_of(client.get(f"{url}&a={amend}&b={approve}")) == forward
    assert table_of(client.get(f"{url}&b={amend}")) == forward  # the version just before


def test_the_history_links_each_changed_version_to_the_previous_one(amended, client, world):
    """The amendment changed fields: linked to the version before it. The approval changed
    none (a decision keeps the contents): no link to a comparison with nothing in it."""
    submit, approve, amend = amended
    page = client.get(f"/filings/{world.filing_a}?lang=en").get_data(as_text=True)
    assert f"/filings/{world.filing_a}/compare?a={submit}&amp;b={approve}" not in page
    assert f"/filings/{world.filing_a}/compare?a={approve}&amp;b={amend}" in page
    assert page.count("Compare with previous") == 1


def test_events_of_another_filing_or_malformed_ids_are_404(amended, app, client, world):
    with app.app_context():
        other = db.session.scalar(
            select(FilingEvent.id).where(FilingEvent.filing_id == world.filing_b))
    url = f"/filings/{world.filing_a}/compare"
    assert client.get(f"{url}?a={other}").status_code == 404
    assert client.get(f"{url}?a={amended[0]}&b={other}").status_code == 404
    assert client.get(f"{url}?a=-1").status_code == 404
    assert client.get(f"{url}?a=1e3").status_code == 404
    # The other enterprise's filing itself is out of scope.
    assert client.get(f"/filings/{world.filing_b}/compare?a={other}").status_code == 404


def test_a_single_version_has_nothing_to_compare_with(world, client, login):
    login(USERNAMES["enterprise_staff"])
    page = client.get(f"/filings/{world.filing_a}/compare?lang=en").get_data(as_text=True)
    assert "There is no earlier version to compare with yet." in page
    page = client.get(f"/filings/{world.draft_a}/compare?lang=en").get_data(as_text=True)
    assert "There is no earlier version to compare with yet." in page


def test_regulators_compare_and_the_trainer_id_number_stays_masked(world, app, client, login):
    number = id_number(5150)
    with app.app_context():
        actor = user(USERNAMES["enterprise_staff"])
        filing = make_trainer(actor.enterprise, actor, "approved", user("regulator"),
                              id_number=number, name="赵敏")
        db.session.commit()
        filing_id, version = filing.id, filing.version
    login(USERNAMES["enterprise_staff"])
    data = {"name": "赵敏", "id_number": number, "employment_start": "2018-05-02",
            "degree": "master", "certificate_no": "PXY-9", "is_formal_employee": "yes",
            "has_criminal_record": "no", "is_mainland_resident": "yes", "version": version}
    assert client.post(f"/enterprise/trainers/{filing_id}/edit", data=data).status_code == 302
    regulator = app.test_client()
    regulator.post("/auth/login", data={"username": "regulator",
                                        "password": "Correct-horse-42"})
    page = regulator.get(f"/filings/{filing_id}/compare?lang=en").get_data(as_text=True)
    table = rows(page)
    assert table["Highest degree"][1] and "Master&#39;s degree" in table["Highest degree"][0]
    assert "Bachelor&#39;s degree" in table["Highest degree"][0]
    assert table["Employed by the enterprise since"][1]
    assert not table["Resident ID number"][1]
    assert number not in page and number[:4] + "**********" + number[-4:] in page
    assert "Yes" in table["Formal employee of the enterprise"][0]
    assert "Region" not in table and "Title" not in table


def test_rows_handle_fields_only_one_side_has_and_lists(app):
    with app.test_request_context("/?lang=en"):
        app.preprocess_request()
        result = versions.compare_rows(
            "meeting", 0,
            {"title": "A", "sessions": [{"topic": "法规", "speaker": "甲", "minutes": 30}]},
            {"title": "B", "sessions": [], "fee": "0.00"},
        )
    by_field = {row.field: row for row in result}
    assert by_field["title"].changed and by_field["title"].label == "Title"
    assert by_field["sessions"].before == ["法规 · 甲 · 30"]
    assert by_field["sessions"].after == ["—"]
    assert by_field["fee"].before == ["—"] and by_field["fee"].changed

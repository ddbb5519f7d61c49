"""Who sees which supervision: the bureau's regulators, assigned inspectors, nobody else."""

import pytest

from ..factories import USERNAMES

REGULATOR_ONLY = {"/supervision/{id}/staff", "/supervision/{id}/cancel"}
ROUTES = [
    ("GET", "/supervision/{id}"),
    ("GET", "/supervision/{id}/sheet.pdf"),
    ("GET", "/supervision/{id}/record"),
    ("POST", "/supervision/{id}/record"),
    ("GET", "/supervision/{id}/staff"),
    ("POST", "/supervision/{id}/cancel"),
    ("GET", "/supervision/{id}/photos/1"),
]


@pytest.mark.parametrize("method, url", ROUTES)
@pytest.mark.parametrize("username", ["regulator", "inspector", "inspector2"])
def test_another_bureau_gets_404_by_guessing_ids(supervisions, as_user, method, url, username):
    client = as_user(username)
    # Access is decided first: an inspector is refused the planning pages whatever the id.
    expected = 403 if username.startswith("inspector") and url in REGULATOR_ONLY else 404
    assert client.open(url.format(id=supervisions.other), method=method).status_code == expected


@pytest.mark.parametrize("method, url", ROUTES)
@pytest.mark.parametrize("username", ["regulator2", "inspector-b"])
def test_bureau_two_gets_404_for_bureau_one(supervisions, as_user, method, url, username):
    client = as_user(username)
    expected = 403 if username.startswith("inspector") and url in REGULATOR_ONLY else 404
    assert client.open(url.format(id=supervisions.planned), method=method).status_code == expected


@pytest.mark.parametrize("method, url", ROUTES + [("GET", "/supervision/"),
                                                  ("GET", "/supervision/mine")])
@pytest.mark.parametrize("role", ["enterprise_admin", "enterprise_staff"])
def test_enterprises_never_enter(supervisions, as_user, method, url, role):
    client = as_user(USERNAMES[role])
    assert client.open(url.format(id=supervisions.planned), method=method).status_code == 403


def test_an_unassigned_inspector_sees_nothing_and_an_assigned_one_sees_their_own(
        supervisions, as_user):
    client = as_user("inspector2")
    assert client.get(f"/supervision/{supervisions.planned}").status_code == 404
    assert "直销法规培训" not in client.get("/supervision/mine").get_data(as_text=True)
    client = as_user("inspector")
    assert client.get(f"/supervision/{supervisions.planned}").status_code == 200
    mine = client.get("/supervision/mine").get_data(as_text=True)
    assert "直销法规培训" in mine and "现场监督检查表（PDF）" in mine
    # Inspectors record and print, but do not plan.
    assert client.get(f"/supervision/{supervisions.planned}/staff").status_code == 403
    assert client.post(f"/supervision/{supervisions.planned}/cancel").status_code == 403
    assert client.get("/supervision/").status_code == 403


def test_the_filing_page_panel_is_for_the_bureau_only(supervisions, as_user, meetings):
    regulator = as_user("regulator").get(f"/filings/{meetings.upcoming}").get_data(as_text=True)
    assert "现场监督" in regulator and f"/supervision/{supervisions.planned}" in regulator
    inspector = as_user("inspector").get(f"/filings/{meetings.upcoming}").get_data(as_text=True)
    assert f"/supervision/{supervisions.planned}/record" in inspector
    assert "列入现场监督" not in inspector
    for username in ("ent-staff", "ent-admin"):
        page = as_user(username).get(f"/filings/{meetings.upcoming}").get_data(as_text=True)
        assert "现场监督" not in page and "/supervision/" not in page


def test_the_bureau_list_filters_by_status_and_mine(supervisions, as_user):
    client = as_user("regulator")
    planned = client.get("/supervision/?status=planned").get_data(as_text=True)
    assert f"/supervision/{supervisions.planned}" in planned
    assert f"/supervision/{supervisions.other}" not in planned
    assert f"/supervision/{supervisions.planned}" not in client.get(
        "/supervision/?status=done").get_data(as_text=True)
    assert f"/supervision/{supervisions.planned}" not in client.get(
        "/supervision/?mine=1").get_data(as_text=True)
    assert client.get("/supervision/?status=nonsense").status_code == 200

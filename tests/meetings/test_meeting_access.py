"""Who may open the meeting pages: a table of URL x role -> status, with meetings of both
enterprises (tests/test_access.py covers every route with the world's ids only)."""

import pytest

from portal.extensions import db
from portal.models import Enterprise

from ..factories import USERNAMES

ROLES = ["anonymous", "admin", "regulator", "regulator2", "inspector", "enterprise_staff",
         "enterprise_admin", "enterprise2_staff"]
LOGIN = 302
OWN = {"admin": 403, "regulator": 403, "regulator2": 403, "inspector": 403,
       "enterprise_staff": 200, "enterprise_admin": 200, "enterprise2_staff": 404}
OTHERS = {**OWN, "enterprise_staff": 404, "enterprise_admin": 404, "enterprise2_staff": 200}
REDIRECT_OWN = {**OWN, "enterprise_staff": 302, "enterprise_admin": 302}
EVERYONE = dict.fromkeys(ROLES, 200)
NOBODY = dict.fromkeys(ROLES, 404)
# Shared filing pages let every signed-in role in and answer 404 outside the user's scope.
HIDDEN = {**dict.fromkeys(ROLES[1:], 404), "admin": 200}
ANY_ENTERPRISE = {**OWN, "enterprise2_staff": 200}
ANY_ENTERPRISE_POST = {**OWN, "enterprise_staff": 302, "enterprise_admin": 302,
                       "enterprise2_staff": 302}

TABLE = [
    ("GET", "/enterprise/meetings/", ANY_ENTERPRISE),
    ("GET", "/enterprise/meetings/new", ANY_ENTERPRISE),
    ("POST", "/enterprise/meetings/new", ANY_ENTERPRISE),  # empty: the form again
    ("GET", "/enterprise/meetings/{draft}/edit", OWN),
    ("POST", "/enterprise/meetings/{draft}/edit", OWN),  # empty: the form again
    # B's own meeting is submitted, so B is sent back to its page; A must not learn it exists.
    ("GET", "/enterprise/meetings/{other}/edit", {**OTHERS, "enterprise2_staff": 302}),
    ("POST", "/enterprise/meetings/{other}/edit", {**OTHERS, "enterprise2_staff": 302}),
    ("GET", "/enterprise/meetings/{past}/attendance", OWN),
    ("POST", "/enterprise/meetings/{past}/attendance", OWN),  # empty: the form with errors
    ("GET", "/enterprise/meetings/{upcoming}/attendance", REDIRECT_OWN),  # not ended: refused
    ("GET", "/enterprise/meetings/{other}/attendance", {**OTHERS, "enterprise2_staff": 302}),
    ("POST", "/enterprise/meetings/{other}/attendance", {**OTHERS, "enterprise2_staff": 302}),
    ("GET", "/enterprise/meetings/calendar", ANY_ENTERPRISE),
    ("POST", "/enterprise/meetings/calendar/token", ANY_ENTERPRISE_POST),
    ("POST", "/enterprise/meetings/calendar/token/revoke", ANY_ENTERPRISE_POST),
    ("GET", "/calendar/{token}.ics", EVERYONE),
    ("GET", "/calendar/no-such-token-0123456789abcdef.ics", NOBODY),
    # The shared filing pages: drafts stay with the enterprise; bureaus see their area only.
    ("GET", "/filings/{draft}", {**HIDDEN, "enterprise_staff": 200, "enterprise_admin": 200}),
    ("GET", "/filings/{upcoming}", {**HIDDEN, "enterprise_staff": 200, "enterprise_admin": 200,
                                    "regulator": 200, "inspector": 200}),
    ("GET", "/filings/{other}", {**HIDDEN, "enterprise2_staff": 200, "regulator2": 200}),
    ("GET", "/filings/{upcoming}/documents/{material}",
     {**HIDDEN, "enterprise_staff": 200, "enterprise_admin": 200, "regulator": 200,
      "inspector": 200}),
    ("GET", "/filings/{other}/documents/{material}", {**HIDDEN, "admin": 404}),
]
CASES = [(method, url, role, expected.get(role, LOGIN))
         for method, url, expected in TABLE for role in ROLES]


@pytest.fixture
def ids(app, meetings, world):
    with app.app_context():
        enterprise = db.session.get(Enterprise, world.enterprise_a)
        enterprise.ics_token = "A" * 43
        db.session.commit()
    return {**vars(meetings), "token": "A" * 43}


@pytest.mark.parametrize("method, url, role, expected", CASES,
                         ids=[f"{c[2]}-{c[0]}-{c[1]}" for c in CASES])
def test_meeting_access(ids, client, login, method, url, role, expected):
    if role != "anonymous":
        assert login(USERNAMES[role]).status_code == 302
    url = url.format(**ids)
    response = client.open(url, method=method)
    assert response.status_code == expected, f"{role} {method} {url}"
    if expected == LOGIN and role == "anonymous":
        assert "/auth/login" in response.headers["Location"]

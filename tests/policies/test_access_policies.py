"""The access table of tests/test_access.py again, with real policies of both enterprises.

The shared `world` holds outlets only; here enterprise A gets a policy under review, an approved
one and a draft, and enterprise B one under review. Roles include the other bureau's regulator
and the other enterprise's staff.
"""

from datetime import date

import pytest

from portal.extensions import db
from portal.models import Enterprise, ReturnPolicy, User

from ..factories import USERNAMES, make_policy

ROLES = ["anonymous", "admin", "regulator", "regulator2", "inspector", "enterprise_admin",
         "enterprise_staff", "enterprise2_staff"]
LOGIN = 302
NOBODY = dict.fromkeys(ROLES[1:], 403)
OWN_A = {**NOBODY, "enterprise_admin": 200, "enterprise_staff": 200, "enterprise2_staff": 404}
OWN_A_REDIRECT = {**OWN_A, "enterprise_admin": 302, "enterprise_staff": 302}
# A filing of A under review: bureau 1 and the administrator see it, bureau 2 and B do not.
SEE_A = {**dict.fromkeys(ROLES[1:], 200), "regulator2": 404, "enterprise2_staff": 404}
SEE_DRAFT_A = {**SEE_A, "regulator": 404, "inspector": 404}
SEE_B = {**dict.fromkeys(ROLES[1:], 404), "admin": 200, "regulator2": 200,
         "enterprise2_staff": 200}
NOT_FOUND = dict.fromkeys(ROLES[1:], 404)

TABLE = [
    ("GET", "/enterprise/policies/{draft}/edit", OWN_A),
    ("POST", "/enterprise/policies/{draft}/edit", OWN_A),  # empty form: shown again
    ("GET", "/enterprise/policies/{submitted}/edit", OWN_A_REDIRECT),  # no longer editable
    ("GET", "/enterprise/policies/{approved}/edit", OWN_A_REDIRECT),  # to a new version
    ("GET", "/enterprise/policies/{other}/edit", {**OWN_A, "enterprise_admin": 404,
                                                  "enterprise_staff": 404,
                                                  "enterprise2_staff": 302}),  # submitted
    ("GET", "/enterprise/policies/new?from={approved}", OWN_A),
    ("GET", "/enterprise/policies/new?from={other}", {**OWN_A, "enterprise_admin": 404,
                                                      "enterprise_staff": 404,
                                                      "enterprise2_staff": 200}),
    ("GET", "/filings/policies/compare?a={approved}&b={submitted}", SEE_A),
    ("GET", "/filings/policies/compare?a={approved}&b={draft}", SEE_DRAFT_A),
    ("GET", "/filings/policies/compare?a={other}&b={other}", SEE_B),
    ("GET", "/filings/policies/compare?a={approved}&b={other}", NOT_FOUND),
    ("GET", "/filings/policies/compare?a={approved}&b=999999", NOT_FOUND),
    ("GET", "/filings/{submitted}", SEE_A),
    ("GET", "/filings/{other}", SEE_B),
    ("GET", "/filings/{submitted}/receipt.pdf", SEE_A),
    ("GET", "/filings/{submitted}/documents/{document}", SEE_A),
]
USERS = {**USERNAMES, "regulator2": "regulator2"}


@pytest.fixture
def policies(world, app):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        b = db.session.get(Enterprise, world.enterprise_b)
        staff = db.session.get(User, world.users["enterprise_staff"])
        staff_b = db.session.get(User, world.users["enterprise2_staff"])
        regulator = db.session.get(User, world.users["regulator"])
        submitted = make_policy(a, staff, "submitted")
        ids = {
            "submitted": submitted.id,
            "approved": make_policy(a, staff, "approved", regulator,
                                    effective_on=date(2025, 1, 1)).id,
            "draft": make_policy(a, staff, "draft").id,
            "other": make_policy(b, staff_b, "submitted").id,
        }
        ids["document"] = db.session.get(ReturnPolicy, submitted.id).document_id
        db.session.commit()
        return ids


CASES = [(method, url, role, expected.get(role, LOGIN))
         for method, url, expected in TABLE for role in ROLES]


@pytest.mark.parametrize("method, url, role, expected", CASES,
                         ids=[f"{c[2]}-{c[0]}-{c[1]}" for c in CASES])
def test_access_to_policies(policies, client, login, method, url, role, expected):
    if role != "anonymous":
        assert login(USERS[role]).status_code == 302
    url = url.format(**policies)
    response = client.open(url, method=method)
    assert response.status_code == expected, f"{role} {method} {url}"
    if role == "anonymous":
        assert "/auth/login" in response.headers["Location"]

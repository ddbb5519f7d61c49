"""One table: every route, every role -> the expected status. A route missing here fails.

URLs may name ids of the `world` fixture: {enterprise_a} is inside bureau 1 / enterprise A's
own; {enterprise_b} belongs to the other bureau and enterprise (so it must be 404, never 200).
"""

import pytest

from .factories import USERNAMES

ROLES = ["anonymous", "admin", "regulator", "inspector", "enterprise_admin", "enterprise_staff"]
LOGIN = 302  # anonymous users are sent to the sign-in page
ENTERPRISE_ONLY = {"admin": 403, "regulator": 403, "inspector": 403,
                   "enterprise_admin": 200, "enterprise_staff": 200}
ENTERPRISE_ADMIN_ONLY = {**ENTERPRISE_ONLY, "enterprise_staff": 403}
REGULATOR_ONLY = {"admin": 403, "regulator": 200, "inspector": 403,
                  "enterprise_admin": 403, "enterprise_staff": 403}
INSPECTOR_ONLY = {**REGULATOR_ONLY, "regulator": 403, "inspector": 200}
ADMIN_ONLY = {**REGULATOR_ONLY, "regulator": 403, "admin": 200}
ANY_SIGNED_IN = dict.fromkeys(ROLES[1:], 200)

# endpoint -> list of (method, url, {role: status}); "anonymous" defaults to LOGIN.
ACCESS = {
    "core.index": [("GET", "/", dict.fromkeys(ROLES, 302))],
    "core.healthz": [("GET", "/healthz", dict.fromkeys(ROLES, 200))],
    "auth.login": [("GET", "/auth/login", {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)})],
    "auth.logout": [("POST", "/auth/logout", dict.fromkeys(ROLES[1:], 302))],
    "auth.change_password": [("GET", "/auth/password", ANY_SIGNED_IN)],
    "enterprise.home": [("GET", "/enterprise/", ENTERPRISE_ONLY)],
    "enterprise.list_staff": [("GET", "/enterprise/staff", ENTERPRISE_ADMIN_ONLY)],
    "review.home": [("GET", "/review/", REGULATOR_ONLY)],
    "review.list_enterprises": [("GET", "/review/enterprises", REGULATOR_ONLY)],
    "review.show_enterprise": [
        ("GET", "/review/enterprises/{enterprise_a}", REGULATOR_ONLY),
        ("GET", "/review/enterprises/{enterprise_b}", {**REGULATOR_ONLY, "regulator": 404}),
    ],
    "inspections.home": [("GET", "/inspections/", INSPECTOR_ONLY)],
    "admin.home": [("GET", "/admin/", ADMIN_ONLY)],
    "admin.list_bureaus": [("GET", "/admin/bureaus", ADMIN_ONLY)],
    "admin.list_enterprises": [("GET", "/admin/enterprises", ADMIN_ONLY)],
    "admin.list_users": [("GET", "/admin/users", ADMIN_ONLY)],
}

IGNORED = {"static", "bootstrap.static"}


def test_every_route_has_an_access_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - IGNORED
    assert endpoints - set(ACCESS) == set(), "add these routes to ACCESS"
    assert set(ACCESS) - endpoints == set(), "these ACCESS entries name no route"


CASES = [
    (endpoint, method, url, role, expected.get(role, LOGIN))
    for endpoint, entries in ACCESS.items()
    for method, url, expected in entries
    for role in ROLES
]


@pytest.mark.parametrize(
    "endpoint, method, url, role, expected",
    CASES,
    ids=[f"{c[3]}-{c[1]}-{c[2]}" for c in CASES],
)
def test_access(world, client, login, endpoint, method, url, role, expected):
    if role != "anonymous":
        assert login(USERNAMES[role]).status_code == 302
    url = url.format(**vars(world))
    response = client.open(url, method=method)
    assert response.status_code == expected, f"{role} {method} {url}"
    if expected == LOGIN and role == "anonymous" and endpoint not in {"core.index"}:
        assert "/auth/login" in response.headers["Location"]

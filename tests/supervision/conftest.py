"""Fixtures for the supervision tests: the meeting world plus supervisions in both bureaus."""

from dataclasses import dataclass

import pytest

from portal.extensions import db
from portal.models import Bureau, Meeting, Role
from portal.supervision import operations

from ..factories import make_user
from ..meetings.conftest import meetings, setting  # noqa: F401  (fixtures used here)
from ..meetings.helpers import user


@dataclass
class Supervisions:
    planned: int  # bureau 1's planned supervision of A's upcoming meeting, staff: inspector
    other: int  # bureau 2's planned supervision of B's meeting
    inspector2: int  # an inspector of bureau 1 who is not assigned
    inspector_b: int  # an inspector of bureau 2


@pytest.fixture
def supervisions(app, world, meetings):  # noqa: F811
    with app.app_context():
        b1 = db.session.get(Bureau, world.bureau1)
        b2 = db.session.get(Bureau, world.bureau2)
        inspector2 = make_user(Role.INSPECTOR, "inspector2", bureau=b1)
        inspector_b = make_user(Role.INSPECTOR, "inspector-b", bureau=b2)
        planned = operations.mark(db.session.get(Meeting, meetings.upcoming),
                                  [world.users["inspector"]], "带执法记录仪", user("regulator"))
        other = operations.mark(db.session.get(Meeting, meetings.other),
                                [inspector_b.id, world.users["regulator2"]], None,
                                user("regulator2"))
        db.session.commit()
        return Supervisions(planned.id, other.id, inspector2.id, inspector_b.id)


@pytest.fixture
def as_user(client, login):
    """``as_user(username)`` signs the client in as that user and returns it."""

    def sign_in(username):
        client.post("/auth/logout")
        assert login(username).status_code == 302
        return client

    return sign_in

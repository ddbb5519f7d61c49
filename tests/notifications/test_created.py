"""Notifications are created by the workflow, for the right people only, as they chose."""

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.models import Filing, Notification, NotificationKind, Role
from portal.notifications import operations
from portal.review import operations as review_ops
from portal.rules.workflow import Action, Side

from ..factories import make_bureau, make_outlet, make_user
from .conftest import notes_of, user

EVERYONE = ["admin", "regulator", "regulator2", "inspector", "ent-admin", "ent-staff",
            "ent2-admin", "ent2-staff"]


def counts(app) -> dict[str, int]:
    """Notifications about filings per user (the world's rectification notice to B is told to
    ent2-admin too; tests/notices checks those)."""
    with app.app_context():
        return {name: len([n for n in notes_of(name) if n.notice_id is None])
                for name in EVERYONE}


def test_a_submission_tells_the_regulators_of_the_bureau_that_holds_it(app, world):
    # The world submitted A's outlet in Jincheng (bureau 1) and B's in Taiyuan (bureau 2).
    assert counts(app) == {**dict.fromkeys(EVERYONE, 0), "regulator": 1, "regulator2": 1}
    with app.app_context():
        (note,) = notes_of("regulator")
        assert note.filing_id == world.filing_a and note.message == "filing_submitted"
        assert note.kind is NotificationKind.FILING_SUBMITTED and note.read_at is None
        assert note.params["number"] == db.session.get(Filing, world.filing_a).number
        (note2,) = notes_of("regulator2")
        assert note2.filing_id == world.filing_b


def test_only_the_most_local_bureau_with_regulators_hears_and_inactive_ones_never(app, world):
    with app.app_context():
        province = make_bureau("140000")
        provincial = make_user(Role.REGULATOR, "province-reg", bureau=province)
        colleague = make_user(Role.REGULATOR, "colleague", bureau=db.session.get(
            type(province), world.bureau1))
        colleague.is_active_account = False
        staff = user("ent-staff")
        filing = make_outlet(staff.enterprise, staff, "140525")
        assert [n.filing_id for n in notes_of("regulator")][-1] == filing.id
        assert notes_of("province-reg") == [] and notes_of("colleague") == []
        # Without regulators in the city, the province reviews and hears of it.
        user("regulator").is_active_account = False
        filing2 = make_outlet(staff.enterprise, staff, "140525")
        assert [n.filing_id for n in notes_of("province-reg")] == [filing2.id]
        assert provincial.id
        db.session.rollback()


@pytest.mark.parametrize("action, message", [
    (Action.APPROVE, "filing_approved"),
    (Action.RETURN, "filing_returned"),
    (Action.REJECT, "filing_rejected"),
])
def test_a_decision_tells_the_creator_and_the_enterprise_admins_only(app, world, action,
                                                                     message):
    with app.app_context():
        reason = [] if action is Action.APPROVE else ["材料不齐全"]
        filing_ops.apply(db.session.get(Filing, world.filing_a), action, user("regulator"),
                         Side.BUREAU, reasons=reason)
        db.session.commit()
    assert counts(app) == {**dict.fromkeys(EVERYONE, 0), "regulator": 1, "regulator2": 1,
                           "ent-staff": 1, "ent-admin": 1}
    with app.app_context():
        for name in ("ent-staff", "ent-admin"):
            (note,) = notes_of(name)
            assert note.message == message and note.filing_id == world.filing_a
            assert note.kind is NotificationKind.FILING_DECIDED


def test_resubmission_and_withdrawal(app, world):
    with app.app_context():
        filing = db.session.get(Filing, world.filing_a)
        regulator, staff = user("regulator"), user("ent-staff")
        filing_ops.apply(filing, Action.RETURN, regulator, Side.BUREAU, reasons=["x"])
        filing_ops.apply(filing, Action.RESUBMIT, staff, Side.ENTERPRISE)
        filing_ops.apply(filing, Action.APPROVE, regulator, Side.BUREAU)
        filing_ops.apply(filing, Action.WITHDRAW, staff, Side.ENTERPRISE)
        assert [n.message for n in notes_of("regulator")] == ["filing_submitted",
                                                              "filing_resubmitted"]
        assert [n.message for n in notes_of("ent-admin")] == ["filing_returned",
                                                              "filing_approved"]
        db.session.rollback()


def test_the_actor_is_not_told_of_their_own_action(app, world):
    with app.app_context():
        admin = user("ent-admin")
        filing = make_outlet(admin.enterprise, admin, "140502")
        filing_ops.apply(filing, Action.APPROVE, user("regulator"), Side.BUREAU)
        assert [n.message for n in notes_of("ent-admin")] == ["filing_approved"]
        assert notes_of("ent-staff") == []  # neither creator nor administrator
        db.session.rollback()


def test_in_app_switched_off_creates_no_row(app, world):
    with app.app_context():
        admin = user("ent-admin")
        operations.set_preferences(admin, {NotificationKind.FILING_DECIDED: (False, True)},
                                   admin)
        review_ops.decide(db.session.get(Filing, world.filing_a), Action.APPROVE,
                          user("regulator"))
        db.session.commit()
        assert notes_of("ent-admin") == []
        assert len(notes_of("ent-staff")) == 1  # her own choice is untouched


def test_notifications_are_rows_of_the_transaction(app, world):
    with app.app_context():
        filing_ops.apply(db.session.get(Filing, world.filing_a), Action.APPROVE,
                         user("regulator"), Side.BUREAU)
        db.session.rollback()
        assert db.session.scalar(select(func.count(Notification.id)).where(
            Notification.message == "filing_approved")) == 0

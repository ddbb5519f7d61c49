"""Scoping: enterprise users see only their enterprise, regulators only their jurisdiction."""

import pytest
from flask_login import login_user
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from portal.access import get_scoped_or_404, own_enterprise, scoped
from portal.extensions import db
from portal.models import Enterprise, User

from .factories import USERNAMES, make_enterprise


def test_regulator_lists_only_enterprises_in_the_jurisdiction(world, client, login):
    login(USERNAMES["regulator"])
    page = client.get("/review/enterprises").get_data(as_text=True)
    with client.application.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        b = db.session.get(Enterprise, world.enterprise_b)
        assert a.credit_code in page
        assert b.credit_code not in page


def test_regulator_cannot_open_an_enterprise_outside_by_guessing_its_id(world, client, login):
    login(USERNAMES["regulator"])
    assert client.get(f"/review/enterprises/{world.enterprise_a}").status_code == 200
    assert client.get(f"/review/enterprises/{world.enterprise_b}").status_code == 404
    assert client.get("/review/enterprises/999999").status_code == 404


def test_other_bureau_sees_the_mirror_image(world, client, login):
    login(USERNAMES["regulator2"])
    assert client.get(f"/review/enterprises/{world.enterprise_b}").status_code == 200
    assert client.get(f"/review/enterprises/{world.enterprise_a}").status_code == 404


def test_enterprise_selling_province_wide_is_seen_by_every_city_bureau(world, app_ctx):
    wide = make_enterprise(seat="140105", approved=("140000",))
    regulator = db.session.get(User, world.users["regulator"])
    ids = set(db.session.scalars(scoped(select(Enterprise.id).select_from(Enterprise), regulator)))
    assert wide.id in ids


def test_enterprise_user_scope_holds_only_its_own_enterprise(world, app_ctx):
    staff = db.session.get(User, world.users["enterprise_staff"])
    ids = list(db.session.scalars(scoped(select(Enterprise), staff)))
    assert [e.id for e in ids] == [world.enterprise_a]


def test_enterprise_admin_lists_only_its_own_staff(world, client, login):
    login(USERNAMES["enterprise_admin"])
    page = client.get("/enterprise/staff").get_data(as_text=True)
    assert "ent-staff" in page
    assert "ent2-staff" not in page and "ent2-admin" not in page


def test_enterprise_home_shows_its_own_enterprise_only(world, client, login):
    login(USERNAMES["enterprise2_staff"])
    page = client.get("/enterprise/").get_data(as_text=True)
    with client.application.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        b = db.session.get(Enterprise, world.enterprise_b)
        assert b.credit_code in page and a.credit_code not in page


def test_ids_beyond_any_database_key_are_404_not_500(world, client, login):
    login(USERNAMES["regulator"])
    assert client.get("/review/enterprises/99999999999999999999999").status_code == 404
    assert client.get("/filings/99999999999999999999999").status_code == 404


def test_absurd_page_numbers_are_404_not_500(world, client, login):
    login(USERNAMES["enterprise_staff"])
    assert client.get("/filings/?page=99999999999999999999").status_code == 404
    assert client.get("/filings/?page=0").status_code == 404
    assert client.get("/filings/?page=abc").status_code == 200  # not a number: first page


def test_entity_of_names_the_model_a_select_starts_from(app_ctx):
    """access.entity_of reads the ORM's plugin subject; it must say what
    column_descriptions says (the slow public way) for every shape of select() in use."""
    from sqlalchemy import func

    from portal.access import entity_of
    from portal.models import Filing, FilingRegionTally, FilingTally, Notification

    statements = [
        select(Filing), select(Filing.id), select(Enterprise.id).select_from(Enterprise),
        select(Filing).join(Filing.enterprise), select(FilingTally), select(FilingRegionTally),
        select(Notification.id).where(Notification.read_at.is_(None)),
        select(Filing).with_only_columns(Filing.status, func.count()),
    ]
    for stmt in statements:
        assert entity_of(stmt) is stmt.column_descriptions[0]["entity"], stmt


def test_a_kept_scope_follows_a_change_of_the_bureaus_region(world, app_ctx):
    """Scope clauses are kept per user, role and jurisdiction: moving the bureau to another
    city changes what its regulator sees at once."""
    from portal.models import Bureau

    regulator = db.session.get(User, world.users["regulator"])
    before = set(db.session.scalars(scoped(select(Enterprise.id), regulator)))
    assert world.enterprise_a in before and world.enterprise_b not in before
    bureau = db.session.get(Bureau, regulator.bureau_id)
    other = db.session.get(User, world.users["regulator2"]).bureau
    bureau.region_code = other.region_code
    db.session.flush()
    after = set(db.session.scalars(scoped(select(Enterprise.id), regulator)))
    assert world.enterprise_b in after


def test_trainers_are_seen_as_their_filings_are(world, app_ctx):
    """An enterprise's users see its trainers (on the trainer's copy of the enterprise); a
    regulator sees the trainers whose filings lie in the jurisdiction."""
    from portal.models import Trainer

    from .factories import make_trainer

    users = {key: db.session.get(User, world.users[key]) for key in (
        "enterprise_staff", "enterprise2_staff", "regulator", "regulator2")}
    a = make_trainer(users["enterprise_staff"].enterprise, users["enterprise_staff"]).id
    b = make_trainer(users["enterprise2_staff"].enterprise, users["enterprise2_staff"]).id
    db.session.flush()
    seen = {key: set(db.session.scalars(scoped(select(Trainer.filing_id)
                                               .select_from(Trainer), user)))
            for key, user in users.items()}
    assert seen["enterprise_staff"] == {a} and seen["enterprise2_staff"] == {b}
    assert a in seen["regulator"] and b not in seen["regulator"]
    assert b in seen["regulator2"] and a not in seen["regulator2"]


def test_own_enterprise_is_the_scoped_enterprise_of_an_enterprise_user_and_404_for_others(
        world, app):
    """``access.own_enterprise`` stands in for ``get_scoped_or_404(Enterprise,
    current_user.enterprise_id)`` on the enterprise's own pages: the same row for every
    enterprise role, and 404 for anyone else."""
    for role in ("enterprise_staff", "enterprise_admin", "enterprise2_staff", "regulator",
                 "inspector", "admin"):
        with app.test_request_context("/"):
            user = db.session.get(User, world.users[role])
            login_user(user)
            if user.role.is_enterprise:
                assert own_enterprise() is get_scoped_or_404(Enterprise, user.enterprise_id)
                assert own_enterprise().id == user.enterprise_id
            else:
                with pytest.raises(NotFound):
                    own_enterprise()

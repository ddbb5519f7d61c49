"""The running counts of filings (filings/tally.py) follow every change, and can be rebuilt.

(Every test of the suite also checks them against the filings when it ends: conftest.py.)
"""

from sqlalchemy import update

from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.filings import tally
from portal.models import Enterprise, Filing, FilingKind, FilingRegionTally, Outlet, User
from portal.outlets import operations as outlet_ops
from portal.rules.workflow import Action, Side, Status

from ..factories import make_outlet


def user(username):
    return db.session.scalar(db.select(User).where(User.username == username))


def counts_of(enterprise_id):
    return {(region, status): n for (region, ent, kind, status), n in tally.counted().items()
            if ent == enterprise_id and kind is FilingKind.OUTLET}


def test_a_filing_moves_from_count_to_count_through_its_life(app, world):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        before = counts_of(a.id)
        filing = make_outlet(a, user("ent-staff"), "140521", submit=False)
        db.session.commit()
        assert counts_of(a.id)[("140521", Status.DRAFT)] == 1
        filing_id = filing.id
    with app.app_context():  # loaded afresh, as in a request: the old status is loaded too
        filing = db.session.get(Filing, filing_id)
        filing_ops.apply(filing, Action.SUBMIT, user("ent-staff"), Side.ENTERPRISE)
        db.session.commit()
        filing = db.session.get(Filing, filing_id)
        filing_ops.apply(filing, Action.APPROVE, user("regulator"), Side.BUREAU)
        db.session.commit()
        counts = counts_of(world.enterprise_a)
        assert counts[("140521", Status.APPROVED)] == 1
        assert ("140521", Status.DRAFT) not in counts and ("140521", Status.SUBMITTED) not in counts
        assert {k: v for k, v in counts.items() if k[0] != "140521"} == before
        by_region = tally.counted(FilingRegionTally, tally.REGION_KEY)
        assert by_region[("140521", FilingKind.OUTLET, Status.APPROVED)] == sum(
            n for (region, _ent, kind, status), n in tally.counted().items()
            if (region, kind, status) == ("140521", FilingKind.OUTLET, Status.APPROVED))
        assert ("140521", FilingKind.OUTLET, Status.SUBMITTED) not in by_region


def test_an_edit_that_moves_an_outlet_moves_its_count(app, world):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        filing = make_outlet(a, user("ent-staff"), "140521", submit=False)
        db.session.commit()
        outlet = db.session.get(Outlet, filing.id)
        data = {name: getattr(outlet, name) for name in outlet_ops.FIELDS}
        outlet_ops.update(outlet, {**data, "region_code": "140522"}, None, user("ent-staff"))
        db.session.commit()
        counts = counts_of(a.id)
        assert counts.get(("140522", Status.DRAFT)) == 1
        assert ("140521", Status.DRAFT) not in counts
        assert tally.drift() == {}


def test_discarding_a_draft_takes_it_off_the_count(app, world):
    with app.app_context():
        filing = db.session.get(Filing, world.draft_a)
        key = (filing.region_code, Status.DRAFT)
        assert counts_of(world.enterprise_a)[key] == 1
        filing_ops.discard_draft(filing, user("ent-staff"))
        db.session.commit()
        assert key not in counts_of(world.enterprise_a)


def test_a_rolled_back_change_leaves_the_counts_alone(app, world):
    with app.app_context():
        before = tally.counted()
        filing = db.session.get(Filing, world.filing_a)
        filing_ops.apply(filing, Action.APPROVE, user("regulator"), Side.BUREAU)
        db.session.flush()
        assert tally.counted() != before
        db.session.rollback()
        assert tally.counted() == before


def test_recount_check_reports_drift_and_recount_repairs_it(app, world):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["filings", "recount", "--check"]).exit_code == 0
    with app.app_context():  # a change behind the ORM's back, as a bulk load would make
        db.session.execute(update(Filing).where(Filing.id == world.filing_a)
                           .values(status=Status.APPROVED.value))
        db.session.commit()
    result = runner.invoke(args=["filings", "recount", "--check"])
    # The old and the new key, in filing_tally and in filing_region_tally.
    assert result.exit_code == 1 and "4 difference(s)" in result.output
    result = runner.invoke(args=["filings", "recount"])
    assert result.exit_code == 0 and "Recounted" in result.output
    assert runner.invoke(args=["filings", "recount", "--check"]).exit_code == 0


def test_the_dashboard_counts_come_from_the_tally_and_match_the_filings(app, world):
    from portal.review.dashboard import status_kind_matrix

    with app.app_context():
        regulator = user("regulator")
        a = db.session.get(Enterprise, world.enterprise_a)
        for region in ("140502", "140521", "140105"):  # the last is outside bureau 1's area
            make_outlet(a, user("ent-staff"), region)
        db.session.commit()
        matrix = status_kind_matrix(regulator)
        in_area = [f for f in db.session.scalars(db.select(Filing))
                   if f.region_code.startswith("1405") and f.status is not Status.DRAFT]
        assert matrix.total == len(in_area)
        assert matrix.cell(Status.SUBMITTED, FilingKind.OUTLET) == sum(
            f.status is Status.SUBMITTED and f.kind is FilingKind.OUTLET for f in in_area)

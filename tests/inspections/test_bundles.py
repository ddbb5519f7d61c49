"""A plan's checklists in one PDF, made on the task queue, with its progress shown meanwhile."""

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from portal import tasks
from portal.extensions import db
from portal.inspections import bundles
from portal.inspections import operations as plans
from portal.inspections.items import load_check_items
from portal.models import (
    AuditEvent,
    BundleStatus,
    Bureau,
    CheckItem,
    ChecklistBundle,
    CheckPlan,
    Role,
    TargetKind,
    User,
)

from ..factories import make_enterprise, make_user
from ..review.conftest import signed_in


def by_name(username):
    return db.session.scalar(select(User).where(User.username == username))


@pytest.fixture
def plan(app, world):
    """A drawn plan of bureau 1 with three checks (three enterprises approved in Jincheng)."""
    with app.app_context():
        load_check_items()
        b1 = db.session.get(Bureau, world.bureau1)
        for name in ("inspector2", "inspector3"):
            make_user(Role.INSPECTOR, name, bureau=b1)
        for _ in range(2):
            make_enterprise(seat="140502", approved=("140500",))
        items = [i.id for i in db.session.scalars(select(CheckItem).order_by(CheckItem.position))]
        plan = plans.create_plan(b1, plans.PlanFields(
            name="晋城企业年度抽查", target_kind=TargetKind.ENTERPRISE, region_code="140500",
            sample_count=3, sample_ratio=None, per_target=2, window_start=date(2026, 12, 1),
            window_end=date(2026, 12, 31), item_ids=items[:4]), by_name("regulator"))
        checks = plans.draw_plan(plan, by_name("regulator"))
        db.session.commit()
        return {"id": plan.id, "numbers": [c.number for c in checks]}


def bundles_of(app, plan_id):
    with app.app_context():
        return db.session.scalars(select(ChecklistBundle).where(
            ChecklistBundle.plan_id == plan_id).order_by(ChecklistBundle.id)).all()


def text_of(pdf_bytes):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages)


def test_a_regulator_gets_every_checklist_of_the_plan_in_one_pdf(app, plan):
    client = signed_in(app, "regulator")
    response = client.post(f"/inspections/plans/{plan['id']}/checklists", data={"locale": "zh"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/inspections/plans/{plan['id']}"
                                                 "/checklists?locale=zh")
    [bundle] = bundles_of(app, plan["id"])  # the task ran at once (immediate mode in tests)
    assert bundle.status is BundleStatus.DONE and bundle.done == bundle.total == 3
    page = client.get(f"/inspections/plans/{plan['id']}/checklists?locale=zh&lang=en").get_data(
        as_text=True)
    assert f"/checklists/{bundle.id}.pdf" in page and 'http-equiv="refresh"' not in page
    pdf = client.get(f"/inspections/plans/{plan['id']}/checklists/{bundle.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 3  # one page per check, in the order of the draw
    texts = [page.extract_text() for page in reader.pages]
    for number, text in zip(plan["numbers"], texts, strict=True):
        assert number in text and "检查表" in text
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("checklist_bundle.%"))))
    assert actions == {"checklist_bundle.requested", "checklist_bundle.done"}


def test_asking_again_reuses_a_current_pdf_and_remakes_an_outdated_one(app, plan):
    client = signed_in(app, "regulator")
    url = f"/inspections/plans/{plan['id']}/checklists"
    client.post(url, data={"locale": "zh"})
    client.post(url, data={"locale": "zh"})
    assert len(bundles_of(app, plan["id"])) == 1  # nothing changed: the same PDF
    with app.app_context():  # an inspector is replaced on the first check
        check = db.session.get(CheckPlan, plan["id"]).checks[0]
        spare = next(by_name(n) for n in ("inspector", "inspector2", "inspector3")
                     if by_name(n) not in check.inspectors)
        check.inspectors = [check.inspectors[0], spare]
        db.session.commit()
    page = client.get(url + "?locale=zh&lang=en").get_data(as_text=True)
    assert "changed since the last combined PDF was made" in page
    client.post(url, data={"locale": "zh"})
    first, second = bundles_of(app, plan["id"])
    assert first.fingerprint != second.fingerprint and second.status is BundleStatus.DONE


def test_the_english_pdf_is_made_on_its_own(app, plan):
    client = signed_in(app, "regulator")
    client.post(f"/inspections/plans/{plan['id']}/checklists", data={"locale": "en"})
    [bundle] = bundles_of(app, plan["id"])
    assert bundle.locale == "en"
    pdf = client.get(f"/inspections/plans/{plan['id']}/checklists/{bundle.id}.pdf")
    assert "Check items" in text_of(pdf.data)
    page = client.get(f"/inspections/plans/{plan['id']}/checklists?locale=zh&lang=en")
    assert "No combined PDF has been made yet in this language." in page.get_data(as_text=True)


def test_while_it_is_made_the_page_shows_the_progress_and_refreshes(app, plan, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks, "enqueue", lambda name, *args: queued.append((name, args)))
    client = signed_in(app, "regulator")
    url = f"/inspections/plans/{plan['id']}/checklists"
    client.post(url, data={"locale": "zh"})
    [(name, (bundle_id,))] = queued
    assert name == bundles.TASK
    page = client.get(url + "?locale=zh&lang=en").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "Waiting for the task queue" in page
    client.post(url, data={"locale": "zh"})  # asking again while queued queues nothing more
    assert len(queued) == 1 and len(bundles_of(app, plan["id"])) == 1
    with app.app_context():
        bundle = db.session.get(ChecklistBundle, bundle_id)
        bundle.status, bundle.done = BundleStatus.RUNNING, 2
        db.session.commit()
    page = client.get(url + "?locale=zh&lang=en").get_data(as_text=True)
    assert "2 of 3 checklists rendered." in page and '<progress' in page
    with app.app_context():  # the worker finishes it (it takes only queued bundles)
        db.session.get(ChecklistBundle, bundle_id).status = BundleStatus.QUEUED
        db.session.commit()
        bundles.build(bundle_id)
    page = client.get(url + "?locale=zh&lang=en").get_data(as_text=True)
    assert f"/checklists/{bundle_id}.pdf" in page and 'http-equiv="refresh"' not in page


def test_a_failure_is_reported_and_can_be_retried(app, plan, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(bundles, "render_pdf", broken)
    client = signed_in(app, "regulator")
    url = f"/inspections/plans/{plan['id']}/checklists"
    client.post(url, data={"locale": "zh"})
    [bundle] = bundles_of(app, plan["id"])
    assert bundle.status is BundleStatus.FAILED
    page = client.get(url + "?locale=zh&lang=en").get_data(as_text=True)
    assert "Making the combined PDF failed" in page and "Make the combined PDF" in page
    assert client.get(f"{url}/{bundle.id}.pdf").status_code == 404
    monkeypatch.undo()
    client.post(url, data={"locale": "zh"})
    assert bundles_of(app, plan["id"])[-1].status is BundleStatus.DONE


def test_only_the_plans_regulators_reach_it_and_only_once_drawn(app, plan, world):
    url = f"/inspections/plans/{plan['id']}/checklists"
    signed_in(app, "regulator").post(url, data={"locale": "zh"})
    [bundle] = bundles_of(app, plan["id"])
    for username, status in (("regulator2", 404), ("inspector", 403), ("ent-admin", 403)):
        client = signed_in(app, username)
        assert client.get(url).status_code == status, username
        assert client.post(url, data={"locale": "zh"}).status_code == status, username
        assert client.get(f"{url}/{bundle.id}.pdf").status_code == status, username
    with app.app_context():
        assert db.session.scalar(select(func.count(ChecklistBundle.id))) == 1
    # bureau 2's draft plan has no checks yet: its regulator gets 404, not an empty PDF
    assert signed_in(app, "regulator2").get(
        f"/inspections/plans/{world.plan_b}/checklists").status_code == 404

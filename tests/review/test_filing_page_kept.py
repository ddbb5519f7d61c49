"""A filing's page: its rule check, details, documents and history kept until anything changes
(filings.pages.filing_parts, portal.kept.until_changed).

Those parts needed the detail row, its trainers, agenda and materials, the enterprise's
approved districts and the history: five statements and most of the rendering on every view.
Now each process keeps them per user scope, filing version and language while nothing is
recorded in the audit log. The forms, flags and supervision panel are read for every view.
These tests require changes made through the portal, to the filing or around it (a trainer
of the meeting), to show on the very next view, and an unchanged page to read only the
user, the filing, its flags and its supervisions.
"""

import re
from datetime import timedelta

import pytest

from portal.extensions import db
from portal.models import Enterprise, Filing, Meeting, utcnow
from portal.rules.workflow import Status

from ..factories import make_policy
from ..meetings.helpers import make_meeting, make_trainer
from .conftest import signed_in, user, version_on
from .test_query_counts import page_and_statements

# What the kept parts read.
PART_TABLES = ("meeting", "meeting_session", "trainer", "filing_event", "filing_tally",
               "document")


def tables_read(app, client, url) -> tuple[str, set[str]]:
    """The page's text and the tables its statements read."""
    page, seen = page_and_statements(app, client, url)
    read = set()
    for statement in seen:
        # The tables whose columns it selects ("meeting.title", "trainer.name", …).
        read.update(re.findall(r'"?(\w+)"?\.\w+', statement.partition(" FROM ")[0]))
    return page, read


@pytest.fixture
def meeting_with_trainer(app, world):
    """A submitted meeting of enterprise A in Jincheng with an approved trainer: (meeting
    filing id, trainer filing id)."""
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        staff, regulator = user("ent-staff"), user("regulator")
        trainer = make_trainer(a, staff, regulator, name="王培训", status=Status.APPROVED)
        meeting = make_meeting(a, staff, regulator, trainers=[trainer], status=Status.SUBMITTED,
                               title="产品知识培训", starts_at=utcnow() + timedelta(days=20))
        db.session.commit()
        return meeting.filing_id, trainer.filing_id


def test_an_unchanged_page_reads_only_the_filing_its_flags_and_supervisions(
        app, world, meeting_with_trainer):
    meeting_id, _trainer_id = meeting_with_trainer
    regulator = signed_in(app, "regulator")
    url = f"/filings/{meeting_id}?lang=en"
    first, read = tables_read(app, regulator, url)
    assert {"meeting", "filing_event", "trainer"} <= read
    again, read = tables_read(app, regulator, url)
    assert read & set(PART_TABLES) == set()
    assert {"filing", "filing_flag", "supervision"} <= read
    assert again == first
    assert "产品知识培训" in again and "王培训" in again and "History" in again


def test_a_trainers_withdrawal_shows_on_the_meetings_next_view(app, world,
                                                               meeting_with_trainer):
    """The meeting itself did not change (same version): the audit log's last event did."""
    meeting_id, trainer_id = meeting_with_trainer
    regulator = signed_in(app, "regulator")
    url = f"/filings/{meeting_id}?lang=en"
    page = regulator.get(url).get_data(as_text=True)
    assert re.search(r"王培训\s*<span[^>]*>([^<]+)<", page).group(1) == "Approved"
    with app.app_context():
        version = db.session.get(Filing, meeting_id).version
    enterprise = signed_in(app, "ent-staff")
    trainer_page = enterprise.get(f"/filings/{trainer_id}?lang=en").get_data(as_text=True)
    withdraw = re.search(r'action="/filings/\d+/withdraw">\s*<input[^>]*csrf_token[^>]*>\s*'
                         r'<input type="hidden" name="version" value="(\d+)"', trainer_page)
    assert enterprise.post(f"/filings/{trainer_id}/withdraw", data={
        "version": withdraw.group(1)}).status_code == 302
    page = regulator.get(url).get_data(as_text=True)
    assert re.search(r"王培训\s*<span[^>]*>([^<]+)<", page).group(1) == "Withdrawn"
    with app.app_context():
        assert db.session.get(Filing, meeting_id).version == version


def test_a_decision_shows_in_the_enterprises_next_view(app, world, reasons):
    enterprise = signed_in(app, "ent-staff")
    url = f"/filings/{world.filing_a}?lang=en"
    page = enterprise.get(url).get_data(as_text=True)
    assert "Reasons given by the bureau" not in page
    regulator = signed_in(app, "regulator")
    filing_page = regulator.get(url).get_data(as_text=True)
    assert regulator.post(f"/review/filings/{world.filing_a}/return", data={
        "version": version_on(filing_page, "return"), "reasons": [str(reasons["材料不齐全"])],
        "comment": "请补充场所证明"}).status_code == 302
    page = enterprise.get(url).get_data(as_text=True)
    assert "Reasons given by the bureau" in page and "请补充场所证明" in page
    history = page[page.index('id="history-heading"'):]
    assert history.count("list-group-item") == 2  # submitted, returned


def test_the_regulators_and_the_enterprises_pages_are_kept_apart(app, world):
    """A policy's details link to the enterprise's versions for the enterprise only."""
    with app.app_context():
        policy = make_policy(db.session.get(Enterprise, world.enterprise_a), user("ent-staff"))
        db.session.commit()
        url = f"/filings/{policy.id}?lang=en"
    # Both signed in before the first view.
    regulator, enterprise = signed_in(app, "regulator"), signed_in(app, "ent-staff")
    for _ in range(2):
        seen_by_regulator = regulator.get(url).get_data(as_text=True)
        seen_by_enterprise = enterprise.get(url).get_data(as_text=True)
        assert "All versions" not in seen_by_regulator and "Decision" in seen_by_regulator
        assert "All versions" in seen_by_enterprise and "Decision" not in seen_by_enterprise
    # Each language its own.
    assert "全部版本" in enterprise.get(url.replace("lang=en", "lang=zh")).get_data(as_text=True)


def test_a_new_version_made_outside_the_portal_shows_at_once(app, world, meeting_with_trainer):
    """The filing's version is part of the key: a change of the filing row made with the ORM
    outside any request, which records nothing in the audit log, still shows on the next
    view (a change of the detail row alone shows within KEPT_UNTIL_CHANGED_SECONDS)."""
    meeting_id, _trainer_id = meeting_with_trainer
    regulator = signed_in(app, "regulator")
    url = f"/filings/{meeting_id}?lang=en"
    regulator.get(url)
    with app.app_context():
        db.session.get(Meeting, meeting_id).title = "门外修改的会议"
        db.session.get(Filing, meeting_id).title = "门外修改的会议"
        db.session.commit()
    page = regulator.get(url).get_data(as_text=True)
    details = page[page.index('id="fields-heading"'):]
    assert "门外修改的会议" in details

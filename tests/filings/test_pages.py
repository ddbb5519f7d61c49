"""The shared filing pages at scale: a filing's page takes as many statements with many
trainers, documents, agenda items, flags, supervisions and history steps as with one; the
enterprise's list counts its filings (from the running counts) as the filings themselves do,
and prints what it lists escaped."""

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.kept import forget_until_changed
from portal.models import Enterprise, Filing, FilingKind, FlagCategory
from portal.rules.workflow import Action, Side, Status
from portal.supervision import operations as supervision_ops

from ..factories import make_document, make_flag, make_outlet
from ..factories import make_trainer as make_trainer_filing
from ..meetings.helpers import make_meeting, make_trainer, user
from ..review.conftest import signed_in
from ..review.test_query_counts import statements


def busy_meeting(world, n: int) -> int:
    """Enterprise A's submitted meeting with *n* trainers, materials, agenda items, flags and
    supervisions (one planned, the others called off), returned and resubmitted *n* - 1
    times; its filing id."""
    a = db.session.get(Enterprise, world.enterprise_a)
    staff, regulator = user("ent-staff"), user("regulator")
    meeting = make_meeting(
        a, staff, regulator, status=Status.SUBMITTED,
        trainers=[make_trainer(a, staff, regulator) for _ in range(n)],
        materials=[make_document(a, staff, name=f"材料{i}.pdf") for i in range(n)],
        sessions=[{"topic": f"议题{i}", "speaker": "张老师", "minutes": 30} for i in range(n)],
    )
    filing = meeting.filing
    for _ in range(n - 1):
        filing_ops.apply(filing, Action.RETURN, regulator, Side.BUREAU, reasons=["理由"])
        filing_ops.apply(filing, Action.RESUBMIT, staff, Side.ENTERPRISE)
    for category in list(FlagCategory)[:n]:
        make_flag(filing, regulator, category)
    for i in range(n):
        supervision = supervision_ops.mark(meeting, [regulator.id], None, regulator)
        if i < n - 1:
            supervision_ops.cancel(supervision, "改期", regulator, supervision.version)
    db.session.commit()
    return filing.id


PAGE_READERS = ("regulator", "ent-admin")


def page_statements(app, filing_id: int) -> dict[str, list[str]]:
    return {who: statements(app, signed_in(app, who), f"/filings/{filing_id}")
            for who in PAGE_READERS}


def test_a_meeting_page_takes_as_many_statements_for_4_of_everything_as_for_1(app, world):
    with app.app_context():
        one, four = busy_meeting(world, 1), busy_meeting(world, 4)
    page_statements(app, one)  # what a process keeps is kept now
    forget_until_changed(app)  # but the parts kept until a change are read: they count
    few = page_statements(app, one)
    forget_until_changed(app)
    many = page_statements(app, four)
    html = signed_in(app, "regulator").get(f"/filings/{four}").get_data(as_text=True)
    assert html.count("材料") >= 4 and html.count("议题") == 4 and "planned" not in html
    assert {who: len(many[who]) for who in PAGE_READERS} == \
        {who: len(few[who]) for who in PAGE_READERS}


def test_a_meeting_page_takes_a_bounded_number_of_statements(app, world):
    with app.app_context():
        four = busy_meeting(world, 4)
    counted = page_statements(app, four)
    # BEGIN and the signed-in user; the filing with its enterprise; the meeting with its
    # district, city, agenda and materials; its trainers (with their filings) and history;
    # the rule check's bureau, outlet districts and claim phrases. The regulator adds flags
    # (with who raised and cleared them), reasons, and supervisions (and their staff).
    assert len(counted["ent-admin"]) <= 9, counted["ent-admin"]
    assert len(counted["regulator"]) <= 13, counted["regulator"]


@pytest.mark.parametrize("who", PAGE_READERS)
def test_trainer_and_outlet_pages_take_a_handful_of_statements(app, world, who):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        trainer = make_trainer_filing(a, user("ent-staff"))
        db.session.commit()
        trainer_id = trainer.id
    client = signed_in(app, who)
    # BEGIN, the user, the filing (with its enterprise), the trainer, another live filing
    # for the same ID number, the history; the regulator adds flags and, as the filing
    # awaits a decision, the reasons.
    assert len(statements(app, client, f"/filings/{trainer_id}")) <= 8
    # ... the outlet with its district, city and proof document instead of the trainer.
    assert len(statements(app, client, f"/filings/{world.filing_a}")) <= 8


def filings_of(enterprise_id: int, **where) -> int:
    return db.session.scalar(select(func.count()).select_from(Filing).where(
        Filing.enterprise_id == enterprise_id,
        *(getattr(Filing, name) == value for name, value in where.items())))


@pytest.fixture
def many_kinds(app, world):
    """Enterprise A's filings of several kinds and states (B's too, which A must not count)."""
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        b = db.session.get(Enterprise, world.enterprise_b)
        staff, regulator = user("ent-staff"), user("regulator")
        for status in ("draft", "submitted", "approved", "approved", "returned", "withdrawn"):
            make_trainer_filing(a, staff, status=status, regulator=regulator)
        make_trainer_filing(a, staff, name="<i>斜体</i>&")
        for _ in range(3):
            make_outlet(a, staff, "140525")
            make_outlet(b, user("ent2-staff"), "140105")
        db.session.commit()


@pytest.mark.parametrize("query, where", [
    ("", {}),
    ("kind=trainer", {"kind": FilingKind.TRAINER}),
    ("status=approved", {"status": Status.APPROVED}),
    ("kind=outlet&status=submitted", {"kind": FilingKind.OUTLET, "status": Status.SUBMITTED}),
    ("kind=trainer&status=rejected", {"kind": FilingKind.TRAINER, "status": Status.REJECTED}),
    ("kind=nonsense&status=nonsense", {}),
])
def test_the_list_counts_what_it_lists(app, world, many_kinds, query, where):
    html = signed_in(app, "ent-admin").get(f"/filings/?lang=en&{query}").get_data(as_text=True)
    with app.app_context():
        total = filings_of(world.enterprise_a, **where)
        by_status = {status: filings_of(world.enterprise_a, status=status) for status in Status}
    assert 0 < sum(by_status.values()) < 25  # one page in tests
    rows = re.findall(r'<tr>\s*<td><a href="/filings/(\d+)">', html)
    assert len(rows) == total
    if total:
        assert f"{total} in all, page 1 of 1" in html
    else:
        assert "No filings match." in html
    for status, n in by_status.items():  # the status filter's counts ignore the kind
        assert re.search(rf'<option value="{status.value}"[^>]*>[^<]* \({n}\)</option>', html)


def test_the_list_escapes_titles_and_links_each_filing(app, world, many_kinds):
    html = signed_in(app, "ent-admin").get("/filings/?kind=trainer").get_data(as_text=True)
    assert "&lt;i&gt;斜体&lt;/i&gt;&amp;" in html and "<i>斜体" not in html
    with app.app_context():
        numbers = dict(db.session.execute(select(Filing.id, Filing.number).where(
            Filing.enterprise_id == world.enterprise_a, Filing.kind == FilingKind.TRAINER)).all())
    for filing_id, number in re.findall(r'<a href="/filings/(\d+)">([^<]+)</a>', html):
        assert numbers[int(filing_id)] == number


def test_the_list_takes_the_same_few_statements_whatever_the_filter(app, world, many_kinds):
    client = signed_in(app, "ent-admin")
    for query in ("", "?status=approved", "?kind=trainer&status=draft", "?page=1"):
        # BEGIN, the user, the counts (running counts), the page's rows.
        assert len(statements(app, client, f"/filings/{query}")) <= 4, query

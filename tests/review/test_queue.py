"""The review queue: scope, filters, counts, order, the meeting marker and bounded queries."""

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import event, update

from portal.extensions import db
from portal.filings import operations as filing_ops
from portal.kept import forget_until_changed
from portal.models import CatalogueStamp, Enterprise, Filing, Role, utcnow
from portal.review.queue import time_left
from portal.rules.workflow import Action, Side, Status

from ..factories import make_enterprise, make_flag, make_outlet, make_user
from ..meetings.helpers import make_meeting
from .conftest import signed_in, user


def numbers(app, *ids):
    with app.app_context():
        return [db.session.get(Filing, i).number for i in ids]


@pytest.fixture
def queue_world(app, world):
    """Besides the world's filings: A's outlets in another district, approved and returned."""
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        staff, regulator = user("ent-staff"), user("regulator")
        other_district = make_outlet(a, staff, "140525")
        approved = make_outlet(a, staff, "140502")
        filing_ops.apply(approved, Action.APPROVE, regulator, Side.BUREAU)
        returned = make_outlet(a, staff, "140502")
        filing_ops.apply(returned, Action.RETURN, regulator, Side.BUREAU, reasons=["其他"])
        c = make_enterprise(seat="140502", approved=("140500",), name="泽州健康用品有限公司")
        c_staff = make_user(Role.ENTERPRISE_STAFF, "c-staff", enterprise=c)
        of_c = make_outlet(c, c_staff, "140502")
        db.session.commit()
        return {"other_district": other_district.id, "approved": approved.id,
                "returned": returned.id, "of_c": of_c.id, "enterprise_c": c.id}


def page_of(client, query=""):
    response = client.get(f"/review/queue?lang=en&{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_default_is_submitted_filings_of_the_jurisdiction_oldest_first(app, world,
                                                                          queue_world):
    page = page_of(signed_in(app, "regulator"))
    a, other, of_c, approved, draft, b = numbers(
        app, world.filing_a, queue_world["other_district"], queue_world["of_c"],
        queue_world["approved"], world.draft_a, world.filing_b)
    assert page.index(a) < page.index(other) < page.index(of_c)
    assert approved not in page and draft not in page and b not in page
    # Newest first reverses the order.
    page = page_of(signed_in(app, "regulator"), "sort=newest")
    assert page.index(of_c) < page.index(other) < page.index(a)


def test_counts_per_status_and_all_statuses(app, world, queue_world):
    page = page_of(signed_in(app, "regulator"), "status=all")
    assert 'Submitted <span class="badge text-bg-light">3</span>' in page
    assert 'Approved <span class="badge text-bg-light">1</span>' in page
    assert 'Returned for correction <span class="badge text-bg-light">1</span>' in page
    assert 'All statuses <span class="badge text-bg-light">5</span>' in page  # no drafts
    approved, returned, draft = numbers(app, queue_world["approved"], queue_world["returned"],
                                        world.draft_a)
    assert approved in page and returned in page and draft not in page


def test_flagged_counts_are_exact_per_status_and_scoped(app, world, queue_world):
    """Flagged filings are counted exactly from the open flags, per status, inside the
    jurisdiction and the other filters; cleared flags and other bureaus' flags do not count."""
    from portal.models import FilingFlag

    from ..factories import make_flag

    with app.app_context():
        regulator = user("regulator")
        for key in ("approved", "returned", "other_district"):
            make_flag(db.session.get(Filing, queue_world[key]), regulator)
        cleared = make_flag(db.session.get(Filing, queue_world["of_c"]), regulator)
        db.session.flush()
        db.session.get(FilingFlag, cleared.id).cleared_at = utcnow()
        make_flag(db.session.get(Filing, world.filing_b), user("regulator2"))  # other bureau
        db.session.commit()
    client = signed_in(app, "regulator")
    page = page_of(client, "status=all&flagged=1")
    assert 'Submitted <span class="badge text-bg-light">1</span>' in page
    assert 'Approved <span class="badge text-bg-light">1</span>' in page
    assert 'Returned for correction <span class="badge text-bg-light">1</span>' in page
    assert 'All statuses <span class="badge text-bg-light">3</span>' in page
    page = page_of(client, "status=all&flagged=1&region=140502")
    assert 'Submitted <span class="badge text-bg-light">0</span>' in page
    assert 'All statuses <span class="badge text-bg-light">2</span>' in page


def test_filters(app, world, queue_world):
    client = signed_in(app, "regulator")
    a, other, of_c = numbers(app, world.filing_a, queue_world["other_district"],
                             queue_world["of_c"])
    page = page_of(client, "region=140525")  # 泽州县
    assert other in page and a not in page and of_c not in page
    page = page_of(client, "region=140500")  # the whole city
    assert other in page and a in page
    page = page_of(client, f"enterprise={queue_world['enterprise_c']}")
    assert of_c in page and a not in page and "泽州健康用品有限公司" in page
    page = page_of(client, "q=泽州健康")
    assert of_c in page and a not in page
    page = page_of(client, f"q={a}")
    assert a in page and of_c not in page and other not in page
    page = page_of(client, "kind=trainer")
    assert a not in page and "No filings match." in page
    today = utcnow().date()
    assert a in page_of(client, f"from={today - timedelta(days=1)}&to={today + timedelta(days=1)}")
    assert a not in page_of(client, f"from={today + timedelta(days=2)}")
    assert a not in page_of(client, f"to={today - timedelta(days=2)}")


def test_rows_escape_what_enterprises_typed(app, world, queue_world):
    """The rows are written by a format string (review.views.queue_rows), not Jinja: titles and
    enterprise names must still arrive escaped, and the links must lead where Jinja's did."""
    with app.app_context():
        filing = db.session.get(Filing, queue_world["of_c"])
        filing.title = '<script>alert("x")</script> & Co'
        filing.enterprise.name = "泽州<b>健康</b>"
        filing.warning_count = 2
        db.session.commit()
        number, enterprise_id = filing.number, filing.enterprise_id
    page = page_of(signed_in(app, "regulator"))
    assert "<script>" not in page and "<b>健康</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in page
    assert "泽州&lt;b&gt;健康&lt;/b&gt;" in page
    assert f'<a href="/filings/{queue_world["of_c"]}">{number}</a>' in page
    assert f'&amp;enterprise={enterprise_id}">泽州&lt;b&gt;' in page
    assert '<span class="badge text-bg-warning">Rule warnings: 2</span>' in page


def test_enterprise_names_are_kept_until_an_enterprise_changes(app, world, queue_world,
                                                                monkeypatch):
    """The rows name their enterprises from the names each process keeps while the catalogue
    stamp stands (review.queue.enterprise_names), not from a join: a second view reads no
    enterprise, and a renamed enterprise shows on the very next view."""
    monkeypatch.setitem(app.config, "KEPT_UNTIL_CHANGED_SECONDS", 0)  # render every view
    from .test_query_counts import page_and_statements

    def enterprises_read(page_statements):
        return [s for s in page_statements[1] if re.search(r"\bFROM enterprise\b", s)]

    regulator = signed_in(app, "regulator")
    first = page_and_statements(app, regulator, "/review/queue?lang=en")
    assert "泽州健康用品有限公司" in first[0] and enterprises_read(first)
    again = page_and_statements(app, regulator, "/review/queue?lang=en")
    assert again[0] == first[0] and not enterprises_read(again)
    with app.app_context():  # another process renames the enterprise
        db.session.get(Enterprise, queue_world["enterprise_c"]).name = "泽州康健有限公司"
        db.session.commit()
    renamed = page_of(regulator)
    assert "泽州康健有限公司" in renamed and "泽州健康用品有限公司" not in renamed


def test_an_enterprise_the_kept_names_do_not_know_yet_is_named(app, world, queue_world,
                                                               monkeypatch):
    """An enterprise committed after the request read the stamp (here: inserted without
    moving it, as a concurrent commit would look) may already have filings on the page: its
    name is read at once."""
    monkeypatch.setitem(app.config, "KEPT_UNTIL_CHANGED_SECONDS", 0)
    regulator = signed_in(app, "regulator")
    page_of(regulator)  # the names are kept now
    with app.app_context():
        staff = user("ent-staff")
        newcomer = make_enterprise(seat="140502", approved=("140500",), name="新来的企业")
        filing = make_outlet(newcomer, staff, "140502")
        db.session.flush()
        # The stamp back where the kept names were read.
        db.session.execute(update(CatalogueStamp).where(CatalogueStamp.id == 1)
                           .values(generation=CatalogueStamp.generation - 1))
        db.session.commit()
        number = filing.number
    page = page_of(regulator, "status=all&sort=newest")
    assert number in page and "新来的企业" in page


def test_the_warnings_filter_says_what_the_partial_indexes_hold(app, world):
    """The "with rule warnings" filter must reach the database as the partial indexes' own
    condition, a literal, or neither database uses them (a bound 0 made SQLite read every
    approved filing's row: 2 ms instead of 0.25 for the counts at 100,000 filings)."""
    from sqlalchemy import select
    from werkzeug.datastructures import MultiDict

    from portal.models.filings import WARNED
    from portal.review.queue import Filters

    stmt = Filters.from_args(MultiDict({"warnings": "1"})).apply(select(Filing.id))
    with app.app_context():
        sql = str(stmt.compile(db.engine))
    assert f"filing.{WARNED.text}" in sql, sql
    indexes = {index.name: index for index in Filing.__table__.indexes}
    for name in ("ix_filing_warned_status", "ix_filing_warned_submitted"):
        options = indexes[name].dialect_options
        assert str(options["sqlite"]["where"]) == str(options["postgresql"]["where"]) == WARNED.text


@pytest.mark.parametrize("query", [
    "status=nonsense", "kind=x", "region=abc", "region=14", "enterprise=-1",
    "enterprise=" + "9" * 40, "from=2026-13-45", "to=yesterday", "sort=sideways", "page=0",
    "page=-3", "page=abc", "page=" + "9" * 30, "per_page=100000", "q=" + "%" * 300,
])
def test_odd_parameters_never_break_the_page(app, world, query):
    assert signed_in(app, "regulator").get(f"/review/queue?{query}").status_code in (200, 404)


def test_another_bureau_sees_only_its_own_area(app, world, queue_world):
    page = page_of(signed_in(app, "regulator2"), "status=all")
    a, b = numbers(app, world.filing_a, world.filing_b)
    assert b in page and a not in page
    # Filtering for the other bureau's area or enterprise finds nothing.
    assert a not in page_of(signed_in(app, "regulator2"), "region=140502&status=all")
    page = page_of(signed_in(app, "regulator2"), f"enterprise={world.enterprise_a}")
    assert a not in page


def test_kept_statements_are_never_another_scopes(app, world, queue_world):
    """The queue keeps the statements it built (access.built_statement), keyed by scope and
    filters: the same filters for another bureau, or after a regulator moves to another
    bureau, must read that bureau's filings, never reuse the first one's statement."""
    from portal.models import User

    a, b = numbers(app, world.filing_a, world.filing_b)
    for _ in range(2):  # the second time from the kept statements
        first, second = page_of(signed_in(app, "regulator"), "status=all"), page_of(
            signed_in(app, "regulator2"), "status=all")
        assert a in first and b not in first
        assert b in second and a not in second
    with app.app_context():
        moved = db.session.get(User, user("regulator").id)
        moved.bureau_id = user("regulator2").bureau_id
        db.session.commit()
    page = page_of(signed_in(app, "regulator"), "status=all")
    assert b in page and a not in page


def test_only_regulators_see_the_queue_in_the_navigation(app, world):
    assert 'href="/review/queue"' in signed_in(app, "regulator").get("/review/").get_data(
        as_text=True)
    assert signed_in(app, "inspector").get("/review/queue").status_code == 403


def test_undecided_meetings_starting_soon_show_the_time_left(app, world):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        staff, regulator = user("ent-staff"), user("regulator")
        soon = make_meeting(a, staff, regulator, status=Status.SUBMITTED,
                            starts_at=utcnow() + timedelta(days=3, hours=1), title="即将召开")
        later = make_meeting(a, staff, regulator, status=Status.SUBMITTED,
                             starts_at=utcnow() + timedelta(days=30), title="下月召开")
        decided = make_meeting(a, staff, regulator, status=Status.APPROVED,
                               starts_at=utcnow() + timedelta(days=2), title="已批准")
        db.session.commit()
        ids = soon.filing_id, later.filing_id, decided.filing_id
    page = page_of(signed_in(app, "regulator"), "status=all&kind=meeting")
    assert page.count("Starts in") == 1
    row = page[page.index("即将召开"):]
    assert row[:row.index("</td>")].count("Starts in 3 days") == 1
    chinese = signed_in(app, "regulator").get("/review/queue?lang=zh&status=all&kind=meeting")
    assert "距开始还有3天" in chinese.get_data(as_text=True)
    with app.app_context():
        statuses = [db.session.get(Filing, i).status for i in ids]
        now = utcnow()
        assert time_left(statuses[0], now + timedelta(days=3), now) == timedelta(days=3)
        assert time_left(statuses[1], now + timedelta(days=30), now) is None
        assert time_left(statuses[2], now + timedelta(days=2), now) is None
        assert time_left(statuses[0], now - timedelta(hours=1), now) is None  # already begun


def test_page_fields_name_the_page_columns_in_order():
    """review.views.queue_rows unpacks each row in queue.PAGE_FIELDS order."""
    from portal.review import queue

    assert tuple(column.key for column in queue.PAGE_COLUMNS) == queue.PAGE_FIELDS


def count_queries(app, client, url):
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return len(statements)


def test_the_queue_issues_a_bounded_number_of_queries_whatever_its_rows(app, world):
    client = signed_in(app, "regulator")
    url = "/review/queue?status=all"

    def add(count):
        with app.app_context():
            staff = user("ent-staff")
            regulator = user("regulator")
            for n in range(count):
                enterprise = make_enterprise(seat="140502", approved=("140500",))
                filing = make_outlet(enterprise, staff, "140502")
                if n % 3 == 0:
                    filing_ops.apply(filing, Action.APPROVE, regulator, Side.BUREAU)
            for n in range(count // 3):
                make_meeting(db.session.get(Enterprise, world.enterprise_a), staff, regulator,
                             status=Status.SUBMITTED,
                             starts_at=utcnow() + timedelta(days=2 + n))
            db.session.commit()

    add(2)
    few = count_queries(app, client, url)
    add(30)
    forget_until_changed(app)  # the list is rendered, whatever changed
    many = count_queries(app, client, url)
    assert many == few
    assert few <= 10


def link(html, rel):
    match = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    return match and unescape(match.group(1))


@pytest.mark.parametrize("flagged", [False, True])  # flagged pages are found in two steps
def test_pages_follow_cursors_and_equal_submission_times_keep_a_stable_order(app, world,
                                                                              flagged):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        staff = user("ent-staff")
        filings = [make_outlet(a, staff, "140502") for _ in range(30)]
        same = filings[0].submitted_at
        for filing in filings:
            filing.submitted_at = same
            if flagged:
                make_flag(filing, user("regulator"))
        if flagged:  # one more, not flagged: never listed
            unflagged = make_outlet(a, staff, "140502").number
        db.session.commit()
        expected = [f.number for f in sorted(filings, key=lambda f: f.id)]
    client = signed_in(app, "regulator")
    first = page_of(client, "flagged=1&per_page=500" if flagged else "per_page=500")
    assert first.count("<tr>") <= 26  # header + at most 25 rows (per_page is not obeyed)
    assert link(first, "prev") == "#"
    second = client.get(link(first, "next")).get_data(as_text=True)
    shown = [n for n in expected if n in first] + [n for n in expected if n in second]
    assert sorted(shown, key=expected.index) == shown == expected
    assert link(second, "next") == "#"
    # Previous goes back to exactly the first page; so does "First page".
    back = client.get(link(second, "prev")).get_data(as_text=True)
    assert [n for n in expected if n in back] == [n for n in expected if n in first]
    # Newest first walks the other way.
    newest = page_of(client, "flagged=1&sort=newest" if flagged else "sort=newest")
    older = client.get(link(newest, "next")).get_data(as_text=True)
    assert [n for n in reversed(expected) if n in newest + older] == expected[::-1]
    if flagged:
        assert unflagged not in first + second + newest + older
        assert first.count('<span class="badge text-bg-danger">') == 25  # each row's flag


@pytest.mark.parametrize("cursor", ["x", "2026-1", "20260101000000000000-", "-5",
                                    "20261399000000000000-1", "2" * 20 + "-" + "9" * 30])
def test_malformed_cursors_are_not_found(app, world, cursor):
    client = signed_in(app, "regulator")
    assert client.get(f"/review/queue?after={cursor}").status_code == 404
    assert client.get(f"/review/queue?before={cursor}").status_code == 404


def test_counts_stop_at_the_cap(app, world, monkeypatch):
    from portal.review import queue

    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        staff = user("ent-staff")
        for _ in range(4):
            make_outlet(a, staff, "140502")
        db.session.commit()
    monkeypatch.setattr(queue, "COUNT_CAP", 3)
    client = signed_in(app, "regulator")
    # A date filter: the running counts do not know dates, so the counts are capped.
    page = page_of(client, "status=all&from=2000-01-01")
    assert 'Submitted <span class="badge text-bg-light">3+</span>' in page
    assert 'All statuses <span class="badge text-bg-light">3+</span>' in page
    # Kind, region and enterprise only: exact counts from the running counts, cap or not.
    page = page_of(client, f"status=all&kind=outlet&region=140502&enterprise={world.enterprise_a}")
    assert 'Submitted <span class="badge text-bg-light">5</span>' in page
    assert 'All statuses <span class="badge text-bg-light">5</span>' in page

"""Pagination counts rows by their primary key, whatever the statement loads with them; a page
of plain rows takes the total its caller counted."""

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import NotFound

from portal.extensions import db
from portal.models import Enterprise, Filing, FilingKind
from portal.pagination import paginate

from .factories import make_outlet
from .review.conftest import user


def test_the_total_is_the_rows_and_the_count_reads_only_their_keys(app, world):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        for n in range(7):
            make_outlet(a, user("ent-staff"), "140502" if n % 2 else "140525")
        db.session.commit()
        stmt = (select(Filing).join(Filing.enterprise)
                .options(joinedload(Filing.region), selectinload(Filing.events))
                .where(Filing.kind == FilingKind.OUTLET, Enterprise.id == world.enterprise_a)
                .order_by(Filing.id))
        expected = db.session.scalar(select(func.count()).select_from(
            select(Filing.id).join(Filing.enterprise)
            .where(Filing.kind == FilingKind.OUTLET, Enterprise.id == world.enterprise_a)
            .subquery()))
        seen = []

        def before(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        with app.test_request_context("/?page=2"):
            app.config["PAGE_SIZE"], size = 3, app.config["PAGE_SIZE"]
            try:
                page = paginate(stmt)
            finally:
                app.config["PAGE_SIZE"] = size
        event.remove(db.engine, "before_cursor_execute", before)
        assert expected >= 7 and page.total == expected and page.page == 2
        assert len(page.items) == 3 and page.pages == -(-expected // 3)
        count = next(s for s in seen if "count(" in s)
        inner = count[count.index("FROM (") + 6:]
        assert inner.split("FROM")[0].strip() == "SELECT filing.id AS id", count


def test_a_page_of_rows_holds_plain_rows_and_the_given_total(app, world):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        for _ in range(5):
            make_outlet(a, user("ent-staff"), "140502")
        db.session.commit()
        stmt = (select(Filing.id, Filing.number).where(Filing.enterprise_id == world.enterprise_a)
                .order_by(Filing.id))
        ids = db.session.scalars(select(Filing.id).where(
            Filing.enterprise_id == world.enterprise_a).order_by(Filing.id)).all()
        with app.test_request_context("/?rows=2"):
            page = paginate(stmt, per_page=2, arg="rows", rows=True, total=len(ids))
        assert [row.id for row in page.items] == ids[2:4] and page.items[0].number
        assert page.total == len(ids) and page.pages == -(-len(ids) // 2) and page.has_next
        for beyond in ("/?rows=99", "/?rows=0"):
            with app.test_request_context(beyond), pytest.raises(NotFound):
                paginate(stmt, per_page=2, arg="rows", rows=True, total=len(ids))

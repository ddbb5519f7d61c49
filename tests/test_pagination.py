"""Pagination counts rows by their primary key, whatever the statement loads with them."""

from sqlalchemy import event, func, select
from sqlalchemy.orm import joinedload, selectinload

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

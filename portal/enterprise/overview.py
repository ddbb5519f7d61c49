"""What the enterprise's home page shows: its licence facts, what needs action, and its
filings counted.

Every query starts from ``scoped(select(...), user)``; each list is bounded and loads what it
shows, as plain rows of the columns it shows, in one query, however many filings the
enterprise has. The counts come from the running counts (``filing_tally``,
filings/tally.py), not from counting the enterprise's filings.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import bindparam, func, literal, literal_column, null, select, union_all
from sqlalchemy.orm import aliased, joinedload

from ..access import built_per_scope, scoped
from ..extensions import db
from ..models import (
    Enterprise,
    EnterpriseRegion,
    Filing,
    FilingEvent,
    FilingTally,
    Meeting,
    Region,
    utcnow,
)
from ..rules.workflow import Action, Status

LIST_LIMIT = 10  # rows per list on the home page; the full lists are on the filings page
UPCOMING_DAYS = 14

# What the licence facts (templates/enterprise/_facts.html) show, as ENTERPRISE_FACTS_OPTIONS
# (models/organisation.py) but with the approved regions joined in: one statement, not two.
FACTS_OPTIONS = (
    joinedload(Enterprise.region).joinedload(Region.parent),
    joinedload(Enterprise.approved_regions).joinedload(EnterpriseRegion.region)
    .joinedload(Region.parent),
)


@dataclass
class Overview:
    # Rows of id, number, title, kind, status, at, venue_name, reasons and comment (see
    # _columns); "at" is when the filing was returned, last changed, or the meeting ended or
    # starts.
    returned: list  # with the reasons and comment of the latest "return" (None without)
    drafts: list
    attendance_due: list  # meetings: approved, ended, no attendance reported
    upcoming: list  # meetings: submitted or approved, starting within UPCOMING_DAYS (venue)
    counts: dict = field(default_factory=dict)  # (kind, status) -> number
    upcoming_days: int = UPCOMING_DAYS

    @property
    def needs_action(self) -> bool:
        return bool(self.returned or self.drafts or self.attendance_due)

    def count(self, kind=None, status=None) -> int:
        """Filings of *kind* and/or *status* (None: any)."""
        return sum(n for (k, s), n in self.counts.items()
                   if (kind is None or k == kind) and (status is None or s == status))


def _columns(section: str, order, id_, number, title, kind, status, at, venue_name=None,
             reasons=None, comment=None) -> tuple:
    """One list's columns in the statement of all four: which list (*section*), the row's
    place in it by *order*, the filing's id, number, title, kind and status, the time the
    list is about, and what only some lists have (None for the others)."""
    return (literal(section).label("section"),
            func.row_number().over(order_by=order).label("position"),
            id_.label("id"), number.label("number"), title.label("title"), kind.label("kind"),
            status.label("status"), at.label("at"),
            (null() if venue_name is None else venue_name).label("venue_name"),
            (null() if reasons is None else reasons).label("reasons"),
            (null() if comment is None else comment).label("comment"))


def literally(status: Status):
    """*status* written into the statement rather than sent as a parameter. A partial index
    (``ix_filing_enterprise_returned``, ``ix_meeting_attendance_due``) serves a condition
    only when the database can see it implies the index's own: with a parameter it cannot
    once PostgreSQL plans the prepared statement generically (from its sixth run), and the
    home page took three times as long."""
    return literal_column(f"'{status.value}'")


def _filings(user, section, status, at):
    """The latest filings of the user's enterprise in *status* by *at* (a page of them)."""
    return (scoped(select(Filing), user)
            .with_only_columns(Filing.id, Filing.number, Filing.title, Filing.kind,
                               Filing.status, at.label("at"))
            .where(Filing.status == literally(status))
            .order_by(at.desc(), Filing.id.desc()).limit(LIST_LIMIT)
            .subquery(section))


def _returned(user):
    """The latest returned filings with the reasons and comment of their latest "return"
    event: the page of filings first, then its events (a join per row of the page, not per
    returned filing of the enterprise)."""
    page = _filings(user, "returned", Status.RETURNED, Filing.decided_at)
    earlier = aliased(FilingEvent)
    latest = (select(func.max(earlier.id))
              .where(earlier.filing_id == page.c.id, earlier.action == Action.RETURN.value)
              .scalar_subquery())
    return (select(*_columns("returned", (page.c.at.desc(), page.c.id.desc()), page.c.id,
                             page.c.number, page.c.title, page.c.kind, page.c.status,
                             page.c.at, reasons=FilingEvent.reasons,
                             comment=FilingEvent.comment))
            .outerjoin(FilingEvent, FilingEvent.id == latest))


def _drafts(user):
    """The drafts changed last."""
    page = _filings(user, "drafts", Status.DRAFT, Filing.updated_at)
    return select(*_columns("drafts", (page.c.at.desc(), page.c.id.desc()), page.c.id,
                            page.c.number, page.c.title, page.c.kind, page.c.status,
                            page.c.at))


def _in(column, statuses: tuple[Status, ...]):
    """*column* is one of *statuses*, written literally (see :func:`literally`)."""
    if len(statuses) == 1:
        return column == literally(statuses[0])
    return column.in_([literally(status) for status in statuses])


def _meetings(user, section, statuses, *conditions, at, venue_name=None):
    """The first meetings of the user's enterprise by *at*. The meeting's own copies of the
    enterprise and of the filing's status let the database walk an index of the
    enterprise's meetings in that order (``ix_meeting_enterprise_starts``,
    ``ix_meeting_attendance_due``, which holds only the approved meetings still to report)
    and stop after a page, without reading a filing for each meeting it passes; the page's
    filings and meetings are read afterwards, through the user's scope, and the filings' own
    status checked against *statuses* again (a copy changed behind the ORM's back hides a
    meeting rather than showing one in the wrong list: ``flask filings recount`` repairs it)."""
    page = (select(Meeting.filing_id.label("id"))
            .where(Meeting.enterprise_id == user.enterprise_id,
                   _in(Meeting.filing_status, statuses), *conditions)
            .order_by(at, Meeting.filing_id)
            .limit(LIST_LIMIT)
            .subquery(section))
    return (scoped(select(Filing), user)
            .with_only_columns(*_columns(section, (at, Meeting.filing_id), Filing.id,
                                         Filing.number, Meeting.title, Filing.kind,
                                         Filing.status, at, venue_name=venue_name))
            .join(page, page.c.id == Filing.id)
            .join(Meeting, Meeting.filing_id == Filing.id)
            .where(_in(Filing.status, statuses)))


def _build(user) -> dict:
    """The overview's statements for *user*; the time is a parameter (``now``, ``soon``).

    The four lists come in one statement (a UNION ALL of their pages), each row with its
    list and place in it: on PostgreSQL a round trip cost more than reading the lists."""
    now, soon = bindparam("now"), bindparam("soon")
    lists = union_all(
        _returned(user),
        _drafts(user),
        _meetings(user, "attendance_due", (Status.APPROVED,),
                  Meeting.ends_at < now, Meeting.actual_attendance.is_(None),
                  at=Meeting.ends_at),
        _meetings(user, "upcoming", (Status.SUBMITTED, Status.APPROVED),
                  Meeting.starts_at >= now, Meeting.starts_at < soon,
                  at=Meeting.starts_at, venue_name=Meeting.venue_name),
    )
    return {
        "enterprise": scoped(select(Enterprise), user)
        .where(Enterprise.id == user.enterprise_id).options(*FACTS_OPTIONS),
        "lists": lists.order_by(lists.selected_columns.section,
                                lists.selected_columns.position),
        "counts": (scoped(select(FilingTally), user)
                   .with_only_columns(FilingTally.kind, FilingTally.status,
                                      func.sum(FilingTally.n))
                   .group_by(FilingTally.kind, FilingTally.status)),
    }


def _statements(user) -> dict:
    return built_per_scope("enterprise.overview", Filing, user, _build)


def licence_facts(user) -> Enterprise | None:
    """The enterprise of *user* with what its licence facts show, or None (outside the
    user's scope)."""
    return db.session.execute(_statements(user)["enterprise"]).unique().scalar_one_or_none()


def overview(user, now=None) -> Overview:
    """The home page's lists and counts for an enterprise *user* at *now* (default: now)."""
    now = now or utcnow()
    statements = _statements(user)
    lists = {"returned": [], "drafts": [], "attendance_due": [], "upcoming": []}
    for row in db.session.execute(statements["lists"], {
            "now": now, "soon": now + timedelta(days=UPCOMING_DAYS)}):
        lists[row.section].append(row)
    counts = db.session.execute(statements["counts"])
    return Overview(
        **lists,
        counts={(kind, status): int(n) for kind, status, n in counts if n},
    )

"""Filings: one shared table with the workflow state, a detail table per kind, and history."""

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..extensions import db
from ..rules.premises import Premises
from ..rules.workflow import Status
from .base import UTCDateTime, utcnow


def _enum(cls, name, length=24):
    """A portable enum column: VARCHAR with a named CHECK constraint, values stored as text."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class FilingKind(enum.StrEnum):
    OUTLET = "outlet"
    TRAINER = "trainer"
    MEETING = "meeting"
    RETURN_POLICY = "return_policy"


# Letters in each kind's filing number, e.g. PX-2026-000123 for a training meeting (培训).
NUMBER_PREFIXES = {
    FilingKind.OUTLET: "WD",  # 网点
    FilingKind.TRAINER: "PY",  # 培训员
    FilingKind.MEETING: "PX",  # 培训
    FilingKind.RETURN_POLICY: "TH",  # 退换货
}


# Filings submitted with rule warnings, as the partial indexes below and the queue say it.
WARNED = text("warning_count > 0")
RETURNED = text("status = 'returned'")


class Filing(db.Model):
    """What every kind of filing shares: number, owner, place, workflow state, timestamps.

    ``version`` is SQLAlchemy's optimistic lock: an UPDATE that finds another version raises
    StaleDataError, which the views answer with 409 and the current state.
    """

    __tablename__ = "filing"
    # The review queue filters by status and kind (equality), pages in (submitted_at, id)
    # order and checks the jurisdiction's region range inside the index; the enterprise's
    # lists filter by enterprise. bench/queue_bench.py shows what each index is for.
    __table_args__ = (
        Index("ix_filing_status_submitted", "status", "submitted_at", "id", "region_code",
              "warning_count"),
        Index("ix_filing_kind_status_submitted", "kind", "status", "submitted_at", "id",
              "region_code", "warning_count"),
        Index("ix_filing_submitted", "submitted_at", "id", "region_code", "status",
              "warning_count"),
        Index("ix_filing_enterprise_kind_status", "enterprise_id", "kind", "status"),
        Index("ix_filing_enterprise_submitted", "enterprise_id", "submitted_at", "id"),
        Index("ix_filing_enterprise_updated", "enterprise_id", "updated_at", "id"),
        Index("ix_filing_enterprise_status_updated", "enterprise_id", "status", "updated_at",
              "id"),
        # The queue's "with rule warnings" filter: a few percent of the filings, so its counts
        # per status (up to the cap) and its pages read these small indexes instead of
        # skipping through every filing of a status. The queries must say WARNED literally
        # (queue.Filters.apply) for the databases to know the index applies.
        Index("ix_filing_warned_status", "status", "submitted_at", "id", "region_code",
              sqlite_where=WARNED, postgresql_where=WARNED),
        Index("ix_filing_warned_submitted", "submitted_at", "id", "region_code", "status",
              sqlite_where=WARNED, postgresql_where=WARNED),
        # The enterprise home's latest returned filings, in the order they were returned
        # (enterprise/overview.py; the query says the status literally, as above).
        Index("ix_filing_enterprise_returned", "enterprise_id", "decided_at", "id",
              sqlite_where=RETURNED, postgresql_where=RETURNED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    # The four columns of FilingTally's key keep their old value when changed (active
    # history), so the tally can move a filing from its old count to its new one.
    kind: Mapped[FilingKind] = mapped_column(_enum(FilingKind, "filing_kind"), active_history=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), active_history=True)
    region_code: Mapped[str] = mapped_column(String(6), ForeignKey("region.code"),
                                             active_history=True)
    status: Mapped[Status] = mapped_column(_enum(Status, "filing_status"), default=Status.DRAFT,
                                           active_history=True)
    title: Mapped[str] = mapped_column(String(200))
    revision: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Rule warnings (findings that do not block) at the last submission, for the queue filter.
    warning_count: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")

    __mapper_args__ = {"version_id_col": version}

    enterprise = relationship("Enterprise")
    region = relationship("Region")
    events: Mapped[list["FilingEvent"]] = relationship(
        back_populates="filing", order_by="FilingEvent.id", cascade="all, delete-orphan"
    )

    def __repr__(self):
        return f"<Filing {self.number} {self.kind} {self.status}>"


class FilingTally(db.Model):
    """How many filings there are per region, enterprise, kind and status.

    A running count kept by ``filings/tally.py`` in the same transaction as every change to a
    filing, so the bureau dashboard and the review queue's counts read a few hundred rows
    instead of counting a jurisdiction's filings on every page view.
    """

    __tablename__ = "filing_tally"
    # An enterprise's own counts (its districts with approved outlets, the queue narrowed to
    # one enterprise) without reading every region's rows.
    __table_args__ = (Index("ix_filing_tally_enterprise", "enterprise_id", "kind", "status",
                            "region_code"),)

    region_code: Mapped[str] = mapped_column(String(6), ForeignKey("region.code"),
                                             primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), primary_key=True)
    kind: Mapped[FilingKind] = mapped_column(_enum(FilingKind, "filing_kind"), primary_key=True)
    status: Mapped[Status] = mapped_column(_enum(Status, "filing_status"), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, nullable=False)


class FilingRegionTally(db.Model):
    """How many filings there are per region, kind and status, all enterprises together.

    Kept beside :class:`FilingTally` by the same listener: a jurisdiction's counts summed
    from FilingTally read a row per enterprise, region, kind and status (9,000 rows for a city
    with 200 enterprises, 4 ms on SQLite); from here a few dozen. The queue and the dashboard
    read this table unless they are narrowed to one enterprise.
    """

    __tablename__ = "filing_region_tally"

    region_code: Mapped[str] = mapped_column(String(6), ForeignKey("region.code"),
                                             primary_key=True)
    kind: Mapped[FilingKind] = mapped_column(_enum(FilingKind, "filing_kind"), primary_key=True)
    status: Mapped[Status] = mapped_column(_enum(Status, "filing_status"), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, nullable=False)


class FilingEvent(db.Model):
    """One step in a filing's history, with a snapshot of its fields at that moment."""

    __tablename__ = "filing_event"
    # The bureau dashboard reads the last weeks' decisions of every filing in a jurisdiction.
    # Events by time, with the action and filing alongside: the dashboard's decisions of the
    # last weeks and the annual report count them from this index alone, before the join.
    __table_args__ = (Index("ix_filing_event_created_action", "created_at", "action",
                            "filing_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(
        ForeignKey("filing.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    revision: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    actor_name: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    comment: Mapped[str | None] = mapped_column(Text)
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)

    filing: Mapped[Filing] = relationship(back_populates="events")

    def __repr__(self):
        return f"<FilingEvent {self.id} {self.action} {self.from_status}->{self.to_status}>"


class FlagCategory(enum.StrEnum):
    """Why a filing is flagged: the three pyramid-selling hallmarks (PPS Art. 7) and more."""

    ENTRY_FEE = "entry_fee"  # 入门费
    PAY_BY_RECRUITS = "pay_by_recruits"  # 拉人头
    TEAM_PAY = "team_pay"  # 团队计酬
    FALSE_CLAIMS = "false_claims"  # 虚假夸大宣传
    OTHER = "other"


class FilingFlag(db.Model):
    """A regulator's concern about a filing, independent of its status; seen by bureau staff only.

    A flag stays open until a regulator clears it with a note; it is never deleted. Flags live
    beside the filing, not in it, so raising one does not change the filing's version.
    """

    __tablename__ = "filing_flag"
    __table_args__ = (Index("ix_filing_flag_filing_cleared", "filing_id", "cleared_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("filing.id", ondelete="CASCADE"))
    category: Mapped[FlagCategory] = mapped_column(_enum(FlagCategory, "flag_category"))
    note: Mapped[str] = mapped_column(Text)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cleared_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cleared_note: Mapped[str | None] = mapped_column(Text)

    filing: Mapped[Filing] = relationship()
    raised_by = relationship("User", foreign_keys=[raised_by_id])
    cleared_by = relationship("User", foreign_keys=[cleared_by_id])

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None

    def __repr__(self):
        return f"<FilingFlag {self.id} {self.category} filing={self.filing_id}>"


class FilingSequence(db.Model):
    """The last number handed out per kind and year; incremented atomically."""

    __tablename__ = "filing_sequence"

    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)

    def __repr__(self):
        return f"<FilingSequence {self.kind} {self.year} {self.last}>"


class Outlet(db.Model):
    """A service outlet (服务网点)."""

    __tablename__ = "outlet"

    filing_id: Mapped[int] = mapped_column(
        ForeignKey("filing.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(128))
    premises_type: Mapped[Premises] = mapped_column(_enum(Premises, "outlet_premises"))
    address: Mapped[str] = mapped_column(String(255))
    region_code: Mapped[str] = mapped_column(String(6), ForeignKey("region.code"))
    person_in_charge: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32))
    opening_hours: Mapped[str] = mapped_column(String(128))
    proof_document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))

    filing: Mapped[Filing] = relationship()
    region = relationship("Region")
    proof_document = relationship("Document")

    def __repr__(self):
        return f"<Outlet {self.filing_id} {self.name}>"


class Degree(enum.StrEnum):
    ASSOCIATE = "associate"
    BACHELOR = "bachelor"
    MASTER = "master"
    DOCTORATE = "doctorate"


class Trainer(db.Model):
    """A direct-selling trainer (直销培训员) of the enterprise, with the declarations TRAIN asks."""

    __tablename__ = "trainer"
    __table_args__ = (
        # The check for another live filing of the same person (trainers.operations.duplicate_of).
        Index("ix_trainer_id_number", "id_number"),
        # The enterprise's trainer registry by name, walked in order a page at a time (a large
        # enterprise has a thousand trainers; sorting them all took about 4 ms on PostgreSQL).
        Index("ix_trainer_enterprise_name", "enterprise_id", "name", "filing_id"),
    )

    filing_id: Mapped[int] = mapped_column(
        ForeignKey("filing.id", ondelete="CASCADE"), primary_key=True
    )
    # The filing's enterprise, copied on insert (it never changes), as the meeting's is.
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18))
    employment_start: Mapped[date] = mapped_column(Date)
    degree: Mapped[Degree] = mapped_column(_enum(Degree, "trainer_degree"))
    certificate_no: Mapped[str | None] = mapped_column(String(64))
    is_formal_employee: Mapped[bool] = mapped_column(Boolean)
    has_criminal_record: Mapped[bool] = mapped_column(Boolean)
    is_mainland_resident: Mapped[bool] = mapped_column(Boolean)

    filing: Mapped[Filing] = relationship()

    def __repr__(self):
        return f"<Trainer {self.filing_id} {self.name}>"


class MeetingKind(enum.StrEnum):
    BUSINESS_TRAINING = "business_training"
    EXAM = "exam"
    PRODUCT_PRESENTATION = "product_presentation"


meeting_trainer = Table(
    "meeting_trainer",
    db.metadata,
    Column("meeting_id", ForeignKey("meeting.filing_id", ondelete="CASCADE"), primary_key=True),
    Column("trainer_id", ForeignKey("trainer.filing_id"), primary_key=True, index=True),
)

meeting_material = Table(
    "meeting_material",
    db.metadata,
    Column("meeting_id", ForeignKey("meeting.filing_id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", ForeignKey("document.id"), primary_key=True),
)


class Meeting(db.Model):
    """A training meeting (培训会议) filed ahead of time."""

    __tablename__ = "meeting"
    __table_args__ = (
        Index("ix_meeting_starts_at", "starts_at"),
        # The enterprise's lists of upcoming and past meetings, in order, without a sort and
        # without reading the meetings (covering); at 100,000 filings a large enterprise has
        # thousands of meetings.
        Index("ix_meeting_enterprise_starts", "enterprise_id", "starts_at", "ends_at",
              "filing_id"),
        # The enterprise home's "report the attendance" list: approved meetings that ended
        # without it (only those: an enterprise has hundreds of ended meetings that were
        # never approved, and the list must not walk past them).
        Index("ix_meeting_attendance_due", "enterprise_id", "ends_at", "filing_id",
              sqlite_where=text("actual_attendance IS NULL AND filing_status = 'approved'"),
              postgresql_where=text("actual_attendance IS NULL AND filing_status = 'approved'")),
    )

    filing_id: Mapped[int] = mapped_column(
        ForeignKey("filing.id", ondelete="CASCADE"), primary_key=True
    )
    # The filing's enterprise, copied (it never changes) so the lists can use one index.
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    # The filing's status, copied at every change (_copy_meeting_status) for the same reason.
    filing_status: Mapped[Status] = mapped_column(_enum(Status, "filing_status"),
                                                  default=Status.DRAFT)
    kind: Mapped[MeetingKind] = mapped_column(_enum(MeetingKind, "meeting_kind"))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue_premises_type: Mapped[Premises] = mapped_column(_enum(Premises, "meeting_premises"))
    venue_name: Mapped[str] = mapped_column(String(128))
    venue_address: Mapped[str] = mapped_column(String(255))
    region_code: Mapped[str] = mapped_column(String(6), ForeignKey("region.code"))
    expected_attendance: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(255))
    fee: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0"))
    contact_name: Mapped[str] = mapped_column(String(64))
    contact_phone: Mapped[str] = mapped_column(String(32))
    actual_attendance: Mapped[int | None] = mapped_column(Integer)
    attendance_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    filing: Mapped[Filing] = relationship()
    region = relationship("Region")
    sessions: Mapped[list["MeetingSession"]] = relationship(
        order_by="MeetingSession.position", cascade="all, delete-orphan"
    )
    trainers: Mapped[list[Trainer]] = relationship(secondary=meeting_trainer)
    materials = relationship("Document", secondary=meeting_material, order_by="Document.id")

    def snapshot_extra(self) -> dict:
        """Agenda, trainers and materials for the history snapshot (filings.operations)."""
        return {
            "sessions": [
                {"topic": s.topic, "speaker": s.speaker, "minutes": s.minutes}
                for s in self.sessions
            ],
            "trainers": [{"id": t.filing_id, "name": t.name} for t in self.trainers],
            "materials": [
                {"name": d.original_name, "sha256": d.sha256} for d in self.materials
            ],
        }

    def __repr__(self):
        return f"<Meeting {self.filing_id} {self.title}>"


def _of_filing(detail, connection, *names) -> tuple:
    """The values of *names* of the filing of *detail* (a meeting or trainer being inserted),
    from the filing object, or read from the database when the detail names it by id."""
    if detail.filing is not None:
        return tuple(getattr(detail.filing, name) for name in names)
    return tuple(connection.execute(select(*(getattr(Filing, name) for name in names))
                                    .where(Filing.id == detail.filing_id)).one())


@event.listens_for(Trainer, "before_insert")
def _trainer_enterprise(_mapper, connection, trainer: Trainer) -> None:
    """Copy the enterprise from the filing when the code creating the trainer did not."""
    if trainer.enterprise_id is None:
        (trainer.enterprise_id,) = _of_filing(trainer, connection, "enterprise_id")


@event.listens_for(Meeting, "before_insert")
def _meeting_enterprise(_mapper, connection, meeting: Meeting) -> None:
    """Copy the enterprise from the filing when the code creating the meeting did not, and
    the filing's status."""
    enterprise_id, meeting.filing_status = _of_filing(meeting, connection, "enterprise_id",
                                                      "status")
    if meeting.enterprise_id is None:
        meeting.enterprise_id = enterprise_id


@event.listens_for(Session, "before_flush")
def _copy_meeting_status(session, _context, _instances) -> None:
    """Whenever a meeting filing's status changes, however it is changed through the ORM,
    its meeting's copy follows in the same flush. (Bulk inserts, bench/fill.py, set both.)"""
    for filing in session.dirty:
        if (isinstance(filing, Filing) and filing.kind is FilingKind.MEETING
                and db.inspect(filing).attrs.status.history.has_changes()):
            with session.no_autoflush:
                meeting = session.get(Meeting, filing.id)
            if meeting is not None:
                meeting.filing_status = filing.status


class MeetingSession(db.Model):
    """One item of a meeting's agenda: topic, speaker, minutes."""

    __tablename__ = "meeting_session"
    __table_args__ = (UniqueConstraint("meeting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.filing_id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(SmallInteger)
    topic: Mapped[str] = mapped_column(String(200))
    speaker: Mapped[str] = mapped_column(String(64))
    minutes: Mapped[int] = mapped_column(SmallInteger)

    def __repr__(self):
        return f"<MeetingSession {self.meeting_id}#{self.position}>"


class ReturnPolicy(db.Model):
    """A return and exchange policy (退换货制度): the document and its key terms as fields."""

    __tablename__ = "return_policy"

    filing_id: Mapped[int] = mapped_column(
        ForeignKey("filing.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(String(200))
    consumer_return_days: Mapped[int] = mapped_column(SmallInteger)
    seller_return_days: Mapped[int] = mapped_column(SmallInteger)
    requires_unopened: Mapped[bool] = mapped_column(Boolean)
    refund_days: Mapped[int] = mapped_column(SmallInteger)
    return_places: Mapped[list] = mapped_column(JSON, default=list)
    contact: Mapped[str] = mapped_column(String(255))
    effective_on: Mapped[date] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))

    filing: Mapped[Filing] = relationship()
    document = relationship("Document")

    def __repr__(self):
        return f"<ReturnPolicy {self.filing_id} {self.title}>"

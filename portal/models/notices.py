"""Rectification notices (责令改正通知书): what a bureau orders an enterprise to correct.

A notice is numbered per bureau and year without gaps (``NoticeSequence``, incremented in the
same transaction as the insert), keeps the party's details as they were when it was issued,
and moves issued → served (the enterprise acknowledged receipt in the portal, or a regulator
recorded service in person or by post) → reported (a correction report with evidence) →
corrected (verified and closed); a report found wanting goes back to served with the reasons,
and an overdue or refused notice is escalated with a case referral. Its deadline is a date, or
a number of Chinese working days counted from service, fixed when it is served; an extension
the bureau grants moves it.
"""

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .filings import _enum


class NoticeStatus(enum.StrEnum):
    ISSUED = "issued"  # signed and visible to the enterprise, not yet served
    SERVED = "served"  # receipt acknowledged or service recorded: the deadline runs
    REPORTED = "reported"  # the enterprise reported its correction: awaiting verification
    CORRECTED = "corrected"  # the bureau verified the correction: closed
    ESCALATED = "escalated"  # overdue or refused: referred for a case (立案)


class VerifyMethod(enum.StrEnum):
    ON_SITE = "on_site"
    DOCUMENTS = "documents"


class ReportOutcome(enum.StrEnum):
    ACCEPTED = "accepted"
    RETURNED = "returned"  # not enough: the notice goes back to "served" with the reasons
    ESCALATED = "escalated"


class ServiceMethod(enum.StrEnum):
    PORTAL = "portal"  # the enterprise acknowledged receipt in the portal
    IN_PERSON = "in_person"
    POST = "post"


class NoticeSequence(db.Model):
    """The last notice number a bureau handed out in a year."""

    __tablename__ = "notice_sequence"

    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureau.id"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Notice(db.Model):
    __tablename__ = "notice"
    __table_args__ = (
        UniqueConstraint("bureau_id", "year", "sequence", name="uq_notice_bureau_year_sequence"),
        Index("ix_notice_bureau_status", "bureau_id", "status", "id"),
        Index("ix_notice_enterprise_status", "enterprise_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureau.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    sequence: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    check_id: Mapped[int | None] = mapped_column(ForeignKey("spot_check.id"))
    filing_id: Mapped[int | None] = mapped_column(ForeignKey("filing.id"))
    # The party as it stood on the day of issue (the enterprise may move or rename later).
    party_name: Mapped[str] = mapped_column(String(200))
    party_credit_code: Mapped[str] = mapped_column(String(18))
    party_address: Mapped[str] = mapped_column(String(300))
    facts: Mapped[str] = mapped_column(Text)
    # The provisions cited, as they read on the day of issue: LegalProvision.snapshot() each
    # (code, article and penalty in both languages); later edits of the catalogue leave them.
    provisions: Mapped[list] = mapped_column(JSON)
    corrections: Mapped[str] = mapped_column(Text)
    # Either a fixed date, or N working days from service (then the date is set on service).
    deadline: Mapped[date | None] = mapped_column(Date)
    deadline_working_days: Mapped[int | None] = mapped_column(SmallInteger)
    status: Mapped[NoticeStatus] = mapped_column(_enum(NoticeStatus, "notice_status"),
                                                 default=NoticeStatus.ISSUED)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    served_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    service_method: Mapped[ServiceMethod | None] = mapped_column(
        _enum(ServiceMethod, "service_method"))
    service_note: Mapped[str | None] = mapped_column(String(300))
    served_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Set by every change (an extension request too), so each bumps the version and two
    # people acting on the same notice at once cannot both succeed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    referral: Mapped[str | None] = mapped_column(Text)  # the case referral's text
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    reports: Mapped[list["NoticeReport"]] = relationship(back_populates="notice",
                                                         order_by="NoticeReport.id")
    extensions: Mapped[list["NoticeExtension"]] = relationship(back_populates="notice",
                                                               order_by="NoticeExtension.id")
    bureau = relationship("Bureau")
    enterprise = relationship("Enterprise")
    check = relationship("Check")
    filing = relationship("Filing")
    issued_by = relationship("User", foreign_keys=[issued_by_id])
    served_recorded_by = relationship("User", foreign_keys=[served_recorded_by_id])
    escalated_by = relationship("User", foreign_keys=[escalated_by_id])

    @property
    def provision_codes(self) -> list[str]:
        """The codes of the provisions cited, in the notice's order."""
        return [p["code"] for p in self.provisions]

    @property
    def pending_extension(self) -> "NoticeExtension | None":
        return next((e for e in self.extensions if e.granted is None), None)

    def __repr__(self):
        return f"<Notice {self.number} {self.status}>"


notice_report_evidence = Table(
    "notice_report_evidence",
    db.metadata,
    Column("report_id", ForeignKey("notice_report.id", ondelete="CASCADE"), primary_key=True),
    Column("document_id", ForeignKey("document.id"), primary_key=True),
)


class NoticeReport(db.Model):
    """The enterprise's correction report, and the bureau's verification of it."""

    __tablename__ = "notice_report"
    __table_args__ = (Index("ix_notice_report_notice", "notice_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id"))
    text: Mapped[str] = mapped_column(Text)
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome: Mapped[ReportOutcome | None] = mapped_column(_enum(ReportOutcome, "report_outcome"))
    verify_method: Mapped[VerifyMethod | None] = mapped_column(
        _enum(VerifyMethod, "verify_method"))
    verify_note: Mapped[str | None] = mapped_column(Text)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    notice: Mapped[Notice] = relationship(back_populates="reports")
    evidence = relationship("Document", secondary=notice_report_evidence,
                            order_by="Document.id")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    verified_by = relationship("User", foreign_keys=[verified_by_id])


class NoticeExtension(db.Model):
    """The enterprise asks for more time; the bureau grants a new deadline or refuses."""

    __tablename__ = "notice_extension"
    __table_args__ = (Index("ix_notice_extension_notice", "notice_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id"))
    reason: Mapped[str] = mapped_column(Text)
    requested_until: Mapped[date] = mapped_column(Date)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    previous_deadline: Mapped[date] = mapped_column(Date)
    granted: Mapped[bool | None] = mapped_column()
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    notice: Mapped[Notice] = relationship(back_populates="extensions")
    requested_by = relationship("User", foreign_keys=[requested_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])

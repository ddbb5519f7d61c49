"""On-site supervision (现场监督) of training meetings: the plan, the staff, the record."""

import enum
from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .filings import _enum


class SupervisionStatus(enum.StrEnum):
    PLANNED = "planned"
    DONE = "done"
    CANCELLED = "cancelled"


class Conclusion(enum.StrEnum):
    COMPLIANT = "compliant"
    CONCERNS = "concerns"
    VIOLATIONS = "violations"


supervision_staff = Table(
    "supervision_staff",
    db.metadata,
    Column("supervision_id", ForeignKey("supervision.id", ondelete="CASCADE"),
           primary_key=True),
    Column("user_id", ForeignKey("user.id"), primary_key=True, index=True),
)

supervision_photo = Table(
    "supervision_photo",
    db.metadata,
    Column("supervision_id", ForeignKey("supervision.id", ondelete="CASCADE"),
           primary_key=True),
    Column("document_id", ForeignKey("document.id"), primary_key=True),
)


class Supervision(db.Model):
    """A bureau's on-site supervision of one meeting: planned → done (locked) or cancelled.

    The record fields (``observed_at`` … ``observations``) may be saved while planned; completing
    the record sets ``status`` to done, after which nothing changes. ``version`` is the optimistic
    lock: two people saving at once cannot overwrite each other silently.
    """

    __tablename__ = "supervision"
    __table_args__ = (Index("ix_supervision_bureau_status", "bureau_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.filing_id", ondelete="CASCADE"), index=True
    )
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureau.id"))
    status: Mapped[SupervisionStatus] = mapped_column(
        _enum(SupervisionStatus, "supervision_status"), default=SupervisionStatus.PLANNED
    )
    notes: Mapped[str | None] = mapped_column(Text)
    marked_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(500))

    observed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    headcount_seen: Mapped[int | None] = mapped_column(Integer)
    is_fee_charged: Mapped[bool | None] = mapped_column(Boolean)
    is_venue_as_filed: Mapped[bool | None] = mapped_column(Boolean)
    are_trainers_as_filed: Mapped[bool | None] = mapped_column(Boolean)
    banned_content: Mapped[str | None] = mapped_column(Text)
    conclusion: Mapped[Conclusion | None] = mapped_column(
        _enum(Conclusion, "supervision_conclusion")
    )
    observations: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    meeting = relationship("Meeting")
    bureau = relationship("Bureau")
    marked_by = relationship("User", foreign_keys=[marked_by_id])
    cancelled_by = relationship("User", foreign_keys=[cancelled_by_id])
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])
    staff = relationship("User", secondary=supervision_staff, order_by="User.id")
    photos = relationship("Document", secondary=supervision_photo, order_by="Document.id")

    @property
    def is_locked(self) -> bool:
        """Done or cancelled: nothing may change any more."""
        return self.status is not SupervisionStatus.PLANNED

    def __repr__(self):
        return f"<Supervision {self.id} meeting={self.meeting_id} {self.status}>"

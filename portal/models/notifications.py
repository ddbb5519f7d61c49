"""Notifications: in-app messages for one user, their choices per kind, and sent reminders."""

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .filings import _enum


class NotificationKind(enum.StrEnum):
    """What a notification is about; users choose in-app and e-mail delivery per kind."""

    FILING_SUBMITTED = "filing_submitted"  # to regulators: a filing awaits review
    FILING_DECIDED = "filing_decided"  # to the enterprise: approved, returned or rejected
    DEADLINE = "deadline"  # reminders: a meeting soon undecided, a correction or report due
    NOTICE = "notice"  # rectification notices: issued, reported, extensions, verification


class Notification(db.Model):
    """One message for one user, rendered in the reader's language when shown.

    ``message`` names a text in :mod:`portal.notifications.messages`; ``params`` fill its
    placeholders. Unread while ``read_at`` is empty.
    """

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_read_created", "user_id", "read_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(_enum(NotificationKind, "notification_kind"))
    message: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    filing_id: Mapped[int | None] = mapped_column(
        ForeignKey("filing.id", ondelete="CASCADE"), index=True
    )
    notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("notice.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")
    filing = relationship("Filing")
    notice = relationship("Notice")

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def __repr__(self):
        return f"<Notification {self.id} {self.message} user={self.user_id}>"


class NotificationPreference(db.Model):
    """A user's choice for one kind; without a row the kind's defaults apply."""

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[NotificationKind] = mapped_column(
        _enum(NotificationKind, "notification_preference_kind"), primary_key=True
    )
    in_app: Mapped[bool] = mapped_column(default=True, server_default=true())
    email: Mapped[bool] = mapped_column(default=True, server_default=true())

    def __repr__(self):
        return f"<NotificationPreference {self.user_id} {self.kind} {self.in_app}/{self.email}>"


class ReminderLog(db.Model):
    """A reminder already sent for a filing on a day (China time), so none is sent twice."""

    __tablename__ = "reminder_log"

    message: Mapped[str] = mapped_column(String(40), primary_key=True)
    filing_id: Mapped[int] = mapped_column(
        ForeignKey("filing.id", ondelete="CASCADE"), primary_key=True
    )
    sent_on: Mapped[date] = mapped_column(Date, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self):
        return f"<ReminderLog {self.message} {self.filing_id} {self.sent_on}>"


class NoticeReminderLog(db.Model):
    """A reminder already sent about a rectification notice on a day (China time)."""

    __tablename__ = "notice_reminder_log"

    message: Mapped[str] = mapped_column(String(40), primary_key=True)
    notice_id: Mapped[int] = mapped_column(
        ForeignKey("notice.id", ondelete="CASCADE"), primary_key=True
    )
    sent_on: Mapped[date] = mapped_column(Date, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

"""Spot checks (双随机、一公开): the check-item catalogue, recusals, plans and their checks.

A plan's seed is generated when the plan is made and only its SHA-256 is shown until the draw.
The draw freezes the target roster, the inspector roster and the recusals into the plan, so
anyone can recompute it from the revealed seed (portal/rules/sampling.py).
"""

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
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


class TargetKind(enum.StrEnum):
    ENTERPRISE = "enterprise"
    OUTLET = "outlet"


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"  # editable; the seed's hash is shown
    DRAWN = "drawn"  # final: checks exist, the seed is revealed
    CANCELLED = "cancelled"


class CheckStatus(enum.StrEnum):
    ASSIGNED = "assigned"
    COMPLETED = "completed"  # every item answered; results locked
    PUBLISHED = "published"


class CheckItem(db.Model):
    """One thing inspectors check on site, with its legal basis; maintained by administrators."""

    __tablename__ = "check_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    category_zh: Mapped[str] = mapped_column(String(64))
    category_en: Mapped[str] = mapped_column(String(128))
    text_zh: Mapped[str] = mapped_column(String(255))
    text_en: Mapped[str] = mapped_column(String(400))
    basis: Mapped[str] = mapped_column(String(32))  # a key of portal.legal.BASIS
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self):
        return f"<CheckItem {self.code}>"


class Recusal(db.Model):
    """An inspector's declared conflict of interest with an enterprise (回避)."""

    __tablename__ = "recusal"
    __table_args__ = (UniqueConstraint("inspector_id", "enterprise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    inspector = relationship("User", foreign_keys=[inspector_id])
    enterprise = relationship("Enterprise")

    def __repr__(self):
        return f"<Recusal {self.inspector_id} enterprise={self.enterprise_id}>"


plan_item = Table(
    "plan_item",
    db.metadata,
    Column("plan_id", ForeignKey("check_plan.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("check_item.id"), primary_key=True),
)


class CheckPlan(db.Model):
    """A bureau's spot-check plan: what to draw from, how many, which items, when."""

    __tablename__ = "check_plan"
    __table_args__ = (Index("ix_check_plan_bureau_status", "bureau_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureau.id"))
    name: Mapped[str] = mapped_column(String(200))
    target_kind: Mapped[TargetKind] = mapped_column(_enum(TargetKind, "target_kind"))
    region_code: Mapped[str] = mapped_column(String(6), ForeignKey("region.code"))
    sample_count: Mapped[int | None] = mapped_column(Integer)
    sample_ratio: Mapped[Decimal | None] = mapped_column(Numeric(5, 4))
    per_target: Mapped[int] = mapped_column(SmallInteger, default=2)
    window_start: Mapped[date] = mapped_column(Date)
    window_end: Mapped[date] = mapped_column(Date)
    status: Mapped[PlanStatus] = mapped_column(_enum(PlanStatus, "plan_status"),
                                              default=PlanStatus.DRAFT)
    algorithm: Mapped[str] = mapped_column(String(32))
    seed: Mapped[str] = mapped_column(String(64))  # secret until drawn
    seed_hash: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    drawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Frozen at the draw: [[key, enterprise id], …], [inspector id, …], [[inspector, enterprise]].
    target_roster: Mapped[list | None] = mapped_column(JSON)
    inspector_roster: Mapped[list | None] = mapped_column(JSON)
    recusals: Mapped[list | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    bureau = relationship("Bureau")
    region = relationship("Region")
    items: Mapped[list[CheckItem]] = relationship(secondary=plan_item,
                                                  order_by=CheckItem.position)
    checks: Mapped[list["Check"]] = relationship(back_populates="plan", order_by="Check.position")

    def __repr__(self):
        return f"<CheckPlan {self.id} {self.status}>"


check_inspector = Table(
    "check_inspector",
    db.metadata,
    Column("check_id", ForeignKey("spot_check.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id"), primary_key=True, index=True),
)


class Check(db.Model):
    """One drawn target of a plan and the inspectors who check it."""

    __tablename__ = "spot_check"
    __table_args__ = (UniqueConstraint("plan_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("check_plan.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # draw order, from 1
    target_key: Mapped[str] = mapped_column(String(40))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    outlet_filing_id: Mapped[int | None] = mapped_column(ForeignKey("filing.id"))
    drawn_inspectors: Mapped[list] = mapped_column(JSON)  # as drawn, before any re-draw
    status: Mapped[CheckStatus] = mapped_column(_enum(CheckStatus, "check_status"),
                                                default=CheckStatus.ASSIGNED)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[CheckPlan] = relationship(back_populates="checks")
    enterprise = relationship("Enterprise")
    outlet_filing = relationship("Filing")
    inspectors = relationship("User", secondary=check_inspector, order_by="User.id")

    @property
    def number(self) -> str:
        """E.g. CC-12-003: the plan's id and the check's place in the draw."""
        return f"CC-{self.plan_id}-{self.position:03d}"

    def __repr__(self):
        return f"<Check {self.number} {self.status}>"


class Reassignment(db.Model):
    """A recorded re-draw of one inspector on a check (illness, a late conflict …)."""

    __tablename__ = "check_reassignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("spot_check.id", ondelete="CASCADE"),
                                          index=True)
    old_inspector_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    new_inspector_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self):
        return f"<Reassignment {self.check_id} {self.old_inspector_id}->{self.new_inspector_id}>"


class Verdict(enum.StrEnum):
    PASS = "pass"  # noqa: S105  (a verdict, not a password)
    FAIL = "fail"
    NOT_APPLICABLE = "not_applicable"


class CheckResult(db.Model):
    """The inspectors' verdict on one item of one check, with a note."""

    __tablename__ = "check_result"

    check_id: Mapped[int] = mapped_column(ForeignKey("spot_check.id", ondelete="CASCADE"),
                                          primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("check_item.id"), primary_key=True)
    verdict: Mapped[Verdict] = mapped_column(_enum(Verdict, "verdict"))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    item = relationship(CheckItem)
    evidence = relationship("Document", secondary="check_evidence")

    def __repr__(self):
        return f"<CheckResult {self.check_id}/{self.item_id} {self.verdict}>"


check_evidence = Table(
    "check_evidence",
    db.metadata,
    Column("check_id", Integer, primary_key=True),
    Column("item_id", Integer, primary_key=True),
    Column("document_id", ForeignKey("document.id"), primary_key=True),
    db.ForeignKeyConstraint(["check_id", "item_id"],
                            ["check_result.check_id", "check_result.item_id"],
                            ondelete="CASCADE"),
)

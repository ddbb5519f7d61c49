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
    text,
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
    """An inspector's declared conflict of interest with an enterprise (回避).

    A withdrawn recusal is kept (``withdrawn_at``): plans drawn while it was active froze it.
    Only one active recusal per inspector and enterprise (a partial unique index).
    """

    __tablename__ = "recusal"
    __table_args__ = (
        Index("uq_recusal_active", "inspector_id", "enterprise_id", unique=True,
              sqlite_where=text("withdrawn_at IS NULL"),
              postgresql_where=text("withdrawn_at IS NULL")),
        Index("ix_recusal_inspector_id", "inspector_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    inspector_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    inspector = relationship("User", foreign_keys=[inspector_id])
    enterprise = relationship("Enterprise")
    declared_by = relationship("User", foreign_keys=[declared_by_id])
    withdrawn_by = relationship("User", foreign_keys=[withdrawn_by_id])

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

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
    """A recorded re-draw of one inspector on a check (illness, a late conflict …).

    ``number`` counts the check's re-draws from 1; ``candidates`` freezes the eligible
    inspectors and their loads ([[id, open checks], …]), so ``rules.sampling.redraw`` recomputes
    the choice from the plan's seed.
    """

    __tablename__ = "check_reassignment"
    __table_args__ = (UniqueConstraint("check_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(ForeignKey("spot_check.id", ondelete="CASCADE"),
                                          index=True)
    number: Mapped[int] = mapped_column(SmallInteger)
    old_inspector_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    new_inspector_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    candidates: Mapped[list] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    check = relationship("Check")
    old_inspector = relationship("User", foreign_keys=[old_inspector_id])
    new_inspector = relationship("User", foreign_keys=[new_inspector_id])
    by = relationship("User", foreign_keys=[by_id])

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


class BundleStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ChecklistBundle(db.Model):
    """A plan's checklists for all its checks as one PDF, made on the task queue.

    ``done`` of ``total`` checklists are rendered so far (the progress shown while it runs).
    ``fingerprint`` identifies what the checklists were made from (inspections/bundles.py):
    when the plan's checks change, the bundle is out of date and is made again on request.
    The PDF lies in the document store under ``document_sha256``.
    """

    __tablename__ = "checklist_bundle"
    __table_args__ = (Index("ix_checklist_bundle_plan", "plan_id", "locale", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("check_plan.id"))
    locale: Mapped[str] = mapped_column(String(8))
    status: Mapped[BundleStatus] = mapped_column(_enum(BundleStatus, "bundle_status"),
                                                 default=BundleStatus.QUEUED)
    total: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    fingerprint: Mapped[str] = mapped_column(String(64))
    base_url: Mapped[str] = mapped_column(String(300))  # for the QR codes' links
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan = relationship(CheckPlan)
    requested_by = relationship("User")

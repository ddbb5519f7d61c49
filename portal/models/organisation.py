"""Organisations and people: regions, bureaus, enterprises, users, sign-in throttling."""

import enum
import secrets
from datetime import date, datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint,
    Date,
    Enum,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    false,
    text,
    true,
)
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship, selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..rules.regions import prefix_of
from .base import UTCDateTime, utcnow


class Role(enum.StrEnum):
    """What a user account may do; see DESIGN.md "Who uses it"."""

    ENTERPRISE_STAFF = "enterprise_staff"
    ENTERPRISE_ADMIN = "enterprise_admin"
    REGULATOR = "regulator"
    INSPECTOR = "inspector"
    ADMIN = "admin"

    @property
    def label(self):
        return ROLE_LABELS[self]

    @property
    def is_enterprise(self) -> bool:
        return self in ENTERPRISE_ROLES

    @property
    def is_bureau(self) -> bool:
        return self in BUREAU_ROLES


ROLE_LABELS = {
    Role.ENTERPRISE_STAFF: _l("Enterprise staff"),
    Role.ENTERPRISE_ADMIN: _l("Enterprise administrator"),
    Role.REGULATOR: _l("Regulator"),
    Role.INSPECTOR: _l("Inspector"),
    Role.ADMIN: _l("System administrator"),
}
ENTERPRISE_ROLES = frozenset({Role.ENTERPRISE_STAFF, Role.ENTERPRISE_ADMIN})
BUREAU_ROLES = frozenset({Role.REGULATOR, Role.INSPECTOR})


class EnterpriseStatus(enum.StrEnum):
    """Standing of an enterprise's direct-selling licence."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"

    @property
    def label(self):
        return ENTERPRISE_STATUS_LABELS[self]


ENTERPRISE_STATUS_LABELS = {
    EnterpriseStatus.ACTIVE: _l("Licensed"),
    EnterpriseStatus.SUSPENDED: _l("Suspended"),
    EnterpriseStatus.REVOKED: _l("Licence revoked"),
}


def _enum(cls, name):
    """A portable enum column: VARCHAR with a named CHECK constraint, values stored as text."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Region(db.Model):
    """An administrative division (行政区划) from GB/T 2260, loaded from portal/data/regions.csv."""

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(128))
    level: Mapped[int] = mapped_column(SmallInteger)  # 1 province, 2 city, 3 district
    parent_code: Mapped[str | None] = mapped_column(
        String(6), ForeignKey("region.code"), index=True
    )

    parent: Mapped["Region | None"] = relationship(remote_side=[code])

    @property
    def prefix(self) -> str:
        return prefix_of(self.code)

    def __repr__(self):
        return f"<Region {self.code} {self.name_zh}>"


class Bureau(db.Model):
    """A market-regulation bureau (市场监管局); its jurisdiction is its region's code prefix."""

    __tablename__ = "bureau"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(128), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    # Abbreviation used in document numbers, e.g. 晋城市监 in 晋城市监责改〔2026〕12号.
    short_name: Mapped[str] = mapped_column(String(20), unique=True)
    region_code: Mapped[str] = mapped_column(String(6), ForeignKey("region.code"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("bureau.id"))
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Local rules for training meetings (TRAIN Art. 10 sets 7 days; a bureau may ask more).
    meeting_lead_days: Mapped[int] = mapped_column(
        SmallInteger, default=7, server_default=text("7")
    )
    meeting_lead_in_working_days: Mapped[bool] = mapped_column(
        default=False, server_default=false()
    )
    meeting_attendance_cap: Mapped[int | None] = mapped_column(Integer)

    region: Mapped[Region] = relationship()
    parent: Mapped["Bureau | None"] = relationship(remote_side=[id])

    @property
    def jurisdiction_prefix(self) -> str:
        """The region code prefix every row of this bureau's jurisdiction starts with."""
        return prefix_of(self.region_code)

    def __repr__(self):
        return f"<Bureau {self.id} {self.short_name} {self.region_code}>"


class Enterprise(db.Model):
    """A licensed direct-selling enterprise (直销企业)."""

    __tablename__ = "enterprise"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), index=True)
    name_en: Mapped[str | None] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    licence_no: Mapped[str] = mapped_column(String(64), unique=True)
    licence_issued_on: Mapped[date | None] = mapped_column(Date)
    address: Mapped[str] = mapped_column(String(255))
    region_code: Mapped[str] = mapped_column(String(6), ForeignKey("region.code"), index=True)
    status: Mapped[EnterpriseStatus] = mapped_column(
        _enum(EnterpriseStatus, "enterprise_status"), default=EnterpriseStatus.ACTIVE
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Secret in the URL of the enterprise's meeting calendar feed (calendar apps cannot sign in).
    ics_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    region: Mapped[Region] = relationship()
    approved_regions: Mapped[list["EnterpriseRegion"]] = relationship(
        back_populates="enterprise",
        cascade="all, delete-orphan",
        order_by="EnterpriseRegion.region_code",
    )

    def __repr__(self):
        return f"<Enterprise {self.id} {self.credit_code}>"


class EnterpriseRegion(db.Model):
    """A region where the enterprise's licence lets it sell (核准直销区域), and since when."""

    __tablename__ = "enterprise_region"

    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True
    )
    region_code: Mapped[str] = mapped_column(
        String(6), ForeignKey("region.code"), primary_key=True, index=True
    )
    approved_on: Mapped[date] = mapped_column(Date)

    enterprise: Mapped[Enterprise] = relationship(back_populates="approved_regions")
    region: Mapped[Region] = relationship()

    def __repr__(self):
        return f"<EnterpriseRegion {self.enterprise_id} {self.region_code}>"


class User(UserMixin, db.Model):
    """A person who signs in: enterprise staff, regulator, inspector or administrator."""

    __tablename__ = "user"
    __table_args__ = (
        CheckConstraint(
            "(role IN ('enterprise_staff', 'enterprise_admin')"
            " AND enterprise_id IS NOT NULL AND bureau_id IS NULL)"
            " OR (role IN ('regulator', 'inspector')"
            " AND bureau_id IS NOT NULL AND enterprise_id IS NULL)"
            " OR (role = 'admin' AND enterprise_id IS NULL AND bureau_id IS NULL)",
            name="role_matches_organisation",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), index=True)
    bureau_id: Mapped[int | None] = mapped_column(ForeignKey("bureau.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    is_active_account: Mapped[bool] = mapped_column(
        "is_active", default=True, server_default=true()
    )
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Rotated on password change and deactivation: every existing session ends.
    session_nonce: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    enterprise: Mapped[Enterprise | None] = relationship()
    bureau: Mapped[Bureau | None] = relationship()

    # Flask-Login: an inactive account cannot sign in and its sessions stop working.
    @property
    def is_active(self) -> bool:
        return self.is_active_account

    def get_id(self) -> str:
        """Flask-Login's id in the session: the nonce ends other sessions when it changes; the
        role tells the loader which organisation to load with the user (a hint only)."""
        return f"{self.id}:{self.session_nonce}:{self.role.value}"

    def set_password(self, password: str) -> None:
        """Hash and store *password*, ending every other session of this user."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)
        self.session_nonce = secrets.token_hex(8)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def organisation_name(self) -> str:
        if self.enterprise is not None:
            return self.enterprise.name
        if self.bureau is not None:
            return self.bureau.name_zh
        return ""

    def __repr__(self):
        return f"<User {self.id} {self.username} {self.role}>"


class LoginThrottle(db.Model):
    """Failed sign-ins per user name, kept in the database so a restart does not reset them.

    Keyed by the name typed, whether or not such a user exists, so the lockout does not
    reveal which names are real.
    """

    __tablename__ = "login_throttle"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self):
        return f"<LoginThrottle {self.username} {self.failures}>"


# What the licence facts (templates/enterprise/_facts.html) show, loaded with the enterprise:
# its seat and approved regions with their cities (a query per region otherwise).
ENTERPRISE_FACTS_OPTIONS = (
    joinedload(Enterprise.region).joinedload(Region.parent),
    selectinload(Enterprise.approved_regions).joinedload(EnterpriseRegion.region)
    .joinedload(Region.parent),
)

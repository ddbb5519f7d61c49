"""Recusals (回避): inspectors' declared conflicts of interest with enterprises. Views commit.

An inspector declares their own; administrators declare and withdraw for any inspector;
regulators see their bureau's inspectors' recusals. A withdrawn recusal is kept
(``withdrawn_at``), because plans drawn while it was active froze it into ``plan.recusals``;
only active ones count for new draws and re-draws (``operations.recusal_pairs``).
"""

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from .. import audit
from ..access import scoped
from ..extensions import db
from ..models import Check, CheckStatus, Enterprise, Recusal, Role, User, utcnow
from ..models.inspections import check_inspector


class RecusalError(Exception):
    """The recusal cannot be declared or withdrawn; ``code`` says why (the view translates)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def enterprise_choices(inspector: User) -> Select:
    """The enterprises *inspector* may declare a recusal for: those in their bureau's
    jurisdiction, by name."""
    return scoped(select(Enterprise), inspector).order_by(Enterprise.name, Enterprise.id)


def active_recusal(inspector_id: int, enterprise_id: int) -> Recusal | None:
    """The inspector's active recusal for the enterprise, if any."""
    return db.session.scalar(select(Recusal).where(
        Recusal.inspector_id == inspector_id, Recusal.enterprise_id == enterprise_id,
        Recusal.withdrawn_at.is_(None)))


def declare(inspector: User, enterprise_id: int, reason: str, actor: User) -> Recusal:
    """Record that *inspector* must not check *enterprise_id*, with the reason.

    :raise RecusalError: ``not_inspector``, ``enterprise_outside`` (not in the inspector's
        bureau's jurisdiction), ``duplicate`` (an active recusal for the pair exists).
    """
    if inspector.role is not Role.INSPECTOR or inspector.bureau_id is None:
        raise RecusalError("not_inspector")
    enterprise = db.session.scalar(
        enterprise_choices(inspector).where(Enterprise.id == enterprise_id))
    if enterprise is None:
        raise RecusalError("enterprise_outside")
    if active_recusal(inspector.id, enterprise_id) is not None:
        raise RecusalError("duplicate")
    recusal = Recusal(inspector_id=inspector.id, enterprise_id=enterprise_id, reason=reason,
                      declared_by_id=actor.id)
    db.session.add(recusal)
    db.session.flush()
    audit.record("recusal.declared", recusal, actor=actor, inspector=inspector.username,
                 enterprise=enterprise.name, reason=reason)
    return recusal


def withdraw(recusal: Recusal, actor: User) -> None:
    """Withdraw an active recusal; the row stays, with who withdrew it and when.

    :raise RecusalError: ``already_withdrawn``.
    """
    if recusal.withdrawn_at is not None:
        raise RecusalError("already_withdrawn")
    recusal.withdrawn_at = utcnow()
    recusal.withdrawn_by_id = actor.id
    db.session.flush()
    audit.record("recusal.withdrawn", recusal, actor=actor,
                 inspector=recusal.inspector.username, enterprise=recusal.enterprise.name)


def listing(user, state: str = "active", inspector_id: int | None = None) -> Select:
    """The recusals *user* may see (own, the bureau's, or all), newest first; ``state``
    "active", "withdrawn" or anything else for both."""
    stmt = (scoped(select(Recusal), user)
            .options(selectinload(Recusal.inspector).selectinload(User.bureau),
                     selectinload(Recusal.enterprise), selectinload(Recusal.declared_by),
                     selectinload(Recusal.withdrawn_by))
            .order_by(Recusal.declared_at.desc(), Recusal.id.desc()))
    if state == "active":
        stmt = stmt.where(Recusal.withdrawn_at.is_(None))
    elif state == "withdrawn":
        stmt = stmt.where(Recusal.withdrawn_at.is_not(None))
    if inspector_id is not None:
        stmt = stmt.where(Recusal.inspector_id == inspector_id)
    return stmt


def open_checks_with(inspector_id: int, enterprise_id: int) -> list[Check]:
    """The assigned (not completed) checks of the enterprise this inspector is on: after a
    declaration the regulator should re-draw them."""
    return list(db.session.scalars(
        select(Check).join(check_inspector, check_inspector.c.check_id == Check.id)
        .where(check_inspector.c.user_id == inspector_id, Check.enterprise_id == enterprise_id,
               Check.status == CheckStatus.ASSIGNED).order_by(Check.id).limit(20)
    ))

"""The supervision panel on a meeting's filing page (bureau side only)."""

from flask_login import current_user
from sqlalchemy import select

from ..access import scoped
from ..extensions import db
from ..models import Role, Supervision
from . import operations


def panel_for(meeting) -> dict | None:
    """What the panel shows to the current bureau user, or None for everyone else.

    Regulators see all of their bureau's supervisions of the meeting and may mark it;
    inspectors see those assigned to them.
    """
    if current_user.role not in (Role.REGULATOR, Role.INSPECTOR):
        return None
    supervisions = db.session.scalars(
        scoped(select(Supervision), current_user)
        .where(Supervision.meeting_id == meeting.filing_id)
        .order_by(Supervision.id.desc())
    ).all()
    can_mark = (current_user.role is Role.REGULATOR
                and not operations.marking_problems(meeting, current_user.bureau_id))
    return {"supervisions": supervisions, "can_mark": can_mark}

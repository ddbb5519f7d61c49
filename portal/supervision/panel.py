"""The supervision panel on a meeting's filing page (bureau side only)."""

from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from ..access import scoped
from ..extensions import db
from ..models import Role, Supervision, SupervisionStatus, utcnow
from ..rules import supervision as rules

# A meeting's supervisions, newest first, with their staff: built once (each request narrows
# it to the user's scope).
SUPERVISIONS_OF = (select(Supervision).where(Supervision.meeting_id == bindparam("meeting_id"))
                   .options(selectinload(Supervision.staff)).order_by(Supervision.id.desc()))


def panel_for(filing, ends_at) -> dict | None:
    """What the panel shows to the current bureau user on the page of a meeting's *filing*
    (the meeting ends at *ends_at*), or None for everyone else.

    Regulators see all of their bureau's supervisions of the meeting and may mark it;
    inspectors see those assigned to them.
    """
    if current_user.role not in (Role.REGULATOR, Role.INSPECTOR):
        return None
    supervisions = db.session.scalars(scoped(SUPERVISIONS_OF, current_user),
                                      {"meeting_id": filing.id}).all()
    # A regulator sees every supervision of the meeting by their bureau (the meeting is in
    # the jurisdiction: its page is shown), so whether one is planned is read from the list.
    can_mark = (current_user.role is Role.REGULATOR and not rules.marking_problems(
        filing.status, ends_at, utcnow(),
        any(s.status is SupervisionStatus.PLANNED for s in supervisions)))
    return {"supervisions": supervisions, "can_mark": can_mark}

"""The public iCalendar feed of an enterprise's meetings, opened by its secret token.

Calendar apps cannot sign in, so the address itself is the key: a long random token per
enterprise (:func:`operations.generate_calendar_token`). Unknown tokens are 404.
"""

import re

from flask import Blueprint, Response, abort, request, url_for

from ..i18n import gettext as _
from ..i18n import list_separator
from ..labels import STATUS_LABELS
from ..models import utcnow
from ..rules.workflow import Status
from . import ical, operations
from .labels import MEETING_KIND_LABELS

bp = Blueprint("calendar", __name__)

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
ICAL_STATUS = {Status.SUBMITTED: "TENTATIVE", Status.APPROVED: "CONFIRMED"}


def _event(meeting) -> ical.Event:
    filing = meeting.filing
    lines = [
        _("Filing %(number)s · %(kind)s · %(status)s", number=filing.number,
          kind=MEETING_KIND_LABELS[meeting.kind], status=STATUS_LABELS[filing.status]),
        _("Expected participants: %(n)s", n=meeting.expected_attendance),
        _("Audience: %(audience)s", audience=meeting.audience),
    ]
    if meeting.trainers:
        names = list_separator().join(t.name for t in meeting.trainers)
        lines.append(_("Trainers: %(names)s", names=names))
    lines.append(_("Contact: %(name)s %(phone)s", name=meeting.contact_name,
                   phone=meeting.contact_phone))
    return ical.Event(
        uid=f"{filing.number}@{request.host}",
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=meeting.title,
        location=f"{meeting.venue_name}, {meeting.venue_address}",
        description="\n".join(lines),
        status=ICAL_STATUS[filing.status],
        sequence=filing.revision,
        last_modified=filing.updated_at,
        url=url_for("filings.show", filing_id=filing.id, _external=True),
    )


@bp.get("/<token>.ics")
def feed(token: str):
    """Public (no sign-in): the enterprise's submitted and approved meetings as iCalendar.

    :raise 404: the token is malformed or belongs to no enterprise.
    """
    if not TOKEN_RE.match(token):
        abort(404)
    enterprise = operations.enterprise_by_token(token)
    if enterprise is None:
        abort(404)
    events = [_event(m) for m in operations.meetings_in_feed(enterprise.id)]
    name = _("%(enterprise)s · training meetings", enterprise=enterprise.name)
    body = ical.calendar(name, events, utcnow())
    response = Response(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex"
    return response

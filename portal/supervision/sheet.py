"""What the one-page supervision sheet (现场监督检查表) shows: the meeting as filed, the claims
checker's hits, and the checklist of TRAIN Arts. 4, 7–9 with boxes to tick."""

from ..i18n import lazy_gettext as _l
from ..meetings.claims import meeting_claim_problems
from ..meetings.operations import bureau_for
from ..models import Supervision, utcnow

# More hits than this are summed up in one line, so the sheet stays on one page.
MAX_CLAIMS = 4
# The articles of the training measures (TRAIN), short enough for the sheet's narrow column.
ARTICLES = {
    "TRAIN-4": _l("Art. 4"),
    "TRAIN-7": _l("Art. 7"),
    "TRAIN-8": _l("Art. 8"),
    "TRAIN-9": _l("Art. 9"),
}
# (what to observe, legal basis key of portal/legal.py and of ARTICLES)
CHECKLIST = [
    (_l("No fee is charged to participants, in any form (tickets, materials, meals)."),
     "TRAIN-7"),
    (_l("The meeting is held at the venue filed, at the time filed."), "TRAIN-9"),
    (_l("The venue is not government, military, school or hospital premises, a residential "
        "compound or a private home."), "TRAIN-9"),
    (_l("Everyone who teaches is one of the approved trainers filed."), "TRAIN-4"),
    (_l("No exaggerated or false product claims (cures, no side effects, miracle effects)."),
     "TRAIN-8"),
    (_l("No touting of income, or claims that most participants get rich."), "TRAIN-8"),
    (_l("No disparaging of other enterprises or their products."), "TRAIN-8"),
    (_l("No pressure on participants to buy products or to recruit."), "TRAIN-8"),
]


def context(supervision: Supervision) -> dict:
    """The template context of ``templates/pdf/supervision_sheet.html``."""
    meeting = supervision.meeting
    bureau = bureau_for(meeting.region_code)
    return {
        "supervision": supervision,
        "meeting": meeting,
        "filing": meeting.filing,
        "claims": meeting_claim_problems(meeting),
        "max_claims": MAX_CLAIMS,
        "checklist": CHECKLIST,
        "articles": ARTICLES,
        "attendance_cap": bureau.meeting_attendance_cap if bureau is not None else None,
        "generated_at": utcnow(),
    }

"""The bureau's decisions on a filing: approve, return for correction, reject. Views commit."""

from ..extensions import db
from ..filings import operations as filing_ops
from ..models import Filing, FilingEvent, ReviewReason
from ..rules.workflow import Action, Side
from .reasons import reasons_for

DECISIONS = (Action.APPROVE, Action.RETURN, Action.REJECT)
MAX_COMMENT = 2000


class UnknownReason(Exception):
    """A chosen reason is not in the catalogue (or not for this kind of filing)."""


def chosen_reasons(filing: Filing, reason_ids) -> list[ReviewReason]:
    """The catalogue reasons with *reason_ids* that apply to *filing*, in catalogue order.

    :raise UnknownReason: an id that is not an active reason for this kind.
    """
    wanted = set()
    for value in reason_ids:
        if not (str(value).isascii() and str(value).isdigit()) or len(str(value)) > 18:
            raise UnknownReason(value)
        wanted.add(int(value))
    offered = {r.id: r for r in reasons_for(filing.kind)}
    if not wanted <= offered.keys():
        raise UnknownReason(sorted(wanted - offered.keys()))
    return [r for r in offered.values() if r.id in wanted]


def decide(
    filing: Filing, action: Action, actor, *, reason_ids=(), comment=None, expected_version=None
) -> FilingEvent:
    """Take the bureau's *action* on *filing*, recording the chosen reasons' Chinese texts.

    The enterprise sees the reasons as stored in the event (``text_zh``) and the comment.

    :raise ValueError: *action* is not a bureau decision.
    :raise UnknownReason: a reason outside the catalogue for this kind.
    :raise workflow.TransitionError: not allowed now, or reasons missing for return/reject.
    :raise filing_ops.ConflictError: *expected_version* is not the filing's current version.
    """
    if action not in DECISIONS:
        raise ValueError(action)
    reasons = chosen_reasons(filing, reason_ids) if action is not Action.APPROVE else []
    comment = (comment or "").strip()[:MAX_COMMENT] or None
    event = filing_ops.apply(
        filing, action, actor, Side.BUREAU,
        reasons=[r.text_zh for r in reasons], comment=comment,
        expected_version=expected_version,
    )
    db.session.flush()
    return event

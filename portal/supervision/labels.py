"""Translated labels and messages of on-site supervision, available in every template."""

from ..i18n import lazy_gettext as _l
from ..models import Conclusion, SupervisionStatus

SUPERVISION_STATUS_LABELS = {
    SupervisionStatus.PLANNED: _l("Planned"),
    SupervisionStatus.DONE: _l("Done"),
    SupervisionStatus.CANCELLED: _l("Cancelled"),
}
SUPERVISION_STATUS_STYLES = {
    SupervisionStatus.PLANNED: "text-bg-primary",
    SupervisionStatus.DONE: "text-bg-success",
    SupervisionStatus.CANCELLED: "text-bg-secondary",
}
CONCLUSION_LABELS = {
    Conclusion.COMPLIANT: _l("Compliant"),
    Conclusion.CONCERNS: _l("Concerns"),
    Conclusion.VIOLATIONS: _l("Violations found"),
}
CONCLUSION_STYLES = {
    Conclusion.COMPLIANT: "text-bg-success",
    Conclusion.CONCERNS: "text-bg-warning",
    Conclusion.VIOLATIONS: "text-bg-danger",
}
# Codes of rules/supervision.py -> message.
MESSAGES = {
    "meeting_status": _l("Only a submitted or approved meeting can be marked for supervision."),
    "meeting_over": _l("This meeting has already ended."),
    "already_planned": _l("A supervision of this meeting is already planned."),
    "staff_required": _l("Assign at least one person."),
    "staff_not_allowed": _l("Only active regulators and inspectors of your bureau can be "
                            "assigned."),
    "observed_in_future": _l("The time of the observation cannot be in the future."),
    "observed_before_meeting": _l("The time of the observation is long before the meeting "
                                  "starts."),
    "answer_required": _l("Answer this before completing the record."),
    "compliant_with_findings": _l("A record that found a fee, another venue, other trainers "
                                  "or banned content cannot conclude “compliant”."),
    "locked": _l("This supervision is closed; it can no longer be changed."),
}


def message(code: str) -> str:
    """The translated message of a rule code (rules/supervision.py)."""
    return str(MESSAGES[code])



def template_globals() -> dict:
    """The labels for templates (the filing page's panel uses them too)."""
    return {
        "SUPERVISION_STATUS_LABELS": SUPERVISION_STATUS_LABELS,
        "SUPERVISION_STATUS_STYLES": SUPERVISION_STATUS_STYLES,
        "CONCLUSION_LABELS": CONCLUSION_LABELS,
        "CONCLUSION_STYLES": CONCLUSION_STYLES,
    }

"""Translated labels for the enums of the filings (statuses, kinds, premises …)."""

from flask_babel import lazy_gettext as _l

from .models import FilingKind
from .rules.premises import Premises
from .rules.workflow import Action, Status

STATUS_LABELS = {
    Status.DRAFT: _l("Draft"),
    Status.SUBMITTED: _l("Submitted"),
    Status.RETURNED: _l("Returned for correction"),
    Status.APPROVED: _l("Approved"),
    Status.REJECTED: _l("Rejected"),
    Status.WITHDRAWN: _l("Withdrawn"),
}

ACTION_LABELS = {
    "create": _l("Created"),
    Action.SUBMIT: _l("Submit"),
    Action.RESUBMIT: _l("Resubmit"),
    Action.APPROVE: _l("Approve"),
    Action.RETURN: _l("Return for correction"),
    Action.REJECT: _l("Reject"),
    Action.AMEND: _l("Amend"),
    Action.WITHDRAW: _l("Withdraw"),
}

KIND_LABELS = {
    FilingKind.OUTLET: _l("Service outlet"),
    FilingKind.TRAINER: _l("Trainer"),
    FilingKind.MEETING: _l("Training meeting"),
    FilingKind.RETURN_POLICY: _l("Return and exchange policy"),
}

PREMISES_LABELS = {
    Premises.SHOP: _l("Shop or store front"),
    Premises.OFFICE: _l("Office building"),
    Premises.COMMERCIAL_COMPLEX: _l("Commercial complex"),
    Premises.HOTEL: _l("Hotel or conference venue"),
    Premises.EXHIBITION_CENTRE: _l("Exhibition centre"),
    Premises.OWN_TRAINING_CENTRE: _l("The enterprise's own training centre"),
    Premises.RESIDENTIAL: _l("Residential compound"),
    Premises.PRIVATE_HOME: _l("Private home"),
    Premises.SCHOOL: _l("School"),
    Premises.HOSPITAL: _l("Hospital"),
    Premises.MILITARY: _l("Military site"),
    Premises.GOVERNMENT: _l("Government office"),
}

# Rule findings: code -> message (placeholders filled from Problem.params).
PROBLEM_MESSAGES = {
    "premises_forbidden": _l("Outlets may not be set up in this type of premises."),
    "outside_approved_regions": _l(
        "This district lies outside the regions the enterprise's licence approves."
    ),
}


def problem_message(problem) -> str:
    """The translated message of a rule finding."""
    return str(PROBLEM_MESSAGES[problem.code]) % problem.params


def init_app(app) -> None:
    from .legal import cite

    app.jinja_env.globals.update(
        problem_message=problem_message,
        cite=cite,
        STATUS_LABELS=STATUS_LABELS,
        ACTION_LABELS=ACTION_LABELS,
        KIND_LABELS=KIND_LABELS,
        PREMISES_LABELS=PREMISES_LABELS,
    )

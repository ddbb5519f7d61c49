"""Translated labels for the enums of the filings (statuses, kinds, premises …)."""

from .i18n import lazy_gettext as _l
from .models import Degree, FilingKind, FlagCategory
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

FLAG_LABELS = {
    FlagCategory.ENTRY_FEE: _l("Entry fee (pyramid-selling hallmark)"),
    FlagCategory.PAY_BY_RECRUITS: _l("Pay by recruits (pyramid-selling hallmark)"),
    FlagCategory.TEAM_PAY: _l("Team pay (pyramid-selling hallmark)"),
    FlagCategory.FALSE_CLAIMS: _l("False or exaggerated claims"),
    FlagCategory.OTHER: _l("Other concern"),
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
    # Training meetings (portal/rules/meetings.py, portal/rules/claims.py)
    "meeting_premises_forbidden": _l("Training meetings may not be held in this type of premises."),
    "meeting_without_outlet": _l(
        "The enterprise has no approved service outlet in this district; training may only be "
        "held in districts where it has one."
    ),
    "meeting_fee": _l(
        "Participants may not be charged: the fee must be 0 (entered: %(fee)s yuan)."
    ),
    "meeting_without_trainer": _l("List at least one of the enterprise's approved trainers."),
    "trainer_not_approved": _l(
        "%(name)s is not an approved trainer of this enterprise; only trainers whose filing is "
        "approved may train."
    ),
    "meeting_ends_before_start": _l("The meeting must end after it starts."),
    "lead_time_calendar_days": _l(
        "The meeting must be filed at least %(days)s calendar days before it starts; the "
        "earliest start for this filing is %(earliest)s."
    ),
    "lead_time_working_days": _l(
        "The meeting must be filed at least %(days)s working days before it starts (weekends and "
        "public holidays do not count); the earliest start for this filing is %(earliest)s."
    ),
    "lead_time_calendar_unknown": _l(
        "The lead time of %(days)s working days cannot be counted: the portal's working-day "
        "calendar does not cover %(year)s yet (it ends with %(last)s). Ask the system "
        "administrator to update it, or contact the bureau."
    ),
    "attendance_required": _l("Enter the expected number of participants (at least 1)."),
    "attendance_over_cap": _l(
        "The bureau allows at most %(cap)s participants per meeting; %(expected)s are expected."
    ),
    "attendance_meeting_not_approved": _l(
        "Attendance can only be reported for an approved meeting."
    ),
    "attendance_before_end": _l("Attendance can only be reported after the meeting has ended."),
    "claim_false_product_claim": _l(
        "“%(phrase)s” (%(place)s) reads like an exaggerated or false product claim."
    ),
    "claim_income_promise": _l("“%(phrase)s” (%(place)s) touts income or easy success."),
    "claim_disparaging": _l(
        "“%(phrase)s” (%(place)s) may disparage competitors or their products."
    ),
    "claim_pressure_to_buy": _l("“%(phrase)s” (%(place)s) may pressure participants to buy."),
    "claim_disguised_training": _l(
        "“%(phrase)s” (%(place)s): a seminar, incentive or commendation meeting or product launch "
        "that presents products, pay or recruitment is training under another name."
    ),
    "material_unreadable": _l(
        "No text could be read from %(name)s (a scanned or protected PDF), so the claims checker "
        "could not check it."
    ),
    # Return and exchange policies (portal/rules/policies.py)
    "policy_document_missing": _l("Upload the policy document (PDF) before submitting."),
    "policy_consumer_window_short": _l(
        "Consumers must be able to return products for at least %(min)s days after purchase; "
        "this policy allows %(days)s days."
    ),
    "policy_seller_window_short": _l(
        "Direct sellers must be able to return products for at least %(min)s days after "
        "purchase; this policy allows %(days)s days."
    ),
    "policy_refund_too_slow": _l(
        "Refunds and exchanges must be made within %(max)s days of the request; this policy "
        "allows %(days)s days."
    ),
    "policy_return_places_missing": _l(
        "Consumers must be able to return products at the enterprise, its branches, its "
        "service outlets and the direct seller who sold them; this policy leaves out: "
        "%(places)s."
    ),
    "policy_effective_in_past": _l(
        "The policy takes effect on %(date)s, before its submission (%(submitted)s). File a "
        "policy before it takes effect so that it is disclosed in time."
    ),
    # Trainers (portal/rules/trainers.py, portal/trainers/operations.py)
    "trainer_not_formal_employee": _l("A trainer must be a formal employee of the enterprise."),
    "trainer_service_too_short": _l(
        "A trainer must have worked for the enterprise for at least %(years)s year(s); this "
        "person qualifies from %(date)s."
    ),
    "trainer_degree_too_low": _l("A trainer must hold a bachelor's degree or higher."),
    "trainer_criminal_record": _l(
        "A person with a record of criminal punishment for an intentional crime may not be a "
        "trainer."
    ),
    "trainer_not_mainland_resident": _l(
        "Persons from outside the mainland may not train direct sellers."
    ),
    "trainer_certificate_missing": _l(
        "No trainer certificate number is entered. The enterprise issues the certificate to "
        "trainers who meet the conditions and files them before they train."
    ),
    "trainer_already_filed": _l(
        "This ID number is already filed for the enterprise as trainer %(number)s."
    ),
}


DEGREE_LABELS = {
    Degree.ASSOCIATE: _l("Associate degree (junior college)"),
    Degree.BACHELOR: _l("Bachelor's degree"),
    Degree.MASTER: _l("Master's degree"),
    Degree.DOCTORATE: _l("Doctorate"),
}

# Version comparison (filings.compare): the name of each field in a kind's history snapshot.
# COMMON_FIELD_LABELS covers the fields every snapshot has; a kind's own dict adds its fields
# in display order and may hide a common one by mapping it to None. Each kind adds its block.
COMMON_FIELD_LABELS = {
    "title": _l("Title"),
    "region_code": _l("Region"),
}
FIELD_LABELS = {
    FilingKind.OUTLET: {
        "title": None,  # the outlet's name
        "name": _l("Outlet name"),
        "premises_type": _l("Type of premises"),
        "region_code": _l("District"),
        "address": _l("Address"),
        "person_in_charge": _l("Person in charge"),
        "phone": _l("Phone"),
        "opening_hours": _l("Opening hours"),
        "proof_document_id": _l("Proof of premises"),
    },
    FilingKind.TRAINER: {
        "title": None,  # the trainer's name
        "region_code": None,  # the enterprise's seat, not entered by the user
        "name": _l("Name"),
        "id_number": _l("Resident ID number"),
        "employment_start": _l("Employed by the enterprise since"),
        "degree": _l("Highest degree"),
        "certificate_no": _l("Trainer certificate number"),
        "is_formal_employee": _l("Formal employee of the enterprise"),
        "has_criminal_record": _l("Record of criminal punishment for an intentional crime"),
        "is_mainland_resident": _l("Mainland resident"),
    },
}
# Enum fields of the snapshots: kind -> {field: {stored value: label}}.
VALUE_LABELS = {
    FilingKind.OUTLET: {"premises_type": PREMISES_LABELS},
    FilingKind.TRAINER: {"degree": DEGREE_LABELS},
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
        FLAG_LABELS=FLAG_LABELS,
        PREMISES_LABELS=PREMISES_LABELS,
    )

"""The texts of notifications, rendered in the reader's language when shown or mailed.

A notification stores a message key and its parameters, never the sentence, so the same row
reads in Chinese for one user and in English for another.
"""

from datetime import date, datetime
from urllib.parse import urljoin

from flask import current_app
from flask_babel import format_date, format_datetime

from ..i18n import current_language
from ..i18n import lazy_gettext as _l
from ..labels import KIND_LABELS
from ..models import FilingKind, NotificationKind

KIND_LABELS_NOTIFY = {
    NotificationKind.FILING_SUBMITTED: _l("Filings submitted for review"),
    NotificationKind.FILING_DECIDED: _l("Decisions on our filings"),
    NotificationKind.DEADLINE: _l("Deadline reminders"),
    NotificationKind.NOTICE: _l("Rectification notices"),
}
KIND_HELP = {
    NotificationKind.FILING_SUBMITTED: _l(
        "A filing in the bureau's jurisdiction was submitted, resubmitted or amended."
    ),
    NotificationKind.FILING_DECIDED: _l(
        "The bureau approved, returned or rejected a filing you created or, as administrator, "
        "one of the enterprise's filings."
    ),
    NotificationKind.DEADLINE: _l(
        "Daily at 08:00: meetings starting soon still undecided, returned filings not yet "
        "corrected, attendance not yet reported, notices due soon or overdue."
    ),
    NotificationKind.NOTICE: _l(
        "Rectification notices: a notice issued to the enterprise, the bureau's decisions on "
        "its correction reports and extensions; for regulators, reports and extension "
        "requests to decide."
    ),
}
# E-mail subjects per kind.
SUBJECTS = {
    NotificationKind.FILING_SUBMITTED: _l("New filing for review"),
    NotificationKind.FILING_DECIDED: _l("Decision on a filing"),
    NotificationKind.DEADLINE: _l("Reminder"),
    NotificationKind.NOTICE: _l("Rectification notice"),
}

MESSAGES = {
    "filing_submitted": _l(
        "New filing for review: %(kind)s %(number)s “%(title)s” from %(enterprise)s."
    ),
    "filing_resubmitted": _l(
        "Corrected and resubmitted: %(kind)s %(number)s “%(title)s” from %(enterprise)s."
    ),
    "filing_amended": _l(
        "Amendment for review: %(kind)s %(number)s “%(title)s” from %(enterprise)s."
    ),
    "filing_approved": _l("Approved: %(kind)s %(number)s “%(title)s”."),
    "filing_returned": _l(
        "Returned for correction: %(kind)s %(number)s “%(title)s”. See the reasons on the "
        "filing's page."
    ),
    "filing_rejected": _l("Rejected: %(kind)s %(number)s “%(title)s”."),
    "meeting_undecided": _l(
        "Training meeting %(number)s “%(title)s” of %(enterprise)s starts %(starts)s and has "
        "not been decided yet."
    ),
    "returned_uncorrected": _l(
        "%(kind)s %(number)s “%(title)s” was returned for correction %(days)s days ago and has "
        "not been resubmitted yet."
    ),
    "attendance_due": _l(
        "Training meeting %(number)s “%(title)s” has ended; please report its actual attendance."
    ),
    "notice_issued": _l("Rectification notice %(number)s issued by %(bureau)s. Acknowledge "
                        "receipt and correct the findings by the deadline."),
    "notice_reported": _l("%(party)s reported its correction of notice %(number)s; please "
                          "verify it."),
    "notice_extension_requested": _l("%(party)s asks for more time on notice %(number)s "
                                     "(until %(deadline)s)."),
    "notice_extension_granted": _l("Extension granted on notice %(number)s: the new "
                                   "deadline is %(deadline)s."),
    "notice_extension_refused": _l("Extension refused on notice %(number)s: the deadline "
                                   "stays %(deadline)s."),
    "notice_accepted": _l("Notice %(number)s: the correction was verified and the notice is "
                          "closed."),
    "notice_returned": _l("Notice %(number)s: the correction report was not accepted. See the "
                          "reasons on the notice and report again by %(deadline)s."),
    "notice_escalated": _l("Notice %(number)s was escalated by the bureau."),
    "notice_due": _l("Notice %(number)s: correct and report by %(deadline)s."),
    "notice_overdue": _l("Notice %(number)s to %(party)s is overdue since %(deadline)s; "
                         "consider escalating it."),
}


def render(message: str, params: dict) -> str:
    """The text of *message* with *params*, in the active locale."""
    values = {"kind": "", "number": "", "title": "", "enterprise": "", "starts": "", "days": "",
              "bureau": "", "party": "", "deadline": "", **(params or {})}
    if values["kind"] in {k.value for k in FilingKind}:
        values["kind"] = str(KIND_LABELS[FilingKind(values["kind"])])
    if values["starts"]:
        values["starts"] = format_datetime(datetime.fromisoformat(values["starts"]), "short")
    if values["deadline"]:
        values["deadline"] = format_date(date.fromisoformat(values["deadline"]), "long")
    if values.get("bureau_en") and current_language() == "en":
        values["bureau"] = values["bureau_en"]  # stored with both names since 2026-12
    template = MESSAGES.get(message)
    return str(template) % values if template is not None else message


def filing_url(filing_id: int) -> str:
    """The absolute address of a filing's page, for e-mails (``PORTAL_BASE_URL``)."""
    path = current_app.url_map.bind("").build("filings.show", {"filing_id": filing_id})
    return urljoin(current_app.config["PORTAL_BASE_URL"], path)


def notice_url(notice_id: int) -> str:
    """The absolute address of a rectification notice's page, for e-mails."""
    path = current_app.url_map.bind("").build("notices.show", {"notice_id": notice_id})
    return urljoin(current_app.config["PORTAL_BASE_URL"], path)

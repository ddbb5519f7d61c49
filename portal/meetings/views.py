"""File and edit training meetings, report attendance, subscribe to the calendar (enterprise)."""

from dataclasses import dataclass

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from ..access import get_scoped_or_404, roles_required, scoped
from ..extensions import db
from ..filings import operations as filing_ops
from ..filings.forms import district_choices
from ..filings.pages import changeable_detail, conflict
from ..filings.uploads import own_document, store_upload, upload_message
from ..i18n import current_language, datetime_formatter, format_number
from ..i18n import gettext as _
from ..kept import kept
from ..labels import STATUS_LABELS, problem_message
from ..models import ENTERPRISE_ROLES, Enterprise, Filing, FilingKind, Meeting, Region, utcnow
from ..pagination import paginate
from ..rules import meetings as rules
from ..storage import PDF_ONLY, UploadError
from ..widgets import ChoiceList
from . import operations
from .forms import AttendanceForm, MeetingForm
from .labels import MEETING_KIND_LABELS

bp = Blueprint("meetings", __name__)


@bp.app_context_processor
def _template_globals() -> dict:
    """What the meeting partials need on shared pages (the filing page, the receipt)."""
    return {
        "MEETING_KIND_LABELS": MEETING_KIND_LABELS,
        "attendance_open": lambda meeting: not operations.attendance_problems(meeting),
    }


# A process keeps an enterprise's trainer choices, labelled, while its trainer filings stay as
# they were (operations.trainers_stamp), and this long at most whatever happens (a clock set
# back, a change made outside the portal): reading and labelling a thousand trainers took most
# of the form's time.
TRAINER_CHOICES_SECONDS = 60


def _trainer_choices(enterprise_id: int) -> ChoiceList:
    """The trainers a meeting of the enterprise may name, as (filing id, "name (status)")."""
    stamp = operations.trainers_stamp(enterprise_id)
    key = (enterprise_id, current_language(), stamp)
    return kept("trainer_choices", key, TRAINER_CHOICES_SECONDS,
                lambda: _labelled_trainers(enterprise_id))


def _labelled_trainers(enterprise_id: int) -> ChoiceList:
    pattern = _("%(name)s (%(status)s)")  # translated once, filled in for each trainer
    # The pattern filled in once per status around a mark, the name going in its place.
    around = {status: (pattern % {"name": "\0", "status": label}).partition("\0")
              for status, label in STATUS_LABELS.items()}
    return ChoiceList(
        (filing_id, f"{around[status][0]}{name}{around[status][2]}")
        for filing_id, name, status in operations.trainer_choices(enterprise_id)
    )


def _prepare(form: MeetingForm, enterprise) -> None:
    form.region_code.choices = district_choices(enterprise)
    form.trainers.choices = _trainer_choices(enterprise.id)


def _initial(meeting: Meeting) -> dict:
    """The stored meeting as form data (times are shown in China Standard Time)."""
    data = {key: getattr(meeting, key) for key in operations.FIELDS}
    data["kind"] = meeting.kind.value
    data["venue_premises_type"] = meeting.venue_premises_type.value
    data["sessions"] = [{"topic": s.topic, "speaker": s.speaker, "minutes": s.minutes}
                        for s in meeting.sessions]
    data["trainers"] = [t.filing_id for t in meeting.trainers]
    data["material_ids"] = ",".join(str(d.id) for d in meeting.materials)
    data["version"] = meeting.filing.version
    return data


def _materials(form: MeetingForm, enterprise) -> tuple[list, list[str]]:
    """The materials kept from earlier attempts (minus those ticked for removal) plus new uploads.

    Each new upload is committed at once, so a form error elsewhere never makes the user
    upload it again. Returns (documents, upload error messages).
    """
    removed = set(form.remove_materials.data or ())
    kept = []
    for ident in (form.material_ids.data or "").split(","):
        document = own_document(ident.strip(), enterprise.id)
        if (document is not None and document.media_type in PDF_ONLY
                and document.id not in removed and document not in kept):
            kept.append(document)
    errors = []
    for upload in form.materials.data or ():
        if not getattr(upload, "filename", ""):
            continue
        try:
            kept.append(store_upload(upload, enterprise.id, current_user, allowed=PDF_ONLY))
        except UploadError as error:
            errors.append(_("%(name)s: %(error)s", name=upload.filename,
                            error=upload_message(error, PDF_ONLY)))
            continue
        db.session.commit()
    form.material_ids.data = ",".join(str(d.id) for d in kept)
    return kept, errors


def _meeting(filing_id: int) -> Meeting | None:
    """The current user's meeting *filing_id*, or None when the filing is of another kind.

    :raise 404: no such filing in the user's scope.
    """
    filing = get_scoped_or_404(Filing, filing_id)
    if filing.kind is not FilingKind.MEETING:
        return None
    return db.session.get(Meeting, filing_id)


# What a row of the meetings list shows. Plain rows, not Meeting objects with their filings and
# districts: building a hundred of those cost more than the rest of the page.
LIST_COLUMNS = (
    Meeting.filing_id, Filing.number, Filing.status, Meeting.title, Meeting.starts_at,
    Meeting.ends_at, Meeting.actual_attendance, Region.name_zh, Region.name_en,
)


@dataclass
class MeetingRow:
    """One row of the meetings list, every text ready to print."""

    id: int
    number: str
    title: str
    starts: str
    district: str
    status: str
    status_label: str
    attendance: str  # the reported number of participants, formatted; "" while unreported
    report_url: str  # where to report the attendance, when it may be reported now; else ""


def _meeting_rows(rows, now) -> list[MeetingRow]:
    """The page's rows with their labels, dates and links made once per page, not per row."""
    statuses = {status: str(label) for status, label in STATUS_LABELS.items()}
    when = datetime_formatter("short")
    english = current_language() == "en"
    report_before, _zero, report_after = url_for(
        "meetings.report_attendance", filing_id=0).rpartition("/0/")
    result = []
    # Unpacked in LIST_COLUMNS' order: a row's fields by name cost more than the rest.
    for ident, number, status, title, starts_at, ends_at, attendance, name_zh, name_en in rows:
        may_report = (attendance is None
                      and not rules.attendance_report_problems(status, ends_at, now))
        result.append(MeetingRow(
            id=ident, number=number, title=title, starts=when(starts_at),
            district=(name_en if english else None) or name_zh or "",
            status=status.value, status_label=statuses[status],
            attendance=format_number(attendance) if attendance is not None else "",
            report_url=f"{report_before}/{ident}/{report_after}" if may_report else "",
        ))
    return result


@bp.get("/")
@roles_required(*ENTERPRISE_ROLES)
def list_meetings():
    """The enterprise's meetings: upcoming ones, and past ones with their attendance (each
    list paged on its own: ``?upcoming_page=`` and ``?page=``)."""
    now = utcnow()
    # Both lists counted in one pass over the enterprise's meeting index (scoped on the
    # meeting's own enterprise), without joining thousands of filings: all of them and the
    # upcoming ones, which tests one condition a row instead of two.
    total, upcoming_total = db.session.execute(
        scoped(select(Meeting)).with_only_columns(
            func.count(), func.count().filter(Meeting.ends_at >= now), maintain_column_froms=True)
    ).one()
    past_total = total - upcoming_total
    base = scoped(select(*LIST_COLUMNS).join(Filing, Filing.id == Meeting.filing_id)
                  .outerjoin(Region, Region.code == Meeting.region_code))
    upcoming = paginate(
        base.where(Meeting.ends_at >= now).order_by(Meeting.starts_at, Meeting.filing_id),
        arg="upcoming_page", rows=True, total=upcoming_total,
    )
    past = paginate(
        base.where(Meeting.ends_at < now)
        .order_by(Meeting.starts_at.desc(), Meeting.filing_id.desc()),
        rows=True, total=past_total,
    )
    return render_template("meetings/list.html", upcoming=upcoming, past=past,
                           upcoming_rows=_meeting_rows(upcoming.items, now),
                           past_rows=_meeting_rows(past.items, now))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*ENTERPRISE_ROLES)
def new():
    """File a new training meeting as a draft."""
    enterprise = get_scoped_or_404(Enterprise, current_user.enterprise_id)
    form = MeetingForm(contact_name=current_user.display_name)
    _prepare(form, enterprise)
    materials = []
    if form.is_submitted():
        materials, upload_errors = _materials(form, enterprise)
        if form.validate() and not upload_errors:
            meeting = operations.create(enterprise, form.data_for_model(), form.sessions_data(),
                                        form.trainers.data, materials, current_user)
            db.session.commit()
            flash(_("Meeting saved as draft %(number)s.", number=meeting.filing.number),
                  "success")
            return redirect(url_for("filings.show", filing_id=meeting.filing_id))
        form.materials.errors = list(form.materials.errors) + upload_errors
    return render_template("meetings/form.html", form=form, materials=materials, meeting=None)


@bp.route("/<int:filing_id>/edit", methods=["GET", "POST"])
@roles_required(*ENTERPRISE_ROLES)
def edit(filing_id: int):
    """Correct a draft or returned meeting, or amend an approved one (a new version for review)."""
    meeting = changeable_detail(filing_id, FilingKind.MEETING)
    filing = meeting.filing
    form = MeetingForm(data=_initial(meeting))
    _prepare(form, filing.enterprise)
    materials = list(meeting.materials)
    if form.is_submitted():
        materials, upload_errors = _materials(form, filing.enterprise)
        if form.validate() and not upload_errors:
            try:
                operations.update(meeting, form.data_for_model(), form.sessions_data(),
                                  form.trainers.data, materials, current_user,
                                  expected_version=form.version.data)
                db.session.commit()
            except (filing_ops.ConflictError, StaleDataError):
                db.session.rollback()
                return conflict(filing_id)
            except filing_ops.RuleViolation as violation:
                db.session.rollback()
                return render_template("meetings/form.html", form=form, materials=materials,
                                       meeting=meeting, problems=violation.problems)
            flash(_("Meeting %(number)s saved.", number=filing.number), "success")
            return redirect(url_for("filings.show", filing_id=filing_id))
        form.materials.errors = list(form.materials.errors) + upload_errors
    return render_template("meetings/form.html", form=form, materials=materials, meeting=meeting)


@bp.route("/<int:filing_id>/attendance", methods=["GET", "POST"])
@roles_required(*ENTERPRISE_ROLES)
def report_attendance(filing_id: int):
    """Report how many people came, once an approved meeting has ended."""
    meeting = _meeting(filing_id)
    if meeting is None:
        return redirect(url_for("filings.show", filing_id=filing_id))
    refused = operations.attendance_problems(meeting)
    if refused:
        for problem in refused:
            flash(problem_message(problem), "error")
        return redirect(url_for("filings.show", filing_id=filing_id))
    form = AttendanceForm(actual_attendance=meeting.actual_attendance)
    if form.validate_on_submit():
        operations.report_attendance(meeting, form.actual_attendance.data, current_user)
        db.session.commit()
        flash(_("Attendance of %(number)s reported: %(n)s participants.",
                number=meeting.filing.number, n=meeting.actual_attendance), "success")
        return redirect(url_for("filings.show", filing_id=filing_id))
    return render_template("meetings/attendance.html", form=form, meeting=meeting)


@bp.get("/calendar")
@roles_required(*ENTERPRISE_ROLES)
def calendar():
    """How to subscribe to the enterprise's meetings in a calendar app."""
    enterprise = get_scoped_or_404(Enterprise, current_user.enterprise_id)
    feed_url = None
    if enterprise.ics_token:
        feed_url = url_for("calendar.feed", token=enterprise.ics_token, _external=True)
    return render_template("meetings/calendar.html", enterprise=enterprise, feed_url=feed_url)


@bp.post("/calendar/token")
@roles_required(*ENTERPRISE_ROLES)
def generate_calendar_token():
    """Create (or replace) the secret address of the calendar feed."""
    enterprise = get_scoped_or_404(Enterprise, current_user.enterprise_id)
    replaced = enterprise.ics_token is not None
    operations.generate_calendar_token(enterprise, current_user)
    db.session.commit()
    flash(_("A new calendar address was created; the old one no longer works.") if replaced
          else _("The calendar address was created."), "success")
    return redirect(url_for("meetings.calendar"))


@bp.post("/calendar/token/revoke")
@roles_required(*ENTERPRISE_ROLES)
def revoke_calendar_token():
    """Switch the calendar feed off."""
    enterprise = get_scoped_or_404(Enterprise, current_user.enterprise_id)
    operations.revoke_calendar_token(enterprise, current_user)
    db.session.commit()
    flash(_("The calendar address was switched off."), "success")
    return redirect(url_for("meetings.calendar"))

"""File and edit training meetings, report attendance, subscribe to the calendar (enterprise)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from ..access import get_scoped_or_404, own_enterprise, roles_required, scoped
from ..extensions import db
from ..filings import operations as filing_ops
from ..filings.forms import district_choices
from ..filings.pages import changeable_detail, conflict
from ..filings.uploads import own_document, store_upload, upload_message
from ..i18n import current_language, datetime_formatter, format_number, html_text
from ..i18n import gettext as _
from ..kept import kept
from ..labels import STATUS_LABELS, problem_message
from ..models import ENTERPRISE_ROLES, Filing, FilingKind, Meeting, Region, utcnow
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


# A row of the meetings list, written by one format string (as the review queue's rows,
# review.views.queue_rows): a Jinja loop over a hundred rows and a row object each cost about
# a fifth of the page. Every value is escaped into plain text (i18n.html_text) before it goes
# in (ids go in as %d); the string itself is markup. Past meetings add the attendance cell.
MEETING_ROW = (
    '<tr><td><a href="%(show)s%(id)d">%(number)s</a></td><td>%(title)s</td>'
    '<td>%(starts)s</td><td>%(district)s</td>'
    '<td><span class="badge status-%(status)s">%(status_label)s</span></td>%(attendance)s</tr>'
)
NO_ATTENDANCE = '<td><span class="text-muted">—</span></td>'


def meeting_rows(rows, now, past: bool) -> Markup:
    """The table rows of one of the page's lists, with labels, dates and links made once per
    page, not per row."""
    statuses = {status: (status.value, html_text(label)) for status, label in STATUS_LABELS.items()}
    when = datetime_formatter("short")
    english = current_language() == "en"
    show = html_text(url_for("filings.show", filing_id=0)[:-1])
    before, _zero, after = url_for("meetings.report_attendance", filing_id=0).rpartition("/0/")
    report_before, report_after = html_text(before), html_text(after)
    report_label = html_text(_("Report attendance"))
    lines = []
    # Unpacked in LIST_COLUMNS' order: a row's fields by name cost more than the rest.
    for ident, number, status, title, starts_at, ends_at, attendance, name_zh, name_en in rows:
        cell = ""
        if past:
            if attendance is not None:
                cell = f"<td>{html_text(format_number(attendance))}</td>"
            elif not rules.attendance_report_problems(status, ends_at, now):
                cell = (f'<td><a href="{report_before}/{ident:d}/{report_after}">'
                        f"{report_label}</a></td>")
            else:
                cell = NO_ATTENDANCE
        status_value, status_label = statuses[status]
        lines.append(MEETING_ROW % {
            "show": show, "id": ident, "number": html_text(number), "title": html_text(title),
            "starts": html_text(when(starts_at)),
            "district": html_text((name_en if english else None) or name_zh or ""),
            "status": status_value, "status_label": status_label, "attendance": cell,
        })
    return Markup("\n".join(lines))  # noqa: S704 (every value is escaped above)


@bp.get("/")
@roles_required(*ENTERPRISE_ROLES)
def list_meetings():
    """The enterprise's meetings, in two tabs with their counts: upcoming and current ones,
    soonest first (the default), and past ones, latest first, with their attendance
    (``?when=past``); each paged. One tab at a time: the enterprise works on one or the
    other, and both lists at once made a page of a hundred rows."""
    past = request.args.get("when") == "past"
    now = utcnow()
    # Both tabs counted in one pass over the enterprise's meeting index (scoped on the
    # meeting's own enterprise), without joining thousands of filings: all of them and the
    # upcoming ones, which tests one condition a row instead of two.
    total, upcoming_total = db.session.execute(
        scoped(select(Meeting)).with_only_columns(
            func.count(), func.count().filter(Meeting.ends_at >= now), maintain_column_froms=True)
    ).one()
    base = scoped(select(*LIST_COLUMNS).join(Filing, Filing.id == Meeting.filing_id)
                  .outerjoin(Region, Region.code == Meeting.region_code))
    if past:
        stmt = (base.where(Meeting.ends_at < now)
                .order_by(Meeting.starts_at.desc(), Meeting.filing_id.desc()))
    else:
        stmt = base.where(Meeting.ends_at >= now).order_by(Meeting.starts_at, Meeting.filing_id)
    page = paginate(stmt, rows=True, total=total - upcoming_total if past else upcoming_total)
    return render_template("meetings/list.html", page=page, past=past,
                           counts={"upcoming": upcoming_total, "past": total - upcoming_total},
                           rows=meeting_rows(page.items, now, past=past))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*ENTERPRISE_ROLES)
def new():
    """File a new training meeting as a draft."""
    enterprise = own_enterprise()
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
    enterprise = own_enterprise()
    feed_url = None
    if enterprise.ics_token:
        feed_url = url_for("calendar.feed", token=enterprise.ics_token, _external=True)
    return render_template("meetings/calendar.html", enterprise=enterprise, feed_url=feed_url)


@bp.post("/calendar/token")
@roles_required(*ENTERPRISE_ROLES)
def generate_calendar_token():
    """Create (or replace) the secret address of the calendar feed."""
    enterprise = own_enterprise()
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
    enterprise = own_enterprise()
    operations.revoke_calendar_token(enterprise, current_user)
    db.session.commit()
    flash(_("The calendar address was switched off."), "success")
    return redirect(url_for("meetings.calendar"))

"""On-site supervision pages: the bureau's list, my supervisions, mark, assign, sheet, record.

Regulators of the bureau whose jurisdiction covers the meeting may do everything; an inspector
sees only the supervisions assigned to them (view, sheet, record). Enterprises never see any.
"""

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from ..access import get_scoped_or_404, roles_required, scoped
from ..extensions import db
from ..i18n import gettext as _
from ..models import (
    Filing,
    FilingKind,
    Meeting,
    Role,
    Supervision,
    SupervisionStatus,
    supervision_staff,
)
from ..pagination import paginate
from ..pdf import render_pdf
from ..storage import get_store
from . import labels, operations, sheet
from .forms import CancelForm, RecordForm, StaffForm, answer_value, staff_choices
from .photos import kept_photos

bp = Blueprint("supervision", __name__)

BUREAU_STAFF = (Role.REGULATOR, Role.INSPECTOR)
STALE = (operations.ConflictError,)


@bp.record_once
def _template_globals(state) -> None:
    # Globals, not a context processor: the macros imported by templates see only globals.
    state.app.jinja_env.globals.update(labels.template_globals())


def _meeting(filing_id: int) -> Meeting:
    """A meeting filing in the regulator's jurisdiction.

    :raise 404: no such filing in scope, or a filing of another kind.
    """
    filing = get_scoped_or_404(Filing, filing_id)
    if filing.kind is not FilingKind.MEETING:
        abort(404)
    return db.session.get(Meeting, filing_id)


def _flash_codes(codes) -> None:
    for code in dict.fromkeys(codes):
        flash(labels.message(code), "error")


def _conflict(supervision_id: int):
    """Someone else saved first: show the supervision as it is now (409)."""
    db.session.rollback()
    supervision = get_scoped_or_404(Supervision, supervision_id)
    flash(_("This supervision was changed after you opened it (by a colleague or in another "
            "window); it is now: %(status)s. Nothing was saved.",
            status=labels.SUPERVISION_STATUS_LABELS[supervision.status]), "error")
    return _page(supervision), 409


def _page(supervision: Supervision, cancel_form: CancelForm | None = None):
    """The supervision page. Its cancel form carries the version shown here, never one a post
    carried (after a conflict that version is stale); a reason typed before is kept."""
    if cancel_form is None:
        typed = request.form.get("reason", "") if request.method == "POST" else ""
        cancel_form = CancelForm(formdata=None, data={"reason": typed[:500],
                                                      "version": supervision.version})
    return render_template(
        "supervision/show.html", supervision=supervision, meeting=supervision.meeting,
        filing=supervision.meeting.filing, cancel_form=cancel_form,
    )


def _listing(stmt):
    return stmt.options(selectinload(Supervision.staff),
                        selectinload(Supervision.meeting).selectinload(Meeting.filing)
                        .selectinload(Filing.enterprise))


@bp.get("/")
@roles_required(Role.REGULATOR)
def list_supervisions():
    """The bureau's supervisions: planned (soonest first), done or cancelled; "mine" filter."""
    status = request.args.get("status", "planned")
    if status not in {s.value for s in SupervisionStatus} | {"all"}:
        status = "planned"
    mine = request.args.get("mine") == "1"
    stmt = scoped(select(Supervision), current_user).join(
        Meeting, Meeting.filing_id == Supervision.meeting_id)
    if status != "all":
        stmt = stmt.where(Supervision.status == SupervisionStatus(status))
    if mine:
        stmt = stmt.where(exists().where(supervision_staff.c.supervision_id == Supervision.id,
                                         supervision_staff.c.user_id == current_user.id))
    order = Meeting.starts_at if status == "planned" else Meeting.starts_at.desc()
    page = paginate(_listing(stmt.order_by(order, Supervision.id)))
    return render_template("supervision/list.html", page=page, status=status, mine=mine)


@bp.get("/mine")
@roles_required(*BUREAU_STAFF)
def my_supervisions():
    """The supervisions assigned to me: planned ones first, then the latest done."""
    base = _listing(scoped(select(Supervision), current_user)
                    .join(Meeting, Meeting.filing_id == Supervision.meeting_id)
                    .where(exists().where(supervision_staff.c.supervision_id == Supervision.id,
                                          supervision_staff.c.user_id == current_user.id)))
    planned = db.session.scalars(
        base.where(Supervision.status == SupervisionStatus.PLANNED)
        .order_by(Meeting.starts_at, Supervision.id)).all()
    done = paginate(base.where(Supervision.status != SupervisionStatus.PLANNED)
                    .order_by(Meeting.starts_at.desc(), Supervision.id))
    return render_template("supervision/mine.html", planned=planned, done=done)


@bp.route("/meetings/<int:filing_id>/new", methods=["GET", "POST"])
@roles_required(Role.REGULATOR)
def mark(filing_id: int):
    """Mark a submitted or approved meeting ahead for supervision and assign the staff."""
    meeting = _meeting(filing_id)
    problems = operations.marking_problems(meeting, current_user.bureau_id)
    if problems:
        _flash_codes(problems)
        return redirect(url_for("filings.show", filing_id=filing_id))
    form = StaffForm()
    form.staff.choices = staff_choices(operations.assignable_staff(current_user.bureau_id))
    if form.validate_on_submit():
        try:
            supervision = operations.mark(meeting, form.staff.data, form.notes.data,
                                          current_user)
        except operations.SupervisionError as error:
            db.session.rollback()
            form.staff.errors = [labels.message(c) for c in error.fields.get("staff", [])]
            if not form.staff.errors:
                _flash_codes(error.codes)
                return redirect(url_for("filings.show", filing_id=filing_id))
        else:
            db.session.commit()
            flash(_("Meeting %(number)s is marked for on-site supervision.",
                    number=meeting.filing.number), "success")
            return redirect(url_for("supervision.show", supervision_id=supervision.id))
    return render_template("supervision/staff.html", form=form, meeting=meeting,
                           filing=meeting.filing, supervision=None)


@bp.get("/<int:supervision_id>")
@roles_required(*BUREAU_STAFF)
def show(supervision_id: int):
    """One supervision: the meeting, the staff, the record and its photos."""
    return _page(get_scoped_or_404(Supervision, supervision_id))


@bp.route("/<int:supervision_id>/staff", methods=["GET", "POST"])
@roles_required(Role.REGULATOR)
def edit_staff(supervision_id: int):
    """Change who goes and the notes for the team, while the supervision is planned."""
    supervision = get_scoped_or_404(Supervision, supervision_id)
    if supervision.is_locked:
        _flash_codes(["locked"])
        return redirect(url_for("supervision.show", supervision_id=supervision_id))
    form = StaffForm(data={"staff": [u.id for u in supervision.staff],
                           "notes": supervision.notes, "version": supervision.version})
    form.staff.choices = staff_choices(operations.assignable_staff(supervision.bureau_id))
    if form.validate_on_submit():
        try:
            operations.change_staff(supervision, form.staff.data, form.notes.data,
                                    current_user, form.version.data)
            db.session.commit()
        except STALE:
            return _conflict(supervision_id)
        except operations.SupervisionError as error:
            db.session.rollback()
            if "locked" in error.codes:
                return _conflict(supervision_id)
            form.staff.errors = [labels.message(c) for c in error.codes]
        else:
            flash(_("The assignment was saved."), "success")
            return redirect(url_for("supervision.show", supervision_id=supervision_id))
    meeting = supervision.meeting
    return render_template("supervision/staff.html", form=form, meeting=meeting,
                           filing=meeting.filing, supervision=supervision)


@bp.post("/<int:supervision_id>/cancel")
@roles_required(Role.REGULATOR)
def cancel(supervision_id: int):
    """Call a planned supervision off (the version seen must still be current)."""
    supervision = get_scoped_or_404(Supervision, supervision_id)
    form = CancelForm()
    if not form.validate_on_submit():
        return _page(supervision, cancel_form=form), 400
    try:
        operations.cancel(supervision, form.reason.data, current_user, form.version.data)
        db.session.commit()
    except (*STALE, operations.SupervisionError):
        return _conflict(supervision_id)
    flash(_("The supervision was cancelled."), "success")
    return redirect(url_for("supervision.show", supervision_id=supervision_id))


@bp.get("/<int:supervision_id>/sheet.pdf")
@roles_required(*BUREAU_STAFF)
def sheet_pdf(supervision_id: int):
    """The one-page supervision sheet to print and take along (the user's language)."""
    supervision = get_scoped_or_404(Supervision, supervision_id)
    pdf = render_pdf("pdf/supervision_sheet.html", **sheet.context(supervision))
    number = supervision.meeting.filing.number
    return send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{number}-supervision.pdf", max_age=0)


def _record_initial(supervision: Supervision) -> dict:
    data = {name: getattr(supervision, name) for name in operations.RECORD_FIELDS}
    for name in ("is_fee_charged", "is_venue_as_filed", "are_trainers_as_filed"):
        data[name] = answer_value(data[name])
    data["conclusion"] = supervision.conclusion.value if supervision.conclusion else None
    data["photo_ids"] = ",".join(str(d.id) for d in supervision.photos)
    data["version"] = supervision.version
    return data


@bp.route("/<int:supervision_id>/record", methods=["GET", "POST"])
@roles_required(*BUREAU_STAFF)
def record(supervision_id: int):
    """Record what was seen, with photos; a form error keeps the input and the uploads."""
    supervision = get_scoped_or_404(Supervision, supervision_id)
    if supervision.is_locked:
        _flash_codes(["locked"])
        return redirect(url_for("supervision.show", supervision_id=supervision_id))
    form = RecordForm(data=_record_initial(supervision))
    photos = list(supervision.photos)
    if form.is_submitted():
        photos, upload_errors = kept_photos(form, supervision)
        if form.validate() and not upload_errors:
            complete = bool(form.complete.data)
            try:
                operations.record(supervision, form.data_for_model(), photos, current_user,
                                  form.version.data, complete=complete)
                db.session.commit()
            except STALE:
                return _conflict(supervision_id)
            except operations.SupervisionError as error:
                db.session.rollback()
                if "locked" in error.codes:
                    return _conflict(supervision_id)
                for name, codes in error.fields.items():
                    getattr(form, name).errors = [labels.message(c) for c in codes]
            else:
                flash(_("The record is complete and closed.") if complete
                      else _("The record was saved."), "success")
                return redirect(url_for("supervision.show", supervision_id=supervision_id))
        form.photos.errors = list(form.photos.errors) + upload_errors
    meeting = supervision.meeting
    return render_template("supervision/record.html", form=form, supervision=supervision,
                           meeting=meeting, filing=meeting.filing, photos=photos)


@bp.get("/<int:supervision_id>/photos/<int:document_id>")
@roles_required(*BUREAU_STAFF)
def photo(supervision_id: int, document_id: int):
    """A photo (or scan) of a supervision, for those who may see the supervision.

    :raise 404: the supervision is out of scope or the file is not one of its photos.
    """
    supervision = get_scoped_or_404(Supervision, supervision_id)
    document = next((d for d in supervision.photos if d.id == document_id), None)
    if document is None:
        abort(404)
    return send_file(
        get_store().open(document.sha256), mimetype=document.media_type,
        as_attachment=document.media_type == "application/pdf",
        download_name=document.original_name, max_age=0,
    )

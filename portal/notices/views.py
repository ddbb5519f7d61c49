"""Rectification notices: the lists of both sides, issuing, the notice page and PDF, service."""

from datetime import UTC, datetime, time
from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..access import get_scoped_or_404, roles_required, scoped
from ..extensions import db
from ..filings.uploads import keep_uploads
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..inspections.checklist import qr_data_uri
from ..models import (
    ENTERPRISE_ROLES,
    Bureau,
    Check,
    Enterprise,
    Filing,
    Notice,
    NoticeStatus,
    ReportOutcome,
    Role,
    ServiceMethod,
    VerifyMethod,
    utcnow,
)
from ..pagination import paginate
from ..pdf import render_pdf
from ..rules.meetings import (
    CHINA,
    CalendarUnknownError,
    add_working_days,
    china_date,
    working_days_between,
)
from ..storage import get_store
from . import operations
from .forms import (
    OUTCOME_LABELS,
    SERVICE_LABELS,
    VERIFY_METHOD_LABELS,
    EscalateForm,
    ExtensionDecisionForm,
    ExtensionForm,
    NoticeForm,
    ReportForm,
    ServeForm,
    VerifyForm,
)

bp = Blueprint("notices", __name__)

STATUS_LABELS = {
    NoticeStatus.ISSUED: _l("Issued, not yet served"),
    NoticeStatus.SERVED: _l("Served"),
    NoticeStatus.REPORTED: _l("Correction reported"),
    NoticeStatus.CORRECTED: _l("Corrected (closed)"),
    NoticeStatus.ESCALATED: _l("Escalated"),
}
METHOD_LABELS = {ServiceMethod.PORTAL: _l("Acknowledged in the portal"),
                 **{ServiceMethod(k): v for k, v in SERVICE_LABELS.items()}}
ERRORS = {
    "deadline_one_of": _l("Give the deadline either as a date or as working days."),
    "deadline_not_after_issue": _l("The deadline must come after today."),
    "working_days_out_of_range": _l("The number of working days is out of range."),
    "already_served": _l("This notice has already been served."),
    "not_served": _l("A correction report or an extension can only follow service, before "
                     "the report is in."),
    "not_reported": _l("There is no correction report to verify."),
    "note_required": _l("Give the reasons."),
    "not_overdue": _l("Only an overdue notice can be escalated this way."),
    "extension_pending": _l("An extension is already waiting for the bureau's decision."),
    "deadline_passed": _l("The deadline has passed; an extension can no longer be asked for."),
    "extension_not_later": _l("The new deadline must come after the current one."),
    "no_extension": _l("There is no extension to decide."),
    "unknown_provision": _l("A provision chosen is no longer in the catalogue; choose again."),
    "no_provision": _l("Choose at least one provision."),
}
MAX_EVIDENCE = 10
READERS = (Role.REGULATOR, *ENTERPRISE_ROLES)


@bp.app_context_processor
def notice_labels():
    return {"NOTICE_STATUS_LABELS": STATUS_LABELS, "SERVICE_METHOD_LABELS": METHOD_LABELS,
            "OUTCOME_LABELS": OUTCOME_LABELS,
            "VERIFY_METHOD_LABELS": VERIFY_METHOD_LABELS}


def working_days_left(notice: Notice, today=None) -> int | None:
    """Chinese working days from today to the deadline (the deadline counted); None when
    there is none, it has passed, or it lies beyond the working-day calendar."""
    today = today or china_date(utcnow())
    if notice.deadline is None or notice.deadline < today:
        return None
    try:
        return working_days_between(today, notice.deadline)
    except CalendarUnknownError:
        return None


def days_left(notice: Notice, today=None) -> int | None:
    """Calendar days until the deadline (negative when overdue); None without a deadline."""
    if notice.deadline is None:
        return None
    return (notice.deadline - (today or china_date(utcnow()))).days


@bp.get("/")
@roles_required(*READERS)
def list_notices():
    """The bureau's notices (regulators) or the enterprise's (its staff), newest first."""
    status = request.args.get("status", "")
    today = china_date(utcnow())
    stmt = scoped(select(Notice)).order_by(Notice.issued_at.desc(), Notice.id.desc())
    if status in {s.value for s in NoticeStatus}:
        stmt = stmt.where(Notice.status == NoticeStatus(status))
    elif status == "overdue":
        stmt = stmt.where(Notice.status == NoticeStatus.SERVED, Notice.deadline < today)
    page = paginate(stmt)
    return render_template("notices/list.html", page=page, status=status, today=today,
                           days_left=days_left, working_days_left=working_days_left)


def _enterprise_choices() -> list:
    return [(e.id, f"{e.name}（{e.credit_code}）") for e in db.session.scalars(
        scoped(select(Enterprise)).order_by(Enterprise.name))]


def _source():
    """The check or flagged filing the notice is issued from (``?check=`` / ``?filing=``)."""
    check_id = request.args.get("check", type=int)
    filing_id = request.args.get("filing", type=int)
    check = get_scoped_or_404(Check, check_id) if check_id else None
    filing = get_scoped_or_404(Filing, filing_id) if filing_id and not check else None
    if check is not None and not operations.failed_results(check):
        abort(404)  # only a completed check with failed items leads to a notice
    return check, filing


def _estimate_problem(form: NoticeForm) -> str | None:
    """A working-day deadline the calendar cannot count yet (served today, for a start)."""
    if form.deadline_kind.data != "working_days" or not form.working_days.data:
        return None
    try:
        add_working_days(china_date(utcnow()), form.working_days.data)
    except CalendarUnknownError as error:
        return _("The working-day calendar only knows the years %(first)s–%(last)s, so this "
                 "deadline cannot be counted yet. Give the deadline as a date.",
                 first=error.first_year, last=error.last_year)
    return None


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.REGULATOR)
def new():
    """Issue a notice: from a check's failed items, a flagged filing, or from scratch."""
    check, filing = _source()
    source = check or filing
    form = NoticeForm()
    if source is not None:
        party = check.enterprise if check else filing.enterprise
        form.enterprise_id.choices = [(party.id, f"{party.name}（{party.credit_code}）")]
        if not form.is_submitted():
            filled = (operations.prefill_from_check(check) if check
                      else operations.prefill_from_filing(filing))
            form.facts.data, form.provisions.data = filled["facts"], filled["provisions"]
            form.enterprise_id.data = party.id
    else:
        form.enterprise_id.choices = _enterprise_choices()
    status = 200
    if form.validate_on_submit():
        problem = _estimate_problem(form)
        enterprise = get_scoped_or_404(Enterprise, form.enterprise_id.data)
        if problem:
            form.working_days.errors = [*form.working_days.errors, problem]
        else:
            fields = operations.NoticeFields(
                facts=form.facts.data, provisions=form.provisions.data,
                corrections=form.corrections.data,
                deadline=form.deadline.data if form.deadline_kind.data == "date" else None,
                deadline_working_days=(form.working_days.data
                                       if form.deadline_kind.data == "working_days" else None))
            bureau = db.session.get(Bureau, current_user.bureau_id)
            try:
                notice = operations.issue(bureau, enterprise, fields, current_user,
                                          check=check, filing=filing)
            except operations.NoticeError as error:
                db.session.rollback()
                field = form.provisions if "provision" in error.code else form.deadline
                field.errors = [*field.errors, ERRORS[error.code]]
            else:
                notice_id, number = notice.id, notice.number
                db.session.commit()
                flash(_("Notice %(number)s issued. The enterprise sees it now; the deadline "
                        "runs from service.", number=number), "success")
                return redirect(url_for("notices.show", notice_id=notice_id))
        status = 400
    elif form.is_submitted():
        status = 400
    return render_template("notices/form.html", form=form, check=check, filing=filing), status


def _page(notice: Notice, status: int = 200, **forms):
    """The notice page with the forms its state offers; a refused form comes back in *forms*
    with what was typed (and, for a report, the files kept)."""
    version = notice.version
    defaults = {
        "serve_form": lambda: ServeForm(formdata=None, served_on=china_date(utcnow()),
                                        version=version),
        "report_form": lambda: ReportForm(formdata=None, version=version),
        "extension_form": lambda: ExtensionForm(formdata=None, version=version),
        "decision_form": lambda: ExtensionDecisionForm(
            formdata=None, version=version,
            until=notice.pending_extension.requested_until if notice.pending_extension
            else None),
        "verify_form": lambda: VerifyForm(formdata=None, version=version),
    }
    for name, make in defaults.items():
        if forms.get(name) is None:
            forms[name] = make()
    forms.setdefault("kept_evidence", [])
    forms.setdefault("upload_errors", [])
    return render_template("notices/show.html", notice=notice, days_left=days_left(notice),
                           working_left=working_days_left(notice),
                           overdue=operations.is_overdue(notice), **forms), status


@bp.get("/<int:notice_id>")
@roles_required(*READERS)
def show(notice_id: int):
    """A notice: what it orders, by when, and its service."""
    return _page(get_scoped_or_404(Notice, notice_id))


def _absolute_url(notice: Notice) -> str:
    base = (current_app.config.get("PORTAL_BASE_URL") or request.url_root).rstrip("/")
    return base + url_for("notices.show", notice_id=notice.id)


@bp.get("/<int:notice_id>/notice.pdf")
@roles_required(*READERS)
def notice_pdf(notice_id: int):
    """The notice as a formal A4 document (Chinese; English with ?lang=en)."""
    notice = get_scoped_or_404(Notice, notice_id)
    url = _absolute_url(notice)
    pdf = render_pdf("pdf/notice.html", notice=notice, url=url, qr=qr_data_uri(url),
                     issued_on=china_date(notice.issued_at))
    return send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=False,
                     download_name=f"notice-{notice.year}-{notice.sequence}.pdf", max_age=0)


def _stale(notice: Notice) -> bool:
    return request.form.get("version") != str(notice.version)


def _conflict(notice_id: int):
    db.session.rollback()
    notice = get_scoped_or_404(Notice, notice_id)
    flash(_("This notice was changed after you opened it (by a colleague or in another "
            "window); it is now: %(status)s. Nothing was saved.",
            status=STATUS_LABELS[notice.status]), "error")
    return _page(notice, 409)


@bp.post("/<int:notice_id>/acknowledge")
@roles_required(*ENTERPRISE_ROLES)
def acknowledge(notice_id: int):
    """The enterprise acknowledges receipt: that moment is the time of service."""
    notice = get_scoped_or_404(Notice, notice_id)
    if _stale(notice) or notice.status is not NoticeStatus.ISSUED:
        return _conflict(notice_id)
    try:
        operations.serve(notice, ServiceMethod.PORTAL, current_user)
        db.session.commit()
    except (StaleDataError, operations.NoticeError):
        return _conflict(notice_id)
    flash(_("Receipt acknowledged. Correct the findings by the deadline."), "success")
    return redirect(url_for("notices.show", notice_id=notice_id))


@bp.post("/<int:notice_id>/serve")
@roles_required(Role.REGULATOR)
def serve(notice_id: int):
    """A regulator records service in person or by post, on the day it happened."""
    notice = get_scoped_or_404(Notice, notice_id)
    form = ServeForm()
    if _stale(notice) or notice.status is not NoticeStatus.ISSUED:
        return _conflict(notice_id)
    if not form.validate_on_submit():
        return _page(notice, 400, serve_form=form)
    issued_on, today = china_date(notice.issued_at), china_date(utcnow())
    if not issued_on <= form.served_on.data <= today:
        form.served_on.errors = [*form.served_on.errors, _(
            "The date of service lies between the day of issue and today.")]
        return _page(notice, 400, serve_form=form)
    served_at = datetime.combine(form.served_on.data, time(12), CHINA).astimezone(UTC)
    if form.served_on.data == today:
        served_at = min(served_at, utcnow())
    try:
        operations.serve(notice, ServiceMethod(form.method.data), current_user,
                         served_at=served_at, note=form.note.data)
        db.session.commit()
    except (StaleDataError, operations.NoticeError):
        return _conflict(notice_id)
    flash(_("Service recorded."), "success")
    return redirect(url_for("notices.show", notice_id=notice_id))


@bp.post("/<int:notice_id>/report")
@roles_required(*ENTERPRISE_ROLES)
def report(notice_id: int):
    """The enterprise reports its correction, with evidence (photos, PDFs)."""
    notice = get_scoped_or_404(Notice, notice_id)
    if _stale(notice):
        return _conflict(notice_id)
    form = ReportForm()
    evidence, errors = keep_uploads(
        request.form, request.files, "evidence", notice.enterprise_id, current_user,
        limit=MAX_EVIDENCE, may_keep=lambda d: d.uploaded_by_id == current_user.id)
    if not form.validate_on_submit() or errors:
        return _page(notice, 400, report_form=form, kept_evidence=evidence,
                     upload_errors=errors)
    try:
        operations.report(notice, form.text.data, evidence, current_user)
        db.session.commit()
    except (StaleDataError, operations.NoticeError):
        return _conflict(notice_id)
    flash(_("Correction report submitted. The bureau will verify it."), "success")
    return redirect(url_for("notices.show", notice_id=notice_id))


@bp.get("/<int:notice_id>/evidence/<int:document_id>")
@roles_required(*READERS)
def evidence(notice_id: int, document_id: int):
    """A file of one of the notice's correction reports (both sides, nobody else)."""
    notice = get_scoped_or_404(Notice, notice_id)
    document = next((d for r in notice.reports for d in r.evidence if d.id == document_id), None)
    if document is None:
        abort(404)
    return send_file(get_store().open(document.sha256), mimetype=document.media_type,
                     as_attachment=document.media_type == "application/pdf",
                     download_name=document.original_name, max_age=0)


@bp.post("/<int:notice_id>/extension")
@roles_required(*ENTERPRISE_ROLES)
def request_extension(notice_id: int):
    """The enterprise asks for a later deadline, with its reason."""
    notice = get_scoped_or_404(Notice, notice_id)
    if _stale(notice):
        return _conflict(notice_id)
    form = ExtensionForm()
    if not form.validate_on_submit():
        return _page(notice, 400, extension_form=form)
    try:
        operations.request_extension(notice, form.until.data, form.reason.data, current_user)
        db.session.commit()
    except operations.NoticeError as error:
        db.session.rollback()
        if error.code == "extension_not_later":
            form.until.errors = [*form.until.errors, ERRORS[error.code]]
        else:  # the form is not offered in this state: say why above the page
            flash(ERRORS[error.code], "error")
        return _page(get_scoped_or_404(Notice, notice_id), 400, extension_form=form)
    except StaleDataError:
        return _conflict(notice_id)
    flash(_("Extension asked for. The bureau will decide."), "success")
    return redirect(url_for("notices.show", notice_id=notice_id))


@bp.post("/<int:notice_id>/extension/decide")
@roles_required(Role.REGULATOR)
def decide_extension(notice_id: int):
    """Grant the pending extension (a new deadline) or refuse it with the reason."""
    notice = get_scoped_or_404(Notice, notice_id)
    if _stale(notice):
        return _conflict(notice_id)
    form = ExtensionDecisionForm()
    if not form.validate_on_submit():
        return _page(notice, 400, decision_form=form)
    try:
        operations.decide_extension(notice, form.decision.data == "grant", form.note.data,
                                    current_user, until=form.until.data)
        db.session.commit()
    except operations.NoticeError as error:
        db.session.rollback()
        field = form.note if error.code == "note_required" else form.until
        field.errors = [*field.errors, ERRORS[error.code]]
        return _page(get_scoped_or_404(Notice, notice_id), 400, decision_form=form)
    except StaleDataError:
        return _conflict(notice_id)
    flash(_("Extension decided."), "success")
    return redirect(url_for("notices.show", notice_id=notice_id))


@bp.post("/<int:notice_id>/verify")
@roles_required(Role.REGULATOR)
def verify(notice_id: int):
    """Record the re-check of the correction report: close, send back or escalate."""
    notice = get_scoped_or_404(Notice, notice_id)
    if _stale(notice):
        return _conflict(notice_id)
    form = VerifyForm()
    if not form.validate_on_submit():
        return _page(notice, 400, verify_form=form)
    try:
        operations.verify(notice, ReportOutcome(form.outcome.data),
                          VerifyMethod(form.method.data), form.note.data, current_user)
        db.session.commit()
    except operations.NoticeError as error:
        db.session.rollback()
        form.note.errors = [*form.note.errors, ERRORS[error.code]]
        return _page(get_scoped_or_404(Notice, notice_id), 400, verify_form=form)
    except StaleDataError:
        return _conflict(notice_id)
    flash(_("Verification recorded."), "success")
    return redirect(url_for("notices.show", notice_id=notice_id))


@bp.route("/<int:notice_id>/escalate", methods=["GET", "POST"])
@roles_required(Role.REGULATOR)
def escalate(notice_id: int):
    """Escalate an overdue notice: the case referral comes pre-filled from the notice."""
    notice = get_scoped_or_404(Notice, notice_id)
    if not operations.is_overdue(notice):
        abort(404)
    form = EscalateForm()
    if request.method == "GET":
        form = EscalateForm(formdata=None, referral=operations.referral_text(notice),
                            version=notice.version)
        return render_template("notices/escalate.html", notice=notice, form=form)
    if _stale(notice):
        return _conflict(notice_id)
    if not form.validate_on_submit():
        return render_template("notices/escalate.html", notice=notice, form=form), 400
    try:
        operations.escalate(notice, form.referral.data, current_user)
        db.session.commit()
    except (StaleDataError, operations.NoticeError):
        return _conflict(notice_id)
    flash(_("Notice %(number)s escalated; the case referral is on the notice.",
            number=notice.number), "success")
    return redirect(url_for("notices.show", notice_id=notice_id))

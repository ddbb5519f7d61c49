"""One spot check: its page (phone first), the checklist PDF, recording results with evidence,
completing and publishing; the bureau's list of results to publish.

Regulators of the plan's bureau see every check of it; an inspector only the checks assigned to
them (portal/access.py). Only assigned inspectors record results; only regulators publish.
Routes are registered on the blueprint of views.py.
"""

from datetime import date
from io import BytesIO

from flask import (
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
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..access import get_scoped_or_404, roles_required, scoped
from ..extensions import db
from ..filings.uploads import keep_uploads
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..models import (
    BUREAU_ROLES,
    Check,
    CheckStatus,
    Document,
    Filing,
    FilingKind,
    Meeting,
    Outlet,
    ReturnPolicy,
    Role,
    Trainer,
    Verdict,
    utcnow,
)
from ..rules.meetings import china_date
from ..rules.publication import PUBLISH_WITHIN_WORKING_DAYS, due_or_none, is_overdue
from ..rules.workflow import Status
from ..storage import get_store
from . import checklist, results
from .views import bp

CHECK_STATUS_LABELS = {
    CheckStatus.ASSIGNED: _l("Being checked"),
    CheckStatus.COMPLETED: _l("Completed, not yet published"),
    CheckStatus.PUBLISHED: _l("Published"),
}
VERDICT_LABELS = {
    Verdict.PASS: _l("Pass"),
    Verdict.FAIL: _l("Fail"),
    Verdict.NOT_APPLICABLE: _l("Not applicable"),
}
RESULT_MESSAGES = {
    "note_required": _l("A failed item needs a note saying what was found."),
    "verdict_required": _l("Choose pass, fail or not applicable for this item."),
    "unanswered": _l("Every item must be answered before the check is completed."),
    "locked": _l("The results of this check are completed and can no longer be changed."),
    "not_completed": _l("Only completed checks can be published."),
}
# How many filings of each kind the check page lists (the filing pages have the rest).
FILINGS_SHOWN = 10


@bp.app_context_processor
def check_labels():
    return {"CHECK_STATUS_LABELS": CHECK_STATUS_LABELS, "VERDICT_LABELS": VERDICT_LABELS}


def _check(check_id: int) -> Check:
    check = get_scoped_or_404(Check, check_id)
    if check.plan.status.value != "drawn":
        abort(404)
    return check


def _filings_of(check: Check) -> dict:
    """The enterprise's filings on record that the user may open: approved outlets and
    trainers, the current return policy, recent meetings; each (rows, total)."""

    def listed(kind, detail, order, statuses=(Status.APPROVED,)):
        base = scoped(select(Filing), current_user).where(
            Filing.enterprise_id == check.enterprise_id, Filing.kind == kind,
            Filing.status.in_(statuses))
        total = db.session.scalar(select(func.count()).select_from(base.subquery()))
        rows = db.session.execute(
            base.add_columns(detail).join(detail, detail.filing_id == Filing.id)
            .order_by(*order).limit(FILINGS_SHOWN)).all()
        return rows, total

    return {
        "outlets": listed(FilingKind.OUTLET, Outlet, (Outlet.region_code, Filing.id)),
        "trainers": listed(FilingKind.TRAINER, Trainer, (Trainer.name, Filing.id)),
        "policies": listed(FilingKind.RETURN_POLICY, ReturnPolicy,
                           (ReturnPolicy.effective_on.desc(), Filing.id.desc())),
        "meetings": listed(FilingKind.MEETING, Meeting, (Meeting.starts_at.desc(), Filing.id),
                           statuses=(Status.SUBMITTED, Status.APPROVED)),
    }


def _documents(ids) -> dict[int, Document]:
    if not ids:
        return {}
    return {d.id: d for d in db.session.scalars(select(Document).where(Document.id.in_(ids)))}


def _can_record(check: Check) -> bool:
    return (current_user.role is Role.INSPECTOR and check.status is CheckStatus.ASSIGNED
            and any(u.id == current_user.id for u in check.inspectors))


def _page(check: Check, status: int = 200, entries=None, problems=None, token=None,
          upload_errors=None):
    """The check page; after a refused save, *entries* keep what was typed and uploaded."""
    stored = results.results_of(check)
    evidence = results.evidence_of(check)
    if entries is None:
        docs = _documents([i for ids in evidence.values() for i in ids])
        entries = {item_id: results.Entry(r.verdict, r.note or "",
                                          [docs[i] for i in evidence.get(item_id, [])])
                   for item_id, r in stored.items()}
    outlet = db.session.get(Outlet, check.outlet_filing_id) if check.outlet_filing_id else None
    due = due_or_none(check.completed_at)
    return render_template(
        "inspections/check.html", check=check, plan=check.plan, outlet=outlet,
        filings=_filings_of(check), stored=stored, entries=entries, problems=problems or {},
        upload_errors=upload_errors or {}, token=token or results.state_token(check),
        can_record=_can_record(check), messages=RESULT_MESSAGES, due=due,
        overdue=check.status is CheckStatus.COMPLETED and is_overdue(due, china_date(utcnow())),
        shown=FILINGS_SHOWN,
        failed=check.status is not CheckStatus.ASSIGNED and any(
            r.verdict is Verdict.FAIL for r in stored.values()),
    ), status


@bp.get("/checks/<int:check_id>")
@roles_required(*BUREAU_ROLES)
def show_check(check_id: int):
    """One check: number, plan, window, target, its filings, inspectors and the results."""
    return _page(_check(check_id))


def _kept_evidence(check: Check, item_id: int, attached: set[int]) -> tuple[list, list[str]]:
    """The item's evidence kept from the form (minus removals) plus new uploads, each checked
    by content; a kept id must already be this item's evidence or uploaded by the user for the
    checked enterprise. New uploads are committed at once so a form error never loses them."""
    return keep_uploads(
        request.form, request.files, f"evidence-{item_id}", check.enterprise_id, current_user,
        limit=results.MAX_EVIDENCE_PER_ITEM, bureau_side=True,
        may_keep=lambda d: d.id in attached or d.uploaded_by_id == current_user.id,
        ids_field=f"evidence-ids-{item_id}", remove_field=f"remove-{item_id}")


def _entries_from_form(check: Check):
    evidence = results.evidence_of(check)
    entries, upload_errors = {}, {}
    for item in check.plan.items:
        raw = request.form.get(f"verdict-{item.id}", "")
        verdict = Verdict(raw) if raw in {v.value for v in Verdict} else None
        note = request.form.get(f"note-{item.id}", "")[:4000]
        kept, errors = _kept_evidence(check, item.id, set(evidence.get(item.id, [])))
        entries[item.id] = results.Entry(verdict, note, kept)
        if errors:
            upload_errors[item.id] = errors
    return entries, upload_errors


def _conflict(check_id: int):
    """Someone else saved first: the check as it is now, nothing saved (409)."""
    db.session.rollback()
    check = _check(check_id)
    flash(_("Results of this check were saved after you opened it (by a colleague or in "
            "another window); it is now: %(status)s. Nothing was saved: look at the results "
            "below and enter yours again.",
            status=CHECK_STATUS_LABELS[check.status]), "error")
    return _page(check, 409)


@bp.post("/checks/<int:check_id>")
@roles_required(Role.INSPECTOR)
def record_results(check_id: int):
    """Save the results ("save") or complete the check ("complete"); a form error keeps what
    was typed and uploaded. Completed results are locked (refused, 409)."""
    check = _check(check_id)
    if not any(u.id == current_user.id for u in check.inspectors):
        abort(404)  # not reachable through the scope; kept as a second guard
    token = request.form.get("state", "")
    if check.status is not CheckStatus.ASSIGNED:
        flash(str(RESULT_MESSAGES["locked"]), "error")
        return _page(check, 409)
    entries, upload_errors = _entries_from_form(check)
    complete = "complete" in request.form
    if upload_errors:
        flash(_("Some files were refused; nothing else was saved yet."), "error")
        return _page(check, 400, entries=entries, token=token, upload_errors=upload_errors)
    try:
        results.record(check, entries, current_user, token, complete=complete)
        db.session.commit()
    except results.ConflictError:
        return _conflict(check_id)
    except results.ResultError as error:
        db.session.rollback()
        if error.code == "locked":
            flash(str(RESULT_MESSAGES["locked"]), "error")
            return _page(_check(check_id), 409)
        check = _check(check_id)
        flash(_("The results were not saved: see the items marked below."), "error")
        return _page(check, 400, entries=entries, problems=error.items, token=token)
    flash(_("The check is completed; its results are locked.") if complete
          else _("The results were saved."), "success")
    return redirect(url_for("inspections.show_check", check_id=check_id))


@bp.get("/checks/<int:check_id>/evidence/<int:document_id>")
@roles_required(*BUREAU_ROLES)
def evidence(check_id: int, document_id: int):
    """An evidence file of a check, for those who may see the check.

    :raise 404: the check is out of scope or the file is not evidence of it.
    """
    check = _check(check_id)
    ids = {i for ids in results.evidence_of(check).values() for i in ids}
    document = db.session.get(Document, document_id) if document_id in ids else None
    if document is None:
        abort(404)
    return send_file(
        get_store().open(document.sha256), mimetype=document.media_type,
        as_attachment=document.media_type == "application/pdf",
        download_name=document.original_name, max_age=0,
    )


@bp.get("/checks/<int:check_id>/checklist.pdf")
@roles_required(*BUREAU_ROLES)
def checklist_pdf(check_id: int):
    """The checklist to print and take along (Chinese; English with ?lang=en or the locale)."""
    check = _check(check_id)
    pdf = checklist.render(check)
    return send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=False,
                     download_name=f"{check.number}-checklist.pdf", max_age=0)


@bp.post("/checks/<int:check_id>/publish")
@roles_required(Role.REGULATOR)
def publish_check(check_id: int):
    """Publish a completed check's results on the public page (一公开)."""
    check = _check(check_id)
    try:
        results.publish(check, current_user, request.form.get("state") or None)
        db.session.commit()
    except results.ConflictError:
        return _conflict(check_id)
    except results.ResultError as error:
        db.session.rollback()
        flash(str(RESULT_MESSAGES[error.code]), "error")
        return _page(_check(check_id), 409)
    flash(_("The results of %(number)s are published.", number=check.number), "success")
    return redirect(request.form.get("next") == "list"
                    and url_for("inspections.publication") or
                    url_for("inspections.show_check", check_id=check_id))


PUBLICATION_SORTS = {"due", "completed", "number"}


@bp.get("/publication")
@roles_required(Role.REGULATOR)
def publication():
    """The bureau's completed checks not yet published, with the day each is due (20 working
    days after completion); overdue first by default; ``?show=overdue`` keeps only those."""
    sort = request.args.get("sort", "due")
    sort = sort if sort in PUBLICATION_SORTS else "due"
    show = request.args.get("show", "all")
    show = show if show in {"all", "overdue"} else "all"
    checks = db.session.scalars(
        scoped(select(Check), current_user).join(Check.plan)
        .where(Check.status == CheckStatus.COMPLETED)
        .options(selectinload(Check.enterprise), selectinload(Check.plan),
                 selectinload(Check.outlet_filing))
        .order_by(Check.completed_at, Check.id)
    ).all()
    today = china_date(utcnow())
    rows = []
    for check in checks:
        due = due_or_none(check.completed_at)
        rows.append((check, due, is_overdue(due, today)))
    if show == "overdue":
        rows = [r for r in rows if r[2]]
    if sort == "number":
        rows.sort(key=lambda r: (r[0].plan_id, r[0].position))
    elif sort == "completed":
        rows.sort(key=lambda r: (r[0].completed_at, r[0].id), reverse=True)
    else:
        rows.sort(key=lambda r: (r[1] or date.max, r[0].id))
    return render_template("inspections/publication.html", rows=rows, sort=sort, show=show,
                           today=today, within=PUBLISH_WITHIN_WORKING_DAYS,
                           overdue_count=sum(1 for r in rows if r[2]))


def absolute_check_url(check: Check, base_url: str | None = None) -> str:
    """The check's page as an absolute URL on *base_url*, else PORTAL_BASE_URL if configured,
    else the request's address."""
    base = (base_url or current_app.config.get("PORTAL_BASE_URL") or request.url_root).rstrip("/")
    # Built from the URL map, so it works in a background task too (no request there).
    path = current_app.url_map.bind("localhost").build("inspections.show_check",
                                                       {"check_id": check.id})
    return base + path



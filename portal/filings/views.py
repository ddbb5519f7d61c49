"""Pages every kind of filing shares: the enterprise's list, a filing, its history and files."""

from collections import Counter
from io import BytesIO

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from ..access import get_scoped_or_404, roles_required, scoped
from ..extensions import db
from ..i18n import datetime_formatter, html_text
from ..i18n import gettext as _
from ..labels import KIND_LABELS, STATUS_LABELS
from ..models import ENTERPRISE_ROLES, Filing, FilingKind, FilingTally, Role
from ..pagination import paginate
from ..pdf import render_pdf
from ..rules import workflow
from ..rules.workflow import Action, Side, Status
from ..storage import get_store
from . import operations, versions
from .kinds import KINDS
from .pages import ENTERPRISE_ACTIONS, FILING_OPTIONS, conflict, detail_of, filing_page

bp = Blueprint("filings", __name__)

ALL_ROLES = (*ENTERPRISE_ROLES, Role.REGULATOR, Role.INSPECTOR, Role.ADMIN)


# One row of the enterprise's list of filings, written in one go: a Jinja loop over its 50 rows
# (a handful of escaped expressions per row, plus a row object to feed it) cost a large part
# of the page's time (as the review queue found, review.views.queue_rows). Every value is
# escaped before it goes in (ids go in as %d); the string itself is markup.
LIST_ROW = (
    '<tr><td><a href="%(show)s%(id)d">%(number)s</a></td><td>%(kind)s</td><td>%(title)s</td>'
    '<td><span class="badge status-%(status)s">%(status_label)s</span></td>'
    '<td>%(updated)s</td></tr>'
)


def list_rows(rows, show_url: str) -> Markup:
    """The table rows of the list page: labels and the date format looked up once per page,
    each row written in one go (see LIST_ROW)."""
    kinds = {kind: html_text(label) for kind, label in KIND_LABELS.items()}
    statuses = {status: (status.value, html_text(label)) for status, label in STATUS_LABELS.items()}
    when = datetime_formatter("short")
    show = html_text(show_url)
    lines = []
    for row in rows:
        status, status_label = statuses[row.status]
        lines.append(LIST_ROW % {
            "show": show, "id": row.id, "number": html_text(row.number), "kind": kinds[row.kind],
            "title": html_text(row.title), "status": status, "status_label": status_label,
            "updated": html_text(when(row.updated_at)),
        })
    return Markup("\n".join(lines))  # noqa: S704 (every value is escaped above)


@bp.get("/")
@roles_required(*ENTERPRISE_ROLES)
def list_filings():
    """The enterprise's filings of every kind, filterable by kind and status.

    The counts (per status, and the list's total) come from the running counts (tally.py):
    a few rows instead of counting the enterprise's filings twice per view.
    """
    stmt = scoped(select(Filing), current_user).with_only_columns(
        Filing.id, Filing.number, Filing.kind, Filing.title, Filing.status, Filing.updated_at)
    kind = request.args.get("kind", "")
    status = request.args.get("status", "")
    listed_kinds, listed_statuses = set(FilingKind), set(Status)  # unknown values: no filter
    if kind in {k.value for k in FilingKind}:
        listed_kinds = {FilingKind(kind)}
        stmt = stmt.where(Filing.kind == FilingKind(kind))
    if status in {s.value for s in Status}:
        listed_statuses = {Status(status)}
        stmt = stmt.where(Filing.status == Status(status))
    stmt = stmt.order_by(Filing.updated_at.desc(), Filing.id.desc())
    tally = db.session.execute(
        scoped(select(FilingTally), current_user)
        .with_only_columns(FilingTally.kind, FilingTally.status, func.sum(FilingTally.n))
        .group_by(FilingTally.kind, FilingTally.status)
    ).all()
    counts = Counter()
    for _kind, row_status, n in tally:
        counts[row_status] += n
    total = sum(n for row_kind, row_status, n in tally
                if row_kind in listed_kinds and row_status in listed_statuses)
    page = paginate(stmt, rows=True, total=total)
    return render_template(
        "filings/list.html", page=page, list_rows=list_rows, kind=kind, status=status,
        counts=counts, kinds=KINDS,
    )


@bp.get("/<int:filing_id>")
@roles_required(*ALL_ROLES)
def show(filing_id: int):
    """One filing: its fields, files, rule findings, available actions and history."""
    return filing_page(get_scoped_or_404(Filing, filing_id, options=FILING_OPTIONS))


@bp.post("/<int:filing_id>/<action>")
@roles_required(*ENTERPRISE_ROLES)
def act(filing_id: int, action: str):
    """Submit, resubmit or withdraw the enterprise's own filing; 409 if it changed meanwhile."""
    filing = get_scoped_or_404(Filing, filing_id)
    if action not in {a.value for a in ENTERPRISE_ACTIONS}:
        abort(404)
    action = Action(action)
    detail = detail_of(filing)
    problems = KINDS[filing.kind].problems(detail) if action is not Action.WITHDRAW else []
    try:
        operations.apply(
            filing, action, current_user, Side.ENTERPRISE,
            # None would skip the check: a post without the version is stale.
            expected_version=request.form.get("version", ""), problems=problems,
            comment=request.form.get("comment", "").strip()[:2000] or None,
        )
        db.session.commit()
    except (operations.ConflictError, StaleDataError):
        db.session.rollback()
        return conflict(filing_id)
    except operations.RuleViolation:
        db.session.rollback()
        flash(_("The filing breaks the rules listed below. Correct it before submitting."), "error")
        return redirect(url_for("filings.show", filing_id=filing_id))
    except workflow.TransitionError:
        db.session.rollback()
        flash(_("This action is not possible in the filing's current state."), "error")
        return redirect(url_for("filings.show", filing_id=filing_id))
    flash(_("%(number)s: %(status)s.", number=filing.number, status=STATUS_LABELS[filing.status]),
          "success")
    return redirect(url_for("filings.show", filing_id=filing_id))


@bp.post("/<int:filing_id>/discard")
@roles_required(*ENTERPRISE_ROLES)
def discard(filing_id: int):
    """Delete a draft that was never submitted."""
    filing = get_scoped_or_404(Filing, filing_id)
    try:
        operations.discard_draft(filing, current_user)
        db.session.commit()
    except workflow.TransitionError:
        db.session.rollback()
        flash(_("Only a draft that was never submitted can be deleted."), "error")
        return redirect(url_for("filings.show", filing_id=filing_id))
    flash(_("The draft was deleted."), "success")
    return redirect(url_for("filings.list_filings"))


@bp.get("/<int:filing_id>/documents/<int:document_id>")
@roles_required(*ALL_ROLES)
def download(filing_id: int, document_id: int):
    """A file of a filing the user may see, as an attachment with its safe name."""
    filing = get_scoped_or_404(Filing, filing_id)
    documents = KINDS[filing.kind].documents(detail_of(filing))
    document = next((d for d in documents if d.id == document_id), None)
    if document is None:
        abort(404)
    return send_file(
        get_store().open(document.sha256),
        mimetype=document.media_type,
        # PDFs may open in the browser's viewer; everything else is a download.
        as_attachment=not (request.args.get("inline") and document.media_type == "application/pdf"),
        download_name=document.original_name,
        max_age=0,
    )


@bp.get("/<int:filing_id>/receipt.pdf")
@roles_required(*ALL_ROLES)
def receipt(filing_id: int):
    """The filing receipt (回执) for a submitted filing, as PDF."""
    filing = get_scoped_or_404(Filing, filing_id)
    if filing.submitted_at is None:
        abort(404)
    detail = detail_of(filing)
    pdf = render_pdf(
        "pdf/receipt.html",
        filing=filing,
        detail=detail,
        info=KINDS[filing.kind],
        documents=KINDS[filing.kind].documents(detail),
    )
    return send_file(BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{filing.number}-receipt.pdf")


@bp.get("/<int:filing_id>/compare")
@roles_required(*ALL_ROLES)
def compare(filing_id: int):
    """Two versions of a filing side by side (default: the latest against the previous one).

    :raise 404: the filing is outside the user's scope, or ``a``/``b`` is not one of its
        history events.
    """
    filing = get_scoped_or_404(Filing, filing_id)
    history = versions.versions_of(filing.events)
    try:
        older, newer = versions.chosen_pair(history, request.args.get("a"), request.args.get("b"))
    except versions.UnknownVersion:
        abort(404)
    rows = []
    if older is not None:
        rows = versions.compare_rows(filing.kind, filing.enterprise_id, older.snapshot,
                                     newer.snapshot)
    return render_template("filings/compare.html", filing=filing, history=history,
                           older=older, newer=newer, rows=rows)
